//===- CompletionProtocol.h - OpenAI completions and chat JSON ------*- C++ -*-===//
//
// The wire format of OpenAI's legacy completions API and of its chat
// completions API, both ways: the server reads requests and writes replies,
// stream chunks, model lists and errors; the client writes requests and
// reads replies. Keeping both directions in one place keeps them in
// agreement, and keeps JSON out of the HTTP code. The two APIs share
// everything but the prompt (a text, or messages rendered by ChatFormat.h)
// and the shape of the text in replies ("text", or "message" and "delta").
//
// optlm's extensions ride in an "optlm" object so that other servers ignore
// them: in a request {"optlm": {"constraint": "pass_list", "max_passes": N}};
// in a reply {"optlm": {"constraint": "pass_list", "finish_reason": "..."}},
// which tells the client the constraint was honoured and carries optlm's own
// finish reasons ("constraint-end") that OpenAI's vocabulary lacks, plus the
// model's timings ("prompt_seconds", "completion_seconds").
//
// Parsers never trust their input: every field is type-checked, and a bad
// one gives an error naming it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/Generator.h"
#include "lm/serve/ChatFormat.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optlm::lm {

/// Which of OpenAI's two generation APIs a request or reply belongs to.
enum class Endpoint {
  /// POST /v1/completions: a prompt, replies with "text".
  Completions,
  /// POST /v1/chat/completions: messages, replies with "message" / "delta".
  ChatCompletions,
};

/// "/v1/completions" or "/v1/chat/completions".
llvm::StringRef endpointPath(Endpoint endpoint);

// --- server side ---------------------------------------------------------

/// What the server allows; requests outside it are refused with 400.
struct CompletionPolicy {
  /// The id of the one model served; a request naming another is refused.
  std::string servedModel;
  /// Largest max_tokens accepted.
  int maxTokensLimit = 4096;
};

/// OpenAI's default when a request gives no max_tokens.
inline constexpr int kDefaultMaxTokens = 16;

struct CompletionRequest {
  GenerationRequest generation;
  bool stream = false;
};

/// Parses and validates a POST /v1/completions body. Errors are ApiErrors
/// (status 400) whose message names the field at fault.
llvm::Expected<CompletionRequest> parseCompletionRequest(llvm::StringRef body,
                                                         const CompletionPolicy &policy);
/// The same for a POST /v1/chat/completions body: the same fields, but
/// "messages" (an array of {role, content}, rendered into the prompt in
/// Llama 2's chat format) in place of "prompt", "max_completion_tokens" as
/// another name of "max_tokens", and the chat API's own unsupported options.
llvm::Expected<CompletionRequest> parseChatCompletionRequest(llvm::StringRef body,
                                                             const CompletionPolicy &policy);

/// The fields every reply and chunk of one completion shares.
struct CompletionIdentity {
  std::string id;
  int64_t created = 0;
  std::string model;
  ConstraintKind constraint = ConstraintKind::None;
  /// Decides the shape of every reply and chunk.
  Endpoint endpoint = Endpoint::Completions;
};

std::string completionReplyJson(const CompletionIdentity &identity, const GenerationResult &result);
/// The "data:" payloads of a stream: the opening chunk, before any text
/// (the chat API's, which names the assistant's role; "" for completions),
/// a piece of text, or (with finish) the last chunk, which also carries the
/// usage counts.
std::string streamOpeningChunkJson(const CompletionIdentity &identity);
std::string completionChunkJson(const CompletionIdentity &identity, llvm::StringRef text);
std::string completionFinalChunkJson(const CompletionIdentity &identity,
                                     const GenerationResult &result);
std::string modelListJson(llvm::StringRef model, int64_t created, int contextLength);
/// `code` empty: the status stands for it.
std::string errorJson(int status, llvm::StringRef type, llvm::StringRef message,
                      llvm::StringRef param = "", llvm::StringRef code = "");

/// OpenAI's finish_reason for ours: ConstraintEnd is "stop" (the answer is
/// complete), the precise reason goes in the optlm extension.
llvm::StringRef openAIFinishReason(FinishReason reason);

// --- client side ---------------------------------------------------------

/// The request body for generation, naming model (omitted when empty).
std::string completionRequestJson(const GenerationRequest &request, llvm::StringRef model,
                                  bool stream);
/// The chat request body for messages, with the rest (sampling, stop,
/// constraint, ...) from request, whose prompt is not sent.
std::string chatCompletionRequestJson(const GenerationRequest &request,
                                      llvm::ArrayRef<ChatMessage> messages, llvm::StringRef model,
                                      bool stream);

/// A reply or one stream chunk, as far as the client needs it.
struct CompletionReply {
  std::string text;
  /// Absent in the chunks before the last.
  std::optional<FinishReason> finish;
  std::optional<int> promptTokens;
  std::optional<int> completionTokens;
  /// The server said it applied optlm's pass-list constraint.
  bool constraintApplied = false;
  /// The model's own timings, when an optlm server reports them.
  double promptSeconds = 0;
  double completionSeconds = 0;
};

/// Parses a non-streamed reply or one chunk's data, of either API (the text
/// is choices[0].text, .message.content or .delta.content). A chunk that is
/// an error object ({"error": {...}}) gives an ApiError with status 500.
llvm::Expected<CompletionReply> parseCompletionReply(llvm::StringRef body);

struct ModelInfo {
  std::string id;
  /// 0 when the server does not say.
  int contextLength = 0;
};

/// The models of a GET /v1/models reply, in the server's order (at least one).
llvm::Expected<std::vector<ModelInfo>> parseModelList(llvm::StringRef body);

/// The human-readable message of an error reply: error.message when the
/// body is OpenAI's error object (or llama.cpp's, or a bare string), else
/// the start of the body itself; one line, at most 200 characters and "...".
std::string errorMessageOfReply(llvm::StringRef body);

/// Whether an error reply says that the prompt does not fit the context.
/// Servers word it differently, so this is where their words are read:
/// OpenAI's and optlm's code "context_length_exceeded", llama.cpp's type
/// "exceed_context_size_error", and a 400 whose message speaks of the
/// context length (vLLM: "This model's maximum context length is ...").
bool isContextOverflowReply(int status, llvm::StringRef body);

} // namespace optlm::lm
