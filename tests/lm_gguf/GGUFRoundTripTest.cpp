//===- GGUFRoundTripTest.cpp - write a GGUF file and read it back ----------===//
#include "GGUFTestSupport.h"

#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/GGUFWriter.h"
#include "testing/Testing.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <cmath>
#include <unistd.h>

using namespace optlm::lm;
using namespace optlm::lm::testing;

namespace {

std::unique_ptr<GGUFFile> readBack(const GGUFWriter &writer) {
  auto bytes = writer.writeToString();
  EXPECT_TRUE(bool(bytes)) << llvm::toString(bytes.takeError());
  EXPECT_EQ(bytes->size(), writer.fileSize());
  auto file = parseBytes(*bytes);
  EXPECT_TRUE(bool(file)) << llvm::toString(file.takeError());
  return file ? std::move(*file) : nullptr;
}

std::vector<float> ramp(size_t n, float scale) {
  std::vector<float> values(n);
  for (size_t i = 0; i < n; ++i)
    values[i] = scale * std::sin(float(i) * 0.37f);
  return values;
}

} // namespace

TEST(GGUFRoundTrip, EveryMetadataType) {
  GGUFWriter writer;
  writer.set("u8", GGUFValue(uint8_t(200)));
  writer.set("i8", GGUFValue(int8_t(-100)));
  writer.set("u16", GGUFValue(uint16_t(60000)));
  writer.set("i16", GGUFValue(int16_t(-30000)));
  writer.set("u32", GGUFValue(uint32_t(4000000000u)));
  writer.set("i32", GGUFValue(int32_t(-2000000000)));
  writer.set("f32", GGUFValue(1.5f));
  writer.set("bool", GGUFValue(true));
  writer.set("string", "héllo\nworld");
  writer.set("empty string", "");
  writer.set("u64", GGUFValue(uint64_t(1) << 63));
  writer.set("i64", GGUFValue(int64_t(-1) << 62));
  writer.set("f64", GGUFValue(-0.125));
  writer.set("strings",
             GGUFValue::array(GGUFValueType::String, std::vector<std::string>{"a", "", "<0x0A>"}));
  writer.set("floats", GGUFValue::array(GGUFValueType::Float32, std::vector<float>{1, -2, 3.5}));
  writer.set("ints", GGUFValue::array(GGUFValueType::Int32, std::vector<int32_t>{-1, 0, 7}));
  writer.set("bytes", GGUFValue::array(GGUFValueType::UInt8, std::vector<uint8_t>{1, 2, 255}));
  writer.set("empty", GGUFValue::array(GGUFValueType::Int64, std::vector<int64_t>{}));
  GGUFArray nested;
  nested.elementType = GGUFValueType::Array;
  nested.elements.push_back(GGUFValue::array(GGUFValueType::UInt16, std::vector<uint16_t>{5}));
  nested.elements.push_back(GGUFValue::array(GGUFValueType::UInt16, std::vector<uint16_t>{6, 7}));
  writer.set("nested", GGUFValue(nested));
  writer.set("replaced", GGUFValue(uint32_t(1)));
  writer.set("replaced", GGUFValue(uint32_t(2)));

  auto file = readBack(writer);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->version(), 3u);
  EXPECT_EQ(file->metadata().size(), 20u);
  EXPECT_EQ(file->metadata()[0].first, "u8");
  EXPECT_EQ(file->find("u8")->type(), GGUFValueType::UInt8);
  EXPECT_EQ(std::get<uint8_t>(file->find("u8")->data), 200);
  EXPECT_EQ(std::get<int8_t>(file->find("i8")->data), -100);
  EXPECT_EQ(std::get<uint16_t>(file->find("u16")->data), 60000);
  EXPECT_EQ(std::get<int16_t>(file->find("i16")->data), -30000);
  EXPECT_EQ(cantFail(file->getU32("u32")), 4000000000u);
  EXPECT_EQ(cantFail(file->getI32("i32")), -2000000000);
  EXPECT_EQ(cantFail(file->getF32("f32")), 1.5f);
  EXPECT_EQ(cantFail(file->getBool("bool")), true);
  EXPECT_EQ(cantFail(file->getString("string")), "héllo\nworld");
  EXPECT_EQ(cantFail(file->getString("empty string")), "");
  EXPECT_EQ(cantFail(file->getU64("u64")), uint64_t(1) << 63);
  EXPECT_EQ(std::get<int64_t>(file->find("i64")->data), int64_t(-1) << 62);
  EXPECT_EQ(cantFail(file->getF32("f64")), -0.125f);
  EXPECT_EQ(cantFail(file->getStringArray("strings")),
            (std::vector<std::string>{"a", "", "<0x0A>"}));
  EXPECT_EQ(cantFail(file->getF32Array("floats")), (std::vector<float>{1, -2, 3.5}));
  EXPECT_EQ(cantFail(file->getI32Array("ints")), (std::vector<int32_t>{-1, 0, 7}));
  EXPECT_EQ(cantFail(file->getI32Array("bytes")), (std::vector<int32_t>{1, 2, 255}));
  const GGUFArray *empty = file->find("empty")->asArray();
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->elementType, GGUFValueType::Int64);
  EXPECT_TRUE(empty->elements.empty());
  const GGUFArray *readNested = file->find("nested")->asArray();
  ASSERT_TRUE(readNested);
  ASSERT_EQ(readNested->elements.size(), 2u);
  EXPECT_EQ(std::get<uint16_t>(readNested->elements[1].asArray()->elements[1].data), 7);
  EXPECT_EQ(cantFail(file->getU32("replaced")), 2u);
  EXPECT_TRUE(file->tensors().empty());
}

