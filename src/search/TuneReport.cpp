//===- TuneReport.cpp - what `optlm tune` prints ----------------------------===//
#include "search/TuneReport.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace optlm::search {

TuneReport makeTuneReport(const TuneResult &result, const CandidateEvaluator &evaluator,
                          const EvaluationCounts &counts, CompileAs compileAs) {
  return {result, counts, evaluator.cacheHits(), evaluator.codegenSkipped(), compileAs};
}

nlohmann::json tuneReportJson(const TuneReport &report) {
  const TuneResult &r = report.result;
  nlohmann::json verification = nlohmann::json::object();
  verification["ran"] = r.verificationRan;
  verification["verified"] = r.verified;
  verification["repair_trials"] = r.repairTrials;
  nlohmann::json checked = nlohmann::json::array();
  for (const VerifiedCandidate &candidate : r.verification)
    checked.push_back({{"pipeline", candidate.pipeline},
                       {"binary_size", candidate.binarySize},
                       {"accepted", candidate.verdict.accepted},
                       {"reason", candidate.verdict.reason}});
  verification["candidates"] = checked;

  nlohmann::json outcomes = nlohmann::json::object();
  for (const auto &[name, count] : report.counts.outcomes)
    outcomes[name] = count;

  return {
      {"pipeline", r.best.text()},
      {"pipeline_flat", r.best.flatText()},
      {"is_oz", r.isOz},
      {"binary_size", r.binarySize},
      {"oz_binary_size", r.ozSize},
      {"compiled_as", compileAsName(report.compileAs)},
      {"reduction_vs_oz_percent", r.reductionVsOzPercent()},
      {"search_best_size", r.searchBestSize},
      {"strategy", r.strategy},
      {"seed", r.seed},
      {"evaluations",
       {{"total", report.counts.requested},
        {"search", r.searchEvaluations},
        {"minimize", r.minimizeEvaluations},
        {"repair", r.repairEvaluations},
        {"new", report.counts.fresh},
        {"from_store", report.counts.fromStore},
        {"repeated", report.counts.repeated}}},
      {"cache_hits", report.cacheHits},
      {"codegen_skipped", report.codegenSkipped},
      {"outcomes", outcomes},
      {"wall_seconds", r.wallSeconds},
      {"verification", verification},
  };
}

std::string tuneReportText(const TuneReport &report) {
  const TuneResult &r = report.result;
  std::string text;
  llvm::raw_string_ostream out(text);
  out << "pipeline:     " << r.best.text() << (r.isOz ? "  (nothing beat -Oz)" : "") << "\n";
  if (!r.isOz)
    out << "flat:         " << r.best.flatText() << "\n";
  out << "binary size:  " << r.binarySize << " bytes (-Oz " << r.ozSize
      << (report.compileAs == CompileAs::Clang ? " as clang compiles it" : "") << ", "
      << llvm::format("%.2f", r.reductionVsOzPercent()) << "% smaller)\n";
  out << "verification: "
      << (!r.verificationRan ? "off"
          : r.verified       ? "passed"
                             : "failed")
      << " (" << r.verification.size() << " candidates checked";
  if (r.repairTrials)
    out << ", " << r.repairTrials << " trials to repair rejected ones";
  out << ")\n";
  out << "evaluations:  " << report.counts.requested << " (" << report.counts.fresh << " new, "
      << report.counts.fromStore << " from the store, " << report.cacheHits << " cache hits, "
      << report.codegenSkipped << " without code generation); strategy " << r.strategy << ", seed "
      << r.seed << ", " << llvm::format("%.1f", r.wallSeconds) << " s\n";
  return text;
}

} // namespace optlm::search
