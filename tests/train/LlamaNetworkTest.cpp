//===- LlamaNetworkTest.cpp - the libtorch Llama against optlm's runtime --===//
//
// The network's forward pass must be the runtime's: an exported model's
// logits (the plain reference forward and the fast path) equal the
// network's own, which pins the layout, the rotary convention (adjacent
// pairs), grouped-query attention, the norms and SwiGLU at once.
//
//===----------------------------------------------------------------------===//
#include "TrainTestSupport.h"

#include "train/Export.h"
#include "train/InitialWeights.h"

#include "lm/generate/Tokenizer.h"
#include "lm/model/Kernels.h"
#include "lm/model/Model.h"
#include "lm/model/ReferenceForward.h"
#include "testing/Testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

using namespace optlm;
using namespace optlm::train;
using namespace optlm::train::testing;

namespace {

std::unique_ptr<LlamaNetwork> createOk(const lm::LlamaShape &shape, uint64_t seed) {
  auto network = LlamaNetwork::create(shape, seed);
  EXPECT_TRUE(static_cast<bool>(network)) << llvm::toString(network.takeError());
  return network ? std::move(*network) : nullptr;
}

std::vector<int32_t> someTokens(int count, int vocab) {
  std::vector<int32_t> tokens;
  for (int i = 0; i < count; ++i)
    tokens.push_back((i * 37 + 11) % vocab);
  return tokens;
}

/// A batch of one row predicting the next token everywhere.
TokenBatch wholeSequence(llvm::ArrayRef<int32_t> tokens) {
  TokenBatch batch;
  batch.rows = 1;
  batch.columns = static_cast<int64_t>(tokens.size()) - 1;
  batch.tokens.assign(tokens.begin(), tokens.end() - 1);
  batch.targets.assign(tokens.begin() + 1, tokens.end());
  return batch;
}

/// A network moved away from its initialization (norms no longer 1, so an
/// export that dropped them would show), by a few steps on a sequence.
std::unique_ptr<LlamaNetwork> trainedNetwork() {
  auto network = createOk(tinyShape(), 3);
  network->setThreads(1);
  TokenBatch batch = wholeSequence(someTokens(40, tinyShape().vocabSize));
  for (int step = 0; step < 5; ++step) {
    auto loss = network->trainStep(batch, 1e-2f);
    EXPECT_TRUE(static_cast<bool>(loss)) << llvm::toString(loss.takeError());
  }
  return network;
}

std::unique_ptr<lm::Model> exportAndLoad(const LlamaNetwork &network, lm::TensorType type) {
  std::string path = optlm::testing::folderUntilExit().file("model.gguf");
  ExportOptions options;
  options.type = type;
  llvm::Error error = exportGGUF(network, byteVocabulary(network.shape().vocabSize), path, options);
  EXPECT_FALSE(static_cast<bool>(error)) << llvm::toString(std::move(error));
  auto model = lm::Model::load(path);
  EXPECT_TRUE(static_cast<bool>(model)) << llvm::toString(model.takeError());
  return model ? std::move(*model) : nullptr;
}

TEST(TrainLlamaNetwork, SameSeedSameWeights) {
  auto a = createOk(tinyShape(), 5), b = createOk(tinyShape(), 5), c = createOk(tinyShape(), 6);
  EXPECT_TRUE(sameWeights(*a, *b));
  EXPECT_FALSE(sameWeights(*a, *c));
  EXPECT_EQ(a->parameterCount(), tinyShape().parameterCount());
}

TEST(TrainLlamaNetwork, RejectsBadShapesAndBatches) {
  lm::LlamaShape shape = tinyShape();
  shape.kvHeadCount = 3;
  auto bad = LlamaNetwork::create(shape, 0);
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_THAT(llvm::toString(bad.takeError()), ::testing::HasSubstr("kv heads"));
  auto network = createOk(tinyShape(), 0);
  TokenBatch batch = wholeSequence({1, 2, 3});
  batch.tokens[0] = 100000;
  auto loss = network->trainStep(batch, 1e-3f);
  ASSERT_FALSE(static_cast<bool>(loss));
  EXPECT_THAT(llvm::toString(loss.takeError()), ::testing::HasSubstr("outside the vocabulary"));
  auto tooLong = network->logits(someTokens(65, 320));
  ASSERT_FALSE(static_cast<bool>(tooLong));
  EXPECT_THAT(llvm::toString(tooLong.takeError()), ::testing::HasSubstr("context"));
}

// The loss is the mean cross-entropy of the targets only, computed from the
// logits, and a position cannot see later tokens.
TEST(TrainLlamaNetwork, LossIsOnTargetsOnlyAndCausal) {
  auto network = trainedNetwork();
  std::vector<int32_t> tokens = someTokens(12, 320);
  auto logits = network->logits(tokens);
  OPTLM_ASSERT_OK(logits);
  TokenBatch batch = wholeSequence(tokens);
  std::fill(batch.targets.begin(), batch.targets.begin() + 6, TokenBatch::kNoTarget);
  batch.targets[8] = TokenBatch::kNoTarget;
  double expected = 0;
  int count = 0;
  for (int p = 0; p < batch.columns; ++p) {
    if (batch.targets[p] == TokenBatch::kNoTarget)
      continue;
    const float *row = logits->data() + p * 320;
    double maximum = *std::max_element(row, row + 320), sum = 0;
    for (int v = 0; v < 320; ++v)
      sum += std::exp(double(row[v]) - maximum);
    expected += maximum + std::log(sum) - row[batch.targets[p]];
    ++count;
  }
  auto loss = network->evaluate(batch);
  OPTLM_ASSERT_OK(loss);
  EXPECT_EQ(loss->second, count);
  EXPECT_NEAR(loss->first, expected, 1e-4 * std::abs(expected));

  // Changing the last input token changes no logits before it.
  std::vector<int32_t> changed = tokens;
  changed.back() = (changed.back() + 1) % 320;
  auto changedLogits = network->logits(changed);
  ASSERT_TRUE(static_cast<bool>(changedLogits));
  size_t before = (tokens.size() - 1) * 320;
  EXPECT_TRUE(std::equal(logits->begin(), logits->begin() + before, changedLogits->begin()));
  EXPECT_FALSE(
      std::equal(logits->begin() + before, logits->end(), changedLogits->begin() + before));
}

TEST(TrainLlamaNetwork, StepsLowerTheLoss) {
  auto network = createOk(tinyShape(), 1);
  network->setThreads(1);
  TokenBatch batch = wholeSequence(someTokens(30, 320));
  auto first = network->trainStep(batch, 3e-3f);
  ASSERT_TRUE(static_cast<bool>(first));
  float last = *first;
  for (int step = 0; step < 30; ++step)
    last = *network->trainStep(batch, 3e-3f);
  EXPECT_NEAR(*first, std::log(320.0), 0.1); // an untrained model is uniform
  EXPECT_LT(last, *first * 0.5);
  EXPECT_EQ(network->steps(), 31);
}

// F32 export: the runtime's plain reference forward gives the network's
// logits at every position, to float rounding.
TEST(TrainLlamaNetwork, ExportedModelGivesTheNetworksLogits) {
  auto network = trainedNetwork();
  auto model = exportAndLoad(*network, lm::TensorType::F32);
  ASSERT_TRUE(model);
  std::vector<int32_t> tokens = someTokens(20, 320);
  auto expected = network->logits(tokens);
  ASSERT_TRUE(static_cast<bool>(expected));
  auto reference = lm::referenceForward(*model, tokens);
  OPTLM_ASSERT_OK(reference);
  double worst = 0;
  for (size_t p = 0; p < tokens.size(); ++p) {
    llvm::ArrayRef<float> row(expected->data() + p * 320, 320);
    worst = std::max(worst, relativeRms((*reference)[p], row));
  }
  std::printf("[ measured ] F32 reference forward vs libtorch: %.2e\n", worst);
  EXPECT_LT(worst, 1e-5);

  // The fast path (batched prompt, F16 KV cache) at the last position.
  auto session = lm::InferenceSession(*model, 0, 1);
  auto fast = session.evaluate(tokens);
  ASSERT_TRUE(static_cast<bool>(fast));
  llvm::ArrayRef<float> last(expected->data() + (tokens.size() - 1) * 320, 320);
  double error = relativeRms(*fast, last);
  std::printf("[ measured ] F32 fast path (F16 KV cache) vs libtorch: %.2e\n", error);
  EXPECT_LT(error, 5e-3);
}

// A row so long that one head's float scores (2,900² positions: 33.6 MB)
// exceed what the CPU pass computes at once takes its heads one at a time
// (TorchLlamaNetwork.cpp, kScoresBytesAtOnce); shorter rows take them
// together. Either way the logits are the runtime's, grouped-query heads
// reading their own KV head.
TEST(TrainLlamaNetwork, LongRowsTakeTheirHeadsInTurnWithTheSameLogits) {
  lm::LlamaShape shape = tinyShape();
  shape.contextLength = 2900;
  auto network = createOk(shape, 3);
  network->setThreads(1);
  auto model = exportAndLoad(*network, lm::TensorType::F32);
  ASSERT_TRUE(model);
  std::vector<int32_t> tokens = someTokens(2900, shape.vocabSize);
  auto expected = network->logits(tokens);
  ASSERT_TRUE(static_cast<bool>(expected));
  auto reference = lm::referenceForward(*model, tokens);
  OPTLM_ASSERT_OK(reference);
  double worst = 0;
  for (size_t p = 0; p < tokens.size(); p += 97) {
    llvm::ArrayRef<float> row(expected->data() + p * shape.vocabSize, shape.vocabSize);
    worst = std::max(worst, relativeRms((*reference)[p], row));
  }
  EXPECT_LT(worst, 1e-5);
}

// F16 and Q8_0 export: the runtime's fast path within the bounds of
// docs/lm-runtime.md for those types.
TEST(TrainLlamaNetwork, QuantizedExportsStayClose) {
  auto network = trainedNetwork();
  std::vector<int32_t> tokens = someTokens(20, 320);
  auto expected = network->logits(tokens);
  ASSERT_TRUE(static_cast<bool>(expected));
  llvm::ArrayRef<float> last(expected->data() + (tokens.size() - 1) * 320, 320);
  for (auto [type, bound] :
       {std::pair{lm::TensorType::F16, 5e-3}, std::pair{lm::TensorType::Q8_0, 3e-2}}) {
    auto model = exportAndLoad(*network, type);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->layer(0).query.type, type);
    lm::InferenceSession session(*model, 0, 1);
    auto fast = session.evaluate(tokens);
    OPTLM_ASSERT_OK(fast);
    double error = relativeRms(*fast, last);
    std::printf("[ measured ] %s fast path vs libtorch: %.2e\n",
                std::string(lm::tensorTypeTraits(uint32_t(type))->name).c_str(), error);
    EXPECT_LT(error, bound);
  }
}

