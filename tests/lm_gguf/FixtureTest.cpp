//===- FixtureTest.cpp - the checked-in GGUF fixture -------------------------===//
//
// tests/inputs/gguf/tiny-llama-q8_0.gguf is a tiny Llama model written by
// LlamaWriter. The test regenerates it and compares bytes, so that any change
// to the file layout, the quantizer or the random weights is noticed (a
// model written yesterday must read the same today). After an intended
// change, rewrite it with OPTLM_UPDATE_FIXTURES=1.
//
//===----------------------------------------------------------------------===//
#include "GGUFTestSupport.h"

#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/GGUFWriter.h"
#include "lm/gguf/LlamaWriter.h"
#include "testing/Testing.h"

#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace optlm::lm;

namespace {

const char *kFixture = OPTLM_TEST_INPUTS "/gguf/tiny-llama-q8_0.gguf";

LlamaModelOptions fixtureOptions() {
  LlamaModelOptions options;
  options.shape.vocabSize = 264;
  options.shape.embeddingDim = 32;
  options.shape.layerCount = 1;
  options.shape.headCount = 4;
  options.shape.kvHeadCount = 2;
  options.shape.feedForwardDim = 64;
  options.shape.contextLength = 256;
  options.weightType = TensorType::Q8_0;
  options.seed = 2024;
  options.name = "optlm tiny fixture";
  return options;
}

Vocabulary fixtureVocabulary() {
  return byteLevelVocabulary({"define", " i32", "ret", " @", "\n"});
}

} // namespace

TEST(GGUFFixture, CheckedInModelMatchesTheWriter) {
  GGUFWriter writer;
  ASSERT_FALSE(bool(addLlamaModel(writer, fixtureOptions(), fixtureVocabulary())));
  std::string expected = llvm::cantFail(writer.writeToString());
  if (std::getenv("OPTLM_UPDATE_FIXTURES"))
    ASSERT_FALSE(bool(writer.writeFile(kFixture)));
  auto onDisk = GGUFFile::open(kFixture);
  OPTLM_ASSERT_OK(onDisk);
  auto fresh = optlm::lm::testing::parseBytes(expected);
  ASSERT_TRUE(bool(fresh));
  // The header (metadata, tensor infos) must match byte for byte; weights
  // are compared as values, so that a build whose floating-point code
  // contracts differently (FMA) still passes.
  const char *hint = "the writer's output changed; if intended, rerun with OPTLM_UPDATE_FIXTURES=1";
  ASSERT_EQ((*onDisk)->dataOffset(), (*fresh)->dataOffset()) << hint;
  ASSERT_EQ((*onDisk)->fileSize(), (*fresh)->fileSize()) << hint;
  auto header = [](const GGUFFile &file) { return file.contents().take_front(file.dataOffset()); };
  ASSERT_TRUE(header(**onDisk) == header(**fresh)) << hint;
  for (size_t t = 0; t < (*fresh)->tensors().size(); ++t) {
    const GGUFTensor &want = (*fresh)->tensors()[t], &have = (*onDisk)->tensors()[t];
    std::vector<float> wantRow(size_t(want.rowLength())), haveRow(wantRow.size());
    for (int64_t row = 0; row < want.rowCount(); ++row) {
      dequantizeRow(want.type, want.data + row * want.rowByteSize(), wantRow.data(),
                    want.rowLength());
      dequantizeRow(have.type, have.data + row * have.rowByteSize(), haveRow.data(),
                    have.rowLength());
      for (size_t i = 0; i < wantRow.size(); ++i)
        ASSERT_NEAR(haveRow[i], wantRow[i], 1e-3f) << want.name << " row " << row << "; " << hint;
    }
  }
}

TEST(GGUFFixture, CheckedInModelReads) {
  auto file = GGUFFile::open(kFixture);
  OPTLM_ASSERT_OK(file);
  EXPECT_EQ((*file)->version(), 3u);
  EXPECT_EQ(llvm::cantFail((*file)->getStringArray("tokenizer.ggml.tokens")).size(), 264u);
  EXPECT_EQ(llvm::cantFail((*file)->getStringArray("tokenizer.ggml.tokens"))[261], "ret");
  const GGUFTensor *k = (*file)->findTensor("blk.0.attn_k.weight");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->type, TensorType::Q8_0);
  EXPECT_EQ(k->dims, (llvm::SmallVector<int64_t, 4>{32, 16}));
}
