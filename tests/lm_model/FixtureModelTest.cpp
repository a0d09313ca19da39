//===- FixtureModelTest.cpp - models from the GGUF Llama fixture writer ---===//
//
// End to end through the file system: the project's Llama fixture writer
// writes a model file, Model::load maps it, and the session agrees with the
// reference forward pass.
//
//===----------------------------------------------------------------------===//

#include "TinyLlama.h"

#include "lm/gguf/LlamaWriter.h"
#include "lm/model/Kernels.h"
#include "lm/model/ReferenceForward.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include "gtest/gtest.h"

using namespace optlm::lm;
using namespace optlm::lm::testing;

namespace {

class TemporaryFile {
public:
  TemporaryFile() {
    std::error_code error = llvm::sys::fs::createTemporaryFile("optlm-model-test", "gguf", path);
    EXPECT_FALSE(error) << error.message();
  }
  ~TemporaryFile() { llvm::sys::fs::remove(path); }
  llvm::SmallString<128> path;
};

TEST(LmModelFixture, WrittenFileLoadsAndMatchesReference) {
  LlamaModelOptions options;
  options.shape.vocabSize = 300;
  options.shape.embeddingDim = 256;
  options.shape.layerCount = 2;
  options.shape.headCount = 8;
  options.shape.kvHeadCount = 2;
  options.shape.feedForwardDim = 768;
  options.shape.contextLength = 128;
  options.weightType = TensorType::Q4_K;
  options.seed = 5;
  TemporaryFile file;
  llvm::Error error =
      writeLlamaModel(file.path, options, byteLevelVocabulary({}, options.shape.vocabSize));
  ASSERT_FALSE(error) << llvm::toString(std::move(error));

  llvm::Expected<std::unique_ptr<Model>> model = Model::load(file.path);
  ASSERT_TRUE(!!model) << llvm::toString(model.takeError());
  const ModelConfig &config = (*model)->config();
  EXPECT_EQ(config.vocabSize, 300);
  EXPECT_EQ(config.headCount, 8);
  EXPECT_EQ(config.kvHeadCount, 2);
  EXPECT_EQ(config.contextLength, 128);
  EXPECT_FLOAT_EQ(config.ropeFreqBase, 1e6f);
  // The tokenizer's metadata is reachable through the model.
  EXPECT_TRUE((*model)->file().has("tokenizer.ggml.tokens"));
  // Read into private memory, the matrices were laid out for the best
  // kernels in place (the reference pass below reads them in that layout).
  const WeightMatrix &query = (*model)->layer(0).query;
  EXPECT_EQ(query.layout, kernelSet(KernelIsa::Best).weightLayout(TensorType::Q4_K));
  EXPECT_EQ(query.data, (*model)->file().findTensor("blk.0.attn_q.weight")->data);

  std::vector<int32_t> tokens = {1, 72, 101, 108, 108, 111, 44, 32, 119};
  auto reference = referenceForward(**model, tokens);
  ASSERT_TRUE(!!reference) << llvm::toString(reference.takeError());
  InferenceSession session(**model, 0, 2);
  auto logits = session.evaluate(tokens);
  ASSERT_TRUE(!!logits) << llvm::toString(logits.takeError());
  EXPECT_LT(relativeError(*logits, reference->back()), 3e-2);
  EXPECT_EQ(session.position(), 9);
}

} // namespace
