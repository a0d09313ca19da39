//===- Export.h - a trained network as a GGUF model ----------------*- C++ -*-===//
//
// Writes a LlamaNetwork and its vocabulary through LlamaWriter, the writer
// of optlm's GGUF Llama fixtures, so that the file has exactly the keys and
// tensors optlm's runtime and llama.cpp read. Matrices are converted to the
// chosen type (F32, F16, BF16, Q8_0, ...) row by row; norms stay F32.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "train/LlamaNetwork.h"

#include "lm/generate/SentencePieceVocabulary.h"
#include "lm/gguf/TensorTypes.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace optlm::train {

struct ExportOptions {
  lm::TensorType type = lm::TensorType::F16;
  std::string name = "optlm-llama";
};

llvm::Error exportGGUF(const LlamaNetwork &network, const lm::SentencePieceVocabulary &vocabulary,
                       llvm::StringRef path, const ExportOptions &options = {});

} // namespace optlm::train
