//===- PassOptions.cpp - LLVM's own options the engine runs with ----------===//
#include "engine/PassOptions.h"

#include "llvm/Support/CommandLine.h"

#include <mutex>
#include <string>

using namespace llvm;

namespace optlm {

Error configurePassOptions() {
  static std::once_flag once;
  static std::string problem;
  std::call_once(once, [] {
    // The option is LLVM's (IRSimilarityIdentifier.cpp), registered in the
    // top-level set of every program that links the analysis library.
    StringMap<cl::Option *> &options = cl::getRegisteredOptions();
    auto found = options.find("no-ir-sim-branch-matching");
    if (found == options.end()) {
      problem = "this LLVM has no option no-ir-sim-branch-matching: the IR outliner would "
                "outline regions across branches, which miscompiles (engine/PassOptions.h)";
      return;
    }
    // Returns true on an error.
    if (found->second->addOccurrence(0, found->first(), "true"))
      problem = "cannot set LLVM's option no-ir-sim-branch-matching";
  });
  if (!problem.empty())
    return createStringError("%s", problem.c_str());
  return Error::success();
}

} // namespace optlm
