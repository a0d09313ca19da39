//===- CompletionProtocolTest.cpp - completions and chat JSON, both ways --===//
#include "lm/serve/CompletionProtocol.h"
#include "lm/serve/ApiError.h"

#include "ServeTestSupport.h"
#include "testing/Testing.h"

#include <nlohmann/json.hpp>

using namespace optlm::lm;
using json = nlohmann::json;

namespace {

CompletionPolicy policy() {
  CompletionPolicy p;
  p.servedModel = "tiny";
  p.maxTokensLimit = 100;
  return p;
}

/// The 400 message for a request body, or "" when it is accepted; with
/// param, the field the error names.
std::string refusal(const std::string &body, Endpoint endpoint = Endpoint::Completions,
                    std::string *param = nullptr) {
  llvm::Expected<CompletionRequest> request = endpoint == Endpoint::Completions
                                                  ? parseCompletionRequest(body, policy())
                                                  : parseChatCompletionRequest(body, policy());
  if (request)
    return "";
  std::string message;
  int status = 0;
  llvm::handleAllErrors(request.takeError(), [&](const ApiError &error) {
    status = error.status();
    message = error.message();
    if (param)
      *param = error.param();
  });
  EXPECT_EQ(status, 400) << body;
  return message;
}

TEST(ServeProtocol, ParsesEveryField) {
  llvm::Expected<CompletionRequest> request = parseCompletionRequest(
      R"({"model":"tiny","prompt":"[INST] hi [/INST]","max_tokens":7,"temperature":0.5,
          "top_p":0.9,"top_k":40,"seed":-3,"stop":["\n","</s>"],"stream":true,
          "stream_options":{"include_usage":true},"user":"ignored","n":1,
          "optlm":{"constraint":"pass_list","max_passes":5}})",
      policy());
  OPTLM_ASSERT_OK(request);
  const GenerationRequest &g = request->generation;
  EXPECT_EQ(g.prompt, "[INST] hi [/INST]");
  EXPECT_EQ(g.maxTokens, 7);
  EXPECT_FLOAT_EQ(g.sampling.temperature, 0.5f);
  EXPECT_FLOAT_EQ(g.sampling.topP, 0.9f);
  EXPECT_EQ(g.sampling.topK, 40);
  EXPECT_EQ(g.sampling.seed, static_cast<uint64_t>(-3));
  EXPECT_EQ(g.stop, (std::vector<std::string>{"\n", "</s>"}));
  EXPECT_EQ(g.constraint, ConstraintKind::PassList);
  EXPECT_EQ(g.maxPasses, 5);
  EXPECT_TRUE(request->stream);
}

TEST(ServeProtocol, OpenAIDefaults) {
  llvm::Expected<CompletionRequest> request = parseCompletionRequest(
      R"({"prompt":"x","stop":"END","top_k":-1,"temperature":null})", policy());
  OPTLM_ASSERT_OK(request);
  EXPECT_EQ(request->generation.maxTokens, kDefaultMaxTokens);
  EXPECT_FLOAT_EQ(request->generation.sampling.temperature, 1.0f);
  EXPECT_EQ(request->generation.sampling.topK, 0);
  EXPECT_EQ(request->generation.stop, std::vector<std::string>{"END"});
  EXPECT_EQ(request->generation.constraint, ConstraintKind::None);
  EXPECT_FALSE(request->stream);
  // A batch of one prompt is the same as the prompt.
  request = parseCompletionRequest(R"({"prompt":["only"]})", policy());
  OPTLM_ASSERT_OK(request);
  EXPECT_EQ(request->generation.prompt, "only");
}