TEST(GGUFRoundTrip, GettersConvertOnlyWhatFits) {
  GGUFWriter writer;
  writer.set("small", GGUFValue(uint8_t(7)));
  writer.set("negative", GGUFValue(int32_t(-1)));
  writer.set("big", GGUFValue(uint64_t(1) << 40));
  writer.set("text", "7");
  writer.set("flag", GGUFValue(false));
  writer.set("floats", GGUFValue::array(GGUFValueType::Float32, std::vector<float>{1}));
  auto file = readBack(writer);
  ASSERT_TRUE(file);
  EXPECT_EQ(cantFail(file->getU32("small")), 7u);
  EXPECT_EQ(cantFail(file->getI32("small")), 7);
  EXPECT_EQ(cantFail(file->getI32("negative")), -1);
  EXPECT_EQ(cantFail(file->getU64("big")), uint64_t(1) << 40);

  auto error = [](auto expected) {
    EXPECT_FALSE(bool(expected));
    return expected ? std::string() : llvm::toString(expected.takeError());
  };
  EXPECT_EQ(error(file->getU32("missing")), "metadata key 'missing' is missing");
  EXPECT_NE(error(file->getU32("negative"))
                .find("'negative' is i32 (-1), not an integer in the "
                      "u32 range"),
            std::string::npos);
  EXPECT_NE(error(file->getU32("big")).find("u32 range"), std::string::npos);
  EXPECT_NE(error(file->getU32("text")).find("is string"), std::string::npos);
  EXPECT_NE(error(file->getU32("flag")).find("is bool"), std::string::npos);
  EXPECT_NE(error(file->getString("small")).find("not a string"), std::string::npos);
  EXPECT_NE(error(file->getF32("small")).find("not a float"), std::string::npos);
  EXPECT_NE(error(file->getStringArray("floats")).find("array of f32"), std::string::npos);
  EXPECT_NE(error(file->getI32Array("floats")).find("integers"), std::string::npos);
  EXPECT_NE(error(file->getBool("text")).find("not a bool"), std::string::npos);

  EXPECT_EQ(file->u32Or("small"), 7u);
  EXPECT_EQ(file->u32Or("negative"), std::nullopt);
  EXPECT_EQ(file->u32Or("missing"), std::nullopt);
  EXPECT_EQ(file->stringOr("text"), llvm::StringRef("7"));
  EXPECT_EQ(file->stringOr("small"), std::nullopt);
  EXPECT_EQ(file->f32Or("small"), std::nullopt);
}

