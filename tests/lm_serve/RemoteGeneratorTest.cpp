//===- RemoteGeneratorTest.cpp - the client against misbehaving servers ---===//
#include "lm/serve/RemoteGenerator.h"

#include "ServeTestSupport.h"
#include "TestHttpServer.h"
#include "testing/Testing.h"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <csignal>
#include <future>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace optlm::lm;
using namespace optlm::lm::test;
using json = nlohmann::json;

namespace {

constexpr const char *kReply =
    R"({"id":"c","object":"text_completion","created":1,"model":"m",
        "choices":[{"text":"hello","index":0,"finish_reason":"length"}],
        "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})";

/// Short waits so that retry tests stay fast.
RemoteOptions quickOptions(const std::string &url) {
  RemoteOptions options;
  options.url = url;
  options.model = "m";
  options.connectTimeout = std::chrono::milliseconds(1000);
  options.readTimeout = std::chrono::milliseconds(5000);
  options.maxAttempts = 3;
  options.initialBackoff = std::chrono::milliseconds(10);
  options.maxBackoff = std::chrono::milliseconds(40);
  return options;
}

std::unique_ptr<RemoteGenerator> client(const RemoteOptions &options) {
  auto generator = RemoteGenerator::create(options);
  EXPECT_TRUE(static_cast<bool>(generator)) << errorText(generator);
  return generator ? std::move(*generator) : nullptr;
}

GenerationRequest request(const std::string &prompt = "p") {
  GenerationRequest r;
  r.prompt = prompt;
  r.maxTokens = 4;
  return r;
}

/// Answers every completion with kReply and keeps the request's body.
void replyRecording(TestHttpServer &http, std::string &seenBody) {
  http.server.Post("/v1/completions", [&](const httplib::Request &req, httplib::Response &res) {
    seenBody = req.body;
    res.set_content(kReply, "application/json");
  });
}

void replyAlways(TestHttpServer &http, int status, std::string body,
                 std::string type = "application/json") {
  http.server.Post("/v1/completions", [=](const httplib::Request &, httplib::Response &res) {
    res.status = status;
    res.set_content(body, type);
  });
}

TEST(ServeRemote, PlainReply) {
  TestHttpServer http;
  std::string seenBody;
  replyRecording(http, seenBody);
  http.start();
  auto generator = client(quickOptions(http.url() + "/v1"));
  auto result = generator->generate(request("[INST] x [/INST]"));
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(result->text, "hello");
  EXPECT_EQ(result->finish, FinishReason::Length);
  EXPECT_EQ(result->promptTokens, 3);
  EXPECT_EQ(result->completionTokens, 2);
  json body = json::parse(seenBody);
  EXPECT_EQ(body["prompt"], "[INST] x [/INST]");
  EXPECT_EQ(body["model"], "m");
  EXPECT_EQ(body["stream"], false);
}

TEST(ServeRemote, GarbageIsAClearErrorWithoutRetries) {
  TestHttpServer http;
  replyAlways(http, 200, "<html>surprise</html>", "text/html");
  http.start();
  auto result = client(quickOptions(http.url()))->generate(request());
  std::string message = errorText(result);
  EXPECT_NE(message.find("malformed reply from server: not JSON"), std::string::npos) << message;
  EXPECT_EQ(http.requests, 1);
}

TEST(ServeRemote, WrongTypesAreNamed) {
  TestHttpServer http;
  replyAlways(http, 200, R"({"choices":[{"text":["a"],"finish_reason":"stop"}]})");
  http.start();
  std::string message = errorText(client(quickOptions(http.url()))->generate(request()));
  EXPECT_NE(message.find("'choices[0].text'"), std::string::npos) << message;

  TestHttpServer noFinish;
  replyAlways(noFinish, 200, R"({"choices":[{"text":"a"}]})");
  noFinish.start();
  message = errorText(client(quickOptions(noFinish.url()))->generate(request()));
  EXPECT_NE(message.find("finish_reason' is missing"), std::string::npos) << message;
}

TEST(ServeRemote, ServerErrorThenSuccessIsRetried) {
  TestHttpServer http;
  std::atomic<int> calls{0};
  http.server.Post("/v1/completions", [&](const httplib::Request &, httplib::Response &res) {
    if (calls++ == 0) {
      res.status = 500;
      res.set_content(R"({"error":{"message":"warming up"}})", "application/json");
      return;
    }
    res.set_content(kReply, "application/json");
  });
  http.start();
  auto result = client(quickOptions(http.url()))->generate(request());
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(result->text, "hello");
  EXPECT_EQ(calls, 2);
}

TEST(ServeRemote, TooManyRequestsHonoursRetryAfter) {
  TestHttpServer http;
  std::atomic<int> calls{0};
  http.server.Post("/v1/completions", [&](const httplib::Request &, httplib::Response &res) {
    if (calls++ == 0) {
      res.status = 429;
      res.set_header("Retry-After", "0");
      res.set_content("slow down", "text/plain");
      return;
    }
    res.set_content(kReply, "application/json");
  });
  http.start();
  auto generated = client(quickOptions(http.url()))->generate(request());
  OPTLM_ASSERT_OK(generated);
  EXPECT_EQ(calls, 2);
}

TEST(ServeRemote, PersistentFailureGivesUpWithTheServersMessage) {
  TestHttpServer http;
  replyAlways(http, 503, R"({"error":{"message":"the server is busy"}})");
  http.start();
  std::string message = errorText(client(quickOptions(http.url()))->generate(request()));
  EXPECT_NE(message.find("503: the server is busy"), std::string::npos) << message;
  EXPECT_NE(message.find("gave up after 3 attempts"), std::string::npos) << message;
  EXPECT_EQ(http.requests, 3);
}

TEST(ServeRemote, RefusalIsReportedAtOnce) {
  TestHttpServer http;
  replyAlways(http, 400, R"({"error":{"message":"'max_tokens' is too large","type":"x"}})");
  http.start();
  auto result = client(quickOptions(http.url()))->generate(request());
  std::string message = errorText(result);
  EXPECT_NE(message.find("400: 'max_tokens' is too large"), std::string::npos) << message;
  EXPECT_EQ(http.requests, 1);
}

TEST(ServeRemote, DeadPortFailsAfterRetries) {
  int port = freePort();
  auto start = std::chrono::steady_clock::now();
  std::string message = errorText(
      client(quickOptions("http://127.0.0.1:" + std::to_string(port)))->generate(request()));
  EXPECT_NE(message.find("connection refused"), std::string::npos) << message;
  EXPECT_NE(message.find("gave up after 3 attempts"), std::string::npos) << message;
  // Bounded: three refused connections and two short backoffs, not minutes.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST(ServeRemote, ServerThatStartsLateIsReachedByRetrying) {
  int port = freePort();
  RemoteOptions options = quickOptions("http://127.0.0.1:" + std::to_string(port));
  options.maxAttempts = 40;
  options.initialBackoff = std::chrono::milliseconds(50);
  options.maxBackoff = std::chrono::milliseconds(100);
  auto generator = client(options);
  auto result = std::async(std::launch::async, [&] { return generator->generate(request()); });
  // Start only once the client has certainly been refused at least once.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  TestHttpServer http;
  replyAlways(http, 200, kReply);
  http.start(port);
  ASSERT_EQ(result.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  auto value = result.get();
  OPTLM_ASSERT_OK(value);
  EXPECT_EQ(value->text, "hello");
}

/// Accepts connections, reads a little of the request and hangs up: a
/// client writing a large request finds the connection gone mid-write.
class HangingUpServer {
public:
  HangingUpServer() {
    Listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(Listener, reinterpret_cast<sockaddr *>(&address), length), 0);
    EXPECT_EQ(::listen(Listener, 16), 0);
    ::getsockname(Listener, reinterpret_cast<sockaddr *>(&address), &length);
    Port = ntohs(address.sin_port);
    Thread = std::thread([this] {
      for (;;) {
        int connection = ::accept(Listener, nullptr, nullptr);
        if (connection < 0)
          return;
        ++accepted;
        char buffer[16384];
        timeval timeout{5, 0};
        ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        ssize_t ignored = ::recv(connection, buffer, sizeof buffer, 0);
        (void)ignored;
        ::close(connection);
      }
    });
  }
  ~HangingUpServer() {
    ::shutdown(Listener, SHUT_RDWR);
    ::close(Listener);
    Thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(Port); }
  std::atomic<int> accepted{0};

private:
  int Listener = -1;
  int Port = 0;
  std::thread Thread;
};

TEST(ServeRemote, ServerHangingUpMidRequestIsRetriedThenAnError) {
  // Under SIGPIPE's default action (termination), as in a program that has
  // only clients: httplib's Server constructor sets it to "ignore" for the
  // whole process, which other tests in this program may have done already.
  struct sigaction defaultAction = {}, previous = {};
  defaultAction.sa_handler = SIG_DFL;
  sigemptyset(&defaultAction.sa_mask);
  ASSERT_EQ(sigaction(SIGPIPE, &defaultAction, &previous), 0);
  std::string message;
  int accepted = 0;
  {
    HangingUpServer server;
    GenerationRequest big = request(std::string(8u << 20, 'x'));
    message = errorText(client(quickOptions(server.url()))->generate(big));
    accepted = server.accepted;
  }
  sigaction(SIGPIPE, &previous, nullptr);
  EXPECT_NE(message.find("gave up after 3 attempts"), std::string::npos) << message;
  EXPECT_EQ(accepted, 3);
}

TEST(ServeRemote, ReadTimeoutIsNotRetried) {
  TestHttpServer http;
  std::atomic<int> calls{0};
  http.server.Post("/v1/completions", [&](const httplib::Request &, httplib::Response &res) {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.set_content(kReply, "application/json");
  });
  http.start();
  RemoteOptions options = quickOptions(http.url());
  options.readTimeout = std::chrono::milliseconds(300);
  std::string message = errorText(client(options)->generate(request()));
  EXPECT_NE(message.find("no reply within 300 ms"), std::string::npos) << message;
  EXPECT_EQ(calls, 1);
}

/// The body of a stream whose events are given, cut into awkward chunks.
void streamEvents(TestHttpServer &http, std::vector<std::string> events, size_t chunk = 5,
                  const std::string &path = "/v1/completions") {
  http.server.Post(path, [=](const httplib::Request &, httplib::Response &res) {
    std::string all;
    for (const std::string &event : events)
      all += "data: " + event + "\n\n";
    res.set_chunked_content_provider(
        "text/event-stream", [all, chunk](size_t offset, httplib::DataSink &sink) {
          if (offset >= all.size()) {
            sink.done();
            return true;
          }
          return sink.write(all.data() + offset, std::min(chunk, all.size() - offset));
        });
  });
}

std::string chunk(const std::string &text, const char *finish = nullptr) {
  json c{{"choices",
          json::array({json{
              {"text", text}, {"index", 0}, {"finish_reason", finish ? json(finish) : json()}}})}};
  if (finish)
    c["usage"] = json{{"prompt_tokens", 4}, {"completion_tokens", 3}};
  return c.dump();
}

TEST(ServeRemote, StreamingDeliversPiecesInOrder) {
  TestHttpServer http;
  streamEvents(http, {chunk("he"), chunk("ll"), chunk("o"), chunk("", "stop"), "[DONE]"});
  http.start();
  std::vector<std::string> pieces;
  auto result = client(quickOptions(http.url()))->generate(request(), [&](llvm::StringRef p) {
    pieces.push_back(p.str());
    return true;
  });
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(pieces, (std::vector<std::string>{"he", "ll", "o"}));
  EXPECT_EQ(result->text, "hello");
  EXPECT_EQ(result->finish, FinishReason::Stop);
  EXPECT_EQ(result->promptTokens, 4);
  EXPECT_EQ(result->completionTokens, 3);
}

TEST(ServeRemote, ServerThatIgnoresStreamingStillAnswers) {
  TestHttpServer http;
  replyAlways(http, 200, kReply);
  http.start();
  std::vector<std::string> pieces;
  auto result = client(quickOptions(http.url()))->generate(request(), [&](llvm::StringRef p) {
    pieces.push_back(p.str());
    return true;
  });
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(pieces, std::vector<std::string>{"hello"});
  EXPECT_EQ(result->text, "hello");
  EXPECT_EQ(result->finish, FinishReason::Length);
}

TEST(ServeRemote, StreamingCancelStopsEarly) {
  TestHttpServer http;
  streamEvents(http, {chunk("a"), chunk("b"), chunk("c"), chunk("", "stop"), "[DONE]"});
  http.start();
  auto result = client(quickOptions(http.url()))->generate(request(), [&](llvm::StringRef p) {
    return p != "b";
  });
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(result->finish, FinishReason::Cancelled);
  EXPECT_EQ(result->text, "ab");
}

TEST(ServeRemote, MalformedStreamsAreErrors) {
  auto pieceSink = [](llvm::StringRef) { return true; };
  {
    TestHttpServer http;
    streamEvents(http, {chunk("a"), "{not json", "[DONE]"});
    http.start();
    std::string message =
        errorText(client(quickOptions(http.url()))->generate(request(), pieceSink));
    EXPECT_NE(message.find("not JSON"), std::string::npos) << message;
  }
  {
    // Cut off after a piece was handed over: an error, and no retry (the
    // caller must not see the piece twice).
    TestHttpServer http;
    streamEvents(http, {chunk("a")});
    http.start();
    std::string message =
        errorText(client(quickOptions(http.url()))->generate(request(), pieceSink));
    EXPECT_NE(message.find("stream ended before the last chunk"), std::string::npos) << message;
    EXPECT_EQ(http.requests, 1);
  }
  {
    TestHttpServer http;
    streamEvents(http, {R"({"error":{"message":"out of memory"}})"});
    http.start();
    std::string message =
        errorText(client(quickOptions(http.url()))->generate(request(), pieceSink));
    EXPECT_NE(message.find("out of memory"), std::string::npos) << message;
  }
}

TEST(ServeRemote, UnacknowledgedConstraintIsAnError) {
  TestHttpServer http;
  replyAlways(http, 200, kReply);
  http.start();
  GenerationRequest r = request();
  r.constraint = ConstraintKind::PassList;
  llvm::Expected<GenerationResult> result = client(quickOptions(http.url()))->generate(r);
  ASSERT_FALSE(result);
  llvm::Error error = result.takeError();
  // Its own type: the caller asks again without the constraint on this
  // error alone.
  EXPECT_TRUE(error.isA<ConstraintUnsupportedError>());
  std::string message = llvm::toString(std::move(error));
  EXPECT_NE(message.find("did not apply optlm's pass-list constraint"), std::string::npos)
      << message;

  // A conversation the completions API cannot carry is another refusal.
  RemoteOptions completionsOnly = quickOptions(http.url());
  completionsOnly.api = RemoteApi::Completions;
  GenerationRequest conversation = request();
  conversation.precedingSequences = {"[INST] hi [/INST] hello"};
  llvm::Expected<GenerationResult> refused = client(completionsOnly)->generate(conversation);
  ASSERT_FALSE(refused);
  llvm::Error other = refused.takeError();
  EXPECT_FALSE(other.isA<ConstraintUnsupportedError>());
  llvm::consumeError(std::move(other));
}

TEST(ServeRemote, ModelIsDiscoveredOrChecked) {
  TestHttpServer http;
  std::string seenModel;
  http.server.Get("/v1/models", [](const httplib::Request &, httplib::Response &res) {
    res.set_content(R"({"object":"list","data":[{"id":"first","max_model_len":512},
                                                 {"id":"second"}]})",
                    "application/json");
  });
  http.server.Post("/v1/completions", [&](const httplib::Request &req, httplib::Response &res) {
    seenModel = json::parse(req.body).value("model", "");
    res.set_content(kReply, "application/json");
  });
  http.start();
  RemoteOptions options = quickOptions(http.url());
  options.model = "";
  auto discovering = client(options);
  auto generated = discovering->generate(request());
  OPTLM_ASSERT_OK(generated);
  EXPECT_EQ(seenModel, "first");
  EXPECT_EQ(discovering->modelName(), "first");
  EXPECT_EQ(discovering->contextLength(), 512);

  options.model = "third";
  std::string message = errorText(client(options)->connect());
  EXPECT_NE(message.find("does not serve model 'third' (it serves: first, second)"),
            std::string::npos)
      << message;
}

