//===- CompilerDriver.cpp - optlm cc / optlm c++, a drop-in clang-19 ------===//
#include "cc/CompilerDriver.h"

#include "cc/BuildLog.h"
#include "cc/ClangProcess.h"
#include "cc/ObjectCache.h"
#include "cc/PipelineChooser.h"
#include "cc/QuickDriver.h"
#include "cc/Settings.h"
#include "data/Corpus.h"
#include "engine/Evaluator.h"
#include "engine/SandboxedOutput.h"
#include "ir/ModuleFacts.h"
#include "pipeline/PartPipelines.h"
#include "pipeline/Pipeline.h"
#include "store/ResultsStore.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

using namespace llvm;

namespace optlm::cc {

namespace {

/// Applies `pipeline` to `module` as clang compiles it, in a sandboxed child,
/// and writes the optimized bitcode to `outputPath` (as `optlm opt -o X.bc`
/// writes it: with the use-list order, so that clang's code generator walks
/// the users the passes left, as the measurement did; without it an object
/// came out 15 bytes larger). A crash, a fatal error, a time-out or invalid
/// IR is an error naming it.
Error optimizeInSandbox(const Module &module, StringRef pipelineText, Target target,
                        StringRef outputPath, std::chrono::seconds timeout) {
  // A pipeline, or one for each part of the unit (the model's part-by-part
  // choice, pipeline/PartPipelines.h).
  Expected<UnitPipeline> pipeline = parseUnitPipeline(pipelineText);
  if (!pipeline)
    return pipeline.takeError();
  sandbox::Limits limits = sandboxedOutputLimits();
  limits.timeout = timeout;
  return writeOptimizedUnit(module, *pipeline, target, CompileAs::Clang, outputPath, limits);
}

/// One compile command line: its units, one at a time.
class CompileJob {
public:
  CompileJob(const Invocation &invocation, const Settings &settings, ClangProgram frontend,
             ClangProgram codegen)
      : TheInvocation(invocation), TheSettings(settings), Frontend(std::move(frontend)),
        Codegen(std::move(codegen)), Directory(currentDirectory()) {}

  /// True when the unit's object is written; false when clang has to run
  /// the whole command line itself (the frontend failed, or nothing else
  /// could make the object).
  bool compileUnit(size_t index);

  /// The frontends' warnings, for the build's stderr once the job succeeded.
  const std::string &pendingDiagnostics() const { return PendingDiagnostics; }

private:
  ResultsStore *store(UnitRecord &record);
  data::Corpus *corpus(UnitRecord &record);
  void capture(StringRef bitcodePath, UnitRecord &record);
  void captureOtherTargets(size_t index, StringRef buildTriple, UnitRecord &record);
  /// Code generation of `bitcodePath` into the object (or the object
  /// cache's copy, when the unit's IR hash is known); on success the object
  /// is in place.
  bool generate(StringRef bitcodePath, StringRef triple, bool runOz, StringRef object,
                std::optional<uint64_t> irHash, StringRef pipeline, UnitRecord &record,
                std::string &problem);
  const ObjectCache &objects();
  /// Keeps what was decided for a unit whose object is in place, for a
  /// rebuild by optlm-cc's launcher (QuickDriver.h).
  void rememberDecision(llvm::StringRef bitcode, llvm::StringRef triple, bool runOz,
                        uint64_t irHash, const UnitRecord &record);
  /// The object cache's key for a unit's object, when there is a cache.
  std::optional<uint64_t> cacheKey(std::optional<uint64_t> irHash, StringRef pipeline,
                                   StringRef triple, bool runOz) {
    if (!irHash || !objects().enabled())
      return std::nullopt;
    return ObjectCache::key(*irHash, pipeline, Codegen.path,
                            codegenArguments(TheInvocation, "IR", "OBJECT", triple, runOz));
  }
  void log(UnitRecord &record, std::chrono::steady_clock::time_point start);

