//===- RoundTripTest.cpp - assembly normalization and disassembly checks --===//
#include "tasks/AssemblyNormalizer.h"
#include "tasks/Disassembler.h"

#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <string>

using namespace optlm;
using namespace optlm::tasks;

namespace {

std::string readInput(llvm::StringRef name) {
  auto buffer =
      llvm::MemoryBuffer::getFile(std::string(OPTLM_TEST_INPUTS) + "/tasks/" + name.str());
  EXPECT_TRUE(bool(buffer)) << name.str();
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

TEST(TasksAssemblyNormalizer, DropsCommentsAndDirectivesKeepsCode) {
  EXPECT_EQ(normalizeAssembly("\t.text\n\t.globl\tf # -- Begin\nf:   # @f\n# %bb.0:\n"
                              "\tmovl\t%edi,  %eax  # copy\n.LBB0_1:\n\tretq\n\t.size f, 4\n"),
            "f:\nmovl %edi, %eax\n.LBB0_1:\nretq\n");
  EXPECT_EQ(normalizeAssembly("f: // aarch64\n\tadd w0, w0, #1 // note\n\tret\n"),
            "f:\nadd w0, w0, #1\nret\n");
  EXPECT_EQ(normalizeAssembly(".ascii \"a#b\"\nmov x, /* c */ y\n"), "mov x, y\n");
  EXPECT_NE(normalizeAssembly("f:\n\taddl $1, %eax\n"), normalizeAssembly("f:\n\taddl $2, %eax\n"));
}

TEST(TasksAssemblyNormalizer, NormalizedTextIsItsOwnNormalForm) {
  // A '#' before another comment, or after nothing but a block comment, is
  // a comment too (Apple's x86 assembly writes "##" comments); otherwise it
  // would become one only once the text after it had been dropped.
  EXPECT_EQ(normalizeAssembly("retq ## end\n"), "retq\n");
  EXPECT_EQ(normalizeAssembly("retq ##\n"), "retq\n");
  EXPECT_EQ(normalizeAssembly("add w0, w0, #1// x\n"), "add w0, w0, #1\n");
  EXPECT_EQ(normalizeAssembly("nop #/* a */\n"), "nop\n");
  EXPECT_EQ(normalizeAssembly("/* a */#1 b\nret\n"), "ret\n");
  EXPECT_EQ(normalizeAssembly("i #\v\n"), "i\n");
  const std::string texts[] = {std::string("opt-2\0##", 8), "x #/* a */1\n", "re-p=#\x0e,i#\v\n",
                               "  /* a */  # b\nf:\n", "add x0, #1\n"};
  for (const std::string &text : texts) {
    const std::string once = normalizeAssembly(text);
    EXPECT_EQ(normalizeAssembly(once), once) << text;
  }
}

TEST(TasksDisassembler, TheTrueIRRoundTrips) {
  RoundTrip trip =
      checkRoundTrip(readInput("maxof-oz.s"), readInput("maxof-oz.ll"), Target::X86_64);
  EXPECT_TRUE(trip.parses);
  EXPECT_TRUE(trip.compiles);
  EXPECT_TRUE(trip.ok()) << trip.problem << "\n" << normalizeAssembly(trip.assembly);
}

TEST(TasksDisassembler, OtherIRCompilesButDoesNotRoundTrip) {
  RoundTrip trip =
      checkRoundTrip(readInput("maxof-oz.s"), readInput("suite/maxof.ll"), Target::X86_64);
  EXPECT_TRUE(trip.compiles);
  EXPECT_FALSE(trip.ok());
  EXPECT_EQ(trip.problem, "the IR compiles to different assembly");
}

TEST(TasksDisassembler, GarbageDoesNotParse) {
  for (const char *ir : {"", "garbage", "define i32 @f() {\n ret i64 0\n}",
                         "define void @f() { br label %nowhere }"}) {
    RoundTrip trip = checkRoundTrip(readInput("maxof-oz.s"), ir, Target::X86_64);
    EXPECT_FALSE(trip.parses) << ir;
    EXPECT_FALSE(trip.ok());
    EXPECT_NE(trip.problem.find("does not parse"), std::string::npos) << trip.problem;
  }
}

} // namespace

namespace {

TEST(TasksDisassembler, ACodeGeneratorFatalErrorIsAFailedRoundTrip) {
  // Valid IR that x86-64 cannot select: LLVM's fatal error ends the
  // sandboxed child, not the caller.
  const char *ir = "define <4 x i32> @f(<8 x i16> %a) {\n"
                   "  %r = call <4 x i32> @llvm.aarch64.neon.uaddlp.v4i32.v8i16(<8 x i16> %a)\n"
                   "  ret <4 x i32> %r\n}\n"
                   "declare <4 x i32> @llvm.aarch64.neon.uaddlp.v4i32.v8i16(<8 x i16>)\n";
  RoundTrip trip = checkRoundTrip("f:\n\tretq\n", ir, Target::X86_64);
  EXPECT_TRUE(trip.parses) << trip.problem;
  EXPECT_FALSE(trip.compiles);
  EXPECT_FALSE(trip.ok());
  EXPECT_NE(trip.problem.find("the code generator failed on the IR (fatal)"), std::string::npos)
      << trip.problem;
}

} // namespace
