//===- ModuleFeatures.h - a module as a fixed-length vector ------*- C++ -*-===//
//
// What the flag-tuning model sees of a module: counts that decide which
// passes pay off, in the manner of Autophase (Haj-Ali et al., 2020) and the
// features Coreset-NVP ranks pass lists with. Which opcodes occur and how
// often (a module full of allocas, loads and stores gains from sroa and
// mem2reg; one full of calls to small internal functions from inlining),
// how the control flow is shaped (blocks with one predecessor or many, phi
// nodes, switches), and how big the module and its functions are.
//
// Counts are made scale-free (a share of the instructions, or log(1 + n) for
// sizes), so that a small and a large module with the same mix are near
// each other. The vector is cheap: one walk over the instructions.
//
// The names and their order are part of every model file trained on them:
// a model records moduleFeaturesVersion() and is refused by a build whose
// features differ. Change the list, change the version.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Module.h"

#include <string>
#include <vector>

namespace optlm {

/// The features' names, in vector order.
llvm::ArrayRef<std::string> moduleFeatureNames();

/// A short tag of the feature set ("autophase-like/N" with N features and
/// a revision), recorded in model files.
llvm::StringRef moduleFeaturesVersion();

/// One value per name of moduleFeatureNames().
std::vector<float> moduleFeatures(const llvm::Module &module);

} // namespace optlm
