//===- GGUFValidationTest.cpp - malformed and hostile GGUF files -----------===//
#include "GGUFTestSupport.h"

#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/GGUFWriter.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

using namespace optlm::lm;
using namespace optlm::lm::testing;

namespace {

/// A small valid file: every kind of metadata, three tensors, the last one
/// ending exactly at the end of the file.
std::string smallValidFile() {
  GGUFWriter writer;
  writer.set("general.architecture", "llama");
  writer.set("n", GGUFValue(uint32_t(3)));
  writer.set("x", GGUFValue(2.5));
  writer.set("flag", GGUFValue(true));
  writer.set("tokens",
             GGUFValue::array(GGUFValueType::String, std::vector<std::string>{"<s>", "a", "bc"}));
  GGUFArray nested;
  nested.elementType = GGUFValueType::Array;
  nested.elements.push_back(GGUFValue::array(GGUFValueType::Int8, std::vector<int8_t>{1, 2}));
  writer.set("nested", GGUFValue(nested));
  std::vector<float> values(64, 0.25f);
  cantFail(
      writer.addTensor("a", TensorType::F32, {8, 2}, llvm::ArrayRef<float>(values).take_front(16)));
  cantFail(writer.addTensor("b", TensorType::Q8_0, {32, 2}, llvm::ArrayRef<float>(values)));
  cantFail(
      writer.addTensor("c", TensorType::F16, {4}, llvm::ArrayRef<float>(values).take_front(4)));
  return cantFail(writer.writeToString());
}

/// Reads everything a consumer could touch, so that a file that parses but
/// lied about a size shows up under the sanitizers.
uint64_t touchEverything(const GGUFFile &file) {
  uint64_t sum = 0;
  for (const auto &[key, value] : file.metadata())
    sum += key.size() + value.summary().size();
  for (const GGUFTensor &tensor : file.tensors())
    for (uint8_t byte : tensor.bytes())
      sum += byte;
  return sum;
}

/// The header of a one-tensor file up to (not including) the tensor info.
ByteBuilder oneTensorHeader() {
  ByteBuilder bytes;
  bytes.header(3, 1, 0);
  return bytes;
}

void expectError(const std::string &bytes, const std::string &fragment) {
  std::string message = parseError(bytes);
  EXPECT_NE(message, "") << "expected an error containing: " << fragment;
  EXPECT_NE(message.find(fragment), std::string::npos) << message;
}

} // namespace

TEST(GGUFValidation, SmallValidFileParses) {
  std::string bytes = smallValidFile();
  auto file = parseBytes(bytes);
  OPTLM_ASSERT_OK(file);
  EXPECT_EQ((*file)->tensors().size(), 3u);
  EXPECT_GT(touchEverything(**file), 0u);
}

TEST(GGUFValidation, EveryTruncationIsAnError) {
  std::string bytes = smallValidFile();
  for (size_t length = 0; length < bytes.size(); ++length) {
    auto file = parseBytes(llvm::StringRef(bytes).take_front(length));
    ASSERT_FALSE(bool(file)) << "a file truncated to " << length << " of " << bytes.size()
                             << " bytes was accepted";
    std::string message = llvm::toString(file.takeError());
    ASSERT_NE(message.find("test.gguf: "), std::string::npos) << message;
  }
}

TEST(GGUFValidation, RandomCorruptionNeverCrashes) {
  // A bounded in-test fuzz: flip, overwrite or insert bytes at seeded random
  // positions; every result either fails cleanly or is fully readable.
  std::string valid = smallValidFile();
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  int accepted = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string bytes = valid;
    for (int edits = 1 + next() % 3; edits > 0; --edits) {
      size_t at = next() % bytes.size();
      switch (next() % 4) {
      case 0:
        bytes[at] ^= char(1 << (next() % 8));
        break;
      case 1:
        bytes[at] = char(next());
        break;
      case 2:
        bytes[at] = char(0xff);
        break;
      case 3:
        bytes.resize(at);
        break;
      }
      if (bytes.empty())
        break;
    }
    auto file = parseBytes(bytes);
    if (file) {
      ++accepted;
      touchEverything(**file);
    } else {
      llvm::consumeError(file.takeError());
    }
  }
  // Flips inside tensor data or string contents keep the file valid.
  EXPECT_GT(accepted, 0);
}

