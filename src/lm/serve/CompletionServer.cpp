//===- CompletionServer.cpp - the OpenAI-compatible HTTP server -----------===//
#include "lm/serve/CompletionServer.h"

#include "lm/serve/ApiError.h"
#include "lm/serve/CompletionProtocol.h"
#include "lm/serve/RequestQueue.h"
#include "lm/serve/SigPipe.h"

#include "llvm/ADT/StringExtras.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

using namespace llvm;

namespace optlm::lm {

namespace {

constexpr const char *kJson = "application/json";
constexpr const char *kEventStream = "text/event-stream";

void setError(httplib::Response &res, int status, StringRef type, StringRef message,
              StringRef param = "", StringRef code = "") {
  res.status = status;
  res.set_content(errorJson(status, type, message, param, code), kJson);
}

void setError(httplib::Response &res, Error error) {
  handleAllErrors(
      std::move(error),
      [&](const ApiError &api) {
        setError(res, api.status(), api.type(), api.message(), api.param(), api.code());
      },
      [&](const ErrorInfoBase &other) {
        setError(res, 500, "server_error", other.message());
      });
}

/// A streamed completion: the generation runs on its own thread and hands
/// pieces to the HTTP worker, which writes them out. Running apart lets the
/// worker see errors that come before the first piece (a prompt too long
/// for the context) and still answer them with a status code, and lets a
/// failed write (the client went away) cancel the generation.
class StreamJob {
public:
  StreamJob(TextGenerator &generator, GenerationRequest request,
            std::unique_ptr<RequestQueue::Ticket> ticket, const std::atomic<bool> &stopping)
      : stopping_(stopping) {
    worker_ = std::thread([this, &generator, request = std::move(request),
                           ticket = std::move(ticket)]() mutable {
      run(generator, request, *ticket);
      ticket.reset(); // frees the model before the reply is finished
    });
  }
  ~StreamJob() {
    cancelled_ = true;
    worker_.join();
  }

  void cancel() { cancelled_ = true; }

  /// Waits for a piece or the end. Moves pieces out; true while more may come.
  bool next(std::vector<std::string> &pieces) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !pieces_.empty() || finished_; });
    pieces.assign(std::make_move_iterator(pieces_.begin()),
                  std::make_move_iterator(pieces_.end()));
    pieces_.clear();
    return !finished_;
  }

  /// Waits until there is a piece or the end, without taking anything.
  void waitForFirstEvent() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !pieces_.empty() || finished_; });
  }
  /// After the end: the error, if the generation failed before any piece.
  bool failedBeforeAnyPiece() {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_ && !result_ && !producedPiece_;
  }
  /// After the end: the result, or the error taken out.
  Expected<GenerationResult> takeResult() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (result_)
      return std::move(*result_);
    return std::move(error_);
  }

private:
  void run(TextGenerator &generator, const GenerationRequest &request,
           RequestQueue::Ticket &ticket) {
    Expected<GenerationResult> result = generate(generator, request, ticket);
    std::lock_guard<std::mutex> lock(mutex_);
    if (result)
      result_ = std::move(*result);
    else
      error_ = result.takeError();
    finished_ = true;
    changed_.notify_all();
  }

  Expected<GenerationResult> generate(TextGenerator &generator, const GenerationRequest &request,
                                      RequestQueue::Ticket &ticket) {
    if (!ticket.waitForTurn())
      return make_error<ApiError>(503, "server_error", "the server is shutting down");
    auto onPiece = [&](StringRef piece) {
      if (cancelled_ || stopping_)
        return false;
      std::lock_guard<std::mutex> lock(mutex_);
      pieces_.push_back(piece.str());
      producedPiece_ = true;
      changed_.notify_all();
      return true;
    };
    // This thread is ours, not httplib's: an exception escaping it would
    // end the process, so it becomes a 500 like in the other handlers.
    try {
      return generator.generate(request, onPiece);
    } catch (const std::exception &error) {
      return make_error<ApiError>(500, "server_error",
                                  std::string("internal server error: ") + error.what());
    }
  }

  const std::atomic<bool> &stopping_;
  std::atomic<bool> cancelled_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> pieces_;
  bool producedPiece_ = false;
  bool finished_ = false;
  std::optional<GenerationResult> result_;
  Error error_ = Error::success();
  std::thread worker_;
};

} // namespace

