//===- CompletionProtocol.cpp - OpenAI completions and chat JSON ----------===//
#include "lm/serve/CompletionProtocol.h"

#include "lm/serve/ApiError.h"

#include "llvm/ADT/StringExtras.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

using namespace llvm;
using json = nlohmann::json;

namespace optlm::lm {

namespace {

constexpr const char *kPassListName = "pass_list";
/// OpenAI accepts up to 4 stop strings; a little more room costs nothing.
constexpr size_t kMaxStopStrings = 16;

const char *typeName(const json &value) {
  switch (value.type()) {
  case json::value_t::null:
    return "null";
  case json::value_t::boolean:
    return "a boolean";
  case json::value_t::string:
    return "a string";
  case json::value_t::array:
    return "an array";
  case json::value_t::object:
    return "an object";
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
    return "an integer";
  case json::value_t::number_float:
    return "a number";
  default:
    return "an unsupported value";
  }
}

Error wrongType(StringRef field, const char *expected, const json &value) {
  return invalidRequest("'" + field + "' must be " + expected + ", not " + typeName(value), field);
}

/// The value of key in object, or nullptr when absent or null (OpenAI's
/// clients send null for "use the default").
const json *field(const json &object, const char *key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null())
    return nullptr;
  return &*it;
}

Expected<int64_t> integerField(const json &value, StringRef name) {
  if (value.is_number_unsigned()) {
    uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return invalidRequest("'" + name + "' is too large", name);
    return static_cast<int64_t>(u);
  }
  if (value.is_number_integer())
    return value.get<int64_t>();
  return wrongType(name, "an integer", value);
}

Expected<double> numberField(const json &value, StringRef name) {
  if (!value.is_number())
    return wrongType(name, "a number", value);
  double d = value.get<double>();
  if (!std::isfinite(d))
    return invalidRequest("'" + name + "' must be finite", name);
  return d;
}

/// Options of OpenAI's APIs that optlm does not implement: accepted only at
/// their neutral value, so that a client relying on them hears about it.
Error rejectUnsupported(const json &object, Endpoint endpoint) {
  struct Neutral {
    const char *key;
    bool (*isNeutral)(const json &);
  };
  auto one = [](const json &v) { return v.is_number_integer() && v.get<int64_t>() == 1; };
  auto zero = [](const json &v) { return v.is_number() && v.get<double>() == 0; };
  auto zeroCount = [](const json &v) { return v.is_number_integer() && v.get<int64_t>() == 0; };
  auto isFalse = [](const json &v) { return v.is_boolean() && !v.get<bool>(); };
  auto noBias = [](const json &v) { return v.is_object() && v.empty(); };
  auto none = [](const json &v) { return v.is_array() && v.empty(); };
  auto noTool = [](const json &v) { return v.is_string() && (v == "none" || v == "auto"); };
  static const Neutral completionOptions[] = {
      {"n", one},
      {"best_of", one},
      {"echo", isFalse},
      {"logprobs", zeroCount},
      {"suffix", [](const json &v) { return v.is_string() && v.get<std::string>().empty(); }},
      {"presence_penalty", zero},
      {"frequency_penalty", zero},
      {"logit_bias", noBias},
  };
  static const Neutral chatOptions[] = {
      {"n", one},
      {"logprobs", isFalse},
      {"top_logprobs", zeroCount},
      {"presence_penalty", zero},
      {"frequency_penalty", zero},
      {"logit_bias", noBias},
      {"tools", none},
      {"tool_choice", noTool},
      {"functions", none},
      {"function_call", noTool},
      {"response_format",
       [](const json &v) {
         return v.is_object() && v.size() == 1 && v.begin().key() == "type" &&
                v.begin().value() == "text";
       }},
  };
  ArrayRef<Neutral> neutral =
      endpoint == Endpoint::Completions ? ArrayRef(completionOptions) : ArrayRef(chatOptions);
  for (const Neutral &option : neutral)
    if (const json *value = field(object, option.key); value && !option.isNeutral(*value))
      return invalidRequest(Twine("'") + option.key + "' is not supported by this server",
                            option.key);
  return Error::success();
}

Error parseExtension(const json &extension, GenerationRequest &request) {
  if (!extension.is_object())
    return wrongType("optlm", "an object", extension);
  if (const json *constraint = field(extension, "constraint")) {
    if (!constraint->is_string())
      return wrongType("optlm.constraint", "a string", *constraint);
    std::string name = constraint->get<std::string>();
    if (name == kPassListName)
      request.constraint = ConstraintKind::PassList;
    else if (name == "none")
      request.constraint = ConstraintKind::None;
    else
      return invalidRequest("'optlm.constraint' must be \"pass_list\" or \"none\", not \"" + name +
                                "\"",
                            "optlm.constraint");
  }
  if (const json *maxPasses = field(extension, "max_passes")) {
    auto value = integerField(*maxPasses, "optlm.max_passes");
    if (!value)
      return value.takeError();
    if (*value < 1 || *value > 1000)
      return invalidRequest("'optlm.max_passes' must be between 1 and 1000", "optlm.max_passes");
    request.maxPasses = static_cast<int>(*value);
  }
  return Error::success();
}

Error parseStop(const json &stop, GenerationRequest &request) {
  if (stop.is_string()) {
    request.stop.push_back(stop.get<std::string>());
    return Error::success();
  }
  if (!stop.is_array())
    return wrongType("stop", "a string or an array of strings", stop);
  if (stop.size() > kMaxStopStrings)
    return invalidRequest("'stop' may hold at most " + Twine(kMaxStopStrings) + " strings", "stop");
  for (const json &item : stop) {
    if (!item.is_string())
      return wrongType("stop", "a string or an array of strings", item);
    request.stop.push_back(item.get<std::string>());
  }
  return Error::success();
}

Error parsePrompt(const json &object, GenerationRequest &request) {
  const json *prompt = field(object, "prompt");
  if (!prompt)
    return invalidRequest("'prompt' is required", "prompt");
  if (prompt->is_string()) {
    request.prompt = prompt->get<std::string>();
    return Error::success();
  }
  // OpenAI also takes a batch of prompts or token ids; one text is all a
  // single-model, one-at-a-time server can honestly offer.
  if (prompt->is_array() && prompt->size() == 1 && (*prompt)[0].is_string()) {
    request.prompt = (*prompt)[0].get<std::string>();
    return Error::success();
  }
  if (prompt->is_array())
    return invalidRequest("'prompt' must be a single string (batches and token arrays are "
                          "not supported)",
                          "prompt");
  return wrongType("prompt", "a string", *prompt);
}

/// The chat API's conversation, rendered into the prompt.
Error parseMessages(const json &object, GenerationRequest &request) {
  const json *messages = field(object, "messages");
  if (!messages)
    return invalidRequest("'messages' is required", "messages");
  if (!messages->is_array())
    return wrongType("messages", "an array of {role, content} objects", *messages);
  std::vector<ChatMessage> conversation;
  for (size_t i = 0; i < messages->size(); ++i) {
    const json &message = (*messages)[i];
    std::string name = "messages[" + std::to_string(i) + "]";
    if (!message.is_object())
      return wrongType(name, "an object with 'role' and 'content'", message);
    std::string roleName = name + ".role", contentName = name + ".content";
    const json *role = field(message, "role");
    if (!role)
      return invalidRequest("'" + roleName + "' is required", roleName);
    if (!role->is_string())
      return wrongType(roleName, "a string", *role);
    std::optional<ChatRole> parsedRole = chatRoleFromName(role->get<std::string>());
    if (!parsedRole)
      return invalidRequest("'" + roleName +
                                "' must be \"system\", \"user\" or \"assistant\", "
                                "not \"" +
                                oneLineExcerpt(role->get<std::string>(), 40) + "\"",
                            roleName);
    const json *content = field(message, "content");
    if (!content)
      return invalidRequest("'" + contentName + "' is required", contentName);
    if (!content->is_string())
      return wrongType(contentName, "a string", *content);
    conversation.push_back({*parsedRole, content->get<std::string>()});
  }
  return applyLlama2ChatFormat(conversation, request);
}

Error parseMaxTokens(const json &value, StringRef name, const CompletionPolicy &policy,
                     GenerationRequest &request) {
  auto tokens = integerField(value, name);
  if (!tokens)
    return tokens.takeError();
  if (*tokens < 0)
    return invalidRequest("'" + name + "' must not be negative", name);
  if (*tokens > policy.maxTokensLimit)
    return invalidRequest("'" + name + "' is " + Twine(*tokens) + "; this server allows at most " +
                              Twine(policy.maxTokensLimit),
                          name);
  request.maxTokens = static_cast<int>(*tokens);
  return Error::success();
}

Expected<CompletionRequest> parseRequest(StringRef body, const CompletionPolicy &policy,
                                         Endpoint endpoint) {
  json object;
  try {
    object = json::parse(body.begin(), body.end());
  } catch (const json::exception &error) {
    // nlohmann's message says where and why ("parse error at line 1,
    // column 9: ..."); its "[json.exception...]" tag means nothing to users.
    StringRef why = error.what();
    if (size_t tagEnd = why.find("] "); why.starts_with("[") && tagEnd != StringRef::npos)
      why = why.drop_front(tagEnd + 2);
    return invalidRequest("request body is not valid JSON: " + oneLineExcerpt(why, 300));
  }
  if (!object.is_object())
    return invalidRequest("request body must be a JSON object");

  CompletionRequest parsed;
  GenerationRequest &request = parsed.generation;
  // OpenAI's defaults, not optlm's: a client written for OpenAI gets what it
  // expects. Greedy decoding has to be asked for with temperature 0.
  request.maxTokens = std::min(kDefaultMaxTokens, policy.maxTokensLimit);
  request.sampling.temperature = 1.0f;

  if (const json *model = field(object, "model")) {
    if (!model->is_string())
      return wrongType("model", "a string", *model);
    if (model->get<std::string>() != policy.servedModel)
      return make_error<ApiError>(400, "invalid_request_error",
                                  "unknown model '" +
                                      oneLineExcerpt(model->get<std::string>(), 80) +
                                      "'; this server serves '" + policy.servedModel + "'",
                                  "model");
  }
  if (Error error = endpoint == Endpoint::Completions ? parsePrompt(object, request)
                                                      : parseMessages(object, request))
    return std::move(error);

  const json *maxTokens = field(object, "max_tokens");
  // The chat API's newer name; both at once could disagree.
  const json *maxCompletionTokens =
      endpoint == Endpoint::ChatCompletions ? field(object, "max_completion_tokens") : nullptr;
  if (maxTokens && maxCompletionTokens)
    return invalidRequest("give 'max_tokens' or 'max_completion_tokens', not both",
                          "max_completion_tokens");
  if (maxTokens)
    if (Error error = parseMaxTokens(*maxTokens, "max_tokens", policy, request))
      return std::move(error);
  if (maxCompletionTokens)
    if (Error error =
            parseMaxTokens(*maxCompletionTokens, "max_completion_tokens", policy, request))
      return std::move(error);
  if (const json *temperature = field(object, "temperature")) {
    auto value = numberField(*temperature, "temperature");
    if (!value)
      return value.takeError();
    request.sampling.temperature = static_cast<float>(*value);
  }
  if (const json *topP = field(object, "top_p")) {
    auto value = numberField(*topP, "top_p");
    if (!value)
      return value.takeError();
    request.sampling.topP = static_cast<float>(*value);
  }
  if (const json *topK = field(object, "top_k")) {
    auto value = integerField(*topK, "top_k");
    if (!value)
      return value.takeError();
    // vLLM spells "no top-k" as -1; accept it so its clients work unchanged.
    if (*value == -1)
      *value = 0;
    if (*value < 0 || *value > std::numeric_limits<int>::max())
      return invalidRequest("'top_k' must be -1, 0 (both: all tokens) or positive", "top_k");
    request.sampling.topK = static_cast<int>(*value);
  }
  if (const json *seed = field(object, "seed")) {
    // Any 64-bit integer: negative seeds are as good as positive ones.
    if (seed->is_number_unsigned())
      request.sampling.seed = seed->get<uint64_t>();
    else if (seed->is_number_integer())
      request.sampling.seed = static_cast<uint64_t>(seed->get<int64_t>());
    else
      return wrongType("seed", "an integer", *seed);
  }
  if (const json *stop = field(object, "stop"))
    if (Error error = parseStop(*stop, request))
      return std::move(error);
  if (const json *stream = field(object, "stream")) {
    if (!stream->is_boolean())
      return wrongType("stream", "a boolean", *stream);
    parsed.stream = stream->get<bool>();
  }
  if (const json *streamOptions = field(object, "stream_options");
      streamOptions && !streamOptions->is_object())
    return wrongType("stream_options", "an object", *streamOptions);
  if (const json *extension = field(object, "optlm"))
    if (Error error = parseExtension(*extension, request))
      return std::move(error);
  if (Error error = rejectUnsupported(object, endpoint))
    return std::move(error);

  // The generator's own checks, so that every backend refuses alike.
  if (Error error = validateRequest(request))
    return invalidRequest(toString(std::move(error)));
  return std::move(parsed);
}

} // namespace

