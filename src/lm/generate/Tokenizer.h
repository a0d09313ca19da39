//===- Tokenizer.h - SentencePiece BPE encoding and decoding -------*- C++ -*-===//
//
// The tokenizer of Llama 2 and Code Llama, computed from the vocabulary in
// the GGUF file and agreeing token for token with the SentencePiece library
// on BPE models trained with Llama's settings (identity normalization, no
// removal of extra spaces, byte fallback):
//   - spaces become U+2581 and, with add_dummy_prefix, the text is encoded as
//     if it started with one;
//   - the text is split into characters, then the adjacent pair whose
//     concatenation is a piece with the highest score is merged, leftmost
//     first on ties, until no pair is a piece;
//   - symbols that are not pieces fall back to their bytes (<0xNN>), or to
//     the unknown token when the vocabulary has no byte pieces;
//   - control and unknown tokens are never produced from text: "<s>" in a
//     prompt is three ordinary characters.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/SentencePieceVocabulary.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace optlm::lm {

class GGUFFile;

class Tokenizer {
public:
  static llvm::Expected<Tokenizer> create(SentencePieceVocabulary vocabulary);
  static llvm::Expected<Tokenizer> fromGGUF(const GGUFFile &file);

  /// Token ids for text, with BOS first when addBos. Invalid UTF-8 is read
  /// as U+FFFD, one per bad byte, as SentencePiece's normalizer does.
  std::vector<int32_t> encode(llvm::StringRef text, bool addBos = false) const;

  /// Text for a whole sequence, as SentencePiece decodes it: control tokens
  /// vanish, byte pieces are reassembled into UTF-8 (bytes that do not form
  /// a character become U+FFFD), and the space of the dummy prefix is
  /// dropped from the first piece. Ids outside the vocabulary are skipped.
  std::string decode(llvm::ArrayRef<int32_t> ids) const;

  /// The bytes token id contributes to running text (a continuation, so no
  /// prefix space is dropped): U+2581 as a space, a byte piece as its single
  /// byte (possibly part of a UTF-8 character), control tokens as nothing,
  /// the unknown token as " \u2047 ". Empty for ids outside the vocabulary.
  llvm::StringRef tokenText(int32_t id) const;

  const SentencePieceVocabulary &vocabulary() const { return TheVocabulary; }
  int size() const { return TheVocabulary.size(); }
  int bosId() const { return TheVocabulary.bosId; }
  int eosId() const { return TheVocabulary.eosId; }
  bool isControl(int32_t id) const;

private:
  Tokenizer() = default;
  void appendSymbolTokens(llvm::StringRef symbol, std::vector<int32_t> &out) const;

  SentencePieceVocabulary TheVocabulary;
  /// Pieces the merge loop may produce (normal, user-defined and unused).
  llvm::StringMap<int32_t> Mergeable;
  /// User-defined pieces are matched whole before merging and never merged.
  std::vector<std::string> TheUserDefined;
  /// <0xNN> piece ids, -1 where the vocabulary lacks one.
  std::array<int32_t, 256> ByteIds;
  bool HasByteFallback = false;
  std::vector<std::string> TokenTexts;
};

/// U+2581, SentencePiece's visible space.
inline constexpr llvm::StringLiteral kSpaceSymbol = "\xE2\x96\x81";
/// U+2047, what SentencePiece prints for the unknown token.
inline constexpr llvm::StringLiteral kUnknownSurface = " \xE2\x81\x87 ";

} // namespace optlm::lm
