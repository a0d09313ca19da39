//===- PassListGrammarTest.cpp - the pass-list constraint -----------------===//
#include "TrainedVocabulary.h"

#include "lm/generate/PassListGrammar.h"
#include "lm/generate/Tokenizer.h"
#include "pipeline/PassVocabulary.h"
#include "pipeline/Pipeline.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

#include <random>

using namespace optlm;
using namespace optlm::lm;
using State = PassListAutomaton::State;
using Phase = PassListAutomaton::Phase;

namespace {
const std::vector<std::string> &builtinNames() {
  static const std::vector<std::string> names = passListNames(PassVocabulary::builtin());
  return names;
}

const Tokenizer &trainedTokenizer() {
  static const Tokenizer tokenizer = [] {
    llvm::Expected<Tokenizer> created =
        Tokenizer::create(optlm::lm::testing::trainedModel().vocabulary);
    EXPECT_TRUE(static_cast<bool>(created));
    return std::move(*created);
  }();
  return tokenizer;
}

std::shared_ptr<PassListGrammar> grammarFor(const Tokenizer &tokenizer,
                                            const std::vector<std::string> &names) {
  llvm::Expected<std::shared_ptr<PassListGrammar>> grammar =
      PassListGrammar::create(tokenizer, names);
  if (!grammar) {
    ADD_FAILURE() << llvm::toString(grammar.takeError());
    return nullptr;
  }
  return *grammar;
}

/// The allowed set by definition: every token whose text keeps the
/// automaton alive, plus EOS where the text may end.
std::vector<int32_t> bruteForceAllowed(const PassListGrammar &grammar, const Tokenizer &tokenizer,
                                       State state, int maxPasses) {
  std::vector<int32_t> allowed;
  for (int32_t id = 0; id < tokenizer.size(); ++id)
    if (id != tokenizer.eosId() && grammar.advance(state, id, maxPasses).phase != Phase::Dead)
      allowed.push_back(id);
  if (grammar.automaton().canEnd(state))
    allowed.push_back(tokenizer.eosId());
  std::sort(allowed.begin(), allowed.end());
  return allowed;
}
} // namespace

