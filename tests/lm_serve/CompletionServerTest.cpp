//===- CompletionServerTest.cpp - the server in process, under control ----===//
//
// What needs control over timing (a client that leaves mid-stream, a busy
// model, a shutdown mid-generation) is tested with the server in this
// process, over the real local runtime and tiny model. GatedGenerator wraps
// the runtime only to observe it and to hold it after its first piece until
// the test says go, so that "while it is generating" is a fact, not a race.
//
//===----------------------------------------------------------------------===//
#include "lm/serve/CompletionServer.h"
#include "lm/generate/LocalGenerator.h"

#include "ServeTestSupport.h"
#include "TinyModel.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <functional>
#include <future>

using namespace optlm::lm;
using namespace optlm::lm::test;
using json = nlohmann::json;

namespace {

class GatedGenerator : public TextGenerator {
public:
  explicit GatedGenerator(TextGenerator &inner) : Inner(inner) {}

  llvm::Expected<GenerationResult> generate(const GenerationRequest &request,
                                            PieceCallback onPiece) override {
    int pieces = 0;
    auto result = Inner.generate(request, [&](llvm::StringRef piece) {
      bool keepGoing = !onPiece || onPiece(piece);
      if (++pieces == 1) {
        std::unique_lock<std::mutex> lock(Mutex);
        FirstPiece = true;
        Changed.notify_all();
        Changed.wait_for(lock, std::chrono::seconds(20), [&] { return Open; });
      } else {
        // Slow enough that the server notices a closed connection long
        // before the model could finish on its own.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      return keepGoing;
    });
    std::lock_guard<std::mutex> lock(Mutex);
    ++FinishedRuns;
    LastPieces = pieces;
    LastFinish = result ? std::optional<FinishReason>(result->finish) : std::nullopt;
    Changed.notify_all();
    return result;
  }
  std::string modelName() const override { return Inner.modelName(); }
  int contextLength() const override { return Inner.contextLength(); }

  bool waitForFirstPiece() {
    std::unique_lock<std::mutex> lock(Mutex);
    return Changed.wait_for(lock, std::chrono::seconds(20), [&] { return FirstPiece; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(Mutex);
    Open = true;
    Changed.notify_all();
  }
  /// Waits for the n-th generate() to end; its finish reason and pieces.
  std::pair<std::optional<FinishReason>, int> waitForRun(int n) {
    std::unique_lock<std::mutex> lock(Mutex);
    Changed.wait_for(lock, std::chrono::seconds(20), [&] { return FinishedRuns >= n; });
    return {LastFinish, LastPieces};
  }

private:
  TextGenerator &Inner;
  std::mutex Mutex;
  std::condition_variable Changed;
  bool FirstPiece = false;
  bool Open = false;
  int FinishedRuns = 0;
  int LastPieces = 0;
  std::optional<FinishReason> LastFinish;
};

class InProcessServer {
public:
  InProcessServer(TextGenerator &generator, ServerOptions options) : TheServer(generator, options) {
    auto port = TheServer.bind();
    EXPECT_TRUE(static_cast<bool>(port)) << errorText(port);
    Port = port ? *port : 0;
    Thread = std::thread([this] { Served = TheServer.serve(); });
  }
  ~InProcessServer() { stop(); }
  void stop() {
    if (!Thread.joinable())
      return;
    TheServer.stop();
    Thread.join();
    EXPECT_EQ(errorText(std::move(Served)), "");
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", Port);
    c.set_read_timeout(std::chrono::seconds(30));
    return c;
  }
  int port() const { return Port; }

private:
  CompletionServer TheServer;
  int Port = 0;
  std::thread Thread;
  llvm::Error Served = llvm::Error::success();
};

LocalGenerator &runtime() {
  static std::unique_ptr<LocalGenerator> generator = [] {
    auto opened = LocalGenerator::open(tinyModelPath(), LocalGeneratorOptions{0, 1});
    EXPECT_TRUE(static_cast<bool>(opened)) << errorText(opened);
    return opened ? std::move(*opened) : nullptr;
  }();
  return *generator;
}

const std::string kLongStream =
    R"({"prompt":"hello","max_tokens":200,"temperature":0,"stream":true})";

/// Starts a streamed completion on its own connection; the reply's body
/// can be read later (or never).
/// POSTs a streaming completion and returns what arrived; reading stops
/// (the client hangs up) once `keepReading` says so of what arrived so far.
std::string postStreaming(int port, const std::string &body,
                          std::function<bool(const std::string &received)> keepReading) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(std::chrono::seconds(30));
  httplib::Request request;
  request.method = "POST";
  request.path = "/v1/completions";
  request.body = body;
  request.headers.emplace("Content-Type", "application/json");
  std::string received;
  request.content_receiver = [&](const char *data, size_t size, uint64_t, uint64_t) {
    received.append(data, size);
    return keepReading(received);
  };
  client.send(request);
  return received;
}

class StreamingClient {
public:
  StreamingClient(int port, const std::string &body) {
    Future = std::async(std::launch::async, [port, body] {
      return postStreaming(port, body, [](const std::string &) { return true; });
    });
  }
  std::string body() { return Future.get(); }

private:
  std::future<std::string> Future;
};

TEST(ServeServer, ClientLeavingMidStreamCancelsTheGeneration) {
  GatedGenerator gated(runtime());
  ServerOptions options;
  options.maxTokensLimit = 200;
  InProcessServer server(gated, options);

  // The client reads the first chunk and hangs up; only then may the model
  // go on, and it must be stopped rather than run to 200 tokens.
  std::promise<void> hungUp;
  auto client = std::async(std::launch::async, [&] {
    std::string received = postStreaming(server.port(), kLongStream, [](const std::string &so) {
      return so.find("data: ") == std::string::npos;
    });
    hungUp.set_value();
    return received;
  });
  ASSERT_TRUE(gated.waitForFirstPiece());
  ASSERT_EQ(hungUp.get_future().wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_NE(client.get().find("data: {"), std::string::npos);
  gated.open();
  auto [finish, pieces] = gated.waitForRun(1);
  ASSERT_TRUE(finish.has_value());
  EXPECT_EQ(*finish, FinishReason::Cancelled);
  EXPECT_LT(pieces, 200);

  // The server lives on.
  auto next = server.client().Post(
      "/v1/completions", R"({"prompt":"hi","max_tokens":4,"temperature":0})", "application/json");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200) << next->body;
}

TEST(ServeServer, BusyBeyondTheLimitIs503AndQueuedRequestsWait) {
  GatedGenerator gated(runtime());
  ServerOptions options;
  options.maxConcurrent = 2;
  options.maxTokensLimit = 200;
  InProcessServer server(gated, options);

  StreamingClient running(server.port(), kLongStream);
  ASSERT_TRUE(gated.waitForFirstPiece());
  // One runs, this one waits for the model (admitted: 2 of 2) ...
  auto queued = std::async(std::launch::async, [&] {
    auto reply = server.client().Post(
        "/v1/completions", R"({"prompt":"hi","max_tokens":4,"temperature":0})", "application/json");
    return reply ? reply->status : -1;
  });
  // ... and, once it is in, a third is refused.
  int status = 0;
  std::string body, retryAfter;
  for (int i = 0; i < 2000 && status != 503; ++i) {
    auto health = server.client().Get("/health");
    ASSERT_TRUE(health);
    if (json::parse(health->body)["requests"] != 2) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    auto reply = server.client().Post("/v1/completions", R"({"prompt":"hi","max_tokens":4})",
                                      "application/json");
    ASSERT_TRUE(reply);
    status = reply->status;
    body = reply->body;
    retryAfter = reply->get_header_value("Retry-After");
  }
  EXPECT_EQ(status, 503);
  EXPECT_NE(body.find("busy"), std::string::npos) << body;
  EXPECT_EQ(retryAfter, "1");

  gated.open();
  std::string streamed = running.body();
  EXPECT_NE(streamed.find("data: [DONE]"), std::string::npos);
  ASSERT_EQ(queued.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(queued.get(), 200);
}

TEST(ServeServer, StopCancelsTheRunningGenerationAndRefusesWaiters) {
  GatedGenerator gated(runtime());
  ServerOptions options;
  options.maxTokensLimit = 200;
  auto server = std::make_unique<InProcessServer>(gated, options);
  StreamingClient running(server->port(), kLongStream);
  ASSERT_TRUE(gated.waitForFirstPiece());
  auto waiting = std::async(std::launch::async, [&] {
    auto reply = server->client().Post("/v1/completions", R"({"prompt":"hi","max_tokens":4})",
                                       "application/json");
    return reply ? reply->status : -1;
  });
  for (int i = 0; i < 2000; ++i) {
    auto health = server->client().Get("/health");
    if (health && json::parse(health->body)["requests"] == 2)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::thread stopper([&] { server->stop(); });
  // Let the model go on only once the server has begun to stop (it no
  // longer accepts connections then).
  for (int i = 0; i < 2000; ++i) {
    httplib::Client probe("127.0.0.1", server->port());
    probe.set_connection_timeout(std::chrono::milliseconds(200));
    if (!probe.Get("/health"))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  gated.open();
  stopper.join();
  EXPECT_EQ(waiting.get(), 503);
  auto [finish, pieces] = gated.waitForRun(1);
  ASSERT_TRUE(finish.has_value());
  EXPECT_EQ(*finish, FinishReason::Cancelled);
  std::string streamed = running.body();
  EXPECT_NE(streamed.find("shutting down"), std::string::npos) << streamed;
}

} // namespace