TEST(ServeProtocol, RefusesMalformedRequestsNamingTheField) {
  struct Case {
    const char *body;
    const char *messagePart;
  };
  const Case cases[] = {
      {"", "not valid JSON: "},
      {"{\"prompt\": \"x\"", "not valid JSON"},
      {"[1,2]", "JSON object"},
      {"\"prompt\"", "JSON object"},
      {"{}", "'prompt' is required"},
      {R"({"prompt":null})", "'prompt' is required"},
      {R"({"prompt":42})", "'prompt' must be a string"},
      {R"({"prompt":["a","b"]})", "single string"},
      {R"({"prompt":[1,2,3]})", "single string"},
      {R"({"prompt":"x","model":"gpt-4"})", "unknown model 'gpt-4'"},
      // The name is the client's: its control characters must not break the
      // message's one line (found by the protocol fuzzer).
      {R"({"prompt":"x","model":"gpt\n4"})", "unknown model 'gpt 4'"},
      {R"({"prompt":"x","model":7})", "'model' must be a string"},
      {R"({"prompt":"x","max_tokens":"10"})", "'max_tokens' must be an integer, not a string"},
      {R"({"prompt":"x","max_tokens":1.5})", "'max_tokens' must be an integer"},
      {R"({"prompt":"x","max_tokens":-1})", "must not be negative"},
      {R"({"prompt":"x","max_tokens":101})", "at most 100"},
      {R"({"prompt":"x","max_tokens":99999999999999999999})", "'max_tokens'"},
      {R"({"prompt":"x","temperature":"hot"})", "'temperature' must be a number"},
      {R"({"prompt":"x","temperature":-1})", "temperature"},
      {R"({"prompt":"x","top_p":0})", "op"},
      {R"({"prompt":"x","top_p":[1]})", "'top_p' must be a number"},
      {R"({"prompt":"x","top_k":-2})", "'top_k'"},
      {R"({"prompt":"x","top_k":true})", "'top_k' must be an integer"},
      {R"({"prompt":"x","seed":1.5})", "'seed' must be an integer"},
      {R"({"prompt":"x","stop":5})", "'stop' must be a string or an array"},
      {R"({"prompt":"x","stop":["a",5]})", "'stop' must be a string or an array"},
      {R"({"prompt":"x","stop":""})", "stop"},
      {R"({"prompt":"x","stream":"yes"})", "'stream' must be a boolean"},
      {R"({"prompt":"x","stream_options":1})", "'stream_options' must be an object"},
      {R"({"prompt":"x","n":2})", "'n' is not supported"},
      {R"({"prompt":"x","echo":true})", "'echo' is not supported"},
      {R"({"prompt":"x","logprobs":5})", "'logprobs' is not supported"},
      {R"({"prompt":"x","optlm":"pass_list"})", "'optlm' must be an object"},
      {R"({"prompt":"x","optlm":{"constraint":"regex"}})", "'optlm.constraint' must be"},
      {R"({"prompt":"x","optlm":{"max_passes":0}})", "'optlm.max_passes'"},
  };
  for (const Case &c : cases) {
    std::string message = refusal(c.body);
    EXPECT_NE(message.find(c.messagePart), std::string::npos)
        << "body: " << c.body << "\nmessage: " << message;
  }
}

TEST(ServeProtocol, DeeplyNestedJsonIsHarmless) {
  // Within the body limit, nesting can be very deep; the parser must
  // neither recurse into a stack overflow nor choke on unknown fields.
  const size_t depth = 200000;
  std::string body =
      R"({"prompt":"x","junk":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
  llvm::Expected<CompletionRequest> request = parseCompletionRequest(body, policy());
  OPTLM_ASSERT_OK(request);
  EXPECT_EQ(request->generation.prompt, "x");
  EXPECT_NE(refusal(R"({"prompt":)" + std::string(depth, '[') + std::string(depth, ']') + "}")
                .find("single string"),
            std::string::npos);
}

