//===- RemoteGenerator.cpp - TextGenerator over an HTTP server ------------===//
#include "lm/serve/RemoteGenerator.h"

#include "lm/serve/ApiError.h"
#include "lm/serve/CompletionProtocol.h"
#include "lm/serve/EventStreamParser.h"
#include "lm/serve/SigPipe.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"

#include <httplib.h>

#include <algorithm>
#include <thread>
#include <variant>

using namespace llvm;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace optlm::lm {

namespace {

/// A whole (non-streamed) reply or an error body may not exceed this: a
/// server that sends more is not answering a completion request.
constexpr size_t kMaxReplyBytes = 64u << 20;

/// How one attempt ended, and whether another could do better.
struct AttemptFailure {
  Error error;
  bool retryable = false;
  /// The server's Retry-After, when it sent one.
  milliseconds retryAfter{0};
};

template <typename T> using AttemptResult = std::variant<T, AttemptFailure>;

std::string describe(httplib::Error error, const RemoteOptions &options) {
  switch (error) {
  case httplib::Error::Connection:
    return "connection refused or failed";
  case httplib::Error::ConnectionTimeout:
    return "no connection within " + std::to_string(options.connectTimeout.count()) + " ms";
  case httplib::Error::Read:
    return "connection lost while reading the reply";
  case httplib::Error::Write:
    return "connection lost while sending the request";
  case httplib::Error::BindIPAddress:
    return "cannot bind the local address";
  case httplib::Error::SSLConnection:
    return "TLS handshake failed";
  case httplib::Error::SSLLoadingCerts:
    return "cannot load the TLS certificate store";
  case httplib::Error::SSLServerVerification:
    return "the server's TLS certificate was not accepted";
  case httplib::Error::Compression:
    return "cannot decompress the reply";
  default:
    return "HTTP error (" + httplib::to_string(error) + ")";
  }
}

milliseconds parseRetryAfter(const httplib::Response &response) {
  unsigned seconds = 0;
  if (StringRef(response.get_header_value("Retry-After")).trim().getAsInteger(10, seconds))
    return milliseconds(0);
  return milliseconds(static_cast<int64_t>(std::min(seconds, 3600u)) * 1000);
}

/// Statuses worth another try: the server is overloaded or briefly broken.
bool transientStatus(int status) { return status == 429 || (status >= 500 && status <= 599); }

} // namespace

/// The HTTP side: a fresh connection per attempt (cheap next to a
/// completion), so that concurrent generate() calls share nothing.
class RemoteGenerator::Transport {
public:
  Transport(const RemoteOptions &options, const ServerUrl &url)
      : TheOptions(options), TheUrl(url) {}

  std::unique_ptr<httplib::Client> client() const {
    auto client = TheUrl.isHttps()
                      ? std::make_unique<httplib::Client>("https://" + TheUrl.authority())
                      : std::make_unique<httplib::Client>(TheUrl.host, TheUrl.port);
    client->set_connection_timeout(TheOptions.connectTimeout);
    client->set_read_timeout(TheOptions.readTimeout);
    client->set_write_timeout(TheOptions.readTimeout);
    client->set_keep_alive(false);
    if (!TheOptions.apiKey.empty())
      client->set_bearer_token_auth(TheOptions.apiKey);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (TheUrl.isHttps() && !TheOptions.caCertFile.empty())
      client->set_ca_cert_path(TheOptions.caCertFile);
#endif
    return client;
  }

  /// Runs attempt() until it succeeds, fails for good or runs out of tries.
  template <typename T>
  Expected<T> withRetries(StringRef what, function_ref<AttemptResult<T>()> attempt) const {
    milliseconds backoff = TheOptions.initialBackoff;
    int attempts = std::max(1, TheOptions.maxAttempts);
    for (int number = 1;; ++number) {
      AttemptResult<T> result = attempt();
      if (std::holds_alternative<T>(result))
        return std::move(std::get<T>(result));
      AttemptFailure &failure = std::get<AttemptFailure>(result);
      if (!failure.retryable)
        return std::move(failure.error);
      if (number >= attempts)
        return createStringError(std::errc::connection_refused, "%s %s: %s (gave up after %d %s)",
                                 what.str().c_str(), TheUrl.str().c_str(),
                                 toString(std::move(failure.error)).c_str(), number,
                                 number == 1 ? "attempt" : "attempts");
      consumeError(std::move(failure.error));
      milliseconds wait = std::max(backoff, std::min(failure.retryAfter, TheOptions.maxBackoff));
      std::this_thread::sleep_for(wait);
      backoff = std::min(backoff * 2, TheOptions.maxBackoff);
    }
  }

  /// The failure for a reply whose status is not 200.
  AttemptFailure statusFailure(const httplib::Response &response, StringRef body) const {
    std::string message = errorMessageOfReply(body);
    if (isContextOverflowReply(response.status, body))
      return AttemptFailure{make_error<ContextOverflowError>(
          "the server answered " + std::to_string(response.status) + ": " + message)};
    AttemptFailure failure{make_error<ApiError>(
        response.status, response.status >= 500 ? "server_error" : "invalid_request_error",
        "the server answered " + std::to_string(response.status) + ": " + message)};
    failure.retryable = transientStatus(response.status);
    failure.retryAfter = parseRetryAfter(response);
    return failure;
  }

  AttemptFailure transportFailure(httplib::Error error, Clock::time_point start,
                                  bool anythingDelivered) const {
    AttemptFailure failure{
        createStringError(std::errc::io_error, "%s", describe(error, TheOptions).c_str())};
    switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::Write:
      failure.retryable = !anythingDelivered;
      break;
    case httplib::Error::Read: {
      // httplib reports a read timeout and a reset alike; the clock tells
      // them apart. Only the reset is worth repeating.
      bool timedOut = Clock::now() - start >= TheOptions.readTimeout - milliseconds(50);
      if (timedOut)
        failure.error =
            createStringError(std::errc::timed_out, "no reply within %lld ms (the read timeout)",
                              static_cast<long long>(TheOptions.readTimeout.count()));
      else
        consumeError(
            std::exchange(failure.error, createStringError(std::errc::io_error, "%s",
                                                           describe(error, TheOptions).c_str())));
      failure.retryable = !timedOut && !anythingDelivered;
      break;
    }
    default:
      break;
    }
    return failure;
  }

  std::string path(StringRef route) const { return TheUrl.basePath + route.str(); }

  const RemoteOptions &TheOptions;
  const ServerUrl &TheUrl;
};