  const Invocation &TheInvocation;
  const Settings &TheSettings;
  ClangProgram Frontend;
  ClangProgram Codegen;
  std::string Directory;
  ScratchDirectory Scratch;
  bool StoreOpened = false;
  std::unique_ptr<ResultsStore> Store;
  bool CorpusOpened = false;
  std::optional<data::Corpus> TheCorpus;
  std::optional<ObjectCache> Objects;
  std::string PendingDiagnostics;
};

const ObjectCache &CompileJob::objects() {
  if (!Objects)
    Objects.emplace(ObjectCache::forSettings(TheSettings));
  return *Objects;
}

void CompileJob::rememberDecision(StringRef bitcode, StringRef triple, bool runOz, uint64_t irHash,
                                  const UnitRecord &record) {
  std::optional<uint64_t> objectKey = cacheKey(irHash, record.pipeline, triple, runOz);
  if (!objectKey)
    return;
  UnitDecision decision;
  decision.objectKey = *objectKey;
  decision.how = record.how;
  decision.pipeline = record.pipeline;
  decision.irHash = record.irHash;
  decision.size = record.size;
  decision.ozSize = record.ozSize;
  objects().storeDecision(
      unitDecisionKey(TheInvocation, TheSettings, runningProgram(), Codegen.path, bitcode),
      decision);
}

void CompileJob::log(UnitRecord &record, std::chrono::steady_clock::time_point start) {
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const std::string &problem : TheSettings.problems)
    record.notes.push_back(problem);
  if (!TheSettings.logPath.empty())
    consumeError(appendRecord(TheSettings.logPath, record));
}

ResultsStore *CompileJob::store(UnitRecord &record) {
  if (!StoreOpened) {
    StoreOpened = true;
    auto opened = ResultsStore::openOrDefault(TheSettings.storePath);
    if (opened)
      Store = std::move(*opened);
    else
      record.notes.push_back("store: " + toString(opened.takeError()));
  }
  return Store.get();
}

data::Corpus *CompileJob::corpus(UnitRecord &record) {
  if (!CorpusOpened) {
    CorpusOpened = true;
    auto opened = data::Corpus::open(TheSettings.corpusPath, /*create=*/true);
    if (opened)
      TheCorpus = std::move(*opened);
    else
      record.notes.push_back("corpus: " + toString(opened.takeError()));
  }
  return TheCorpus ? &*TheCorpus : nullptr;
}

void CompileJob::capture(StringRef bitcodePath, UnitRecord &record) {
  if (TheSettings.corpusPath.empty())
    return;
  data::Corpus *target = corpus(record);
  if (!target)
    return;
  auto buffer = MemoryBuffer::getFile(bitcodePath);
  if (!buffer) {
    record.notes.push_back("capture: cannot read the bitcode");
    return;
  }
  auto triple = getBitcodeTargetTriple((*buffer)->getMemBufferRef());
  if (!triple) {
    record.notes.push_back("capture: " + toString(triple.takeError()));
    return;
  }
  SmallString<256> source(TheInvocation.sources.size() ? record.source : "");
  sys::fs::make_absolute(source);
  auto skip = [&](StringRef reason, const std::string &detail) {
    data::AddSummary summary;
    consumeError(target->skip(source, reason, detail, summary));
    record.notes.push_back("capture: " + reason.str() + ": " + detail);
  };
  auto which = data::targetOfTriple(*triple);
  if (!which)
    return skip("other-target", toString(which.takeError()));
  auto moduleTarget = moduleTargetFor(*which);
  if (!moduleTarget)
    return skip("other-target", toString(moduleTarget.takeError()));
  auto loaded = parseModule((*buffer)->getMemBufferRef(), InputKind::Bitcode, *moduleTarget);
  if (!loaded)
    return skip("invalid-ir", toString(loaded.takeError()));
  data::Provenance provenance;
  provenance.source = std::string(source);
  provenance.package = TheSettings.package;
  provenance.license = TheSettings.license;
  provenance.origin = "optlm-cc";
  data::AddSummary summary;
  auto added = target->add(*loaded->module, provenance, summary);
  if (!added) {
    record.notes.push_back("capture: " + toString(added.takeError()));
    return;
  }
  record.captured = true;
  if (!*added)
    record.notes.push_back("capture: a duplicate of a module already in the corpus");
}

void CompileJob::captureOtherTargets(size_t index, StringRef buildTriple, UnitRecord &record) {
  std::optional<Target> built;
  if (auto which = data::targetOfTriple(buildTriple))
    built = *which;
  else
    consumeError(which.takeError());
  for (const std::string &name : TheSettings.captureTargets) {
    Expected<Target> target = parseTarget(name);
    if (!target) {
      record.notes.push_back("capture for '" + name + "': " + toString(target.takeError()));
      continue;
    }
    if (built == *target)
      continue; // the build's own target, captured already
    const std::string bitcode = Scratch / ("unit" + std::to_string(index) + "-" + name + ".bc");
    std::string errors;
    const int status = runClang(
        Frontend, crossCaptureArguments(TheInvocation, index, bitcode, targetTriple(*target)),
        Scratch / "capture.err", errors);
    if (status != 0) {
      // The source need not compile for another target (inline assembly,
      // a configuration made for the build's): only the capture is lost.
      record.notes.push_back("capture for " + name +
                             ": the frontend failed: " + firstErrorLine(errors));
      continue;
    }
    capture(bitcode, record);
  }
}

bool CompileJob::generate(StringRef bitcodePath, StringRef triple, bool runOz, StringRef object,
                          std::optional<uint64_t> irHash, StringRef pipeline, UnitRecord &record,
                          std::string &problem) {
  std::optional<uint64_t> key = cacheKey(irHash, pipeline, triple, runOz);
  if (key && objects().fetch(*key, object)) {
    record.notes.push_back("object from the cache");
    return true;
  }
  // Written next to the object under a name of its own, then renamed: the
  // object is either clang's whole output or absent, as with clang.
  SmallString<256> temporary;
  sys::fs::createUniquePath(object + "-optlm-%%%%%%%%.o", temporary, /*MakeAbsolute=*/false);
  std::string errors;
  const int status =
      runClang(Codegen, codegenArguments(TheInvocation, bitcodePath, temporary, triple, runOz),
               Scratch / "codegen.err", errors);
  if (status != 0) {
    sys::fs::remove(temporary);
    problem =
        "code generation failed (status " + std::to_string(status) + "): " + firstErrorLine(errors);
    return false;
  }
  if (key)
    objects().store(*key, temporary);
  if (std::error_code error = sys::fs::rename(temporary, object)) {
    sys::fs::remove(temporary);
    problem = "cannot write the object: " + error.message();
    return false;
  }
  return true;
}

bool CompileJob::compileUnit(size_t index) {
  const auto start = std::chrono::steady_clock::now();
  const SourceInput &source = TheInvocation.sources[index];
  const std::string object = objectPath(TheInvocation, index);
  UnitRecord record;
  record.directory = Directory;
  record.source = source.path;
  record.object = object;
  record.mode = modeName(TheSettings.mode).str();
  if (!Scratch.valid())
    return false;

  // 1. The frontend, with the build's arguments: its diagnostics and its
  //    dependency file are what clang's would be.
  const std::string bitcode = Scratch / ("unit" + std::to_string(index) + ".bc");
  std::vector<std::string> arguments = frontendCommand(TheInvocation, index, bitcode);
  std::string diagnostics;
  const int status = runClang(Frontend, arguments, Scratch / "frontend.err", diagnostics);
  if (status != 0) {
    record.how = "error";
    record.reason = firstErrorLine(diagnostics);
    log(record, start);
    return false;
  }
  // Printed once every unit has its object: if clang has to run the command
  // line after all, it prints them itself.
  PendingDiagnostics += diagnostics;

  auto buffer = MemoryBuffer::getFile(bitcode);
  Expected<std::string> triple =
      buffer ? getBitcodeTargetTriple((*buffer)->getMemBufferRef())
             : Expected<std::string>(createStringError("cannot read the frontend's bitcode"));
  std::string tripleText;
  if (triple)
    tripleText = *triple;
  else
    record.notes.push_back(toString(triple.takeError()));

  std::optional<uint64_t> irHash; // set once the module is loaded
  auto finishWithOz = [&](StringRef how, StringRef reason) {
    record.how = how.str();
    if (record.reason.empty())
      record.reason = reason.str();
    record.pipeline = ozPipelineText();
    std::string problem;
    if (tripleText.empty() || !generate(bitcode, tripleText, /*runOz=*/true, object, irHash,
                                        record.pipeline, record, problem)) {
      record.how = "fallback";
      record.reason = problem.empty() ? "no bitcode" : problem;
      log(record, start);
      return false; // clang runs the whole command line
    }
    if (TheSettings.mode == Mode::Tune && irHash && record.how == "oz")
      rememberDecision((*buffer)->getBuffer(), tripleText, /*runOz=*/true, *irHash, record);
    log(record, start);
    return true;
  };

  if (TheSettings.mode == Mode::Capture) {
    capture(bitcode, record);
    captureOtherTargets(index, tripleText, record);
    return finishWithOz("oz", "capture mode");
  }
  if (tripleText.empty())
    return finishWithOz("fallback", "no bitcode");

  // 2. The pipeline, for a target optlm's engine knows.
  auto target = data::targetOfTriple(tripleText);
  if (!target) {
    consumeError(target.takeError());
    return finishWithOz("oz", "target '" + tripleText + "' is not tuned");
  }
  auto moduleTarget = moduleTargetFor(*target);
  if (!moduleTarget)
    return finishWithOz("fallback", toString(moduleTarget.takeError()));
  auto loaded = parseModule((*buffer)->getMemBufferRef(), InputKind::Bitcode, *moduleTarget);
  if (!loaded)
    return finishWithOz("fallback", firstLine(toString(loaded.takeError())));
  // Named by its source, not by the temporary file: the IR hash is the
  // same in every build of the same source with the same flags.
  loaded->module->setModuleIdentifier(source.path);
  // Candidates are measured as the build generates code, and stored under a
  // key that says how.
  const UnitContext unit(*loaded->module, *target, store(record), source.path, CompileAs::Clang);
  const uint64_t hash = unit.moduleHash;
  record.irHash = hashToHex(hash);
  irHash = hash;

  ChooserOptions options;
  options.budget = TheSettings.budget;
  options.forcedPipeline = TheSettings.forcedPipeline;
  if (TheSettings.model != "off")
    options.model = TheSettings.model;
  options.modelCompilations = TheSettings.modelLists;
  options.allChains = TheSettings.allChains;
  options.byParts = TheSettings.byParts;
  PipelineChooser chooser(options, defaultPipelineSources(TheSettings));
  Choice choice = chooser.choose(unit);
  for (std::string &note : choice.notes)
    record.notes.push_back(std::move(note));
  record.size = choice.size;
  record.ozSize = choice.ozSize;
  if (choice.isOz)
    return finishWithOz("oz", choice.how == "store" ? "the store's best is -Oz"
                                                    : "no better verified pipeline known");

  // 3. The chosen pipeline in the sandbox, then clang's code generator.
  record.pipeline = choice.pipeline;
  record.how = choice.how;
  if (std::optional<uint64_t> key = cacheKey(hash, choice.pipeline, tripleText, false);
      key && objects().fetch(*key, object)) {
    record.notes.push_back("object from the cache");
    rememberDecision((*buffer)->getBuffer(), tripleText, /*runOz=*/false, hash, record);
    log(record, start);
    return true;
  }
  const std::string optimized = Scratch / ("unit" + std::to_string(index) + ".opt.bc");
  std::string problem;
  if (Error error = optimizeInSandbox(*loaded->module, choice.pipeline, *target, optimized,
                                      TheSettings.timeout))
    problem = "optimization failed: " + firstLine(toString(std::move(error)));
  else if (generate(optimized, tripleText, /*runOz=*/false, object, hash, choice.pipeline, record,
                    problem)) {
    rememberDecision((*buffer)->getBuffer(), tripleText, /*runOz=*/false, hash, record);
    log(record, start);
    return true;
  }
  // Whatever went wrong is optlm's: the object is clang's -Oz.
  record.reason = problem + " (" + choice.how + " pipeline " + choice.pipeline + ")";
  record.size = record.ozSize;
  return finishWithOz("fallback", record.reason);
}

int runReport(ArrayRef<std::string> arguments) {
  std::string path;
  bool json = false;
  for (const std::string &argument : arguments.drop_front()) {
    if (argument == "--json")
      json = true;
    else if (path.empty() && !StringRef(argument).starts_with("-"))
      path = argument;
    else {
      errs() << "optlm cc: error: unexpected argument '" << argument
             << "' (usage: optlm cc --report LOG [--json])\n";
      return 2;
    }
  }
  if (path.empty())
    path = environmentVariable("OPTLM_CC_LOG").value_or("");
  if (path.empty()) {
    errs() << "optlm cc: error: no build log given (usage: optlm cc --report LOG [--json], or "
              "OPTLM_CC_LOG)\n";
    return 2;
  }
  size_t skipped = 0;
  auto records = readLog(path, skipped);
  if (!records) {
    errs() << "optlm cc: error: " << toString(records.takeError()) << "\n";
    return 2;
  }
  const BuildSummary summary = summarize(*records);
  if (json) {
    outs() << summaryJson(summary) << "\n";
    return 0;
  }
  outs() << "build log " << path << "\n" << summaryText(summary);
  if (skipped)
    outs() << "(" << skipped << " lines of the log did not parse)\n";
  return 0;
}

} // namespace

