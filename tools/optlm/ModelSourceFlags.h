//===- ModelSourceFlags.h - --model/--server flags to a ModelSource -*- C++ -*-===//
//
// tune, emulate, disasm and eval each take --model FILE.gguf or --server URL
// (with --server-model and --threads); this is the one place that turns
// those flags into a model source.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "tasks/ModelSource.h"

#include "llvm/ADT/StringRef.h"

#include <memory>

namespace optlm::cli {

inline llvm::Expected<std::unique_ptr<tasks::ModelSource>>
openModelSource(llvm::StringRef modelPath, llvm::StringRef serverUrl, llvm::StringRef serverModel,
                unsigned threads) {
  tasks::ModelSourceOptions options;
  options.modelPath = modelPath.str();
  options.serverUrl = serverUrl.str();
  options.serverModel = serverModel.str();
  options.threads = static_cast<int>(threads);
  return tasks::ModelSource::open(options);
}

} // namespace optlm::cli
