//===- PassListGrammar.cpp - the pass-list answer automaton ----------------===//
#include "lm/generate/PassListGrammar.h"

#include "lm/generate/Tokenizer.h"
#include "pipeline/PassVocabulary.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>

using namespace llvm;

namespace optlm::lm {

using Phase = PassListAutomaton::Phase;
using State = PassListAutomaton::State;

std::vector<std::string> passListNames(const PassVocabulary &vocabulary, bool includeHazardous) {
  StringSet<> seen;
  std::vector<std::string> names;
  for (const PassInfo &pass : vocabulary.passes()) {
    if (pass.hazard != PassHazard::None && !includeHazardous)
      continue;
    StringRef bare = StringRef(pass.name).split('<').first;
    for (StringRef name : {StringRef(pass.name), bare}) {
      // A bare name counts only where the vocabulary resolves it to this
      // very pass (so "loop-unroll" stays the plain pass, not loop-unroll<O3>).
      if (name == bare && name != pass.name && vocabulary.lookup(name) != &pass)
        continue;
      if (seen.insert(name).second)
        names.push_back(name.str());
    }
  }
  return names;
}

// --- the character automaton ----------------------------------------------

PassListAutomaton::PassListAutomaton(ArrayRef<std::string> names) {
  Nodes.emplace_back();
  for (const std::string &name : names) {
    int32_t node = 0;
    for (char c : name) {
      int32_t next = child(node, c);
      if (next < 0) {
        next = static_cast<int32_t>(Nodes.size());
        Nodes.emplace_back();
        auto &children = Nodes[node].children;
        auto at =
            llvm::lower_bound(children, c, [](const std::pair<char, int32_t> &entry, char key) {
              return entry.first < key;
            });
        children.insert(at, {c, next});
      }
      node = next;
    }
    Nodes[node].terminal = true;
  }
}

int32_t PassListAutomaton::child(int32_t node, char c) const {
  for (const auto &[label, next] : Nodes[node].children)
    if (label == c)
      return next;
  return -1;
}

State PassListAutomaton::step(State state, char c, int maxPasses) const {
  const State dead{Phase::Dead, 0, state.passes};
  switch (state.phase) {
  case Phase::BeforeName:
    if (c == ' ')
      return {Phase::BeforeNameNoSpace, 0, state.passes};
    [[fallthrough]];
  case Phase::BeforeNameNoSpace: {
    int32_t next = child(0, c);
    return next < 0 ? dead : State{Phase::InName, next, state.passes};
  }
  case Phase::InName: {
    int32_t next = child(state.node, c);
    if (next >= 0)
      return {Phase::InName, next, state.passes};
    if (!Nodes[state.node].terminal)
      return dead;
    if (c == ',' && state.passes + 1 < maxPasses)
      return {Phase::BeforeName, 0, state.passes + 1};
    if (c == '\n')
      return {Phase::Done, 0, state.passes + 1};
    return dead;
  }
  case Phase::Done:
  case Phase::Dead:
    return dead;
  }
  return dead;
}

bool PassListAutomaton::canEnd(State state) const {
  return state.phase == Phase::InName && Nodes[state.node].terminal;
}

SmallVector<char, 16> PassListAutomaton::viableChars(State state, int maxPasses) const {
  SmallVector<char, 16> chars;
  auto addChildren = [&](int32_t node) {
    for (const auto &entry : Nodes[node].children)
      chars.push_back(entry.first);
  };
  switch (state.phase) {
  case Phase::BeforeName:
    chars.push_back(' ');
    addChildren(0);
    break;
  case Phase::BeforeNameNoSpace:
    addChildren(0);
    break;
  case Phase::InName:
    addChildren(state.node);
    if (Nodes[state.node].terminal) {
      chars.push_back('\n');
      if (state.passes + 1 < maxPasses)
        chars.push_back(',');
    }
    break;
  case Phase::Done:
  case Phase::Dead:
    break;
  }
  // In the order std::string sorts token texts: as unsigned bytes.
  llvm::sort(chars, [](char a, char b) {
    return static_cast<unsigned char>(a) < static_cast<unsigned char>(b);
  });
  chars.erase(std::unique(chars.begin(), chars.end()), chars.end());
  return chars;
}

bool PassListAutomaton::accepts(StringRef text, int maxPasses) const {
  State state = start();
  for (char c : text)
    state = step(state, c, maxPasses);
  return canEnd(state);
}

// --- tokens -----------------------------------------------------------------

namespace {
class PassListConstraint : public TokenConstraint {
public:
  PassListConstraint(std::shared_ptr<PassListGrammar> grammar, int maxPasses)
      : Grammar(std::move(grammar)), MaxPasses(maxPasses), TheState(Grammar->automaton().start()) {}

  ArrayRef<int32_t> allowedTokens() override {
    if (TheState.phase == Phase::Dead || TheState.phase == Phase::Done)
      return {};
    return Grammar->allowedTokens(TheState, MaxPasses);
  }

  void accept(int32_t token) override { TheState = Grammar->advance(TheState, token, MaxPasses); }

