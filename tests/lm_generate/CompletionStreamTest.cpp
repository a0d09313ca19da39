//===- CompletionStreamTest.cpp - streaming, UTF-8 and stop strings --------===//
#include "lm/generate/CompletionStream.h"

#include <gtest/gtest.h>

using namespace optlm::lm;

namespace {
struct Streamed {
  std::vector<std::string> pieces;
  std::string text;
  bool stopped = false;
};

/// Feeds tokens one by one and collects what is streamed.
Streamed run(const std::vector<std::string> &tokens, std::vector<std::string> stops) {
  Streamed out;
  auto collect = [&](llvm::StringRef piece) {
    out.pieces.push_back(piece.str());
    return true;
  };
  CompletionStream stream(std::move(stops), collect);
  for (const std::string &token : tokens)
    if (!stream.append(token))
      break;
  stream.finish();
  out.text = stream.text();
  out.stopped = stream.stopped();
  std::string joined;
  for (const std::string &piece : out.pieces)
    joined += piece;
  EXPECT_EQ(joined, out.text) << "the pieces must add up to the text";
  return out;
}
} // namespace

TEST(CompletionStreamTest, StreamsTokensAsTheyCome) {
  Streamed out = run({"Hello", ",", " world"}, {});
  EXPECT_EQ(out.text, "Hello, world");
  EXPECT_EQ(out.pieces, (std::vector<std::string>{"Hello", ",", " world"}));
  EXPECT_FALSE(out.stopped);
}

TEST(CompletionStreamTest, StopStringInsideOneToken) {
  Streamed out = run({"abc", "dSTOPef", "gh"}, {"STOP"});
  EXPECT_EQ(out.text, "abcd");
  EXPECT_TRUE(out.stopped);
}

TEST(CompletionStreamTest, StopStringAcrossTokenBoundaries) {
  Streamed out = run({"x = 1", "</", "co", "de>", " more"}, {"</code>"});
  EXPECT_EQ(out.text, "x = 1");
  EXPECT_TRUE(out.stopped);
  // "</" and "co" were held back, never streamed.
  for (const std::string &piece : out.pieces)
    EXPECT_EQ(piece.find('<'), std::string::npos) << piece;
}

TEST(CompletionStreamTest, HeldTextIsReleasedWhenTheStopDoesNotFollow) {
  Streamed out = run({"a</", "co", "x"}, {"</code>"});
  EXPECT_EQ(out.text, "a</cox");
  EXPECT_FALSE(out.stopped);
  EXPECT_EQ(out.pieces, (std::vector<std::string>{"a", "</cox"}));
  // At the end, a held prefix of a stop is part of the text.
  out = run({"a</co"}, {"</code>"});
  EXPECT_EQ(out.text, "a</co");
  EXPECT_EQ(out.pieces.back(), "</co");
}

TEST(CompletionStreamTest, EarliestOfSeveralStops) {
  Streamed out = run({"one two", " three"}, {"three", "two"});
  EXPECT_EQ(out.text, "one ");
  // A stop that overlaps a false start of another.
  out = run({"aab", "c"}, {"abc"});
  EXPECT_EQ(out.text, "a");
}

TEST(CompletionStreamTest, BytesOfOneCharacterAreStreamedTogether) {
  // U+4E2D as three byte tokens, then an emoji split 1 + 3.
  Streamed out = run({"\xE4", "\xB8", "\xAD", "\xF0", "\x9F\x99\x82", "!"}, {});
  EXPECT_EQ(out.text, "\xE4\xB8\xAD\xF0\x9F\x99\x82!");
  EXPECT_EQ(out.pieces, (std::vector<std::string>{"\xE4\xB8\xAD", "\xF0\x9F\x99\x82", "!"}));
}

TEST(CompletionStreamTest, InvalidBytesBecomeReplacementCharacters) {
  Streamed out = run({"a", "\xFF", "\xE4\xB8", "b", "\xE4"}, {});
  EXPECT_EQ(out.text, "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                      "b\xEF\xBF\xBD");
}

TEST(CompletionStreamTest, StopStringsWithMultibyteCharacters) {
  Streamed out = run({"x\xE2\x96", "\x81y"}, {"\xE2\x96\x81"});
  EXPECT_EQ(out.text, "x");
  EXPECT_TRUE(out.stopped);
}

TEST(CompletionStreamTest, CallbackCancels) {
  std::vector<std::string> pieces;
  CompletionStream stream({}, [&](llvm::StringRef piece) {
    pieces.push_back(piece.str());
    return pieces.size() < 2;
  });
  EXPECT_TRUE(stream.append("one"));
  EXPECT_FALSE(stream.append("two"));
  EXPECT_TRUE(stream.cancelled());
  EXPECT_FALSE(stream.append("three"));
  stream.finish();
  EXPECT_EQ(stream.text(), "onetwo");
}
