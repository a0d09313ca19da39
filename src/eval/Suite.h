//===- Suite.h - what optlm eval runs over -----------------------*- C++ -*-===//
//
// A suite is either
//   - a directory of programs (.c .cc .cpp .ll .bc, like examples/programs):
//     every program is an item of every task. Flag tuning tunes the
//     program's unoptimized module; disassembly starts from the assembly
//     of its -Oz build, whose IR is the true answer; emulation applies a
//     pipeline drawn from the search space with a seed derived from the
//     suite seed and the program's name;
//   - a dataset split from the factory (a .jsonl file, one record per
//     line, docs/formats.md): each record is an item of its own task, with
//     its prompt's code as input and its label as the truth (the oracle's
//     answer).
// Items are listed in a stable order (sorted file names, file order), and
// keyed by "task/id" in the journal.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "data/Prompts.h"
#include "engine/Evaluation.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optlm::eval {

enum class Task { FlagTune, Disasm, Emulate };
llvm::StringRef taskName(Task task); ///< "flagtune", "disasm", "emulate"
/// A comma-separated list; unknown names are an error naming the known ones.
llvm::Expected<std::vector<Task>> parseTaskList(llvm::StringRef text);

struct SuiteItem {
  std::string id; ///< program file name or record id
  Task task = Task::FlagTune;
  Target target = Target::X86_64;
  /// Directory suites: the program file. Dataset suites: empty.
  std::string path;
  /// Dataset suites: the input code from the prompt (IR, or assembly for
  /// disassembly).
  std::string input;
  /// Flag tuning: the label's pipeline (dataset suites).
  std::string labelPipeline;
  std::optional<uint64_t> labelBinarySize;
  /// Emulation: the pipeline and what is asked for.
  std::string pipeline;
  data::EmulationOutput output = data::EmulationOutput::IR;
  /// Disassembly and emulation: the true answer (dataset suites).
  std::string reference;

  std::string key() const; ///< "task/id"
};

struct SuiteOptions {
  std::vector<Task> tasks{Task::FlagTune, Task::Disasm, Task::Emulate};
  Target target = Target::X86_64;
  uint64_t seed = 0;
  /// At most this many items per task; 0: all.
  size_t limit = 0;
};

/// Lists a directory or reads a .jsonl split. Malformed records are an
/// error naming the line.
llvm::Expected<std::vector<SuiteItem>> loadSuite(llvm::StringRef path, const SuiteOptions &options);

/// The emulation pipeline of a directory suite's program: 1 to 12 passes of
/// the search space, drawn with a seed mixed from `seed` and the name.
std::string emulationPipelineFor(llvm::StringRef name, uint64_t seed);

} // namespace optlm::eval
