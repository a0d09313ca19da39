//===- CompletionServer.h - the OpenAI-compatible HTTP server ------*- C++ -*-===//
//
// Serves one TextGenerator over HTTP with OpenAI's legacy completions API
// and its chat completions API:
//   POST /v1/completions        a completion, whole or streamed (server-sent events)
//   POST /v1/chat/completions   the same for a conversation, in Llama 2's chat
//                               format (ChatFormat.h)
//   GET  /v1/models             the one model served
//   GET  /health                liveness, for scripts that wait for the server
// The model runs one request at a time; others wait in arrival order up to
// maxConcurrent admitted requests, and beyond that get 503 (RequestQueue).
// Every answer that is not a success is a JSON error object with a proper
// status, whatever the client sent. docs/serving.md describes the API.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/Generator.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <memory>
#include <string>

namespace optlm::lm {

struct ServerOptions {
  /// Address to listen on. The default keeps the server private to this
  /// machine; exposing it is an explicit choice.
  std::string host = "127.0.0.1";
  /// 0 picks a free port; CompletionServer::bind() says which.
  int port = 0;
  /// Largest max_tokens a request may ask for.
  int maxTokensLimit = 4096;
  /// Largest request body accepted; larger ones get 413.
  size_t maxBodyBytes = 1u << 20;
  /// Requests admitted at once, running (one) plus waiting; more get 503.
  int maxConcurrent = 4;
  /// Seconds a client may stall while sending a request or taking a reply.
  int ioTimeoutSeconds = 30;
  /// Where to log one line per request; nullptr for silence.
  llvm::raw_ostream *log = nullptr;
};

class CompletionServer {
public:
  /// The generator must outlive the server, and a thread running serve()
  /// must have returned before the server is destroyed.
  CompletionServer(TextGenerator &generator, ServerOptions options);
  ~CompletionServer();
  CompletionServer(const CompletionServer &) = delete;
  CompletionServer &operator=(const CompletionServer &) = delete;

  /// Opens the listening socket and returns the port bound.
  llvm::Expected<int> bind();
  /// Answers requests until stop(); needs a successful bind() first.
  llvm::Error serve();
  /// Safe from any thread, also while serve() runs, and more than once:
  /// refuses new work, cancels the running generation, wakes waiting
  /// requests (503) and makes serve() return once in-flight replies end.
  void stop();

  const ServerOptions &options() const;
  /// The port bound, or 0 before bind().
  int port() const;

private:
  class Impl;
  std::unique_ptr<Impl> TheImpl;
};

} // namespace optlm::lm