TEST(GGUFValidation, MagicAndVersion) {
  expectError("", "magic bytes 'GGUF' are missing");
  expectError("GGU", "magic bytes");
  expectError(ByteBuilder().text("GGML").u32(3).u64(0).u64(0).bytes(), "not a GGUF file");
  expectError("GGUF", "file truncated: version needs 4 bytes, 0 left");
  expectError(ByteBuilder().text("GGUF").u32(1).u32(0).u32(0).bytes(),
              "GGUF version 1 is not supported");
  expectError(ByteBuilder().header(4, 0, 0).bytes(), "unsupported GGUF version 4");
  expectError(ByteBuilder().header(0, 0, 0).bytes(), "unsupported GGUF version 0");
  expectError(ByteBuilder().text("GGUF").u32(0x03000000).u64(0).u64(0).bytes(),
              "big-endian GGUF files are not supported");
  // An empty but valid file: no tensors, no metadata.
  EXPECT_EQ(parseError(ByteBuilder().header(3, 0, 0).bytes()), "");
}

TEST(GGUFValidation, CountsBeyondWhatTheFileCanHold) {
  expectError(ByteBuilder().header(3, 0, uint64_t(-1)).bytes(), "metadata entries cannot fit");
  expectError(ByteBuilder().header(3, uint64_t(1) << 60, 0).bytes(), "tensors cannot fit");
  expectError(ByteBuilder().header(3, 0, 1).str("k").u32(8).u64(uint64_t(-1)).bytes(),
              "string length 18446744073709551615 exceeds");
  expectError(ByteBuilder().header(3, 0, 1).u64(1000).text("k").zeros(20).bytes(),
              "metadata key: string length 1000 exceeds");
  expectError(ByteBuilder().header(3, 0, 1).str("k").u32(9).u32(4).u64(1000000).u32(1).bytes(),
              "array of 1000000 u32 elements cannot fit");
  expectError(ByteBuilder().header(3, 0, 1).str("k").u32(9).u32(8).u64(uint64_t(1) << 62).bytes(),
              "cannot fit");
  expectError(ByteBuilder().header(3, 1, 0).str("a-rather-long-tensor-name").u32(1).bytes(),
              "file truncated: a-rather-long-tensor-name needs 8 bytes, 0 left");
}

TEST(GGUFValidation, MetadataValues) {
  expectError(ByteBuilder().header(3, 0, 1).str("k").u32(13).u32(0).bytes(),
              "key 'k' has unknown value type 13");
  expectError(ByteBuilder().header(3, 0, 1).str("k").u32(9).u32(77).u64(0).bytes(),
              "key 'k': unknown array element type 77");
  expectError(ByteBuilder().header(3, 0, 1).str("k").u32(7).u8(2).bytes(),
              "bool value 2 is neither 0 nor 1");
  expectError(ByteBuilder().header(3, 0, 1).str("").u32(0).u8(0).bytes(), "empty key");
  // Names from the file are escaped and shortened: one line, whatever the bytes.
  std::string message = parseError(
      ByteBuilder().header(3, 0, 1).str("line\nbreak" + std::string(1000, 'k')).u32(99).bytes());
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_NE(message.find("key 'line\\x0abreakkkk"), std::string::npos) << message;
  EXPECT_LT(message.size(), 500u);
  expectError(ByteBuilder().header(3, 0, 2).str("k").u32(0).u8(0).str("k").u32(0).u8(1).bytes(),
              "duplicate metadata key 'k'");
  // Arrays of arrays nested past the limit would otherwise recurse without end.
  ByteBuilder deep;
  deep.header(3, 0, 1).str("deep").u32(9);
  for (int level = 0; level < 100; ++level)
    deep.u32(9).u64(1);
  deep.u32(0).u64(0);
  expectError(deep.bytes(), "arrays nested deeper than 8");
  // Nesting within the limit is fine.
  ByteBuilder shallow;
  shallow.header(3, 0, 1).str("shallow").u32(9).u32(9).u64(1).u32(0).u64(2).u8(1).u8(2);
  EXPECT_EQ(parseError(shallow.bytes()), "");
}

