//===- DataFolders.h - where optlm finds the files it ships ------*- C++ -*-===//
//
// optlm needs files besides its binary: the bundled programs and the
// generated csmith suite that PassListEval runs, and the models it ships.
// A binary in the build tree finds them in the source and build trees; an
// installed one (`cmake --install build --prefix P`) in P/share/optlm,
// found relative to the binary, so a prefix can be moved as a whole.
// $OPTLM_DATA_DIR, when set, is a share/optlm folder that wins over both.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace optlm {

/// The share/optlm folders an installed optlm reads, in order: $OPTLM_DATA_DIR,
/// then BIN/../share/optlm next to the running binary.
std::vector<std::string> installedDataRoots();

/// The first ROOT/`relative` of installedDataRoots() that is a folder, or
/// `buildTreeFolder` (which may not exist either: callers check).
std::string dataFolder(llvm::StringRef relative, llvm::StringRef buildTreeFolder);

} // namespace optlm
