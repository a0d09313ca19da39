//===- Export.cpp - a trained network as a GGUF model ---------------------===//
#include "train/Export.h"

#include "llvm/ADT/StringMap.h"

#include <algorithm>

namespace optlm::train {

llvm::Error exportGGUF(const LlamaNetwork &network, const lm::SentencePieceVocabulary &vocabulary,
                       llvm::StringRef path, const ExportOptions &options) {
  std::vector<WeightView> weights = network.weights();
  llvm::StringMap<const WeightView *> byName;
  for (const WeightView &view : weights)
    byName[view.name] = &view;
  // The writer asks for exactly the tensors of a Llama model of this shape;
  // check that the network has each of them before anything is written.
  std::vector<std::string> expected = {"token_embd.weight", "output_norm.weight", "output.weight"};
  for (uint32_t layer = 0; layer < network.shape().layerCount; ++layer)
    for (const char *role : {"attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm",
                             "ffn_gate", "ffn_up", "ffn_down"})
      expected.push_back(lm::llamaLayerTensorName(role, layer));
  for (const std::string &name : expected)
    if (!byName.count(name))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "export: the network has no tensor '%s'", name.c_str());

  lm::LlamaModelOptions model;
  model.shape = network.shape();
  model.weightType = options.type;
  model.name = options.name;
  model.weights = [&byName](llvm::StringRef name, int64_t row, float *values) {
    const WeightView &view = *byName.find(name)->second;
    const float *begin = view.data + row * view.rowLength();
    std::copy(begin, begin + view.rowLength(), values);
  };
  return lm::writeLlamaModel(path, model, vocabulary.toWriterVocabulary());
}

} // namespace optlm::train
