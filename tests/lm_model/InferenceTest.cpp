//===- InferenceTest.cpp - the fast forward pass against the reference ----===//
//
// Tolerances (relative RMS error of the logits, ||fast - ref|| / ||ref||)
// per weight type. The fast path quantizes activations to 8 bits for the
// quantized types and caches keys and values in F16; the reference does
// neither. Float types see only the F16 KV cache; measured errors are well
// below these bounds (see docs/lm-runtime.md).
//
//===----------------------------------------------------------------------===//

#include "TinyLlama.h"

#include "lm/model/Kernels.h"
#include "lm/model/ReferenceForward.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <sys/resource.h>

using namespace optlm::lm;
using namespace optlm::lm::testing;
using ::testing::HasSubstr;

namespace {

double toleranceFor(TensorType type) {
  switch (type) {
  case TensorType::F32:
  case TensorType::F16:
  case TensorType::BF16:
    return 5e-3;
  default:
    return 3e-2;
  }
}

std::vector<int32_t> randomTokens(int count, int vocab, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> token(0, vocab - 1);
  std::vector<int32_t> tokens(count);
  for (int32_t &t : tokens)
    t = token(rng);
  return tokens;
}

std::vector<float> evaluateOk(InferenceSession &session, llvm::ArrayRef<int32_t> tokens) {
  llvm::Expected<llvm::ArrayRef<float>> logits = session.evaluate(tokens);
  if (!logits) {
    ADD_FAILURE() << llvm::toString(logits.takeError());
    return {};
  }
  return logits->vec();
}

class LmModelForwardTest : public ::testing::TestWithParam<TensorType> {
protected:
  void SetUp() override { spec.weightType = GetParam(); }
  /// The tiny model's shape, with the weight type under test.
  TinyLlamaSpec spec;
};

TEST_P(LmModelForwardTest, MatchesReferenceTokenByToken) {
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  std::vector<int32_t> tokens = randomTokens(12, spec.vocabSize, 42);
  llvm::Expected<std::vector<std::vector<float>>> reference = referenceForward(*model, tokens);
  ASSERT_TRUE(!!reference) << llvm::toString(reference.takeError());

  InferenceSession session(*model, SessionOptions{32, 2});
  double worst = 0.0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::vector<float> logits = evaluateOk(session, tokens[i]);
    worst = std::max(worst, relativeError(logits, (*reference)[i]));
  }
  EXPECT_LT(worst, toleranceFor(GetParam())) << traits(GetParam()).name;
  std::printf("[ measured ] %s: worst relative error vs reference %.2e\n",
              std::string(traits(GetParam()).name).c_str(), worst);
}

TEST_P(LmModelForwardTest, BatchedPromptMatchesTokenByToken) {
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  std::vector<int32_t> tokens = randomTokens(20, spec.vocabSize, 7);

  InferenceSession single(*model, SessionOptions{32, 2});
  std::vector<float> last;
  for (int32_t token : tokens)
    last = evaluateOk(single, token);
  // Batches of 8 force a prompt split over three batches.
  SessionOptions options{32, 2};
  options.maxBatch = 8;
  InferenceSession batched(*model, options);
  std::vector<float> batchedLast = evaluateOk(batched, tokens);
  EXPECT_EQ(batched.position(), 20);
  // The same integer sums in the same order: identical up to float rounding.
  EXPECT_LT(relativeError(batchedLast, last), 1e-5);
}

// A prompt in one batch of 40 tokens takes each set's tile attention for
// its block (the AVX-512 set's in 16-bit integers, vnniAttendF16Block):
// its last logits stay within the fast path's bound of the reference, as a
// token's alone do.
TEST_P(LmModelForwardTest, LongBatchedPromptMatchesReference) {
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  std::vector<int32_t> tokens = randomTokens(40, spec.vocabSize, 13);
  llvm::Expected<std::vector<std::vector<float>>> reference = referenceForward(*model, tokens);
  ASSERT_TRUE(!!reference) << llvm::toString(reference.takeError());
  InferenceSession session(*model, SessionOptions{64, 2});
  ASSERT_GE(kernelSet(session.isa()).promptBatch, 40);
  const double error = relativeError(evaluateOk(session, tokens), reference->back());
  EXPECT_LT(error, toleranceFor(GetParam())) << traits(GetParam()).name;
  std::printf("[ measured ] %s: 40-token batch, last logits vs reference %.2e\n",
              std::string(traits(GetParam()).name).c_str(), error);
}

