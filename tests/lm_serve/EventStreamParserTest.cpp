//===- EventStreamParserTest.cpp - server-sent events in pieces -----------===//
#include "lm/serve/EventStreamParser.h"

#include "ServeTestSupport.h"

#include <gtest/gtest.h>

using namespace optlm::lm;

namespace {

std::vector<std::string> parseInChunks(llvm::StringRef stream, size_t chunkSize) {
  EventStreamParser parser;
  std::vector<std::string> events;
  for (size_t at = 0; at < stream.size(); at += chunkSize) {
    llvm::Error error = parser.feed(stream.substr(at, chunkSize), [&](llvm::StringRef data) {
      events.push_back(data.str());
      return llvm::Error::success();
    });
    EXPECT_EQ(test::errorText(std::move(error)), "");
  }
  EXPECT_FALSE(parser.hasPartialEvent());
  return events;
}

TEST(ServeEventStream, EventsSurviveAnySplit) {
  const std::string stream = "data: {\"a\":1}\n\n: keep-alive comment\n\ndata:{\"b\":2}\r\n\r\n"
                             "event: other\ndata: x\ndata: y\n\ndata: [DONE]\r\r";
  const std::vector<std::string> expected = {"{\"a\":1}", "{\"b\":2}", "x\ny", "[DONE]"};
  for (size_t chunk : {1u, 2u, 3u, 7u, 1000u})
    EXPECT_EQ(parseInChunks(stream, chunk), expected) << "chunk size " << chunk;
}

TEST(ServeEventStream, CutStreamLeavesAPartialEvent) {
  EventStreamParser parser;
  int events = 0;
  auto count = [&](llvm::StringRef) {
    ++events;
    return llvm::Error::success();
  };
  EXPECT_EQ(test::errorText(parser.feed("data: {\"a\"", count)), "");
  EXPECT_TRUE(parser.hasPartialEvent());
  EXPECT_EQ(events, 0);
}

TEST(ServeEventStream, OversizedEventIsAnError) {
  EventStreamParser parser(/*maxEventBytes=*/64);
  std::string huge = "data: " + std::string(100, 'x');
  llvm::Error error = parser.feed(huge, [](llvm::StringRef) { return llvm::Error::success(); });
  EXPECT_NE(test::errorText(std::move(error)).find("larger"), std::string::npos);
}

TEST(ServeEventStream, HandlerErrorStopsParsing) {
  EventStreamParser parser;
  int events = 0;
  llvm::Error error = parser.feed("data: 1\n\ndata: 2\n\n", [&](llvm::StringRef) -> llvm::Error {
    ++events;
    return llvm::createStringError(std::errc::bad_message, "bad event");
  });
  EXPECT_EQ(test::errorText(std::move(error)), "bad event");
  EXPECT_EQ(events, 1);
}

} // namespace
