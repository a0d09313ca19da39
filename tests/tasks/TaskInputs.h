//===- TaskInputs.h - the task tests' input modules --------------*- C++ -*-===//
#pragma once

#include "engine/Evaluator.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace optlm::tasks::test {

/// tests/inputs/tasks/NAME loaded for x86-64. The inputs are part of the tree, so a load failure
/// means the test cannot run at all: it ends the test program with the reason rather than going
/// on with a module that does not exist.
inline LoadedModule loadTaskInput(llvm::StringRef name) {
  auto loaded =
      loadModuleFor(std::string(OPTLM_TEST_INPUTS) + "/tasks/" + name.str(), Target::X86_64);
  if (!loaded) {
    std::fprintf(stderr, "cannot load task input %s: %s\n", name.str().c_str(),
                 llvm::toString(loaded.takeError()).c_str());
    std::exit(EXIT_FAILURE);
  }
  return std::move(*loaded);
}

} // namespace optlm::tasks::test