TEST(ServeProtocol, ReplyShapeIsOpenAIs) {
  CompletionIdentity identity{"cmpl-1", 1700000000, "tiny", ConstraintKind::PassList};
  GenerationResult result;
  result.text = "instcombine,gvn";
  result.promptTokens = 12;
  result.completionTokens = 5;
  result.finish = FinishReason::ConstraintEnd;
  json reply = json::parse(completionReplyJson(identity, result));
  EXPECT_EQ(reply["id"], "cmpl-1");
  EXPECT_EQ(reply["object"], "text_completion");
  EXPECT_EQ(reply["created"], 1700000000);
  EXPECT_EQ(reply["model"], "tiny");
  EXPECT_EQ(reply["choices"][0]["text"], "instcombine,gvn");
  EXPECT_EQ(reply["choices"][0]["index"], 0);
  EXPECT_EQ(reply["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(reply["usage"]["prompt_tokens"], 12);
  EXPECT_EQ(reply["usage"]["completion_tokens"], 5);
  EXPECT_EQ(reply["usage"]["total_tokens"], 17);
  EXPECT_EQ(reply["optlm"]["finish_reason"], "constraint-end");

  // And the client reads back exactly what the server meant.
  llvm::Expected<CompletionReply> parsed = parseCompletionReply(reply.dump());
  OPTLM_ASSERT_OK(parsed);
  EXPECT_EQ(parsed->text, "instcombine,gvn");
  EXPECT_EQ(parsed->finish, FinishReason::ConstraintEnd);
  EXPECT_EQ(parsed->promptTokens, 12);
  EXPECT_EQ(parsed->completionTokens, 5);
  EXPECT_TRUE(parsed->constraintApplied);
}

TEST(ServeProtocol, InvalidUtf8InTheTextStillSerializes) {
  CompletionIdentity identity{"cmpl-2", 1, "tiny", ConstraintKind::None};
  json chunk = json::parse(completionChunkJson(identity, "ok\xff"));
  EXPECT_EQ(chunk["choices"][0]["text"], "ok\xEF\xBF\xBD");
  EXPECT_TRUE(chunk["choices"][0]["finish_reason"].is_null());
}

TEST(ServeProtocol, ClientRequestBody) {
  GenerationRequest request;
  request.prompt = "p";
  request.maxTokens = 9;
  request.sampling.seed = 4;
  request.stop = {"\n"};
  json body = json::parse(completionRequestJson(request, "m", /*stream=*/true));
  EXPECT_EQ(body["model"], "m");
  EXPECT_EQ(body["prompt"], "p");
  EXPECT_EQ(body["max_tokens"], 9);
  EXPECT_EQ(body["temperature"], 0.0);
  EXPECT_EQ(body["seed"], 4);
  EXPECT_EQ(body["stop"], json::array({"\n"}));
  EXPECT_EQ(body["stream"], true);
  EXPECT_FALSE(body.contains("top_k"));
  EXPECT_FALSE(body.contains("optlm"));
  // What the client sends, the server accepts as the same request.
  CompletionPolicy p = policy();
  p.servedModel = "m";
  llvm::Expected<CompletionRequest> back = parseCompletionRequest(body.dump(), p);
  OPTLM_ASSERT_OK(back);
  EXPECT_EQ(back->generation.prompt, "p");
  EXPECT_EQ(back->generation.maxTokens, 9);
  EXPECT_EQ(back->generation.sampling.temperature, 0.0f);
  EXPECT_EQ(back->generation.stop, request.stop);
}

TEST(ServeProtocol, ChatRequestIsRenderedInLlama2Format) {
  llvm::Expected<CompletionRequest> request = parseChatCompletionRequest(
      R"({"model":"tiny","messages":[{"role":"system","content":"Be brief."},
          {"role":"user","content":"q1","name":"ignored"},{"role":"assistant","content":"a1"},
          {"role":"user","content":" q2 "}],
          "max_completion_tokens":7,"temperature":0,"seed":3,"stop":"\n","stream":true,
          "n":1,"logprobs":false,"tools":[],"tool_choice":"none",
          "response_format":{"type":"text"},"optlm":{"constraint":"pass_list","max_passes":5}})",
      policy());
  OPTLM_ASSERT_OK(request);
  const GenerationRequest &g = request->generation;
  EXPECT_EQ(g.precedingSequences,
            std::vector<std::string>{"[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nq1 [/INST] a1 "});
  EXPECT_EQ(g.prompt, "[INST] q2 [/INST]");
  EXPECT_EQ(g.maxTokens, 7);
  EXPECT_EQ(g.sampling.temperature, 0.0f);
  EXPECT_EQ(g.sampling.seed, 3u);
  EXPECT_EQ(g.stop, std::vector<std::string>{"\n"});
  EXPECT_EQ(g.constraint, ConstraintKind::PassList);
  EXPECT_EQ(g.maxPasses, 5);
  EXPECT_TRUE(request->stream);

  // OpenAI's defaults, as for completions.
  request = parseChatCompletionRequest(R"({"messages":[{"role":"user","content":"x"}]})", policy());
  OPTLM_ASSERT_OK(request);
  EXPECT_EQ(request->generation.maxTokens, kDefaultMaxTokens);
  EXPECT_EQ(request->generation.sampling.temperature, 1.0f);
  EXPECT_FALSE(request->stream);
}