Expected<std::unique_ptr<RemoteGenerator>> RemoteGenerator::create(RemoteOptions options) {
  Expected<ServerUrl> url = parseServerUrl(options.url);
  if (!url)
    return url.takeError();
  if (options.maxAttempts < 1)
    return createStringError(std::errc::invalid_argument, "maxAttempts must be at least 1");
  if (!options.caCertFile.empty() && !sys::fs::exists(options.caCertFile))
    return createStringError(std::errc::no_such_file_or_directory,
                             "CA certificate file '%s' does not exist", options.caCertFile.c_str());
  if (options.connectTimeout <= milliseconds(0) || options.readTimeout <= milliseconds(0))
    return createStringError(std::errc::invalid_argument, "timeouts must be positive");
  // A pasted chat URL says which API the server offers.
  if (options.api == RemoteApi::Auto &&
      StringRef(options.url).trim().rtrim('/').ends_with("/v1/chat/completions"))
    options.api = RemoteApi::Chat;
  return std::unique_ptr<RemoteGenerator>(new RemoteGenerator(std::move(options), *url));
}

RemoteGenerator::RemoteGenerator(RemoteOptions options, ServerUrl url)
    : TheOptions(std::move(options)), TheUrl(std::move(url)),
      TheTransport(std::make_unique<Transport>(TheOptions, TheUrl)), TheModel(TheOptions.model),
      TheChat(TheOptions.api == RemoteApi::Chat) {}

RemoteGenerator::~RemoteGenerator() = default;

std::string RemoteGenerator::modelName() const {
  std::lock_guard<std::mutex> lock(Mutex);
  return TheModel;
}

int RemoteGenerator::contextLength() const {
  std::lock_guard<std::mutex> lock(Mutex);
  return ContextLength;
}

