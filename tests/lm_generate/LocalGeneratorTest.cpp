//===- LocalGeneratorTest.cpp - generation on a tiny random Llama ----------===//
//
// The model is written with the GGUF fixture writer (random weights, the
// vocabulary SentencePiece trained on tests/inputs/tokenizer), so the text is
// gibberish, but everything around the model is real: tokenizer from the
// file, forward pass, sampling, constraint, streaming.
//
//===----------------------------------------------------------------------===//
#include "TrainedVocabulary.h"

#include "lm/generate/LocalGenerator.h"
#include "lm/model/Model.h"
#include "pipeline/Pipeline.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

#include <set>

using namespace optlm;
using namespace optlm::lm;
using optlm::lm::testing::fixtureModelPath;

namespace {
std::unique_ptr<LocalGenerator> openGenerator(int contextLength = 256) {
  LocalGeneratorOptions options;
  options.threads = 1;
  llvm::Expected<std::unique_ptr<LocalGenerator>> generator =
      LocalGenerator::open(fixtureModelPath(contextLength), options);
  if (!generator) {
    ADD_FAILURE() << llvm::toString(generator.takeError());
    return nullptr;
  }
  return std::move(*generator);
}

GenerationResult generateOrFail(LocalGenerator &generator, const GenerationRequest &request,
                                PieceCallback onPiece = {}) {
  llvm::Expected<GenerationResult> result = generator.generate(request, onPiece);
  if (!result) {
    ADD_FAILURE() << llvm::toString(result.takeError());
    return {};
  }
  return std::move(*result);
}

const char *const kPrompt =
    "[INST] Tell me how to optimize this LLVM-IR for object file size:\n\n<code>"
    "define i32 @f(i32 %x) {\n  %y = add i32 %x, 1\n  ret i32 %y\n}</code> [/INST]";
} // namespace

TEST(LocalGeneratorTest, GreedyIsTheArgmaxOfTheModel) {
  std::unique_ptr<LocalGenerator> generator = openGenerator();
  ASSERT_TRUE(generator);
  EXPECT_EQ(generator->modelName(), "tiny-test-llama");
  EXPECT_EQ(generator->contextLength(), 256);
  GenerationRequest request;
  request.prompt = kPrompt;
  request.maxTokens = 12;
  GenerationResult result = generateOrFail(*generator, request);

  // The same by hand: BOS + prompt, argmax, feed back, stop at EOS.
  llvm::Expected<std::unique_ptr<Model>> model = Model::load(fixtureModelPath());
  ASSERT_TRUE(static_cast<bool>(model));
  InferenceSession session(**model, 256, 1);
  const Tokenizer &tokenizer = generator->tokenizer();
  std::vector<int32_t> prompt = tokenizer.encode(kPrompt, true);
  ASSERT_EQ(prompt.front(), tokenizer.bosId());
  EXPECT_EQ(result.promptTokens, static_cast<int>(prompt.size()));
  llvm::Expected<llvm::ArrayRef<float>> logits = session.evaluate(prompt);
  ASSERT_TRUE(static_cast<bool>(logits));
  std::string expected;
  int count = 0;
  for (; count < 12; ++count) {
    int32_t best =
        static_cast<int32_t>(std::max_element(logits->begin(), logits->end()) - logits->begin());
    if (best == tokenizer.eosId())
      break;
    expected += tokenizer.tokenText(best);
    logits = session.evaluate({best});
    ASSERT_TRUE(static_cast<bool>(logits));
  }
  EXPECT_EQ(result.text, expected);
  EXPECT_EQ(result.completionTokens, count);
  EXPECT_EQ(result.finish, count == 12 ? FinishReason::Length : FinishReason::Stop);

  // Again, now from the cached prompt: the same text.
  EXPECT_EQ(generateOrFail(*generator, request).text, result.text);
}

TEST(LocalGeneratorTest, SameSeedSameTextOtherSeedsDiffer) {
  std::unique_ptr<LocalGenerator> generator = openGenerator();
  ASSERT_TRUE(generator);
  GenerationRequest request;
  request.prompt = "define i32 @main() {";
  request.maxTokens = 16;
  request.sampling = {1.0f, 0, 1.0f, 77};
  GenerationResult first = generateOrFail(*generator, request);
  EXPECT_EQ(generateOrFail(*generator, request).text, first.text);
  std::set<std::string> texts;
  for (uint64_t seed = 0; seed < 5; ++seed) {
    request.sampling.seed = seed;
    texts.insert(generateOrFail(*generator, request).text);
  }
  EXPECT_GT(texts.size(), 1u);
}

TEST(LocalGeneratorTest, TokenLimitAndStreaming) {
  std::unique_ptr<LocalGenerator> generator = openGenerator();
  ASSERT_TRUE(generator);
  GenerationRequest request;
  request.prompt = "movl %edi, %eax";
  request.maxTokens = 20;
  request.sampling = {0.8f, 50, 0.9f, 5};
  std::string streamed;
  int pieces = 0;
  GenerationResult result = generateOrFail(*generator, request, [&](llvm::StringRef piece) {
    streamed += piece;
    ++pieces;
    return true;
  });
  EXPECT_EQ(streamed, result.text);
  EXPECT_LE(result.completionTokens, 20);
  if (result.finish == FinishReason::Length)
    EXPECT_EQ(result.completionTokens, 20);
  EXPECT_GT(pieces, 0);

  // Cancelling after the first piece.
  GenerationResult cancelled =
      generateOrFail(*generator, request, [&](llvm::StringRef) { return false; });
  if (result.completionTokens > 1 && !result.text.empty())
    EXPECT_EQ(cancelled.finish, FinishReason::Cancelled);
  EXPECT_TRUE(llvm::StringRef(result.text).starts_with(cancelled.text));
}