TEST(PassListGrammarTest, NamesComeFromTheVocabulary) {
  const std::vector<std::string> &names = builtinNames();
  auto has = [&](llvm::StringRef name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  EXPECT_TRUE(has("sroa"));
  EXPECT_TRUE(has("instcombine<no-verify-fixpoint>"));
  EXPECT_TRUE(has("instcombine")); // the bare name resolves to the same pass
  EXPECT_FALSE(has("attributor")); // hazardous: hangs
  for (const std::string &name : names) {
    EXPECT_NE(PassVocabulary::builtin().lookup(name), nullptr) << name;
    EXPECT_TRUE(static_cast<bool>(Pipeline::parse(name))) << name;
  }
  EXPECT_TRUE(has("attributor") ||
              llvm::is_contained(passListNames(PassVocabulary::builtin(), true), "attributor"));
}

TEST(PassListGrammarTest, AutomatonAcceptsExactlyTheGrammar) {
  PassListAutomaton automaton(builtinNames());
  for (const char *text : {"sroa", " sroa", "sroa,gvn", "sroa, gvn", " sroa,gvn, licm",
                           "instcombine", "instcombine<no-verify-fixpoint>,simplifycfg"})
    EXPECT_TRUE(automaton.accepts(text, 5)) << text;
  for (const char *text :
       {"", " ", "sroa,", "sroa,,gvn", "sroa gvn", "  sroa", "sroa ,gvn", "sro", "sroax", "-sroa",
        "sroa,  gvn", "attributor", "sroa\n", "module(sroa)", "gvn,sroa,licm,dce,adce,sroa"})
    EXPECT_FALSE(automaton.accepts(text, 5)) << text;
  EXPECT_TRUE(automaton.accepts("sroa,gvn,licm", 3));
  EXPECT_FALSE(automaton.accepts("sroa,gvn,licm", 2));
  // The newline ends the answer: nothing may follow it.
  State state = automaton.start();
  for (char c : llvm::StringRef("gvn\n"))
    state = automaton.step(state, c, 5);
  EXPECT_EQ(state.phase, Phase::Done);
  EXPECT_EQ(automaton.step(state, 'x', 5).phase, Phase::Dead);
}

TEST(PassListGrammarTest, RejectsBadNames) {
  EXPECT_FALSE(static_cast<bool>(PassListGrammar::create(trainedTokenizer(), {})));
  EXPECT_FALSE(static_cast<bool>(PassListGrammar::create(trainedTokenizer(), {"a,b"})));
  EXPECT_FALSE(static_cast<bool>(PassListGrammar::create(trainedTokenizer(), {""})));
}

TEST(PassListGrammarTest, TokenWalkAgreesWithBruteForce) {
  const Tokenizer &tokenizer = trainedTokenizer();
  std::shared_ptr<PassListGrammar> grammar = grammarFor(tokenizer, builtinNames());
  ASSERT_TRUE(grammar);
  std::mt19937_64 random(3);
  const int maxPasses = 3;
  int statesChecked = 0;
  for (int walk = 0; walk < 20; ++walk) {
    State state = grammar->automaton().start();
    for (int step = 0; step < 60; ++step) {
      std::vector<int32_t> expected = bruteForceAllowed(*grammar, tokenizer, state, maxPasses);
      ASSERT_EQ(grammar->computeAllowedTokens(state, maxPasses), expected);
      llvm::ArrayRef<int32_t> cached = grammar->allowedTokens(state, maxPasses);
      ASSERT_EQ(std::vector<int32_t>(cached.begin(), cached.end()), expected);
      ++statesChecked;
      std::vector<int32_t> next;
      for (int32_t id : expected)
        if (id != tokenizer.eosId())
          next.push_back(id);
      if (next.empty())
        break;
      state = grammar->advance(state, next[random() % next.size()], maxPasses);
      ASSERT_NE(state.phase, Phase::Dead);
      if (state.phase == Phase::Done)
        break;
    }
  }
  EXPECT_GT(statesChecked, 100);
}

TEST(PassListGrammarTest, RandomConstrainedAnswersParse) {
  // Whatever the choice among allowed tokens, the answer is a valid pipeline.
  const Tokenizer &tokenizer = trainedTokenizer();
  std::shared_ptr<PassListGrammar> grammar = grammarFor(tokenizer, builtinNames());
  ASSERT_TRUE(grammar);
  for (uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 random(seed);
    int maxPasses = 1 + static_cast<int>(seed % 6);
    std::unique_ptr<TokenConstraint> constraint = grammar->start(maxPasses);
    std::string text;
    for (int step = 0; step < 1000 && !constraint->mustEnd(); ++step) {
      llvm::ArrayRef<int32_t> allowed = constraint->allowedTokens();
      ASSERT_FALSE(allowed.empty());
      int32_t token = allowed[random() % allowed.size()];
      if (token == tokenizer.eosId())
        break;
      constraint->accept(token);
      text += tokenizer.tokenText(token);
    }
    llvm::StringRef answer = llvm::StringRef(text).split('\n').first;
    llvm::Expected<Pipeline> pipeline = Pipeline::parse(answer);
    ASSERT_TRUE(static_cast<bool>(pipeline))
        << "'" << answer.str() << "': " << llvm::toString(pipeline.takeError());
    EXPECT_GE(pipeline->size(), 1u);
    EXPECT_LE(pipeline->size(), static_cast<size_t>(maxPasses));
  }
}

TEST(PassListGrammarTest, EosOnlyWhereTheListIsComplete) {
  const Tokenizer &tokenizer = trainedTokenizer();
  std::shared_ptr<PassListGrammar> grammar = grammarFor(tokenizer, builtinNames());
  ASSERT_TRUE(grammar);
  auto stateAfter = [&](llvm::StringRef text) {
    State state = grammar->automaton().start();
    for (char c : text)
      state = grammar->automaton().step(state, c, 4);
    return state;
  };
  auto allowsEos = [&](llvm::StringRef text) {
    return llvm::is_contained(grammar->allowedTokens(stateAfter(text), 4), tokenizer.eosId());
  };
  EXPECT_FALSE(allowsEos(""));
  EXPECT_FALSE(allowsEos(" "));
  EXPECT_FALSE(allowsEos("sro"));
  EXPECT_TRUE(allowsEos("sroa"));
  EXPECT_FALSE(allowsEos("sroa,"));
  EXPECT_FALSE(allowsEos("sroa, "));
  EXPECT_TRUE(allowsEos("sroa,gvn"));
}

TEST(PassListGrammarTest, ByteLevelVocabularyWorksToo) {
  // A vocabulary with nothing but bytes: the grammar is spelled out byte by byte.
  Vocabulary bytes = byteLevelVocabulary();
  SentencePieceVocabulary vocabulary;
  vocabulary.pieces = bytes.pieces;
  vocabulary.scores = bytes.scores;
  for (int32_t type : bytes.types)
    vocabulary.types.push_back(static_cast<TokenType>(type));
  llvm::Expected<Tokenizer> tokenizer = Tokenizer::create(vocabulary);
  OPTLM_ASSERT_OK(tokenizer);
  std::shared_ptr<PassListGrammar> grammar = grammarFor(*tokenizer, {"gvn", "licm"});
  ASSERT_TRUE(grammar);
  std::unique_ptr<TokenConstraint> constraint = grammar->start(2);
  std::vector<std::string> allowedTexts;
  for (int32_t id : constraint->allowedTokens())
    allowedTexts.push_back(tokenizer->tokenText(id).str());
  EXPECT_EQ(allowedTexts, (std::vector<std::string>{" ", "g", "l"}));
}
