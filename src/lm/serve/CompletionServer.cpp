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
      [&](const ErrorInfoBase &other) { setError(res, 500, "server_error", other.message()); });
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
      : Stopping(stopping) {
    Worker = std::thread(
        [this, &generator, request = std::move(request), ticket = std::move(ticket)]() mutable {
          run(generator, request, *ticket);
          ticket.reset(); // frees the model before the reply is finished
        });
  }
  ~StreamJob() {
    TheCancelled = true;
    Worker.join();
  }

  void cancel() { TheCancelled = true; }

  /// Waits for a piece or the end. Moves pieces out; true while more may come.
  bool next(std::vector<std::string> &pieces) {
    std::unique_lock<std::mutex> lock(Mutex);
    Changed.wait(lock, [&] { return !Pieces.empty() || Finished; });
    pieces.assign(std::make_move_iterator(Pieces.begin()), std::make_move_iterator(Pieces.end()));
    Pieces.clear();
    return !Finished;
  }

  /// Waits until there is a piece or the end, without taking anything.
  void waitForFirstEvent() {
    std::unique_lock<std::mutex> lock(Mutex);
    Changed.wait(lock, [&] { return !Pieces.empty() || Finished; });
  }
  /// After the end: the error, if the generation failed before any piece.
  bool failedBeforeAnyPiece() {
    std::lock_guard<std::mutex> lock(Mutex);
    return Finished && !Result && !ProducedPiece;
  }
  /// After the end: the result, or the error taken out.
  Expected<GenerationResult> takeResult() {
    std::lock_guard<std::mutex> lock(Mutex);
    if (Result)
      return std::move(*Result);
    return std::move(TheError);
  }

private:
  void run(TextGenerator &generator, const GenerationRequest &request,
           RequestQueue::Ticket &ticket) {
    Expected<GenerationResult> result = generate(generator, request, ticket);
    std::lock_guard<std::mutex> lock(Mutex);
    if (result)
      Result = std::move(*result);
    else
      TheError = result.takeError();
    Finished = true;
    Changed.notify_all();
  }

  Expected<GenerationResult> generate(TextGenerator &generator, const GenerationRequest &request,
                                      RequestQueue::Ticket &ticket) {
    if (!ticket.waitForTurn())
      return make_error<ApiError>(503, "server_error", "the server is shutting down");
    auto onPiece = [&](StringRef piece) {
      if (TheCancelled || Stopping)
        return false;
      std::lock_guard<std::mutex> lock(Mutex);
      Pieces.push_back(piece.str());
      ProducedPiece = true;
      Changed.notify_all();
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

  const std::atomic<bool> &Stopping;
  std::atomic<bool> TheCancelled{false};
  std::mutex Mutex;
  std::condition_variable Changed;
  std::deque<std::string> Pieces;
  bool ProducedPiece = false;
  bool Finished = false;
  std::optional<GenerationResult> Result;
  Error TheError = Error::success();
  std::thread Worker;
};

} // namespace

class CompletionServer::Impl {
public:
  Impl(TextGenerator &generator, ServerOptions options)
      : TheGenerator(generator), TheOptions(std::move(options)), Queue(TheOptions.maxConcurrent),
        StartTime(std::time(nullptr)) {
    Policy.servedModel = TheGenerator.modelName();
    Policy.maxTokensLimit = TheOptions.maxTokensLimit;
    configure();
  }

  Expected<int> bind() {
    if (TheOptions.port < 0 || TheOptions.port > 65535)
      return createStringError(std::errc::invalid_argument, "port %d is out of range",
                               TheOptions.port);
    if (TheOptions.port == 0) {
      int port = TheServer.bind_to_any_port(TheOptions.host);
      if (port <= 0)
        return createStringError(std::errc::address_not_available,
                                 "cannot listen on %s (not an address of this machine, or no "
                                 "free port)",
                                 TheOptions.host.c_str());
      Port = port;
    } else {
      if (!TheServer.bind_to_port(TheOptions.host, TheOptions.port))
        return createStringError(std::errc::address_in_use,
                                 "cannot listen on %s port %d (in use, or not an address of "
                                 "this machine)",
                                 TheOptions.host.c_str(), TheOptions.port);
      Port = TheOptions.port;
    }
    return Port;
  }