TEST(LocalGeneratorTest, StopStringsCutTheText) {
  std::unique_ptr<LocalGenerator> generator = openGenerator();
  ASSERT_TRUE(generator);
  GenerationRequest request;
  request.prompt = kPrompt;
  request.maxTokens = 40;
  request.sampling = {1.0f, 0, 1.0f, 3};
  GenerationResult free = generateOrFail(*generator, request);
  ASSERT_GE(free.text.size(), 6u) << "the random model should say something";
  // A stop string from the middle of the text, likely spanning tokens.
  std::string stop = free.text.substr(free.text.size() / 2, 3);
  request.stop = {stop};
  std::string streamed;
  GenerationResult stopped = generateOrFail(*generator, request, [&](llvm::StringRef piece) {
    streamed += piece;
    return true;
  });
  EXPECT_EQ(stopped.text, free.text.substr(0, free.text.find(stop)));
  EXPECT_EQ(stopped.finish, FinishReason::Stop);
  EXPECT_EQ(streamed, stopped.text);
}

TEST(LocalGeneratorTest, PassListAnswersAlwaysParse) {
  std::unique_ptr<LocalGenerator> generator = openGenerator();
  ASSERT_TRUE(generator);
  GenerationRequest request;
  request.prompt = kPrompt;
  request.constraint = ConstraintKind::PassList;
  request.maxPasses = 4;
  // Enough tokens for any 4 names: every token carries at least one character.
  request.maxTokens = 4 * 48;
  std::set<std::string> answers;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    request.sampling = {seed % 2 ? 1.5f : 0.8f, seed % 3 ? 0 : 40, seed % 5 ? 1.0f : 0.9f, seed};
    GenerationResult result = generateOrFail(*generator, request);
    llvm::Expected<Pipeline> pipeline = Pipeline::parse(result.text);
    ASSERT_TRUE(static_cast<bool>(pipeline))
        << "seed " << seed << ": '" << result.text << "': " << llvm::toString(pipeline.takeError());
    EXPECT_GE(pipeline->size(), 1u) << result.text;
    EXPECT_LE(pipeline->size(), 4u) << result.text;
    EXPECT_NE(result.finish, FinishReason::Length) << result.text;
    answers.insert(result.text);
  }
  EXPECT_GT(answers.size(), 20u);
  // Greedy too.
  request.sampling = {};
  GenerationResult greedy = generateOrFail(*generator, request);
  EXPECT_TRUE(static_cast<bool>(Pipeline::parse(greedy.text))) << greedy.text;
}

TEST(LocalGeneratorTest, PromptLongerThanTheContextIsAnError) {
  std::unique_ptr<LocalGenerator> generator = openGenerator(64);
  ASSERT_TRUE(generator);
  GenerationRequest request;
  for (int i = 0; i < 40; ++i)
    request.prompt += "%" + std::to_string(i) + " = add i32 %x, 1\n";
  int tokens = static_cast<int>(generator->tokenizer().encode(request.prompt, true).size());
  ASSERT_GT(tokens, 64);
  llvm::Expected<GenerationResult> result = generator->generate(request);
  ASSERT_FALSE(static_cast<bool>(result));
  std::string message = llvm::toString(result.takeError());
  EXPECT_NE(message.find(std::to_string(tokens) + " tokens"), std::string::npos) << message;
  EXPECT_NE(message.find("64"), std::string::npos) << message;

  // A prompt that fits runs until the context is full.
  request.prompt = "ret void";
  request.maxTokens = 1000;
  llvm::Expected<GenerationResult> fits = generator->generate(request);
  OPTLM_ASSERT_OK(fits);
  EXPECT_LE(fits->promptTokens + fits->completionTokens, 65);
}

TEST(LocalGeneratorTest, BadRequestsAndModelsAreErrors) {
  std::unique_ptr<LocalGenerator> generator = openGenerator();
  ASSERT_TRUE(generator);
  GenerationRequest request;
  request.prompt = "x";
  request.sampling.temperature = -1;
  EXPECT_FALSE(static_cast<bool>(generator->generate(request)));
  request.sampling = {};
  request.sampling.topP = 0;
  EXPECT_FALSE(static_cast<bool>(generator->generate(request)));
  request.sampling = {};
  request.stop = {""};
  EXPECT_FALSE(static_cast<bool>(generator->generate(request)));

  llvm::Expected<std::unique_ptr<LocalGenerator>> missing =
      LocalGenerator::open("/nonexistent/model.gguf");
  ASSERT_FALSE(static_cast<bool>(missing));
  llvm::consumeError(missing.takeError());
  llvm::Expected<std::unique_ptr<LocalGenerator>> notGGUF =
      LocalGenerator::open(OPTLM_TEST_INPUTS "/tokenizer/sources.c");
  ASSERT_FALSE(static_cast<bool>(notGGUF));
  llvm::consumeError(notGGUF.takeError());
}
