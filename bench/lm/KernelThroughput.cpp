//===- KernelThroughput.cpp - speed of each dot-product kernel ------------===//

#include "KernelThroughput.h"

#include "lm/model/Kernels.h"

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

void printKernelThroughput() {
  const int64_t cols = 4096;
  const int rows = 128;
  const int batch = 16;
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> values(cols * batch);
  for (float &value : values)
    value = normal(rng);

  std::vector<const KernelSet *> sets = {&portableKernels()};
  if (cpuHasAVX2())
    sets.push_back(&avx2Kernels());
  std::printf("\n| kernels | weights | generation Gelem/s | prompt (batch %d) Gelem/s |\n", batch);
  std::printf("|---|---|---|---|\n");
  for (const KernelSet *kernels : sets) {
    for (TensorType type :
         {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::Q8_0, TensorType::Q4_0,
          TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K}) {
      size_t bytesPerRow = rowBytes(type, cols);
      std::vector<uint8_t> matrix(bytesPerRow * rows);
      for (int r = 0; r < rows; ++r)
        quantizeRow(type, values.data() + (r % batch) * cols, matrix.data() + r * bytesPerRow,
                    cols);
      ActivationFormat format = activationFormat(type);
      size_t stride = activationBytes(format, cols);
      std::vector<uint8_t> activations(stride * batch);
      for (int t = 0; t < batch; ++t)
        prepareActivations(format, values.data() + t * cols, activations.data() + t * stride, cols);
      float sink = 0.0f, out[batch];
      double rates[2];
      for (int batched = 0; batched < 2; ++batched) {
        // Repeat until a measurable amount of CPU time has passed.
        int64_t elements = 0;
        double start = threadCpuSeconds(), elapsed = 0.0;
        while (elapsed < 0.2) {
          for (int r = 0; r < rows; ++r) {
            const uint8_t *row = matrix.data() + r * bytesPerRow;
            if (batched) {
              kernels->batchDot(type)(row, activations.data(), stride, batch, cols, out);
              sink += out[batch - 1];
              elements += cols * batch;
            } else {
              sink += kernels->rowDot(type)(row, activations.data(), cols);
              elements += cols;
            }
          }
          elapsed = threadCpuSeconds() - start;
        }
        rates[batched] = static_cast<double>(elements) / elapsed / 1e9;
      }
      std::printf(
          "| %s | %s | %.1f | %.1f |%s\n", kernels->isa == KernelIsa::AVX2 ? "avx2" : "portable",
          std::string(traits(type).name).c_str(), rates[0], rates[1], sink == 12345.0f ? " " : "");
    }
  }
}

} // namespace optlm::bench
