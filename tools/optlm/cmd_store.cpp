//===- cmd_store.cpp - optlm store: inspect the results store --------------===//
#include "Command.h"

#include "store/ResultsStore.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand StoreCommand("store", "Inspect the results store (optlm store stats)");

cl::opt<std::string> Action(cl::Positional, cl::desc("<action: stats>"), cl::Required,
                            cl::sub(StoreCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> StorePath("store",
                               cl::desc("Results store (default: $OPTLM_STORE or the "
                                        "user cache folder)"),
                               cl::value_desc("path"), cl::sub(StoreCommand),
                               cl::cat(cli::optionCategory()));
cl::opt<bool> Json("json", cl::desc("Print one JSON object"), cl::sub(StoreCommand),
                   cl::cat(cli::optionCategory()));

int runStore() {
  if (Action != "stats") {
    return cli::usageError("unknown action '" + Action + "' (expected: stats)");
  }
  Expected<std::unique_ptr<ResultsStore>> store = ResultsStore::openOrDefault(StorePath);
  if (!store)
    return cli::reportError(cli::ExitUsage, toString(store.takeError()));
  const std::string &path = (*store)->path();
  Expected<StoreStats> stats = (*store)->stats();
  if (!stats)
    return cli::reportError(cli::ExitFailed, toString(stats.takeError()));

  if (Json) {
    nlohmann::json byOutcome = nlohmann::json::object();
    for (const auto &[outcome, count] : stats->evaluationsByOutcome)
      byOutcome[outcome] = count;
    nlohmann::json out = {
        {"store", path},
        {"llvm_version", resultsVersion().str()},
        {"evaluations", stats->evaluations},
        {"modules", stats->modules},
        {"pipelines", stats->pipelines},
        {"evaluations_by_outcome", byOutcome},
        {"tuned_results", stats->tunedResults},
        {"verified_tuned_results", stats->verifiedTunedResults},
        {"mean_reduction_vs_oz_percent", stats->meanReductionVsOzPercent},
        {"passlisteval_verdicts", stats->verdicts},
        {"passlisteval_accepted", stats->acceptedVerdicts},
    };
    outs() << out.dump(2) << "\n";
    return cli::ExitOk;
  }
  outs() << "store          " << path << " (LLVM " << resultsVersion() << ")\n"
         << "evaluations    " << stats->evaluations << " of " << stats->pipelines
         << " pipelines on " << stats->modules << " modules\n";
  for (const auto &[outcome, count] : stats->evaluationsByOutcome)
    outs() << "  " << left_justify(outcome, 18) << count << "\n";
  outs() << "tuned results  " << stats->tunedResults << " (" << stats->verifiedTunedResults
         << " verified), mean " << format("%.2f", stats->meanReductionVsOzPercent)
         << "% smaller than -Oz\n"
         << "PassListEval   " << stats->verdicts << " verdicts, " << stats->acceptedVerdicts
         << " accepted\n";
  return cli::ExitOk;
}

cli::RegisterCommand registration(StoreCommand, runStore);

} // namespace
