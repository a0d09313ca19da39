//===- DataFolders.cpp - where optlm finds the files it ships -------------===//
#include "support/DataFolders.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

using namespace llvm;

namespace optlm {

std::vector<std::string> installedDataRoots() {
  std::vector<std::string> roots;
  if (std::optional<std::string> root = sys::Process::GetEnv("OPTLM_DATA_DIR"))
    if (!root->empty())
      roots.push_back(*root);
  static int anchor;
  const std::string executable = sys::fs::getMainExecutable(nullptr, &anchor);
  if (!executable.empty()) {
    SmallString<256> share(sys::path::parent_path(sys::path::parent_path(executable)));
    sys::path::append(share, "share", "optlm");
    roots.push_back(std::string(share));
  }
  return roots;
}

std::string dataFolder(StringRef relative, StringRef buildTreeFolder) {
  for (const std::string &root : installedDataRoots()) {
    SmallString<256> folder(root);
    sys::path::append(folder, relative);
    if (sys::fs::is_directory(folder))
      return std::string(folder);
  }
  return buildTreeFolder.str();
}

} // namespace optlm