TEST(ServeProtocol, RefusesMalformedChatRequestsNamingTheField) {
  struct Case {
    const char *body;
    const char *param;
    const char *messagePart;
  };
  const Case cases[] = {
      {R"({"prompt":"x"})", "messages", "'messages' is required"},
      {R"({"messages":"hi"})", "messages",
       "'messages' must be an array of {role, content} "
       "objects, not a string"},
      {R"({"messages":[]})", "messages", "must not be empty"},
      {R"({"messages":["hi"]})", "messages[0]", "'messages[0]' must be an object"},
      {R"({"messages":[{"content":"x"}]})", "messages[0].role", "'messages[0].role' is required"},
      {R"({"messages":[{"role":1,"content":"x"}]})", "messages[0].role",
       "'messages[0].role' must be a string, not an integer"},
      {R"({"messages":[{"role":"user","content":"x"},{"role":"tool","content":"x"}]})",
       "messages[1].role", "must be \"system\", \"user\" or \"assistant\", not \"tool\""},
      {R"({"messages":[{"role":"user"}]})", "messages[0].content",
       "'messages[0].content' is required"},
      {R"({"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]})",
       "messages[0].content", "'messages[0].content' must be a string, not an array"},
      {R"({"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]})",
       "messages[1].role", "alternate"},
      {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})",
       "messages[1].role", "last message must be the user's"},
      {R"({"messages":[{"role":"user","content":"x"}],"max_tokens":1,"max_completion_tokens":1})",
       "max_completion_tokens", "not both"},
      {R"({"messages":[{"role":"user","content":"x"}],"max_completion_tokens":"9"})",
       "max_completion_tokens", "'max_completion_tokens' must be an integer"},
      {R"({"messages":[{"role":"user","content":"x"}],"max_completion_tokens":101})",
       "max_completion_tokens", "at most 100"},
      {R"({"messages":[{"role":"user","content":"x"}],"model":"gpt-4o"})", "model",
       "unknown model"},
      {R"({"messages":[{"role":"user","content":"x"}],"logprobs":true})", "logprobs",
       "'logprobs' is not supported"},
      {R"({"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]})", "tools",
       "'tools' is not supported"},
      {R"({"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"}})",
       "response_format", "not supported"},
      {R"({"messages":[{"role":"user","content":"x"}],"optlm":{"constraint":"sql"}})",
       "optlm.constraint", "'optlm.constraint' must be"},
  };
  for (const Case &c : cases) {
    std::string param;
    std::string message = refusal(c.body, Endpoint::ChatCompletions, &param);
    EXPECT_NE(message.find(c.messagePart), std::string::npos)
        << "body: " << c.body << "\nmessage: " << message;
    EXPECT_EQ(param, c.param) << "body: " << c.body;
  }
}

