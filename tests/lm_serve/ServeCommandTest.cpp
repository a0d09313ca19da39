//===- ServeCommandTest.cpp - the real `optlm serve`, end to end ----------===//
//
// One `optlm serve` process with the tiny model serves the whole suite; the
// tests talk to it over HTTP as any client would, and compare its answers
// with the local runtime's.
//
//===----------------------------------------------------------------------===//
#include "lm/generate/LocalGenerator.h"
#include "lm/serve/CompletionProtocol.h"
#include "lm/serve/RemoteGenerator.h"

#include "ServeProcess.h"
#include "ServeTestSupport.h"
#include "TestHttpServer.h"
#include "TinyModel.h"
#include "testing/Testing.h"

#include "llvm/ADT/StringExtras.h"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <future>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace optlm::lm;
using namespace optlm::lm::test;
using json = nlohmann::json;

namespace {

constexpr int kMaxBody = 4096;
constexpr int kMaxTokensLimit = 64;

const char *const kPrompt =
    "[INST] Tell me how to optimize this LLVM-IR for object file size:\n\n<code>define i32 "
    "@f() {\n  ret i32 0\n}\n</code> [/INST]";

class ServeCommand : public testing::Test {
protected:
  static void SetUpTestSuite() {
    TheServer = new ServeProcess;
    ASSERT_TRUE(
        TheServer->start({"--model", tinyModelPath(), "--port", "0", "--threads", "1",
                          "--max-tokens-limit", std::to_string(kMaxTokensLimit), "--max-body-bytes",
                          std::to_string(kMaxBody), "--max-concurrent", "2"}));
    auto local = LocalGenerator::open(tinyModelPath(), LocalGeneratorOptions{0, 1});
    ASSERT_TRUE(static_cast<bool>(local)) << errorText(local);
    Local = local->release();
  }
  static void TearDownTestSuite() {
    delete TheServer;
    delete Local;
  }

  void SetUp() override {
    if (!TheServer || TheServer->url().empty() || !Local)
      GTEST_SKIP() << "the server did not start";
  }

  static std::unique_ptr<RemoteGenerator> remote(std::string model = "") {
    RemoteOptions options;
    options.url = TheServer->url();
    options.model = std::move(model);
    options.readTimeout = std::chrono::milliseconds(60000);
    auto generator = RemoteGenerator::create(options);
    EXPECT_TRUE(static_cast<bool>(generator)) << errorText(generator);
    return generator ? std::move(*generator) : nullptr;
  }

  static httplib::Client http() {
    httplib::Client client("127.0.0.1", TheServer->port());
    client.set_read_timeout(std::chrono::seconds(60));
    return client;
  }

