//===- CorpusSources.cpp - what `optlm corpus add` reads ------------------===//
#include "data/CorpusSources.h"

#include "data/CompileCommands.h"
#include "engine/Evaluator.h"
#include "ir/FunctionSplitter.h"
#include "ir/ModuleFacts.h"
#include "ir/ModuleLoader.h"
#include "ir/ModulePartitioner.h"
#include "ir/SourceCompiler.h"
#include "verify/ProgramRunner.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/IR/Verifier.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"

#include <algorithm>

using namespace llvm;

namespace optlm::data {

namespace {

/// The first line of a message: skip reasons are logged one per line.
std::string firstLine(StringRef text) { return text.trim().split('\n').first.str(); }

Error skipInput(Corpus &corpus, StringRef source, StringRef reason, StringRef detail,
                const AddOptions &options, AddSummary &summary) {
  if (options.log)
    *options.log << "skipped " << source << ": " << reason << ": " << firstLine(detail) << "\n";
  return corpus.skip(source, reason, firstLine(detail), summary);
}

Error addParts(Corpus &corpus, Module &module, const Provenance &provenance,
               const AddOptions &options, AddSummary &summary) {
  Expected<PartitionedModule> partition = partitionModule(module, kPartsCorpusMaxParts);
  if (!partition)
    return skipInput(corpus, provenance.source, "partition-failed", toString(partition.takeError()),
                     options, summary);
  for (size_t i = 0; i < partition->parts.size(); ++i) {
    if (!partition->holdsCode(i))
      continue;
    auto added = corpus.add(*partition->parts[i], provenance, summary);
    if (!added)
      return added.takeError();
  }
  return Error::success();
}

Error addModule(Corpus &corpus, Module &module, const Provenance &provenance,
                const AddOptions &options, AddSummary &summary) {
  if (options.perPart)
    return addParts(corpus, module, provenance, options, summary);
  if (!options.perFunction) {
    auto added = corpus.add(module, provenance, summary);
    return added ? Error::success() : added.takeError();
  }
  Expected<SplitModule> split = splitIntoStandaloneFunctions(module);
  if (!split)
    return skipInput(corpus, provenance.source, "split-failed", toString(split.takeError()),
                     options, summary);
  for (std::unique_ptr<Module> &function : split->functions) {
    if (options.maxFunctionInstructions &&
        moduleFacts(*function).instructionCount > options.maxFunctionInstructions) {
      // Counted, not logged: a large package has thousands.
      ++summary.skipped;
      ++summary.skippedByReason["large-function"];
      continue;
    }
    auto added = corpus.add(*function, provenance, summary);
    if (!added)
      return added.takeError();
  }
  return Error::success();
}

Error addModule(Corpus &corpus, Module &module, StringRef source, StringRef license,
                StringRef origin, const AddOptions &options, AddSummary &summary) {
  return addModule(corpus, module, {source.str(), options.package, license.str(), origin.str()},
                   options, summary);
}

bool isSourceExtension(StringRef path) {
  std::optional<InputKind> kind = inputKindOf(path);
  return kind && isSourceKind(*kind);
}

bool isIRExtension(StringRef path) {
  std::optional<InputKind> kind = inputKindOf(path);
  return kind && !isSourceKind(*kind);
}

/// IR inputs keep the target they were written for: retargeting x86-64 IR
/// to AArch64 would keep x86 CPU attributes and intrinsics. IR without a
/// triple is taken for every requested target.
Error addIRFile(Corpus &corpus, StringRef path, const AddOptions &options, AddSummary &summary) {
  bool takenForSomeTarget = false;
  std::string writtenFor;
  for (Target target : options.targets) {
    // Parsed once per target: Corpus::add normalizes the module in place.
    // loadModule with no target keeps the module's own, and verifies it.
    Expected<LoadedModule> loaded = loadModule(path, ModuleTarget{});
    if (!loaded)
      return skipInput(corpus, path, "invalid-ir", toString(loaded.takeError()), options, summary);
    Module *module = loaded->module.get();
    writtenFor = module->getTargetTriple();
    // A triple that differs from optlm's only in its vendor field (Debian's
    // clang-19 writes x86_64-pc-linux-gnu) is the same target.
    if (!writtenFor.empty()) {
      Expected<Target> written = targetOfTriple(writtenFor);
      if (!written) {
        consumeError(written.takeError());
        continue;
      }
      if (*written != target)
        continue;
    }
    auto moduleTarget = moduleTargetFor(target);
    if (!moduleTarget)
      return moduleTarget.takeError();
    retarget(*module, *moduleTarget);
    if (Error error = addModule(corpus, *module, path, options.license, "file", options, summary))
      return error;
    takenForSomeTarget = true;
  }
  if (takenForSomeTarget)
    return Error::success();
  return skipInput(corpus, path, "other-target",
                   "written for '" + writtenFor + "', which --targets does not ask for", options,
                   summary);
}

Error addSourceFile(Corpus &corpus, StringRef path, const AddOptions &options,
                    AddSummary &summary) {
  for (Target target : options.targets) {
    auto loaded = loadModuleFor(path, target);
    if (!loaded)
      return skipInput(corpus, path, "compile-error", toString(loaded.takeError()), options,
                       summary);
    if (Error error =
            addModule(corpus, *loaded->module, path, options.license, "file", options, summary))
      return error;
  }
  return Error::success();
}

Error addFile(Corpus &corpus, StringRef path, const AddOptions &options, AddSummary &summary) {
  if (isSourceExtension(path))
    return addSourceFile(corpus, path, options, summary);
  if (isIRExtension(path))
    return addIRFile(corpus, path, options, summary);
  return skipInput(corpus, path, "unsupported-input", "not a .c, .cc, .cpp, .cxx, .ll or .bc file",
                   options, summary);
}

/// Compiles one C/C++ file with extra arguments in a directory, through a
/// compilation-database-like command, and adds the result.
Error compileAndAdd(Corpus &corpus, const CompileCommand &command, StringRef source,
                    StringRef license, StringRef origin, const AddOptions &options,
                    AddSummary &summary) {
  auto clang = findClang();
  if (!clang)
    return clang.takeError();
  for (Target target : options.targets) {
    SmallString<128> outputPath;
    if (std::error_code error = sys::fs::createTemporaryFile("optlm-corpus", "bc", outputPath))
      return createStringError(error, "cannot create a temporary file: %s",
                               error.message().c_str());
    // Only clang's own limits: a large unit may take minutes and gigabytes.
    verify::RunLimits limits;
    limits.timeout = std::chrono::hours(1);
    limits.memoryBytes = 0;
    limits.outputCapacity = 4096;
    auto run =
        verify::runProgram(*clang, irExtractionArguments(command, targetTriple(target), outputPath),
                           /*stdinPath=*/"", limits, command.directory);
    if (!run) {
      sys::fs::remove(outputPath);
      return skipInput(corpus, source, "compile-error", toString(run.takeError()), options,
                       summary);
    }
    if (run->exitCode != 0) {
      sys::fs::remove(outputPath);
      // clang's first error line says more than how it ended.
      std::string detail = "clang: " + run->endDescription();
      SmallVector<StringRef, 16> lines;
      StringRef(run->errorOutput).split(lines, '\n');
      for (StringRef line : lines)
        if (line.contains("error:")) {
          detail = line.str();
          break;
        }
      if (Error error = skipInput(corpus, source, "compile-error", detail, options, summary))
        return error;
      continue;
    }
    auto buffer = MemoryBuffer::getFile(outputPath);
    sys::fs::remove(outputPath);
    if (!buffer)
      return createStringError(buffer.getError(), "cannot read clang's output");
    auto moduleTarget = moduleTargetFor(target);
    if (!moduleTarget)
      return moduleTarget.takeError();
    auto loaded = parseModule((*buffer)->getMemBufferRef(), InputKind::Bitcode, *moduleTarget);
    if (!loaded) {
      if (Error error = skipInput(corpus, source, "invalid-ir", toString(loaded.takeError()),
                                  options, summary))
        return error;
      continue;
    }
    if (Error error = addModule(corpus, *loaded->module, source, license, origin, options, summary))
      return error;
  }
  return Error::success();
}

} // namespace

Error addPaths(Corpus &corpus, ArrayRef<std::string> paths, const AddOptions &options,
               AddSummary &summary) {
  for (const std::string &path : paths) {
    if (!sys::fs::exists(path)) {
      if (Error error =
              skipInput(corpus, path, "missing-input", "no such file or folder", options, summary))
        return error;
      continue;
    }
    if (!sys::fs::is_directory(path)) {
      if (Error error = addFile(corpus, path, options, summary))
        return error;
      continue;
    }
    std::vector<std::string> files;
    std::error_code walkError;
    for (sys::fs::recursive_directory_iterator it(path, walkError), end; it != end && !walkError;
         it.increment(walkError)) {
      if (it->type() == sys::fs::file_type::regular_file &&
          (isSourceExtension(it->path()) || isIRExtension(it->path())))
        files.push_back(it->path());
    }
    if (walkError)
      return createStringError(walkError, "cannot read folder '%s': %s", path.c_str(),
                               walkError.message().c_str());
    std::sort(files.begin(), files.end());
    for (const std::string &file : files)
      if (Error error = addFile(corpus, file, options, summary))
        return error;
  }
  return Error::success();
}

Error addCompileCommands(Corpus &corpus, StringRef databasePath, const AddOptions &options,
                         AddSummary &summary) {
  auto buffer = MemoryBuffer::getFile(databasePath, /*IsText=*/true);
  if (!buffer)
    return createStringError(buffer.getError(), "cannot read '%s': %s", databasePath.str().c_str(),
                             buffer.getError().message().c_str());
  auto commands = parseCompileCommands((*buffer)->getBuffer());
  if (!commands)
    return createStringError("%s: %s", databasePath.str().c_str(),
                             toString(commands.takeError()).c_str());
  for (const CompileCommand &command : *commands) {
    const std::string source = command.sourcePath();
    if (!isSourceExtension(source)) {
      if (Error error = skipInput(corpus, source, "unsupported-input", "not a C or C++ source",
                                  options, summary))
        return error;
      continue;
    }
    if (Error error = compileAndAdd(corpus, command, source, options.license, "compile-commands",
                                    options, summary))
      return error;
  }
  return Error::success();
}

Error addCorpusEntry(Corpus &corpus, const Corpus &from, const CorpusEntry &entry,
                     const AddOptions &options, AddSummary &summary) {
  Expected<Target> target = targetOfTriple(entry.triple);
  if (!target)
    return skipInput(corpus, entry.source, "other-target", toString(target.takeError()), options,
                     summary);
  if (!is_contained(options.targets, *target))
    return skipInput(corpus, entry.source, "other-target",
                     "written for '" + entry.triple + "', which --targets does not ask for",
                     options, summary);
  auto loaded = from.load(entry);
  if (!loaded)
    return skipInput(corpus, from.pathOf(entry), "invalid-ir", toString(loaded.takeError()),
                     options, summary);
  Provenance provenance{entry.source, options.package.empty() ? entry.package : options.package,
                        options.license == "unknown" ? entry.license : options.license,
                        entry.origin};
  return addModule(corpus, *loaded->module, provenance, options, summary);
}

Error addCorpus(Corpus &corpus, StringRef fromDirectory, const AddOptions &options,
                AddSummary &summary) {
  auto from = Corpus::open(fromDirectory, /*create=*/false);
  if (!from)
    return from.takeError();
  if (sys::fs::equivalent(from->directory(), corpus.directory()))
    return createStringError("cannot add corpus '%s' to itself", fromDirectory.str().c_str());
  for (const CorpusEntry &entry : from->entries())
    if (Error error = addCorpusEntry(corpus, *from, entry, options, summary))
      return error;
  return Error::success();
}

std::vector<std::string> csmithArguments(uint64_t seed, StringRef outputPath) {
  return {"--seed", std::to_string(seed),    "--max-funcs", "3",        "--max-block-depth",
          "3",      "--max-expr-complexity", "5",           "--output", outputPath.str()};
}

Error addCsmith(Corpus &corpus, uint64_t seedBegin, uint64_t seedEnd, const AddOptions &options,
                AddSummary &summary) {
  auto csmith = sys::findProgramByName("csmith");
  if (!csmith)
    return createStringError("csmith is not installed (apt-get install csmith)");
  SmallString<128> workDirectory;
  if (std::error_code error = sys::fs::createUniqueDirectory("optlm-csmith", workDirectory))
    return createStringError(error, "cannot create a temporary folder: %s",
                             error.message().c_str());
  const std::string license = options.license == "unknown" ? "csmith-generated" : options.license;
  Error result = Error::success();
  for (uint64_t seed = seedBegin; seed <= seedEnd; ++seed) {
    const std::string source = "csmith:" + std::to_string(seed);
    SmallString<128> programPath(workDirectory);
    sys::path::append(programPath, "csmith-" + std::to_string(seed) + ".c");
    std::vector<std::string> arguments = csmithArguments(seed, programPath);
    std::vector<StringRef> argv{*csmith};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    std::string message;
    std::optional<StringRef> redirects[] = {StringRef(""), StringRef(""), StringRef("")};
    const int status = sys::ExecuteAndWait(*csmith, argv, std::nullopt, redirects,
                                           /*SecondsToWait=*/60, 0, &message);
    if (status != 0) {
      result = skipInput(corpus, source, "csmith-failed",
                         message.empty() ? "csmith exited with status " + std::to_string(status)
                                         : message,
                         options, summary);
    } else {
      CompileCommand command;
      command.directory = std::string(workDirectory);
      command.file = std::string(programPath);
      command.arguments = {"clang", "-I/usr/include/csmith", "-w", std::string(programPath)};
      result = compileAndAdd(corpus, command, source, license, "csmith", options, summary);
    }
    sys::fs::remove(programPath);
    if (result || seed == seedEnd)
      break;
  }
  sys::fs::remove(workDirectory);
  return result;
}

} // namespace optlm::data