// A batch of more tokens than KernelSet::tileTokens goes through the
// products in several tile calls, each writing its own tokens' rows of the
// output; every (row, token) result is the kernel's own however tiles are
// cut, and attention blocks of 16 or more give a query the same bits, so a
// prompt in one batch of 150 gives the logits of batches of 50 exactly.
TEST_P(LmModelForwardTest, BatchesOfMoreTokensThanATileMatchSmallerOnes) {
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  std::vector<int32_t> tokens = randomTokens(150, spec.vocabSize, 11);
  SessionOptions options{160, 2};
  options.maxBatch = 150;
  InferenceSession whole(*model, options);
  ASSERT_GT(options.maxBatch, kernelSet(whole.isa()).tileTokens);
  options.maxBatch = 50;
  InferenceSession inThrees(*model, options);
  std::vector<float> wholeLast = evaluateOk(whole, tokens);
  EXPECT_EQ(wholeLast, evaluateOk(inThrees, tokens));
  EXPECT_EQ(whole.position(), 150);
}

/// Relative difference of the logits of the same tokens with two kernel sets.
double kernelSetDifference(TensorType type, KernelIsa first, KernelIsa second,
                           int promptTokens = 10) {
  TinyLlamaSpec spec;
  spec.weightType = type;
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  if (!model) {
    ADD_FAILURE() << "no model";
    return 1.0;
  }
  std::vector<int32_t> tokens = randomTokens(promptTokens, spec.vocabSize, 3);
  SessionOptions options{32, 2};
  options.isa = first;
  InferenceSession one(*model, options);
  options.isa = second;
  InferenceSession other(*model, options);
  EXPECT_EQ(one.isa(), first);
  EXPECT_EQ(other.isa(), second);
  // Batched prompt, then generation (where the row-group kernels run).
  double difference = relativeError(evaluateOk(one, tokens), evaluateOk(other, tokens));
  for (int32_t token : randomTokens(3, spec.vocabSize, 4))
    difference =
        std::max(difference, relativeError(evaluateOk(one, token), evaluateOk(other, token)));
  std::printf("[ measured ] %s: %s vs %s %.2e\n", std::string(traits(type).name).c_str(),
              kernelIsaName(first), kernelIsaName(second), difference);
  return difference;
}

/// Float rounding differs between kernel sets (most for BF16 weights: up to
/// 3e-5 on the prompt and 1e-4 over the generated tokens), and for quantized
/// types a rounding difference can move an activation to the neighbouring
/// 8-bit quant, so the bound is that of activation quantization.
double kernelSetTolerance(TensorType type) {
  bool floatWeights = activationFormat(type) == ActivationFormat::Float;
  return floatWeights ? 2e-4 : toleranceFor(type) / 2;
}

TEST_P(LmModelForwardTest, PortableMatchesAVX2) {
  if (!cpuHasAVX2())
    GTEST_SKIP() << "this CPU has no AVX2/FMA/F16C";
  EXPECT_LT(kernelSetDifference(GetParam(), KernelIsa::AVX2, KernelIsa::Portable),
            kernelSetTolerance(GetParam()));
}

TEST_P(LmModelForwardTest, AVX512MatchesAVX2) {
  if (!cpuHasAVX512())
    GTEST_SKIP() << "this CPU has no AVX-512 BW/VL/DQ/VNNI";
  EXPECT_LT(kernelSetDifference(GetParam(), KernelIsa::AVX512, KernelIsa::AVX2),
            kernelSetTolerance(GetParam()));
}

