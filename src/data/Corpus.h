//===- Corpus.h - a content-addressed folder of normalized modules -*- C++ -*-===//
//
// A corpus is a folder:
//   modules/<name>.bc   one normalized module (see IRNormalizer.h), named by
//                       the hash of its IR text
//   index.jsonl         one line per module: name, file, target triple,
//                       source, package, license, origin, instruction count
//   skipped.jsonl       one line per input that could not be added, with
//                       the reason
// Two inputs whose normalized IR is equal are one module: the second is
// counted as a duplicate and not stored. Lines are appended, so a corpus
// grows by repeated `optlm corpus add`.
//
// Several processes may add to one corpus at once (the compilers of a
// `make -j` build in `optlm cc`'s capture mode): add() and skip() hold an
// exclusive flock on index.lock while they read the lines others appended
// since this process last looked, decide whether the module is new, rename
// its file (written under a name of this process's own) into place and
// append its line. A reader never sees an index line whose module file is
// not complete.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"
#include "ir/ModuleLoader.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace optlm::data {

struct CorpusEntry {
  std::string name;   ///< 16 hex digits of the normalized IR's hash
  std::string file;   ///< relative to the corpus folder: modules/<name>.bc
  std::string triple; ///< the module's target triple
  /// Where the module came from: a path, "csmith:SEED", or the source file
  /// of a compile_commands.json entry. Splits keep one source in one split.
  std::string source;
  /// The package or project the source belongs to (a Debian source package,
  /// say); empty when not given. Splits by package keep one package's
  /// modules in one split.
  std::string package;
  std::string license;
  std::string origin; ///< "file", "compile-commands" or "csmith"
  uint64_t instructionCount = 0;
  uint64_t functionCount = 0;
};

/// The entry as one line of the corpus index (JSON, no newline): what
/// `optlm corpus list --json` prints.
std::string indexLine(const CorpusEntry &entry);

/// Where an added module came from, recorded in its index line.
struct Provenance {
  std::string source;
  std::string package;
  std::string license;
  std::string origin;
};

/// What one `corpus add` did.
struct AddSummary {
  uint64_t added = 0;
  uint64_t duplicates = 0;
  uint64_t skipped = 0;
  std::map<std::string, uint64_t> skippedByReason;
};

class Corpus {
public:
  /// Opens the corpus in `directory`, creating the folder when `create` is
  /// set. A malformed index line is an error naming the line.
  static llvm::Expected<Corpus> open(llvm::StringRef directory, bool create);

  const std::string &directory() const { return Directory; }
  /// In the order they were added.
  llvm::ArrayRef<CorpusEntry> entries() const { return Entries; }

  /// Normalizes the module (in place) and stores it unless an equal one is
  /// there. Returns true when it was added, false for a duplicate.
  llvm::Expected<bool> add(llvm::Module &module, const Provenance &provenance, AddSummary &summary);

  /// Logs an input that was not added. `reason` is a short category
  /// ("compile-error", "unsupported-input", ...) that summaries count;
  /// `detail` is the one-line message.
  llvm::Error skip(llvm::StringRef source, llvm::StringRef reason, llvm::StringRef detail,
                   AddSummary &summary);

  std::string pathOf(const CorpusEntry &entry) const;

  /// Loads an entry's module into a fresh context.
  llvm::Expected<LoadedModule> load(const CorpusEntry &entry) const;

  /// The module as a prompt shows it, and as everything that tunes or
  /// measures it must see it: its normalized text (`promptIR`) parsed back,
  /// so that a reader of the prompt gets the same use-list order, the same
  /// pass decisions, sizes and module hash.
  struct PromptedModule {
    std::string promptIR;
    LoadedModule module;
  };
  llvm::Expected<PromptedModule> loadAsPrompted(const CorpusEntry &entry) const;

private:
  /// Reads the index lines appended since the last read (the caller holds
  /// the lock, or nobody else writes).
  llvm::Error readIndex();

  std::string Directory;
  std::vector<CorpusEntry> Entries;
  llvm::StringSet<> Names;
  /// How much of index.jsonl Entries reflects.
  uint64_t IndexBytesRead = 0;
  size_t IndexLinesRead = 0;
};

/// The Target of a supported triple. The vendor field does not matter:
/// Debian's clang-19 writes x86_64-pc-linux-gnu, optlm x86_64-unknown-linux-gnu,
/// and both are the same target.
llvm::Expected<Target> targetOfTriple(llvm::StringRef triple);

} // namespace optlm::data
