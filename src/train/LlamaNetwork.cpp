//===- LlamaNetwork.cpp - load the libtorch plugin and make a network -----===//
#include "train/LlamaNetwork.h"

#include "lm/model/Kernels.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>
#include <mutex>

namespace optlm::train {

namespace {

/// The plugin next to the running program (build/bin/../lib, as the build
/// and an install lay it out), else where the build put it; the environment
/// variable OPTLM_TRAIN_PLUGIN overrides both.
std::vector<std::string> pluginCandidates() {
  std::vector<std::string> candidates;
  if (const char *path = std::getenv("OPTLM_TRAIN_PLUGIN"))
    return {path};
  static int anchor;
  std::string program = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  if (!program.empty()) {
    llvm::SmallString<256> path(llvm::sys::path::parent_path(program));
    llvm::sys::path::append(path, "..", "lib", OPTLM_TRAIN_PLUGIN_NAME);
    candidates.push_back(std::string(path));
  }
  candidates.push_back(OPTLM_TRAIN_PLUGIN_BUILD_PATH);
  return candidates;
}

llvm::Expected<CreateNetworkFunction> loadPlugin() {
  static std::mutex mutex;
  static CreateNetworkFunction create = nullptr;
  std::lock_guard<std::mutex> lock(mutex);
  if (create)
    return create;
  std::string errors;
  for (const std::string &path : pluginCandidates()) {
    if (!llvm::sys::fs::exists(path)) {
      errors += "; " + path + ": not found";
      continue;
    }
    std::string error;
    llvm::sys::DynamicLibrary library =
        llvm::sys::DynamicLibrary::getPermanentLibrary(path.c_str(), &error);
    if (!library.isValid()) {
      errors += "; " + path + ": " + error;
      continue;
    }
    if (void *symbol = library.getAddressOfSymbol(kCreateNetworkSymbol)) {
      create = reinterpret_cast<CreateNetworkFunction>(symbol);
      return create;
    }
    errors += std::string("; ") + path + ": no " + kCreateNetworkSymbol;
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot load the libtorch trainer plugin:" + errors.substr(1));
}

} // namespace

ComputeSettings ComputeSettings::forDevice(const std::string &device, Precision precision) {
  ComputeSettings settings;
  settings.device = device;
  const bool cpu = device == "cpu";
  settings.wholeBatches = !cpu;
  // On a Xeon with AMX (dim 512, 8 layers, rows of about 400 tokens),
  // libtorch's bfloat16 products (oneDNN on the tile unit) trained 1.5
  // times as fast as float on one thread and 1.35 times on two (dim 256:
  // 1.15 and 1); the rest of a per-row step (element-wise work, the
  // optimizer) is float either way, and a resumed run that computes in the
  // other precision is warned about, as for other kernels.
  settings.bf16MatrixProducts = precision == Precision::BFloat16 ||
                                (precision == Precision::Auto && (!cpu || lm::cpuHasAMXBF16()));
  return settings;
}

llvm::Error LlamaNetwork::checkShape(const lm::LlamaShape &shape) {
  lm::LlamaModelOptions check;
  check.shape = shape;
  return lm::validateLlamaModel(check, lm::byteLevelVocabulary({}, shape.vocabSize));
}

llvm::Expected<std::unique_ptr<LlamaNetwork>>
LlamaNetwork::create(const lm::LlamaShape &shape, uint64_t seed, const OptimizerSettings &optimizer,
                     const ComputeSettings &compute) {
  if (llvm::Error error = checkShape(shape))
    return std::move(error);
  auto create = loadPlugin();
  if (!create)
    return create.takeError();
  std::string error;
  LlamaNetwork *network = (*create)(shape, seed, optimizer, compute, error);
  if (!network)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
  return std::unique_ptr<LlamaNetwork>(network);
}

} // namespace optlm::train
