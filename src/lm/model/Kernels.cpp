//===- Kernels.cpp - activation preparation and kernel dispatch -----------===//
//
// Activations are quantized like GGML's Q8_0 and Q8_K: a block's scale is
// its largest magnitude over 127 and quants round to nearest, so a weight
// type's integer dot product sees at most half a quantization step of error
// per activation.
//
//===----------------------------------------------------------------------===//

#include "lm/model/Kernels.h"
#include "lm/model/ThreadPool.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <vector>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__linux__)
#include <cpuid.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace optlm::lm {

ActivationFormat activationFormat(TensorType weightType) {
  switch (weightType) {
  case TensorType::Q4_0:
  case TensorType::Q8_0:
    return ActivationFormat::Q8x32;
  case TensorType::Q4_K:
  case TensorType::Q5_K:
  case TensorType::Q6_K:
    return ActivationFormat::Q8x256;
  case TensorType::F32:
  case TensorType::F16:
  case TensorType::BF16:
    break;
  }
  return ActivationFormat::Float;
}

int wovenQuantSource(int position) {
  int half = position / 128, pair = position % 128 / 2, byte = position % 2;
  int registerIndex = pair / 16, lane = pair / 8 % 2, inLane = pair % 8;
  int subBlock = 4 * half + inLane % 4;
  int pairInSubBlock = 8 * lane + 2 * registerIndex + inLane / 4;
  return 32 * subBlock + 2 * pairInSubBlock + byte;
}

ActivationFormat KernelSet::activationFormat(TensorType type) const {
  if (type == TensorType::Q4_K || type == TensorType::Q5_K)
    return kQuant45Activations;
  return lm::activationFormat(type);
}

WeightLayout KernelSet::weightLayout(TensorType type) const {
  if (type == TensorType::Q4_K || type == TensorType::Q5_K)
    return kQuant45Weights;
  return WeightLayout::Natural;
}

void relayoutRows(TensorType type, WeightLayout from, WeightLayout to, uint8_t *rows,
                  size_t bytes) {
  if (from == to || (type != TensorType::Q4_K && type != TensorType::Q5_K))
    return;
  if (to == WeightLayout::Woven && cpuHasAVX2())
    return weaveKQuantRowsAVX2(type, rows, bytes);
  // Position p of a woven block holds the quant of element wovenQuantSource(p).
  static const auto tables = [] {
    struct {
      uint8_t toWoven[256], toNatural[256];
    } tables;
    for (int p = 0; p < 256; ++p) {
      tables.toWoven[p] = static_cast<uint8_t>(wovenQuantSource(p));
      tables.toNatural[wovenQuantSource(p)] = static_cast<uint8_t>(p);
    }
    return tables;
  }();
  size_t blockBytes = rowBytes(type, kSuperBlock);
  int64_t elements = static_cast<int64_t>(bytes / blockBytes) * kSuperBlock;
  permuteQuants(type, rows, elements,
                to == WeightLayout::Woven ? tables.toWoven : tables.toNatural);
}

void layOutMatrices(llvm::ArrayRef<WeightMatrix *> matrices, const KernelSet &kernels,
                    llvm::function_ref<uint8_t *(const WeightMatrix &)> writable,
                    std::vector<std::unique_ptr<uint8_t[]>> &copies) {
  std::vector<WeightMatrix *> changing;
  std::vector<uint8_t *> bytes;
  for (WeightMatrix *matrix : matrices) {
    if (kernels.weightLayout(matrix->type) == matrix->layout)
      continue;
    uint8_t *own = writable(*matrix);
    if (!own) {
      own = copies.emplace_back(new uint8_t[matrix->byteSize()]).get();
      std::memcpy(own, matrix->data, matrix->byteSize());
    }
    changing.push_back(matrix);
    bytes.push_back(own);
  }
  // 5 GB/s a core with AVX2: a 7B model (3.8 GB) in under half a second on
  // two cores. The runtime's own pool, not LLVM's global executor, whose
  // threads would outlive the load in a process that forks compilers later.
  ThreadPool pool(0);
  pool.parallelFor(static_cast<int64_t>(changing.size()), 1, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      WeightMatrix &matrix = *changing[i];
      WeightLayout wanted = kernels.weightLayout(matrix.type);
      relayoutRows(matrix.type, matrix.layout, wanted, bytes[i], matrix.byteSize());
      matrix.data = bytes[i];
      matrix.layout = wanted;
    }
  });
}

