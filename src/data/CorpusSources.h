//===- CorpusSources.h - what `optlm corpus add` reads -----------*- C++ -*-===//
//
// Four ways into a corpus. The first three compile as LLM Compiler's inputs
// were compiled (clang-19 -Oz -Xclang -disable-llvm-passes) for every
// requested target:
//   - files and folders: .c .cc .cpp .cxx .ll .bc (folders are walked
//     recursively in name order; other files in them are ignored);
//   - a compilation database (see CompileCommands.h);
//   - csmith, one program per seed, kept small so that a program and its
//     optimized form fit the models' 16k-token context;
//   - another corpus (one that `optlm cc` captured into, say), whose modules
//     keep their source and origin.
// With perFunction, every defined function of an input becomes a module of
// its own that declares only what it uses (ir/FunctionSplitter.h): small
// inputs for the language-model tasks, each keeping its input's source and
// package, so that splits keep the functions of a file together.
// With perPart, every input becomes its parts that hold code, cut as
// `optlm tune` cut units when the parts labels were made
// (ir/ModulePartitioner.h, at most kPartsCorpusMaxParts): what a
// flag-tuning search labels when its lists are for parts.
// Inputs that do not compile are skipped and logged (Corpus::skip); only a
// corpus that cannot be written is an Error.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "data/Corpus.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace optlm::data {

/// The part count a parts corpus gathers a unit's groups into: a part's name
/// is its content's hash, and the parts labels of
/// data/labels/debian-x86_64-parts name parts cut this way. `optlm tune` now
/// cuts into more (kDefaultMaxParts); a corpus of its parts would name other
/// modules for every unit of more than 8 groups, and those labels would
/// apply to none of them.
inline constexpr size_t kPartsCorpusMaxParts = 8;

struct AddOptions {
  std::vector<Target> targets{Target::X86_64};
  /// Recorded with every module; csmith's default is "csmith-generated".
  std::string license = "unknown";
  /// Recorded with every module (a Debian source package, say); may be empty.
  std::string package;
  /// Add each defined function as a standalone module instead of the input.
  bool perFunction = false;
  /// With perFunction: functions of more IR instructions are left out and
  /// counted as skipped ("large-function"); 0: no limit.
  uint64_t maxFunctionInstructions = 0;
  /// Add the parts of each input that hold code instead of the input (not
  /// with perFunction). An input of one such part is added whole.
  bool perPart = false;
  /// Where "skipped FILE: reason" lines go (one per skipped input).
  llvm::raw_ostream *log = nullptr;
};

llvm::Error addPaths(Corpus &corpus, llvm::ArrayRef<std::string> paths, const AddOptions &options,
                     AddSummary &summary);

llvm::Error addCompileCommands(Corpus &corpus, llvm::StringRef databasePath,
                               const AddOptions &options, AddSummary &summary);

/// Seeds begin..end, end included.
llvm::Error addCsmith(Corpus &corpus, uint64_t seedBegin, uint64_t seedEnd,
                      const AddOptions &options, AddSummary &summary);

/// Merges the modules of the corpus in `fromDirectory` whose target is one
/// of `options.targets`, keeping each one's source and origin. Package and
/// license are the entry's own unless `options` names them. So a package
/// built in capture mode into a folder of its own joins the main corpus only
/// once its build has succeeded.
llvm::Error addCorpus(Corpus &corpus, llvm::StringRef fromDirectory, const AddOptions &options,
                      AddSummary &summary);
/// One entry of another corpus, as addCorpus adds each.
llvm::Error addCorpusEntry(Corpus &corpus, const Corpus &from, const CorpusEntry &entry,
                           const AddOptions &options, AddSummary &summary);

/// The csmith options optlm generates with (small programs).
std::vector<std::string> csmithArguments(uint64_t seed, llvm::StringRef outputPath);

} // namespace optlm::data