StringRef endpointPath(Endpoint endpoint) {
  return endpoint == Endpoint::Completions ? "/v1/completions" : "/v1/chat/completions";
}

Expected<CompletionRequest> parseCompletionRequest(StringRef body, const CompletionPolicy &policy) {
  return parseRequest(body, policy, Endpoint::Completions);
}

Expected<CompletionRequest> parseChatCompletionRequest(StringRef body,
                                                       const CompletionPolicy &policy) {
  return parseRequest(body, policy, Endpoint::ChatCompletions);
}

StringRef openAIFinishReason(FinishReason reason) {
  switch (reason) {
  case FinishReason::Length:
    return "length";
  case FinishReason::Stop:
  case FinishReason::ConstraintEnd:
  case FinishReason::Cancelled:
    return "stop";
  }
  return "stop";
}

namespace {

json identityFields(const CompletionIdentity &identity, bool chunk) {
  const char *object = identity.endpoint == Endpoint::Completions ? "text_completion"
                       : chunk                                    ? "chat.completion.chunk"
                                                                  : "chat.completion";
  return json{{"id", identity.id},
              {"object", object},
              {"created", identity.created},
              {"model", identity.model}};
}

/// choices[0] of a whole reply or of a chunk: the text, and the finish
/// reason once there is a result.
json choiceJson(const CompletionIdentity &identity, bool chunk, StringRef text,
                const GenerationResult *result) {
  json choice{
      {"index", 0},
      {"logprobs", nullptr},
      {"finish_reason", result ? json(openAIFinishReason(result->finish).str()) : json(nullptr)}};
  if (identity.endpoint == Endpoint::Completions)
    choice["text"] = text.str();
  else if (!chunk)
    choice["message"] = json{{"role", "assistant"}, {"content", text.str()}};
  else
    choice["delta"] = text.empty() ? json::object() : json{{"content", text.str()}};
  return choice;
}

json usageJson(const GenerationResult &result) {
  return json{{"prompt_tokens", result.promptTokens},
              {"completion_tokens", result.completionTokens},
              {"total_tokens", result.promptTokens + result.completionTokens}};
}

json extensionJson(const CompletionIdentity &identity, const GenerationResult *result) {
  json extension = json::object();
  if (identity.constraint == ConstraintKind::PassList)
    extension["constraint"] = kPassListName;
  if (result) {
    extension["finish_reason"] = finishReasonName(result->finish).str();
    extension["prompt_seconds"] = result->promptSeconds;
    extension["completion_seconds"] = result->completionSeconds;
  }
  return extension;
}

/// Model output is arbitrary bytes; JSON needs UTF-8. The generator promises
/// whole UTF-8 characters, but a reply must never fail to serialize, so
/// invalid bytes become U+FFFD rather than an exception.
std::string dumpJson(const json &value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

std::string completionReplyJson(const CompletionIdentity &identity,
                                const GenerationResult &result) {
  json reply = identityFields(identity, /*chunk=*/false);
  reply["choices"] = json::array({choiceJson(identity, /*chunk=*/false, result.text, &result)});
  reply["usage"] = usageJson(result);
  reply["optlm"] = extensionJson(identity, &result);
  return dumpJson(reply);
}

std::string streamOpeningChunkJson(const CompletionIdentity &identity) {
  if (identity.endpoint == Endpoint::Completions)
    return "";
  // OpenAI's first chunk: the role, and no text yet.
  json chunk = identityFields(identity, /*chunk=*/true);
  chunk["choices"] = json::array({json{{"index", 0},
                                       {"delta", json{{"role", "assistant"}, {"content", ""}}},
                                       {"logprobs", nullptr},
                                       {"finish_reason", nullptr}}});
  chunk["optlm"] = extensionJson(identity, nullptr);
  return dumpJson(chunk);
}

std::string completionChunkJson(const CompletionIdentity &identity, StringRef text) {
  json chunk = identityFields(identity, /*chunk=*/true);
  chunk["choices"] = json::array({choiceJson(identity, /*chunk=*/true, text, nullptr)});
  chunk["optlm"] = extensionJson(identity, nullptr);
  return dumpJson(chunk);
}

std::string completionFinalChunkJson(const CompletionIdentity &identity,
                                     const GenerationResult &result) {
  json chunk = identityFields(identity, /*chunk=*/true);
  chunk["choices"] = json::array({choiceJson(identity, /*chunk=*/true, "", &result)});
  chunk["usage"] = usageJson(result);
  chunk["optlm"] = extensionJson(identity, &result);
  return dumpJson(chunk);
}

std::string modelListJson(StringRef model, int64_t created, int contextLength) {
  json entry{{"id", model.str()},
             {"object", "model"},
             {"created", created},
             {"owned_by", "optlm"},
             // vLLM's name for the context window; clients that know it can
             // check prompt sizes before sending.
             {"max_model_len", contextLength}};
  return dumpJson(json{{"object", "list"}, {"data", json::array({entry})}});
}

std::string errorJson(int status, StringRef type, StringRef message, StringRef param,
                      StringRef code) {
  json error{{"message", message.str()},
             {"type", type.str()},
             {"param", param.empty() ? json(nullptr) : json(param.str())},
             {"code", code.empty() ? json(status) : json(code.str())}};
  return dumpJson(json{{"error", error}});
}

// --- client side ---------------------------------------------------------

namespace {

/// Everything of a request body but its prompt or messages.
json requestFields(const GenerationRequest &request, StringRef model, bool stream) {
  json body{{"max_tokens", request.maxTokens},
            {"temperature", request.sampling.temperature},
            {"top_p", request.sampling.topP},
            {"seed", request.sampling.seed},
            {"stream", stream}};
  if (!model.empty())
    body["model"] = model.str();
  // Sent only when it restricts anything: servers disagree on how to spell
  // "no top-k" (0 or -1), but all of them default to it.
  if (request.sampling.topK > 0)
    body["top_k"] = request.sampling.topK;
  if (!request.stop.empty())
    body["stop"] = request.stop;
  if (stream)
    body["stream_options"] = json{{"include_usage", true}};
  if (request.constraint == ConstraintKind::PassList)
    body["optlm"] = json{{"constraint", kPassListName}, {"max_passes", request.maxPasses}};
  return body;
}

} // namespace

std::string completionRequestJson(const GenerationRequest &request, StringRef model, bool stream) {
  json body = requestFields(request, model, stream);
  body["prompt"] = request.prompt;
  return dumpJson(body);
}

std::string chatCompletionRequestJson(const GenerationRequest &request,
                                      ArrayRef<ChatMessage> messages, StringRef model,
                                      bool stream) {
  json body = requestFields(request, model, stream);
  json list = json::array();
  for (const ChatMessage &message : messages)
    list.push_back(json{{"role", chatRoleName(message.role).str()}, {"content", message.content}});
  body["messages"] = std::move(list);
  return dumpJson(body);
}

namespace {

Error malformed(const Twine &why) {
  return createStringError(std::errc::bad_message, "malformed reply from server: %s",
                           why.str().c_str());
}

std::optional<FinishReason> finishReasonFromName(StringRef name) {
  for (FinishReason reason : {FinishReason::Stop, FinishReason::Length, FinishReason::ConstraintEnd,
                              FinishReason::Cancelled})
    if (finishReasonName(reason) == name)
      return reason;
  return std::nullopt;
}

Expected<std::optional<int>> optionalCount(const json &usage, const char *key) {
  const json *value = field(usage, key);
  if (!value)
    return std::optional<int>();
  if (!value->is_number_integer() || value->get<int64_t>() < 0 ||
      value->get<int64_t>() > std::numeric_limits<int>::max())
    return malformed(Twine("usage.") + key + " is not a count");
  return std::optional<int>(static_cast<int>(value->get<int64_t>()));
}

} // namespace

Expected<CompletionReply> parseCompletionReply(StringRef body) {
  json object = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded())
    return malformed("not JSON: '" + oneLineExcerpt(body, 80) + "'");
  if (!object.is_object())
    return malformed("not a JSON object");
  if (field(object, "error")) {
    std::string message = errorMessageOfReply(body);
    return make_error<ApiError>(500, "server_error", "server error: " + message);
  }

  CompletionReply reply;
  const json *choices = field(object, "choices");
  if (!choices || !choices->is_array())
    return malformed("'choices' is missing or not an array");
  if (choices->empty()) {
    // OpenAI's usage-only chunk at the end of a stream has no choices.
    if (!field(object, "usage"))
      return malformed("'choices' is empty");
  } else {
    const json &choice = (*choices)[0];
    if (!choice.is_object())
      return malformed("'choices[0]' is not an object");
    // A completion's "text", or a chat reply's "message" or chunk's "delta",
    // whose content may be null (a chunk that only names the role).
    if (const json *text = field(choice, "text")) {
      if (!text->is_string())
        return malformed("'choices[0].text' is missing or not a string");
      reply.text = text->get<std::string>();
    } else if (const char *key = choice.contains("message") ? "message"
                                 : choice.contains("delta") ? "delta"
                                                            : nullptr) {
      const json &message = choice[key];
      if (!message.is_object())
        return malformed(Twine("'choices[0].") + key + "' is not an object");
      if (const json *content = field(message, "content")) {
        if (!content->is_string())
          return malformed(Twine("'choices[0].") + key + ".content' is not a string");
        reply.text = content->get<std::string>();
      }
    } else {
      return malformed("'choices[0].text' is missing (and there is no chat 'message' or "
                       "'delta')");
    }
    if (const json *finish = field(choice, "finish_reason")) {
      if (!finish->is_string())
        return malformed("'choices[0].finish_reason' is not a string");
      // "length" is the only reason that says the text was cut short; other
      // servers' reasons ("content_filter", "abort", ...) all mean it ended.
      reply.finish =
          finish->get<std::string>() == "length" ? FinishReason::Length : FinishReason::Stop;
    }
  }
  if (const json *usage = field(object, "usage")) {
    if (!usage->is_object())
      return malformed("'usage' is not an object");
    auto prompt = optionalCount(*usage, "prompt_tokens");
    if (!prompt)
      return prompt.takeError();
    auto completion = optionalCount(*usage, "completion_tokens");
    if (!completion)
      return completion.takeError();
    reply.promptTokens = *prompt;
    reply.completionTokens = *completion;
  }
  if (const json *extension = field(object, "optlm"); extension && extension->is_object()) {
    if (const json *constraint = field(*extension, "constraint"))
      reply.constraintApplied = constraint->is_string() && *constraint == kPassListName;
    if (const json *finish = field(*extension, "finish_reason"); finish && finish->is_string())
      if (auto reason = finishReasonFromName(finish->get<std::string>()))
        reply.finish = reason;
    // Timings are informative only: ignored unless they make sense.
    for (auto [key, target] : {std::pair{"prompt_seconds", &reply.promptSeconds},
                               std::pair{"completion_seconds", &reply.completionSeconds}})
      if (const json *seconds = field(*extension, key); seconds && seconds->is_number() &&
                                                        seconds->get<double>() >= 0 &&
                                                        std::isfinite(seconds->get<double>()))
        *target = seconds->get<double>();
  }
  return std::move(reply);
}

Expected<std::vector<ModelInfo>> parseModelList(StringRef body) {
  json object = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded() || !object.is_object())
    return malformed("model list is not a JSON object");
  const json *data = field(object, "data");
  if (!data || !data->is_array())
    return malformed("model list has no 'data' array");
  if (data->empty())
    return malformed("the server lists no models");
  std::vector<ModelInfo> models;
  for (const json &entry : *data) {
    const json *id = entry.is_object() ? field(entry, "id") : nullptr;
    if (!id || !id->is_string() || id->get<std::string>().empty())
      return malformed("a model in the list has no 'id' string");
    ModelInfo info;
    info.id = id->get<std::string>();
    if (const json *length = field(entry, "max_model_len");
        length && length->is_number_integer() && length->get<int64_t>() > 0 &&
        length->get<int64_t>() <= std::numeric_limits<int>::max())
      info.contextLength = static_cast<int>(length->get<int64_t>());
    models.push_back(std::move(info));
  }
  return std::move(models);
}