TEST(TrainLlamaNetwork, SaveAndLoadRestoreEverything) {
  auto a = createOk(tinyShape(), 9);
  a->setThreads(1);
  TokenBatch batch = wholeSequence(someTokens(30, 320));
  for (int step = 0; step < 3; ++step)
    ASSERT_TRUE(static_cast<bool>(a->trainStep(batch, 1e-3f)));
  optlm::testing::TemporaryFolder scratch;
  const std::string &directory = scratch.path();
  llvm::Error saved = a->save(directory);
  ASSERT_FALSE(static_cast<bool>(saved)) << llvm::toString(std::move(saved));
  auto b = createOk(tinyShape(), 10); // other initial weights, no optimizer state
  llvm::Error loaded = b->load(directory);
  ASSERT_FALSE(static_cast<bool>(loaded)) << llvm::toString(std::move(loaded));
  EXPECT_TRUE(sameWeights(*a, *b));
  EXPECT_EQ(b->steps(), 3);
  // The optimizer's moments came along: the next steps agree bit for bit.
  for (int step = 0; step < 3; ++step) {
    ASSERT_TRUE(static_cast<bool>(a->trainStep(batch, 1e-3f)));
    ASSERT_TRUE(static_cast<bool>(b->trainStep(batch, 1e-3f)));
  }
  EXPECT_TRUE(sameWeights(*a, *b));

  lm::LlamaShape other = tinyShape();
  other.feedForwardDim = 192;
  auto c = createOk(other, 9);
  llvm::Error mismatch = c->load(directory);
  ASSERT_TRUE(static_cast<bool>(mismatch));
  EXPECT_THAT(llvm::toString(std::move(mismatch)), ::testing::HasSubstr("shape"));
}

} // namespace

