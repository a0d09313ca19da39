//===- Tuner.cpp - find the pass list with the smallest binary --------------===//
#include "search/Tuner.h"

#include <algorithm>
#include <chrono>

namespace optlm::search {

namespace {

using Clock = std::chrono::steady_clock;

struct Candidate {
  PassSequence passes;
  uint64_t binarySize;
  uint64_t irHash;
};

/// The best few distinct results (by optimized-IR hash) seen so far, best
/// first; among equal sizes the shorter list, then the earlier one.
class Leaderboard {
public:
  explicit Leaderboard(size_t capacity) : Capacity(capacity) {}

  void offer(const PassSequence &passes, uint64_t size, uint64_t irHash) {
    for (Candidate &entry : Entries)
      if (entry.irHash == irHash) {
        if (passes.size() < entry.passes.size())
          entry.passes = passes;
        return;
      }
    if (Entries.size() == Capacity && !better(size, passes.size(), Entries.back()))
      return;
    Entries.push_back({passes, size, irHash});
    std::stable_sort(Entries.begin(), Entries.end(),
                     [](const Candidate &a, const Candidate &b) {
                       return better(a.binarySize, a.passes.size(), b);
                     });
    if (Entries.size() > Capacity)
      Entries.pop_back();
  }

  const std::vector<Candidate> &entries() const { return Entries; }

private:
  static bool better(uint64_t size, size_t length, const Candidate &other) {
    if (size != other.binarySize)
      return size < other.binarySize;
    return length < other.passes.size();
  }
  size_t Capacity;
  std::vector<Candidate> Entries;
};

} // namespace

double TuneResult::reductionVsOzPercent() const {
  if (ozSize == 0)
    return 0;
  return 100.0 * (static_cast<double>(ozSize) - static_cast<double>(binarySize)) /
         static_cast<double>(ozSize);
}

llvm::Expected<TuneResult>
tune(CandidateEvaluator &evaluator, StrategyContext context,
     const TuneOptions &options, const VerifyFunction &verify,
     llvm::function_ref<void(const TuneProgress &)> progress) {
  const Clock::time_point start = Clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  if (options.batchSize == 0)
    return llvm::createStringError("the batch size must be positive");

  const std::vector<const PassInfo *> searchSpace = context.searchSpace;
  auto strategy = createStrategy(options.strategy, std::move(context));
  if (!strategy)
    return strategy.takeError();

  TuneResult result;
  result.strategy = options.strategy;
  result.seed = options.seed;

  const Pipeline oz = Pipeline::level(OptLevel::Oz);
  auto ozResults = evaluator.evaluate({oz});
  if (!ozResults)
    return ozResults.takeError();
  const EvaluationResult &ozResult = ozResults->front();
  if (ozResult.outcome != Outcome::Ok || !ozResult.measurement)
    return llvm::createStringError(
        "-Oz itself failed (" + outcomeName(ozResult.outcome).str() +
        (ozResult.message.empty() ? "" : ": " + ozResult.message) +
        "): there is no baseline to tune against");
  result.ozSize = ozResult.measurement->binarySize;

  Leaderboard leaders(std::max<size_t>(1, options.candidatesToVerify));
  TuneProgress status;
  status.budget = options.budget;
  status.ozSize = result.ozSize;
  status.bestSize = result.ozSize;
  auto report = [&](llvm::StringRef phase) {
    if (!progress)
      return;
    status.evaluations = result.searchEvaluations + result.minimizeEvaluations;
    status.seconds = elapsed();
    status.phase = phase;
    progress(status);
  };

  while (result.searchEvaluations < options.budget) {
    if (options.timeLimitSeconds && elapsed() >= *options.timeLimitSeconds)
      break;
    const size_t count = static_cast<size_t>(std::min<uint64_t>(
        options.batchSize, options.budget - result.searchEvaluations));
    std::vector<PassSequence> proposals = (*strategy)->propose(count);
    std::vector<Pipeline> pipelines;
    pipelines.reserve(proposals.size());
    for (const PassSequence &passes : proposals)
      pipelines.push_back(Pipeline::fromPasses(passes));
    auto evaluated = evaluator.evaluate(pipelines);
    if (!evaluated)
      return evaluated.takeError();

    std::vector<ScoredSequence> scored(proposals.size());
    for (size_t i = 0; i < proposals.size(); ++i) {
      const EvaluationResult &one = (*evaluated)[i];
      scored[i].passes = std::move(proposals[i]);
      if (one.outcome == Outcome::Ok && one.measurement) {
        scored[i].binarySize = one.measurement->binarySize;
        scored[i].irHash = one.measurement->irHash;
        leaders.offer(scored[i].passes, one.measurement->binarySize,
                      one.measurement->irHash);
        status.bestSize = std::min(status.bestSize, one.measurement->binarySize);
      }
    }
    (*strategy)->observe(scored);
    result.searchEvaluations += proposals.size();
    report("search");
  }
  result.searchBestSize =
      leaders.entries().empty()
          ? result.ozSize
          : std::min(result.ozSize, leaders.entries().front().binarySize);

  // Candidates in order of size; each is minimized, then verified. The
  // first that is still smaller than -Oz and passes is the answer.
  result.best = oz;
  result.isOz = true;
  result.binarySize = result.ozSize;
  result.verificationRan = static_cast<bool>(verify);
  result.verified = result.verificationRan;
  MinimizeOptions minimizeOptions;
  minimizeOptions.seed = options.seed;
  for (const Candidate &candidate : leaders.entries()) {
    if (candidate.binarySize >= result.ozSize)
      break;
    PassSequence passes = candidate.passes;
    uint64_t size = candidate.binarySize;
    if (options.minimize) {
      auto minimized =
          minimizeSequence(evaluator, passes, candidate.binarySize,
                           candidate.irHash, searchSpace, minimizeOptions);
      if (!minimized)
        return minimized.takeError();
      result.minimizeEvaluations += minimized->evaluations;
      passes = std::move(minimized->passes);
      size = minimized->binarySize;
      report("minimize");
    }
    const Pipeline pipeline = Pipeline::fromPasses(passes);
    if (verify) {
      report("verify");
      auto verdict = verify(pipeline);
      if (!verdict)
        return verdict.takeError();
      result.verification.push_back({pipeline.text(), size, *verdict});
      if (!verdict->accepted)
        continue;
    }
    result.best = pipeline;
    result.isOz = false;
    result.binarySize = size;
    break;
  }
  result.wallSeconds = elapsed();
  return result;
}

} // namespace optlm::search
