//===- main.cpp - what pass-list constrained decoding costs per token -----===//
//
// Builds a 32,016-token SentencePiece-style vocabulary (the size of Code
// Llama's) from the most frequent fragments of the project's LLVM-IR and
// assembly samples and of the pass names themselves, so that many tokens are
// pieces of pass names (the hard case for the constraint), then follows
// random constrained answers and times, per token:
//   - the uncached joint walk of automaton and token trie (first visit of a state),
//   - a step with the mask cache warm (lookup, sampling among the allowed
//     tokens, advancing the automaton),
//   - plain unconstrained sampling over all 32,016 logits, for comparison.
//
// usage: optlm_bench_constrained_decoding [answers=200] [seed=1]
//
//===----------------------------------------------------------------------===//
#include "lm/generate/PassListGrammar.h"
#include "lm/generate/Sampler.h"
#include "lm/generate/Tokenizer.h"
#include "pipeline/PassVocabulary.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

using namespace optlm;
using namespace optlm::lm;
using Clock = std::chrono::steady_clock;

namespace {
constexpr int kVocabularySize = 32016;

/// The q-quantile (0..1) of samples.
double quantile(std::vector<double> samples, double q) {
  if (samples.empty())
    return 0;
  size_t at = std::min(samples.size() - 1, static_cast<size_t>(q * samples.size()));
  std::nth_element(samples.begin(), samples.begin() + at, samples.end());
  return samples[at];
}

double microseconds(Clock::duration duration) {
  return std::chrono::duration<double, std::micro>(duration).count();
}

SentencePieceVocabulary syntheticVocabulary(const std::vector<std::string> &passNames) {
  std::string corpus;
  for (const auto &entry : std::filesystem::directory_iterator(OPTLM_TEST_INPUTS "/tokenizer")) {
    auto buffer = llvm::MemoryBuffer::getFile(entry.path().string());
    if (buffer)
      corpus += (*buffer)->getBuffer().str() + "\n";
  }
  for (const std::string &name : passNames)
    corpus += name + "," + name + " ";
  // Every fragment of 1..10 bytes within a word, with U+2581 for a preceding
  // space as SentencePiece spells it, counted.
  llvm::StringMap<int> counts;
  std::string text;
  for (char c : corpus)
    text += c == ' ' ? std::string(kSpaceSymbol) : std::string(1, c);
  llvm::StringRef all = text;
  for (size_t begin = 0; begin < all.size(); ++begin) {
    if ((static_cast<unsigned char>(all[begin]) & 0xC0) == 0x80 || all[begin] == '\n')
      continue;
    for (size_t length = 1; length <= 10 && begin + length <= all.size(); ++length) {
      llvm::StringRef piece = all.substr(begin, length);
      if (piece.contains('\n') || piece.drop_front(1).contains(kSpaceSymbol))
        break;
      ++counts[piece];
    }
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto &entry : counts)
    ranked.push_back({entry.getValue(), entry.getKey().str()});
  std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  SentencePieceVocabulary vocabulary;
  auto add = [&](std::string piece, float score, TokenType type) {
    vocabulary.pieces.push_back(std::move(piece));
    vocabulary.scores.push_back(score);
    vocabulary.types.push_back(type);
  };
  add("<unk>", 0, TokenType::Unknown);
  add("<s>", 0, TokenType::Control);
  add("</s>", 0, TokenType::Control);
  for (int byte = 0; byte < 256; ++byte)
    add(llvm::formatv("<0x{0:X-2}>", byte).str(), 0, TokenType::Byte);
  for (const auto &[count, piece] : ranked) {
    if (vocabulary.size() >= kVocabularySize)
      break;
    add(piece, -static_cast<float>(vocabulary.size()), TokenType::Normal);
  }
  // A corpus too small for the full size is padded with unused pieces.
  while (vocabulary.size() < kVocabularySize)
    add("<unused" + std::to_string(vocabulary.size()) + ">", 0, TokenType::Unused);
  return vocabulary;
}
} // namespace

