//===- KernelThroughput.cpp - speed of each dot-product kernel ------------===//

#include "KernelThroughput.h"

#include "lm/model/Kernels.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace optlm::bench {

using namespace optlm::lm;

static double threadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

/// Calls pass() until at least `minimum` CPU seconds have passed; returns
/// weight elements per CPU second.
template <typename Pass> double elementsPerSecond(double minimum, Pass pass) {
  int64_t elements = 0;
  double start = threadCpuSeconds(), elapsed = 0.0;
  while (elapsed < minimum) {
    elements += pass();
    elapsed = threadCpuSeconds() - start;
  }
  return static_cast<double>(elements) / elapsed / 1e9;
}

/// The best of `runs` such windows: on a shared or virtual machine one
/// window of a few tenths of a second moved 10-20% from run to run.
template <typename Pass> double bestRate(int runs, double minimum, Pass pass) {
  double best = 0.0;
  for (int run = 0; run < runs; ++run)
    best = std::max(best, elementsPerSecond(minimum, pass));
  return best;
}

void printKernelThroughput() {
  const int64_t cols = 4096;
  const int rows = 128;
  const int batch = 16;
  // Generation hands the kernels this many rows per call (InferenceSession's
  // largest chunk), and streams matrices far larger than the caches.
  const int rowsPerCall = 64;
  const size_t streamedBytes = size_t(256) << 20;
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> values(cols * batch);
  for (float &value : values)
    value = normal(rng);

  std::vector<const KernelSet *> sets = {&portableKernels()};
  if (cpuHasAVX2())
    sets.push_back(&avx2Kernels());
  if (cpuHasAVX512())
    sets.push_back(&avx512Kernels());
  if (cpuHasAMX())
    sets.push_back(&amxKernels());
  const int kRuns = 5;
  std::printf("\nBest of %d windows each:\n\n| kernels | weights | generation Gelem/s (rows "
              "in L2) | generation Gelem/s (%zu MiB from memory) | prompt (batch %d) Gelem/s |\n",
              kRuns, streamedBytes >> 20, batch);
  std::printf("|---|---|---|---|---|\n");
  for (const KernelSet *kernels : sets) {
    for (TensorType type :
         {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::Q8_0, TensorType::Q4_0,
          TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K}) {
      size_t bytesPerRow = rowBytes(type, cols);
      std::vector<uint8_t> matrix(bytesPerRow * rows);
      for (int r = 0; r < rows; ++r)
        quantizeRow(type, values.data() + (r % batch) * cols, matrix.data() + r * bytesPerRow,
                    cols);
      relayoutRows(type, WeightLayout::Natural, kernels->weightLayout(type), matrix.data(),
                   matrix.size());
      // The big matrix repeats the small one: the data is realistic, and
      // only its size (not the values) decides where it is read from.
      int64_t streamedRows = static_cast<int64_t>(streamedBytes / bytesPerRow);
      std::vector<uint8_t> streamed(bytesPerRow * streamedRows);
      for (int64_t r = 0; r < streamedRows; ++r)
        std::copy_n(matrix.data() + (r % rows) * bytesPerRow, bytesPerRow,
                    streamed.data() + r * bytesPerRow);
      ActivationFormat format = kernels->activationFormat(type);
      size_t stride = activationBytes(format, cols);
      std::vector<uint8_t> activations(stride * batch);
      for (int t = 0; t < batch; ++t)
        prepareActivations(format, values.data() + t * cols, activations.data() + t * stride, cols);
      float sink = 0.0f;
      std::vector<float> out(std::max<int64_t>(streamedRows, batch));
      double cached = bestRate(kRuns, 0.05, [&] {
        kernels->rowsDot(type)(matrix.data(), bytesPerRow, rows, activations.data(), cols,
                               out.data());
        sink += out[rows - 1];
        return cols * rows;
      });
      double fromMemory = bestRate(kRuns, 0.1, [&] {
        for (int64_t r = 0; r < streamedRows; r += rowsPerCall)
          kernels->rowsDot(type)(streamed.data() + r * bytesPerRow, bytesPerRow,
                                 std::min<int64_t>(rowsPerCall, streamedRows - r),
                                 activations.data(), cols, out.data() + r);
        sink += out[streamedRows - 1];
        return cols * streamedRows;
      });
      std::vector<float> tile(static_cast<size_t>(rows) * batch);
      double prompt = bestRate(kRuns, 0.05, [&] {
        kernels->tileDot(type)(matrix.data(), bytesPerRow, rows, activations.data(), stride, batch,
                               cols, tile.data(), rows);
        sink += tile.back();
        return cols * batch * rows;
      });
      std::printf("| %s | %s | %.1f | %.1f | %.1f |%s\n", kernelIsaName(kernels->isa),
                  std::string(traits(type).name).c_str(), cached, fromMemory, prompt,
                  sink == 12345.0f ? " " : "");
      std::fflush(stdout);
    }
  }
  printAttentionThroughput(sets);
}

