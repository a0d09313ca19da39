//===- Harness.cpp - one solver over a suite, item by item ----------------===//
#include "eval/Harness.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"
#include "engine/Evaluator.h"
#include "eval/Bleu.h"
#include "eval/ItemScore.h"
#include "eval/Journal.h"
#include "ir/ModuleFacts.h"
#include "search/PoolEvaluator.h"
#include "search/Tuner.h"
#include "store/ResultsStore.h"
#include "tasks/AssemblyNormalizer.h"
#include "tasks/Disassembler.h"
#include "tasks/Emulator.h"
#include "tasks/FlagTuneReport.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using namespace llvm;
using nlohmann::json;

namespace optlm::eval {

std::string Solver::name() const {
  switch (kind) {
  case SolverKind::Model:
    return "model:" + (model ? model->modelName() : std::string("?"));
  case SolverKind::FlagModel:
    return "flagmodel:" + flagModelName;
  case SolverKind::Oz:
    return "-Oz";
  case SolverKind::Autotune:
    return "autotune:" + std::to_string(autotuneBudget);
  case SolverKind::Oracle:
    return "oracle";
  case SolverKind::Unchanged:
    return "unchanged";
  }
  return "unknown";
}

Expected<Solver> parseBaseline(StringRef text) {
  Solver solver;
  if (text == "-Oz" || text == "Oz" || text == "oz") {
    solver.kind = SolverKind::Oz;
    return solver;
  }
  if (text == "oracle") {
    solver.kind = SolverKind::Oracle;
    return solver;
  }
  if (text == "unchanged") {
    solver.kind = SolverKind::Unchanged;
    return solver;
  }
  if (text.consume_front("autotune:")) {
    if (text.getAsInteger(10, solver.autotuneBudget) || solver.autotuneBudget == 0)
      return createStringError("autotune:N needs a number of evaluations N >= 1");
    solver.kind = SolverKind::Autotune;
    return solver;
  }
  return createStringError("unknown baseline '%s' (known: -Oz, autotune:N, oracle, unchanged)",
                           text.str().c_str());
}

namespace {

/// Characters of a model's answer the journal keeps per candidate.
constexpr size_t JournalAnswerLimit = 400;

json errorResult(const Twine &message) { return json{{"error", message.str()}}; }

/// The item's input module: the program compiled, or the record's IR.
Expected<LoadedModule> loadInput(const SuiteItem &item) {
  if (!item.path.empty())
    return loadModuleFor(item.path, item.target);
  Expected<ModuleTarget> target = moduleTargetFor(item.target);
  if (!target)
    return target.takeError();
  return parseModule(MemoryBufferRef(item.input, item.id), InputKind::IRText, *target);
}

/// Sizes of pipelines on a module, in the sandbox; nullopt where one fails.
/// (Through the search layer's adapter: engine/EvaluationPool.h and
/// store/ResultsStore.h cannot be included together.)
/// `hash` is the module's (moduleHash), when known.
std::vector<std::optional<uint64_t>> sizesOf(const Module &module, ArrayRef<Pipeline> pipelines,
                                             Target target, unsigned jobs,
                                             std::optional<uint64_t> hash = std::nullopt) {
  search::PoolEvaluator pool(module, target, jobs, CompileAs::OptAndLlc, hash);
  std::vector<std::optional<uint64_t>> sizes;
  Expected<std::vector<EvaluationResult>> results = pool.evaluate(pipelines);
  if (!results) {
    consumeError(results.takeError());
    return std::vector<std::optional<uint64_t>>(pipelines.size());
  }
  for (const EvaluationResult &result : *results)
    sizes.push_back(result.outcome == Outcome::Ok
                        ? std::optional<uint64_t>(result.measurement->binarySize)
                        : std::nullopt);
  return sizes;
}

/// What a solver answered for one module: the size of its object (none when
/// it gave nothing usable), its pipeline, and what it has to say in the
/// journal besides. A solver that failed on this item says why in
/// `failure`; the item is scored as an error and the run goes on.
struct SolverAnswer {
  std::optional<uint64_t> size;
  std::string pipeline;
  json details = json::object();
  std::string failure;

