//===- RecordMaker.cpp - the records of one corpus module -----------------===//
#include "data/RecordMaker.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"
#include "data/IRNormalizer.h"
#include "data/Prompts.h"
#include "engine/Evaluator.h"
#include "ir/ModuleFacts.h"
#include "sandbox/ProcessPool.h"
#include "search/Broadcast.h"
#include "search/PoolEvaluator.h"
#include "search/Random.h"
#include "search/Tuner.h"
#include "search/Verification.h"
#include "store/ResultsStore.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

#include <optional>

using namespace llvm;

namespace optlm::data {

StringRef taskName(Task task) {
  switch (task) {
  case Task::FlagTune:
    return "flagtune";
  case Task::Emulate:
    return "emulate";
  case Task::Disasm:
    return "disasm";
  }
  return "unknown";
}

Expected<std::vector<Task>> parseTasks(StringRef text) {
  bool wanted[3] = {false, false, false};
  SmallVector<StringRef, 4> names;
  text.split(names, ',', -1, /*KeepEmpty=*/false);
  if (names.empty())
    return createStringError("no task given (expected flagtune, emulate, disasm)");
  for (StringRef name : names) {
    name = name.trim();
    bool known = false;
    for (Task task : {Task::FlagTune, Task::Emulate, Task::Disasm})
      if (name == taskName(task)) {
        wanted[static_cast<int>(task)] = true;
        known = true;
      }
    if (!known)
      return createStringError("unknown task '%s' (expected flagtune, emulate, disasm)",
                               name.str().c_str());
  }
  std::vector<Task> tasks;
  for (Task task : {Task::FlagTune, Task::Emulate, Task::Disasm})
    if (wanted[static_cast<int>(task)])
      tasks.push_back(task);
  return tasks;
}

uint64_t moduleSeed(uint64_t seed, StringRef moduleName) {
  return xxh3_64bits(moduleName) ^ (seed * 0x9E3779B97F4A7C15ull);
}

struct RecordMaker::State {
  std::unique_ptr<ResultsStore> store;
  /// One per target, made at its first use: a verdict is about one
  /// target's code generation.
  std::map<Target, search::VerifyFunction> verifiers;