  static ServeProcess *TheServer;
  static LocalGenerator *Local;
};
ServeProcess *ServeCommand::TheServer = nullptr;
LocalGenerator *ServeCommand::Local = nullptr;

/// Text as it arrives through JSON, which cannot carry invalid UTF-8: a
/// random-weight model can produce stray bytes, which the wire replaces with
/// U+FFFD.
std::string wireText(const std::string &text) {
  return json::parse(json(text).dump(-1, ' ', false, json::error_handler_t::replace))
      .get<std::string>();
}

GenerationRequest greedy(int maxTokens = 24) {
  GenerationRequest request;
  request.prompt = kPrompt;
  request.maxTokens = maxTokens;
  return request;
}

/// The issue's acceptance test: the server answers what the runtime answers.
TEST_F(ServeCommand, GreedyAnswerMatchesTheLocalRuntime) {
  auto expected = Local->generate(greedy());
  OPTLM_ASSERT_OK(expected);
  auto client = remote();
  auto answer = client->generate(greedy());
  OPTLM_ASSERT_OK(answer);
  EXPECT_EQ(answer->text, wireText(expected->text));
  EXPECT_EQ(answer->promptTokens, expected->promptTokens);
  EXPECT_EQ(answer->completionTokens, expected->completionTokens);
  EXPECT_EQ(answer->finish, expected->finish);
  EXPECT_EQ(client->modelName(), Local->modelName());
  EXPECT_EQ(client->contextLength(), kTinyContext);
}

TEST_F(ServeCommand, StreamingYieldsTheSameText) {
  auto expected = Local->generate(greedy(40));
  OPTLM_ASSERT_OK(expected);
  std::string streamed;
  int pieces = 0;
  auto answer = remote()->generate(greedy(40), [&](llvm::StringRef piece) {
    streamed += piece.str();
    ++pieces;
    return true;
  });
  OPTLM_ASSERT_OK(answer);
  EXPECT_EQ(streamed, wireText(expected->text));
  EXPECT_EQ(answer->text, wireText(expected->text));
  EXPECT_EQ(answer->completionTokens, expected->completionTokens);
  EXPECT_GT(pieces, 1);
}

TEST_F(ServeCommand, SeededSamplingAndStopStringsMatchTheLocalRuntime) {
  GenerationRequest request = greedy(48);
  request.sampling.temperature = 0.9f;
  request.sampling.topK = 50;
  request.sampling.topP = 0.95f;
  request.sampling.seed = 1234;
  auto full = Local->generate(request);
  OPTLM_ASSERT_OK(full);
  auto sampled = remote()->generate(request);
  OPTLM_ASSERT_OK(sampled);
  EXPECT_EQ(sampled->text, wireText(full->text));
  // A stop string taken from the middle of the sampled text (two ASCII
  // letters or digits, so that it travels through JSON unchanged).
  std::string stop;
  for (size_t i = full->text.size() / 2; i + 1 < full->text.size() && stop.empty(); ++i)
    if (llvm::isAlnum(full->text[i]) && llvm::isAlnum(full->text[i + 1]))
      stop = full->text.substr(i, 2);
  if (stop.empty())
    return;
  request.stop = {stop};
  auto expected = Local->generate(request);
  OPTLM_ASSERT_OK(expected);
  auto answer = remote()->generate(request);
  OPTLM_ASSERT_OK(answer);
  EXPECT_EQ(answer->text, wireText(expected->text));
  EXPECT_EQ(answer->finish, expected->finish);
  EXPECT_EQ(answer->finish, FinishReason::Stop);
}

TEST_F(ServeCommand, PassListConstraintIsApplied) {
  GenerationRequest request = greedy(kMaxTokensLimit);
  request.constraint = ConstraintKind::PassList;
  request.maxPasses = 3;
  auto expected = Local->generate(request);
  OPTLM_ASSERT_OK(expected);
  auto answer = remote()->generate(request);
  OPTLM_ASSERT_OK(answer);
  EXPECT_EQ(answer->text, wireText(expected->text));
  EXPECT_EQ(answer->finish, expected->finish);
}

TEST_F(ServeCommand, ModelsAndHealth) {
  auto client = http();
  auto models = client.Get("/v1/models");
  ASSERT_TRUE(models);
  EXPECT_EQ(models->status, 200);
  json list = json::parse(models->body);
  EXPECT_EQ(list["object"], "list");
  EXPECT_EQ(list["data"][0]["id"], Local->modelName());
  EXPECT_EQ(list["data"][0]["object"], "model");
  EXPECT_EQ(list["data"][0]["max_model_len"], kTinyContext);
  auto health = client.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json::parse(health->body)["status"], "ok");
}

TEST_F(ServeCommand, ReplyHasOpenAIsShape) {
  auto client = http();
  auto reply = client.Post("/v1/completions",
                           R"({"model":")" + Local->modelName() +
                               R"(","prompt":"hello","max_tokens":5,"temperature":0})",
                           "application/json");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  json body = json::parse(reply->body);
  EXPECT_EQ(body["object"], "text_completion");
  EXPECT_TRUE(body["id"].is_string());
  EXPECT_TRUE(body["created"].is_number_integer());
  EXPECT_EQ(body["model"], Local->modelName());
  EXPECT_TRUE(body["choices"][0]["text"].is_string());
  EXPECT_EQ(body["choices"][0]["index"], 0);
  EXPECT_TRUE(body["choices"][0]["finish_reason"].is_string());
  EXPECT_EQ(body["usage"]["completion_tokens"].get<int>() +
                body["usage"]["prompt_tokens"].get<int>(),
            body["usage"]["total_tokens"].get<int>());
}

TEST_F(ServeCommand, RawStreamEndsWithDone) {
  auto client = http();
  auto reply = client.Post("/v1/completions",
                           R"({"prompt":"hello","max_tokens":6,"temperature":0,"stream":true})",
                           "application/json");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200);
  EXPECT_EQ(reply->get_header_value("Content-Type"), "text/event-stream");
  llvm::StringRef body(reply->body);
  EXPECT_TRUE(body.starts_with("data: {")) << reply->body;
  EXPECT_TRUE(body.ends_with("data: [DONE]\n\n")) << reply->body;
}