namespace {

// Fine-tuning starts a network from an exported model's weights: a network
// of another seed takes them and computes the same logits; a name the
// network does not have or a wrong element count is an error, not a crash.
TEST(TrainLlamaNetwork, WeightsFromAnExportedModelGiveItsLogits) {
  auto trained = trainedNetwork();
  optlm::testing::TemporaryFolder scratch;
  std::string path = scratch.file("model.gguf");
  ExportOptions options;
  options.type = lm::TensorType::F32;
  llvm::Error exported =
      exportGGUF(*trained, byteVocabulary(trained->shape().vocabSize), path, options);
  ASSERT_FALSE(static_cast<bool>(exported)) << llvm::toString(std::move(exported));
  auto initial = InitialWeights::open(path);
  OPTLM_ASSERT_OK(initial);
  EXPECT_EQ(initial->shape().embeddingDim, tinyShape().embeddingDim);

  auto fresh = createOk(initial->shape(), 99);
  ASSERT_TRUE(fresh);
  fresh->setThreads(1);
  llvm::Error copied = initial->copyInto(*fresh);
  ASSERT_FALSE(static_cast<bool>(copied)) << llvm::toString(std::move(copied));
  std::vector<int32_t> tokens = someTokens(12, tinyShape().vocabSize);
  auto expected = trained->logits(tokens), actual = fresh->logits(tokens);
  ASSERT_TRUE(static_cast<bool>(expected) && static_cast<bool>(actual));
  EXPECT_EQ(*expected, *actual);

  llvm::Error unknown = fresh->setWeights("no.such.weight", {1.0f});
  EXPECT_THAT(llvm::toString(std::move(unknown)), ::testing::HasSubstr("no tensor named"));
  llvm::Error short_ = fresh->setWeights("output_norm.weight", {1.0f});
  EXPECT_THAT(llvm::toString(std::move(short_)), ::testing::HasSubstr("1 values for a tensor of"));
}

} // namespace

