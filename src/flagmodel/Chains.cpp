//===- Chains.cpp - the best proposals so far, one after the other ------===//
#include "flagmodel/Chains.h"

#include "pipeline/Pipeline.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace optlm::flagmodel {

size_t ChainPlan::count() const {
  size_t total = 0;
  for (const std::vector<std::string> &round : rounds)
    total += round.size();
  return total;
}

std::string ChainPlan::text() const {
  std::vector<std::string> parts;
  for (const std::vector<std::string> &round : rounds)
    parts.push_back(join(round, ","));
  return join(parts, "/");
}

Expected<ChainPlan> ChainPlan::parse(StringRef text) {
  ChainPlan plan;
  if (text.empty())
    return plan;
  SmallVector<StringRef> rounds;
  text.split(rounds, '/');
  for (StringRef roundText : rounds) {
    SmallVector<StringRef> forms;
    roundText.split(forms, ',');
    std::vector<std::string> round;
    for (StringRef form : forms) {
      bool letters = all_of(form, [](char c) { return c >= 'A' && c <= 'J'; });
      if (form.size() < 2 || form.size() > 4 || !letters)
        return createStringError("chain '%s' in '%s': expected two to four letters "
                                 "A-J naming the best pipelines so far (A the best)",
                                 form.str().c_str(), text.str().c_str());
      round.push_back(form.str());
    }
    plan.rounds.push_back(std::move(round));
  }
  return plan;
}

std::vector<std::string> chainedPipelines(ArrayRef<std::string> ranked,
                                          ArrayRef<std::string> forms) {
  std::vector<std::string> pipelines;
  for (const std::string &form : forms) {
    if (any_of(form, [&](char letter) { return size_t(letter - 'A') >= ranked.size(); }))
      continue;
    std::vector<std::string> parts;
    for (char letter : form)
      parts.push_back(ranked[letter - 'A']);
    Expected<Pipeline> joined = Pipeline::parse(join(parts, ","));
    if (!joined) {
      consumeError(joined.takeError()); // the parts parse, so their sequence does
      continue;
    }
    std::string text = joined->text();
    if (!is_contained(ranked, text) && !is_contained(pipelines, text))
      pipelines.push_back(std::move(text));
  }
  return pipelines;
}

Error compileChains(const ChainPlan &plan, function_ref<std::vector<std::string>()> ranked,
                    function_ref<Error(ArrayRef<std::string>)> compile) {
  for (const std::vector<std::string> &round : plan.rounds) {
    std::vector<std::string> pipelines = chainedPipelines(ranked(), round);
    if (pipelines.empty())
      continue;
    if (Error error = compile(pipelines))
      return error;
  }
  return Error::success();
}

} // namespace optlm::flagmodel
