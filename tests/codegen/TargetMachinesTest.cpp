//===- TargetMachinesTest.cpp - target machines as llc-19 makes them ------===//
#include "CodegenTestSupport.h"

#include "codegen/TargetMachines.h"

#include <gmock/gmock.h>

using namespace llvm;
using namespace optlm;
using namespace optlm::testing;
using ::testing::HasSubstr;

namespace {

TEST(TargetMachines, CreatesBothTargetsWithLlcDefaults) {
  for (const char *triple : Triples) {
    Expected<std::unique_ptr<TargetMachine>> machine = createCodegenTargetMachine(triple);
    OPTLM_ASSERT_OK(machine);
    EXPECT_EQ((*machine)->getTargetTriple().str(), triple);
    // llc leaves the relocation model to the target: static on Linux, even
    // though clang's modules carry a "PIC Level" flag.
    EXPECT_EQ((*machine)->getRelocationModel(), Reloc::Static) << triple;
    EXPECT_EQ((*machine)->getOptLevel(), CodeGenOptLevel::Default);
    EXPECT_TRUE((*machine)->Options.UseInitArray);
    EXPECT_FALSE((*machine)->Options.FunctionSections);
    EXPECT_FALSE((*machine)->Options.DataSections);
    EXPECT_TRUE((*machine)->getTargetCPU().empty());
  }
}

TEST(TargetMachines, OptimizerMachineUsesOptsCodegenLevel) {
  Expected<std::unique_ptr<TargetMachine>> machine =
      createOptimizerTargetMachine("x86_64-unknown-linux-gnu");
  OPTLM_ASSERT_OK(machine);
  EXPECT_EQ((*machine)->getOptLevel(), CodeGenOptLevel::None);
}

TEST(TargetMachines, RejectsOtherTargets) {
  for (const char *triple :
       {"riscv64-unknown-linux-gnu", "x86_64-apple-macosx", "", "not a triple"}) {
    Expected<std::unique_ptr<TargetMachine>> machine = createCodegenTargetMachine(triple);
    ASSERT_FALSE(bool(machine)) << triple;
    EXPECT_THAT(toString(machine.takeError()), HasSubstr("unsupported target"));
  }
}

TEST(TargetMachines, DataLayoutsAreTheTargets) {
  Expected<std::string> x86 = dataLayoutFor("x86_64-unknown-linux-gnu");
  Expected<std::string> aarch64 = dataLayoutFor("aarch64-unknown-linux-gnu");
  OPTLM_ASSERT_OK(x86);
  OPTLM_ASSERT_OK(aarch64);
  EXPECT_THAT(*x86, HasSubstr("f80:128"));
  EXPECT_THAT(*aarch64, HasSubstr("Fn32"));
}

} // namespace