TEST(GGUFValidation, Alignment) {
  auto withAlignment = [](uint32_t value) {
    return ByteBuilder().header(3, 0, 1).str("general.alignment").u32(4).u32(value).bytes();
  };
  expectError(withAlignment(0), "general.alignment 0 is not a power of two");
  expectError(withAlignment(48), "general.alignment 48 is not a power of two");
  expectError(withAlignment(1u << 30), "is not a power of two up to");
  expectError(ByteBuilder().header(3, 0, 1).str("general.alignment").u32(8).str("32").bytes(),
              "general.alignment must be an unsigned integer");
  EXPECT_EQ(parseError(withAlignment(64)), "");
}

TEST(GGUFValidation, TensorInfos) {
  auto tensor = [](const std::string &name, std::vector<uint64_t> dims, uint32_t type,
                   uint64_t offset) {
    ByteBuilder bytes;
    bytes.header(3, 1, 0).str(name).u32(uint32_t(dims.size()));
    for (uint64_t dim : dims)
      bytes.u64(dim);
    bytes.u32(type).u64(offset).padTo(32).zeros(4096);
    return bytes.bytes();
  };
  EXPECT_EQ(parseError(tensor("ok", {32, 4}, 0, 0)), "");
  expectError(tensor("", {32}, 0, 0), "empty name");
  expectError(tensor("t", {}, 0, 0), "tensor 't' has 0 dimensions (1 to 4 allowed)");
  expectError(tensor("t", {1, 1, 1, 1, 1}, 0, 0), "has 5 dimensions");
  expectError(tensor("t", {32, 0}, 0, 0), "dimension 1 of size 0");
  expectError(tensor("t", {uint64_t(1) << 63}, 0, 0), "dimension 0 of size");
  expectError(tensor("t", {uint64_t(1) << 32, uint64_t(1) << 32}, 0, 0), "element count overflows");
  expectError(tensor("t", {32}, 3, 0),
              "tensor 't' has type 3 (q4_1), which optlm does not support");
  expectError(tensor("t", {32}, 99, 0), "type 99 (unknown)");
  expectError(tensor("t", {33}, 8, 0), "row length 33 is not a multiple of the q8_0 block size 32");
  expectError(tensor("t", {128}, 12, 0), "not a multiple of the q4_K block size 256");
  expectError(tensor("t", {32}, 0, 16), "data offset 16 is not a multiple of the alignment 32");
  expectError(tensor("t", {32}, 0, 4096), "lies outside the 4096-byte data section");
  expectError(tensor("t", {2048}, 0, 0), "lies outside");
  expectError(tensor("t", {32}, 0, uint64_t(-32)), "lies outside");
  // Byte sizes that would overflow 64 bits: 2^62 f32 elements.
  expectError(tensor("t", {uint64_t(1) << 31, uint64_t(1) << 31}, 0, 0), "");

  ByteBuilder twice;
  twice.header(3, 2, 0);
  for (int i = 0; i < 2; ++i)
    twice.str("same").u32(1).u64(8).u32(0).u64(0);
  twice.padTo(32).zeros(32);
  expectError(twice.bytes(), "duplicate tensor name 'same'");
}

TEST(GGUFValidation, DataSectionMustExistForTensors) {
  ByteBuilder bytes;
  bytes.header(3, 1, 0).str("t").u32(1).u64(8).u32(0).u64(0);
  // The header ends before the aligned start of the data section.
  expectError(bytes.bytes(), "file truncated: the data section would start at byte 64");
}