int runCompilerDriver(Personality personality, ArrayRef<std::string> commandLine) {
  if (!commandLine.empty() && commandLine.front() == "--report")
    return runReport(commandLine);

  std::vector<std::string> arguments(commandLine.begin(), commandLine.end());
  const Settings settings = readSettings(arguments, environmentVariable);
  Expected<ClangProgram> clang = clangFor(personality);
  if (!clang) {
    errs() << "optlm cc: error: " << toString(clang.takeError()) << "\n";
    return 1;
  }
  const Invocation invocation = classify(arguments, personality);

  auto logEach = [&](StringRef how, StringRef reason) {
    logEachUnit(settings.logPath, invocation, modeName(settings.mode), how, reason,
                settings.problems);
  };

  if (invocation.action == Action::PassThrough) {
    logEach("passthrough", invocation.reason);
    return execClang(*clang, arguments);
  }
  std::vector<std::string> ozCommand = arguments;
  ozCommand.push_back("-Oz");
  if (settings.mode == Mode::Oz) {
    logEach("oz", "oz mode");
    return execClang(*clang, ozCommand);
  }

  Expected<ClangProgram> codegen = clangFor(Personality::C);
  if (!codegen) {
    consumeError(codegen.takeError());
    return execClang(*clang, ozCommand);
  }
  bool compiled = true;
  std::string diagnostics;
  {
    // Destroyed before any exec: its scratch folder goes with it.
    CompileJob job(invocation, settings, *clang, *codegen);
    for (size_t index = 0; compiled && index < invocation.sources.size(); ++index)
      compiled = job.compileUnit(index);
    diagnostics = job.pendingDiagnostics();
  }
  if (!compiled)
    // clang runs the whole command line: its diagnostics, its exit status.
    return execClang(*clang, ozCommand);
  errs() << diagnostics;
  errs().flush();
  return 0;
}

} // namespace optlm::cc