TEST(ServeRemote, ServerWithoutAModelListIsAskedWithoutAModel) {
  TestHttpServer http;
  std::string seenBody;
  replyRecording(http, seenBody);
  http.start();
  RemoteOptions options = quickOptions(http.url());
  options.model = "";
  auto generator = client(options);
  auto result = generator->generate(request());
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(result->text, "hello");
  EXPECT_FALSE(json::parse(seenBody).contains("model"));
  EXPECT_EQ(generator->modelName(), "");
}

constexpr const char *kChatReply =
    R"({"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",
        "choices":[{"index":0,"message":{"role":"assistant","content":"hello"},
                    "finish_reason":"stop"}],
        "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})";

/// A server that offers only the chat API, as many hosted ones do: its
/// /v1/completions is a 404. Keeps the bodies it was sent.
void chatOnly(TestHttpServer &http, std::vector<json> &seen) {
  http.server.Post("/v1/chat/completions",
                   [&seen](const httplib::Request &req, httplib::Response &res) {
                     seen.push_back(json::parse(req.body));
                     res.set_content(kChatReply, "application/json");
                   });
}

TEST(ServeRemote, ChatOnlyServerIsAskedThereAfterA404) {
  TestHttpServer http;
  std::vector<json> seen;
  chatOnly(http, seen);
  http.start();
  auto generator = client(quickOptions(http.url()));
  auto result = generator->generate(request("[INST] <<SYS>>\nsys\n<</SYS>>\n\nq [/INST]"));
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(result->text, "hello");
  EXPECT_EQ(result->finish, FinishReason::Stop);
  EXPECT_EQ(result->promptTokens, 3);
  EXPECT_EQ(http.requests, 2) << "a 404 on /v1/completions, then chat";
  ASSERT_EQ(seen.size(), 1u);
  // The prompt went as the conversation it is in Llama 2's format.
  EXPECT_EQ(seen[0]["messages"], json::parse(R"([{"role":"system","content":"sys"},
                                                 {"role":"user","content":"q"}])"));
  EXPECT_EQ(seen[0]["model"], "m");
  EXPECT_EQ(seen[0]["max_tokens"], 4);

  // From now on chat at once; a prompt in no chat format is one user message.
  result = generator->generate(request("plain text"));
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(http.requests, 3);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1]["messages"], json::parse(R"([{"role":"user","content":"plain text"}])"));
}

