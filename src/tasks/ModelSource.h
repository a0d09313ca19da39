//===- ModelSource.h - where the tasks' answers come from ----------*- C++ -*-===//
//
// A task asks one question at a time and does not care whether a local GGUF
// model or a server answers. ModelSource opens either (--model or --server),
// knows how many tokens a prompt takes (exactly for a local model, an
// estimate for a server, whose tokenizer optlm cannot see),
// and asks for pass lists under optlm's constraint where it can: always for
// a local model; for a server, only as long as the server applies it. A
// server that is not optlm's own says so on the first constrained request,
// and from then on is asked without the constraint (its answers are then
// parsed like any free text).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/Generator.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace optlm::tasks {

struct ModelSourceOptions {
  /// A GGUF file for the local runtime ...
  std::string modelPath;
  /// ... or the URL of an OpenAI-compatible server (exactly one of them).
  std::string serverUrl;
  /// The server's model to ask for; empty: the one it lists first.
  std::string serverModel;
  /// Local model: KV cache positions (0: the model's) and threads (0: all).
  int contextLength = 0;
  int threads = 0;
};

class ModelSource {
public:
  static llvm::Expected<std::unique_ptr<ModelSource>> open(const ModelSourceOptions &options);
  /// Wraps a generator the caller already has (tests, the eval harness).
  ModelSource(std::unique_ptr<lm::TextGenerator> generator, bool remote);

  /// Runs the request. A PassList constraint the server cannot apply is
  /// dropped (and stays dropped); constraintApplied() tells the caller.
  llvm::Expected<lm::GenerationResult> ask(lm::GenerationRequest request);

  /// Tokens the prompt takes, BOS included. For a server, whose tokenizer
  /// optlm cannot see, an estimate: one token per three bytes, about what
  /// Code Llama's vocabulary needs for IR and assembly.
  size_t promptTokens(llvm::StringRef prompt) const;
  /// Positions prompt plus answer may use; 0 when unknown (a server that
  /// does not say).
  int contextLength() const { return TheGenerator->contextLength(); }
  /// Asks for a free-text answer to prompt: maxTokens of answer, or with 0
  /// what the context leaves after the prompt. A prompt that leaves no room
  /// is an error naming `what` ("the assembly", "the input").
  llvm::Expected<lm::GenerationResult> askWithinContext(std::string prompt, int maxTokens,
                                                        llvm::StringRef what);

  /// Whether a prompt of this text leaves room for maxTokens of answer.
  bool fits(llvm::StringRef prompt, int maxTokens) const;
  bool remote() const { return Remote; }
  bool constraintSupported() const { return ConstraintSupported; }
  std::string modelName() const { return TheGenerator->modelName(); }
  lm::TextGenerator &generator() { return *TheGenerator; }

private:
  std::unique_ptr<lm::TextGenerator> TheGenerator;
  bool Remote = false;
  bool ConstraintSupported = true;
};

} // namespace optlm::tasks