TEST_P(LmModelForwardTest, AMXMatchesAVX512) {
  if (!cpuHasAMX())
    GTEST_SKIP() << "this CPU (or its kernel) offers no AMX-TILE/AMX-INT8";
  // Over 16 prompt tokens, so that the tiles of 16 tokens run. Twice as many
  // tokens as the other comparisons give a rounding difference twice the
  // chances to move an activation across a quantization step (on these 20
  // tokens Q5_K's AVX-512 and AVX2 sets differ by 1.8e-2 as well), so the
  // bound is the whole of activation quantization's.
  EXPECT_LT(kernelSetDifference(GetParam(), KernelIsa::AMX, KernelIsa::AVX512, 20),
            2 * kernelSetTolerance(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(AllTypes, LmModelForwardTest,
                         ::testing::Values(TensorType::F32, TensorType::F16, TensorType::BF16,
                                           TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_K,
                                           TensorType::Q5_K, TensorType::Q6_K),
                         [](const auto &info) { return std::string(traits(info.param).name); });

TEST(LmModelInference, GroupedAndMultiHeadAttentionMatchReference) {
  for (int kvHeads : {1, 2, 4}) {
    TinyLlamaSpec spec;
    spec.kvHeadCount = kvHeads;
    spec.seed = 100 + kvHeads;
    std::unique_ptr<Model> model = loadTinyLlama(spec);
    ASSERT_TRUE(model);
    std::vector<int32_t> tokens = randomTokens(9, spec.vocabSize, kvHeads);
    auto reference = referenceForward(*model, tokens);
    ASSERT_TRUE(!!reference);
    InferenceSession session(*model, 16, 2);
    EXPECT_LT(relativeError(evaluateOk(session, tokens), reference->back()), 5e-3)
        << kvHeads << " KV heads";
  }
}

TEST(LmModelInference, TiedOutputMatchesReference) {
  TinyLlamaSpec spec;
  spec.withOutputMatrix = false;
  spec.weightType = TensorType::Q4_K;
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  std::vector<int32_t> tokens = randomTokens(5, spec.vocabSize, 5);
  auto reference = referenceForward(*model, tokens);
  ASSERT_TRUE(!!reference);
  InferenceSession session(*model);
  EXPECT_LT(relativeError(evaluateOk(session, tokens), reference->back()), 3e-2);
}

// Like Q4_K_M files: most matrices Q4_K, some Q6_K, and here also other
// types, so one parallel loop mixes activation formats.
TEST(LmModelInference, MixedWeightTypesMatchReference) {
  TinyLlamaSpec spec;
  spec.weightType = TensorType::Q4_K;
  spec.typeOverrides = {
      {"blk.0.attn_v.weight", TensorType::Q6_K},   {"blk.1.attn_k.weight", TensorType::Q8_0},
      {"blk.0.ffn_down.weight", TensorType::Q6_K}, {"blk.1.ffn_up.weight", TensorType::F16},
      {"token_embd.weight", TensorType::Q5_K},     {"output.weight", TensorType::Q6_K}};
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->layer(1).key.type, TensorType::Q8_0);
  EXPECT_EQ(model->output().type, TensorType::Q6_K);
  std::vector<int32_t> tokens = randomTokens(8, spec.vocabSize, 77);
  auto reference = referenceForward(*model, tokens);
  ASSERT_TRUE(!!reference);
  InferenceSession session(*model, 16, 2);
  EXPECT_LT(relativeError(evaluateOk(session, tokens), reference->back()), 3e-2);
}

TEST(LmModelInference, ThreadCountDoesNotChangeResults) {
  // Q6_K and Q4_K_M-like mixes take the row-by-row kernels, Q4_K and Q5_K the
  // row-group kernels in generation; both prompt (batched) and generation.
  for (TensorType type : {TensorType::Q6_K, TensorType::Q4_K, TensorType::Q5_K}) {
    TinyLlamaSpec spec;
    spec.weightType = type;
    std::unique_ptr<Model> model = loadTinyLlama(spec);
    ASSERT_TRUE(model);
    std::vector<int32_t> tokens = randomTokens(6, spec.vocabSize, 9);
    std::vector<int32_t> generated = randomTokens(4, spec.vocabSize, 10);
    InferenceSession one(*model, 16, 1), two(*model, 16, 2), three(*model, 16, 3);
    EXPECT_EQ(one.threadCount(), 1);
    EXPECT_EQ(three.threadCount(), 3);
    // Each output row is computed by one thread in a fixed order: bit-identical.
    std::vector<float> expected = evaluateOk(one, tokens);
    EXPECT_EQ(evaluateOk(two, tokens), expected) << traits(type).name;
    EXPECT_EQ(evaluateOk(three, tokens), expected) << traits(type).name;
    for (int32_t token : generated) {
      expected = evaluateOk(one, token);
      EXPECT_EQ(evaluateOk(two, token), expected) << traits(type).name;
      EXPECT_EQ(evaluateOk(three, token), expected) << traits(type).name;
    }
  }
}

TEST(LmModelInference, TruncateThenReevaluateGivesTheSameLogits) {
  TinyLlamaSpec spec;
  spec.weightType = TensorType::Q4_0;
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  std::vector<int32_t> prompt = randomTokens(10, spec.vocabSize, 1);
  std::vector<int32_t> continuation = randomTokens(4, spec.vocabSize, 2);
  std::vector<int32_t> other = randomTokens(6, spec.vocabSize, 3);

  InferenceSession session(*model, 32, 2);
  evaluateOk(session, prompt);
  std::vector<float> first = evaluateOk(session, continuation);
  ASSERT_EQ(session.position(), 14);
  // Wander off, then come back to the shared prefix.
  session.truncate(10);
  evaluateOk(session, other);
  session.truncate(10);
  EXPECT_EQ(session.position(), 10);
  std::vector<float> again = evaluateOk(session, continuation);
  EXPECT_EQ(first, again);
  // Truncating beyond the end changes nothing; to 0 restarts the sequence.
  session.truncate(1000);
  EXPECT_EQ(session.position(), 14);
  session.truncate(0);
  EXPECT_EQ(session.position(), 0);
}

TEST(LmModelInference, ContextOverflowIsAnError) {
  std::unique_ptr<Model> model = loadTinyLlama({});
  ASSERT_TRUE(model);
  InferenceSession session(*model, 8, 2);
  EXPECT_EQ(session.contextLength(), 8);
  evaluateOk(session, randomTokens(6, 96, 1));
  llvm::Expected<llvm::ArrayRef<float>> logits = session.evaluate(randomTokens(3, 96, 2));
  ASSERT_FALSE(logits);
  EXPECT_THAT(llvm::toString(logits.takeError()),
              HasSubstr("context overflow: 3 tokens at position 6 exceed the context of 8"));
  EXPECT_EQ(session.position(), 6); // unchanged
  evaluateOk(session, randomTokens(2, 96, 3));
  EXPECT_EQ(session.position(), 8);
  logits = session.evaluate(std::vector<int32_t>{1});
  ASSERT_FALSE(logits);
  EXPECT_THAT(llvm::toString(logits.takeError()), HasSubstr("context overflow"));
}

TEST(LmModelInference, BadTokensAreErrors) {
  std::unique_ptr<Model> model = loadTinyLlama({});
  ASSERT_TRUE(model);
  InferenceSession session(*model, 8, 1);
  auto logits = session.evaluate(std::vector<int32_t>{1, 96});
  ASSERT_FALSE(logits);
  EXPECT_THAT(llvm::toString(logits.takeError()), HasSubstr("token 96 is outside the vocabulary"));
  logits = session.evaluate(std::vector<int32_t>{-1});
  ASSERT_FALSE(logits);
  llvm::consumeError(logits.takeError());
  logits = session.evaluate({});
  ASSERT_FALSE(logits);
  EXPECT_THAT(llvm::toString(logits.takeError()), HasSubstr("no tokens"));
  EXPECT_EQ(session.position(), 0);
}

TEST(LmModelInference, CreateChecksOptions) {
  std::unique_ptr<Model> model = loadTinyLlama({});
  ASSERT_TRUE(model);
  SessionOptions options;
  options.contextLength = -5;
  auto session = InferenceSession::create(*model, options);
  ASSERT_FALSE(session);
  EXPECT_THAT(llvm::toString(session.takeError()), HasSubstr("context length -5 is outside"));
  options = SessionOptions{};
  options.threads = 100000;
  session = InferenceSession::create(*model, options);
  ASSERT_FALSE(session);
  EXPECT_THAT(llvm::toString(session.takeError()), HasSubstr("thread count 100000"));
  options = SessionOptions{};
  options.maxBatch = -1;
  session = InferenceSession::create(*model, options);
  ASSERT_FALSE(session);
  EXPECT_THAT(llvm::toString(session.takeError()), HasSubstr("batch size -1"));
  options.maxBatch = 4097;
  session = InferenceSession::create(*model, options);
  ASSERT_FALSE(session);
  EXPECT_THAT(llvm::toString(session.takeError()), HasSubstr("batch size 4097"));
  options = SessionOptions{16, 1};
  session = InferenceSession::create(*model, options);
  ASSERT_TRUE(!!session) << llvm::toString(session.takeError());
  EXPECT_EQ((*session)->contextLength(), 16);
  // 2 layers x 16 positions x 128 KV dims x (key + value) x 2 bytes.
  EXPECT_EQ(InferenceSession::kvCacheBytes(model->config(), 16), 2u * 16 * 128 * 2 * 2);
  // The convenience constructor clamps instead.
  InferenceSession clamped(*model, -3, -1);
  EXPECT_EQ(clamped.contextLength(), 64);
  EXPECT_GE(clamped.threadCount(), 1);
}

TEST(LmModelInference, DefaultContextIsTheModels) {
  std::unique_ptr<Model> model = loadTinyLlama({});
  ASSERT_TRUE(model);
  InferenceSession session(*model);
  EXPECT_EQ(session.contextLength(), 64);
  EXPECT_GE(session.threadCount(), 1);
}

} // namespace

namespace {

// A KV cache the process cannot allocate is an Error from create() and from
// evaluate(), not a crash. The child process of the death test runs with its
// address space capped 256 MiB above its current size; the cache needs 1 GiB.
TEST(LmModelInferenceDeathTest, UnallocatableContextIsAnError) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TinyLlamaSpec spec;
  spec.embeddingDim = 256;
  spec.headCount = 4;
  spec.kvHeadCount = 4;
  spec.layerCount = 8;
  spec.feedForwardDim = 256;
  spec.vocabSize = 8;
  spec.weightType = TensorType::Q8_0;
  std::unique_ptr<Model> model = loadTinyLlama(spec);
  ASSERT_TRUE(model);
  const int context = InferenceSession::kMaxContextLength;
  ASSERT_EQ(InferenceSession::kvCacheBytes(model->config(), context), size_t(1) << 30);
  auto run = [&] {
    size_t pages = 0;
    if (FILE *statm = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(statm, "%zu", &pages) != 1)
        pages = 0;
      std::fclose(statm);
    }
    rlimit limit{};
    limit.rlim_cur = limit.rlim_max = pages * 4096 + (size_t(256) << 20);
    if (pages == 0 || setrlimit(RLIMIT_AS, &limit) != 0)
      std::exit(3);
    auto session = InferenceSession::create(*model, SessionOptions{context, 1});
    if (session)
      std::exit(4);
    std::string message = llvm::toString(session.takeError());
    InferenceSession direct(*model, context, 1);
    auto logits = direct.evaluate(std::vector<int32_t>{1});
    if (logits)
      std::exit(5);
    message += " / " + llvm::toString(logits.takeError());
    std::fprintf(stderr, "%s\n", message.c_str());
    std::exit(0);
  };
  EXPECT_EXIT(run(), ::testing::ExitedWithCode(0),
              "cannot allocate the KV cache \\(1024 MiB for 131072 positions\\) / the KV cache "
              "for 131072 positions \\(1024 MiB\\) could not be allocated");
}

} // namespace
