//===- InitialWeights.cpp - a GGUF model as the start of training ---------===//
#include "train/InitialWeights.h"

#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/TensorTypes.h"

#include "llvm/Support/FormatVariadic.h"

#include <vector>

namespace optlm::train {

llvm::Expected<InitialWeights> InitialWeights::open(const std::string &path) {
  // The tensors are read from the file below: in GGUF's own layout, which
  // the portable kernels read (others may rearrange quants at load).
  auto model = lm::Model::load(path, lm::KernelIsa::Portable);
  if (!model)
    return llvm::createStringError(path + ": " + llvm::toString(model.takeError()));
  auto vocabulary = lm::SentencePieceVocabulary::fromGGUF((*model)->file());
  if (!vocabulary)
    return llvm::createStringError(path + ": " + llvm::toString(vocabulary.takeError()));
  const lm::ModelConfig &config = (*model)->config();
  InitialWeights initial;
  initial.Path = path;
  initial.Vocabulary = std::move(*vocabulary);
  initial.Shape.vocabSize = static_cast<uint32_t>(config.vocabSize);
  initial.Shape.embeddingDim = static_cast<uint32_t>(config.embeddingDim);
  initial.Shape.layerCount = static_cast<uint32_t>(config.layerCount);
  initial.Shape.headCount = static_cast<uint32_t>(config.headCount);
  initial.Shape.kvHeadCount = static_cast<uint32_t>(config.kvHeadCount);
  initial.Shape.feedForwardDim = static_cast<uint32_t>(config.feedForwardDim);
  initial.Shape.contextLength = static_cast<uint32_t>(config.contextLength);
  initial.Shape.ropeFreqBase = config.ropeFreqBase;
  initial.Shape.rmsEpsilon = config.rmsEpsilon;
  if (initial.Vocabulary.size() != static_cast<int>(initial.Shape.vocabSize))
    return llvm::createStringError(
        llvm::formatv("{0}: a vocabulary of {1} pieces for {2} embedding rows", path,
                      initial.Vocabulary.size(), initial.Shape.vocabSize)
            .str());
  initial.Model = std::move(*model);
  return initial;
}

llvm::Error InitialWeights::copyInto(LlamaNetwork &network) const {
  const lm::GGUFFile &file = Model->file();
  std::vector<float> values;
  for (const WeightView &view : network.weights()) {
    const lm::GGUFTensor *tensor = file.findTensor(view.name);
    if (!tensor && view.name == "output.weight")
      tensor = file.findTensor("token_embd.weight"); // tied, as the runtime reads it
    if (!tensor)
      return llvm::createStringError(Path + " has no tensor " + view.name);
    if (tensor->elementCount != view.elementCount())
      return llvm::createStringError(llvm::formatv("{0}: {1} has {2} values, not {3}", Path,
                                                   view.name, tensor->elementCount,
                                                   view.elementCount())
                                         .str());
    // The loader has checked every tensor's type and size: rows dequantize.
    values.resize(static_cast<size_t>(tensor->elementCount));
    for (int64_t row = 0; row < tensor->rowCount(); ++row)
      lm::dequantizeRow(tensor->type, tensor->data + row * tensor->rowByteSize(),
                        values.data() + row * tensor->rowLength(), tensor->rowLength());
    if (llvm::Error error = network.setWeights(view.name, values))
      return llvm::createStringError(Path + ": " + llvm::toString(std::move(error)));
  }
  return llvm::Error::success();
}

} // namespace optlm::train
