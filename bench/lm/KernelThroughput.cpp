//===- KernelThroughput.cpp - speed of each dot-product kernel ------------===//

#include "KernelThroughput.h"

#include "lm/model/Kernels.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
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
  std::printf("\n| kernels | weights | generation Gelem/s (rows in L2) | generation Gelem/s "
              "(%zu MiB from memory) | prompt (batch %d) Gelem/s |\n",
              streamedBytes >> 20, batch);
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
      // The big matrix repeats the small one: the data is realistic, and
      // only its size (not the values) decides where it is read from.
      int64_t streamedRows = static_cast<int64_t>(streamedBytes / bytesPerRow);
      std::vector<uint8_t> streamed(bytesPerRow * streamedRows);
      for (int64_t r = 0; r < streamedRows; ++r)
        std::copy_n(matrix.data() + (r % rows) * bytesPerRow, bytesPerRow,
                    streamed.data() + r * bytesPerRow);
      ActivationFormat format = activationFormat(type);
      size_t stride = activationBytes(format, cols);
      std::vector<uint8_t> activations(stride * batch);
      for (int t = 0; t < batch; ++t)
        prepareActivations(format, values.data() + t * cols, activations.data() + t * stride, cols);
      float sink = 0.0f;
      std::vector<float> out(std::max<int64_t>(streamedRows, batch));
      double cached = elementsPerSecond(0.2, [&] {
        kernels->rowsDot(type)(matrix.data(), bytesPerRow, rows, activations.data(), cols,
                               out.data());
        sink += out[rows - 1];
        return cols * rows;
      });
      double fromMemory = elementsPerSecond(0.3, [&] {
        for (int64_t r = 0; r < streamedRows; r += rowsPerCall)
          kernels->rowsDot(type)(streamed.data() + r * bytesPerRow, bytesPerRow,
                                 std::min<int64_t>(rowsPerCall, streamedRows - r),
                                 activations.data(), cols, out.data() + r);
        sink += out[streamedRows - 1];
        return cols * streamedRows;
      });
      std::vector<float> tile(static_cast<size_t>(rows) * batch);
      double prompt = elementsPerSecond(0.2, [&] {
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
}

} // namespace optlm::bench
