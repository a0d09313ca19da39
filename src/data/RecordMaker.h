//===- RecordMaker.h - the records of one corpus module ----------*- C++ -*-===//
//
// A module of the corpus becomes, in this order:
//   flagtune  one record: the Tuner's best pipeline (searched with the seed,
//             minimized, checked by PassListEval on x86-64), its binary size
//             and the optimized IR;
//   emulate   N records, each a random pipeline of search-space passes
//             (1 to 50 unless asked otherwise) and the IR (or assembly) it
//             produces;
//   disasm    one record: the -Oz module's assembly, and its IR as the label.
// Every record is one JSON line (see docs/formats.md). What a module yields
// depends only on the module, the options and the seed, which is what makes
// a dataset reproducible however it is sharded or distributed.
//
// The module is re-read from its own printed text before anything is done
// with it, so that what is tuned and measured is exactly the IR in the
// prompt (a reader who parses the prompt gets the same use-list order, and
// so the same pass decisions and sizes).
//
// Tuning runs through the engine's sandboxed pool; everything else that
// runs LLVM passes (the random pipelines above all) runs in one forked,
// time- and memory-limited child per module, so a pass that crashes or
// hangs costs that module's records and is reported, not the run.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "data/Corpus.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace optlm::data {

enum class Task { FlagTune, Emulate, Disasm };
llvm::StringRef taskName(Task task); ///< "flagtune", "emulate", "disasm"
/// A comma-separated list in any order; returned in canonical order without
/// repeats. Unknown names are an error that lists the known ones.
llvm::Expected<std::vector<Task>> parseTasks(llvm::StringRef text);

struct RecordOptions {
  std::vector<Task> tasks{Task::FlagTune, Task::Emulate, Task::Disasm};
  uint64_t seed = 0;
  /// Search evaluations per flag-tuning record.
  uint64_t tuneBudget = 200;
  /// Random pipelines (records) per module for emulation.
  unsigned emulateSamples = 1;
  /// The emulation pipelines' length, drawn uniformly in [min, max].
  unsigned emulateMinPasses = 1;
  unsigned emulateMaxPasses = 50;
  /// Let about half of the emulation records (chosen by the seed) ask for
  /// the assembly instead of the IR.
  bool emulateAssembly = true;
  /// Check flag-tuning candidates with PassListEval, for the module's own
  /// target (AArch64 programs run under qemu-user).
  bool verify = true;
  /// Parallel evaluations inside one module's tuning; 0: every core.
  unsigned jobs = 0;
  /// Broadcast (the paper's last labelling step): pipelines that were often
  /// some program's best, tried on every module after its own tuning; the
  /// smallest verified one replaces the tuned label if it is smaller. Empty:
  /// no broadcast. Typically a previous run's manifest popular_pipelines.
  std::vector<std::string> broadcastCandidates;
  /// Results store caching evaluations and verdicts; empty: none.
  std::string storePath;
  /// Limit of the child that makes one module's records.
  std::chrono::seconds moduleTimeout{600};
  /// Token counts of prompts and labels; empty: not counted.
  std::function<uint64_t(llvm::StringRef)> countTokens;
};

/// What one module yielded.
struct ModuleRecords {
  std::vector<std::string> lines; ///< JSON lines, without the newline
  std::map<std::string, uint64_t> recordsByTask;
  /// "task/reason" -> count: what was lost and why.
  std::map<std::string, uint64_t> failures;
  /// The flag-tuning label's pipeline (empty without one): journaled so
  /// that manifests can list the most popular pipelines for broadcast.
  std::string tunedPipeline;
};

class RecordMaker {
public:
  static llvm::Expected<std::unique_ptr<RecordMaker>> create(RecordOptions options);
  ~RecordMaker();

  /// The module's records. An Error means the machinery broke (the store
  /// failed); a module that cannot be loaded, tuned or compiled shows up
  /// in `failures`.
  llvm::Expected<ModuleRecords> make(const Corpus &corpus, const CorpusEntry &entry);

  const RecordOptions &options() const { return Options; }

private:
  struct State;
  explicit RecordMaker(RecordOptions options);
  RecordOptions Options;
  std::unique_ptr<State> Shared;
};

/// The seed a module's work uses: the run's seed mixed with the module name.
uint64_t moduleSeed(uint64_t seed, llvm::StringRef moduleName);

} // namespace optlm::data