void dequantizeMatrixRow(const WeightMatrix &matrix, int64_t row, float *out) {
  if (matrix.layout == WeightLayout::Natural)
    return dequantizeRow(matrix.type, matrix.row(row), out, matrix.cols);
  std::vector<uint8_t> natural(matrix.row(row), matrix.row(row) + matrix.rowBytes);
  relayoutRows(matrix.type, matrix.layout, WeightLayout::Natural, natural.data(), natural.size());
  dequantizeRow(matrix.type, natural.data(), out, matrix.cols);
}

int activationBlockSize(ActivationFormat format) {
  switch (format) {
  case ActivationFormat::Q8x32:
    return 32;
  case ActivationFormat::Q8x256:
  case ActivationFormat::Q8x256Woven:
    return 256;
  case ActivationFormat::Float:
    break;
  }
  return 1;
}

size_t activationBytes(ActivationFormat format, int64_t n) {
  switch (format) {
  case ActivationFormat::Q8x32:
    return static_cast<size_t>(n / 32) * sizeof(ActivationBlock32);
  case ActivationFormat::Q8x256:
  case ActivationFormat::Q8x256Woven:
    return static_cast<size_t>(n / 256) * sizeof(ActivationBlock256);
  case ActivationFormat::Float:
    break;
  }
  return static_cast<size_t>(n) * sizeof(float);
}

/// Quantizes `count` floats to int8 with a shared scale; returns the scale.
static float quantizeBlock(const float *x, int8_t *q, int count) {
  float maxAbs = 0.0f;
  for (int i = 0; i < count; ++i)
    maxAbs = std::max(maxAbs, std::fabs(x[i]));
  float d = maxAbs / 127.0f;
  float inverse = d != 0.0f ? 1.0f / d : 0.0f;
  for (int i = 0; i < count; ++i) {
    // Round to nearest even like lrintf, without a library call per element
    // (this loop vectorizes): adding 1.5 * 2^23 leaves round(v) in the low
    // mantissa bits, offset by 2^22, for any |v| < 2^22 (here |v| <= 127).
    float shifted = x[i] * inverse + 12582912.0f;
    int32_t bits;
    std::memcpy(&bits, &shifted, sizeof bits);
    q[i] = static_cast<int8_t>(std::clamp((bits & 0x007FFFFF) - 0x00400000, -127, 127));
  }
  return d;
}

void prepareActivations(ActivationFormat format, const float *x, void *dst, int64_t n) {
  switch (format) {
  case ActivationFormat::Float:
    std::copy(x, x + n, static_cast<float *>(dst));
    return;
  case ActivationFormat::Q8x32: {
    auto *blocks = static_cast<ActivationBlock32 *>(dst);
    for (int64_t b = 0; b < n / 32; ++b) {
      ActivationBlock32 &block = blocks[b];
      block.d = quantizeBlock(x + b * 32, block.qs, 32);
      int sum = 0;
      for (int8_t q : block.qs)
        sum += q;
      block.sum = static_cast<int16_t>(sum);
      block.unused = 0;
    }
    return;
  }
  case ActivationFormat::Q8x256:
  case ActivationFormat::Q8x256Woven: {
    static const std::array<uint8_t, 256> wovenSources = [] {
      std::array<uint8_t, 256> sources;
      for (int p = 0; p < 256; ++p)
        sources[p] = static_cast<uint8_t>(wovenQuantSource(p));
      return sources;
    }();
    const bool woven = format == ActivationFormat::Q8x256Woven;
    auto *blocks = static_cast<ActivationBlock256 *>(dst);
    for (int64_t b = 0; b < n / 256; ++b) {
      ActivationBlock256 &block = blocks[b];
      int8_t wovenFrom[256];
      int8_t *natural = woven ? wovenFrom : block.qs;
      block.d = quantizeBlock(x + b * 256, natural, 256);
      for (int g = 0; g < 16; ++g) {
        int sum = 0;
        for (int i = 0; i < 16; ++i)
          sum += natural[g * 16 + i];
        block.groupSums[g] = static_cast<int16_t>(sum);
      }
      if (woven)
        for (int p = 0; p < 256; ++p)
          block.qs[p] = natural[wovenSources[p]];
    }
    return;
  }
  }
}

