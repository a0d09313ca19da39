//===- FolderListing.cpp - the files of a folder, sorted ------------------===//
#include "support/FolderListing.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace optlm {

Expected<std::vector<std::string>> listFolder(StringRef directory,
                                              function_ref<bool(StringRef path)> keep) {
  std::vector<std::string> paths;
  std::error_code error;
  for (sys::fs::directory_iterator entry(directory, error), end; entry != end && !error;
       entry.increment(error))
    if (keep(entry->path()))
      paths.push_back(entry->path());
  if (error)
    return createStringError(error, "cannot list '%s': %s", directory.str().c_str(),
                             error.message().c_str());
  llvm::sort(paths);
  return paths;
}

Expected<std::vector<std::string>> listFolderByExtension(StringRef directory, StringRef extension) {
  return listFolder(directory,
                    [&](StringRef path) { return sys::path::filename(path).ends_with(extension); });
}

} // namespace optlm