Error RemoteGenerator::connect() {
  std::lock_guard<std::mutex> lock(Mutex);
  if (Connected)
    return Error::success();
  Expected<std::vector<ModelInfo>> models = TheTransport->withRetries<std::vector<ModelInfo>>(
      "cannot list the models of", [&]() -> AttemptResult<std::vector<ModelInfo>> {
        auto client = TheTransport->client();
        auto start = Clock::now();
        httplib::Result result = [&] {
          SigPipeBlocker blockSigPipe;
          return client->Get(TheTransport->path("/v1/models"));
        }();
        if (!result)
          return TheTransport->transportFailure(result.error(), start, false);
        if (result->status != 200)
          return TheTransport->statusFailure(*result, result->body);
        Expected<std::vector<ModelInfo>> parsed = parseModelList(result->body);
        if (!parsed)
          return AttemptFailure{parsed.takeError()};
        return std::move(*parsed);
      });
  if (!models) {
    // A server without a model list (404) can still complete: without a
    // name to check or discover, requests go out naming no model, which
    // single-model servers accept.
    bool noList = false;
    Error error = handleErrors(models.takeError(), [&](std::unique_ptr<ApiError> api) -> Error {
      if (api->status() == 404) {
        noList = true;
        return Error::success();
      }
      return Error(std::move(api));
    });
    if (!noList)
      return error;
    Connected = true;
    return Error::success();
  }

  if (TheOptions.model.empty()) {
    TheModel = models->front().id;
    ContextLength = models->front().contextLength;
  } else {
    auto found =
        llvm::find_if(*models, [&](const ModelInfo &m) { return m.id == TheOptions.model; });
    if (found == models->end()) {
      std::string served;
      for (const ModelInfo &m : *models)
        served += (served.empty() ? "" : ", ") + m.id;
      return createStringError(std::errc::invalid_argument,
                               "the server at %s does not serve model '%s' (it serves: %s)",
                               TheUrl.str().c_str(), TheOptions.model.c_str(), served.c_str());
    }
    ContextLength = found->contextLength;
  }
  Connected = true;
  return Error::success();
}

Expected<GenerationResult> RemoteGenerator::generate(const GenerationRequest &request,
                                                     PieceCallback onPiece) {
  if (Error error = validateRequest(request))
    return std::move(error);
  // Without a model name most servers refuse the request; ask which one.
  if (TheOptions.model.empty())
    if (Error error = connect())
      return std::move(error);

  // Finished exchanges before the prompt have no text form: only the chat
  // API can carry them, as earlier messages.
  bool needsChat = !request.precedingSequences.empty();
  if (needsChat && TheOptions.api == RemoteApi::Completions)
    return createStringError(std::errc::not_supported,
                             "a request with preceding sequences (a conversation) needs the "
                             "chat API, not /v1/completions");
  if (TheChat || needsChat)
    return send(request, onPiece, Endpoint::ChatCompletions);
  Expected<GenerationResult> result = send(request, onPiece, Endpoint::Completions);
  if (result || TheOptions.api != RemoteApi::Auto)
    return result;

  // 404: a server without /v1/completions may still offer chat.
  std::string completionsMessage;
  Error error = handleErrors(result.takeError(), [&](std::unique_ptr<ApiError> api) -> Error {
    if (api->status() != 404)
      return Error(std::move(api));
    completionsMessage = api->message();
    return Error::success();
  });
  if (error)
    return std::move(error);
  Expected<GenerationResult> chat = send(request, onPiece, Endpoint::ChatCompletions);
  if (chat) {
    TheChat = true;
    return chat;
  }
  return handleErrors(chat.takeError(), [&](std::unique_ptr<ApiError> api) -> Error {
    if (api->status() != 404) {
      // Chat is there (it refused this request for another reason).
      TheChat = true;
      return Error(std::move(api));
    }
    return make_error<ApiError>(404, "invalid_request_error",
                                "no completion from " + TheUrl.str() +
                                    ": /v1/completions: " + completionsMessage +
                                    "; /v1/chat/completions: " + api->message());
  });
}

