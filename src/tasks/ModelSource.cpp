//===- ModelSource.cpp - where the tasks' answers come from ---------------===//
#include "tasks/ModelSource.h"

#include "lm/generate/LocalGenerator.h"
#include "lm/serve/RemoteGenerator.h"

#include <algorithm>

using namespace llvm;

namespace optlm::tasks {

Expected<std::unique_ptr<ModelSource>> ModelSource::open(const ModelSourceOptions &options) {
  if (options.modelPath.empty() == options.serverUrl.empty())
    return createStringError("give exactly one of --model FILE.gguf and --server URL");
  if (!options.modelPath.empty()) {
    lm::LocalGeneratorOptions local;
    local.contextLength = options.contextLength;
    local.threads = options.threads;
    auto generator = lm::LocalGenerator::open(options.modelPath, local);
    if (!generator)
      return generator.takeError();
    return std::make_unique<ModelSource>(std::move(*generator), false);
  }
  lm::RemoteOptions remote;
  remote.url = options.serverUrl;
  remote.model = options.serverModel;
  auto generator = lm::RemoteGenerator::create(remote);
  if (!generator)
    return generator.takeError();
  // Reports an unreachable server before any work is done.
  if (Error error = (*generator)->connect())
    return std::move(error);
  return std::make_unique<ModelSource>(std::move(*generator), true);
}

ModelSource::ModelSource(std::unique_ptr<lm::TextGenerator> generator, bool remote)
    : TheGenerator(std::move(generator)), Remote(remote) {}

Expected<lm::GenerationResult> ModelSource::ask(lm::GenerationRequest request) {
  if (request.constraint != lm::ConstraintKind::None && !ConstraintSupported)
    request.constraint = lm::ConstraintKind::None;
  Expected<lm::GenerationResult> result = TheGenerator->generate(request);
  if (result || !Remote || request.constraint == lm::ConstraintKind::None)
    return result;
  // A server that ignored optlm's constraint extension is asked again
  // without it; anything else is a real failure.
  Error error = result.takeError();
  if (!error.isA<lm::ConstraintUnsupportedError>())
    return std::move(error);
  consumeError(std::move(error));
  ConstraintSupported = false;
  request.constraint = lm::ConstraintKind::None;
  return TheGenerator->generate(request);
}

size_t ModelSource::promptTokens(StringRef prompt) const {
  if (!Remote)
    return static_cast<lm::LocalGenerator &>(*TheGenerator).tokenizer().encode(prompt, true).size();
  return prompt.size() / 3 + 2;
}

Expected<lm::GenerationResult> ModelSource::askWithinContext(std::string prompt, int maxTokens,
                                                             StringRef what) {
  if (maxTokens <= 0) {
    int context = contextLength();
    maxTokens = context > 0 ? context - int(promptTokens(prompt)) : 4096;
  }
  if (maxTokens <= 0 || !fits(prompt, maxTokens))
    return createStringError(inconvertibleErrorCode(),
                             "%s does not fit the model's context (%zu prompt tokens, context %d)",
                             what.str().c_str(), promptTokens(prompt), contextLength());
  lm::GenerationRequest request;
  request.prompt = std::move(prompt);
  request.maxTokens = maxTokens;
  return ask(std::move(request));
}

bool ModelSource::fits(StringRef prompt, int maxTokens) const {
  int context = contextLength();
  if (context <= 0)
    return true; // the server will say if it is not
  size_t tokens = promptTokens(prompt);
  return tokens + static_cast<size_t>(std::max(maxTokens, 0)) <= static_cast<size_t>(context);
}

} // namespace optlm::tasks
