//===- BuildSteps.cpp - from IR to a running program, sandboxed ------------===//
#include "verify/BuildSteps.h"
#include "verify/TargetRunner.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"
#include "engine/Evaluator.h"
#include "ir/SourceCompiler.h"
#include "sandbox/ProcessPool.h"
#include "support/AtomicFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace optlm::verify {

namespace {

/// One line of at most `limit` characters, for messages built from tool
/// output.
std::string oneLine(llvm::StringRef text, size_t limit = 240) {
  text = text.trim();
  std::string line = text.split('\n').first.rtrim().str();
  if (line.size() > limit)
    line = line.substr(0, limit) + "...";
  return line;
}

/// Length-prefixed fields: results carry program output, which may be any
/// bytes, so no text format with escaping rules.
std::string encodeFields(llvm::ArrayRef<std::string> fields) {
  std::string encoded;
  for (const std::string &field : fields)
    encoded += std::to_string(field.size()) + ":" + field;
  return encoded;
}

std::optional<std::vector<std::string>> decodeFields(llvm::StringRef encoded) {
  std::vector<std::string> fields;
  while (!encoded.empty()) {
    auto [sizeText, rest] = encoded.split(':');
    size_t size = 0;
    if (sizeText.getAsInteger(10, size) || size > rest.size())
      return std::nullopt;
    fields.push_back(rest.take_front(size).str());
    encoded = rest.drop_front(size);
  }
  return fields;
}

std::string encodeStep(const StepResult &step) {
  return encodeFields({failureName(step.failure).str(), step.message});
}

StepResult decodeStep(llvm::StringRef encoded) {
  std::optional<std::vector<std::string>> fields = decodeFields(encoded);
  if (!fields || fields->size() != 2)
    return {Failure::Fatal, "malformed result from a sandboxed build"};
  std::optional<Failure> failure = failureFromName((*fields)[0]);
  if (!failure)
    return {Failure::Fatal, "malformed result from a sandboxed build"};
  return {*failure, (*fields)[1]};
}

/// A job that ended without its result: the sandbox's view of why.
StepResult stepFromJobEnd(const sandbox::JobOutcome &outcome) {
  std::string message = oneLine(outcome.message);
  switch (outcome.end) {
  case sandbox::JobEnd::Crashed: {
    // LLVM's own crash report names the pass; keep its first line.
    llvm::StringRef stderrText = outcome.capturedStderr;
    size_t at = stderrText.find("Running pass");
    if (at != llvm::StringRef::npos)
      message += " (" + oneLine(stderrText.substr(at), 160) + ")";
    return {Failure::Crash, message};
  }
  case sandbox::JobEnd::Fatal:
    return {Failure::Fatal, message};
  case sandbox::JobEnd::TimedOut:
    return {Failure::Timeout, message};
  case sandbox::JobEnd::OutOfMemory:
    return {Failure::OutOfMemory, message};
  case sandbox::JobEnd::Failed:
  case sandbox::JobEnd::Finished:
    break;
  }
  return {Failure::Fatal, message.empty() ? "the sandboxed child ended without a result" : message};
}

Failure failureFromOutcome(Outcome outcome) {
  switch (outcome) {
  case Outcome::InvalidPipeline:
    return Failure::InvalidPipeline;
  case Outcome::InvalidIR:
    return Failure::InvalidIR;
  case Outcome::Crash:
    return Failure::Crash;
  case Outcome::Timeout:
    return Failure::Timeout;
  case Outcome::OutOfMemory:
    return Failure::OutOfMemory;
  case Outcome::Fatal:
  case Outcome::Ok:
    break;
  }
  return Failure::Fatal;
}

sandbox::Limits compileLimits(const BuildLimits &limits) {
  sandbox::Limits sandboxLimits;
  sandboxLimits.timeout = limits.compileTimeout;
  sandboxLimits.memoryHeadroomBytes = limits.compileMemoryHeadroomBytes;
  return sandboxLimits;
}

} // namespace

std::vector<std::string> compileSources(llvm::ArrayRef<SourceJob> jobs, Target target,
                                        const BuildLimits &limits) {
  sandbox::Limits sandboxLimits;
  // clang has its own time limit inside sourceToBitcode; this one only
  // keeps a stuck child from holding the run.
  sandboxLimits.timeout = limits.compileTimeout + std::chrono::minutes(2);
  sandbox::ProcessPool pool(limits.jobs, sandboxLimits);
  std::vector<sandbox::JobOutcome> outcomes =
      pool.run(jobs.size(), [&](size_t index, sandbox::ChildChannel &) -> std::string {
        llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> bitcode =
            sourceToBitcode(jobs[index].sourcePath, targetTriple(target));
        if (!bitcode)
          return oneLine(llvm::toString(bitcode.takeError()));
        if (llvm::Error error =
                writeFileAtomically(jobs[index].bitcodePath, (*bitcode)->getBuffer()))
          return oneLine(llvm::toString(std::move(error)));
        return "";
      });
  std::vector<std::string> messages;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].end == sandbox::JobEnd::Finished)
      messages.push_back(outcomes[i].result);
    else
      messages.push_back("compiling '" + jobs[i].sourcePath +
                         "' ended: " + sandbox::jobEndName(outcomes[i].end).str() + " " +
                         oneLine(outcomes[i].message));
  }
  return messages;
}

