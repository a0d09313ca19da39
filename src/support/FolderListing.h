//===- FolderListing.h - the files of a folder, sorted -----------*- C++ -*-===//
//
// Many readers take "every file of a kind in a folder" (datagen shards,
// label files, suite programs, checkpoints); listing them in one place keeps
// the order (sorted, so that results do not depend on the file system) and
// the error wording the same everywhere. Needs only LLVM's Support library.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace optlm {

/// The paths of the entries of `directory` (not recursive) for which
/// `keep(path)` holds, sorted; an error when the folder cannot be listed.
llvm::Expected<std::vector<std::string>>
listFolder(llvm::StringRef directory, llvm::function_ref<bool(llvm::StringRef path)> keep);

/// The entries of `directory` whose name ends with `extension` (".jsonl").
llvm::Expected<std::vector<std::string>> listFolderByExtension(llvm::StringRef directory,
                                                               llvm::StringRef extension);

} // namespace optlm
