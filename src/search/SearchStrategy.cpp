//===- SearchStrategy.cpp - strategy names and construction -----------------===//
#include "search/SearchStrategy.h"

#include "search/EvolutionarySearch.h"
#include "search/OzSequence.h"
#include "search/RandomSearch.h"

#include "llvm/ADT/StringExtras.h"

namespace optlm::search {

StrategyContext builtinContext(uint64_t seed) {
  StrategyContext context;
  context.searchSpace = PassVocabulary::builtin().searchSpace();
  context.ozSequence = flatStandardSequence(OptLevel::Oz, PassVocabulary::builtin());
  context.seed = seed;
  return context;
}

std::string sequenceText(llvm::ArrayRef<const PassInfo *> passes) {
  std::string text;
  for (const PassInfo *pass : passes) {
    if (!text.empty())
      text += ',';
    text += pass->name;
  }
  return text;
}

llvm::ArrayRef<llvm::StringRef> strategyNames() {
  static const llvm::StringRef names[] = {"evolve", "random"};
  return names;
}

llvm::StringRef defaultStrategyName() { return strategyNames().front(); }

llvm::Expected<std::unique_ptr<SearchStrategy>> createStrategy(llvm::StringRef name,
                                                               StrategyContext context) {
  if (context.searchSpace.empty())
    return llvm::createStringError("the search space has no passes");
  if (name == "random")
    return std::make_unique<RandomSearch>(std::move(context));
  if (name == "evolve")
    return std::make_unique<EvolutionarySearch>(std::move(context));
  return llvm::createStringError("unknown strategy '" + name.str() +
                                 "' (expected one of: " + llvm::join(strategyNames(), ", ") + ")");
}

} // namespace optlm::search
