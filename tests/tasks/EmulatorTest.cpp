//===- EmulatorTest.cpp - the compiler's truth and how answers are compared -===//
#include "tasks/Emulator.h"

#include "TaskInputs.h"
#include "engine/Evaluator.h"
#include "tasks/AnswerParser.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

using namespace optlm;
using namespace optlm::tasks;

namespace {

TEST(TasksEmulator, TruthIsTheEnginesMeasurement) {
  LoadedModule input = test::loadTaskInput("tiny.ll");
  Pipeline sroa = llvm::cantFail(Pipeline::parse("sroa"));
  auto truth = emulationTruth(*input.module, sroa, data::EmulationOutput::IR, Target::X86_64);
  OPTLM_ASSERT_OK(truth);
  EvaluationResult before = evaluate(*input.module, Pipeline(), Target::X86_64);
  EvaluationResult after = evaluate(*input.module, sroa, Target::X86_64);
  EXPECT_EQ(truth->inputInstructions, before.measurement->instructionCount);
  EXPECT_EQ(truth->inputBinarySize, before.measurement->binarySize);
  EXPECT_EQ(truth->instructions, after.measurement->instructionCount);
  EXPECT_EQ(truth->binarySize, after.measurement->binarySize);
  EXPECT_EQ(truth->output.find("alloca"), std::string::npos) << "sroa removes the allocas";

  auto assembly =
      emulationTruth(*input.module, sroa, data::EmulationOutput::Assembly, Target::X86_64);
  ASSERT_TRUE(bool(assembly));
  EXPECT_NE(assembly->output.find("sum_twice:"), std::string::npos);
}

TEST(TasksEmulator, AnAnswerInOptlmsLabelFormatMatches) {
  LoadedModule input = test::loadTaskInput("tiny.ll");
  Pipeline sroa = llvm::cantFail(Pipeline::parse("sroa"));
  auto truth = llvm::cantFail(
      emulationTruth(*input.module, sroa, data::EmulationOutput::IR, Target::X86_64));
  std::string answer = "<code>; ModuleID = 'elsewhere'\n" + truth.output +
                       "\n\n</code>\n\nThe output code has instruction count " +
                       std::to_string(truth.instructions) + " and binary size 999 bytes.";
  EmulationPrediction prediction = readEmulationAnswer(answer);
  EXPECT_TRUE(outputsMatch(prediction.output, truth.output, data::EmulationOutput::IR));
  EXPECT_EQ(prediction.instructions, truth.instructions);
  EXPECT_EQ(prediction.binarySize, 999u);
  EXPECT_FALSE(outputsMatch("ret void", truth.output, data::EmulationOutput::IR));
}

TEST(TasksEmulator, APipelineThatFailsIsAnError) {
  LoadedModule input = test::loadTaskInput("tiny.ll");
  // A pipeline outside the checked vocabulary cannot even be built: an
  // unknown pass is rejected before anything runs.
  EXPECT_FALSE(bool(Pipeline::parse("no-such-pass")));
  auto truth = emulationTruth(*input.module, Pipeline::level(OptLevel::Oz),
                              data::EmulationOutput::IR, Target::X86_64);
  EXPECT_TRUE(bool(truth));
}

} // namespace