RowDotFn KernelSet::rowDot(TensorType type) const {
  switch (type) {
  case TensorType::F32:
    return f32;
  case TensorType::F16:
    return f16;
  case TensorType::BF16:
    return bf16;
  case TensorType::Q8_0:
    return q8_0;
  case TensorType::Q4_0:
    return q4_0;
  case TensorType::Q4_K:
    return q4_K;
  case TensorType::Q5_K:
    return q5_K;
  case TensorType::Q6_K:
    return q6_K;
  }
  return nullptr;
}

TileDotFn KernelSet::tileDot(TensorType type) const {
  switch (type) {
  case TensorType::F32:
    return f32Tile;
  case TensorType::F16:
    return f16Tile;
  case TensorType::BF16:
    return bf16Tile;
  case TensorType::Q8_0:
    return q8_0Tile;
  case TensorType::Q4_0:
    return q4_0Tile;
  case TensorType::Q4_K:
    return q4_KTile;
  case TensorType::Q5_K:
    return q5_KTile;
  case TensorType::Q6_K:
    return q6_KTile;
  }
  return nullptr;
}

RowsDotFn KernelSet::rowsDot(TensorType type) const {
  switch (type) {
  case TensorType::F32:
    return f32Rows;
  case TensorType::F16:
    return f16Rows;
  case TensorType::BF16:
    return bf16Rows;
  case TensorType::Q8_0:
    return q8_0Rows;
  case TensorType::Q4_0:
    return q4_0Rows;
  case TensorType::Q4_K:
    return q4_KRows;
  case TensorType::Q5_K:
    return q5_KRows;
  case TensorType::Q6_K:
    return q6_KRows;
  }
  return nullptr;
}

float softmaxNumerators(float *scores, int count) {
  float maxScore = -INFINITY;
  for (int p = 0; p < count; ++p)
    maxScore = std::max(maxScore, scores[p]);
  float total = 0.0f;
  for (int p = 0; p < count; ++p) {
    scores[p] = std::exp(scores[p] - maxScore);
    total += scores[p];
  }
  return total;
}

bool cpuHasAVX2() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                          __builtin_cpu_supports("f16c");
  return has;
#else
  return false;
#endif
}

bool cpuHasAVX512() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool has =
      cpuHasAVX2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vnni");
  return has;
#else
  return false;
#endif
}

bool cpuHasAMX() {
#if (defined(__x86_64__) || defined(__i386__)) && defined(__linux__)
  static const bool has = [] {
    unsigned eax, ebx, ecx, edx;
    if (!cpuHasAVX512() || !__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
      return false;
    constexpr unsigned kTile = 1u << 24, kInt8 = 1u << 25;
    if ((edx & (kTile | kInt8)) != (kTile | kInt8))
      return false;
    // The tile data is a dynamically enabled state: a process must ask for it
    // before its first tile instruction (which would otherwise fault).
    constexpr long kRequestPermission = 0x1023, kTileData = 18;
    return syscall(SYS_arch_prctl, kRequestPermission, kTileData) == 0;
  }();
  return has;
#else
  return false;
#endif
}

bool cpuHasAMXBF16() {
#if (defined(__x86_64__) || defined(__i386__)) && defined(__linux__)
  static const bool has = [] {
    unsigned eax, ebx, ecx, edx;
    if (!cpuHasAMX() || !__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
      return false;
    constexpr unsigned kAMXBF16 = 1u << 22; // EDX
    if (!(edx & kAMXBF16) || !__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx))
      return false;
    constexpr unsigned kAVX512BF16 = 1u << 5; // subleaf 1, EAX
    return (eax & kAVX512BF16) != 0;
  }();
  return has;
#else
  return false;
#endif
}

const KernelSet &kernelSet(KernelIsa isa) {
  if (isa == KernelIsa::Portable || !cpuHasAVX2())
    return portableKernels();
  if (isa == KernelIsa::AVX2 || !cpuHasAVX512())
    return avx2Kernels();
  if (isa == KernelIsa::AVX512 || !cpuHasAMX())
    return avx512Kernels();
  return amxKernels();
}

const char *kernelIsaName(KernelIsa isa) {
  switch (isa) {
  case KernelIsa::Best:
    return "best";
  case KernelIsa::Portable:
    return "portable";
  case KernelIsa::AVX2:
    return "avx2";
  case KernelIsa::AVX512:
    return "avx512";
  case KernelIsa::AMX:
    return "amx";
  }
  return "unknown";
}

} // namespace optlm::lm
