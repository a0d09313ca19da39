//===- gguf_reader_fuzz.cpp - libFuzzer target for the GGUF reader --------===//
//
// Parses arbitrary bytes as a GGUF file and, when the reader accepts them,
// reads everything a consumer could: every metadata value through every
// typed getter, every byte of every tensor, a dequantized row of each, and
// the model summary. Under AddressSanitizer any read the validation let
// through that lies outside the buffer is a finding.
//
// The same input is also read as floats and sent through each quantizer:
// whatever the values, the blocks must decode to finite numbers; and as
// Q4_K/Q5_K blocks, whose quants rearranged and put back must be the same.
//
//===----------------------------------------------------------------------===//
#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/ModelInfo.h"
#include "lm/gguf/TensorTypes.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <vector>

using namespace optlm::lm;

namespace {

volatile uint64_t sink;

void touchMetadata(const GGUFFile &file) {
  uint64_t sum = 0;
  for (const auto &[key, value] : file.metadata()) {
    sum += value.summary().size();
    // Every getter must either convert or fail cleanly.
    auto oneLine = [](llvm::Error error) {
      if (llvm::toString(std::move(error)).find('\n') != std::string::npos)
        __builtin_trap();
    };
    if (auto v = file.getString(key))
      sum += v->size();
    else
      oneLine(v.takeError());
    if (auto v = file.getU32(key))
      sum += *v;
    else
      oneLine(v.takeError());
    if (auto v = file.getI32(key))
      sum += uint64_t(*v);
    else
      oneLine(v.takeError());
    if (auto v = file.getU64(key))
      sum += *v;
    else
      oneLine(v.takeError());
    if (auto v = file.getF32(key))
      sum += std::isnan(*v);
    else
      oneLine(v.takeError());
    if (auto v = file.getBool(key))
      sum += *v;
    else
      oneLine(v.takeError());
    if (auto v = file.getStringArray(key))
      sum += v->size();
    else
      oneLine(v.takeError());
    if (auto v = file.getF32Array(key))
      sum += v->size();
    else
      oneLine(v.takeError());
    if (auto v = file.getI32Array(key))
      sum += v->size();
    else
      oneLine(v.takeError());
  }
  sink = sum;
}

void touchTensors(const GGUFFile &file) {
  uint64_t sum = 0;
  std::vector<float> row;
  int64_t dequantizeBudget = 1 << 20; // elements, to keep each run fast
  for (const GGUFTensor &tensor : file.tensors()) {
    if (file.findTensor(tensor.name) != &tensor)
      __builtin_trap();
    const uint8_t *end = tensor.data + tensor.byteSize;
    for (const uint8_t *p = tensor.data; p < end; ++p)
      sum += *p;
    if (tensor.byteSize != uint64_t(tensor.rowCount()) * tensor.rowByteSize())
      __builtin_trap();
    int64_t rowLength = tensor.rowLength();
    if (rowLength <= dequantizeBudget) {
      dequantizeBudget -= rowLength;
      row.resize(size_t(rowLength));
      dequantizeRow(tensor.type, tensor.data, row.data(), rowLength);
      sum += std::isnan(row.back());
    }
  }
  sink = sum;
}

void checkQuantizers(const uint8_t *data, size_t size) {
  const int n = 256;
  float values[n] = {};
  std::memcpy(values, data, std::min(size, sizeof(values)));
  std::vector<uint8_t> encoded(rowBytes(TensorType::Q6_K, n) * 2);
  float decoded[n];
  for (TensorType type :
       {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K}) {
    quantizeRow(type, values, encoded.data(), n);
    dequantizeRow(type, encoded.data(), decoded, n);
    for (float v : decoded)
      if (!std::isfinite(v))
        __builtin_trap();
  }
  // Rearranging a block's quants (the kernels' weight layouts) and back
  // restores any bytes: reversing the order twice is the identity.
  uint8_t reversed[256];
  for (int p = 0; p < 256; ++p)
    reversed[p] = static_cast<uint8_t>(255 - p);
  for (TensorType type : {TensorType::Q4_K, TensorType::Q5_K}) {
    std::vector<uint8_t> block(rowBytes(type, n));
    std::memcpy(block.data(), data, std::min(size, block.size()));
    std::vector<uint8_t> twice = block;
    permuteQuants(type, twice.data(), n, reversed);
    permuteQuants(type, twice.data(), n, reversed);
    if (twice != block)
      __builtin_trap();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto buffer = llvm::MemoryBuffer::getMemBuffer(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.gguf",
      /*RequiresNullTerminator=*/false);
  auto file = GGUFFile::fromBuffer(std::move(buffer));
  if (file) {
    touchMetadata(**file);
    touchTensors(**file);
    ModelSummary summary = summarizeModel(**file);
    llvm::raw_null_ostream out;
    printModelSummary(out, summary, **file, true);
    printModelSummaryJson(out, summary, **file, true);
  } else {
    // Errors are one non-empty line, whatever the input.
    std::string message = llvm::toString(file.takeError());
    if (message.empty() || message.find('\n') != std::string::npos)
      __builtin_trap();
  }
  checkQuantizers(data, size);
  return 0;
}
