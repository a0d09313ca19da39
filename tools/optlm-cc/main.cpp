//===- optlm-cc - the drop-in compiler's launcher -------------------------===//
//
// optlm-cc and optlm-c++ (a link to it) stand in for clang-19 and clang++-19
// in builds. This program links only LLVM's Support library so that it
// starts in milliseconds; it hands everything it cannot replay to the optlm
// next to it (cc/QuickDriver.h).
//
//===----------------------------------------------------------------------===//
#include "cc/QuickDriver.h"

#include "llvm/Support/Path.h"

#include <string>
#include <vector>

int main(int argc, char **argv) {
  using namespace optlm::cc;
  llvm::StringRef name = argc > 0 ? llvm::sys::path::filename(argv[0]) : "";
  const Personality personality = name.ends_with("++") ? Personality::Cxx : Personality::C;
  std::string optlm = runningProgram();
  if (!optlm.empty())
    optlm = (llvm::sys::path::parent_path(optlm) + "/optlm").str();
  return runQuickDriver(personality,
                        std::vector<std::string>(argv + std::min(argc, 1), argv + argc), optlm);
}