std::string errorMessageOfReply(StringRef body) {
  json object = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (!object.is_discarded() && object.is_object()) {
    if (const json *error = field(object, "error")) {
      if (error->is_string())
        return oneLineExcerpt(error->get<std::string>(), 200);
      if (error->is_object())
        if (const json *message = field(*error, "message"); message && message->is_string())
          return oneLineExcerpt(message->get<std::string>(), 200);
    }
    // FastAPI-style {"detail": "..."}, as some OpenAI-compatible servers send.
    if (const json *detail = field(object, "detail"); detail && detail->is_string())
      return oneLineExcerpt(detail->get<std::string>(), 200);
  }
  StringRef text = body.trim();
  if (text.empty())
    return "(empty reply)";
  return oneLineExcerpt(text, 200);
}

bool isContextOverflowReply(int status, StringRef body) {
  if (status != 400 && status != 413)
    return false;
  json object = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (!object.is_discarded() && object.is_object())
    if (const json *error = field(object, "error"); error && error->is_object()) {
      const json *code = field(*error, "code");
      if (code && code->is_string() && code->get<std::string>() == ContextLengthExceededCode)
        return true;
      const json *type = field(*error, "type");
      if (type && type->is_string() && type->get<std::string>() == "exceed_context_size_error")
        return true;
    }
  const std::string message = errorMessageOfReply(body);
  return StringRef(message).contains_insensitive("context length") ||
         StringRef(message).contains_insensitive("context size") ||
         StringRef(message).contains_insensitive("context window");
}

} // namespace optlm::lm
