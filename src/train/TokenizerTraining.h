//===- TokenizerTraining.h - a SentencePiece vocabulary from the data -*- C++ -*-===//
//
// Trains a SentencePiece BPE model on the training texts with Llama 2's
// settings (byte fallback, identity normalization, a dummy prefix, spaces
// kept, digits split), or in the code style below, and returns it as the
// vocabulary that goes into the GGUF's tokenizer.ggml.* keys, where optlm's
// tokenizer (src/lm/generate) reads it.
//
// The trainer is Debian's `spm_train` (package sentencepiece), run as a
// child process, not libsentencepiece linked in: libsentencepiece.so carries
// its own copy of protobuf-lite's internals, and a process that also loads
// the system libprotobuf (which libtorch needs) crashes while loading. The
// piece list is read back from the .vocab file spm_train writes next to
// the model (piece, tab, score; ids in order).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/SentencePieceVocabulary.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace optlm::train {

/// How pieces may form. Llama: Llama 2's settings (pieces stop at spaces,
/// at changes of script and at every digit). Code: pieces may span spaces,
/// punctuation and numbers, up to 64 bytes: IR and assembly repeat whole
/// lines verbatim (attributes, module flags, the prompt's sentences), which
/// then cost a piece or a few; no dummy prefix, so that a line encodes the
/// same alone and inside a prompt. On small functions' records: 8.7 times
/// fewer pieces than Llama's settings (docs/lm-training.md).
enum class TokenizerStyle { Llama, Code };
llvm::StringRef tokenizerStyleName(TokenizerStyle style); ///< "llama", "code"
llvm::Expected<TokenizerStyle> parseTokenizerStyle(llvm::StringRef name);

struct TokenizerTrainingOptions {
  TokenizerStyle style = TokenizerStyle::Llama;
  /// Pieces in all: <unk>, <s>, </s>, the 256 byte pieces, merges.
  uint32_t vocabSize = 4096;
  uint64_t seed = 0;
  /// Lines (texts are split at newlines) the trainer samples at most.
  uint64_t maxSentences = 1000000;
  /// spm_train; empty: the one found at configure time, else on PATH.
  std::string trainerPath;
};

/// Trains on texts. Every text is split into its lines (SentencePiece's
/// sentences; a newline is then spelt by its byte piece). When the texts
/// hold fewer distinct pieces than vocabSize the vocabulary is smaller.
llvm::Expected<lm::SentencePieceVocabulary>
trainSentencePiece(llvm::ArrayRef<std::string> texts, const TokenizerTrainingOptions &options);

/// Reads a SentencePiece .vocab file (piece TAB score per line, in id
/// order): <unk> is the unknown piece, <s> and </s> control pieces, <0xNN>
/// byte pieces, the rest normal.
llvm::Expected<lm::SentencePieceVocabulary> readSentencePieceVocab(llvm::StringRef text);

} // namespace optlm::train
