//===- GGUFTestSupport.h - build GGUF bytes by hand in tests -----*- C++ -*-===//
//
// The validation tests need files the writer refuses to produce (wrong
// versions, hostile counts, bad offsets), and the reader must be checked
// against bytes assembled independently of the writer: ByteBuilder appends
// little-endian fields one at a time.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/GGUFFile.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace optlm::lm::testing {

class ByteBuilder {
public:
  ByteBuilder &u8(uint8_t v) { return raw(&v, 1); }
  ByteBuilder &u16(uint16_t v) { return raw(&v, 2); }
  ByteBuilder &u32(uint32_t v) { return raw(&v, 4); }
  ByteBuilder &u64(uint64_t v) { return raw(&v, 8); }
  ByteBuilder &f32(float v) { return raw(&v, 4); }
  ByteBuilder &str(const std::string &s) {
    u64(s.size());
    Bytes += s;
    return *this;
  }
  ByteBuilder &text(const std::string &s) {
    Bytes += s;
    return *this;
  }
  /// GGUF header: magic, version, tensor count, metadata count.
  ByteBuilder &header(uint32_t version, uint64_t tensors, uint64_t keys) {
    return text("GGUF").u32(version).u64(tensors).u64(keys);
  }
  ByteBuilder &padTo(size_t alignment) {
    while (Bytes.size() % alignment)
      Bytes.push_back('\0');
    return *this;
  }
  ByteBuilder &zeros(size_t n) {
    Bytes.append(n, '\0');
    return *this;
  }
  const std::string &bytes() const { return Bytes; }
  size_t size() const { return Bytes.size(); }

private:
  ByteBuilder &raw(const void *p, size_t n) {
    // The tests run on little-endian hosts only (as does GGUF itself).
    Bytes.append(static_cast<const char *>(p), n);
    return *this;
  }
  std::string Bytes;
};

inline llvm::Expected<std::unique_ptr<GGUFFile>> parseBytes(llvm::StringRef bytes,
                                                            llvm::StringRef name = "test.gguf") {
  return GGUFFile::fromBuffer(llvm::MemoryBuffer::getMemBufferCopy(bytes, name));
}

/// The error message of a parse that must fail ("" if it succeeded).
inline std::string parseError(llvm::StringRef bytes) {
  auto file = parseBytes(bytes);
  if (file)
    return "";
  return llvm::toString(file.takeError());
}

} // namespace optlm::lm::testing
