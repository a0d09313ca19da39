//===- PassListGrammar.h - answers that are valid pass lists --------*- C++ -*-===//
//
// The flag-tuning answer grammar: a flat, comma-separated list of pass names
// from the pass vocabulary, at most maxPasses of them,
//
//     answer := " "? pass ( "," " "? pass )*  ( EOS | "\n" )
//
// so that whatever the model writes parses with Pipeline::parse. The
// language is a character automaton (a trie of pass names plus the
// separators); it is lifted to tokens by walking the automaton together with
// the vocabulary's token texts in sorted order (an implicit token trie), so a
// step visits only tokens that can continue the answer, never the whole
// vocabulary. The allowed-token sets are cached per automaton state, so after
// the first few answers a step is one hash lookup. See docs/generation.md.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/TokenConstraint.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace optlm {
class PassVocabulary;
}

namespace optlm::lm {

class Tokenizer;

/// The names a pass-list answer may use: every hazard-free pass of the
/// vocabulary by its full name, and by its bare name where the vocabulary
/// resolves that too ("instcombine" for "instcombine<no-verify-fixpoint>").
std::vector<std::string> passListNames(const PassVocabulary &vocabulary,
                                       bool includeHazardous = false);

/// The character automaton. States are small values; Dead absorbs.
class PassListAutomaton {
public:
  enum class Phase : uint8_t { BeforeName, BeforeNameNoSpace, InName, Done, Dead };
  struct State {
    Phase phase = Phase::BeforeName;
    int32_t node = 0;   ///< name-trie node (InName)
    int32_t passes = 0; ///< names completed before the current one
  };

  explicit PassListAutomaton(llvm::ArrayRef<std::string> names);

  State start() const { return {}; }
  State step(State state, char c, int maxPasses) const;
  /// The text read so far is a complete answer.
  bool canEnd(State state) const;
  /// Characters after which state is not Dead, ascending.
  llvm::SmallVector<char, 16> viableChars(State state, int maxPasses) const;
  /// True when text (without the EOS) is a complete answer.
  bool accepts(llvm::StringRef text, int maxPasses) const;

private:
  struct Node {
    llvm::SmallVector<std::pair<char, int32_t>, 4> children; ///< sorted by char
    bool terminal = false;
  };
  int32_t child(int32_t node, char c) const;
  std::vector<Node> Nodes;
};

class PassListGrammar : public std::enable_shared_from_this<PassListGrammar> {
public:
  /// Builds the grammar for a tokenizer's vocabulary. names must be
  /// non-empty and free of the separators (',', ' ', '\n').
  static llvm::Expected<std::shared_ptr<PassListGrammar>> create(const Tokenizer &tokenizer,
                                                                 llvm::ArrayRef<std::string> names);

  /// A constraint for one answer of at most maxPasses passes (>= 1).
  std::unique_ptr<TokenConstraint> start(int maxPasses);

  /// The allowed tokens in state (computed by the joint walk; cached).
  llvm::ArrayRef<int32_t> allowedTokens(PassListAutomaton::State state, int maxPasses);
  /// The state after the text of token; Dead when the token leaves the language.
  PassListAutomaton::State advance(PassListAutomaton::State state, int32_t token,
                                   int maxPasses) const;
  const PassListAutomaton &automaton() const { return Automaton; }
  int32_t eosId() const { return EosId; }

  /// Uncached allowed tokens, for measuring and testing the walk.
  std::vector<int32_t> computeAllowedTokens(PassListAutomaton::State state, int maxPasses) const;

private:
  PassListGrammar(const Tokenizer &tokenizer, llvm::ArrayRef<std::string> names);
  void walk(size_t lo, size_t hi, size_t depth, PassListAutomaton::State state, int maxPasses,
            std::vector<int32_t> &out) const;

  PassListAutomaton Automaton;
  int32_t EosId;
  std::vector<std::string> Texts;    ///< per token id
  std::vector<int32_t> SortedByText; ///< token ids with non-empty text
  int MaxCommasPerToken = 0;
  std::mutex CacheMutex;
  /// Lists are never erased, so ArrayRefs into them stay valid.
  llvm::DenseMap<uint64_t, std::unique_ptr<std::vector<int32_t>>> Cache;
};

} // namespace optlm::lm