  static SolverAnswer measured(std::optional<uint64_t> size, std::string pipeline) {
    SolverAnswer answer;
    answer.size = size;
    answer.pipeline = std::move(pipeline);
    return answer;
  }
  static SolverAnswer failed(const Twine &why) {
    SolverAnswer answer;
    answer.failure = why.str();
    return answer;
  }
};

/// What a module and its labels hold before any solver runs.
struct FlagTuneInput {
  const Module &module;
  uint64_t hash;
  uint64_t ozSize;
  std::optional<Pipeline> label;
  std::optional<uint64_t> labelSize;
  std::optional<TunedResult> stored;
};

SolverAnswer answerByOracle(const SuiteItem &item, const HarnessOptions &options,
                            const FlagTuneInput &input) {
  SolverAnswer answer;
  if (input.labelSize) {
    answer.size = input.labelSize;
    answer.pipeline = input.label->text();
  } else if (input.stored) {
    if (Expected<Pipeline> best = Pipeline::parse(input.stored->pipeline)) {
      answer.size = sizesOf(input.module, {*best}, item.target, options.jobs, input.hash)[0];
      answer.pipeline = best->text();
    } else {
      consumeError(best.takeError());
    }
  }
  if (!answer.size) {
    answer.size = input.ozSize; // nothing better known than -Oz
    answer.pipeline = Pipeline::level(OptLevel::Oz).text();
    answer.details["note"] = "no label and no stored result: the oracle answers -Oz";
  }
  return answer;
}

/// What splitting costs, measured with the autotuner in the model's place:
/// every function tuned on its own (nothing recorded: the parts are not
/// programs anyone tunes).
SolverAnswer answerBySplitAutotune(const SuiteItem &item, const HarnessOptions &options,
                                   const FlagTuneInput &input,
                                   const search::StrategyContext &context,
                                   const search::TuneOptions &tuneOptions) {
  tasks::PartTuner tunePart = [&](const Module &part) -> Expected<tasks::PartTuning> {
    search::PoolEvaluator pool(part, item.target, options.jobs);
    search::RecordingEvaluator evaluator(pool, nullptr, moduleHash(part), item.target);
    Expected<search::TuneResult> tuned = search::tune(evaluator, context, tuneOptions);
    if (!tuned)
      return tuned.takeError();
    tasks::PartTuning function;
    function.ozSize = tuned->ozSize;
    function.binarySize = tuned->binarySize;
    function.pipeline = tuned->best;
    function.fromModel = !tuned->isOz;
    return function;
  };
  tasks::FlagTuneOptions splitOptions = options.flagTune;
  splitOptions.target = item.target;
  splitOptions.jobs = options.jobs;
  Expected<tasks::FlagTuneResult> split =
      tasks::tuneSplitWith(input.module, tunePart, splitOptions);
  if (!split)
    return SolverAnswer::failed("the split autotuner failed: " + toString(split.takeError()));
  SolverAnswer answer = SolverAnswer::measured(split->modelSize, split->modelPipeline);
  answer.details["explanation"] = split->explanation;
  answer.details["split"] = true;
  return answer;
}

Expected<SolverAnswer> answerByAutotune(const SuiteItem &item, const HarnessOptions &options,
                                        const FlagTuneInput &input) {
  search::StrategyContext context = search::builtinContext(options.seed);
  search::TuneOptions tuneOptions;
  tuneOptions.budget = options.solver.autotuneBudget;
  tuneOptions.seed = options.seed;
  tuneOptions.batchSize = std::min<uint64_t>(32, options.solver.autotuneBudget);
  if (options.flagTune.alwaysSplit)
    return answerBySplitAutotune(item, options, input, context, tuneOptions);

  search::PoolEvaluator pool(input.module, item.target, options.jobs, CompileAs::OptAndLlc,
                             input.hash);
  search::RecordingEvaluator evaluator(pool, options.store, input.hash, item.target);
  Expected<search::TuneResult> tuned = search::tune(evaluator, context, tuneOptions);
  if (!tuned)
    return SolverAnswer::failed("the autotuner failed: " + toString(tuned.takeError()));
  if (options.store)
    if (Error error = options.store->recordTuned(
            tuned->storeRecord(input.hash, item.target, item.path.empty() ? item.id : item.path)))
      return std::move(error);
  return SolverAnswer::measured(tuned->binarySize, tuned->best.text());
}

SolverAnswer answerByModel(const SuiteItem &item, const HarnessOptions &options,
                           const FlagTuneInput &input) {
  tasks::FlagTuneOptions tuneOptions = options.flagTune;
  tuneOptions.target = item.target;
  tuneOptions.seed = options.seed;
  tuneOptions.jobs = options.jobs;
  Expected<tasks::FlagTuneResult> tuned =
      tasks::tuneWithModel(input.module, *options.solver.model, tuneOptions);
  if (!tuned)
    return SolverAnswer::failed(toString(tuned.takeError()));
  SolverAnswer answer = SolverAnswer::measured(tuned->modelSize, tuned->modelPipeline);
  answer.details["explanation"] = tuned->explanation;
  answer.details["split"] = tuned->split;
  answer.details["answers"] = tasks::candidatesJson(tuned->candidates, JournalAnswerLimit);
  return answer;
}

SolverAnswer answerByFlagModel(const SuiteItem &item, const HarnessOptions &options,
                               const FlagTuneInput &input) {
  tasks::FlagTuneOptions tuneOptions = options.flagTune;
  tuneOptions.target = item.target;
  tuneOptions.jobs = options.jobs;
  double modelSeconds = 0;
  Expected<tasks::FlagTuneResult> tuned =
      tasks::tuneWithFlagModel(input.module, *options.solver.flagModel, tuneOptions, modelSeconds);
  if (!tuned)
    return SolverAnswer::failed(toString(tuned.takeError()));
  SolverAnswer answer = SolverAnswer::measured(tuned->modelSize, tuned->modelPipeline);
  answer.details["explanation"] = tuned->explanation;
  answer.details["model_seconds"] = modelSeconds;
  answer.details["compilations"] = tuned->compilations();
  answer.details["split_by"] = tuned->splitBy;
  answer.details["answers"] = tasks::candidatesJson(tuned->candidates, JournalAnswerLimit);
  return answer;
}

Expected<SolverAnswer> answerBySolver(const SuiteItem &item, const HarnessOptions &options,
                                      const FlagTuneInput &input) {
  switch (options.solver.kind) {
  case SolverKind::Oz:
    return SolverAnswer::measured(input.ozSize, Pipeline::level(OptLevel::Oz).text());
  case SolverKind::Oracle:
    return answerByOracle(item, options, input);
  case SolverKind::Autotune:
    return answerByAutotune(item, options, input);
  case SolverKind::Model:
    return answerByModel(item, options, input);
  case SolverKind::FlagModel:
    return answerByFlagModel(item, options, input);
  case SolverKind::Unchanged:
    break; // runFlagTune skips the item before asking
  }
  llvm_unreachable("every solver kind is answered above");
}

Expected<json> runFlagTune(const SuiteItem &item, const HarnessOptions &options) {
  if (options.solver.kind == SolverKind::Unchanged)
    return json{{"skipped", "this baseline has no answer for flag tuning"}};
  Expected<LoadedModule> loaded = loadInput(item);
  if (!loaded)
    return errorResult("cannot load the input: " + toString(loaded.takeError()));
  const Module &module = *loaded->module;
  json result;

  // The label's size, measured here (a dataset's number may come from
  // another LLVM build).
  std::optional<Pipeline> label;
  if (!item.labelPipeline.empty()) {
    if (Expected<Pipeline> parsed = Pipeline::parse(item.labelPipeline))
      label = std::move(*parsed);
    else
      result["label_problem"] = toString(parsed.takeError());
  }
  const uint64_t hash = moduleHash(module);
  std::optional<TunedResult> stored;
  if (options.store) {
    auto found = options.store->findTuned(hash, item.target);
    if (!found)
      return found.takeError();
    stored = std::move(*found);
  }
  std::vector<Pipeline> measured{Pipeline::level(OptLevel::Oz)};
  if (label)
    measured.push_back(*label);
  std::vector<std::optional<uint64_t>> sizes =
      sizesOf(module, measured, item.target, options.jobs, hash);
  if (!sizes[0])
    return errorResult("-Oz fails on this module");
  FlagTuneInput input{module,           hash, *sizes[0], label, label ? sizes[1] : std::nullopt,
                      std::move(stored)};

  // A store that fails ends the run; a solver that fails, only this item.
  Expected<SolverAnswer> answer = answerBySolver(item, options, input);
  if (!answer)
    return answer.takeError();
  if (!answer->failure.empty())
    return errorResult(answer->failure);
  result.update(answer->details);

  FlagTuneScore score;
  score.ozSize = input.ozSize;
  score.modelSize = answer->size;
  score.finalSize = score.modelSize ? std::min(*score.modelSize, score.ozSize) : score.ozSize;
  score.bestKnownSize = score.finalSize;
  score.labelSize = input.labelSize;
  if (input.labelSize)
    score.bestKnownSize = std::min(score.bestKnownSize, *input.labelSize);
  if (input.stored && input.stored->binarySize > 0)
    score.bestKnownSize = std::min(score.bestKnownSize, input.stored->binarySize);
  if (score.modelSize)
    score.pipeline = answer->pipeline;
  addToJson(score, result);
  return result;
}

/// The assembly and true IR of a directory program: its -Oz build.
Error prepareDisassembly(const SuiteItem &item, std::string &assembly, std::string &reference) {
  Expected<LoadedModule> input = loadInput(item);
  if (!input)
    return input.takeError();
  Expected<OptimizedModule> optimized =
      optimizeModule(*input->module, Pipeline::level(OptLevel::Oz), item.target);
  if (!optimized)
    return optimized.takeError();
  reference = tasks::moduleText(*optimized->module);
  // Assembly from the printed IR, exactly what a round trip compiles.
  Expected<ModuleTarget> target = moduleTargetFor(item.target);
  if (!target)
    return target.takeError();
  Expected<LoadedModule> reparsed =
      parseModule(MemoryBufferRef(reference, item.id), InputKind::IRText, *target);
  if (!reparsed)
    return reparsed.takeError();
  auto machine = createCodegenTargetMachine(target->triple);
  if (!machine)
    return machine.takeError();
  Expected<std::string> text = emitAssembly(*reparsed->module, **machine);
  if (!text)
    return text.takeError();
  assembly = std::move(*text);
  return Error::success();
}

/// Whether the solver answers disassembly and emulation items.
bool answersCodeTasks(SolverKind kind) {
  return kind == SolverKind::Model || kind == SolverKind::Oracle || kind == SolverKind::Unchanged;
}

Expected<json> runDisassembly(const SuiteItem &item, const HarnessOptions &options) {
  if (!answersCodeTasks(options.solver.kind))
    return json{{"skipped", "this baseline has no answer for disassembly"}};
  std::string assembly = item.input, reference = item.reference;
  if (!item.path.empty())
    if (Error error = prepareDisassembly(item, assembly, reference))
      return errorResult("cannot prepare the input: " + toString(std::move(error)));
  json result;
  std::string ir;
  tasks::RoundTrip trip;
  DisassemblyScore score;
  if (options.solver.kind == SolverKind::Oracle) {
    if (reference.empty())
      return json{{"skipped", "no true IR known for this item"}};
    ir = reference;
    trip = tasks::checkRoundTrip(assembly, ir, item.target);
  } else if (options.solver.kind == SolverKind::Unchanged) {
    trip.problem = "no answer (the baseline answers nothing)";
  } else {
    tasks::DisassembleOptions disassembleOptions;
    disassembleOptions.target = item.target;
    Expected<tasks::DisassemblyResult> answer =
        tasks::disassemble(assembly, *options.solver.model, disassembleOptions);
    if (!answer) {
      trip.problem = toString(answer.takeError());
    } else {
      ir = answer->ir;
      trip = answer->roundTrip;
      result["truncated"] = answer->truncated;
    }
  }
  score.roundTrip = trip.ok();
  score.parses = trip.parses;
  score.compiles = trip.compiles;
  if (!trip.problem.empty())
    result["problem"] = trip.problem;
  score.roundTripBleu = trip.compiles ? sentenceBleu(tasks::normalizeAssembly(trip.assembly),
                                                     tasks::normalizeAssembly(assembly))
                                      : 0.0;
  if (!reference.empty()) {
    score.bleu = sentenceBleu(tasks::normalizeOutput(ir, data::EmulationOutput::IR),
                              tasks::normalizeOutput(reference, data::EmulationOutput::IR));
    score.exactMatch = tasks::outputsMatch(ir, reference, data::EmulationOutput::IR);
  }
  addToJson(score, result);
  return result;
}

Expected<json> runEmulation(const SuiteItem &item, const HarnessOptions &options) {
  if (!answersCodeTasks(options.solver.kind))
    return json{{"skipped", "this baseline has no answer for emulation"}};
  Expected<LoadedModule> input = loadInput(item);
  if (!input)
    return errorResult("cannot load the input: " + toString(input.takeError()));
  Expected<Pipeline> pipeline = Pipeline::parse(item.pipeline);
  if (!pipeline)
    return errorResult("bad pipeline: " + toString(pipeline.takeError()));
  Expected<tasks::EmulationTruth> truth =
      tasks::emulationTruth(*input->module, *pipeline, item.output, item.target);
  if (!truth)
    return errorResult(toString(truth.takeError()));
  tasks::EmulationPrediction prediction;
  json result;
  result["pipeline"] = pipeline->text();
  result["output"] = item.output == data::EmulationOutput::IR ? "ir" : "assembly";
  if (options.solver.kind == SolverKind::Oracle) {
    prediction.output = truth->output;
    prediction.instructions = truth->instructions;
    prediction.binarySize = truth->binarySize;
  } else if (options.solver.kind == SolverKind::Unchanged) {
    // The input as the compiler prints it with no passes: the same
    // normalization as the truth's, so "nothing changed" matches exactly;
    // its sizes are those the truth measured for the input.
    Expected<std::string> unchanged =
        tasks::emulationOutput(*input->module, Pipeline(), item.output, item.target);
    if (!unchanged)
      return errorResult(toString(unchanged.takeError()));
    prediction.output = std::move(*unchanged);
    prediction.instructions = truth->inputInstructions;
    prediction.binarySize = truth->inputBinarySize;
  } else {
    tasks::EmulateOptions emulateOptions;
    emulateOptions.target = item.target;
    emulateOptions.output = item.output;
    Expected<tasks::EmulationPrediction> answer =
        tasks::emulate(*input->module, *pipeline, *truth, *options.solver.model, emulateOptions);
    if (answer)
      prediction = std::move(*answer);
    else
      result["problem"] = toString(answer.takeError());
  }
  EmulationScore score;
  score.exactMatch = tasks::outputsMatch(prediction.output, truth->output, item.output);
  score.bleu = sentenceBleu(tasks::normalizeOutput(prediction.output, item.output),
                            tasks::normalizeOutput(truth->output, item.output));
  score.instructions = truth->instructions;
  score.binarySize = truth->binarySize;
  score.predictedInstructions = prediction.instructions;
  score.predictedBinarySize = prediction.binarySize;
  addToJson(score, result);
  return result;
}

} // namespace

Expected<std::vector<json>> runSuite(ArrayRef<SuiteItem> items, const HarnessOptions &options) {
  if (options.solver.kind == SolverKind::FlagModel && !options.solver.flagModel)
    return createStringError("no flag-tuning model given");
  if (options.solver.kind == SolverKind::Model && !options.solver.model)
    return createStringError("the model solver needs a model");
  std::vector<json> results;
  for (size_t index = 0; index < items.size(); ++index) {
    const SuiteItem &item = items[index];
    const std::string key = item.key();
    if (options.journal)
      if (const json *done = options.journal->find(key)) {
        results.push_back(*done);
        if (options.progress)
          options.progress(index + 1, items.size(), item, *done, true);
        continue;
      }
    Expected<json> result = item.task == Task::FlagTune ? runFlagTune(item, options)
                            : item.task == Task::Disasm ? runDisassembly(item, options)
                                                        : runEmulation(item, options);
    if (!result)
      return result.takeError();
    (*result)["key"] = key;
    (*result)["task"] = taskName(item.task).str();
    (*result)["id"] = item.id;
    if (options.journal)
      if (Error error = options.journal->append(key, *result))
        return std::move(error);
    if (options.progress)
      options.progress(index + 1, items.size(), item, *result, false);
    results.push_back(std::move(*result));
  }
  return results;
}

} // namespace optlm::eval
