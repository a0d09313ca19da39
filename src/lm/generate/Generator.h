//===- Generator.h - the text generator interface -----------------*- C++ -*-===//
//
// What every producer of model text offers, whatever runs the model: the
// local runtime (LocalGenerator over a GGUF model) and the remote client of
// an OpenAI-compatible server both implement TextGenerator, so tasks, the
// server and the command line never care where the tokens come from.
//
// The request carries the prompt as plain text: the generator tokenizes it
// and adds BOS itself (Llama 2 convention), so "[INST]" and friends are just
// text. Completions come back as text; pieces may be streamed as they are
// produced.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

namespace optlm::lm {

/// An error that callers tell apart by its type, never by its message:
/// `Derived` names the case, `Code` is what errorToErrorCode says.
template <typename Derived, std::errc Code>
class GenerationError : public llvm::ErrorInfo<Derived> {
public:
  explicit GenerationError(std::string message) : Message(std::move(message)) {}
  void log(llvm::raw_ostream &os) const override { os << Message; }
  std::error_code convertToErrorCode() const override { return std::make_error_code(Code); }

private:
  std::string Message;
};

/// The prompt does not fit the model's context. Callers act on it (a flag
/// tuner treats it as "the model cannot read this module" and falls back;
/// a server answers 400 context_length_exceeded; a client turns that
/// answer, or another server's wording of it, back into this error).
class ContextOverflowError
    : public GenerationError<ContextOverflowError, std::errc::invalid_argument> {
public:
  using GenerationError::GenerationError;
  static char ID;
};

/// The generator cannot hold the model to the requested constraint (a
/// server without optlm's extension ignored it): the caller may ask again
/// without one, on this error and no other refusal.
class ConstraintUnsupportedError
    : public GenerationError<ConstraintUnsupportedError, std::errc::not_supported> {
public:
  using GenerationError::GenerationError;
  static char ID;
};

/// How the next token is drawn from the logits. temperature == 0 is greedy
/// decoding (argmax, ties to the lowest token id) and ignores the rest.
struct SamplingParams {
  float temperature = 0.0f;
  /// Keep only the K most likely tokens; 0 keeps all.
  int topK = 0;
  /// Keep the smallest set of most likely tokens whose probability reaches
  /// topP; 1 keeps all.
  float topP = 1.0f;
  /// Same seed, same prompt, same model: same completion.
  uint64_t seed = 0;
};

/// Grammars the generator can hold the model to.
enum class ConstraintKind {
  None,
  /// A flat comma-separated list of pass names from PassVocabulary::builtin(),
  /// ended by EOS or a newline (see docs/generation.md): the answer always
  /// parses with Pipeline::parse.
  PassList,
};

struct GenerationRequest {
  std::string prompt;
  /// Finished sequences that come before the prompt, each encoded on its
  /// own: BOS (when the model adds one), its text, EOS. Llama 2's chat format
  /// closes each earlier exchange of a conversation so ("<s>[INST] q [/INST]
  /// a </s>"), which the prompt's text cannot say ("<s>" in text is three
  /// characters). Empty for a plain completion.
  std::vector<std::string> precedingSequences;
  /// Upper bound on generated tokens (EOS not counted as text).
  int maxTokens = 256;
  SamplingParams sampling;
  /// Generation ends before the first occurrence of any of these strings;
  /// the stop string itself is not part of the text.
  std::vector<std::string> stop;
  ConstraintKind constraint = ConstraintKind::None;
  /// For ConstraintKind::PassList: the most passes the answer may hold.
  int maxPasses = 50;
};

enum class FinishReason {
  /// The model emitted EOS or a stop string was produced.
  Stop,
  /// maxTokens reached (or the context window is full).
  Length,
  /// The constraint's grammar allows nothing more (e.g. maxPasses reached
  /// and the list was closed).
  ConstraintEnd,
  /// The streaming callback asked to stop.
  Cancelled,
};

/// "stop", "length", "constraint-end", "cancelled": the names the server and
/// the command line report.
llvm::StringRef finishReasonName(FinishReason reason);

struct GenerationResult {
  /// The completion, without the prompt, without the stop string.
  std::string text;
  int promptTokens = 0;
  int completionTokens = 0;
  FinishReason finish = FinishReason::Stop;
  /// Wall-clock time spent on the prompt (until the first token could be
  /// drawn) and on the completion; 0 where a backend cannot tell.
  double promptSeconds = 0;
  double completionSeconds = 0;
};

/// Receives the completion in pieces as they become final: the pieces are
/// whole UTF-8 characters, never include text that might still turn out to
/// be the start of a stop string, and concatenate to GenerationResult::text.
/// Return false to cancel generation.
using PieceCallback = llvm::function_ref<bool(llvm::StringRef piece)>;

class TextGenerator {
public:
  virtual ~TextGenerator() = default;

  /// Runs one request. Errors are for requests that cannot run (prompt longer
  /// than the context, bad parameters, a failed backend), not for how the
  /// text ended: that is GenerationResult::finish.
  virtual llvm::Expected<GenerationResult> generate(const GenerationRequest &request,
                                                    PieceCallback onPiece = {}) = 0;

  /// The model's name as reported to users (file stem or server model id).
  virtual std::string modelName() const = 0;

  /// Tokens the model can attend to: prompt plus completion must fit.
  virtual int contextLength() const = 0;
};

/// Checks a request's parameters (temperature >= 0, topP in (0, 1],
/// topK >= 0, maxTokens >= 0, no empty stop string) so that every backend
/// rejects the same requests with the same messages.
llvm::Error validateRequest(const GenerationRequest &request);

} // namespace optlm::lm