TEST(GGUFRoundTrip, EveryTensorTypeAtSeveralAlignments) {
  const TensorType types[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16,
                              TensorType::Q4_0, TensorType::Q8_0, TensorType::Q4_K,
                              TensorType::Q5_K, TensorType::Q6_K};
  for (uint64_t alignment : {1, 32, 64, 4096}) {
    GGUFWriter writer(alignment);
    std::vector<std::vector<uint8_t>> written;
    for (TensorType type : types) {
      std::vector<float> values = ramp(256 * 3, 0.5f);
      std::vector<uint8_t> bytes(rowBytes(type, 256) * 3);
      for (int row = 0; row < 3; ++row)
        quantizeRow(type, values.data() + row * 256, bytes.data() + row * rowBytes(type, 256), 256);
      std::string name = "t." + std::string(traits(type).name);
      ASSERT_FALSE(bool(writer.addTensor(name, type, {256, 3}, llvm::ArrayRef<uint8_t>(bytes))));
      written.push_back(bytes);
    }
    // A 4-dimensional tensor, and one produced row by row.
    ASSERT_FALSE(bool(writer.addTensor("four.d", TensorType::F32, {2, 3, 4, 5},
                                       llvm::ArrayRef<float>(ramp(120, 1.0f)))));
    ASSERT_FALSE(
        bool(writer.addTensor("rows", TensorType::Q8_0, {64, 10}, [](int64_t row, float *values) {
          for (int i = 0; i < 64; ++i)
            values[i] = float(row) + float(i) / 64.0f;
        })));
    auto file = readBack(writer);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->alignment(), alignment);
    EXPECT_EQ(file->dataOffset() % alignment, 0u);
    if (alignment != 32)
      EXPECT_EQ(cantFail(file->getU32("general.alignment")), alignment);
    else
      EXPECT_FALSE(file->has("general.alignment"));
    ASSERT_EQ(file->tensors().size(), std::size(types) + 2);
    for (size_t i = 0; i < std::size(types); ++i) {
      const GGUFTensor &tensor = file->tensors()[i];
      EXPECT_EQ(tensor.type, types[i]);
      EXPECT_EQ(tensor.dims, (llvm::SmallVector<int64_t, 4>{256, 3}));
      EXPECT_EQ(tensor.elementCount, 768);
      EXPECT_EQ(tensor.rowCount(), 3);
      EXPECT_EQ(tensor.offset % alignment, 0u);
      EXPECT_EQ(std::vector<uint8_t>(tensor.bytes().begin(), tensor.bytes().end()), written[i]);
      EXPECT_EQ(file->findTensor(tensor.name), &tensor);
    }
    const GGUFTensor *four = file->findTensor("four.d");
    ASSERT_TRUE(four);
    EXPECT_EQ(four->dims.size(), 4u);
    EXPECT_EQ(four->elementCount, 120);
    EXPECT_EQ(reinterpret_cast<const float *>(four->data)[119], ramp(120, 1.0f)[119]);
    const GGUFTensor *rows = file->findTensor("rows");
    ASSERT_TRUE(rows);
    float row[64];
    dequantizeRow(TensorType::Q8_0, rows->data + 9 * rows->rowByteSize(), row, 64);
    EXPECT_NEAR(row[63], 9.0f + 63.0f / 64.0f, 0.05f);
    EXPECT_EQ(file->findTensor("absent"), nullptr);
  }
}

// Both residences give the same file: mapped in place, or read into private
// memory (what a model that reads every weight per token uses).
TEST(GGUFRoundTrip, OpenMapsOrReadsAFileAndPointsIntoIt) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("gguf-roundtrip", "gguf", path));
  GGUFWriter writer;
  writer.set("general.architecture", "llama");
  // Large enough that MemoryBuffer maps the file instead of reading it.
  std::vector<float> values = ramp(64 * 1024, 1.0f);
  ASSERT_FALSE(
      bool(writer.addTensor("big", TensorType::F32, {1024, 64}, llvm::ArrayRef<float>(values))));
  ASSERT_FALSE(bool(writer.writeFile(path)));
  for (GGUFFile::Residence residence :
       {GGUFFile::Residence::Mapped, GGUFFile::Residence::Private}) {
    SCOPED_TRACE(residence == GGUFFile::Residence::Mapped ? "mapped" : "private");
    auto file = GGUFFile::open(path, residence);
    OPTLM_ASSERT_OK(file);
    const GGUFTensor *big = (*file)->findTensor("big");
    ASSERT_TRUE(big);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(big->data) % 32, 0u);
    EXPECT_EQ(std::memcmp(big->data, values.data(), values.size() * 4), 0);
    EXPECT_EQ((*file)->fileSize(), writer.fileSize());
    EXPECT_EQ((*file)->contents().size(), writer.fileSize());
  }
  // Written through a temporary file: nothing else is left beside it.
  std::error_code listError;
  for (llvm::sys::fs::directory_iterator entry(llvm::sys::path::parent_path(path), listError), end;
       entry != end && !listError; entry.increment(listError))
    EXPECT_FALSE(llvm::StringRef(entry->path()).starts_with(std::string(path) + "."))
        << entry->path();

  // A truncated file is refused either way, by the same validation.
  ASSERT_EQ(::truncate(path.c_str(), writer.fileSize() - 100), 0);
  for (GGUFFile::Residence residence :
       {GGUFFile::Residence::Mapped, GGUFFile::Residence::Private}) {
    auto truncated = GGUFFile::open(path, residence);
    ASSERT_FALSE(bool(truncated));
    EXPECT_NE(llvm::toString(truncated.takeError()).find("big"), std::string::npos);
  }
  // So is an empty one.
  ASSERT_EQ(::truncate(path.c_str(), 0), 0);
  EXPECT_FALSE(bool(GGUFFile::open(path, GGUFFile::Residence::Private)));
  llvm::sys::fs::remove(path);

  for (const char *special : {"/dev/zero", "/tmp"}) {
    for (GGUFFile::Residence residence :
         {GGUFFile::Residence::Mapped, GGUFFile::Residence::Private}) {
      auto notAFile = GGUFFile::open(special, residence);
      ASSERT_FALSE(bool(notAFile));
      EXPECT_NE(llvm::toString(notAFile.takeError()).find("not a regular file"), std::string::npos);
    }
  }

  for (GGUFFile::Residence residence :
       {GGUFFile::Residence::Mapped, GGUFFile::Residence::Private}) {
    auto missing = GGUFFile::open(path, residence);
    ASSERT_FALSE(bool(missing));
    EXPECT_NE(llvm::toString(missing.takeError()).find("No such file"), std::string::npos);
  }
}

