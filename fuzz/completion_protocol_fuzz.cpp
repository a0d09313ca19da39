//===- completion_protocol_fuzz.cpp - libFuzzer target for the wire format ===//
//
// What the completion client and server read from the other side, and the
// server address a user types: arbitrary bytes as a server-sent event
// stream, a request body, a reply body and a URL. Beyond "no crash, no
// sanitizer report", it holds them to what their callers rely on:
//   - an event stream gives the same events however the network cuts it
//     into chunks (and the same error, if any);
//   - a request the server accepts, written again by the client's writer,
//     reads back with the same fields: the two directions agree; for a chat
//     request, the prompt it renders reads back as a conversation that the
//     client writes and the server renders to the same prompt;
//   - a URL that parses prints a URL that parses to the same address;
//   - errors are one non-empty line (the command line prints them so).
//
//===----------------------------------------------------------------------===//
#include "FuzzChecks.h"

#include "lm/serve/CompletionProtocol.h"
#include "lm/serve/EventStreamParser.h"
#include "lm/serve/Url.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdio>
#include <string>
#include <vector>

using namespace optlm::lm;
using namespace optlm::fuzz;

namespace {

/// The events of `stream` fed in pieces of `piece` bytes, and the error that
/// ended it ("" if none), with a small size limit so that it is reached.
std::pair<std::vector<std::string>, std::string> readEvents(llvm::StringRef stream, size_t piece) {
  EventStreamParser parser(/*maxEventBytes=*/256);
  std::vector<std::string> events;
  auto keep = [&](llvm::StringRef data) {
    events.push_back(data.str());
    return llvm::Error::success();
  };
  for (size_t at = 0; at < stream.size(); at += piece)
    if (llvm::Error error = parser.feed(stream.substr(at, piece), keep))
      return {events, oneLineError(std::move(error))};
  return {events, ""};
}

void checkChunkingDoesNotMatter(llvm::StringRef stream, size_t piece) {
  if (stream.empty())
    return;
  if (readEvents(stream, stream.size()) != readEvents(stream, piece))
    fail("the events depend on how the stream is cut");
}

void checkRequestRoundTrip(llvm::StringRef body) {
  CompletionPolicy policy;
  policy.servedModel = "m";
  auto request = parseCompletionRequest(body, policy);
  if (!request) {
    oneLineError(request.takeError());
    return;
  }
  const GenerationRequest &first = request->generation;
  auto again = parseCompletionRequest(completionRequestJson(first, "m", request->stream), policy);
  if (!again) {
    fprintf(stderr, "%s\n", llvm::toString(again.takeError()).c_str());
    fail("the server refuses the request the client wrote from one it accepted");
  }
  const GenerationRequest &second = again->generation;
  if (second.prompt != first.prompt || second.maxTokens != first.maxTokens ||
      second.stop != first.stop || second.constraint != first.constraint ||
      again->stream != request->stream ||
      // A pass limit means something only with the pass-list constraint.
      (first.constraint == ConstraintKind::PassList && second.maxPasses != first.maxPasses) ||
      second.sampling.temperature != first.sampling.temperature ||
      second.sampling.topK != first.sampling.topK || second.sampling.topP != first.sampling.topP ||
      second.sampling.seed != first.sampling.seed)
    fail("a request written again reads back with other fields");
}

/// A chat request the server accepts: its rendering reads back as a
/// conversation (unless a content holds the format's own markers), and that
/// conversation, written by the client, renders to the same prompt.
void checkChatRequestRoundTrip(llvm::StringRef body) {
  CompletionPolicy policy;
  policy.servedModel = "m";
  auto request = parseChatCompletionRequest(body, policy);
  if (!request) {
    oneLineError(request.takeError());
    return;
  }
  const GenerationRequest &first = request->generation;
  std::optional<std::vector<ChatMessage>> messages = readLlama2Chat(first);
  if (!messages) {
    // Reading cuts a finished exchange at its first " [/INST]" and the
    // system message at the first "<</SYS>>" marker; only contents that
    // hold those may be misread.
    bool ambiguous = llvm::any_of(first.precedingSequences, [](const std::string &s) {
      return llvm::StringRef(s).count(" [/INST]") > 1;
    });
    llvm::StringRef opening =
        first.precedingSequences.empty() ? first.prompt : first.precedingSequences.front();
    if (!ambiguous && opening.count("<</SYS>>") <= 1)
      fail("a conversation the server rendered does not read back");
    return;
  }
  auto again = parseChatCompletionRequest(
      chatCompletionRequestJson(first, *messages, "m", request->stream), policy);
  if (!again) {
    fprintf(stderr, "%s\n", llvm::toString(again.takeError()).c_str());
    fail("the server refuses the chat request the client wrote from one it accepted");
  }
  if (again->generation.prompt != first.prompt ||
      again->generation.precedingSequences != first.precedingSequences ||
      again->generation.maxTokens != first.maxTokens || again->stream != request->stream)
    fail("a chat request written again reads back with another prompt");
}

void checkUrlRoundTrip(llvm::StringRef text) {
  auto url = parseServerUrl(text);
  if (!url) {
    oneLineError(url.takeError());
    return;
  }
  auto again = parseServerUrl(url->str());
  if (!again) {
    fprintf(stderr, "%s\n", llvm::toString(again.takeError()).c_str());
    fail("a parsed URL prints as one that does not parse");
  }
  if (again->scheme != url->scheme || again->host != url->host || again->port != url->port ||
      again->basePath != url->basePath)
    fail("a parsed URL prints as another address");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  // The first byte picks the piece size, so the fuzzer explores the cuts.
  checkChunkingDoesNotMatter(input, 1 + (size ? data[0] % 16 : 0));
  checkRequestRoundTrip(input);
  checkChatRequestRoundTrip(input);
  if (auto reply = parseCompletionReply(input); !reply)
    oneLineError(reply.takeError());
  checkUrlRoundTrip(input);
  return 0;
}
