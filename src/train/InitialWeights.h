//===- InitialWeights.h - a GGUF model as the start of training ---*- C++ -*-===//
//
// `optlm train --task lm --init-from M.gguf` fine-tunes a model instead of
// starting from random weights: the network takes the file's shape, its
// vocabulary and its weights, whatever their type (F32, F16, BF16, Q8_0 and
// the K-quants are dequantized to floats, as the runtime reads them). The
// file is opened with the runtime's own loader, so a file the runtime would
// refuse is refused here too, with the same message; it stays mapped, and
// each tensor is dequantized only while it is copied into the network. A
// file without output.weight (embeddings tied to the output) starts both
// from the embedding.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "train/LlamaNetwork.h"

#include "lm/generate/SentencePieceVocabulary.h"
#include "lm/gguf/LlamaWriter.h"
#include "lm/model/Model.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace optlm::train {

class InitialWeights {
public:
  static llvm::Expected<InitialWeights> open(const std::string &path);

  /// The file's shape; its context is the length it was trained with.
  const lm::LlamaShape &shape() const { return Shape; }
  const lm::SentencePieceVocabulary &vocabulary() const { return Vocabulary; }
  /// Sets every tensor of `network` (of this shape) to the file's.
  llvm::Error copyInto(LlamaNetwork &network) const;

private:
  std::string Path;
  std::unique_ptr<lm::Model> Model;
  lm::LlamaShape Shape;
  lm::SentencePieceVocabulary Vocabulary;
};

} // namespace optlm::train