namespace {

/// Three rows of different lengths, right-padded, with prompt positions
/// that have no target: the shapes a training batch takes.
TokenBatch raggedBatch() {
  TokenBatch batch;
  batch.rows = 3;
  batch.columns = 24;
  const int lengths[] = {24, 9, 17};
  for (int row = 0; row < 3; ++row) {
    std::vector<int32_t> tokens = someTokens(lengths[row] + 1 + row, 320);
    tokens.erase(tokens.begin(), tokens.begin() + row); // rows differ
    for (int c = 0; c < batch.columns; ++c) {
      bool inside = c < lengths[row];
      batch.tokens.push_back(inside ? tokens[c] : 0);
      batch.targets.push_back(inside && c >= 4 ? tokens[c + 1] : TokenBatch::kNoTarget);
      batch.positions += inside;
    }
  }
  return batch;
}

std::unique_ptr<LlamaNetwork> createWith(const ComputeSettings &compute, uint64_t seed) {
  auto network = LlamaNetwork::create(tinyShape(), seed, {}, compute);
  EXPECT_TRUE(static_cast<bool>(network)) << llvm::toString(network.takeError());
  if (!network)
    return nullptr;
  (*network)->setThreads(1);
  return std::move(*network);
}

/// Largest relative difference of two networks' weights, tensor by tensor.
double weightDifference(const LlamaNetwork &a, const LlamaNetwork &b) {
  auto left = a.weights(), right = b.weights();
  double worst = 0;
  for (size_t i = 0; i < left.size(); ++i)
    worst = std::max(worst, relativeRms({left[i].data, size_t(left[i].elementCount())},
                                        {right[i].data, size_t(right[i].elementCount())}));
  return worst;
}

/// The summed losses of the ragged batch's targets under two networks.
std::pair<double, double> raggedLosses(const LlamaNetwork &reference, const LlamaNetwork &other) {
  TokenBatch batch = raggedBatch();
  double nan = std::nan("");
  auto a = reference.evaluate(batch);
  if (!a) {
    ADD_FAILURE() << llvm::toString(a.takeError());
    return {nan, nan};
  }
  auto b = other.evaluate(batch);
  if (!b) {
    ADD_FAILURE() << llvm::toString(b.takeError());
    return {nan, nan};
  }
  EXPECT_EQ(b->second, a->second); // the same targets
  return {a->first, b->first};
}

} // namespace

// The whole-batch pass (the GPU's) is the per-row pass computed at once:
// padding after a row's end and positions without targets change nothing.
TEST(TrainLlamaNetwork, WholeBatchesComputeWhatRowsDo) {
  ComputeSettings whole;
  whole.wholeBatches = true;
  auto rows = createWith({}, 4), batched = createWith(whole, 4);
  ASSERT_TRUE(rows && batched);
  EXPECT_THAT(batched->kernelDescription(), ::testing::HasSubstr("whole batches"));
  auto [expected, got] = raggedLosses(*rows, *batched);
  EXPECT_NEAR(got, expected, 1e-5 * expected);
  TokenBatch batch = raggedBatch();
  for (int step = 0; step < 4; ++step) {
    auto a = rows->trainStep(batch, 1e-2f), b = batched->trainStep(batch, 1e-2f);
    OPTLM_ASSERT_OK(a);
    OPTLM_ASSERT_OK(b);
    EXPECT_NEAR(*b, *a, 1e-4 * *a) << "step " << step;
  }
  EXPECT_LT(weightDifference(*batched, *rows), 1e-4);
  EXPECT_GT(weightDifference(*batched, *createWith({}, 4)), 1e-3); // both moved
}

