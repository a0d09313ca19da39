//===- RemoteGenerator.h - TextGenerator over an HTTP server -------*- C++ -*-===//
//
// The TextGenerator interface over any server that speaks OpenAI's
// /v1/completions: optlm serve, vLLM, llama.cpp's server. Tasks use it
// exactly like the local runtime, so a big model on a GPU machine can answer
// for a laptop's optlm. A server that only offers /v1/chat/completions is
// asked there: the prompt goes as the conversation it is in Llama 2's chat
// format (ChatFormat.h), or else as one user message.
//
// Transport failures that may pass (connection refused or reset, connect
// timeouts, 5xx, 429) are retried with exponential backoff, up to a limit;
// a refusal (other 4xx) is reported at once with the server's own message,
// and a reply that is not what the API promises (not JSON, missing fields,
// wrong types) is an error that says so. A read timeout is not retried: the
// server may still be busy with the request, and repeating it would only
// queue the same work twice.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/Generator.h"
#include "lm/serve/Url.h"

#include "llvm/Support/Error.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

namespace optlm::lm {

enum class Endpoint;

/// Which of OpenAI's APIs the client asks.
enum class RemoteApi {
  /// /v1/completions, and /v1/chat/completions from the first 404 there on
  /// (a server that only offers chat). A URL ending in /v1/chat/completions,
  /// or a request with preceding sequences, goes to chat at once.
  Auto,
  /// /v1/completions only.
  Completions,
  /// /v1/chat/completions only.
  Chat,
};

struct RemoteOptions {
  /// http://HOST[:PORT][/PREFIX]; a trailing /v1 or /v1/completions is fine.
  std::string url;
  /// The model to ask for. Empty: the first model the server lists
  /// (GET /v1/models), asked once before the first request.
  std::string model;
  /// Sent as "Authorization: Bearer KEY" when not empty.
  std::string apiKey;
  /// For https: a PEM file of certificate authorities to trust instead of
  /// the system's (a self-hosted server's own CA). Empty: the system's.
  std::string caCertFile;
  std::chrono::milliseconds connectTimeout{5000};
  /// Longest silence while waiting for a reply: a whole completion, or the
  /// next chunk of a stream.
  std::chrono::milliseconds readTimeout{600000};
  /// Attempts per request, the first included (1: no retries).
  int maxAttempts = 4;
  /// Wait before the first retry; it doubles up to maxBackoff. A server's
  /// Retry-After header (seconds) is honoured up to maxBackoff.
  std::chrono::milliseconds initialBackoff{250};
  std::chrono::milliseconds maxBackoff{4000};
  /// Ask for server-sent events even when the caller does not want pieces.
  bool alwaysStream = false;
  RemoteApi api = RemoteApi::Auto;
};

class RemoteGenerator : public TextGenerator {
public:
  /// Checks the options (the URL above all); does not contact the server.
  static llvm::Expected<std::unique_ptr<RemoteGenerator>> create(RemoteOptions options);
  ~RemoteGenerator() override;

  /// Asks the server for its model (unless RemoteOptions::model names one)
  /// and context length, with the usual retries. generate() does this on
  /// first use; calling it early reports an unreachable server up front.
  llvm::Error connect();

  /// Streams (and hands pieces to onPiece) when onPiece is given. Retries
  /// only while nothing has been handed over, so callers never see a piece
  /// twice.
  llvm::Expected<GenerationResult> generate(const GenerationRequest &request,
                                            PieceCallback onPiece = {}) override;

  /// The model named in the options or found by connect(); empty before.
  std::string modelName() const override;
  /// As the server reports it (vLLM's and optlm's max_model_len); 0 when
  /// unknown or before connect().
  int contextLength() const override;

  const ServerUrl &url() const { return TheUrl; }

private:
  RemoteGenerator(RemoteOptions options, ServerUrl url);
  /// One request to one endpoint, with the usual retries.
  llvm::Expected<GenerationResult> send(const GenerationRequest &request, PieceCallback onPiece,
                                        Endpoint endpoint);

  class Transport;
  RemoteOptions TheOptions;
  ServerUrl TheUrl;
  std::unique_ptr<Transport> TheTransport;
  mutable std::mutex Mutex;
  bool Connected = false;
  std::string TheModel;
  int ContextLength = 0;
  /// Asks /v1/chat/completions (RemoteApi::Chat, or Auto after a 404).
  std::atomic<bool> TheChat{false};
};

} // namespace optlm::lm
