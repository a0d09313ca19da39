//===- GGUFFile.h - read a GGUF model file --------------------------*- C++ -*-===//
//
// A GGUF file (versions 2 and 3, little-endian) mapped into memory. Opening
// validates the whole header against the file size, so that every accessor
// afterwards is safe: metadata values are decoded into GGUFValue, tensor data
// stays in the mapping and GGUFTensor::data points straight into it.
//
// A truncated, malformed or hostile file gives an llvm::Error from open() or
// fromBuffer(); nothing in this API reads outside the buffer.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/GGUFValue.h"
#include "lm/gguf/TensorTypes.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cassert>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace optlm::lm {

/// The magic bytes at offset 0 of every GGUF file.
inline constexpr char kGGUFMagic[4] = {'G', 'G', 'U', 'F'};
/// Alignment of the tensor data when general.alignment is absent.
inline constexpr uint64_t kGGUFDefaultAlignment = 32;
/// GGML tensors have at most this many dimensions.
inline constexpr int kGGUFMaxDims = 4;
/// Limits that keep a hostile header from costing unbounded stack or memory.
/// Real files nest arrays at most once and hold a few hundred thousand
/// array elements (vocabulary and merges).
inline constexpr int kGGUFMaxArrayDepth = 8;
inline constexpr uint64_t kGGUFMaxArrayElements = uint64_t(1) << 23;
inline constexpr uint64_t kGGUFMaxAlignment = uint64_t(1) << 20;

/// One tensor of the file. Dimensions are in GGML order: dims[0] is the row
/// length (the innermost, contiguous dimension), so a weight matrix mapping
/// n inputs to m outputs has dims {n, m}.
struct GGUFTensor {
  std::string name;
  TensorType type;
  llvm::SmallVector<int64_t, kGGUFMaxDims> dims;
  int64_t elementCount = 0;
  /// Offset of the data from the start of the data section.
  uint64_t offset = 0;
  uint64_t byteSize = 0;
  /// Points into the mapping; valid as long as the GGUFFile lives.
  const uint8_t *data = nullptr;

  int64_t rowLength() const { return dims.empty() ? 1 : dims[0]; }
  int64_t rowCount() const { return rowLength() ? elementCount / rowLength() : 0; }
  size_t rowByteSize() const { return rowBytes(type, rowLength()); }
  llvm::ArrayRef<uint8_t> bytes() const { return {data, static_cast<size_t>(byteSize)}; }
};

class GGUFFile {
public:
  /// Where the file's bytes live while it is open.
  enum class Residence {
    /// The file mapped read-only: nothing is read until used, pages are
    /// shared with the page cache. For metadata and one pass over tensors.
    Mapped,
    /// Read once into private memory backed by transparent huge pages: what
    /// a model that reads every weight per token wants. Mapped 4 KiB pages
    /// of a 3.8 GB file streamed at 4-39 GB/s from pass to pass on the
    /// development machine (a virtual machine), private huge pages at 27-36;
    /// 7B generation ran 2-3.5x faster on one thread (docs/lm-runtime.md).
    Private,
  };

  /// Opens the file at path and validates it.
  static llvm::Expected<std::unique_ptr<GGUFFile>> open(llvm::StringRef path,
                                                        Residence residence = Residence::Mapped);
  /// Validates a file already in memory. The buffer's start must be at least
  /// 8-byte aligned (MemoryBuffer guarantees 16) for aligned tensor access.
  static llvm::Expected<std::unique_ptr<GGUFFile>>
  fromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer);

  uint32_t version() const { return Version; }
  uint64_t fileSize() const { return Buffer->getBufferSize(); }
  /// The whole file as mapped.
  llvm::StringRef contents() const { return Buffer->getBuffer(); }
  uint64_t alignment() const { return TheAlignment; }
  /// Offset of the tensor data section in the file.
  uint64_t dataOffset() const { return DataOffset; }

  // --- metadata ---------------------------------------------------------
  /// Every key/value pair, in file order.
  llvm::ArrayRef<std::pair<std::string, GGUFValue>> metadata() const { return Metadata; }
  /// The value of key, or nullptr.
  const GGUFValue *find(llvm::StringRef key) const;
  bool has(llvm::StringRef key) const { return find(key) != nullptr; }

  /// Typed getters. They fail with a message naming the key when it is absent
  /// or its value does not convert. Integer getters accept any integer type
  /// whose value fits (files in the wild disagree on u32 versus i32, ...);
  /// getF32 accepts f32 and f64.
  llvm::Expected<llvm::StringRef> getString(llvm::StringRef key) const;
  llvm::Expected<uint32_t> getU32(llvm::StringRef key) const;
  llvm::Expected<int32_t> getI32(llvm::StringRef key) const;
  llvm::Expected<uint64_t> getU64(llvm::StringRef key) const;
  llvm::Expected<float> getF32(llvm::StringRef key) const;
  llvm::Expected<bool> getBool(llvm::StringRef key) const;
  llvm::Expected<std::vector<std::string>> getStringArray(llvm::StringRef key) const;
  llvm::Expected<std::vector<float>> getF32Array(llvm::StringRef key) const;
  llvm::Expected<std::vector<int32_t>> getI32Array(llvm::StringRef key) const;

  /// Optional forms for keys that may be missing: nullopt when the key is
  /// absent or has a type that does not convert.
  std::optional<llvm::StringRef> stringOr(llvm::StringRef key) const;
  std::optional<uint32_t> u32Or(llvm::StringRef key) const;
  std::optional<float> f32Or(llvm::StringRef key) const;

  // --- tensors ----------------------------------------------------------
  llvm::ArrayRef<GGUFTensor> tensors() const { return Tensors; }
  const GGUFTensor *findTensor(llvm::StringRef name) const;
  /// Bytes of this file (a tensor's data) for rearranging in place, when the
  /// file was read into private memory (Residence::Private); nullptr when
  /// they are shared with the page cache or a caller's buffer.
  uint8_t *writable(const uint8_t *bytes) const {
    assert(contents().bytes_begin() <= bytes && bytes < contents().bytes_end());
    return Writable ? const_cast<uint8_t *>(bytes) : nullptr;
  }

  GGUFFile(const GGUFFile &) = delete;
  GGUFFile &operator=(const GGUFFile &) = delete;

private:
  GGUFFile() = default;
  friend class GGUFParser;

  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  bool Writable = false; ///< Buffer is this file's own private memory
  uint32_t Version = 0;
  uint64_t TheAlignment = kGGUFDefaultAlignment;
  uint64_t DataOffset = 0;
  std::vector<std::pair<std::string, GGUFValue>> Metadata;
  llvm::StringMap<size_t> MetadataIndex;
  std::vector<GGUFTensor> Tensors;
  llvm::StringMap<size_t> TensorIndex;
};

} // namespace optlm::lm