  bool mustEnd() override {
    if (TheState.phase == Phase::Dead || TheState.phase == Phase::Done)
      return true;
    ArrayRef<int32_t> allowed = allowedTokens();
    if (allowed.empty())
      return true;
    // Only EOS, or only EOS and the newline that also ends the answer.
    for (int32_t token : allowed) {
      if (token == Grammar->eosId())
        continue;
      if (Grammar->advance(TheState, token, MaxPasses).phase != Phase::Done)
        return false;
    }
    return true;
  }

private:
  std::shared_ptr<PassListGrammar> Grammar;
  int MaxPasses;
  State TheState;
};
} // namespace

PassListGrammar::PassListGrammar(const Tokenizer &tokenizer, ArrayRef<std::string> names)
    : Automaton(names), EosId(tokenizer.eosId()) {
  Texts.reserve(tokenizer.size());
  for (int32_t id = 0; id < tokenizer.size(); ++id) {
    Texts.push_back(tokenizer.tokenText(id).str());
    if (!Texts.back().empty())
      SortedByText.push_back(id);
    MaxCommasPerToken = std::max<int>(MaxCommasPerToken, llvm::count(Texts.back(), ','));
  }
  // Sorting by text, ties by id, makes the token list an implicit trie:
  // the tokens sharing a prefix are one contiguous range.
  llvm::sort(SortedByText, [&](int32_t a, int32_t b) {
    return Texts[a] != Texts[b] ? Texts[a] < Texts[b] : a < b;
  });
}

Expected<std::shared_ptr<PassListGrammar>> PassListGrammar::create(const Tokenizer &tokenizer,
                                                                   ArrayRef<std::string> names) {
  if (names.empty())
    return createStringError(inconvertibleErrorCode(), "pass-list grammar: no pass names");
  for (const std::string &name : names)
    if (name.empty() || name.find_first_of(", \n") != std::string::npos)
      return createStringError(inconvertibleErrorCode(),
                               "pass-list grammar: '" + name + "' is not a pass name");
  if (tokenizer.eosId() < 0)
    return createStringError(inconvertibleErrorCode(),
                             "pass-list grammar: the vocabulary has no EOS token");
  return std::shared_ptr<PassListGrammar>(new PassListGrammar(tokenizer, names));
}

std::unique_ptr<TokenConstraint> PassListGrammar::start(int maxPasses) {
  return std::make_unique<PassListConstraint>(shared_from_this(), std::max(1, maxPasses));
}

State PassListGrammar::advance(State state, int32_t token, int maxPasses) const {
  if (token == EosId || token < 0 || static_cast<size_t>(token) >= Texts.size() ||
      Texts[token].empty())
    return {Phase::Dead, 0, state.passes};
  for (char c : Texts[token]) {
    state = Automaton.step(state, c, maxPasses);
    if (state.phase == Phase::Dead)
      break;
  }
  return state;
}

void PassListGrammar::walk(size_t lo, size_t hi, size_t depth, State state, int maxPasses,
                           std::vector<int32_t> &out) const {
  // Tokens whose text ends here sort first in the range; state is alive,
  // so they are allowed.
  while (lo < hi && Texts[SortedByText[lo]].size() == depth) {
    out.push_back(SortedByText[lo]);
    ++lo;
  }
  auto charAt = [&](int32_t id) { return static_cast<unsigned char>(Texts[id][depth]); };
  for (char c : Automaton.viableChars(state, maxPasses)) {
    if (lo >= hi)
      break;
    State next = Automaton.step(state, c, maxPasses);
    if (next.phase == Phase::Dead)
      continue;
    unsigned char key = static_cast<unsigned char>(c);
    auto begin = SortedByText.begin();
    size_t first = std::lower_bound(begin + lo, begin + hi, key,
                                    [&](int32_t id, unsigned char k) { return charAt(id) < k; }) -
                   begin;
    size_t last = std::upper_bound(begin + first, begin + hi, key,
                                   [&](unsigned char k, int32_t id) { return k < charAt(id); }) -
                  begin;
    if (first < last)
      walk(first, last, depth + 1, next, maxPasses, out);
    lo = last;
  }
}

std::vector<int32_t> PassListGrammar::computeAllowedTokens(State state, int maxPasses) const {
  std::vector<int32_t> allowed;
  if (state.phase == Phase::Dead || state.phase == Phase::Done)
    return allowed;
  walk(0, SortedByText.size(), 0, state, maxPasses, allowed);
  if (Automaton.canEnd(state))
    allowed.push_back(EosId);
  llvm::sort(allowed);
  return allowed;
}

ArrayRef<int32_t> PassListGrammar::allowedTokens(State state, int maxPasses) {
  // Two states with the same phase and trie node allow the same tokens
  // unless one could fit more commas into a token than the other.
  int64_t commasLeft = std::max(0, maxPasses - 1 - state.passes);
  uint64_t commaClass = std::min<int64_t>(commasLeft, MaxCommasPerToken + 1);
  uint64_t key = (static_cast<uint64_t>(state.node) << 32) | (commaClass << 8) |
                 static_cast<uint64_t>(state.phase);
  std::lock_guard<std::mutex> lock(CacheMutex);
  auto &entry = Cache[key];
  if (!entry)
    entry = std::make_unique<std::vector<int32_t>>(computeAllowedTokens(state, maxPasses));
  return *entry;
}

} // namespace optlm::lm