TEST(ServeProtocol, ChatReplyAndChunksHaveOpenAIsShape) {
  CompletionIdentity identity{"chatcmpl-1", 1700000000, "tiny", ConstraintKind::PassList,
                              Endpoint::ChatCompletions};
  GenerationResult result;
  result.text = "gvn";
  result.promptTokens = 12;
  result.completionTokens = 2;
  result.finish = FinishReason::Length;

  json reply = json::parse(completionReplyJson(identity, result));
  EXPECT_EQ(reply["object"], "chat.completion");
  EXPECT_EQ(reply["id"], "chatcmpl-1");
  EXPECT_EQ(reply["choices"][0]["message"], (json{{"role", "assistant"}, {"content", "gvn"}}));
  EXPECT_FALSE(reply["choices"][0].contains("text"));
  EXPECT_EQ(reply["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(reply["usage"]["total_tokens"], 14);
  EXPECT_EQ(reply["optlm"]["constraint"], "pass_list");

  json opening = json::parse(streamOpeningChunkJson(identity));
  EXPECT_EQ(opening["object"], "chat.completion.chunk");
  EXPECT_EQ(opening["choices"][0]["delta"], (json{{"role", "assistant"}, {"content", ""}}));
  EXPECT_TRUE(opening["choices"][0]["finish_reason"].is_null());
  json piece = json::parse(completionChunkJson(identity, "gv"));
  EXPECT_EQ(piece["object"], "chat.completion.chunk");
  EXPECT_EQ(piece["choices"][0]["delta"], (json{{"content", "gv"}}));
  json last = json::parse(completionFinalChunkJson(identity, result));
  EXPECT_EQ(last["choices"][0]["delta"], json::object());
  EXPECT_EQ(last["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(last["usage"]["completion_tokens"], 2);

  // The client reads every one of them back.
  auto parsed = parseCompletionReply(reply.dump());
  OPTLM_ASSERT_OK(parsed);
  EXPECT_EQ(parsed->text, "gvn");
  EXPECT_EQ(parsed->finish, FinishReason::Length);
  EXPECT_TRUE(parsed->constraintApplied);
  parsed = parseCompletionReply(opening.dump());
  OPTLM_ASSERT_OK(parsed);
  EXPECT_EQ(parsed->text, "");
  EXPECT_FALSE(parsed->finish.has_value());
  parsed = parseCompletionReply(piece.dump());
  OPTLM_ASSERT_OK(parsed);
  EXPECT_EQ(parsed->text, "gv");
  parsed = parseCompletionReply(last.dump());
  OPTLM_ASSERT_OK(parsed);
  EXPECT_EQ(parsed->finish, FinishReason::Length);
  EXPECT_EQ(parsed->completionTokens, 2);

  // Completions streams have no opening chunk.
  identity.endpoint = Endpoint::Completions;
  EXPECT_EQ(streamOpeningChunkJson(identity), "");
}

TEST(ServeProtocol, ChatClientRequestBodyReadsBackAsTheSameRequest) {
  GenerationRequest request;
  request.precedingSequences = {"[INST] q1 [/INST] a1 "};
  request.prompt = "[INST] q2 [/INST]";
  request.maxTokens = 9;
  request.constraint = ConstraintKind::PassList;
  request.maxPasses = 4;
  auto messages = readLlama2Chat(request);
  ASSERT_TRUE(messages.has_value());
  json body = json::parse(chatCompletionRequestJson(request, *messages, "m", /*stream=*/false));
  EXPECT_FALSE(body.contains("prompt"));
  EXPECT_EQ(body["messages"], json::parse(R"([{"role":"user","content":"q1"},
      {"role":"assistant","content":"a1"},{"role":"user","content":"q2"}])"));
  CompletionPolicy p = policy();
  p.servedModel = "m";
  llvm::Expected<CompletionRequest> back = parseChatCompletionRequest(body.dump(), p);
  OPTLM_ASSERT_OK(back);
  EXPECT_EQ(back->generation.prompt, request.prompt);
  EXPECT_EQ(back->generation.precedingSequences, request.precedingSequences);
  EXPECT_EQ(back->generation.maxTokens, 9);
  EXPECT_EQ(back->generation.constraint, ConstraintKind::PassList);
  EXPECT_EQ(back->generation.maxPasses, 4);
}

TEST(ServeProtocol, MalformedRepliesAreNamed) {
  struct Case {
    const char *body;
    const char *messagePart;
  };
  const Case cases[] = {
      {"<html>502 Bad Gateway</html>", "not JSON"},
      {"[]", "not a JSON object"},
      {"{}", "'choices' is missing"},
      {R"({"choices":"x"})", "'choices' is missing or not an array"},
      {R"({"choices":[]})", "'choices' is empty"},
      {R"({"choices":[5]})", "'choices[0]' is not an object"},
      {R"({"choices":[{"finish_reason":"stop"}]})", "'choices[0].text' is missing"},
      {R"({"choices":[{"text":7,"finish_reason":"stop"}]})", "'choices[0].text'"},
      {R"({"choices":[{"text":"a","finish_reason":1}]})", "finish_reason' is not a string"},
      {R"({"choices":[{"text":"a"}],"usage":[]})", "'usage' is not an object"},
      {R"({"choices":[{"text":"a"}],"usage":{"prompt_tokens":"3"}})", "usage.prompt_tokens"},
      {R"({"choices":[{"text":"a"}],"usage":{"completion_tokens":-3}})", "usage.completion"},
      {R"({"error":{"message":"model overloaded"}})", "model overloaded"},
      {R"({"choices":[{"message":"hi","finish_reason":"stop"}]})",
       "'choices[0].message' is not an object"},
      {R"({"choices":[{"delta":{"content":5}}]})", "'choices[0].delta.content' is not a string"},
  };
  for (const Case &c : cases) {
    llvm::Expected<CompletionReply> reply = parseCompletionReply(c.body);
    std::string message = test::errorText(reply);
    EXPECT_NE(message.find(c.messagePart), std::string::npos)
        << "body: " << c.body << "\nmessage: " << message;
  }
}

TEST(ServeProtocol, ModelListsAndErrorMessages) {
  llvm::Expected<std::vector<ModelInfo>> models =
      parseModelList(modelListJson("tiny.gguf", 5, 2048));
  OPTLM_ASSERT_OK(models);
  ASSERT_EQ(models->size(), 1u);
  EXPECT_EQ((*models)[0].id, "tiny.gguf");
  EXPECT_EQ((*models)[0].contextLength, 2048);
  models = parseModelList(R"({"object":"list","data":[]})");
  EXPECT_NE(test::errorText(models).find("no models"), std::string::npos);
  models = parseModelList(R"({"data":[{"id":3}]})");
  EXPECT_NE(test::errorText(models).find("'id'"), std::string::npos);

  EXPECT_EQ(errorMessageOfReply(errorJson(400, "invalid_request_error", "bad prompt")),
            "bad prompt");
  EXPECT_EQ(errorMessageOfReply(R"({"error":"plain"})"), "plain");
  EXPECT_EQ(errorMessageOfReply(R"({"detail":"fastapi says no"})"), "fastapi says no");
  EXPECT_EQ(errorMessageOfReply("  gateway\ntimeout \n"), "gateway timeout");
  EXPECT_EQ(errorMessageOfReply(""), "(empty reply)");
  EXPECT_EQ(errorMessageOfReply(std::string(500, 'x')).size(), 203u);
}

TEST(CompletionProtocol, ContextOverflowRepliesInEachServersWords) {
  // optlm's own, and OpenAI's code.
  EXPECT_TRUE(isContextOverflowReply(400, errorJson(400, "invalid_request_error", "too long",
                                                    "prompt", "context_length_exceeded")));
  // llama.cpp's type.
  EXPECT_TRUE(isContextOverflowReply(
      400, R"({"error":{"code":400,"message":"the request exceeds the available context size",)"
           R"("type":"exceed_context_size_error"}})"));
  // vLLM's wording, with no code.
  EXPECT_TRUE(isContextOverflowReply(
      400, R"({"object":"error","message":"This model's maximum context length is 2048 tokens.",)"
           R"("type":"BadRequestError","code":400})"));
  // Other refusals, and other statuses, are not.
  EXPECT_FALSE(isContextOverflowReply(400, errorJson(400, "invalid_request_error", "bad prompt")));
  EXPECT_FALSE(isContextOverflowReply(
      500, errorJson(500, "server_error", "lost the context length", "", "")));
  EXPECT_FALSE(isContextOverflowReply(400, "not json at all"));
}

TEST(ServeProtocol, WhatTheServerSaysIsQuotedOnOneLine) {
  // The command line prints an error as one line, whatever a server sends.
  EXPECT_EQ(errorMessageOfReply(R"({"error":{"message":"out of\nmemory"}})"), "out of memory");
  EXPECT_EQ(errorMessageOfReply(R"({"detail":"a\r\nb"})"), "a  b");
  for (const char *body : {": ping\n\ndata: {}\n\n", R"({"error":"line\none"})"}) {
    std::string message = test::errorText(parseCompletionReply(body));
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_FALSE(message.empty());
  }
}

} // namespace
