//===- ShippedModel.cpp - where optlm finds the model it ships ------------===//
#include "flagmodel/ShippedModel.h"

#include "flagmodel/FlagModel.h"
#include "lm/gguf/GGUFFile.h"
#include "support/DataFolders.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

using namespace llvm;

namespace optlm::flagmodel {

std::string shippedModelFileName(Target target) {
  return target == Target::AArch64 ? "flagtune-aarch64.gguf" : "flagtune-x86_64.gguf";
}

std::optional<std::string> findShippedModel(Target target) {
  const std::string file = shippedModelFileName(target);
  std::vector<std::string> folders;
  if (std::optional<std::string> dir = sys::Process::GetEnv("OPTLM_MODEL_DIR"))
    folders.push_back(*dir);
  folders.push_back(dataFolder("models", OPTLM_SOURCE_DIR "/data/models"));
  for (const std::string &folder : folders) {
    SmallString<256> path(folder);
    sys::path::append(path, file);
    if (sys::fs::is_regular_file(path))
      return std::string(path);
  }
  return std::nullopt;
}

bool isFlagModelFile(StringRef path) {
  auto file = lm::GGUFFile::open(path);
  if (!file) {
    consumeError(file.takeError());
    return false;
  }
  return (*file)->stringOr("general.architecture") == std::optional<StringRef>(kArchitecture);
}

} // namespace optlm::flagmodel