  Error serve() {
    if (Port == 0)
      return createStringError(std::errc::invalid_argument, "serve() before bind()");
    Serving = true;
    // The worker threads, started by listen_after_bind(), inherit the block.
    SigPipeBlocker blockSigPipe;
    bool listened = Stopping || TheServer.listen_after_bind();
    Serving = false;
    if (!listened && !Stopping)
      return createStringError(std::errc::io_error, "the server's listening socket failed");
    return Error::success();
  }

  void stop() {
    Stopping = true;
    Queue.shutdown();
    // httplib ignores stop() until its accept loop runs: a stop that comes
    // just as serve() starts waits for the loop, briefly and boundedly.
    for (int i = 0; i < 2000 && Serving && !TheServer.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    TheServer.stop();
  }

  const ServerOptions &options() const { return TheOptions; }
  int port() const { return Port; }

private:
  void configure() {
    // Threads for connections: the admitted requests, plus a few so that
    // /health and 503 answers still get through while they all wait.
    size_t threads = static_cast<size_t>(std::max(1, TheOptions.maxConcurrent)) + 4;
    TheServer.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    TheServer.set_payload_max_length(TheOptions.maxBodyBytes);
    // httplib's default also sets SO_REUSEPORT, which lets a second server
    // bind a port already in use and silently share its connections. Only
    // SO_REUSEADDR (quick restarts) is wanted: a busy port must be an error.
    TheServer.set_socket_options([](socket_t socket) {
      int yes = 1;
      ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    TheServer.set_read_timeout(TheOptions.ioTimeoutSeconds, 0);
    TheServer.set_write_timeout(TheOptions.ioTimeoutSeconds, 0);
    TheServer.set_keep_alive_timeout(2);

    TheServer.Get("/health", [this](const httplib::Request &, httplib::Response &res) {
      if (Stopping) {
        setError(res, 503, "server_error", "the server is shutting down");
        return;
      }
      res.set_content("{\"status\":\"ok\",\"requests\":" + std::to_string(Queue.admitted()) + "}",
                      kJson);
    });
    TheServer.Get("/v1/models", [this](const httplib::Request &, httplib::Response &res) {
      res.set_content(modelListJson(Policy.servedModel, StartTime, TheGenerator.contextLength()),
                      kJson);
    });
    // Every route that takes a body reads it through a content reader with
    // a bound: httplib's own reading enforces the size limit only for bodies
    // with a Content-Length, not for chunked ones, which could otherwise
    // grow without end.
    for (Endpoint endpoint : {Endpoint::Completions, Endpoint::ChatCompletions})
      TheServer.Post(endpointPath(endpoint).str(),
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
        TheServer.Get(path, refuse);
      else
        TheServer.Post(path, refuseAfterBody);
      TheServer.Put(path, refuseAfterBody);
      TheServer.Patch(path, refuseAfterBody);
      TheServer.Delete(path, refuseAfterBody);
      TheServer.Options(path, refuse);
    }
    // Unknown paths, for the methods with a body: bounded reading, then 404.
    auto unknownAfterBody = [this](const httplib::Request &req, httplib::Response &res,
                                   const httplib::ContentReader &reader) {
      if (readBody(reader, res, nullptr))
        setError(res, 404, "invalid_request_error", "no route for " + req.method + " " + req.path);
    };
    TheServer.Post(".*", unknownAfterBody);
    TheServer.Put(".*", unknownAfterBody);
    TheServer.Patch(".*", unknownAfterBody);
    TheServer.Delete(".*", unknownAfterBody);

    // Whatever httplib answers by itself (unknown path, oversized body,
    // unparsable request) gets a JSON body too.
    TheServer.set_error_handler([this](const httplib::Request &req, httplib::Response &res) {
      if (!res.body.empty() || res.is_chunked_content_provider_)
        return;
      switch (res.status) {
      case 404:
        setError(res, 404, "invalid_request_error", "no route for " + req.method + " " + req.path);
        break;
      case 413:
        setError(res, 413, "invalid_request_error",
                 "request body larger than " + std::to_string(TheOptions.maxBodyBytes) + " bytes");
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
    TheServer.set_exception_handler(
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
    if (TheOptions.log)
      TheServer.set_logger([this](const httplib::Request &req, const httplib::Response &res) {
        std::lock_guard<std::mutex> lock(LogMutex);
        *TheOptions.log << "optlm serve: " << req.remote_addr << " " << req.method << " "
                        << req.path << " " << res.status << "\n";
        TheOptions.log->flush();
      });
  }

  CompletionIdentity newIdentity(const GenerationRequest &request, Endpoint endpoint) {
    CompletionIdentity identity;
    // OpenAI's prefixes, which some clients look at.
    identity.id = (endpoint == Endpoint::Completions ? "cmpl-" : "chatcmpl-") +
                  utohexstr(static_cast<uint64_t>(StartTime), /*LowerCase=*/true) + "-" +
                  std::to_string(++RequestCount);
    identity.created = std::time(nullptr);
    identity.model = Policy.servedModel;
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
      if (received + size > TheOptions.maxBodyBytes) {
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
               "request body larger than " + std::to_string(TheOptions.maxBodyBytes) + " bytes");
    else
      setError(res, 400, "invalid_request_error", "cannot read the request body");
    res.set_header("Connection", "close");
    return false;
  }

  void complete(const std::string &body, Endpoint endpoint, httplib::Response &res) {
    Expected<CompletionRequest> parsed = endpoint == Endpoint::Completions
                                             ? parseCompletionRequest(body, Policy)
                                             : parseChatCompletionRequest(body, Policy);
    if (!parsed)
      return setError(res, parsed.takeError());
    std::unique_ptr<RequestQueue::Ticket> ticket = Queue.tryAdmit();
    if (!ticket) {
      res.set_header("Retry-After", "1");
      return setError(res, 503, "server_error",
                      Stopping ? "the server is shutting down"
                               : "the server is busy (" + std::to_string(TheOptions.maxConcurrent) +
                                     " requests already admitted); retry later");
    }
    CompletionIdentity identity = newIdentity(parsed->generation, endpoint);
    if (parsed->stream)
      return completeStreaming(std::move(parsed->generation), std::move(ticket), identity, res);

    if (!ticket->waitForTurn())
      return setError(res, 503, "server_error", "the server is shutting down");
    Expected<GenerationResult> result =
        TheGenerator.generate(parsed->generation, [this](StringRef) { return !Stopping.load(); });
    ticket.reset();
    if (!result)
      return setError(res, generationError(result.takeError()));
    if (result->finish == FinishReason::Cancelled)
      return setError(res, 503, "server_error", "the server is shutting down");
    res.set_content(completionReplyJson(identity, *result), kJson);
  }

  void completeStreaming(GenerationRequest request, std::unique_ptr<RequestQueue::Ticket> ticket,
                         const CompletionIdentity &identity, httplib::Response &res) {
    auto job =
        std::make_shared<StreamJob>(TheGenerator, std::move(request), std::move(ticket), Stopping);
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

  TextGenerator &TheGenerator;
  ServerOptions TheOptions;
  CompletionPolicy Policy;
  RequestQueue Queue;
  httplib::Server TheServer;
  std::atomic<bool> Stopping{false};
  std::atomic<bool> Serving{false};
  std::atomic<uint64_t> RequestCount{0};
  int64_t StartTime;
  int Port = 0;
  std::mutex LogMutex;
};

CompletionServer::CompletionServer(TextGenerator &generator, ServerOptions options)
    : TheImpl(std::make_unique<Impl>(generator, std::move(options))) {}

CompletionServer::~CompletionServer() { TheImpl->stop(); }

Expected<int> CompletionServer::bind() { return TheImpl->bind(); }
Error CompletionServer::serve() { return TheImpl->serve(); }
void CompletionServer::stop() { TheImpl->stop(); }
const ServerOptions &CompletionServer::options() const { return TheImpl->options(); }
int CompletionServer::port() const { return TheImpl->port(); }

} // namespace optlm::lm
