//===- TokenizerTest.cpp - agreement with the SentencePiece library --------===//
#include "TrainedVocabulary.h"

#include "lm/generate/Tokenizer.h"
#include "lm/generate/Utf8.h"

#include <gtest/gtest.h>

#include <random>

using namespace optlm::lm;
using optlm::lm::testing::sampleLines;
using optlm::lm::testing::trainedModel;

namespace {

Tokenizer tokenizerFor(const SentencePieceVocabulary &vocabulary) {
  llvm::Expected<Tokenizer> tokenizer = Tokenizer::create(vocabulary);
  if (!tokenizer) {
    ADD_FAILURE() << llvm::toString(tokenizer.takeError());
    std::abort();
  }
  return std::move(*tokenizer);
}

std::vector<int32_t> referenceEncode(const sentencepiece::SentencePieceProcessor &sp,
                                     const std::string &text) {
  std::vector<int> ids;
  EXPECT_TRUE(sp.Encode(text, &ids).ok());
  return {ids.begin(), ids.end()};
}

std::string referenceDecode(const sentencepiece::SentencePieceProcessor &sp,
                            const std::vector<int32_t> &ids) {
  std::string text;
  EXPECT_TRUE(sp.Decode(std::vector<int>(ids.begin(), ids.end()), &text).ok());
  return text;
}

const std::vector<std::string> &edgeCases() {
  static const std::vector<std::string> cases = {
      "",
      " ",
      "   ",
      "a  b",
      "  leading spaces",
      "trailing spaces   ",
      "\t\tindented\twith tabs",
      "line one\nline two\n",
      "\n",
      "\n\n\n",
      "crlf\r\n",
      "caf\xC3\xA9 na\xC3\xAFve \xC3\xBC",
      "\xE4\xB8\xAD\xE6\x96\x87 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
      "emoji \xF0\x9F\x99\x82\xF0\x9F\x9A\x80!",
      "<s> </s> <unk> [INST] hi [/INST]",
      "\xE2\x96\x81 is the space symbol \xE2\x96\x81\xE2\x96\x81x",
      "invalid \xFF\xFE bytes",
      "truncated \xE4\xB8",
      "overlong \xC0\xAF and surrogate \xED\xA0\x80",
      std::string("nul\0byte", 8),
      "\x01\x02\x7F control bytes",
      "%5 = load i32, ptr %4, align 4",
      "\tmovl\t%edi, %eax",
      "0123456789 1234567890",
  };
  return cases;
}

} // namespace

