//===- SentencePieceReference.h - the SentencePiece library as a reference -*- C++ -*-===//
//
// What the tokenizer's tests and its fuzz target (fuzz/tokenizer_fuzz.cpp)
// share: lines of sample text, a BPE model trained on them by the
// SentencePiece library with Llama's settings, and its pieces as an optlm
// vocabulary. No GoogleTest here, so that the fuzz target can use it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/SentencePieceVocabulary.h"

#include "llvm/Support/Error.h"

#include <sentencepiece_processor.h>

#include <memory>
#include <string>
#include <vector>

namespace optlm::lm::testing {

/// Every line of the files in `folder` (README.md excluded), files in name order.
std::vector<std::string> linesOfFolder(const std::string &folder);

/// A BPE model of vocabSize pieces trained on `lines` with Llama 2's
/// tokenizer settings (byte fallback, dummy prefix, digits split), one
/// thread, so the same lines give the same model; userDefined become
/// user-defined symbols (pieces matched whole).
llvm::Expected<std::unique_ptr<sentencepiece::SentencePieceProcessor>>
trainSentencePiece(const std::vector<std::string> &lines, int vocabSize,
                   const std::vector<std::string> &userDefined = {});

/// The pieces, scores and types of a SentencePiece model as a SentencePieceVocabulary.
/// The library's API does not tell user-defined pieces apart, so the caller
/// names them.
SentencePieceVocabulary vocabularyOf(const sentencepiece::SentencePieceProcessor &processor,
                                     const std::vector<std::string> &userDefined = {});

} // namespace optlm::lm::testing
