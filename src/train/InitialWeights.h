//===- InitialWeights.h - a GGUF model as the start of training ---*- C++ -*-===//
//
// `optlm train --task lm --init-from M.gguf` fine-tunes a model instead of
// starting from random weights: the network takes the file's shape, its
// vocabulary and its weights, whatever their type (F32, F16, BF16, Q8_0 and
// the K-quants are dequantized to floats, as the runtime reads them). The
// file is read with the runtime's own loader, so a file the runtime would
// refuse is refused here too, with the same message. A file without
// output.weight (embeddings tied to the output) starts both from the
// embedding.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/SentencePieceVocabulary.h"
#include "lm/gguf/LlamaWriter.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace optlm::train {

struct InitialWeights {
  /// The file's shape; its context is the length it was trained with.
  lm::LlamaShape shape;
  lm::SentencePieceVocabulary vocabulary;
  /// Every tensor under its GGUF name, row-major ([outputs][inputs]).
  llvm::StringMap<std::vector<float>> tensors;
};

llvm::Expected<InitialWeights> readInitialWeights(const std::string &path);

} // namespace optlm::train
