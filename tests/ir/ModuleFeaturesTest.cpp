//===- ModuleFeaturesTest.cpp - the flag model's view of a module ---------===//
#include "TestTargets.h"

#include "ir/ModuleFeatures.h"
#include "ir/ModuleLoader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace llvm;
using namespace optlm;
using namespace optlm::testing;

namespace {

float feature(const std::vector<float> &values, StringRef name) {
  ArrayRef<std::string> names = moduleFeatureNames();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name)
      return values[i];
  ADD_FAILURE() << "no feature " << name.str();
  return NAN;
}

TEST(ModuleFeatures, OneValuePerNameAndNamesAreUnique) {
  Expected<LoadedModule> loaded = loadModule(inputPath("sum.ll"), X86Target);
  OPTLM_ASSERT_OK(loaded);
  std::vector<float> values = moduleFeatures(*loaded->module);
  EXPECT_EQ(values.size(), moduleFeatureNames().size());
  std::set<std::string> names(moduleFeatureNames().begin(), moduleFeatureNames().end());
  EXPECT_EQ(names.size(), moduleFeatureNames().size());
  EXPECT_NE(moduleFeaturesVersion().find(std::to_string(values.size())), StringRef::npos);
}

TEST(ModuleFeatures, CountsOfSumLl) {
  Expected<LoadedModule> loaded = loadModule(inputPath("sum.ll"), X86Target);
  OPTLM_ASSERT_OK(loaded);
  std::vector<float> values = moduleFeatures(*loaded->module);
  // sum.ll's 12 instructions: br | phi phi add add icmp br | ret in sum,
  // call store call ret in main.
  EXPECT_FLOAT_EQ(feature(values, "log_instructions"), std::log1p(12.0f));
  EXPECT_FLOAT_EQ(feature(values, "log_functions"), std::log1p(2.0f));
  EXPECT_FLOAT_EQ(feature(values, "log_declarations"), std::log1p(1.0f));
  EXPECT_FLOAT_EQ(feature(values, "op_phi"), 2.0f / 12);
  EXPECT_FLOAT_EQ(feature(values, "op_add"), 2.0f / 12);
  EXPECT_FLOAT_EQ(feature(values, "op_call"), 2.0f / 12);
  EXPECT_FLOAT_EQ(feature(values, "op_alloca"), 0.0f);
  // Two branches, one conditional; the loop's back edge is one of three
  // branch targets (entry->loop, loop->exit, loop->loop).
  EXPECT_FLOAT_EQ(feature(values, "conditional_branches"), 0.5f);
  EXPECT_FLOAT_EQ(feature(values, "backward_branches"), 1.0f / 3);
  // main calls sum (defined) and putchar (declared).
  EXPECT_FLOAT_EQ(feature(values, "internal_calls"), 0.5f);
  EXPECT_FLOAT_EQ(feature(values, "external_calls"), 0.5f);
  EXPECT_FLOAT_EQ(feature(values, "blocks_with_phi"), 0.25f);
}

TEST(ModuleFeatures, EmptyModuleIsAllFinite) {
  LLVMContext context;
  Module module("empty", context);
  for (float value : moduleFeatures(module))
    EXPECT_TRUE(std::isfinite(value));
}

} // namespace