class CompletionServer::Impl {
public:
  Impl(TextGenerator &generator, ServerOptions options)
      : generator_(generator), options_(std::move(options)),
        queue_(options_.maxConcurrent), startTime_(std::time(nullptr)) {
    policy_.servedModel = generator_.modelName();
    policy_.maxTokensLimit = options_.maxTokensLimit;
    configure();
  }

  Expected<int> bind() {
    if (options_.port < 0 || options_.port > 65535)
      return createStringError(std::errc::invalid_argument, "port %d is out of range",
                               options_.port);
    if (options_.port == 0) {
      int port = server_.bind_to_any_port(options_.host);
      if (port <= 0)
        return createStringError(std::errc::address_not_available,
                                 "cannot listen on %s (not an address of this machine, or no "
                                 "free port)",
                                 options_.host.c_str());
      port_ = port;
    } else {
      if (!server_.bind_to_port(options_.host, options_.port))
        return createStringError(std::errc::address_in_use,
                                 "cannot listen on %s port %d (in use, or not an address of "
                                 "this machine)",
                                 options_.host.c_str(), options_.port);
      port_ = options_.port;
    }
    return port_;
  }

  Error serve() {
    if (port_ == 0)
      return createStringError(std::errc::invalid_argument, "serve() before bind()");
    serving_ = true;
    // The worker threads, started by listen_after_bind(), inherit the block.
    SigPipeBlocker blockSigPipe;
    bool listened = stopping_ || server_.listen_after_bind();
    serving_ = false;
    if (!listened && !stopping_)
      return createStringError(std::errc::io_error, "the server's listening socket failed");
    return Error::success();
  }

