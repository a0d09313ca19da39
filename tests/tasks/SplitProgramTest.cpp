//===- SplitProgramTest.cpp - a split and reassembled program still works -===//
//
// stackvm.c is the bundled program where tuning every function on its own
// beats -Oz (-Oz's inliner duplicates the interpreter's helpers). The
// reassembled module is compiled, linked by clang-19 and run: it must print
// exactly what the program's .expected file says.
//
//===----------------------------------------------------------------------===//
#include "tasks/FlagTuner.h"
#include "testing/Testing.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"
#include "engine/Evaluator.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace optlm;
using namespace optlm::tasks;

namespace {

using optlm::testing::readFile;

TEST(TasksSplitProgram, PerFunctionOzStackVmRunsCorrectly) {
  const std::string source = std::string(OPTLM_SOURCE_DIR) + "/examples/programs/stackvm.c";
  auto input = loadModuleFor(source, Target::X86_64);
  OPTLM_ASSERT_OK(input);
  FlagTuneOptions options;
  options.jobs = 2;
  PartTuner ozEverywhere = [&](const llvm::Module &part) -> llvm::Expected<PartTuning> {
    EvaluationResult oz = evaluate(part, Pipeline::level(OptLevel::Oz), Target::X86_64);
    if (oz.outcome != Outcome::Ok)
      return llvm::createStringError("-Oz fails on a part: %s", oz.message.c_str());
    PartTuning function;
    function.pipeline = Pipeline::level(OptLevel::Oz);
    function.ozSize = function.binarySize = oz.measurement->binarySize;
    return function;
  };
  auto result = tuneSplitWith(*input->module, ozEverywhere, options);
  OPTLM_ASSERT_OK(result);
  ASSERT_TRUE(result->modelWon) << result->explanation;
  ASSERT_TRUE(result->splitModule);
  EXPECT_LT(result->binarySize, result->ozSize);

  optlm::testing::TemporaryFolder directory;
  std::string object = directory.file("stackvm.o");
  std::string program = directory.file("stackvm");
  std::string output = directory.file("out.txt");
  {
    auto machine = createCodegenTargetMachine(targetTriple(Target::X86_64));
    ASSERT_TRUE(bool(machine));
    auto bytes = emitObject(*result->splitModule->module, **machine);
    OPTLM_ASSERT_OK(bytes);
    std::error_code error;
    llvm::raw_fd_ostream out(object, error);
    ASSERT_FALSE(error);
    out.write(bytes->data(), bytes->size());
  }
  // llc's default relocation model for x86-64 Linux is static: link as such.
  std::vector<llvm::StringRef> link = {OPTLM_CLANG_PATH, "-no-pie", object, "-o", program};
  ASSERT_EQ(llvm::sys::ExecuteAndWait(OPTLM_CLANG_PATH, link, std::nullopt, {}, 120), 0);
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(output),
                                                llvm::StringRef("")};
  std::vector<llvm::StringRef> run = {program};
  EXPECT_EQ(llvm::sys::ExecuteAndWait(program, run, std::nullopt, redirects, 60), 0);
  std::string expected =
      readFile(std::string(OPTLM_SOURCE_DIR) + "/examples/programs/stackvm.expected");
  EXPECT_EQ(readFile(output), expected);
}

} // namespace