TEST(ServeRemote, ChatStreamingDeliversDeltas) {
  TestHttpServer http;
  auto delta = [](json d, const char *finish = nullptr) {
    json c{{"object", "chat.completion.chunk"},
           {"choices",
            json::array({json{
                {"index", 0}, {"delta", d}, {"finish_reason", finish ? json(finish) : json()}}})}};
    if (finish)
      c["usage"] = json{{"prompt_tokens", 4}, {"completion_tokens", 3}};
    return c.dump();
  };
  streamEvents(http,
               {delta({{"role", "assistant"}, {"content", ""}}), delta({{"content", "he"}}),
                delta({{"content", "llo"}}), delta(json::object(), "length"), "[DONE]"},
               5, "/v1/chat/completions");
  http.start();
  // A pasted chat URL goes to chat from the start.
  auto generator = client(quickOptions(http.url() + "/v1/chat/completions/"));
  std::vector<std::string> pieces;
  auto result = generator->generate(request("[INST] q [/INST]"), [&](llvm::StringRef p) {
    pieces.push_back(p.str());
    return true;
  });
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(pieces, (std::vector<std::string>{"he", "llo"}));
  EXPECT_EQ(result->text, "hello");
  EXPECT_EQ(result->finish, FinishReason::Length);
  EXPECT_EQ(result->completionTokens, 3);
  EXPECT_EQ(http.requests, 1);
}