/// Status and error message of a raw request.
struct Answer {
  int status = 0;
  std::string message;
  std::string allow;
  std::string body;
};

Answer ask(httplib::Client &client, const std::string &method, const std::string &path,
           const std::string &body = "") {
  httplib::Request request;
  request.method = method;
  request.path = path;
  request.body = body;
  if (!body.empty())
    request.headers.emplace("Content-Type", "application/json");
  auto reply = client.send(request);
  Answer answer;
  if (!reply) {
    answer.message = "no reply: " + httplib::to_string(reply.error());
    return answer;
  }
  answer.status = reply->status;
  answer.allow = reply->get_header_value("Allow");
  answer.body = reply->body;
  json parsed = json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_discarded() && parsed.contains("error") && parsed["error"].is_object() &&
      parsed["error"]["message"].is_string())
    answer.message = parsed["error"]["message"];
  else
    answer.message = "(not a JSON error) " + reply->body;
  return answer;
}

TEST_F(ServeCommand, MalformedRequestsGetTheRightStatusAndAJsonError) {
  auto client = http();
  struct Case {
    const char *method;
    const char *path;
    std::string body;
    int status;
    const char *messagePart;
  };
  const std::string longPrompt(kTinyContext + 50, 'x');
  const Case cases[] = {
      {"POST", "/v1/completions", "{not json", 400, "not valid JSON"},
      {"POST", "/v1/completions", "[]", 400, "JSON object"},
      {"POST", "/v1/completions", R"({"prompt":1})", 400, "'prompt' must be a string"},
      {"POST", "/v1/completions", R"({"prompt":"x","max_tokens":"3"})", 400, "'max_tokens'"},
      {"POST", "/v1/completions", R"({"prompt":"x","max_tokens":65})", 400, "at most 64"},
      {"POST", "/v1/completions", R"({"prompt":"x","model":"gpt-4"})", 400, "unknown model"},
      {"POST", "/v1/completions", R"({"prompt":"x","stream":1})", 400, "'stream'"},
      {"POST", "/v1/completions", R"({"prompt":"x","optlm":{"constraint":"sql"}})", 400,
       "optlm.constraint"},
      {"POST", "/v1/completions", "{\"prompt\":\"" + longPrompt + "\",\"temperature\":0}", 400,
       "more than the context"},
      {"POST", "/v1/completions",
       "{\"prompt\":\"" + longPrompt + "\",\"temperature\":0,\"stream\":true}", 400,
       "more than the context"},
      {"POST", "/v1/completions", "{\"prompt\":\"" + std::string(kMaxBody, 'y') + "\"}", 413,
       "larger than 4096 bytes"},
      {"GET", "/v1/completions", "", 405, "GET is not allowed on /v1/completions"},
      {"POST", "/v1/models", "{}", 405, "not allowed"},
      {"DELETE", "/health", "", 405, "not allowed"},
      {"GET", "/v1/chat/completions", "", 405, "GET is not allowed on /v1/chat/completions"},
      {"POST", "/v1/chat/completions", R"({"messages":[{"role":"user","content":1}]})", 400,
       "'messages[0].content' must be a string"},
      {"POST", "/v1/chat/completions", R"({"messages":[{"role":"robot","content":"x"}]})", 400,
       "'messages[0].role' must be"},
      {"POST", "/v1/chat/completions", R"({"prompt":"x"})", 400, "'messages' is required"},
      {"POST", "/v1/chat/completions",
       R"({"messages":[{"role":"user","content":"x"}],"max_completion_tokens":65})", 400,
       "at most 64"},
      {"POST", "/v1/chat/completions",
       "{\"messages\":[{\"role\":\"user\",\"content\":\"" + longPrompt + "\"}]}", 400,
       "more than the context"},
      {"POST", "/v1/chat/completions",
       "{\"messages\":[{\"role\":\"user\",\"content\":\"" + longPrompt + "\"}],\"stream\":true}",
       400, "more than the context"},
      {"GET", "/", "", 404, "no route"},
  };
  for (const Case &c : cases) {
    Answer answer = ask(client, c.method, c.path, c.body);
    EXPECT_EQ(answer.status, c.status) << c.method << " " << c.path << " " << c.body.substr(0, 80);
    EXPECT_NE(answer.message.find(c.messagePart), std::string::npos)
        << c.method << " " << c.path << " " << c.body.substr(0, 80) << "\n"
        << answer.message;
    if (c.status == 405)
      EXPECT_FALSE(answer.allow.empty());
    // A prompt too long has OpenAI's code, and a client reads it back as one.
    const bool overflow = std::string(c.messagePart) == "more than the context";
    json parsed = json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
    EXPECT_EQ(!parsed.is_discarded() && parsed["error"]["code"] == "context_length_exceeded",
              overflow)
        << answer.body;
    EXPECT_EQ(isContextOverflowReply(answer.status, answer.body), overflow) << answer.body;
  }
  // And the server is still there.
  EXPECT_EQ(ask(client, "GET", "/health").status, 200);
}

