//===- cmd_broadcast.cpp - optlm broadcast: share the best lists ------------===//
//
// optlm broadcast CORPUS_DIR --top K [--store PATH] [--target T] [--json]
//
// Takes the K lists most often tuned as some program's best (over the
// corpus's programs, by module hash in the store), tries each on every
// program, and relabels a program when a verified list beats its label.
//
//===----------------------------------------------------------------------===//
#include "Command.h"
#include "TargetFlag.h"

#include "search/Broadcast.h"
#include "search/PoolEvaluator.h"
#include "search/TuningInput.h"
#include "search/Verification.h"
#include "store/ResultsStore.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace llvm;

namespace {

cl::SubCommand Broadcast("broadcast",
                         "Try the most popular tuned lists on every program of a corpus");

cl::opt<std::string> CorpusDir(cl::Positional, cl::desc("CORPUS_DIR"), cl::sub(Broadcast),
                               cl::cat(optlm::cli::optionCategory()));
cl::opt<unsigned> Top("top", cl::desc("How many of the most frequent best lists to try"),
                      cl::value_desc("K"), cl::sub(Broadcast),
                      cl::cat(optlm::cli::optionCategory()));
cl::opt<std::string> StorePath("store", cl::desc("Results store (default: the user's cache)"),
                               cl::value_desc("PATH"), cl::sub(Broadcast),
                               cl::cat(optlm::cli::optionCategory()));
optlm::cli::TargetFlag TargetOption(Broadcast, optlm::cli::TargetFlag::Default::X86_64);
cl::opt<bool> NoVerify("no-verify", cl::desc("Do not check lists with PassListEval"),
                       cl::sub(Broadcast), cl::cat(optlm::cli::optionCategory()));
cl::opt<bool> Json("json", cl::desc("Print one JSON object"), cl::sub(Broadcast),
                   cl::cat(optlm::cli::optionCategory()));
cl::opt<unsigned> Jobs("jobs", cl::desc("Parallel evaluations (default: every core)"), cl::init(0),
                       cl::sub(Broadcast), cl::cat(optlm::cli::optionCategory()));

bool isProgram(StringRef path) {
  StringRef ext = sys::path::extension(path);
  return ext == ".c" || ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".ll" ||
         ext == ".bc";
}

int runBroadcast() {
  using namespace optlm;
  using namespace optlm::search;

  if (CorpusDir.empty())
    return optlm::cli::usageError(
        "no corpus folder given (usage: optlm broadcast CORPUS_DIR --top K)");
  if (!sys::fs::is_directory(CorpusDir))
    return optlm::cli::usageError("'" + CorpusDir + "' is not a folder");
  if (!Top.getNumOccurrences() || Top == 0)
    return optlm::cli::usageError("--top K must be given and at least 1");
  auto target = TargetOption.get();
  if (!target)
    return optlm::cli::usageError(toString(target.takeError()));

  std::vector<std::string> paths;
  std::error_code ec;
  for (sys::fs::directory_iterator it(CorpusDir, ec), end; it != end && !ec; it.increment(ec))
    if (isProgram(it->path()) && sys::fs::is_regular_file(it->path()))
      paths.push_back(it->path());
  if (ec)
    return optlm::cli::usageError("cannot list '" + CorpusDir + "': " + ec.message());
  std::sort(paths.begin(), paths.end());
  if (paths.empty())
    return optlm::cli::usageError("'" + CorpusDir + "' holds no programs (.c .cc .cpp .ll .bc)");

  auto store = ResultsStore::openOrDefault(StorePath);
  if (!store)
    return optlm::cli::usageError("cannot open the results store: " + toString(store.takeError()));

  // Every program's current label, by module hash.
  std::vector<TuningInput> inputs;
  std::vector<std::optional<TunedResult>> labels;
  std::vector<TunedResult> tuned;
  for (const std::string &path : paths) {
    auto input = loadTuningInput(path, *target);
    if (!input)
      return optlm::cli::usageError(toString(input.takeError()));
    auto label = (*store)->findTuned(input->moduleHash, *target);
    if (!label)
      return optlm::cli::failure(toString(label.takeError()));
    if (*label)
      tuned.push_back(**label);
    labels.push_back(*label);
    inputs.push_back(std::move(*input));
  }
  const std::vector<PopularPipeline> popular = mostFrequentPipelines(tuned, Top);
  std::vector<std::string> candidates;
  for (const PopularPipeline &entry : popular)
    candidates.push_back(entry.pipeline);

  VerifyFunction verify;
  if (!NoVerify) {
    VerificationSettings settings;
    settings.target = *target;
    settings.jobs = Jobs;
    auto verifier = makeVerifier(settings, store->get());
    if (!verifier)
      return optlm::cli::usageError(toString(verifier.takeError()));
    verify = std::move(*verifier);
  }

  nlohmann::json programs = nlohmann::json::array();
  double beforeSum = 0, afterSum = 0;
  size_t improved = 0;
  uint64_t evaluations = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    TuningInput &input = inputs[i];
    PoolEvaluator pool(*input.loaded.module, *target, Jobs);
    RecordingEvaluator evaluator(pool, store->get(), input.moduleHash, *target);
    auto relabel = relabelProgram(evaluator, candidates, labels[i], verify);
    if (!relabel)
      return optlm::cli::failure(input.path + ": " + toString(relabel.takeError()));
    evaluations += relabel->evaluations;
    const double before = optlm::reductionVsOzPercent(relabel->beforeSize, relabel->ozSize);
    const double after = optlm::reductionVsOzPercent(relabel->afterSize, relabel->ozSize);
    beforeSum += before;
    afterSum += after;
    if (relabel->improved) {
      ++improved;
      TunedResult label;
      label.moduleHash = input.moduleHash;
      label.target = *target;
      label.source = input.path;
      label.pipeline = relabel->afterPipeline;
      label.binarySize = relabel->afterSize;
      label.ozBinarySize = relabel->ozSize;
      label.strategy = "broadcast";
      label.evaluations = relabel->evaluations;
      label.verified = relabel->afterVerified;
      if (Error error = (*store)->recordTuned(label))
        return optlm::cli::failure("cannot record the new label: " + toString(std::move(error)));
    }
    programs.push_back({{"path", input.path},
                        {"module_hash", hashToHex(input.moduleHash)},
                        {"oz_binary_size", relabel->ozSize},
                        {"before",
                         {{"pipeline", relabel->beforePipeline},
                          {"binary_size", relabel->beforeSize},
                          {"verified", relabel->beforeVerified},
                          {"reduction_vs_oz_percent", before}}},
                        {"after",
                         {{"pipeline", relabel->afterPipeline},
                          {"binary_size", relabel->afterSize},
                          {"verified", relabel->afterVerified},
                          {"reduction_vs_oz_percent", after}}},
                        {"improved", relabel->improved}});
  }

  const double count = double(inputs.size());
  nlohmann::json top = nlohmann::json::array();
  for (const PopularPipeline &entry : popular)
    top.push_back({{"pipeline", entry.pipeline}, {"programs", entry.programs}});
  if (Json) {
    nlohmann::json summary = {{"programs", inputs.size()},
                              {"labelled_before", tuned.size()},
                              {"top", top},
                              {"mean_reduction_vs_oz_percent_before", beforeSum / count},
                              {"mean_reduction_vs_oz_percent_after", afterSum / count},
                              {"programs_improved", improved},
                              {"evaluations", evaluations},
                              {"verification", !NoVerify},
                              {"per_program", programs}};
    outs() << summary.dump(2) << "\n";
  } else {
    outs() << "programs: " << inputs.size() << " (" << tuned.size()
           << " with a tuned label), lists tried: " << popular.size() << "\n";
    outs() << "mean size vs -Oz: " << format("%.2f", beforeSum / count) << "% smaller before, "
           << format("%.2f", afterSum / count) << "% after; " << improved << " programs improved\n";
  }
  return cli::ExitOk;
}

optlm::cli::RegisterCommand Registration(Broadcast, runBroadcast);

} // namespace
