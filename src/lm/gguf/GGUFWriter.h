//===- GGUFWriter.h - write a GGUF v3 file -------------------------*- C++ -*-===//
//
// Builds a GGUF version 3 file: metadata of every type, then tensors of any
// supported type at the chosen alignment. Tensor contents are either given
// up front or produced row by row while the file is written, so a model of
// many gigabytes streams to disk without ever being held in memory.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/GGUFValue.h"
#include "lm/gguf/TensorTypes.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <string>
#include <vector>

namespace optlm::lm {

class GGUFWriter {
public:
  /// Fills one row of float values (rowLength of them) for row index row;
  /// the writer converts it to the tensor's type.
  using RowFiller = std::function<void(int64_t row, float *values)>;

  /// alignment must be a power of two (otherwise the default is used);
  /// anything but the default is recorded as general.alignment, which
  /// set() must not change.
  explicit GGUFWriter(uint64_t alignment = kGGUFDefaultAlignment);

  /// Sets a metadata value, replacing an earlier one with the same key (which
  /// keeps its place in the file order).
  void set(llvm::StringRef key, GGUFValue value);

  /// A tensor whose encoded bytes are given now (copied). dims are in GGML
  /// order (dims[0] is the row length).
  llvm::Error addTensor(llvm::StringRef name, TensorType type, llvm::ArrayRef<int64_t> dims,
                        llvm::ArrayRef<uint8_t> bytes);
  /// A tensor given as floats, converted to type with quantizeRow.
  llvm::Error addTensor(llvm::StringRef name, TensorType type, llvm::ArrayRef<int64_t> dims,
                        llvm::ArrayRef<float> values);
  /// A tensor whose rows are produced while the file is written, in order.
  llvm::Error addTensor(llvm::StringRef name, TensorType type, llvm::ArrayRef<int64_t> dims,
                        RowFiller fill);

  /// Writes the file (to a temporary next to path, renamed into place when
  /// complete, so a failed write leaves no partial model behind).
  llvm::Error writeFile(llvm::StringRef path) const;
  /// The whole file in memory (for tests and small fixtures).
  llvm::Expected<std::string> writeToString() const;
  /// Writes the file to a stream. Fails, before writing anything, when a
  /// metadata array holds an element of another type than its elementType.
  llvm::Error write(llvm::raw_ostream &out) const;

  /// Bytes the file will take.
  uint64_t fileSize() const;

private:
  struct PendingTensor {
    std::string name;
    TensorType type;
    llvm::SmallVector<int64_t, kGGUFMaxDims> dims;
    uint64_t byteSize = 0;
    uint64_t offset = 0;
    std::vector<uint8_t> bytes; // when given up front
    RowFiller fill;             // when produced on write
  };

  llvm::Expected<PendingTensor> declare(llvm::StringRef name, TensorType type,
                                        llvm::ArrayRef<int64_t> dims);
  llvm::Error validate() const;
  void writeHeader(llvm::raw_ostream &out) const;
  uint64_t headerSize() const;

  uint64_t TheAlignment;
  std::vector<std::pair<std::string, GGUFValue>> Metadata;
  std::vector<PendingTensor> Tensors;
  uint64_t DataSize = 0;
};

} // namespace optlm::lm