TEST(ServeRemote, ChoiceOfApiIsHonoured) {
  TestHttpServer http;
  std::vector<json> seen;
  chatOnly(http, seen);
  http.start();
  RemoteOptions options = quickOptions(http.url());
  options.api = RemoteApi::Completions;
  std::string message = errorText(client(options)->generate(request()));
  EXPECT_NE(message.find("404"), std::string::npos) << message;
  EXPECT_EQ(http.requests, 1) << "no second try on chat";
  GenerationRequest conversation = request("[INST] q2 [/INST]");
  conversation.precedingSequences = {"[INST] q1 [/INST] a1 "};
  message = errorText(client(options)->generate(conversation));
  EXPECT_NE(message.find("needs the chat API"), std::string::npos) << message;
  EXPECT_EQ(http.requests, 1);

  // A conversation goes to chat even before any 404.
  options.api = RemoteApi::Auto;
  auto generated = client(options)->generate(conversation);
  OPTLM_ASSERT_OK(generated);
  EXPECT_EQ(http.requests, 2);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0]["messages"].size(), 3u);
  conversation.precedingSequences = {"not a Llama 2 exchange"};
  message = errorText(client(options)->generate(conversation));
  EXPECT_NE(message.find("not in Llama 2's chat format"), std::string::npos) << message;
}

TEST(ServeRemote, NeitherApiIsA404NamingBoth) {
  TestHttpServer http;
  http.start();
  auto generator = client(quickOptions(http.url()));
  std::string message = errorText(generator->generate(request()));
  EXPECT_NE(message.find("/v1/completions: the server answered 404"), std::string::npos) << message;
  EXPECT_NE(message.find("/v1/chat/completions: the server answered 404"), std::string::npos)
      << message;
  EXPECT_EQ(http.requests, 2);
}

TEST(ServeRemote, BadOptionsAreRefusedUpFront) {
  RemoteOptions options = quickOptions("tcp://127.0.0.1:1");
  auto generator = RemoteGenerator::create(options);
  EXPECT_NE(errorText(generator).find("scheme must be http"), std::string::npos);
  options = quickOptions("http://127.0.0.1:1");
  options.maxAttempts = 0;
  generator = RemoteGenerator::create(options);
  EXPECT_NE(errorText(generator).find("maxAttempts"), std::string::npos);
}

} // namespace
