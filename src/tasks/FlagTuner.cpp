//===- FlagTuner.cpp - flag tuning with a model, verified -----------------===//
#include "tasks/FlagTuner.h"

#include "data/Prompts.h"
#include "engine/EvaluationPool.h"
#include "engine/Evaluator.h"
#include "engine/PartOptimizer.h"
#include "flagmodel/FlagModel.h"
#include "ir/FunctionSplitter.h"
#include "ir/ModulePartitioner.h"
#include "tasks/AnswerParser.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>

using namespace llvm;

namespace optlm::tasks {

double FlagTuneResult::reductionPercent() const { return reductionVsOzPercent(binarySize, ozSize); }

size_t FlagTuneResult::compilations() const {
  size_t mostPerPart = 0;
  for (const PartTuning &part : functions)
    mostPerPart = std::max(mostPerPart, part.candidates.size());
  return candidates.size() + mostPerPart;
}

std::optional<TunedResult> FlagTuneResult::storeRecord(uint64_t moduleHash, Target target,
                                                       std::string source, std::string strategy,
                                                       uint64_t seed, bool verified) const {
  if (!modelWon || split)
    return std::nullopt;
  TunedResult record;
  record.moduleHash = moduleHash;
  record.target = target;
  record.source = std::move(source);
  record.pipeline = pipeline;
  record.binarySize = binarySize;
  record.ozBinarySize = ozSize;
  record.strategy = std::move(strategy);
  record.evaluations = candidates.size();
  record.seed = seed;
  record.verified = verified;
  return record;
}

std::string moduleText(const Module &module) {
  std::string text;
  raw_string_ostream stream(text);
  module.print(stream, nullptr);
  return text;
}

namespace {

/// The outcome of asking about one module (the whole input or one part).
struct Tuned {
  uint64_t ozSize = 0;
  uint64_t ozInstructions = 0; ///< IR instructions after -Oz
  std::vector<ModelCandidate> candidates;
  /// Index of the best accepted candidate.
  std::optional<size_t> best;
  /// Without an accepted candidate: the smallest one that is not smaller
  /// than -Oz (never verified: -Oz backup takes its place anyway), for the
  /// score without backup.
  std::optional<size_t> notSmaller;
};

void report(ProgressFunction progress, const Twine &message) {
  if (progress)
    progress(message.str());
}

ModelCandidate readAnswer(StringRef answer) {
  ModelCandidate candidate;
  candidate.answer = answer.str();
  Expected<Pipeline> pipeline = parsePipelineAnswer(answer);
  if (pipeline)
    candidate.pipeline = std::move(*pipeline);
  else
    candidate.problem = toString(pipeline.takeError());
  return candidate;
}

/// Asks for the answers; a prompt that does not fit gives no answers.
Expected<std::vector<ModelCandidate>> askForPipelines(StringRef prompt, ModelSource &model,
                                                      const FlagTuneOptions &options,
                                                      ProgressFunction progress) {
  std::vector<ModelCandidate> candidates;
  for (unsigned index = 0; index < std::max(options.candidates, 1u); ++index) {
    lm::GenerationRequest request;
    request.prompt = prompt.str();
    request.maxTokens = options.maxTokens;
    request.constraint = lm::ConstraintKind::PassList;
    request.maxPasses = options.maxPasses;
    // Free text (a server without optlm's constraint) may go on with the
    // optimized IR, as optlm's labels do: the pipeline comes before it.
    request.stop = {"<code>"};
    if (index > 0) {
      request.sampling.temperature = options.temperature;
      request.sampling.seed = options.seed + index;
    }
    report(progress, formatv("asking for candidate {0}/{1}", index + 1, options.candidates));
    Expected<lm::GenerationResult> answer = model.ask(request);
    if (!answer) {
      Error error = answer.takeError();
      if (!error.isA<lm::ContextOverflowError>())
        return std::move(error);
      // The model (a server, which counted more tokens than optlm's
      // estimate) says the prompt does not fit: exactly as if fits() had.
      consumeError(std::move(error));
      candidates.clear();
      break;
    }
    candidates.push_back(readAnswer(answer->text));
  }
  return candidates;
}

/// Evaluates the parsed candidates from `from` on in the sandbox, and -Oz
/// with them when it was not measured yet.
Error evaluateCandidates(EvaluationPool &pool, Tuned &tuned, size_t from,
                         const FlagTuneOptions &options, ProgressFunction progress) {
  const bool withOz = tuned.ozSize == 0;
  std::vector<Pipeline> pipelines;
  if (withOz)
    pipelines.push_back(Pipeline::level(OptLevel::Oz));
  std::vector<size_t> evaluated;
  for (size_t i = from; i < tuned.candidates.size(); ++i) {
    if (!tuned.candidates[i].pipeline)
      continue;
    pipelines.push_back(*tuned.candidates[i].pipeline);
    evaluated.push_back(i);
  }
  report(progress,
         formatv("evaluating {0}{1} candidate(s)", withOz ? "-Oz and " : "", evaluated.size()));
  std::vector<EvaluationResult> results = pool.evaluate(pipelines, options.target);
  if (withOz) {
    if (results.front().outcome != Outcome::Ok)
      return createStringError("-Oz itself fails on this module (%s): %s",
                               outcomeName(results.front().outcome).str().c_str(),
                               results.front().message.c_str());
    tuned.ozSize = results.front().measurement->binarySize;
    tuned.ozInstructions = results.front().measurement->instructionCount;
  }
  for (size_t k = 0; k < evaluated.size(); ++k) {
    ModelCandidate &candidate = tuned.candidates[evaluated[k]];
    const EvaluationResult &result = results[k + (withOz ? 1 : 0)];
    if (result.outcome != Outcome::Ok) {
      candidate.problem = ("evaluation failed (" + outcomeName(result.outcome) +
                           "): " + StringRef(result.message).take_front(200))
                              .str();
      continue;
    }
    candidate.binarySize = result.measurement->binarySize;
  }
  return Error::success();
}

/// The evaluated candidates' indices, smallest first; equal sizes in the
/// order they were asked for (the ranking chains use).
std::vector<size_t> bySize(const Tuned &tuned) {
  std::vector<std::optional<uint64_t>> sizes;
  for (const ModelCandidate &candidate : tuned.candidates)
    sizes.push_back(candidate.binarySize);
  return flagmodel::smallestFirst<uint64_t>(sizes);
}

/// Verifies the evaluated candidates smaller than -Oz, best first, until
/// one passes.
Error verifyBest(Tuned &tuned, const FlagTuneOptions &options, ProgressFunction progress) {
  for (size_t index : bySize(tuned)) {
    ModelCandidate &candidate = tuned.candidates[index];
    if (tuned.best) {
      candidate.problem = "not needed: a smaller candidate passed";
      continue;
    }
    if (*candidate.binarySize >= tuned.ozSize) {
      candidate.problem = "not smaller than -Oz";
      if (!tuned.notSmaller)
        tuned.notSmaller = index;
      continue;
    }
    if (options.verify) {
      report(progress, "verifying " + candidate.pipelineText());
      Expected<search::Verdict> verdict = options.verify(*candidate.pipeline);
      if (!verdict)
        return verdict.takeError();
      if (!verdict->accepted) {
        candidate.problem = "rejected by the verifier: " + verdict->reason;
        continue;
      }
    }
    candidate.accepted = true;
    tuned.best = index;
  }
  return Error::success();
}

/// More pipelines to compile once the first candidates are measured.
using FollowUp = std::function<std::vector<std::string>(const Tuned &)>;

/// What checkCandidates compiles after the first candidates (optlm's own
/// model; none for a language model's answers).
struct LaterCompilations {
  /// The first stage's chains (pipelines made of the best candidates so far).
  flagmodel::ChainPlan chains;
  /// Lists asked for once the first candidates are measured, before chains.
  FollowUp followUp;
  /// Where -Oz grew the IR and nothing compiled so far is free of
  /// inliners, this list takes the place of the first stage's last chain
  /// (flagmodel::wantsInlinerFreeList).
  std::optional<std::string> inlinerFree;
  /// The stages after the first (FlagModel::stagesFor): each compiles the
  /// next of `more` not compiled yet, then its chains.
  std::vector<flagmodel::CompilationStage> stages;
  /// The model's lists after the first candidates, in its order: later
  /// stages take theirs from it, and so does a chain options.chainAllowed
  /// refuses (the next list not compiled yet takes its compilation).
  ArrayRef<std::string> more;
};

/// Evaluates -Oz and the candidates in the sandbox, then what `later`
/// names (follow-up lists, each round of chains, the later stages), then
/// verifies the candidates smaller than -Oz, best first, until one passes.
Expected<Tuned> checkCandidates(const Module &module, std::vector<ModelCandidate> candidates,
                                const FlagTuneOptions &options, ProgressFunction progress,
                                LaterCompilations later = {}) {
  Tuned tuned;
  tuned.candidates = std::move(candidates);
  EvaluationPoolOptions poolOptions;
  poolOptions.jobs = options.jobs;
  poolOptions.compileAs = options.compileAs;
  EvaluationPool pool(module, poolOptions);
  if (Error error = evaluateCandidates(pool, tuned, 0, options, progress))
    return std::move(error);
  auto ranked = [&] {
    std::vector<std::string> pipelines;
    for (size_t index : bySize(tuned))
      pipelines.push_back(tuned.candidates[index].pipelineText());
    return pipelines;
  };
  auto compile = [&](ArrayRef<std::string> pipelines) {
    const size_t from = tuned.candidates.size();
    for (const std::string &pipeline : pipelines)
      tuned.candidates.push_back(readAnswer(pipeline));
    return evaluateCandidates(pool, tuned, from, options, progress);
  };
  if (later.followUp) {
    std::vector<std::string> more = later.followUp(tuned);
    report(progress, formatv("following up on what they gave: {0} list(s)", more.size()));
    if (Error error = compile(more))
      return std::move(error);
  }
  flagmodel::ChainPlan &chains = later.chains;
  if (later.inlinerFree && !chains.empty()) {
    std::vector<std::string> compiled;
    for (const ModelCandidate &candidate : tuned.candidates)
      if (candidate.pipeline)
        compiled.push_back(candidate.pipelineText());
    if (flagmodel::wantsInlinerFreeList(module.getInstructionCount(), tuned.ozInstructions,
                                        compiled)) {
      chains.rounds.back().pop_back();
      if (chains.rounds.back().empty())
        chains.rounds.pop_back();
      report(progress, "-Oz grew the IR: the model's list without an inliner instead of a chain");
      if (Error error = compile({*later.inlinerFree}))
        return std::move(error);
    }
  }
  auto compiled = [&](StringRef pipeline) {
    return llvm::any_of(tuned.candidates, [&](const ModelCandidate &candidate) {
      return candidate.pipeline && candidate.pipelineText() == pipeline;
    });
  };
  // The next `count` of the model's later lists not compiled yet.
  ArrayRef<std::string> more = later.more;
  auto takeMore = [&](size_t count) {
    std::vector<std::string> taken;
    while (taken.size() < count && !more.empty()) {
      if (!compiled(readAnswer(more.front()).pipelineText()))
        taken.push_back(more.front());
      more = more.drop_front();
    }
    return taken;
  };
  auto compileChained = [&](ArrayRef<std::string> pipelines) {
    std::vector<std::string> chosen;
    for (const std::string &pipeline : pipelines) {
      if (!options.chainAllowed || options.chainAllowed(pipeline))
        chosen.push_back(pipeline);
      else
        append_range(chosen, takeMore(1));
    }
    report(progress, formatv("chaining the best so far: {0} pipeline(s)", chosen.size()));
    return compile(chosen);
  };
  if (Error error = flagmodel::compileChains(chains, ranked, compileChained))
    return std::move(error);
  for (const flagmodel::CompilationStage &stage : later.stages) {
    std::vector<std::string> lists = takeMore(stage.lists);
    report(progress, formatv("{0} more list(s){1}", lists.size(),
                             stage.chains.empty() ? "" : ", then chains of the best so far"));
    if (Error error = compile(lists))
      return std::move(error);
    if (Error error = flagmodel::compileChains(stage.chains, ranked, compileChained))
      return std::move(error);
  }
  if (Error error = verifyBest(tuned, options, progress))
    return std::move(error);
  return tuned;
}

Expected<Tuned> tuneModule(const Module &module, ModelSource &model, const FlagTuneOptions &options,
                           ProgressFunction progress) {
  std::string prompt = data::flagTuningPrompt(moduleText(module));
  std::vector<ModelCandidate> candidates;
  // Asked only when the prompt fits; no answer means -Oz.
  if (model.fits(prompt, options.maxTokens)) {
    auto asked = askForPipelines(prompt, model, options, progress);
    if (!asked)
      return asked.takeError();
    candidates = std::move(*asked);
  }
  return checkCandidates(module, std::move(candidates), options, progress);
}

void chooseWhole(FlagTuneResult &result, Tuned &tuned) {
  result.ozSize = tuned.ozSize;
  result.candidates = std::move(tuned.candidates);
  const Pipeline oz = Pipeline::level(OptLevel::Oz);
  const ModelCandidate *best = nullptr;
  if (std::optional<size_t> index = tuned.best ? tuned.best : tuned.notSmaller) {
    best = &result.candidates[*index];
    result.modelSize = best->binarySize;
    result.modelPipeline = best->pipelineText();
  }
  if (best && result.modelSize && *result.modelSize < result.ozSize) {
    result.modelWon = true;
    result.pipeline = result.modelPipeline;
    result.chosenPipeline = *best->pipeline;
    result.binarySize = *result.modelSize;
    result.explanation = formatv("the model's pipeline won: {0} bytes against -Oz's {1}",
                                 result.binarySize, result.ozSize);
    return;
  }
  result.pipeline = oz.text();
  result.chosenPipeline = oz;
  result.binarySize = result.ozSize;
  if (result.modelSize) {
    result.explanation = formatv("-Oz backup: the model's best pipeline gives {0} bytes, "
                                 "not smaller than -Oz's {1}",
                                 *result.modelSize, result.ozSize);
    return;
  }
  std::string why = "the model gave no answer";
  for (const ModelCandidate &candidate : result.candidates)
    if (!candidate.problem.empty()) {
      why = candidate.problem;
      break;
    }
  result.explanation = "-Oz backup: no usable answer from the model (" + why + ")";
}

/// The library lists the model adds to what a part has compiled, up to
/// `lists` in all, chosen by what those gave it (flagmodel::followUpLists:
/// the training rows whose sizes under them are nearest).
std::vector<std::string> followUpProposals(const flagmodel::FlagModel &model, const Tuned &tuned,
                                           size_t lists) {
  std::vector<size_t> tried;
  std::vector<float> observed; // as the size table scores them
  for (const ModelCandidate &candidate : tuned.candidates) {
    const auto index = find(model.library, candidate.pipelineText());
    if (index == model.library.end())
      continue;
    tried.push_back(size_t(index - model.library.begin()));
    observed.push_back(candidate.binarySize
                           ? float(double(*candidate.binarySize) / double(tuned.ozSize))
                           : flagmodel::kFailedScore);
  }
  // Kept in a variable: a temporary in the loop's range would die first.
  const std::vector<size_t> chosen =
      flagmodel::followUpLists(model, tried, observed, model.neighbours, lists);
  std::vector<std::string> more;
  for (size_t index : ArrayRef(chosen).drop_front(tried.size()))
    more.push_back(model.library[index]);
  return more;
}

/// A part's choice: its best accepted candidate if smaller than the
/// part's -Oz, else -Oz.
PartTuning partChoice(Tuned tuned) {
  PartTuning function;
  function.ozSize = tuned.ozSize;
  function.binarySize = tuned.ozSize;
  function.pipeline = Pipeline::level(OptLevel::Oz);
  if (tuned.best && *tuned.candidates[*tuned.best].binarySize < tuned.ozSize) {
    function.pipeline = *tuned.candidates[*tuned.best].pipeline;
    function.binarySize = *tuned.candidates[*tuned.best].binarySize;
    function.fromModel = true;
  }
  function.candidates = std::move(tuned.candidates);
  return function;
}

/// How a module was cut into parts that are tuned one by one, and how the
/// optimized parts go back together.
struct PartPlan {
  llvm::StringRef noun; ///< "function" or "part", for people
  std::vector<const Module *> tuned;
  std::vector<std::string> names;
  /// Linked first, as they are (the function split's global variables).
  std::vector<const Module *> fixed;
  std::function<Expected<LoadedModule>(ArrayRef<const Module *>)> link;
  /// The partition's part count (partitionModule's maxParts), so that a
  /// result can say how to cut the module again; unset for the function split.
  std::optional<size_t> maxParts;
};

/// The function split of ir/FunctionSplitter.h (`split` must outlive the plan).
PartPlan functionPlan(const SplitModule &split) {
  PartPlan plan;
  plan.noun = "function";
  for (const std::unique_ptr<Module> &part : split.functions)
    plan.tuned.push_back(part.get());
  plan.names = split.functionNames;
  plan.fixed.push_back(split.globals.get());
  plan.link = [&split](ArrayRef<const Module *> parts) {
    return reassemble(parts, split.promoted);
  };
  return plan;
}

/// The partition of ir/ModulePartitioner.h (`partition` must outlive the plan).
PartPlan partitionPlan(const PartitionedModule &partition, size_t maxParts) {
  PartPlan plan;
  plan.noun = "part";
  plan.maxParts = maxParts;
  for (size_t i = 0; i < partition.parts.size(); ++i) {
    if (!partition.holdsCode(i)) {
      plan.fixed.push_back(partition.parts[i].get());
      continue;
    }
    const std::vector<std::string> &functions = partition.functionNames[i];
    plan.tuned.push_back(partition.parts[i].get());
    std::string name = functions.front();
    if (functions.size() > 1)
      name += formatv(" and {0} more function(s)", functions.size() - 1).str();
    plan.names.push_back(std::move(name));
  }
  plan.link = [](ArrayRef<const Module *> parts) { return linkParts(parts); };
  return plan;
}

/// The split run. Errors only for broken machinery; parts that fail to
/// link leave the result to -Oz.
/// `ozSize` is the whole module's -Oz size when known already (0: measured here).
Error tuneSplit(const Module &module, const PartPlan &plan, const PartTuner &tunePart,
                const FlagTuneOptions &options, ProgressFunction progress, FlagTuneResult &result,
                uint64_t ozSize = 0) {
  result.split = true;
  result.splitBy = plan.noun.str();
  if (ozSize == 0) {
    EvaluationPoolOptions ozOptions;
    ozOptions.jobs = 1;
    ozOptions.compileAs = options.compileAs;
    EvaluationPool ozPool(module, ozOptions);
    EvaluationResult ozMeasured =
        ozPool.evaluate({Pipeline::level(OptLevel::Oz)}, options.target).front();
    if (ozMeasured.outcome != Outcome::Ok)
      return createStringError("-Oz itself fails on this module: %s", ozMeasured.message.c_str());
    ozSize = ozMeasured.measurement->binarySize;
  }
  result.ozSize = ozSize;
  result.pipeline = Pipeline::level(OptLevel::Oz).text();
  result.binarySize = result.ozSize;

  std::vector<OptimizedModule> optimized;
  std::vector<const Module *> parts = plan.fixed;
  size_t fromModel = 0;
  for (size_t i = 0; i < plan.tuned.size(); ++i) {
    const Module &part = *plan.tuned[i];
    report(progress,
           formatv("{0} {1}/{2}: {3}", plan.noun, i + 1, plan.tuned.size(), plan.names[i]));
    Expected<PartTuning> tuned = tunePart(part);
    if (!tuned)
      return tuned.takeError();
    PartTuning function = std::move(*tuned);
    function.function = plan.names[i];
    fromModel += function.fromModel;
    // The pipeline ran on this very part in the sandbox already: applying
    // it here repeats a run known to end well.
    Expected<OptimizedModule> applied = optimizeModule(part, function.pipeline, options.target,
                                                       compileSettingsFor(part, options.compileAs));
    if (!applied)
      return applied.takeError();
    optimized.push_back(std::move(*applied));
    result.functions.push_back(std::move(function));
  }
  for (const OptimizedModule &part : optimized)
    parts.push_back(part.module.get());
  Expected<LoadedModule> linked = plan.link(parts);
  if (!linked) {
    result.explanation = formatv("-Oz backup: the {0}s did not link back ({1})", plan.noun,
                                 toString(linked.takeError()));
    return Error::success();
  }
  // Parts may leave behind internal symbols nothing uses any more. The
  // linked module is new IR: it is measured in the sandbox first.
  const Pipeline &cleanup = cleanupAfterParts();
  EvaluationPoolOptions poolOptions;
  poolOptions.jobs = 1;
  // Measured as the parts and -Oz were: optlm cc's units as clang
  // compiles them.
  poolOptions.compileAs = options.compileAs;
  EvaluationPool pool(*linked->module, poolOptions);
  EvaluationResult measured = pool.evaluate({cleanup}, options.target).front();
  if (measured.outcome != Outcome::Ok) {
    result.explanation = formatv("-Oz backup: the linked {0}s do not compile ({1}: {2})", plan.noun,
                                 outcomeName(measured.outcome), measured.message);
    return Error::success();
  }
  uint64_t size = measured.measurement->binarySize;
  result.modelSize = size;
  result.modelPipeline =
      formatv("per {0} ({1} of {2} from the model)", plan.noun, fromModel, result.functions.size());
  if (size < result.ozSize) {
    Expected<OptimizedModule> cleaned =
        optimizeModule(*linked->module, cleanup, options.target,
                       compileSettingsFor(*linked->module, options.compileAs));
    if (!cleaned)
      return cleaned.takeError();
    if (options.checkOptimized) {
      report(progress, formatv("checking the linked {0}s", plan.noun));
      Expected<search::Verdict> verdict = options.checkOptimized(*cleaned->module);
      if (!verdict)
        return verdict.takeError();
      if (!verdict->accepted) {
        result.explanation = formatv("-Oz backup: the linked {0}s ({1} bytes) were rejected: {2}",
                                     plan.noun, size, verdict->reason);
        return Error::success();
      }
    }
    result.modelWon = true;
    result.binarySize = size;
    result.pipeline = result.modelPipeline;
    Expected<LoadedModule> kept = copyIntoNewContext(*cleaned->module);
    if (!kept)
      return kept.takeError();
    result.splitModule = std::move(*kept);
    if (plan.maxParts) {
      PartPipelines applied;
      applied.maxParts = *plan.maxParts;
      for (const PartTuning &part : result.functions)
        applied.parts.push_back(part.pipeline);
      result.partPipelines = std::move(applied);
    }
    result.explanation =
        formatv("the {0}s chosen one by one won: {1} bytes against -Oz's {2} "
                "({3} of {4} {0}s tuned by the model)",
                plan.noun, size, result.ozSize, fromModel, result.functions.size());
  } else {
    result.explanation =
        formatv("-Oz backup: the {0}s chosen one by one give {1} bytes, not smaller than -Oz's "
                "{2} ({3} of {4} {0}s tuned by the model)",
                plan.noun, size, result.ozSize, fromModel, result.functions.size());
  }
  return Error::success();
}

} // namespace

Expected<FlagTuneResult> chooseAmongAnswers(const Module &module, ArrayRef<std::string> answers,
                                            const FlagTuneOptions &options,
                                            ProgressFunction progress) {
  std::vector<ModelCandidate> candidates;
  for (const std::string &answer : answers)
    candidates.push_back(readAnswer(answer));
  Expected<Tuned> tuned = checkCandidates(module, std::move(candidates), options, progress);
  if (!tuned)
    return tuned.takeError();
  FlagTuneResult result;
  chooseWhole(result, *tuned);
  return result;
}

Expected<FlagTuneResult> tuneWithFlagModel(const Module &module, const flagmodel::FlagModel &model,
                                           const FlagTuneOptions &options, double &modelSeconds,
                                           ProgressFunction progress) {
  const auto start = std::chrono::steady_clock::now();
  const size_t compilations = options.candidates ? options.candidates : model.proposals;
  Expected<PartitionedModule> partition = options.perPart
                                              ? partitionModule(module, options.maxParts)
                                              : Expected<PartitionedModule>(PartitionedModule());
  if (!partition)
    return partition.takeError();
  const PartPlan plan = partitionPlan(*partition, options.maxParts);
  const bool byPart = plan.tuned.size() > 1 && compilations > options.wholeUnitCandidates;
  // A model that learned from whole units gives every part the whole
  // unit's proposals: they were measured better than each part's own from
  // such a model (docs/flag-model.md). One that learned from parts
  // (FlagModel::partRows) chooses for each part from the part's features.
  const size_t wholeCompilations = byPart ? options.wholeUnitCandidates : compilations;
  const size_t partCompilations = compilations - wholeCompilations;
  const bool ownProposals = byPart && model.partRows;
  // One list for the whole unit and every part: a property of the model.
  const std::optional<std::string> inlinerFree =
      options.inlinerFreeSlot ? model.inlinerFreeList() : std::nullopt;
  // A budget beyond the default's spends the default's first, as the
  // default does (FlagModel::stagesFor).
  const size_t usualWhole = byPart ? options.wholeUnitCandidates : model.proposals;
  const size_t usualPart = model.proposals > usualWhole ? model.proposals - usualWhole : 0;
  // Chains that may be refused need lists in reserve: as many as the
  // compilations (the greedy cover's first lists do not depend on how many
  // are asked for).
  auto listsFor = [&](size_t budget, size_t usual) {
    return options.chainAllowed ? budget
                                : flagmodel::libraryListsIn(model.stagesFor(budget, usual));
  };
  std::vector<std::string> proposals = model.propose(
      module, std::max(listsFor(wholeCompilations, usualWhole),
                       byPart && !ownProposals ? listsFor(partCompilations, usualPart) : 0));
  modelSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The model's own time, whenever it is asked again.
  auto timed = [&](auto &&work) {
    const auto started = std::chrono::steady_clock::now();
    auto result = work();
    modelSeconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
  };
  // `usual`: what the default spends on such a module (FlagModel::stagesFor).
  auto check = [&](const Module &target, size_t budget, size_t usual) {
    const bool isPart = &target != &module;
    std::vector<flagmodel::CompilationStage> stages = model.stagesFor(budget, usual);
    const size_t lists = stages.front().lists;
    const std::vector<std::string> own =
        ownProposals && isPart
            ? timed([&] { return model.propose(target, listsFor(budget, usual)); })
            : std::vector<std::string>();
    const size_t first =
        isPart && options.partFirstLists ? std::min(options.partFirstLists, lists) : lists;
    std::vector<ModelCandidate> candidates;
    for (const std::string &proposal : ArrayRef(own.empty() ? proposals : own).take_front(first))
      candidates.push_back(readAnswer(proposal));
    if (!isPart)
      for (const std::string &pipeline : options.alsoCompile) {
        ModelCandidate also = readAnswer(pipeline);
        if (llvm::none_of(candidates, [&](const ModelCandidate &candidate) {
              return candidate.pipeline && candidate.pipelineText() == also.pipelineText();
            }))
          candidates.push_back(std::move(also));
      }
    LaterCompilations later;
    if (first < lists)
      later.followUp = [&, lists](const Tuned &tuned) {
        return timed([&] { return followUpProposals(model, tuned, lists); });
      };
    later.chains = std::move(stages.front().chains);
    later.inlinerFree = inlinerFree;
    later.stages.assign(std::make_move_iterator(stages.begin() + 1),
                        std::make_move_iterator(stages.end()));
    const std::vector<std::string> &source = own.empty() ? proposals : own;
    later.more = ArrayRef(source).slice(std::min(lists, source.size()));
    return checkCandidates(target, std::move(candidates), options, progress, std::move(later));
  };
  FlagTuneResult whole;
  if (wholeCompilations > 0) {
    Expected<Tuned> tuned = check(module, wholeCompilations, usualWhole);
    if (!tuned)
      return tuned.takeError();
    chooseWhole(whole, *tuned);
  }
  if (!byPart)
    return whole;

  // The rest part by part: the whole unit's first proposals catch what
  // only works across parts (the IR outliner merging look-alike functions
  // of two parts), the parts what suits each group of functions alone.
  auto tunePartsWith = [&](size_t budget) -> PartTuner {
    return [&, budget](const Module &part) -> Expected<PartTuning> {
      Expected<Tuned> tuned = check(part, budget, usualPart);
      if (!tuned)
        return tuned.takeError();
      return partChoice(std::move(*tuned));
    };
  };
  if (options.probeParts && wholeCompilations > 0 && wholeCompilations < compilations) {
    // The first proposal on each part, linked, against the same on the
    // whole unit: where the parts lose, some of the unit's code shrinks
    // only beside code of another part, which only the whole unit sees.
    FlagTuneResult probe;
    if (Error error = tuneSplit(module, plan, tunePartsWith(wholeCompilations), options, progress,
                                probe, whole.ozSize))
      return std::move(error);
    const bool partsLose =
        whole.modelSize && (!probe.modelSize || *probe.modelSize > *whole.modelSize);
    if (partsLose) {
      report(progress,
             formatv("the parts lose to the whole unit under its first proposal ({0} "
                     "against {1} bytes): the rest on the whole unit",
                     probe.modelSize ? *probe.modelSize : probe.ozSize, *whole.modelSize));
      Expected<Tuned> tuned = check(module, partCompilations, usualPart);
      if (!tuned)
        return tuned.takeError();
      FlagTuneResult rest;
      chooseWhole(rest, *tuned);
      rest.functions = std::move(probe.functions);
      rest.splitBy = probe.splitBy;
      return std::move(rest);
    }
  }
  FlagTuneResult split;
  if (Error error = tuneSplit(module, plan, tunePartsWith(partCompilations), options, progress,
                              split, whole.ozSize))
    return std::move(error);
  if (wholeCompilations == 0)
    return split;
  const bool splitWon = split.modelWon && split.binarySize < whole.binarySize;
  FlagTuneResult &chosen = splitWon ? split : whole;
  FlagTuneResult &other = splitWon ? whole : split;
  if (other.modelSize)
    chosen.explanation +=
        formatv(" ({0}: {1} bytes)", splitWon ? "the whole unit's best" : "part by part",
                *other.modelSize)
            .str();
  if (splitWon)
    split.candidates = std::move(whole.candidates);
  else {
    whole.functions = std::move(split.functions);
    whole.splitBy = split.splitBy;
  }
  return std::move(chosen);
}

Expected<FlagTuneResult> tuneSplitWith(const Module &module, const PartTuner &tunePart,
                                       const FlagTuneOptions &options, ProgressFunction progress) {
  Expected<SplitModule> split = splitByFunction(module);
  if (!split)
    return split.takeError();
  FlagTuneResult result;
  if (Error error = tuneSplit(module, functionPlan(*split), tunePart, options, progress, result))
    return std::move(error);
  return result;
}

Expected<FlagTuneResult> tuneWithModel(const Module &module, ModelSource &model,
                                       const FlagTuneOptions &options, ProgressFunction progress) {
  FlagTuneResult result;
  std::string prompt = data::flagTuningPrompt(moduleText(module));
  bool fits = model.fits(prompt, options.maxTokens);
  if (options.alwaysSplit || (!fits && options.splitLongInputs)) {
    if (!fits)
      report(progress, "the module does not fit the model's context: tuning each function");
    PartTuner tunePart = [&](const Module &part) -> Expected<PartTuning> {
      Expected<Tuned> tuned = tuneModule(part, model, options, progress);
      if (!tuned)
        return tuned.takeError();
      return partChoice(std::move(*tuned));
    };
    Expected<SplitModule> split = splitByFunction(module);
    if (!split)
      return split.takeError();
    if (Error error = tuneSplit(module, functionPlan(*split), tunePart, options, progress, result))
      return std::move(error);
  } else {
    auto tuned = tuneModule(module, model, options, progress);
    if (!tuned)
      return tuned.takeError();
    chooseWhole(result, *tuned);
    if (!fits)
      result.explanation = "-Oz backup: the module does not fit the model's context";
  }
  result.constraintApplied = model.constraintSupported();
  return result;
}

} // namespace optlm::tasks