int main(int argc, char **argv) {
  int answers = argc > 1 ? std::atoi(argv[1]) : 200;
  uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  if (answers <= 0) {
    llvm::errs() << "usage: optlm_bench_constrained_decoding [answers>0] [seed]\n";
    return 2;
  }
  std::vector<std::string> names = passListNames(PassVocabulary::builtin());
  llvm::Expected<Tokenizer> tokenizer = Tokenizer::create(syntheticVocabulary(names));
  if (!tokenizer) {
    llvm::errs() << llvm::toString(tokenizer.takeError()) << "\n";
    return 1;
  }
  auto buildStart = Clock::now();
  llvm::Expected<std::shared_ptr<PassListGrammar>> grammar =
      PassListGrammar::create(*tokenizer, names);
  if (!grammar) {
    llvm::errs() << llvm::toString(grammar.takeError()) << "\n";
    return 1;
  }
  double buildMicros = microseconds(Clock::now() - buildStart);

  std::mt19937_64 random(seed);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::vector<float> logits(kVocabularySize);
  SamplingParams params{0.8f, 40, 0.95f, seed};
  Sampler constrainedSampler(params), plainSampler(params), greedy(SamplingParams{}),
      nucleus(SamplingParams{0.8f, 0, 0.95f, seed});

  std::vector<double> coldTimes, warmTimes, plainTimes, greedyTimes, nucleusTimes;
  double nucleusTotal = 0;
  double coldTotal = 0, coldMax = 0, warmTotal = 0, plainTotal = 0, greedyTotal = 0;
  size_t steps = 0, allowedTotal = 0, allowedMax = 0;
  double firstAnswerStepTotal = 0;
  size_t firstAnswerSteps = 0;
  for (int answer = 0; answer < answers; ++answer) {
    std::unique_ptr<TokenConstraint> constraint = (*grammar)->start(1 + answer % 8);
    PassListAutomaton::State state = (*grammar)->automaton().start();
    for (int step = 0; step < 400; ++step) {
      for (float &logit : logits)
        logit = normal(random);
      // Uncached walk for this state (what the first visit costs).
      auto coldStart = Clock::now();
      std::vector<int32_t> walked = (*grammar)->computeAllowedTokens(state, 1 + answer % 8);
      double cold = microseconds(Clock::now() - coldStart);
      coldTotal += cold;
      coldMax = std::max(coldMax, cold);
      coldTimes.push_back(cold);

      // The step as the generator does it.
      auto warmStart = Clock::now();
      bool end = constraint->mustEnd();
      int32_t token = -1;
      if (!end) {
        llvm::ArrayRef<int32_t> allowed = constraint->allowedTokens();
        allowedTotal += allowed.size();
        allowedMax = std::max(allowedMax, allowed.size());
        token = constrainedSampler.sample(logits, allowed);
        if (token != tokenizer->eosId())
          constraint->accept(token);
      }
      double warm = microseconds(Clock::now() - warmStart);
      warmTotal += warm;
      warmTimes.push_back(warm);
      if (answer == 0) {
        firstAnswerStepTotal += warm;
        ++firstAnswerSteps;
      }

      auto plainStart = Clock::now();
      volatile int32_t sink = plainSampler.sample(logits);
      plainTimes.push_back(microseconds(Clock::now() - plainStart));
      plainTotal += plainTimes.back();
      auto nucleusStart = Clock::now();
      sink = nucleus.sample(logits);
      nucleusTimes.push_back(microseconds(Clock::now() - nucleusStart));
      nucleusTotal += nucleusTimes.back();
      auto greedyStart = Clock::now();
      sink = greedy.sample(logits);
      greedyTimes.push_back(microseconds(Clock::now() - greedyStart));
      greedyTotal += greedyTimes.back();
      (void)sink;
      ++steps;
      if (end || token == tokenizer->eosId())
        break;
      state = (*grammar)->advance(state, token, 1 + answer % 8);
      if (state.phase == PassListAutomaton::Phase::Done)
        break;
    }
  }
  auto row = [](llvm::StringRef what, const std::vector<double> &times, double total) {
    llvm::outs() << llvm::formatv("{0,-44} {1,9:F2} {2,9:F2} {3,9:F2} {4,10:F1}\n", what,
                                  total / times.size(), quantile(times, 0.5), quantile(times, 0.99),
                                  *std::max_element(times.begin(), times.end()));
  };
  llvm::outs() << llvm::formatv(
      "vocabulary {0} tokens, {1} pass names; {2} answers, {3} tokens\n"
      "grammar build (copy and sort token texts): {4:F1} ms, once per model\n"
      "allowed tokens per step: mean {5:F1}, max {6}\n"
      "first answer (cold mask cache): {7:F2} us per token\n\n",
      kVocabularySize, names.size(), answers, steps, buildMicros / 1000,
      static_cast<double>(allowedTotal) / steps, allowedMax,
      firstAnswerSteps ? firstAnswerStepTotal / firstAnswerSteps : 0.0);
  llvm::outs() << llvm::formatv("{0,-44} {1,9} {2,9} {3,9} {4,10}\n", "microseconds per token",
                                "mean", "median", "p99", "max");
  row("uncached allowed-set walk", coldTimes, coldTotal);
  row("constrained step (cache, sample, advance)", warmTimes, warmTotal);
  row("unconstrained sampling T=0.8 k=40 p=0.95", plainTimes, plainTotal);
  row("unconstrained sampling T=0.8 p=0.95", nucleusTimes, nucleusTotal);
  row("unconstrained greedy argmax", greedyTimes, greedyTotal);
  return 0;
}