  Expected<search::VerifyFunction *> verifierFor(Target target, unsigned jobs) {
    auto found = verifiers.find(target);
    if (found == verifiers.end()) {
      search::VerificationSettings settings;
      settings.target = target;
      settings.jobs = jobs;
      auto made = search::makeVerifier(settings, store.get());
      if (!made)
        return made.takeError();
      found = verifiers.emplace(target, std::move(*made)).first;
    }
    return &found->second;
  }
};

RecordMaker::RecordMaker(RecordOptions options)
    : Options(std::move(options)), Shared(std::make_unique<State>()) {}
RecordMaker::~RecordMaker() = default;

Expected<std::unique_ptr<RecordMaker>> RecordMaker::create(RecordOptions options) {
  if (options.tasks.empty())
    return createStringError("no task given");
  if (options.tuneBudget == 0)
    return createStringError("the tuning budget must be at least 1");
  std::unique_ptr<RecordMaker> maker(new RecordMaker(std::move(options)));
  if (!maker->Options.storePath.empty()) {
    auto store = ResultsStore::open(maker->Options.storePath);
    if (!store)
      return store.takeError();
    maker->Shared->store = std::move(*store);
  }
  return maker;
}

namespace {

std::string dumpLine(const nlohmann::json &object) {
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string normalizedText(Module &module) {
  normalizeModule(module);
  return moduleText(module);
}

/// What the child computes for one module, before it becomes records.
struct TunedLabel {
  std::string pipeline;
  uint64_t binarySize = 0;
  uint64_t ozSize = 0;
  bool verified = false;
  bool verificationRan = false;
  uint64_t evaluations = 0;
  bool fromBroadcast = false;
  /// The search's best distinct programs besides the label (pipeline, size).
  std::vector<std::pair<std::string, uint64_t>> runnersUp;
};

/// The records that run LLVM on the module outside the sandboxed tuner, in
/// a forked child: one method per task, the lines and failure counts they
/// add, and what the tasks share (metadata, the optimized module's IR,
/// assembly and measurement).
class ChildRecords {
public:
  ChildRecords(const Module &module, Target target, const CorpusEntry &entry,
               const RecordOptions &options, const std::string &promptIR)
      : TheModule(module), TheTarget(target), Entry(entry), Options(options), PromptIR(promptIR),
        TripleText(targetTriple(target).str()), Seed(moduleSeed(options.seed, entry.name)) {}

  /// {"lines": [...], "failures": {...}} for every task asked for.
  std::string make(const std::optional<TunedLabel> &tuned) {
    const EvaluationResult input = evaluate(TheModule, Pipeline(), TheTarget);
    if (input.outcome != Outcome::Ok) {
      fail("module", outcomeName(input.outcome));
      return result();
    }
    InputSize = input.measurement->binarySize;
    InputCount = input.measurement->instructionCount;
    for (Task task : Options.tasks) {
      if (task == Task::FlagTune) {
        if (tuned) // else tuning failed; the parent counted it
          addFlagTune(*tuned);
      } else if (task == Task::Emulate) {
        addEmulation();
      } else {
        addDisassembly();
      }
    }
    return result();
  }

private:
  /// The optimized module's IR text and measurement (the module is
  /// consumed by code generation, so the text is taken first), and with
  /// `assembly` the assembly of the same optimized IR.
  struct Optimized {
    std::string ir;
    std::string assembly;
    Measurement measurement;
  };

  std::string result() const { return dumpLine({{"lines", Lines}, {"failures", Failures}}); }

  void fail(StringRef task, StringRef reason) {
    std::string key = (task + "/" + reason).str();
    Failures[key] = Failures.value(key, 0) + 1;
  }

  nlohmann::json baseRecord(StringRef task, size_t index) const {
    nlohmann::json metadata = {{"source", Entry.source},
                               {"license", Entry.license},
                               {"origin", Entry.origin},
                               {"target", TripleText},
                               {"module", Entry.name},
                               {"seed", Options.seed},
                               {"input_instructions", InputCount},
                               {"input_binary_size", InputSize}};
    // The split's group travels with the record, so that labels used away
    // from this corpus (another target's training) can still be held out by
    // package.
    if (!Entry.package.empty())
      metadata["package"] = Entry.package;
    return nlohmann::json{{"id", Entry.name + "/" + task.str() + "/" + std::to_string(index)},
                          {"task", task.str()},
                          {"metadata", metadata}};
  }

  void finish(nlohmann::json record, std::string prompt, std::string label) {
    if (Options.countTokens) {
      record["metadata"]["prompt_tokens"] = Options.countTokens(prompt);
      record["metadata"]["label_tokens"] = Options.countTokens(label);
    }
    record["prompt"] = std::move(prompt);
    record["label"] = std::move(label);
    Lines.push_back(dumpLine(record));
  }

  std::optional<Optimized> optimize(const Pipeline &pipeline, bool assembly, std::string &reason) {
    auto optimized = optimizeModule(TheModule, pipeline, TheTarget);
    if (!optimized) {
      EvaluationResult failed = failedEvaluation(optimized.takeError(), pipeline.text());
      reason = outcomeName(failed.outcome).str();
      return std::nullopt;
    }
    Optimized result;
    result.ir = normalizedText(*optimized->module);
    if (assembly) {
      auto copy = copyIntoNewContext(*optimized->module);
      auto machine = createCodegenTargetMachine(TripleText);
      if (!copy || !machine) {
        consumeError(copy.takeError());
        consumeError(machine.takeError());
        reason = "codegen-setup";
        return std::nullopt;
      }
      auto text = emitAssembly(*copy->module, **machine);
      if (!text) {
        consumeError(text.takeError());
        reason = "codegen-error";
        return std::nullopt;
      }
      result.assembly = std::move(*text);
    }
    EvaluationResult measured = measureOptimized(std::move(*optimized), TheTarget, pipeline.text());
    if (measured.outcome != Outcome::Ok) {
      reason = outcomeName(measured.outcome).str();
      return std::nullopt;
    }
    result.measurement = *measured.measurement;
    return result;
  }

  void addFlagTune(const TunedLabel &tuned) {
    auto pipeline = Pipeline::parse(tuned.pipeline);
    if (!pipeline) {
      consumeError(pipeline.takeError());
      fail("flagtune", "unparsable-pipeline");
      return;
    }
    std::string reason;
    auto optimized = optimize(*pipeline, false, reason);
    if (!optimized) {
      fail("flagtune", reason);
      return;
    }
    // The label's size is the tuner's; measuring it again here catches
    // any disagreement between the sandboxed pool and this process.
    if (optimized->measurement.binarySize != tuned.binarySize) {
      fail("flagtune", "size-mismatch");
      return;
    }
    nlohmann::json record = baseRecord("flagtune", 0);
    nlohmann::json &metadata = record["metadata"];
    metadata["pipeline"] = tuned.pipeline;
    metadata["output_binary_size"] = tuned.binarySize;
    metadata["output_instructions"] = optimized->measurement.instructionCount;
    metadata["oz_binary_size"] = tuned.ozSize;
    metadata["verified"] = tuned.verified;
    metadata["verification"] = tuned.verificationRan ? "passlisteval" : "none";
    metadata["search_evaluations"] = tuned.evaluations;
    nlohmann::json runnersUp = nlohmann::json::array();
    for (const auto &[text, size] : tuned.runnersUp)
      runnersUp.push_back({{"pipeline", text}, {"binary_size", size}});
    metadata["runners_up"] = std::move(runnersUp);
    if (!Options.broadcastCandidates.empty())
      metadata["broadcast"] = tuned.fromBroadcast;
    finish(std::move(record), flagTuningPrompt(PromptIR),
           flagTuningLabel(tuned.pipeline, tuned.binarySize, optimized->ir));
  }

  void addEmulation() {
    const std::vector<const PassInfo *> space = PassVocabulary::builtin().searchSpace();
    search::Random random(Seed ^ 0xE1u);
    for (unsigned sample = 0; sample < Options.emulateSamples; ++sample) {
      std::vector<const PassInfo *> passes(
          random.between(Options.emulateMinPasses, Options.emulateMaxPasses));
      for (const PassInfo *&pass : passes)
        pass = space[random.below(space.size())];
      const EmulationOutput output = Options.emulateAssembly && random.below(2) == 1
                                         ? EmulationOutput::Assembly
                                         : EmulationOutput::IR;
      const Pipeline pipeline = Pipeline::fromPasses(passes);
      std::string reason;
      auto optimized = optimize(pipeline, output == EmulationOutput::Assembly, reason);
      if (!optimized) {
        fail("emulate", reason);
        continue;
      }
      nlohmann::json record = baseRecord("emulate", sample);
      nlohmann::json &metadata = record["metadata"];
      metadata["pipeline"] = pipeline.text();
      metadata["passes"] = passes.size();
      metadata["output"] = output == EmulationOutput::IR ? "ir" : "assembly";
      metadata["output_binary_size"] = optimized->measurement.binarySize;
      metadata["output_instructions"] = optimized->measurement.instructionCount;
      finish(std::move(record),
             emulationPrompt(PromptIR, pipeline.text(), InputCount, InputSize, output),
             emulationLabel(output == EmulationOutput::IR ? optimized->ir : optimized->assembly,
                            optimized->measurement.instructionCount,
                            optimized->measurement.binarySize));
    }
  }

  void addDisassembly() {
    const Pipeline oz = Pipeline::level(OptLevel::Oz);
    std::string reason;
    auto optimized = optimize(oz, true, reason);
    if (!optimized) {
      fail("disasm", reason);
      return;
    }
    nlohmann::json record = baseRecord("disasm", 0);
    nlohmann::json &metadata = record["metadata"];
    metadata["pipeline"] = oz.text();
    metadata["output_binary_size"] = optimized->measurement.binarySize;
    metadata["output_instructions"] = optimized->measurement.instructionCount;
    finish(std::move(record), disassemblyPrompt(optimized->assembly),
           disassemblyLabel(optimized->ir));
  }

  const Module &TheModule;
  const Target TheTarget;
  const CorpusEntry &Entry;
  const RecordOptions &Options;
  const std::string &PromptIR;
  const std::string TripleText;
  const uint64_t Seed;
  uint64_t InputSize = 0;
  uint64_t InputCount = 0;
  nlohmann::json Lines = nlohmann::json::array();
  nlohmann::json Failures = nlohmann::json::object();
};

/// The flag-tuning label of a module: the search's best list, then
/// broadcast's candidates when given (never worse). Unset when the search
/// failed (counted in `fail`).
template <typename Fail>
std::optional<TunedLabel> tuneLabel(const Module &module, Target target, StringRef moduleName,
                                    const RecordOptions &options, ResultsStore *store,
                                    const search::VerifyFunction &verifyPipeline, Fail fail) {
  search::StrategyContext context = search::builtinContext(moduleSeed(options.seed, moduleName));
  search::TuneOptions tuneOptions;
  tuneOptions.budget = options.tuneBudget;
  tuneOptions.seed = context.seed;
  search::PoolEvaluator pool(module, target, options.jobs);
  search::RecordingEvaluator evaluator(pool, store, moduleHash(module), target);
  auto result = search::tune(evaluator, context, tuneOptions, verifyPipeline);
  if (!result) {
    consumeError(result.takeError());
    fail("flagtune", "tune-error");
    return std::nullopt;
  }
  TunedLabel label;
  label.pipeline = result->best.text();
  label.binarySize = result->binarySize;
  label.ozSize = result->ozSize;
  label.verified = result->verified;
  label.verificationRan = result->verificationRan;
  label.evaluations = result->evaluations();
  for (const search::SearchLeader &leader : result->leaders)
    if (leader.pipeline != label.pipeline && leader.binarySize < result->ozSize)
      label.runnersUp.push_back({leader.pipeline, leader.binarySize});
  if (options.broadcastCandidates.empty())
    return label;
  auto relabel =
      search::relabelProgram(evaluator, options.broadcastCandidates,
                             result->storeRecord(moduleHash(module), target, ""), verifyPipeline);
  if (!relabel) {
    consumeError(relabel.takeError());
    fail("flagtune", "broadcast-error");
    return label;
  }
  if (relabel->improved) {
    label.pipeline = relabel->afterPipeline;
    label.binarySize = relabel->afterSize;
    label.verified = relabel->afterVerified;
    label.fromBroadcast = true;
  }
  label.evaluations += relabel->evaluations;
  return label;
}

} // namespace

Expected<ModuleRecords> RecordMaker::make(const Corpus &corpus, const CorpusEntry &entry) {
  ModuleRecords records;
  auto fail = [&](StringRef task, StringRef reason) {
    ++records.failures[(task + "/" + reason).str()];
  };
  auto target = targetOfTriple(entry.triple);
  if (!target) {
    consumeError(target.takeError());
    fail("module", "unsupported-target");
    return records;
  }
  // The prompt's IR, and the module parsed back from it (see the header).
  auto prompted = corpus.loadAsPrompted(entry);
  if (!prompted) {
    consumeError(prompted.takeError());
    fail("module", "load-error");
    return records;
  }
  const std::string &promptIR = prompted->promptIR;
  const Module &module = *prompted->module.module;

  std::optional<TunedLabel> tuned;
  if (is_contained(Options.tasks, Task::FlagTune)) {
    search::VerifyFunction noVerifier;
    const search::VerifyFunction *verify = &noVerifier;
    if (Options.verify) {
      auto verifier = Shared->verifierFor(*target, Options.jobs);
      if (!verifier)
        return verifier.takeError();
      verify = *verifier;
    }
    tuned = tuneLabel(module, *target, entry.name, Options, Shared->store.get(), *verify, fail);
  }

  sandbox::Limits limits;
  limits.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(Options.moduleTimeout);
  limits.memoryHeadroomBytes = uint64_t(4) << 30;
  limits.maxFrameBytes = 256 * 1024 * 1024;
  sandbox::ProcessPool child(1, limits);
  std::vector<sandbox::JobOutcome> outcomes = child.run(1, [&](size_t, sandbox::ChildChannel &) {
    return ChildRecords(module, *target, entry, Options, promptIR).make(tuned);
  });
  const sandbox::JobOutcome &outcome = outcomes.front();
  if (outcome.end != sandbox::JobEnd::Finished) {
    fail("module", sandbox::jobEndName(outcome.end));
    return records;
  }
  nlohmann::json reply = nlohmann::json::parse(outcome.result, nullptr, false);
  if (reply.is_discarded() || !reply.contains("lines") || !reply.contains("failures")) {
    fail("module", "bad-child-reply");
    return records;
  }
  for (const auto &line : reply["lines"]) {
    std::string text = line.get<std::string>();
    nlohmann::json record = nlohmann::json::parse(text, nullptr, false);
    ++records.recordsByTask[record.value("task", "unknown")];
    if (record.value("task", "") == "flagtune")
      records.tunedPipeline = record["metadata"].value("pipeline", "");
    records.lines.push_back(std::move(text));
  }
  for (const auto &[key, count] : reply["failures"].items())
    records.failures[key] += count.get<uint64_t>();
  return records;
}

} // namespace optlm::data
