//===- ShippedModel.h - where optlm finds the model it ships -----*- C++ -*-===//
//
// optlm ships one flag-tuning model per target, trained by `optlm train`
// and kept in the repository as data/models/flagtune-<target>.gguf. It is
// looked for in $OPTLM_MODEL_DIR, then in the models folder of optlm's data
// (support/DataFolders.h: $OPTLM_DATA_DIR/models, or BIN/../share/optlm/models
// for an installed optlm, or data/models of the source tree it was built
// from).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "engine/Evaluation.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace optlm::flagmodel {

/// The file name of the shipped model for a target.
std::string shippedModelFileName(Target target);

/// The first existing shipped model file for the target, if any.
std::optional<std::string> findShippedModel(Target target);

/// Whether the file is a GGUF file of optlm's flag-tuning model kind (and
/// not, say, a language model): decides how `--model FILE` is used.
bool isFlagModelFile(llvm::StringRef path);

} // namespace optlm::flagmodel
