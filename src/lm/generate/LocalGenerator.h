//===- LocalGenerator.h - generation with the in-process runtime ---*- C++ -*-===//
//
// TextGenerator over a GGUF model run by optlm's own transformer: the
// tokenizer from the file's metadata, one InferenceSession, the sampler and,
// when the request asks for it, a constraint. Llama 2 conventions: BOS starts
// the prompt, the prompt text goes to the tokenizer as it is ("[INST]" is
// plain text), generation stops at EOS.
//
// The KV cache of the previous request is kept: a prompt that starts with
// the previous prompt (and completion) only evaluates what is new. Requests
// are served one at a time (generate() holds a lock).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/Generator.h"
#include "lm/generate/PassListGrammar.h"
#include "lm/generate/Tokenizer.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace optlm::lm {

class Model;
class InferenceSession;
class TokenConstraint;

struct LocalGeneratorOptions {
  /// Positions of the KV cache; 0 means the model's trained context.
  int contextLength = 0;
  /// Kernel threads; 0 means every hardware thread.
  int threads = 0;
};

class LocalGenerator : public TextGenerator {
public:
  /// Loads the model file and its tokenizer.
  static llvm::Expected<std::unique_ptr<LocalGenerator>>
  open(llvm::StringRef modelPath, const LocalGeneratorOptions &options = {});
  static llvm::Expected<std::unique_ptr<LocalGenerator>>
  create(std::unique_ptr<Model> model, const LocalGeneratorOptions &options = {});
  ~LocalGenerator() override;

  llvm::Expected<GenerationResult> generate(const GenerationRequest &request,
                                            PieceCallback onPiece = {}) override;
  /// The same with a caller-made constraint (request.constraint must be
  /// None); constraint may be null.
  llvm::Expected<GenerationResult> generate(const GenerationRequest &request,
                                            TokenConstraint *constraint, PieceCallback onPiece);

  std::string modelName() const override { return Name; }
  int contextLength() const override;

  const Tokenizer &tokenizer() const { return TheTokenizer; }
  /// The model's tokenizer.chat_template (Jinja source, as Hugging Face
  /// writes it), or "" when the file has none.
  std::string chatTemplate() const;

private:
  /// The pass-list grammar over this model's vocabulary, built on first use
  /// (called with Mutex held).
  llvm::Expected<std::shared_ptr<PassListGrammar>> passListGrammar();
  LocalGenerator(std::unique_ptr<Model> model, Tokenizer tokenizer,
                 const LocalGeneratorOptions &options);
  llvm::Expected<GenerationResult> run(const GenerationRequest &request,
                                       TokenConstraint *constraint, std::vector<std::string> stops,
                                       PieceCallback onPiece);
  /// Brings the session to exactly prompt, reusing the cached prefix, and
  /// returns the logits after its last token.
  llvm::Expected<llvm::ArrayRef<float>> evaluatePrompt(llvm::ArrayRef<int32_t> prompt);

  std::unique_ptr<Model> TheModel;
  Tokenizer TheTokenizer;
  std::unique_ptr<InferenceSession> Session;
  std::string Name;
  /// The tokens whose keys and values the session holds, in order.
  std::vector<int32_t> Cached;
  std::shared_ptr<PassListGrammar> ThePassList;
  std::mutex Mutex;
};

} // namespace optlm::lm