/// The best rate of `kernels`' attendF16Block on one head's block of
/// `queries` at the end of `positions` cached positions (a 7B head's 128
/// dimensions, keys and values the head's own, head-major), in the calling
/// thread; `seed` makes the head's data. With `heads` > 1 the calls take
/// that many heads' caches in turn, as a model's layers do: caches too large
/// to stay in the CPU's caches between calls, read from memory.
static double attentionRate(const KernelSet &kernels, int positions, int queries, unsigned seed,
                            int heads = 1) {
  const int headDim = 128;
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> query(static_cast<size_t>(queries) * headDim), out(query.size());
  for (float &value : query)
    value = 0.1f * normal(rng);
  std::vector<float> cacheValues(static_cast<size_t>(positions) * headDim);
  for (float &value : cacheValues)
    value = normal(rng);
  const size_t headSize = cacheValues.size();
  std::vector<uint16_t> keys(headSize * heads), values(headSize * heads);
  kernels.storeF16(cacheValues.data(), keys.data(), static_cast<int>(headSize));
  std::reverse(cacheValues.begin(), cacheValues.end());
  kernels.storeF16(cacheValues.data(), values.data(), static_cast<int>(headSize));
  for (int h = 1; h < heads; ++h) {
    std::copy_n(keys.begin(), headSize, keys.begin() + h * headSize);
    std::copy_n(values.begin(), headSize, values.begin() + h * headSize);
  }
  int head = 0;
  std::vector<float> scores(attentionScratchFloats(queries, positions));
  const int firstCount = positions - queries + 1;
  // Scores and weighted values: two multiply-adds per dimension and
  // position seen, summed over the block's causal rows.
  const double macs =
      2.0 * headDim * (static_cast<double>(firstCount) * queries + queries * (queries - 1) / 2.0);
  // A call through the kernel set's pointer: nothing for the optimizer to drop.
  return bestRate(7, 0.05, [&] {
    const size_t offset = head++ % heads * headSize;
    kernels.attendF16Block(query.data(), headDim, queries, keys.data() + offset,
                           values.data() + offset, headDim, firstCount, headDim, 0.088f,
                           scores.data(), out.data(), headDim);
    return static_cast<int64_t>(macs);
  });
}

void printAttentionThroughput(const std::vector<const KernelSet *> &sets) {
  // A prompt's block as InferenceSession hands it to attendF16Block (the
  // set's prompt batch). Two threads at once, each on a head of its own, is
  // how a prompt's attention runs on two cores: the cores share caches and
  // memory, and on some machines they slow each other in this kernel.
  const bool twoThreads = std::thread::hardware_concurrency() >= 2;
  std::printf("\n| kernels | cached positions | queries a block | attention GMAC/s (best of 7) "
              "| two threads, each its own head (GMAC/s a thread, the slower) "
              "| one thread, 1 GiB of heads' caches in turn (from memory) "
              "|\n|---|---|---|---|---|---|\n");
  for (const KernelSet *kernels : sets) {
    const int queries = kernels->promptBatch;
    for (int positions : {512, 4096, 16384}) {
      const double alone = attentionRate(*kernels, positions, queries, 2);
      std::string together = "-";
      if (twoThreads) {
        double rates[2] = {0, 0};
        std::thread other([&] { rates[1] = attentionRate(*kernels, positions, queries, 3); });
        rates[0] = attentionRate(*kernels, positions, queries, 2);
        other.join();
        char text[32];
        std::snprintf(text, sizeof text, "%.1f", std::min(rates[0], rates[1]));
        together = text;
      }
      const size_t headBytes = size_t(4) * 128 * positions; // keys and values, F16
      const int heads = static_cast<int>(std::max<size_t>(2, (size_t(1) << 30) / headBytes));
      const double fromMemory = attentionRate(*kernels, positions, queries, 2, heads);
      std::printf("| %s | %d | %d | %.1f | %s | %.1f |\n", kernelIsaName(kernels->isa), positions,
                  queries, alone, together.c_str(), fromMemory);
      std::fflush(stdout);
    }
  }
}

} // namespace optlm::bench
