//===- TrainTestSupport.h - tiny models and data for the trainer tests ----===//
#pragma once

#include "train/LlamaNetwork.h"

#include "lm/generate/SentencePieceVocabulary.h"

#include "llvm/ADT/ArrayRef.h"

#include <string>
#include <vector>

namespace optlm::train::testing {

/// vocabulary 320 (byte-level + unused), dim 64, 2 layers, 4 heads, 2 kv
/// heads (grouped-query attention), ff 128, context 64, rope base 1e4.
lm::LlamaShape tinyShape();

/// Writes lines to path, one per line.
void writeLines(const std::string &path, llvm::ArrayRef<std::string> lines);

/// A GGUF holding the tiny shape's byte-level vocabulary (a model with
/// random weights; the trainer only reads its tokenizer.ggml.* keys).
std::string byteVocabularyModel();

/// <unk>, <s>, </s>, the 256 byte pieces, unused pieces up to size.
lm::SentencePieceVocabulary byteVocabulary(uint32_t size);

/// Prompt/label records of a small learnable task: "add A and B" -> sum.
std::vector<std::string> additionRecords(int count);

/// Relative RMS difference ||a - b|| / ||b||.
double relativeRms(llvm::ArrayRef<float> a, llvm::ArrayRef<float> b);

/// True when every weight of a equals b's bit for bit.
bool sameWeights(const LlamaNetwork &a, const LlamaNetwork &b);

} // namespace optlm::train::testing
