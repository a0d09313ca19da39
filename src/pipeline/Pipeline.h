//===- Pipeline.h - pass pipelines in canonical form -------------*- C++ -*-===//
//
// A Pipeline is what optlm applies to a module. It is parsed from any of the
// forms people and models write:
//   - new-pass-manager text:  module(function(sroa,instcombine),globaldce)
//   - optimization levels:    default<Oz>, -Oz, Oz, -O0 .. -O3, -Os
//   - flat lists:             -sroa -gvn -licm   or   sroa,gvn,licm
// and it prints in one canonical new-pass-manager text that PassBuilder
// accepts and that parses back to an equal Pipeline. Every pass name is
// checked against a PassVocabulary: unknown passes are an error, never
// something handed to LLVM to guess at.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "pipeline/PassVocabulary.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace llvm {
class PassBuilder;
} // namespace llvm

namespace optlm {

/// The standard optimization levels, as in PassBuilder's default<...>.
enum class OptLevel { O0, O1, O2, O3, Os, Oz };

class Pipeline {
public:
  /// Parses any accepted form. Flat lists are nested by pass level;
  /// nested text is validated pass by pass (adaptor names included).
  static llvm::Expected<Pipeline>
  parse(llvm::StringRef text, const PassVocabulary &vocabulary = PassVocabulary::builtin());

  /// The standard pipeline for an optimization level.
  static Pipeline level(OptLevel level);

  /// A flat sequence of vocabulary passes, nested by level (what search
  /// strategies build).
  static Pipeline fromPasses(llvm::ArrayRef<const PassInfo *> passes);

  /// Canonical new-pass-manager text: always starts with "module(", passes
  /// of the same level that follow each other share one adaptor. For
  /// example  module(function(sroa,loop-mssa(licm)),globaldce,cgscc(inline)).
  /// The empty pipeline prints as "module()".
  std::string text() const;

  /// Adds the passes to `passes` through the caller's `builder` (which
  /// carries the target machine). Unlike handing text() to
  /// PassBuilder::parsePassPipeline, this also works for the empty
  /// pipeline, whose text "module()" LLVM's parser rejects.
  llvm::Error addTo(llvm::PassBuilder &builder, llvm::ModulePassManager &passes) const;

  /// The passes in order of application, without adaptors: what a flat
  /// list of this pipeline would be ("sroa,licm,globaldce,inline").
  std::string flatText() const;

  /// The leaf passes in order (adaptors dropped). Standard levels appear
  /// as a single entry "default<Oz>" etc.
  std::vector<std::string> passNames() const;

  /// Set for pipelines that are exactly a standard level.
  std::optional<OptLevel> standardLevel() const;

  bool empty() const;
  size_t size() const; ///< number of leaf passes

  friend bool operator==(const Pipeline &, const Pipeline &) = default;

  /// One node of the pipeline tree: a leaf pass ("sroa", with its
  /// parameters), or an adaptor ("function", "loop-mssa", ...) with
  /// children. Public so tools can walk the tree; build pipelines with the
  /// factory functions above.
  struct Node {
    std::string name;
    std::vector<Node> children;
    bool isAdaptor = false;
    friend bool operator==(const Node &, const Node &) = default;
  };
  const Node &root() const { return Root; }

private:
  Node Root{"module", {}, true};
};

} // namespace optlm
