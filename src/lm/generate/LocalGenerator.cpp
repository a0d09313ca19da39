//===- LocalGenerator.cpp - the generation loop ---------------------------===//
#include "lm/generate/LocalGenerator.h"

#include "lm/generate/CompletionStream.h"
#include "lm/generate/Sampler.h"
#include "lm/generate/TokenConstraint.h"
#include "lm/gguf/GGUFFile.h"
#include "lm/model/Model.h"
#include "pipeline/PassVocabulary.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <chrono>

using namespace llvm;

namespace optlm::lm {

namespace {
double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
} // namespace

LocalGenerator::LocalGenerator(std::unique_ptr<Model> model, Tokenizer tokenizer,
                               const LocalGeneratorOptions &options)
    : TheModel(std::move(model)), TheTokenizer(std::move(tokenizer)) {
  Session = std::make_unique<InferenceSession>(*TheModel, options.contextLength, options.threads);
  Name = TheModel->file().stringOr("general.name").value_or("").str();
}

LocalGenerator::~LocalGenerator() = default;

std::string LocalGenerator::chatTemplate() const {
  return TheModel->file().stringOr("tokenizer.chat_template").value_or("").str();
}

Expected<std::unique_ptr<LocalGenerator>>
LocalGenerator::open(StringRef modelPath, const LocalGeneratorOptions &options) {
  Expected<std::unique_ptr<Model>> model = Model::load(modelPath);
  if (!model)
    return model.takeError();
  Expected<std::unique_ptr<LocalGenerator>> generator = create(std::move(*model), options);
  if (generator && (*generator)->Name.empty())
    (*generator)->Name = sys::path::stem(modelPath).str();
  return generator;
}

Expected<std::unique_ptr<LocalGenerator>>
LocalGenerator::create(std::unique_ptr<Model> model, const LocalGeneratorOptions &options) {
  if (options.contextLength < 0 || options.threads < 0)
    return createStringError(inconvertibleErrorCode(),
                             "context length and thread count must not be negative");
  Expected<Tokenizer> tokenizer = Tokenizer::fromGGUF(model->file());
  if (!tokenizer)
    return tokenizer.takeError();
  if (tokenizer->size() != model->config().vocabSize)
    return createStringError(inconvertibleErrorCode(),
                             "the tokenizer has " + Twine(tokenizer->size()) +
                                 " tokens but the model's embedding has " +
                                 Twine(model->config().vocabSize) + " rows");
  return std::unique_ptr<LocalGenerator>(
      new LocalGenerator(std::move(model), std::move(*tokenizer), options));
}

int LocalGenerator::contextLength() const { return Session->contextLength(); }

Expected<std::shared_ptr<PassListGrammar>> LocalGenerator::passListGrammar() {
  if (!ThePassList) {
    Expected<std::shared_ptr<PassListGrammar>> grammar =
        PassListGrammar::create(TheTokenizer, passListNames(PassVocabulary::builtin()));
    if (!grammar)
      return grammar.takeError();
    ThePassList = std::move(*grammar);
  }
  return ThePassList;
}

Expected<GenerationResult> LocalGenerator::generate(const GenerationRequest &request,
                                                    PieceCallback onPiece) {
  std::lock_guard<std::mutex> lock(Mutex);
  if (Error error = validateRequest(request))
    return std::move(error);
  std::vector<std::string> stops = request.stop;
  std::unique_ptr<TokenConstraint> constraint;
  if (request.constraint == ConstraintKind::PassList) {
    Expected<std::shared_ptr<PassListGrammar>> grammar = passListGrammar();
    if (!grammar)
      return grammar.takeError();
    constraint = (*grammar)->start(request.maxPasses);
    // The newline ends the answer and is not part of it.
    stops.push_back("\n");
  }
  return run(request, constraint.get(), std::move(stops), onPiece);
}

Expected<GenerationResult> LocalGenerator::generate(const GenerationRequest &request,
                                                    TokenConstraint *constraint,
                                                    PieceCallback onPiece) {
  std::lock_guard<std::mutex> lock(Mutex);
  if (Error error = validateRequest(request))
    return std::move(error);
  if (request.constraint != ConstraintKind::None)
    return createStringError(inconvertibleErrorCode(),
                             "a request with a built-in constraint cannot take another one");
  return run(request, constraint, request.stop, onPiece);
}

Expected<ArrayRef<float>> LocalGenerator::evaluatePrompt(ArrayRef<int32_t> prompt) {
  size_t common = 0;
  while (common < Cached.size() && common < prompt.size() && Cached[common] == prompt[common])
    ++common;
  // The logits of the prompt's last token are needed, so it is evaluated
  // even when the cache already holds it.
  common = std::min(common, prompt.size() - 1);
  Session->truncate(static_cast<int>(common));
  Cached.resize(common);
  Expected<ArrayRef<float>> logits = Session->evaluate(prompt.drop_front(common));
  if (!logits)
    return logits.takeError();
  Cached.assign(prompt.begin(), prompt.end());
  return logits;
}

Expected<GenerationResult> LocalGenerator::run(const GenerationRequest &request,
                                               TokenConstraint *constraint,
                                               std::vector<std::string> stops,
                                               PieceCallback onPiece) {
  auto start = std::chrono::steady_clock::now();
  GenerationResult result;
  bool addBos = TheTokenizer.vocabulary().addBos;
  if (!request.precedingSequences.empty() && TheTokenizer.eosId() < 0)
    return createStringError(inconvertibleErrorCode(),
                             "the model has no EOS token to close the preceding sequences");
  std::vector<int32_t> prompt;
  for (const std::string &sequence : request.precedingSequences) {
    llvm::append_range(prompt, TheTokenizer.encode(sequence, addBos));
    prompt.push_back(TheTokenizer.eosId());
  }
  llvm::append_range(prompt, TheTokenizer.encode(request.prompt, addBos));
  result.promptTokens = static_cast<int>(prompt.size());
  if (prompt.empty())
    return createStringError(inconvertibleErrorCode(),
                             "the prompt is empty and the model adds no BOS token");
  int context = contextLength();
  if (result.promptTokens > context)
    return make_error<ContextOverflowError>(("the prompt is " + Twine(result.promptTokens) +
                                             " tokens, more than the context of " + Twine(context) +
                                             " tokens")
                                                .str());
  CompletionStream stream(std::move(stops), onPiece);
  auto finish = [&](FinishReason reason, std::chrono::steady_clock::time_point since) {
    stream.finish();
    result.text = stream.text();
    result.finish = reason;
    result.completionSeconds = secondsSince(since);
    return result;
  };
  if (request.maxTokens == 0) {
    result.finish = FinishReason::Length;
    return result;
  }

  Expected<ArrayRef<float>> logits = evaluatePrompt(prompt);
  if (!logits) {
    Cached.clear();
    Session->truncate(0);
    return logits.takeError();
  }
  result.promptSeconds = secondsSince(start);
  auto completionStart = std::chrono::steady_clock::now();

  Sampler sampler(request.sampling);
  const int32_t eos = TheTokenizer.eosId();
  for (;;) {
    int32_t token;
    if (constraint) {
      if (constraint->mustEnd())
        return finish(FinishReason::ConstraintEnd, completionStart);
      ArrayRef<int32_t> allowed = constraint->allowedTokens();
      if (allowed.empty())
        return finish(FinishReason::ConstraintEnd, completionStart);
      token = sampler.sample(*logits, allowed);
    } else {
      token = sampler.sample(*logits);
    }
    if (token == eos)
      return finish(FinishReason::Stop, completionStart);
    if (constraint)
      constraint->accept(token);
    ++result.completionTokens;
    if (!stream.append(TheTokenizer.tokenText(token)))
      return finish(stream.stopped() ? FinishReason::Stop : FinishReason::Cancelled,
                    completionStart);
    if (result.completionTokens >= request.maxTokens || Session->position() >= context)
      return finish(FinishReason::Length, completionStart);
    logits = Session->evaluate(ArrayRef<int32_t>(token));
    if (!logits) {
      Cached.clear();
      Session->truncate(0);
      return logits.takeError();
    }
    Cached.push_back(token);
  }
}

} // namespace optlm::lm
