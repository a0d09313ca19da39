//===- TokenizerTrainingTest.cpp - the two tokenizer styles ---------------===//
//
// The code style lets a piece span spaces, punctuation and numbers, so the
// lines IR repeats verbatim cost a piece or a few; the Llama style stops
// every piece at a space and splits every digit. Both vocabularies must
// encode through optlm's own tokenizer and decode back to the same text.
#include "train/TokenizerTraining.h"

#include "lm/generate/Tokenizer.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace optlm;
using namespace optlm::train;

namespace {

std::vector<std::string> irLikeTexts() {
  std::vector<std::string> texts;
  for (int i = 0; i < 300; ++i)
    texts.push_back("define dso_local i32 @f" + std::to_string(i) +
                    "(i32 noundef %0) #0 {\n  %2 = alloca i32, align 4\n"
                    "  store i32 %0, ptr %2, align 4\n  %3 = load i32, ptr %2, align 4\n"
                    "  ret i32 %3\n}\n!2 = !{i32 1, !\"wchar_size\", i32 4}\n");
  return texts;
}

std::vector<int32_t> encodeWith(TokenizerStyle style, const std::string &text) {
  TokenizerTrainingOptions options;
  options.vocabSize = 400;
  options.style = style;
  auto vocabulary = trainSentencePiece(irLikeTexts(), options);
  EXPECT_TRUE(bool(vocabulary)) << llvm::toString(vocabulary.takeError());
  if (!vocabulary)
    return {};
  auto tokenizer = lm::Tokenizer::create(*vocabulary);
  EXPECT_TRUE(bool(tokenizer)) << llvm::toString(tokenizer.takeError());
  if (!tokenizer)
    return {};
  std::vector<int32_t> tokens = tokenizer->encode(text);
  EXPECT_EQ(tokenizer->decode(tokens), text);
  return tokens;
}

TEST(TrainTokenizerStyle, CodePiecesSpanTheLinesIRRepeats) {
  const std::string line = "  store i32 %0, ptr %2, align 4";
  std::vector<int32_t> llama = encodeWith(TokenizerStyle::Llama, line);
  std::vector<int32_t> code = encodeWith(TokenizerStyle::Code, line);
  ASSERT_FALSE(llama.empty());
  ASSERT_FALSE(code.empty());
  // Llama: at least a piece per space-separated word and per digit.
  EXPECT_GE(llama.size(), 8u);
  EXPECT_LE(code.size(), 3u);
  std::printf("[ measured ] \"%s\": %zu Llama-style pieces, %zu code-style\n", line.c_str(),
              llama.size(), code.size());
}

// A line inside a text (after a newline) encodes as it does alone: the code
// style has no dummy prefix, which would make the first line differ.
TEST(TrainTokenizerStyle, CodeLinesEncodeTheSameEverywhere) {
  TokenizerTrainingOptions options;
  options.vocabSize = 400;
  options.style = TokenizerStyle::Code;
  auto vocabulary = trainSentencePiece(irLikeTexts(), options);
  OPTLM_ASSERT_OK(vocabulary);
  EXPECT_FALSE(vocabulary->addSpacePrefix);
  auto tokenizer = lm::Tokenizer::create(*vocabulary);
  OPTLM_ASSERT_OK(tokenizer);
  const std::string line = "!2 = !{i32 1, !\"wchar_size\", i32 4}";
  std::vector<int32_t> alone = tokenizer->encode(line);
  std::vector<int32_t> inText = tokenizer->encode("}\n" + line);
  ASSERT_GE(inText.size(), alone.size());
  EXPECT_EQ(std::vector<int32_t>(inText.end() - alone.size(), inText.end()), alone);
  EXPECT_LE(alone.size(), 3u);
}

TEST(TrainTokenizerStyle, NamesBothWays) {
  for (TokenizerStyle style : {TokenizerStyle::Llama, TokenizerStyle::Code}) {
    auto parsed = parseTokenizerStyle(tokenizerStyleName(style));
    OPTLM_ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, style);
  }
  auto unknown = parseTokenizerStyle("gpt2");
  ASSERT_FALSE(bool(unknown));
  EXPECT_EQ(llvm::toString(unknown.takeError()),
            "unknown tokenizer style 'gpt2' (known: llama, code)");
}

} // namespace