std::vector<StepResult> buildObjects(llvm::ArrayRef<ObjectJob> jobs, Target target,
                                     const BuildLimits &limits) {
  // Registered in the parent once, inherited by every child.
  initializeCodegenTargets();
  sandbox::ProcessPool pool(limits.jobs, compileLimits(limits));
  std::vector<sandbox::JobOutcome> outcomes =
      pool.run(jobs.size(), [&](size_t index, sandbox::ChildChannel &) -> std::string {
        const ObjectJob &job = jobs[index];
        llvm::Expected<OptimizedModule> optimized =
            optimizeModule(*job.module, *job.pipeline, target);
        if (!optimized) {
          StepResult step{Failure::Fatal, ""};
          llvm::handleAllErrors(
              optimized.takeError(),
              [&](const EvaluationError &error) {
                step = {failureFromOutcome(error.outcome()), oneLine(error.detail())};
              },
              [&](const llvm::ErrorInfoBase &error) { step.message = oneLine(error.message()); });
          return encodeStep(step);
        }
        llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
            createCodegenTargetMachine(targetTriple(target));
        if (!machine)
          return encodeStep({Failure::Fatal, oneLine(llvm::toString(machine.takeError()))});
        llvm::Expected<llvm::SmallVector<char, 0>> object =
            emitObject(*optimized->module, **machine);
        if (!object)
          return encodeStep({Failure::CodegenError, oneLine(llvm::toString(object.takeError()))});
        if (llvm::Error error = writeFileAtomically(
                job.objectPath, llvm::StringRef(object->data(), object->size())))
          return encodeStep({Failure::Fatal, oneLine(llvm::toString(std::move(error)))});
        return encodeStep({Failure::None, ""});
      });
  std::vector<StepResult> results;
  for (const sandbox::JobOutcome &outcome : outcomes)
    results.push_back(outcome.end == sandbox::JobEnd::Finished ? decodeStep(outcome.result)
                                                               : stepFromJobEnd(outcome));
  return results;
}

