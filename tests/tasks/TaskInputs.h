//===- TaskInputs.h - the task tests' input modules --------------*- C++ -*-===//
#pragma once

#include "engine/Evaluator.h"

#include <gtest/gtest.h>

#include <string>

namespace optlm::tasks::test {

/// tests/inputs/tasks/NAME loaded for x86-64; a load failure fails the test.
inline LoadedModule loadTaskInput(llvm::StringRef name) {
  auto loaded = loadModuleFor(std::string(OPTLM_TEST_INPUTS) + "/tasks/" + name.str(),
                              Target::X86_64);
  EXPECT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  return std::move(*loaded);
}

} // namespace optlm::tasks::test
