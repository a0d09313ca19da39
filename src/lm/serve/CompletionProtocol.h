//===- CompletionProtocol.h - OpenAI /v1/completions JSON -----------*- C++ -*-===//
//
// The wire format of OpenAI's legacy completions API, both ways: the server
// reads requests and writes replies, stream chunks, model lists and errors;
// the client writes requests and reads replies. Keeping both directions in
// one place keeps them in agreement, and keeps JSON out of the HTTP code.
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

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optlm::lm {

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

/// The fields every reply and chunk of one completion shares.
struct CompletionIdentity {
  std::string id;
  int64_t created = 0;
  std::string model;
  ConstraintKind constraint = ConstraintKind::None;
};

std::string completionReplyJson(const CompletionIdentity &identity,
                                const GenerationResult &result);
/// One "data:" payload of a stream: a piece of text, or (with finish) the
/// last chunk, which also carries the usage counts.
std::string completionChunkJson(const CompletionIdentity &identity, llvm::StringRef text);
std::string completionFinalChunkJson(const CompletionIdentity &identity,
                                     const GenerationResult &result);
std::string modelListJson(llvm::StringRef model, int64_t created, int contextLength);
std::string errorJson(int status, llvm::StringRef type, llvm::StringRef message,
                      llvm::StringRef param = "");

/// OpenAI's finish_reason for ours: ConstraintEnd is "stop" (the answer is
/// complete), the precise reason goes in the optlm extension.
llvm::StringRef openAIFinishReason(FinishReason reason);

// --- client side ---------------------------------------------------------

/// The request body for generation, naming model (omitted when empty).
std::string completionRequestJson(const GenerationRequest &request, llvm::StringRef model,
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

/// Parses a non-streamed reply or one chunk's data. A chunk that is an error
/// object ({"error": {...}}) gives an ApiError with status 500.
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

} // namespace optlm::lm
