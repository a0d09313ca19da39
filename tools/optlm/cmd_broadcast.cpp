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

#include "ir/ModuleLoader.h"
#include "search/Broadcast.h"
#include "search/TuningInput.h"
#include "search/Verification.h"
#include "store/ResultsStore.h"
#include "support/FolderListing.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

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

  auto paths = listFolder(CorpusDir, [](StringRef path) {
    return inputKindOf(path).has_value() && sys::fs::is_regular_file(path);
  });
  if (!paths)
    return optlm::cli::usageError(toString(paths.takeError()));
  if (paths->empty())
    return optlm::cli::usageError("'" + CorpusDir + "' holds no programs (.c .cc .cpp .ll .bc)");

  auto store = ResultsStore::openOrDefault(StorePath);
  if (!store)
    return optlm::cli::usageError("cannot open the results store: " + toString(store.takeError()));
  std::vector<TuningInput> inputs;
  for (const std::string &path : *paths) {
    auto input = loadTuningInput(path, *target);
    if (!input)
      return optlm::cli::usageError(toString(input.takeError()));
    inputs.push_back(std::move(*input));
  }

  BroadcastSettings settings;
  settings.target = *target;
  settings.top = Top;
  settings.jobs = Jobs;
  if (!NoVerify) {
    VerificationSettings verification;
    verification.target = *target;
    verification.jobs = Jobs;
    auto verifier = makeVerifier(verification, store->get());
    if (!verifier)
      return optlm::cli::usageError(toString(verifier.takeError()));
    settings.verify = std::move(*verifier);
  }
  auto report = broadcast(inputs, **store, settings);
  if (!report)
    return optlm::cli::failure(toString(report.takeError()));
  if (Json)
    outs() << broadcastReportJson(*report).dump(2) << "\n";
  else
    outs() << broadcastReportText(*report);
  return cli::ExitOk;
}

optlm::cli::RegisterCommand Registration(Broadcast, runBroadcast);

} // namespace
