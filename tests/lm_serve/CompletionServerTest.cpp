//===- CompletionServerTest.cpp - the server in process, under control ----===//
//
// What needs control over timing (a client that leaves mid-stream, a busy
// model, a shutdown mid-generation) is tested with the server in this
// process, over the real local runtime and tiny model. GatedGenerator wraps
// the runtime only to observe it and to hold it after its first piece until
// the test says go, so that "while it is generating" is a fact, not a race.
//
//===----------------------------------------------------------------------===//
#include "lm/generate/LocalGenerator.h"
#include "lm/serve/CompletionServer.h"

#include "ServeTestSupport.h"
#include "TinyModel.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <future>

using namespace optlm::lm;
using namespace optlm::lm::test;
using json = nlohmann::json;

namespace {

class GatedGenerator : public TextGenerator {
public:
  explicit GatedGenerator(TextGenerator &inner) : inner_(inner) {}

  llvm::Expected<GenerationResult> generate(const GenerationRequest &request,
                                            PieceCallback onPiece) override {
    int pieces = 0;
    auto result = inner_.generate(request, [&](llvm::StringRef piece) {
      bool keepGoing = !onPiece || onPiece(piece);
      if (++pieces == 1) {
        std::unique_lock<std::mutex> lock(mutex_);
        firstPiece_ = true;
        changed_.notify_all();
        changed_.wait_for(lock, std::chrono::seconds(20), [&] { return open_; });
      } else {
        // Slow enough that the server notices a closed connection long
        // before the model could finish on its own.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      return keepGoing;
    });
    std::lock_guard<std::mutex> lock(mutex_);
    ++finishedRuns_;
    lastPieces_ = pieces;
    lastFinish_ = result ? std::optional<FinishReason>(result->finish) : std::nullopt;
    changed_.notify_all();
    return result;
  }
  std::string modelName() const override { return inner_.modelName(); }
  int contextLength() const override { return inner_.contextLength(); }

  bool waitForFirstPiece() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(20), [&] { return firstPiece_; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  /// Waits for the n-th generate() to end; its finish reason and pieces.
  std::pair<std::optional<FinishReason>, int> waitForRun(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(20), [&] { return finishedRuns_ >= n; });
    return {lastFinish_, lastPieces_};
  }

private:
  TextGenerator &inner_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool firstPiece_ = false;
  bool open_ = false;
  int finishedRuns_ = 0;
  int lastPieces_ = 0;
  std::optional<FinishReason> lastFinish_;
};

class InProcessServer {
public:
  InProcessServer(TextGenerator &generator, ServerOptions options) : server_(generator, options) {
    auto port = server_.bind();
    EXPECT_TRUE(static_cast<bool>(port)) << errorText(port);
    port_ = port ? *port : 0;
    thread_ = std::thread([this] { served_ = server_.serve(); });
  }
  ~InProcessServer() { stop(); }
  void stop() {
    if (!thread_.joinable())
      return;
    server_.stop();
    thread_.join();
    EXPECT_EQ(errorText(std::move(served_)), "");
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(std::chrono::seconds(30));
    return c;
  }
  int port() const { return port_; }

private:
  CompletionServer server_;
  int port_ = 0;
  std::thread thread_;
  llvm::Error served_ = llvm::Error::success();
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
class StreamingClient {
public:
  StreamingClient(int port, const std::string &body) {
    future_ = std::async(std::launch::async, [port, body] {
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
        return true;
      };
      client.send(request);
      return received;
    });
  }
  std::string body() { return future_.get(); }

private:
  std::future<std::string> future_;
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
    httplib::Client http("127.0.0.1", server.port());
    http.set_read_timeout(std::chrono::seconds(30));
    httplib::Request request;
    request.method = "POST";
    request.path = "/v1/completions";
    request.body = kLongStream;
    request.headers.emplace("Content-Type", "application/json");
    std::string received;
    request.content_receiver = [&](const char *data, size_t size, uint64_t, uint64_t) {
      received.append(data, size);
      return received.find("data: ") == std::string::npos;
    };
    http.send(request);
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
  auto next = server.client().Post("/v1/completions",
                                   R"({"prompt":"hi","max_tokens":4,"temperature":0})",
                                   "application/json");
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
    auto reply = server.client().Post("/v1/completions",
                                      R"({"prompt":"hi","max_tokens":4,"temperature":0})",
                                      "application/json");
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
