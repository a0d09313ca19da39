//===- MemoryBandwidth.cpp - measure the memory read bandwidth ------------===//

#include "MemoryBandwidth.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace optlm::bench {

namespace {

uint64_t sumPortable(const uint64_t *data, size_t count) {
  uint64_t a = 0, b = 0, c = 0, d = 0;
  for (size_t i = 0; i + 4 <= count; i += 4) {
    a += data[i];
    b += data[i + 1];
    c += data[i + 2];
    d += data[i + 3];
  }
  return a + b + c + d;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) uint64_t sumAVX2(const uint64_t *data, size_t count) {
  __m256i a = _mm256_setzero_si256(), b = a, c = a, d = a;
  for (size_t i = 0; i + 16 <= count; i += 16) {
    a = _mm256_add_epi64(a, _mm256_load_si256(reinterpret_cast<const __m256i *>(data + i)));
    b = _mm256_add_epi64(b, _mm256_load_si256(reinterpret_cast<const __m256i *>(data + i + 4)));
    c = _mm256_add_epi64(c, _mm256_load_si256(reinterpret_cast<const __m256i *>(data + i + 8)));
    d = _mm256_add_epi64(d, _mm256_load_si256(reinterpret_cast<const __m256i *>(data + i + 12)));
  }
  __m256i sum = _mm256_add_epi64(_mm256_add_epi64(a, b), _mm256_add_epi64(c, d));
  alignas(32) uint64_t lanes[4];
  _mm256_store_si256(reinterpret_cast<__m256i *>(lanes), sum);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}
#endif

uint64_t sum(const uint64_t *data, size_t count) {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2"))
    return sumAVX2(data, count);
#endif
  return sumPortable(data, count);
}

} // namespace

static double measureInThisProcess(size_t bytes, int threads, int passes) {
  size_t count = bytes / sizeof(uint64_t);
  count -= count % (16 * threads);
  std::unique_ptr<uint64_t[]> raw(new uint64_t[count + 4]);
  // 32-byte alignment for the aligned loads.
  uint64_t *data =
      reinterpret_cast<uint64_t *>((reinterpret_cast<uintptr_t>(raw.get()) + 31) & ~uintptr_t(31));
  count -= 4 * threads;
  count -= count % (16 * threads);
  for (size_t i = 0; i < count; ++i)
    data[i] = i;

  double best = 0.0;
  std::atomic<uint64_t> sink{0};
  for (int pass = 0; pass < passes; ++pass) {
    size_t share = count / threads;
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&, t] { sink += sum(data + t * share, share); });
    for (std::thread &worker : workers)
      worker.join();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::max(best, static_cast<double>(share * threads * sizeof(uint64_t)) / seconds);
  }
  return sink.load() == 42 ? best * 1.0000001 : best; // keep the sums alive
}

double measureReadBandwidth(size_t bytes, int threads, int passes) {
  int pipeEnds[2];
  if (pipe(pipeEnds) != 0)
    return 0.0;
  pid_t child = fork();
  if (child < 0)
    return 0.0;
  if (child == 0) {
    close(pipeEnds[0]);
    double result = measureInThisProcess(bytes, threads, passes);
    ssize_t written = write(pipeEnds[1], &result, sizeof result);
    _exit(written == sizeof result ? 0 : 1);
  }
  close(pipeEnds[1]);
  double result = 0.0;
  if (read(pipeEnds[0], &result, sizeof result) != sizeof result)
    result = 0.0;
  close(pipeEnds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  return result;
}

} // namespace optlm::bench