TEST(TokenizerTest, EncodesEverySampleLineLikeSentencePiece) {
  const auto &model = trainedModel();
  Tokenizer tokenizer = tokenizerFor(model.vocabulary);
  ASSERT_GT(sampleLines().size(), 1000u);
  size_t mismatches = 0;
  for (const std::string &line : sampleLines()) {
    std::vector<int32_t> expected = referenceEncode(*model.processor, line);
    std::vector<int32_t> actual = tokenizer.encode(line);
    if (actual != expected && ++mismatches <= 5)
      ADD_FAILURE() << "encoding differs for line: '" << line << "'";
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(TokenizerTest, EncodesWholeFilesLikeSentencePiece) {
  // Newlines inside the text, a long input: every sample (≈110 KB) at once.
  const auto &model = trainedModel();
  Tokenizer tokenizer = tokenizerFor(model.vocabulary);
  std::string text;
  for (const std::string &line : sampleLines())
    text += line + "\n";
  std::vector<int32_t> expected = referenceEncode(*model.processor, text);
  EXPECT_GT(expected.size(), 10000u);
  EXPECT_EQ(tokenizer.encode(text), expected);
  EXPECT_EQ(tokenizer.decode(expected), text);
}

TEST(TokenizerTest, DecodesEverySampleLineLikeSentencePiece) {
  const auto &model = trainedModel();
  Tokenizer tokenizer = tokenizerFor(model.vocabulary);
  size_t mismatches = 0;
  for (const std::string &line : sampleLines()) {
    std::vector<int32_t> ids = referenceEncode(*model.processor, line);
    if (tokenizer.decode(ids) != referenceDecode(*model.processor, ids) && ++mismatches <= 5)
      ADD_FAILURE() << "decoding differs for line: '" << line << "'";
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(TokenizerTest, EdgeCasesAgreeWithSentencePiece) {
  const auto &model = trainedModel();
  Tokenizer tokenizer = tokenizerFor(model.vocabulary);
  for (const std::string &text : edgeCases()) {
    std::vector<int32_t> expected = referenceEncode(*model.processor, text);
    EXPECT_EQ(tokenizer.encode(text), expected) << "text: '" << text << "'";
    EXPECT_EQ(tokenizer.decode(expected), referenceDecode(*model.processor, expected))
        << "text: '" << text << "'";
  }
}

TEST(TokenizerTest, EmptyTextIsNoTokens) {
  Tokenizer tokenizer = tokenizerFor(trainedModel().vocabulary);
  EXPECT_TRUE(tokenizer.encode("").empty());
  EXPECT_EQ(tokenizer.encode("", /*addBos=*/true), std::vector<int32_t>{tokenizer.bosId()});
}

TEST(TokenizerTest, ControlTokensAreNeverProducedFromText) {
  Tokenizer tokenizer = tokenizerFor(trainedModel().vocabulary);
  std::vector<int32_t> ids = tokenizer.encode("<s></s><unk> <s>", /*addBos=*/true);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), tokenizer.bosId());
  for (size_t i = 1; i < ids.size(); ++i) {
    EXPECT_FALSE(tokenizer.isControl(ids[i]));
    EXPECT_NE(ids[i], tokenizer.vocabulary().unknownId);
  }
}

TEST(TokenizerTest, UnknownCharactersFallBackToBytes) {
  Tokenizer tokenizer = tokenizerFor(trainedModel().vocabulary);
  // U+4E2D is not in a vocabulary trained on assembly: three byte pieces.
  std::vector<int32_t> ids = tokenizer.encode("\xE4\xB8\xAD");
  const SentencePieceVocabulary &vocabulary = tokenizer.vocabulary();
  std::vector<std::string> pieces;
  for (int32_t id : ids)
    pieces.push_back(vocabulary.pieces[id]);
  EXPECT_EQ(pieces, (std::vector<std::string>{"\xE2\x96\x81", "<0xE4>", "<0xB8>", "<0xAD>"}));
  EXPECT_EQ(tokenizer.decode(ids), "\xE4\xB8\xAD");
}

TEST(TokenizerTest, RandomIdSequencesDecodeLikeSentencePiece) {
  // Arbitrary sequences, as a model may produce them: control tokens, stray
  // UTF-8 continuation bytes, unknown tokens, pieces with leading spaces.
  const auto &model = trainedModel();
  Tokenizer tokenizer = tokenizerFor(model.vocabulary);
  std::mt19937_64 random(7);
  for (int round = 0; round < 500; ++round) {
    std::vector<int32_t> ids(random() % 12);
    for (int32_t &id : ids)
      id = static_cast<int32_t>(random() % tokenizer.size());
    EXPECT_EQ(tokenizer.decode(ids), referenceDecode(*model.processor, ids));
  }
}

TEST(TokenizerTest, UserDefinedSymbolsMatchWhole) {
  std::vector<std::string> symbols = {"<PRE>", "<SUF>", "<MID>"};
  const auto &model = trainedModel(1200, symbols);
  Tokenizer tokenizer = tokenizerFor(model.vocabulary);
  for (std::string text : {"<PRE> int f() <SUF> } <MID>", "x<PRE>y", "<PRE><PRE>"}) {
    EXPECT_EQ(tokenizer.encode(text), referenceEncode(*model.processor, text))
        << "text: '" << text << "'";
  }
}

TEST(TokenizerTest, TokenTextIsTheRunningText) {
  Tokenizer tokenizer = tokenizerFor(trainedModel().vocabulary);
  std::string text = "  ret i32 %5\n";
  std::string joined;
  for (int32_t id : tokenizer.encode(text))
    joined += tokenizer.tokenText(id);
  // The dummy prefix is the one space running text has in addition.
  EXPECT_EQ(joined, " " + text);
  EXPECT_EQ(tokenizer.tokenText(tokenizer.bosId()), "");
  EXPECT_EQ(tokenizer.tokenText(-1), "");
  EXPECT_EQ(tokenizer.tokenText(tokenizer.size()), "");
}

TEST(TokenizerTest, RejectsInconsistentVocabularies) {
  SentencePieceVocabulary vocabulary = trainedModel().vocabulary;
  vocabulary.scores.pop_back();
  EXPECT_FALSE(static_cast<bool>(Tokenizer::create(vocabulary)));
  vocabulary = trainedModel().vocabulary;
  vocabulary.eosId = vocabulary.size();
  EXPECT_FALSE(static_cast<bool>(Tokenizer::create(vocabulary)));
  vocabulary = trainedModel().vocabulary;
  vocabulary.pieces[10] = "<0xZZ>";
  vocabulary.types[10] = TokenType::Byte;
  llvm::Expected<Tokenizer> tokenizer = Tokenizer::create(vocabulary);
  ASSERT_FALSE(static_cast<bool>(tokenizer));
  EXPECT_NE(llvm::toString(tokenizer.takeError()).find("<0xZZ>"), std::string::npos);
}

TEST(TokenizerTest, VocabularyMetadataErrorsAreClear) {
  using optlm::lm::testing::readVocabularyGGUF;
  using optlm::lm::testing::vocabularyGGUF;
  const SentencePieceVocabulary &vocabulary = trainedModel().vocabulary;
  auto messageFor = [&](std::vector<std::pair<std::string, GGUFValue>> extra) {
    llvm::Expected<SentencePieceVocabulary> read =
        readVocabularyGGUF(vocabularyGGUF(vocabulary, extra));
    return read ? std::string("no error") : llvm::toString(read.takeError());
  };
  EXPECT_NE(messageFor({{"tokenizer.ggml.model", GGUFValue("gpt2")}}).find("gpt2"),
            std::string::npos);
  EXPECT_NE(messageFor({{"tokenizer.ggml.scores",
                         GGUFValue::array(GGUFValueType::Float32, std::vector<float>{1.0f})}})
                .find("scores"),
            std::string::npos);
  EXPECT_NE(
      messageFor({{"tokenizer.ggml.eos_token_id", GGUFValue(uint32_t(1u << 30))}}).find("EOS"),
      std::string::npos);
  EXPECT_NE(messageFor({{"tokenizer.ggml.tokens", GGUFValue("not an array")}}), "no error");
  EXPECT_NE(messageFor({{"tokenizer.ggml.add_bos_token", GGUFValue(uint32_t(1))}}), "no error");
  // What Llama files leave out has SentencePiece's defaults.
  llvm::Expected<SentencePieceVocabulary> read = readVocabularyGGUF(vocabularyGGUF(vocabulary));
  ASSERT_TRUE(static_cast<bool>(read));
  EXPECT_TRUE(read->addBos);
  EXPECT_TRUE(read->addSpacePrefix);
  EXPECT_EQ(read->pieces, vocabulary.pieces);
}

TEST(Utf8Test, ValidityFollowsTheStandard) {
  EXPECT_EQ(validUtf8Length("a"), 1u);
  EXPECT_EQ(validUtf8Length("\xC3\xA9"), 2u);
  EXPECT_EQ(validUtf8Length("\xF0\x9F\x99\x82"), 4u);
  EXPECT_EQ(validUtf8Length("\xC0\xAF"), 0u);         // overlong
  EXPECT_EQ(validUtf8Length("\xED\xA0\x80"), 0u);     // surrogate
  EXPECT_EQ(validUtf8Length("\xF4\x90\x80\x80"), 0u); // above U+10FFFF
  EXPECT_EQ(validUtf8Length("\xE4\xB8"), 0u);
  EXPECT_TRUE(isIncompleteUtf8("\xE4\xB8"));
  EXPECT_TRUE(isIncompleteUtf8("\xF0"));
  EXPECT_FALSE(isIncompleteUtf8("\xE4\xB8\xAD"));
  EXPECT_FALSE(isIncompleteUtf8("\xFF"));
  EXPECT_FALSE(isIncompleteUtf8("\xE4"
                                "a"));
  std::string out;
  appendSanitizedUtf8("a\xFF\xE4\xB8"
                      "b",
                      out);
  EXPECT_EQ(out, "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                 "b");
}