// Where the plugin was built with TCMalloc (scripts/setup installs it), a
// CPU network's tensors come from it. The kernels' description, which a
// resumed run compares, does not name the allocator: it changes no result.
TEST(TrainLlamaNetwork, CpuTensorsComeFromTCMallocWhereBuiltWithIt) {
  auto network = createWith({}, 4);
  ASSERT_TRUE(network);
#ifdef OPTLM_TRAIN_TCMALLOC
  EXPECT_EQ(network->tensorAllocator(), "TCMalloc");
#else
  EXPECT_EQ(network->tensorAllocator(), "the C library");
#endif
  EXPECT_THAT(network->kernelDescription(), ::testing::Not(::testing::HasSubstr("TCMalloc")));
}

// bfloat16 products keep about three significant digits: the loss and the
// training stay close to the float network's, and not equal to it.
TEST(TrainLlamaNetwork, Bf16MatrixProductsStayCloseToFloat) {
  ComputeSettings bf16;
  bf16.wholeBatches = true;
  bf16.bf16MatrixProducts = true;
  auto exact = createWith({}, 6), mixed = createWith(bf16, 6);
  ASSERT_TRUE(exact && mixed);
  EXPECT_THAT(mixed->kernelDescription(), ::testing::HasSubstr("bf16"));
  auto [a, b] = raggedLosses(*exact, *mixed);
  EXPECT_NEAR(b, a, 2e-2 * a);
  EXPECT_NE(b, a);
  TokenBatch batch = raggedBatch();
  float first = 0, last = 0;
  for (int step = 0; step < 20; ++step) {
    auto loss = mixed->trainStep(batch, 1e-2f);
    OPTLM_ASSERT_OK(loss);
    (step == 0 ? first : last) = *loss;
  }
  EXPECT_LT(last, first * 0.7f);
}

// Whole batches on a GPU only; bf16 products where asked, and by default
// wherever they are the faster product: a GPU, a CPU with AMX-BF16.
TEST(TrainLlamaNetwork, ComputeSettingsFollowDeviceAndPrecision) {
  using Precision = ComputeSettings::Precision;
  ComputeSettings cpuFloat = ComputeSettings::forDevice("cpu", Precision::Float);
  EXPECT_FALSE(cpuFloat.bf16MatrixProducts);
  EXPECT_FALSE(cpuFloat.wholeBatches);
  ComputeSettings cpuBf16 = ComputeSettings::forDevice("cpu", Precision::BFloat16);
  EXPECT_TRUE(cpuBf16.bf16MatrixProducts);
  EXPECT_FALSE(cpuBf16.wholeBatches);
  EXPECT_EQ(ComputeSettings::forDevice("cpu").bf16MatrixProducts, lm::cpuHasAMXBF16());
  ComputeSettings gpu = ComputeSettings::forDevice("cuda:1");
  EXPECT_EQ(gpu.device, "cuda:1");
  EXPECT_TRUE(gpu.bf16MatrixProducts);
  EXPECT_TRUE(gpu.wholeBatches);
  EXPECT_FALSE(ComputeSettings::forDevice("cuda", Precision::Float).bf16MatrixProducts);
}

// A device libtorch cannot use is an error naming it, never a crash; where
// a GPU is there, the network on it computes the CPU network's loss.
TEST(TrainLlamaNetwork, DevicesAreCheckedWhenTheNetworkIsMade) {
  for (const char *device : {"tpu", "cuda:x"}) {
    auto bad = LlamaNetwork::create(tinyShape(), 0, {}, ComputeSettings::forDevice(device));
    ASSERT_FALSE(static_cast<bool>(bad)) << device;
    EXPECT_THAT(llvm::toString(bad.takeError()), ::testing::HasSubstr(device));
  }
  auto gpu = LlamaNetwork::create(tinyShape(), 2, {}, ComputeSettings::forDevice("cuda"));
  if (!gpu) {
    EXPECT_THAT(llvm::toString(gpu.takeError()), ::testing::HasSubstr("device cuda"));
    return;
  }
  auto cpu = createOk(tinyShape(), 2);
  EXPECT_EQ(weightDifference(**gpu, *cpu), 0); // drawn on the CPU, then moved
  auto [a, b] = raggedLosses(*cpu, **gpu);
  EXPECT_NEAR(b, a, 2e-2 * a);
}