TEST(GGUFRoundTrip, ReadsVersion2) {
  // Version 2 has version 3's layout (v3 only added big-endian files).
  ByteBuilder bytes;
  bytes.header(2, 1, 1).str("general.architecture").u32(8).str("llama");
  bytes.str("w").u32(1).u64(32).u32(0).u64(0).padTo(32);
  for (int i = 0; i < 32; ++i)
    bytes.f32(float(i));
  auto file = parseBytes(bytes.bytes());
  OPTLM_ASSERT_OK(file);
  EXPECT_EQ((*file)->version(), 2u);
  EXPECT_EQ(reinterpret_cast<const float *>((*file)->tensors()[0].data)[31], 31.0f);
}

TEST(GGUFRoundTrip, UnalignedBufferIsCopied) {
  GGUFWriter writer;
  ASSERT_FALSE(
      bool(writer.addTensor("x", TensorType::F32, {8}, llvm::ArrayRef<float>(ramp(8, 1.0f)))));
  std::string bytes = cantFail(writer.writeToString());
  std::string shifted = "x" + bytes;
  auto file = GGUFFile::fromBuffer(
      llvm::MemoryBuffer::getMemBuffer(llvm::StringRef(shifted).drop_front(1), "shifted", false));
  ASSERT_TRUE(bool(file));
  EXPECT_EQ(reinterpret_cast<uintptr_t>((*file)->tensors()[0].data) % 16, 0u);
}

TEST(GGUFRoundTrip, WriterRejectsBadTensors) {
  GGUFWriter writer;
  auto message = [](llvm::Error error) {
    EXPECT_TRUE(bool(error));
    return llvm::toString(std::move(error));
  };
  std::vector<uint8_t> bytes(34);
  EXPECT_NE(message(writer.addTensor("q", TensorType::Q8_0, {33}, llvm::ArrayRef<uint8_t>(bytes)))
                .find("not a multiple of the q8_0 block size 32"),
            std::string::npos);
  EXPECT_NE(message(writer.addTensor("q", TensorType::Q8_0, {64}, llvm::ArrayRef<uint8_t>(bytes)))
                .find("34 bytes given, its shape and type need 68"),
            std::string::npos);
  EXPECT_NE(message(writer.addTensor("z", TensorType::F32, {4, 0}, llvm::ArrayRef<uint8_t>(bytes)))
                .find("positive"),
            std::string::npos);
  EXPECT_NE(message(writer.addTensor("d", TensorType::F32, {1, 1, 1, 1, 1},
                                     llvm::ArrayRef<uint8_t>(bytes)))
                .find("5 dimensions"),
            std::string::npos);
  EXPECT_NE(message(writer.addTensor("", TensorType::F32, {1}, llvm::ArrayRef<uint8_t>(bytes)))
                .find("empty name"),
            std::string::npos);
  EXPECT_NE(message(writer.addTensor("t", TensorType(3), {32}, llvm::ArrayRef<uint8_t>(bytes)))
                .find("unsupported type"),
            std::string::npos);
  ASSERT_FALSE(
      bool(writer.addTensor("ok", TensorType::Q8_0, {32}, llvm::ArrayRef<uint8_t>(bytes))));
  EXPECT_NE(message(writer.addTensor("ok", TensorType::Q8_0, {32}, llvm::ArrayRef<uint8_t>(bytes)))
                .find("declared twice"),
            std::string::npos);

  GGUFWriter misaligned(64);
  misaligned.set("general.alignment", GGUFValue(uint32_t(32)));
  auto misalignedBytes = misaligned.writeToString();
  ASSERT_FALSE(bool(misalignedBytes));
  EXPECT_NE(llvm::toString(misalignedBytes.takeError()).find("general.alignment must be 64"),
            std::string::npos);
  GGUFWriter sameAlignment(64);
  sameAlignment.set("general.alignment", GGUFValue(uint64_t(64)));
  EXPECT_TRUE(bool(sameAlignment.writeToString()));

  GGUFArray mixed;
  mixed.elementType = GGUFValueType::UInt32;
  mixed.elements.push_back(GGUFValue(uint32_t(1)));
  mixed.elements.push_back(GGUFValue(1.0f));
  writer.set("mixed", GGUFValue(mixed));
  auto written = writer.writeToString();
  ASSERT_FALSE(bool(written));
  EXPECT_NE(llvm::toString(written.takeError()).find("'mixed'"), std::string::npos);
}
