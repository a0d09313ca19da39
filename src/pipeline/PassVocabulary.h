//===- PassVocabulary.h - the LLVM 19 passes optlm accepts -------*- C++ -*-===//
//
// The vocabulary is data, not code: data/passes.tsv lists every LLVM 19
// transform pass optlm accepts, the pass-manager level it runs at, whether it
// belongs to the default search space, and what is known to go wrong with it.
// The file is embedded into the library at build time, so the tool needs no
// data files at run time; PassVocabulary::parse reads any other such file.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace optlm {

/// The pass manager a pass runs under. A flat list of passes is nested into
/// adaptors by these levels: function passes under function(...), loop
/// passes under loop(...) or loop-mssa(...), CGSCC passes under cgscc(...).
enum class PassLevel { Module, CGSCC, Function, Loop, LoopMSSA };

/// What is known to go wrong with a pass in Debian's LLVM 19 (no assertions).
/// Hazardous passes are never in the default search space.
enum class PassHazard {
  None,
  Crashes,     ///< segfaults or calls report_fatal_error on some inputs
  Hangs,       ///< runs without end on some inputs
  Miscompiles, ///< changes program behaviour on some inputs
};

struct PassInfo {
  /// The name as PassBuilder parses it, parameters included
  /// (for example "instcombine<no-verify-fixpoint>" or "simplifycfg").
  std::string name;
  PassLevel level;
  bool inSearchSpace;
  PassHazard hazard;
  /// Why the pass is flagged or excluded; empty when nothing is known.
  std::string note;
};

class PassVocabulary {
public:
  /// The vocabulary built into optlm from data/passes.tsv.
  static const PassVocabulary &builtin();

  /// Reads a vocabulary in the format of data/passes.tsv.
  static llvm::Expected<PassVocabulary> parse(llvm::StringRef text);

  /// Finds a pass by name. Also accepts the names models and users write
  /// for a pass whose vocabulary entry carries parameters: "instcombine"
  /// finds "instcombine<no-verify-fixpoint>". Returns nullptr if unknown.
  const PassInfo *lookup(llvm::StringRef name) const;

  llvm::ArrayRef<PassInfo> passes() const { return Passes; }

  /// The passes random search draws from: every pass marked for the search
  /// space, in file order.
  std::vector<const PassInfo *> searchSpace() const;

private:
  std::vector<PassInfo> Passes;
};

llvm::StringRef passLevelName(PassLevel level);
/// The level a name denotes ("module", "cgscc", "function", "loop",
/// "loop-mssa"): the vocabulary's level column and the adaptor names alike.
std::optional<PassLevel> passLevelFromName(llvm::StringRef name);
llvm::StringRef passHazardName(PassHazard hazard);

} // namespace optlm
