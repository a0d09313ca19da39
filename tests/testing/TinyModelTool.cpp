//===- TinyModelTool.cpp - optlm-tiny-model, a test model writer ----------===//
//
// Writes a random-weight Llama model for the command-line tests (tests/lit),
// the way the GoogleTests make theirs (support/TinyModel.h): the project's
// own GGUF writer, a byte-level vocabulary plus whole pieces given with
// --piece, the shape from the options. The weights are garbage; the file is
// the same for the same options.
//
//   optlm-tiny-model -o model.gguf --dim 32 --layers 1 --heads 4 --kv-heads 2 \
//     --ff 64 --context 4096 --seed 11 --name tiny-task-llama --piece sroa
//
//===----------------------------------------------------------------------===//
#include "lm/gguf/LlamaWriter.h"
#include "lm/gguf/TensorTypes.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using namespace llvm;
using namespace optlm::lm;

namespace {

cl::opt<std::string> Output("o", cl::desc("the model file to write"), cl::value_desc("file"),
                            cl::Required);
cl::list<std::string> Pieces("piece", cl::desc("a whole vocabulary piece (repeatable)"));
cl::opt<unsigned> EmbeddingDim("dim", cl::desc("embedding dimension"), cl::init(64));
cl::opt<unsigned> Layers("layers", cl::desc("layer count"), cl::init(2));
cl::opt<unsigned> Heads("heads", cl::desc("attention heads"), cl::init(4));
cl::opt<unsigned> KvHeads("kv-heads", cl::desc("key/value heads"), cl::init(2));
cl::opt<unsigned> FeedForward("ff", cl::desc("feed-forward dimension"), cl::init(128));
cl::opt<unsigned> Context("context", cl::desc("context length"), cl::init(256));
cl::opt<uint64_t> Seed("seed", cl::desc("seed of the random weights"), cl::init(7));
cl::opt<std::string> Name("name", cl::desc("general.name"), cl::init("tiny-test-llama"));
cl::opt<std::string> WeightType("type", cl::desc("type of the matrices (f32, q8_0, q4_K, ...)"),
                                cl::init("f32"));

} // namespace

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "writes a random-weight Llama model for tests\n");
  LlamaModelOptions options;
  bool known = false;
  for (TensorType type : {TensorType::F32, TensorType::F16, TensorType::Q4_0, TensorType::Q8_0,
                          TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K, TensorType::BF16})
    if (ggmlTypeName(static_cast<uint32_t>(type)) == WeightType.getValue()) {
      options.weightType = type;
      known = true;
    }
  if (!known) {
    errs() << "optlm-tiny-model: unknown --type '" << WeightType << "'\n";
    return 2;
  }
  std::vector<std::string> pieces(Pieces.begin(), Pieces.end());
  Vocabulary vocabulary = byteLevelVocabulary(pieces);
  options.shape.vocabSize = static_cast<uint32_t>(vocabulary.size());
  options.shape.embeddingDim = EmbeddingDim;
  options.shape.layerCount = Layers;
  options.shape.headCount = Heads;
  options.shape.kvHeadCount = KvHeads;
  options.shape.feedForwardDim = FeedForward;
  options.shape.contextLength = Context;
  options.seed = Seed;
  options.name = Name;
  if (Error error = writeLlamaModel(Output, options, vocabulary)) {
    errs() << "optlm-tiny-model: " << toString(std::move(error)) << "\n";
    return 1;
  }
  return 0;
}