/// A raw TCP connection to the server, for what an HTTP library will not send.
class RawConnection {
public:
  explicit RawConnection(int port) {
    Fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    Connected = ::connect(Fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    timeval timeout{10, 0};
    ::setsockopt(Fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawConnection() { close(); }
  bool connected() const { return Connected; }
  void send(const std::string &data) {
    ssize_t ignored = ::send(Fd, data.data(), data.size(), MSG_NOSIGNAL);
    (void)ignored;
  }
  /// Reads until text appears, the peer closes, or 10 s pass.
  std::string readUntil(const std::string &text) {
    std::string received;
    char buffer[4096];
    while (received.find(text) == std::string::npos) {
      ssize_t n = ::recv(Fd, buffer, sizeof buffer, 0);
      if (n <= 0)
        break;
      received.append(buffer, static_cast<size_t>(n));
    }
    return received;
  }
  void close() {
    if (Fd >= 0)
      ::close(Fd);
    Fd = -1;
  }

private:
  int Fd = -1;
  bool Connected = false;
};

TEST_F(ServeCommand, GarbageOnTheWireIsA400) {
  RawConnection connection(TheServer->port());
  ASSERT_TRUE(connection.connected());
  connection.send("THIS IS NOT HTTP\r\n\r\n");
  std::string reply = connection.readUntil("\r\n\r\n");
  EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 400") << reply;
  RawConnection again(TheServer->port());
  again.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(again.readUntil("\"ok\"").find("\"status\":\"ok\""), std::string::npos);
}

TEST_F(ServeCommand, ChunkedBodiesAreBoundedToo) {
  // Without a Content-Length the server only learns the size by reading:
  // it must stop at the limit rather than buffer whatever comes.
  for (const char *path : {"/v1/completions", "/nowhere", "/health"}) {
    RawConnection connection(TheServer->port());
    ASSERT_TRUE(connection.connected());
    connection.send(std::string("POST ") + path +
                    " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    std::string chunk(1024, 'x');
    for (int i = 0; i < kMaxBody / 1024 + 2; ++i)
      connection.send("400\r\n" + chunk + "\r\n");
    std::string reply = connection.readUntil("\r\n\r\n");
    EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 413") << path << ": " << reply;
  }
  auto client = http();
  EXPECT_EQ(ask(client, "GET", "/health").status, 200);
}

TEST_F(ServeCommand, ClientLeavingMidStreamDoesNotHurtTheServer) {
  for (int round = 0; round < 3; ++round) {
    RawConnection connection(TheServer->port());
    ASSERT_TRUE(connection.connected());
    std::string body = R"({"prompt":"hello","max_tokens":64,"temperature":0,"stream":true})";
    connection.send("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: "
                    "application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body);
    std::string first = connection.readUntil("data: {");
    EXPECT_NE(first.find("200"), std::string::npos) << first;
    connection.close();
  }
  auto answer = remote()->generate(greedy(8));
  OPTLM_ASSERT_OK(answer);
  auto expected = Local->generate(greedy(8));
  OPTLM_ASSERT_OK(expected);
  EXPECT_EQ(answer->text, wireText(expected->text));
}

// --- the chat API ----------------------------------------------------------

/// kPrompt is this user message in Llama 2's chat format.
const char *const kQuestion =
    "Tell me how to optimize this LLVM-IR for object file size:\n\n<code>define i32 "
    "@f() {\n  ret i32 0\n}\n</code>";

json chatBody(json messages, int maxTokens, bool stream = false) {
  return json{{"messages", std::move(messages)},
              {"max_tokens", maxTokens},
              {"temperature", 0},
              {"stream", stream}};
}

json userMessage(const std::string &content) {
  return json::array({json{{"role", "user"}, {"content", content}}});
}

/// The data of each event of a server-sent event stream, in order.
std::vector<std::string> eventData(llvm::StringRef body) {
  std::vector<std::string> events;
  while (!body.empty()) {
    auto [event, rest] = body.split("\n\n");
    if (event.consume_front("data: "))
      events.push_back(event.str());
    body = rest;
  }
  return events;
}

TEST_F(ServeCommand, ChatAnswerIsTheCompletionOfItsLlama2Prompt) {
  ASSERT_EQ(std::string("[INST] ") + kQuestion + " [/INST]", kPrompt);
  auto expected = Local->generate(greedy());
  OPTLM_ASSERT_OK(expected);
  json request = chatBody(userMessage(kQuestion), 24);
  request["model"] = Local->modelName();
  auto reply = http().Post("/v1/chat/completions", request.dump(), "application/json");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  json body = json::parse(reply->body);
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_TRUE(llvm::StringRef(body["id"].get<std::string>()).starts_with("chatcmpl-"));
  EXPECT_EQ(body["model"], Local->modelName());
  EXPECT_EQ(body["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(body["choices"][0]["message"]["content"], wireText(expected->text));
  EXPECT_EQ(body["choices"][0]["finish_reason"],
            expected->finish == FinishReason::Length ? "length" : "stop");
  EXPECT_EQ(body["usage"]["prompt_tokens"], expected->promptTokens);
  EXPECT_EQ(body["usage"]["completion_tokens"], expected->completionTokens);
}

TEST_F(ServeCommand, ChatStreamHasOpenAIsChunks) {
  auto expected = Local->generate(greedy(40));
  OPTLM_ASSERT_OK(expected);
  auto reply =
      http().Post("/v1/chat/completions",
                  chatBody(userMessage(kQuestion), 40, /*stream=*/true).dump(), "application/json");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  EXPECT_EQ(reply->get_header_value("Content-Type"), "text/event-stream");
  std::vector<std::string> events = eventData(reply->body);
  ASSERT_GE(events.size(), 4u) << reply->body;
  EXPECT_EQ(events.back(), "[DONE]");
  json first = json::parse(events.front());
  EXPECT_EQ(first["choices"][0]["delta"], (json{{"role", "assistant"}, {"content", ""}}));
  json last = json::parse(events[events.size() - 2]);
  EXPECT_EQ(last["choices"][0]["delta"], json::object());
  EXPECT_TRUE(last["choices"][0]["finish_reason"].is_string());
  EXPECT_EQ(last["usage"]["completion_tokens"], expected->completionTokens);
  std::string streamed;
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    json chunk = json::parse(events[i]);
    EXPECT_EQ(chunk["object"], "chat.completion.chunk");
    EXPECT_EQ(chunk["id"], first["id"]);
    if (i > 0 && i + 2 < events.size()) {
      EXPECT_TRUE(chunk["choices"][0]["finish_reason"].is_null());
      streamed += chunk["choices"][0]["delta"]["content"].get<std::string>();
    }
  }
  EXPECT_EQ(streamed, wireText(expected->text));
}

TEST_F(ServeCommand, ChatConversationKeepsItsTurnsApart) {
  json messages = json::parse(R"([{"role":"system","content":"Answer with passes."},
      {"role":"user","content":"first question"},{"role":"assistant","content":"gvn"},
      {"role":"user","content":"second question"}])");
  // Llama 2's format, written out: each finished exchange its own sequence
  // between BOS and EOS.
  GenerationRequest conversation = greedy(16);
  conversation.precedingSequences = {
      "[INST] <<SYS>>\nAnswer with passes.\n<</SYS>>\n\nfirst question [/INST] gvn "};
  conversation.prompt = "[INST] second question [/INST]";
  const Tokenizer &tokenizer = Local->tokenizer();
  size_t promptTokens = tokenizer.encode(conversation.precedingSequences[0], true).size() + 1 +
                        tokenizer.encode(conversation.prompt, true).size();
  auto expected = Local->generate(conversation);
  OPTLM_ASSERT_OK(expected);
  EXPECT_EQ(static_cast<size_t>(expected->promptTokens), promptTokens);

  auto reply =
      http().Post("/v1/chat/completions", chatBody(messages, 16).dump(), "application/json");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  json body = json::parse(reply->body);
  EXPECT_EQ(body["usage"]["prompt_tokens"], promptTokens);
  EXPECT_EQ(body["choices"][0]["message"]["content"], wireText(expected->text));
}

TEST_F(ServeCommand, ChatHonoursThePassListConstraint) {
  GenerationRequest request = greedy(kMaxTokensLimit);
  request.constraint = ConstraintKind::PassList;
  request.maxPasses = 3;
  auto expected = Local->generate(request);
  OPTLM_ASSERT_OK(expected);
  json body = chatBody(userMessage(kQuestion), kMaxTokensLimit);
  body["optlm"] = json{{"constraint", "pass_list"}, {"max_passes", 3}};
  auto reply = http().Post("/v1/chat/completions", body.dump(), "application/json");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  json answer = json::parse(reply->body);
  EXPECT_EQ(answer["choices"][0]["message"]["content"], wireText(expected->text));
  EXPECT_EQ(answer["optlm"]["constraint"], "pass_list");
  EXPECT_EQ(answer["optlm"]["finish_reason"], finishReasonName(expected->finish).str());
}

TEST_F(ServeCommand, RemoteClientOverChatAgreesWithTheLocalRuntime) {
  RemoteOptions options;
  options.url = TheServer->url();
  options.api = RemoteApi::Chat;
  auto client = RemoteGenerator::create(options);
  OPTLM_ASSERT_OK(client);
  auto expected = Local->generate(greedy(24));
  OPTLM_ASSERT_OK(expected);
  auto answer = (*client)->generate(greedy(24));
  OPTLM_ASSERT_OK(answer);
  EXPECT_EQ(answer->text, wireText(expected->text));
  EXPECT_EQ(answer->promptTokens, expected->promptTokens);
  std::string streamed;
  answer = (*client)->generate(greedy(24), [&](llvm::StringRef piece) {
    streamed += piece.str();
    return true;
  });
  OPTLM_ASSERT_OK(answer);
  EXPECT_EQ(streamed, wireText(expected->text));

  // A prompt in no chat format goes as one user message, which the server
  // wraps in [INST] ... [/INST].
  GenerationRequest plain = greedy(12);
  plain.prompt = "hello";
  answer = (*client)->generate(plain);
  OPTLM_ASSERT_OK(answer);
  plain.prompt = "[INST] hello [/INST]";
  expected = Local->generate(plain);
  OPTLM_ASSERT_OK(expected);
  EXPECT_EQ(answer->text, wireText(expected->text));
  EXPECT_EQ(answer->promptTokens, expected->promptTokens);
}

TEST_F(ServeCommand, LogsTheModelsChatFormat) {
  EXPECT_EQ(Local->chatTemplate(), kLlama2ChatTemplate);
  EXPECT_NE(TheServer->errors().find("optlm serve: chat format: Llama 2 ([INST] ... [/INST]), as "
                                     "the model's chat template"),
            std::string::npos)
      << TheServer->errors();
}

TEST(ServeCommandLifecycle, ClientRetriesUntilALateServerIsUp) {
  int port = freePort();
  RemoteOptions options;
  options.url = "http://127.0.0.1:" + std::to_string(port);
  options.maxAttempts = 60;
  options.initialBackoff = std::chrono::milliseconds(100);
  options.maxBackoff = std::chrono::milliseconds(500);
  auto client = RemoteGenerator::create(options);
  OPTLM_ASSERT_OK(client);
  auto answer = std::async(std::launch::async, [&] { return (*client)->generate(greedy(6)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ServeProcess late;
  ASSERT_TRUE(late.start(
      {"--model", tinyModelPath(), "--port", std::to_string(port), "--threads", "1", "--quiet"}));
  ASSERT_EQ(answer.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  auto result = answer.get();
  OPTLM_ASSERT_OK(result);
  EXPECT_EQ(result->completionTokens, 6);
  EXPECT_EQ(late.stop(), 0);
}

TEST(ServeCommandLifecycle, SigtermShutsDownCleanly) {
  ServeProcess server;
  ASSERT_TRUE(server.start({"--model", tinyModelPath(), "--port", "0", "--threads", "1"}));
  httplib::Client client("127.0.0.1", server.port());
  auto health = client.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(server.stop(), 0) << server.errors();
  EXPECT_NE(server.errors().find("optlm serve: shut down"), std::string::npos) << server.errors();
  EXPECT_FALSE(client.Get("/health"));
}

/// Runs `optlm serve ARGS` expecting it to fail at once.
std::pair<int, std::string> failingServe(std::vector<std::string> args) {
  llvm::SmallString<128> err;
  llvm::sys::fs::createTemporaryFile("optlm-serve-usage", "txt", err);
  std::vector<llvm::StringRef> argv = {OPTLM_TOOL_PATH, "serve"};
  for (const std::string &arg : args)
    argv.push_back(arg);
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(""),
                                                llvm::StringRef(err)};
  int code = llvm::sys::ExecuteAndWait(OPTLM_TOOL_PATH, argv, std::nullopt, redirects, 60);
  auto text = llvm::MemoryBuffer::getFile(err);
  llvm::sys::fs::remove(err);
  return {code, text ? (*text)->getBuffer().str() : ""};
}

/// Runs `optlm ARGS`, returning its exit code and standard output.
std::pair<int, std::string> runTool(std::vector<std::string> args) {
  llvm::SmallString<128> out;
  llvm::sys::fs::createTemporaryFile("optlm-tool-out", "txt", out);
  std::vector<llvm::StringRef> argv = {OPTLM_TOOL_PATH};
  for (const std::string &arg : args)
    argv.push_back(arg);
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(out),
                                                llvm::StringRef("")};
  int code = llvm::sys::ExecuteAndWait(OPTLM_TOOL_PATH, argv, std::nullopt, redirects, 120);
  auto text = llvm::MemoryBuffer::getFile(out);
  llvm::sys::fs::remove(out);
  return {code, text ? (*text)->getBuffer().str() : ""};
}

/// `optlm generate --server` gives the text `optlm generate --model` gives.
TEST_F(ServeCommand, GenerateCommandAgreesWithAndWithoutServer) {
  llvm::SmallString<128> promptPath;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("optlm-prompt", "txt", promptPath));
  {
    std::error_code ec;
    llvm::raw_fd_ostream prompt(promptPath, ec);
    ASSERT_FALSE(ec);
    prompt << kPrompt;
  }
  auto [localCode, localText] =
      runTool({"generate", "--model", tinyModelPath(), "--threads", "1", "--prompt-file",
               std::string(promptPath), "--max-tokens", "24"});
  auto [remoteCode, remoteText] =
      runTool({"generate", "--server", TheServer->url(), "--prompt-file", std::string(promptPath),
               "--max-tokens", "24"});
  auto [bothCode, bothText] = runTool({"generate", "--server", TheServer->url(), "--model",
                                       tinyModelPath(), "--prompt-file", std::string(promptPath)});
  llvm::sys::fs::remove(promptPath);
  EXPECT_EQ(localCode, 0);
  EXPECT_EQ(remoteCode, 0);
  EXPECT_FALSE(localText.empty());
  EXPECT_EQ(remoteText, wireText(localText));
  EXPECT_EQ(bothCode, 2) << "--model and --server exclude each other";
}

TEST(ServeCommandLifecycle, UsageErrors) {
  auto [code, message] = failingServe({});
  EXPECT_EQ(code, 2);
  EXPECT_NE(message.find("optlm serve: error: no model given"), std::string::npos) << message;
  std::tie(code, message) = failingServe({"--model", "/nonexistent/model.gguf"});
  EXPECT_EQ(code, 2);
  EXPECT_NE(message.find("cannot load model"), std::string::npos) << message;
  std::tie(code, message) = failingServe({"--model", tinyModelPath(), "--port", "70000"});
  EXPECT_EQ(code, 2);
  EXPECT_NE(message.find("--port"), std::string::npos) << message;
  std::tie(code, message) = failingServe({"--model", tinyModelPath(), "--max-concurrent", "0"});
  EXPECT_EQ(code, 2);

  TestHttpServer occupier;
  occupier.start();
  std::tie(code, message) =
      failingServe({"--model", tinyModelPath(), "--port", std::to_string(occupier.port())});
  EXPECT_EQ(code, 1);
  EXPECT_NE(message.find("cannot listen"), std::string::npos) << message;
}

} // namespace