Expected<GenerationResult> RemoteGenerator::send(const GenerationRequest &request,
                                                 PieceCallback onPiece, Endpoint endpoint) {
  bool stream = static_cast<bool>(onPiece) || TheOptions.alwaysStream;
  std::string body;
  if (endpoint == Endpoint::Completions) {
    body = completionRequestJson(request, modelName(), stream);
  } else {
    // The conversation the prompt is in Llama 2's format, so that a server
    // rendering it so reads the same prompt; any other prompt is one user
    // message, which the server's own format wraps.
    std::optional<std::vector<ChatMessage>> messages = readLlama2Chat(request);
    if (!messages && !request.precedingSequences.empty())
      return createStringError(std::errc::not_supported,
                               "preceding sequences not in Llama 2's chat format cannot be "
                               "sent as a conversation");
    if (!messages)
      messages = std::vector<ChatMessage>{{ChatRole::User, request.prompt}};
    body = chatCompletionRequestJson(request, *messages, modelName(), stream);
  }
  bool wantConstraint = request.constraint == ConstraintKind::PassList;
  auto noConstraint = [&] {
    return make_error<ConstraintUnsupportedError>(
        "the server at " + TheUrl.str() +
        " did not apply optlm's pass-list constraint (not an optlm server?); ask without the "
        "constraint");
  };

  return TheTransport->withRetries<GenerationResult>(
      "no completion from", [&]() -> AttemptResult<GenerationResult> {
        GenerationResult result;
        bool delivered = false, cancelled = false, finished = false, sawDone = false;
        bool sawChunk = false;
        Error streamError = Error::success();
        int status = 0;
        std::string replyBody;
        EventStreamParser events;

        auto onEvent = [&](StringRef data) -> Error {
          if (data.trim() == "[DONE]") {
            sawDone = true;
            return Error::success();
          }
          Expected<CompletionReply> chunk = parseCompletionReply(data);
          if (!chunk)
            return chunk.takeError();
          sawChunk = true;
          bool hasContent = !chunk->text.empty() || chunk->finish;
          if (wantConstraint && hasContent && !chunk->constraintApplied)
            return noConstraint();
          if (chunk->promptTokens)
            result.promptTokens = *chunk->promptTokens;
          if (chunk->completionTokens)
            result.completionTokens = *chunk->completionTokens;
          if (chunk->finish) {
            result.finish = *chunk->finish;
            result.promptSeconds = chunk->promptSeconds;
            result.completionSeconds = chunk->completionSeconds;
            finished = true;
          }
          if (!chunk->text.empty()) {
            result.text += chunk->text;
            delivered = true;
            if (onPiece && !onPiece(chunk->text)) {
              cancelled = true;
              return createStringError(std::errc::operation_canceled, "cancelled");
            }
          }
          return Error::success();
        };

        httplib::Request http;
        http.method = "POST";
        http.path = TheTransport->path(endpointPath(endpoint));
        http.body = body;
        http.headers.emplace("Content-Type", "application/json");
        http.headers.emplace("Accept", stream ? "text/event-stream" : "application/json");
        // Some servers ignore "stream": true and answer with one JSON
        // reply; the content type tells which one came.
        bool eventStream = false;
        http.response_handler = [&](const httplib::Response &response) {
          status = response.status;
          eventStream = StringRef(response.get_header_value("Content-Type"))
                            .trim()
                            .starts_with_insensitive("text/event-stream");
          return true;
        };
        http.content_receiver = [&](const char *data, size_t size, uint64_t, uint64_t) {
          if (status == 200 && stream && eventStream) {
            if (Error error = events.feed(StringRef(data, size), onEvent)) {
              streamError = std::move(error);
              return false;
            }
            return true;
          }
          if (replyBody.size() + size > kMaxReplyBytes) {
            streamError = createStringError(std::errc::message_size,
                                            "malformed reply from server: larger than %zu bytes",
                                            kMaxReplyBytes);
            return false;
          }
          replyBody.append(data, size);
          return true;
        };

        auto client = TheTransport->client();
        auto start = Clock::now();
        httplib::Result reply = [&] {
          SigPipeBlocker blockSigPipe;
          return client->send(http);
        }();

        if (cancelled) {
          consumeError(std::move(streamError));
          result.finish = FinishReason::Cancelled;
          return std::move(result);
        }
        if (streamError)
          return AttemptFailure{std::move(streamError)};
        if (!reply)
          return TheTransport->transportFailure(reply.error(), start, delivered);
        if (reply->status != 200)
          return TheTransport->statusFailure(*reply, replyBody);

        if (stream && eventStream) {
          if (!finished && !sawDone) {
            AttemptFailure failure{createStringError(
                std::errc::bad_message, "malformed reply from server: the stream ended %s",
                sawChunk ? "before the last chunk" : "without any event")};
            failure.retryable = !delivered;
            return failure;
          }
          if (!finished)
            return AttemptFailure{createStringError(
                std::errc::bad_message, "malformed reply from server: no finish_reason in the "
                                        "stream")};
          return std::move(result);
        }

        Expected<CompletionReply> parsed = parseCompletionReply(replyBody);
        if (!parsed)
          return AttemptFailure{parsed.takeError()};
        if (!parsed->finish)
          return AttemptFailure{createStringError(
              std::errc::bad_message, "malformed reply from server: 'choices[0].finish_reason' "
                                      "is missing")};
        if (wantConstraint && !parsed->constraintApplied)
          return AttemptFailure{noConstraint()};
        result.text = std::move(parsed->text);
        result.finish = *parsed->finish;
        result.promptTokens = parsed->promptTokens.value_or(0);
        result.completionTokens = parsed->completionTokens.value_or(0);
        result.promptSeconds = parsed->promptSeconds;
        result.completionSeconds = parsed->completionSeconds;
        if (onPiece && !result.text.empty() && !onPiece(result.text))
          result.finish = FinishReason::Cancelled;
        return std::move(result);
      });
}

} // namespace optlm::lm
