//===- SentencePieceVocabulary.h - a tokenizer vocabulary from GGUF -*- C++ -*-===//
//
// The tokenizer.ggml.* metadata of a Llama GGUF file: one piece per token id,
// its merge score and its type, plus the special token ids. Llama 2 and Code
// Llama store a SentencePiece BPE model this way ("llama" tokenizer model):
// pieces use U+2581 for spaces and bytes outside the vocabulary are pieces
// "<0x00>".."<0xFF>".
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/LlamaWriter.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace optlm::lm {

class GGUFFile;

/// What the tokenizer needs; TokenType is the GGUF (and SentencePiece) piece
/// type shared with the GGUF writer.
struct SentencePieceVocabulary {
  std::vector<std::string> pieces;
  std::vector<float> scores;
  std::vector<TokenType> types;
  /// Special ids; -1 when the vocabulary has no such token.
  int bosId = 1;
  int eosId = 2;
  int unknownId = 0;
  /// Llama 2 prompts start with BOS; no EOS is appended to prompts.
  bool addBos = true;
  /// SentencePiece's add_dummy_prefix: text is encoded as if it started
  /// with a space, and decoding drops that space again.
  bool addSpacePrefix = true;

  int size() const { return static_cast<int>(pieces.size()); }

  /// Checks sizes and special ids; every constructor of a Tokenizer calls it.
  llvm::Error validate() const;

  /// Reads tokenizer.ggml.* from a GGUF file. The tokenizer model must be
  /// "llama"; scores and types default to 0 and Normal when absent.
  static llvm::Expected<SentencePieceVocabulary> fromGGUF(const GGUFFile &file);

  /// The same pieces as the GGUF writer takes them (for fixture models).
  /// Absent special tokens are written as id 0.
  Vocabulary toWriterVocabulary() const;
};

} // namespace optlm::lm