std::vector<std::string> linkArguments(llvm::StringRef objectPath, llvm::StringRef executablePath,
                                       Target target, llvm::ArrayRef<std::string> extra) {
  // The objects use the static relocation model llc-19 defaults to, which
  // Debian's clang cannot link into its default position-independent
  // executables.
  std::vector<std::string> arguments{"--target=" + targetTriple(target).str(),
                                     "-no-pie",
                                     objectPath.str(),
                                     "-o",
                                     executablePath.str(),
                                     "-lm"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  return arguments;
}

/// The emulator's arguments, then the program and its own.
static std::vector<std::string> emulatedArguments(const TargetRunner &runner, const ExecJob &job) {
  std::vector<std::string> arguments = runner.emulatorArguments;
  arguments.push_back(job.executablePath);
  arguments.insert(arguments.end(), job.arguments.begin(), job.arguments.end());
  return arguments;
}

std::vector<ExecResult> linkAndRun(llvm::ArrayRef<ExecJob> jobs, Target target,
                                   const BuildLimits &limits) {
  std::vector<ExecResult> results(jobs.size());
  llvm::Expected<std::string> clang = findClang();
  if (!clang) {
    std::string message = oneLine(llvm::toString(clang.takeError()));
    for (ExecResult &result : results)
      result.link = {Failure::LinkError, message};
    return results;
  }
  sandbox::Limits sandboxLimits;
  // The link and the run have their own limits in the child; this one is
  // the backstop.
  sandboxLimits.timeout = limits.linkTimeout + limits.run.timeout + std::chrono::seconds(30);
  sandboxLimits.memoryHeadroomBytes = 0;
  sandboxLimits.maxFrameBytes = 4 * limits.run.outputCapacity + (1 << 20);
  sandbox::ProcessPool pool(limits.jobs, sandboxLimits);
  // Whether the target can run here was checked when verification was set
  // up; a runner that is missing now only makes the runs fail.
  llvm::Expected<TargetRunner> runner = targetRunner(target);
  if (!runner)
    llvm::consumeError(runner.takeError());
  std::vector<sandbox::JobOutcome> outcomes =
      pool.run(jobs.size(), [&](size_t index, sandbox::ChildChannel &) -> std::string {
        const ExecJob &job = jobs[index];
        RunLimits linkLimits;
        linkLimits.timeout = limits.linkTimeout;
        linkLimits.memoryBytes = 0;
        llvm::Expected<RunResult> linked =
            runProgram(*clang,
                       linkArguments(job.objectPath, job.executablePath, target,
                                     runner ? llvm::ArrayRef<std::string>(runner->linkArguments)
                                            : llvm::ArrayRef<std::string>()),
                       "", linkLimits);
        if (!linked)
          return encodeFields({"link", oneLine(llvm::toString(linked.takeError()))});
        if (!linked->exitedNormally() || linked->exitCode != 0) {
          llvm::StringRef diagnostics = linked->errorOutput;
          size_t at = diagnostics.find("error:");
          std::string message = "clang-19 " + linked->endDescription();
          if (at != llvm::StringRef::npos)
            message += ": " + oneLine(diagnostics.substr(at));
          else if (!diagnostics.trim().empty())
            message += ": " + oneLine(diagnostics);
          return encodeFields({"link", message});
        }
        llvm::Expected<RunResult> run =
            runner && runner->emulated()
                ? runProgram(runner->emulator, emulatedArguments(*runner, job), job.stdinPath,
                             limits.run)
                : runProgram(job.executablePath, job.arguments, job.stdinPath, limits.run);
        llvm::sys::fs::remove(job.executablePath);
        if (!run)
          return encodeFields({"link", oneLine(llvm::toString(run.takeError()))});
        return encodeFields({"run", run->timedOut ? "1" : "0", std::to_string(run->signal),
                             std::to_string(run->exitCode), run->output,
                             run->outputTruncated ? "1" : "0", run->errorOutput,
                             std::to_string(run->wallTime.count())});
      });
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ExecResult &result = results[i];
    if (outcomes[i].end != sandbox::JobEnd::Finished) {
      result.link = {Failure::LinkError,
                     "linking and running ended: " + sandbox::jobEndName(outcomes[i].end).str() +
                         " " + oneLine(outcomes[i].message)};
      continue;
    }
    std::optional<std::vector<std::string>> fields = decodeFields(outcomes[i].result);
    if (fields && fields->size() == 2 && (*fields)[0] == "link") {
      result.link = {Failure::LinkError, (*fields)[1]};
      continue;
    }
    if (!fields || fields->size() != 8 || (*fields)[0] != "run") {
      result.link = {Failure::LinkError, "malformed result from a sandboxed run"};
      continue;
    }
    const std::vector<std::string> &f = *fields;
    RunResult &run = result.run;
    run.timedOut = f[1] == "1";
    llvm::StringRef(f[2]).getAsInteger(10, run.signal);
    llvm::StringRef(f[3]).getAsInteger(10, run.exitCode);
    run.output = f[4];
    run.outputTruncated = f[5] == "1";
    run.errorOutput = f[6];
    int64_t micros = 0;
    llvm::StringRef(f[7]).getAsInteger(10, micros);
    run.wallTime = std::chrono::microseconds(micros);
  }
  return results;
}

std::string describeDifference(llvm::StringRef expected, llvm::StringRef actual) {
  if (actual.empty())
    return "no output (expected " + std::to_string(expected.size()) + " bytes)";
  size_t line = 1;
  size_t at = 0;
  while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) {
    if (expected[at] == '\n')
      ++line;
    ++at;
  }
  // The common prefix is the same in both: the differing line starts after
  // its last newline.
  size_t newline = expected.take_front(at).rfind('\n');
  size_t begin = newline == llvm::StringRef::npos ? 0 : newline + 1;
  auto lineAround = [&](llvm::StringRef text) {
    llvm::StringRef rest = text.substr(begin);
    if (rest.empty())
      return std::string("(end of output)");
    std::string shown;
    for (char c : rest.split('\n').first.take_front(60))
      shown += llvm::isPrint(c) ? std::string(1, c) : "\\x" + llvm::utohexstr(uint8_t(c), true, 2);
    return "\"" + shown + "\"";
  };
  return "line " + std::to_string(line) + ": got " + lineAround(actual) + ", expected " +
         lineAround(expected);
}

StepResult compareRuns(const RunResult &reference, const RunResult &candidate) {
  if (candidate.timedOut)
    return {Failure::RunTimeout, "did not end within the run time limit (the reference took " +
                                     std::to_string(reference.wallTime.count() / 1000) + " ms)"};
  if (candidate.signal != 0 && candidate.signal != reference.signal)
    return {Failure::RunCrash,
            "ended by " + candidate.endDescription() + ", reference " + reference.endDescription()};
  if (candidate.output != reference.output ||
      candidate.outputTruncated != reference.outputTruncated)
    return {Failure::WrongOutput, describeDifference(reference.output, candidate.output) + " (" +
                                      candidate.endDescription() + ", reference " +
                                      reference.endDescription() + ")"};
  if (candidate.exitCode != reference.exitCode || candidate.signal != reference.signal)
    return {Failure::WrongExitCode,
            candidate.endDescription() + ", reference " + reference.endDescription()};
  return {Failure::None, ""};
}

} // namespace optlm::verify
