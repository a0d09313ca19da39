//===- TrainedVocabulary.h - a SentencePiece model trained at test time -*- C++ -*-===//
//
// The reference the tokenizer is checked against: the SentencePiece library
// trains a BPE model with Llama's settings on the text in
// tests/inputs/tokenizer (deterministically: one thread, fixed options), and
// its pieces, scores and types become an optlm SentencePieceVocabulary.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "SentencePieceReference.h"

#include "lm/generate/SentencePieceVocabulary.h"
#include "lm/gguf/GGUFValue.h"

#include "llvm/Support/Error.h"

#include <sentencepiece_processor.h>

#include <memory>
#include <string>
#include <vector>

namespace optlm::lm::testing {

/// Every line of the files in tests/inputs/tokenizer (README excluded).
const std::vector<std::string> &sampleLines();

struct TrainedModel {
  std::unique_ptr<sentencepiece::SentencePieceProcessor> processor;
  /// The model's pieces as they come back from a GGUF file.
  SentencePieceVocabulary vocabulary;
};

/// A BPE model of vocabSize pieces trained on sampleLines(), trained once per
/// process and arguments, with userDefined as user-defined symbols (pieces
/// matched whole, like Code Llama's infilling markers).
const TrainedModel &trainedModel(int vocabSize = 1500,
                                 const std::vector<std::string> &userDefined = {});

/// The tokenizer.ggml.* metadata of vocabulary written into a GGUF file in
/// memory by the project's GGUF writer; extra entries are added (or replace
/// the standard ones) before writing.
std::string vocabularyGGUF(const SentencePieceVocabulary &vocabulary,
                           const std::vector<std::pair<std::string, GGUFValue>> &extra = {});

/// Reads the vocabulary back from such a file with the runtime's reader.
llvm::Expected<SentencePieceVocabulary> readVocabularyGGUF(const std::string &file);

/// Writes a small random-weight Llama model with model's vocabulary to a
/// temporary file (once per process and context length) and returns its path.
const std::string &fixtureModelPath(int contextLength = 256);

} // namespace optlm::lm::testing
