//===- Tuner.cpp - find the pass list with the smallest binary --------------===//
#include "search/Tuner.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>
#include <set>
#include <tuple>

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
    std::stable_sort(Entries.begin(), Entries.end(), [](const Candidate &a, const Candidate &b) {
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

/// A candidate on its way to a verdict: a leader before minimization, or a
/// minimized leader or a repaired variant, ready to verify.
struct Pending {
  PassSequence passes;
  uint64_t binarySize;
  uint64_t irHash;
  bool readyToVerify;
  unsigned repairLevel;
  uint64_t arrival = 0;
};

/// Smallest first; at equal size a candidate ready to verify, then the one
/// that came first, so the order depends on the candidates alone.
class CandidateQueue {
public:
  void push(Pending pending) {
    pending.arrival = NextArrival++;
    Entries.push_back(std::move(pending));
  }
  /// `replacement` keeps `original`'s place among equals: a minimized leader
  /// is verified before the leaders that came after it.
  void requeue(const Pending &original, Pending replacement) {
    replacement.arrival = original.arrival;
    Entries.push_back(std::move(replacement));
  }
  std::optional<Pending> pop() {
    if (Entries.empty())
      return std::nullopt;
    auto first =
        std::min_element(Entries.begin(), Entries.end(), [](const Pending &a, const Pending &b) {
          return std::tuple(a.binarySize, !a.readyToVerify, a.arrival) <
                 std::tuple(b.binarySize, !b.readyToVerify, b.arrival);
        });
    Pending taken = std::move(*first);
    Entries.erase(first);
    return taken;
  }

private:
  std::vector<Pending> Entries;
  uint64_t NextArrival = 0;
};

/// Greedy delta debugging over a rejected list, as bugpoint narrows a
/// miscompile down to passes: drop passes one at a time while what is left
/// is still rejected. Each pass that remains is needed for the rejection, so
/// dropping any one of them from the original list may cure it. Stopped by
/// `maxTrials`, the core is larger than it could be, but still rejected.
llvm::Expected<PassSequence> rejectedCore(const VerifyFunction &verify, PassSequence passes,
                                          uint64_t &trials, uint64_t maxTrials) {
  for (size_t i = 0; i < passes.size() && passes.size() > 1 && trials < maxTrials;) {
    PassSequence without = passes;
    without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
    ++trials;
    auto verdict = verify(Pipeline::fromPasses(without));
    if (!verdict)
      return verdict.takeError();
    if (verdict->accepted)
      ++i;
    else
      passes = std::move(without);
  }
  return passes;
}

/// True when `core` occurs in `passes` in order (not necessarily adjacent):
/// then the rejection it explains is likely this list's too.
bool containsInOrder(const PassSequence &passes, const PassSequence &core) {
  auto next = passes.begin();
  for (const PassInfo *pass : core) {
    next = std::find(next, passes.end(), pass);
    if (next == passes.end())
      return false;
    ++next;
  }
  return true;
}

/// `passes` without one of the core's passes (every occurrence of it), for
/// each of them, measured in one batch.
llvm::Expected<std::vector<ScoredSequence>> measureRepairs(CandidateEvaluator &evaluator,
                                                           const PassSequence &passes,
                                                           const PassSequence &core) {
  std::vector<PassSequence> variants;
  std::set<const PassInfo *> dropped;
  for (const PassInfo *culprit : core) {
    if (!dropped.insert(culprit).second)
      continue;
    PassSequence variant;
    std::copy_if(passes.begin(), passes.end(), std::back_inserter(variant),
                 [&](const PassInfo *kept) { return kept != culprit; });
    if (!variant.empty())
      variants.push_back(std::move(variant));
  }
  return measureSequences(evaluator, std::move(variants));
}

} // namespace

double TuneResult::reductionVsOzPercent() const {
  return optlm::reductionVsOzPercent(binarySize, ozSize);
}

TunedResult TuneResult::storeRecord(uint64_t moduleHash, Target target, std::string source) const {
  TunedResult record;
  record.moduleHash = moduleHash;
  record.target = target;
  record.source = std::move(source);
  record.pipeline = best.text();
  record.binarySize = binarySize;
  record.ozBinarySize = ozSize;
  record.strategy = strategy;
  record.evaluations = evaluations();
  record.seed = seed;
  record.verified = verified;
  return record;
}

llvm::Expected<TuneResult> tune(CandidateEvaluator &evaluator, StrategyContext context,
                                const TuneOptions &options, const VerifyFunction &verify,
                                llvm::function_ref<void(const TuneProgress &)> progress) {
  const Clock::time_point start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
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
    return llvm::createStringError("-Oz itself failed (" + outcomeName(ozResult.outcome).str() +
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

  std::vector<PassSequence> seeds(options.seeds.begin(),
                                  options.seeds.begin() +
                                      std::min<uint64_t>(options.seeds.size(), options.budget));
  while (result.searchEvaluations < options.budget) {
    if (options.timeLimitSeconds && elapsed() >= *options.timeLimitSeconds)
      break;
    const size_t count = static_cast<size_t>(
        std::min<uint64_t>(options.batchSize, options.budget - result.searchEvaluations));
    auto scored =
        measureSequences(evaluator, seeds.empty() ? (*strategy)->propose(count) : std::move(seeds));
    seeds.clear();
    if (!scored)
      return scored.takeError();
    for (const ScoredSequence &one : *scored)
      if (one.binarySize) {
        leaders.offer(one.passes, *one.binarySize, one.irHash);
        status.bestSize = std::min(status.bestSize, *one.binarySize);
      }
    (*strategy)->observe(*scored);
    result.searchEvaluations += scored->size();
    report("search");
  }
  for (const Candidate &leader : leaders.entries())
    result.leaders.push_back({Pipeline::fromPasses(leader.passes).text(), leader.binarySize});
  result.searchBestSize = leaders.entries().empty()
                              ? result.ozSize
                              : std::min(result.ozSize, leaders.entries().front().binarySize);

  // Candidates in order of size; each is minimized, then verified. The
  // first that is still smaller than -Oz and passes is the answer; a
  // rejected one adds its repaired variants to the candidates.
  result.best = oz;
  result.isOz = true;
  result.binarySize = result.ozSize;
  result.verificationRan = static_cast<bool>(verify);
  result.verified = result.verificationRan;
  MinimizeOptions minimizeOptions;
  minimizeOptions.seed = options.seed;
  CandidateQueue queue;
  for (const Candidate &leader : leaders.entries())
    queue.push({leader.passes, leader.binarySize, leader.irHash, !options.minimize, 0});
  std::set<uint64_t> rejectedIRHashes;
  std::vector<PassSequence> rejectedCores;
  auto alreadyVerified = [&](const std::string &text) {
    return llvm::any_of(result.verification,
                        [&](const VerifiedCandidate &done) { return done.pipeline == text; });
  };
  // Queues the repaired variants of a rejected candidate, while the depth
  // and the trials allow.
  auto queueRepairs = [&](const Pending &rejected) -> llvm::Error {
    if (rejected.repairLevel >= options.repairDepth ||
        result.repairTrials >= options.maxRepairTrials)
      return llvm::Error::success();
    report("repair");
    // The best places of a long search are mostly relatives of one list,
    // rejected for one reason: a core found before is reused.
    auto known = llvm::find_if(rejectedCores, [&](const PassSequence &core) {
      return containsInOrder(rejected.passes, core);
    });
    if (known == rejectedCores.end()) {
      auto core =
          rejectedCore(verify, rejected.passes, result.repairTrials, options.maxRepairTrials);
      if (!core)
        return core.takeError();
      known = rejectedCores.insert(rejectedCores.end(), std::move(*core));
    }
    auto repaired = measureRepairs(evaluator, rejected.passes, *known);
    if (!repaired)
      return repaired.takeError();
    result.repairEvaluations += repaired->size();
    for (ScoredSequence &variant : *repaired)
      if (variant.binarySize && *variant.binarySize < result.ozSize)
        queue.push({std::move(variant.passes), *variant.binarySize, variant.irHash, true,
                    rejected.repairLevel + 1});
    return llvm::Error::success();
  };
  while (std::optional<Pending> next = queue.pop()) {
    if (next->binarySize >= result.ozSize)
      break;
    if (!next->readyToVerify) {
      auto minimized = minimizeSequence(evaluator, next->passes, next->binarySize, next->irHash,
                                        searchSpace, minimizeOptions);
      if (!minimized)
        return minimized.takeError();
      result.minimizeEvaluations += minimized->evaluations;
      report("minimize");
      queue.requeue(
          *next, {std::move(minimized->passes), minimized->binarySize, minimized->irHash, true, 0});
      continue;
    }
    const Pipeline pipeline = Pipeline::fromPasses(next->passes);
    if (verify) {
      const std::string text = pipeline.text();
      if (rejectedIRHashes.count(next->irHash) || alreadyVerified(text))
        continue;
      if (result.verification.size() == options.maxVerifications)
        break;
      report("verify");
      auto verdict = verify(pipeline);
      if (!verdict)
        return verdict.takeError();
      result.verification.push_back({text, next->binarySize, *verdict});
      if (!verdict->accepted) {
        if (verdict->rejectsOptimizedIR)
          rejectedIRHashes.insert(next->irHash);
        if (llvm::Error error = queueRepairs(*next))
          return std::move(error);
        continue;
      }
    }
    result.best = pipeline;
    result.isOz = false;
    result.binarySize = next->binarySize;
    break;
  }
  result.wallSeconds = elapsed();
  return result;
}

} // namespace optlm::search
