//===- QuickDriver.cpp - optlm-cc's launcher: clang without loading LLVM -===//
#include "cc/QuickDriver.h"

#include "cc/BuildLog.h"
#include "cc/ClangProcess.h"
#include "cc/ObjectCache.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;

namespace optlm::cc {

uint64_t unitDecisionKey(const Invocation &invocation, const Settings &settings,
                         StringRef optlmPath, StringRef codegenCompiler, StringRef bitcode) {
  // The target comes from the bitcode, which the key already covers.
  return ObjectCache::decisionKey(
      bitcode, tuneFingerprint(settings), ObjectCache::fileIdentity(optlmPath), codegenCompiler,
      codegenArguments(invocation, "IR", "OBJECT", /*triple=*/"", /*runOz=*/false));
}

std::string runningProgram() {
  static int anchor;
  return sys::fs::getMainExecutable(nullptr, &anchor);
}

namespace {

/// Makes every unit's object from remembered decisions, or nothing: true
/// when all objects are in place and logged.
bool replayUnits(const Invocation &invocation, const Settings &settings, const ClangProgram &clang,
                 const ClangProgram &codegen, StringRef optlmPath, std::string &diagnostics) {
  const ObjectCache objects = ObjectCache::forSettings(settings);
  if (!objects.enabled() || invocation.sources.empty())
    return false;
  ScratchDirectory scratch;
  if (!scratch.valid())
    return false;
  const std::string directory = currentDirectory();
  std::vector<UnitRecord> records;
  for (size_t index = 0; index < invocation.sources.size(); ++index) {
    const auto start = std::chrono::steady_clock::now();
    const std::string bitcode = scratch / ("unit" + std::to_string(index) + ".bc");
    std::string errors;
    if (runClang(clang, frontendCommand(invocation, index, bitcode), scratch / "frontend.err",
                 errors) != 0)
      return false; // optlm cc reports the error as it always does
    auto buffer = MemoryBuffer::getFile(bitcode);
    if (!buffer)
      return false;
    const uint64_t key =
        unitDecisionKey(invocation, settings, optlmPath, codegen.path, (*buffer)->getBuffer());
    std::optional<UnitDecision> decision = objects.findDecision(key);
    const std::string object = objectPath(invocation, index);
    if (!decision || !objects.fetch(decision->objectKey, object))
      return false;
    diagnostics += errors;
    UnitRecord record;
    record.directory = directory;
    record.source = invocation.sources[index].path;
    record.object = object;
    record.mode = modeName(settings.mode).str();
    record.how = decision->how;
    record.pipeline = decision->pipeline;
    record.irHash = decision->irHash;
    record.size = decision->size;
    record.ozSize = decision->ozSize;
    record.notes = settings.problems;
    record.notes.push_back("rebuilt: the decision and the object from the cache");
    record.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    records.push_back(std::move(record));
  }
  if (!settings.logPath.empty())
    for (const UnitRecord &record : records)
      consumeError(appendRecord(settings.logPath, record));
  return true;
}

} // namespace

int runQuickDriver(Personality personality, ArrayRef<std::string> commandLine,
                   StringRef optlmPath) {
  auto handOver = [&] {
    std::vector<std::string> arguments = {personality == Personality::Cxx ? "c++" : "cc"};
    arguments.insert(arguments.end(), commandLine.begin(), commandLine.end());
    return execProgram(optlmPath.str(), "optlm", arguments);
  };
  if (!commandLine.empty() && commandLine.front() == "--report")
    return handOver();

  std::vector<std::string> arguments(commandLine.begin(), commandLine.end());
  const Settings settings = readSettings(arguments, environmentVariable);
  Expected<ClangProgram> clang = clangFor(personality);
  if (!clang) {
    consumeError(clang.takeError());
    return handOver(); // optlm cc says what is missing
  }
  const Invocation invocation = classify(arguments, personality);
  if (invocation.action == Action::PassThrough) {
    logEachUnit(settings.logPath, invocation, modeName(settings.mode), "passthrough",
                invocation.reason, settings.problems);
    return execClang(*clang, arguments);
  }
  if (settings.mode == Mode::Oz) {
    logEachUnit(settings.logPath, invocation, modeName(settings.mode), "oz", "oz mode",
                settings.problems);
    arguments.push_back("-Oz"); // the last -O wins
    return execClang(*clang, arguments);
  }
  if (settings.mode != Mode::Tune)
    return handOver();
  Expected<ClangProgram> codegen = clangFor(Personality::C);
  if (!codegen) {
    consumeError(codegen.takeError());
    return handOver();
  }
  std::string diagnostics;
  if (!replayUnits(invocation, settings, *clang, *codegen, optlmPath, diagnostics))
    return handOver();
  errs() << diagnostics;
  errs().flush();
  return 0;
}

} // namespace optlm::cc