  void stop() {
    stopping_ = true;
    queue_.shutdown();
    // httplib ignores stop() until its accept loop runs: a stop that comes
    // just as serve() starts waits for the loop, briefly and boundedly.
    for (int i = 0; i < 2000 && serving_ && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server_.stop();
  }

  const ServerOptions &options() const { return options_; }
  int port() const { return port_; }

private:
  void configure() {
    // Threads for connections: the admitted requests, plus a few so that
    // /health and 503 answers still get through while they all wait.
    size_t threads = static_cast<size_t>(std::max(1, options_.maxConcurrent)) + 4;
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_payload_max_length(options_.maxBodyBytes);
    // httplib's default also sets SO_REUSEPORT, which lets a second server
    // bind a port already in use and silently share its connections. Only
    // SO_REUSEADDR (quick restarts) is wanted: a busy port must be an error.
    server_.set_socket_options([](socket_t socket) {
      int yes = 1;
      ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server_.set_read_timeout(options_.ioTimeoutSeconds, 0);
    server_.set_write_timeout(options_.ioTimeoutSeconds, 0);
    server_.set_keep_alive_timeout(2);

    server_.Get("/health", [this](const httplib::Request &, httplib::Response &res) {
      if (stopping_) {
        setError(res, 503, "server_error", "the server is shutting down");
        return;
      }
      res.set_content("{\"status\":\"ok\",\"requests\":" + std::to_string(queue_.admitted()) +
                          "}",
                      kJson);
    });
    server_.Get("/v1/models", [this](const httplib::Request &, httplib::Response &res) {
      res.set_content(modelListJson(policy_.servedModel, startTime_, generator_.contextLength()),
                      kJson);
    });
    // Every route that takes a body reads it through a content reader with
    // a bound: httplib's own reading enforces the size limit only for bodies
    // with a Content-Length, not for chunked ones, which could otherwise
    // grow without end.
    for (Endpoint endpoint : {Endpoint::Completions, Endpoint::ChatCompletions})
      server_.Post(endpointPath(endpoint).str(),
                   [this, endpoint](const httplib::Request &, httplib::Response &res,
                                    const httplib::ContentReader &reader) {
                     std::string body;
                     if (readBody(reader, res, &body))
                       complete(body, endpoint, res);
                   });

    // A known path with the wrong method is 405, not 404: the client
    // reached the right place and should learn which method it takes.
    struct Route {
      const char *path;
      const char *allow;
    };
    for (Route route : {Route{"/health", "GET, HEAD"}, Route{"/v1/models", "GET, HEAD"},
                        Route{"/v1/completions", "POST"}, Route{"/v1/chat/completions", "POST"}}) {
      auto refuse = [route](const httplib::Request &req, httplib::Response &res) {
        res.set_header("Allow", route.allow);
        setError(res, 405, "invalid_request_error",
                 req.method + " is not allowed on " + route.path + " (allowed: " + route.allow +
                     ")");
      };
      auto refuseAfterBody = [this, refuse](const httplib::Request &req, httplib::Response &res,
                                            const httplib::ContentReader &reader) {
        if (readBody(reader, res, nullptr))
          refuse(req, res);
      };
      std::string path = route.path;
      if (StringRef(route.allow) == "POST")
        server_.Get(path, refuse);
      else
        server_.Post(path, refuseAfterBody);
      server_.Put(path, refuseAfterBody);
      server_.Patch(path, refuseAfterBody);
      server_.Delete(path, refuseAfterBody);
      server_.Options(path, refuse);
    }
    // Unknown paths, for the methods with a body: bounded reading, then 404.
    auto unknownAfterBody = [this](const httplib::Request &req, httplib::Response &res,
                                   const httplib::ContentReader &reader) {
      if (readBody(reader, res, nullptr))
        setError(res, 404, "invalid_request_error",
                 "no route for " + req.method + " " + req.path);
    };
    server_.Post(".*", unknownAfterBody);
    server_.Put(".*", unknownAfterBody);
    server_.Patch(".*", unknownAfterBody);
    server_.Delete(".*", unknownAfterBody);

    // Whatever httplib answers by itself (unknown path, oversized body,
    // unparsable request) gets a JSON body too.
    server_.set_error_handler([this](const httplib::Request &req, httplib::Response &res) {
      if (!res.body.empty() || res.is_chunked_content_provider_)
        return;
      switch (res.status) {
      case 404:
        setError(res, 404, "invalid_request_error",
                 "no route for " + req.method + " " + req.path);
        break;
      case 413:
        setError(res, 413, "invalid_request_error",
                 "request body larger than " + std::to_string(options_.maxBodyBytes) +
                     " bytes");
        break;
      case 414:
        setError(res, 414, "invalid_request_error", "request URI too long");
        break;
      default:
        if (res.status >= 500)
          setError(res, res.status, "server_error", "internal server error");
        else
          setError(res, res.status, "invalid_request_error", "malformed HTTP request");
      }
    });
    server_.set_exception_handler(
        [](const httplib::Request &, httplib::Response &res, std::exception_ptr error) {
          std::string what = "internal server error";
          try {
            std::rethrow_exception(error);
          } catch (const std::exception &e) {
            what += std::string(": ") + e.what();
          } catch (...) {
          }
          setError(res, 500, "server_error", what);
        });
    if (options_.log)
      server_.set_logger([this](const httplib::Request &req, const httplib::Response &res) {
        std::lock_guard<std::mutex> lock(logMutex_);
        *options_.log << "optlm serve: " << req.remote_addr << " " << req.method << " "
                      << req.path << " " << res.status << "\n";
        options_.log->flush();
      });
  }

  CompletionIdentity newIdentity(const GenerationRequest &request, Endpoint endpoint) {
    CompletionIdentity identity;
    // OpenAI's prefixes, which some clients look at.
    identity.id = (endpoint == Endpoint::Completions ? "cmpl-" : "chatcmpl-") +
                  utohexstr(static_cast<uint64_t>(startTime_), /*LowerCase=*/true) + "-" +
                  std::to_string(++requestCount_);
    identity.created = std::time(nullptr);
    identity.model = policy_.servedModel;
    identity.constraint = request.constraint;
    identity.endpoint = endpoint;
    return identity;
  }

  /// Reads the request body into body (or discards it when body is null),
  /// at most maxBodyBytes. False, with the reply set (413 or 400), when the
  /// body is too large or cannot be read; the reply then asks the client to
  /// close the connection, since the rest of the body was never read.
  bool readBody(const httplib::ContentReader &reader, httplib::Response &res, std::string *body) {
    size_t received = 0;
    bool tooLarge = false;
    bool complete = reader([&](const char *data, size_t size) {
      if (received + size > options_.maxBodyBytes) {
        tooLarge = true;
        return false;
      }
      received += size;
      if (body)
        body->append(data, size);
      return true;
    });
    if (complete)
      return true;
    if (tooLarge || res.status == 413)
      setError(res, 413, "invalid_request_error",
               "request body larger than " + std::to_string(options_.maxBodyBytes) + " bytes");
    else
      setError(res, 400, "invalid_request_error", "cannot read the request body");
    res.set_header("Connection", "close");
    return false;
  }

  void complete(const std::string &body, Endpoint endpoint, httplib::Response &res) {
    Expected<CompletionRequest> parsed = endpoint == Endpoint::Completions
                                             ? parseCompletionRequest(body, policy_)
                                             : parseChatCompletionRequest(body, policy_);
    if (!parsed)
      return setError(res, parsed.takeError());
    std::unique_ptr<RequestQueue::Ticket> ticket = queue_.tryAdmit();
    if (!ticket) {
      res.set_header("Retry-After", "1");
      return setError(res, 503, "server_error",
                      stopping_ ? "the server is shutting down"
                                : "the server is busy (" +
                                      std::to_string(options_.maxConcurrent) +
                                      " requests already admitted); retry later");
    }
    CompletionIdentity identity = newIdentity(parsed->generation, endpoint);
    if (parsed->stream)
      return completeStreaming(std::move(parsed->generation), std::move(ticket), identity, res);

    if (!ticket->waitForTurn())
      return setError(res, 503, "server_error", "the server is shutting down");
    Expected<GenerationResult> result =
        generator_.generate(parsed->generation, [this](StringRef) { return !stopping_.load(); });
    ticket.reset();
    if (!result)
      return setError(res, generationError(result.takeError()));
    if (result->finish == FinishReason::Cancelled)
      return setError(res, 503, "server_error", "the server is shutting down");
    res.set_content(completionReplyJson(identity, *result), kJson);
  }

  void completeStreaming(GenerationRequest request, std::unique_ptr<RequestQueue::Ticket> ticket,
                         const CompletionIdentity &identity, httplib::Response &res) {
    auto job = std::make_shared<StreamJob>(generator_, std::move(request), std::move(ticket),
                                           stopping_);
    job->waitForFirstEvent();
    if (job->failedBeforeAnyPiece())
      return setError(res, generationError(job->takeResult().takeError()));

    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider(
        kEventStream, [job, identity](size_t, httplib::DataSink &sink) {
          auto send = [&](const std::string &payload) {
            std::string event = "data: " + payload + "\n\n";
            return sink.write(event.data(), event.size());
          };
          if (std::string opening = streamOpeningChunkJson(identity);
              !opening.empty() && !send(opening)) {
            job->cancel();
            return false;
          }
          std::vector<std::string> pieces;
          bool more = true;
          while (more) {
            more = job->next(pieces);
            for (const std::string &piece : pieces)
              if (!send(completionChunkJson(identity, piece))) {
                // The client is gone: stop the model rather than talk to
                // nobody, and drop the connection.
                job->cancel();
                return false;
              }
          }
          Expected<GenerationResult> result = job->takeResult();
          if (!result) {
            // Headers are out already; the error goes in the stream.
            std::string message = toString(result.takeError());
            send(errorJson(500, "server_error", message));
          } else if (result->finish == FinishReason::Cancelled) {
            send(errorJson(503, "server_error", "the server is shutting down"));
          } else if (!send(completionFinalChunkJson(identity, *result))) {
            return false;
          }
          send("[DONE]");
          sink.done();
          return true;
        });
  }

  /// Errors from generate() are about the request (prompt longer than the
  /// context, parameters the backend refuses) unless they say otherwise.
  static Error generationError(Error error) {
    return handleErrors(std::move(error), [](std::unique_ptr<ErrorInfoBase> info) -> Error {
      if (info->isA<ApiError>())
        return Error(std::move(info));
      if (info->isA<ContextOverflowError>())
        return make_error<ApiError>(400, "invalid_request_error", info->message(), "prompt",
                                    ContextLengthExceededCode.str());
      return invalidRequest(info->message());
    });
  }

  TextGenerator &generator_;
  ServerOptions options_;
  CompletionPolicy policy_;
  RequestQueue queue_;
  httplib::Server server_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> serving_{false};
  std::atomic<uint64_t> requestCount_{0};
  int64_t startTime_;
  int port_ = 0;
  std::mutex logMutex_;
};

CompletionServer::CompletionServer(TextGenerator &generator, ServerOptions options)
    : impl_(std::make_unique<Impl>(generator, std::move(options))) {}

CompletionServer::~CompletionServer() { impl_->stop(); }

Expected<int> CompletionServer::bind() { return impl_->bind(); }
Error CompletionServer::serve() { return impl_->serve(); }
void CompletionServer::stop() { impl_->stop(); }
const ServerOptions &CompletionServer::options() const { return impl_->options(); }
int CompletionServer::port() const { return impl_->port(); }

} // namespace optlm::lm
