//===- PassOptionsTest.cpp - the IR outliner stays within blocks ----------===//
//
// engine/PassOptions.h: the engine runs the IR outliner without branch
// matching, since with it LLVM 19 miscompiled pcre2's JIT compiler. Two
// functions share a region that spans an if-else: opt-19 outlines it by
// default and not with -no-ir-sim-branch-matching; optlm must do the latter
// (and say so in its results' version).
//
//===----------------------------------------------------------------------===//
#include "engine/Evaluator.h"
#include "support/ResultsVersion.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <string>

using namespace llvm;
using namespace optlm;

namespace {

/// A function after sroa and instcombine with an if-else; two of them
/// (f and g) share it.
constexpr const char *kFunctionWithBranches = R"(
define i32 @NAME(ptr %p, i32 %n) {
  %a = load i32, ptr %p, align 4
  %b = mul nsw i32 %a, 3
  %s = add nsw i32 %b, %n
  %c = icmp sgt i32 %s, 10
  br i1 %c, label %then, label %else
then:
  %t1 = call i32 @sink(i32 %s)
  %t2 = getelementptr inbounds i8, ptr %p, i64 4
  %t3 = load i32, ptr %t2, align 4
  %t4 = add nsw i32 %t1, %t3
  %t5 = getelementptr inbounds i8, ptr %p, i64 8
  store i32 %t4, ptr %t5, align 4
  br label %join
else:
  %e0 = add nsw i32 %s, -1
  %e1 = call i32 @sink(i32 %e0)
  %e2 = getelementptr inbounds i8, ptr %p, i64 4
  %e3 = load i32, ptr %e2, align 4
  %e4 = sub nsw i32 %e1, %e3
  %e5 = getelementptr inbounds i8, ptr %p, i64 12
  store i32 %e4, ptr %e5, align 4
  br label %join
join:
  %v = phi i32 [ %t4, %then ], [ %e4, %else ]
  %m = mul nsw i32 %v, 7
  %q = getelementptr inbounds i8, ptr %p, i64 16
  store i32 %m, ptr %q, align 4
  %r = getelementptr inbounds i8, ptr %p, i64 20
  %w = load i32, ptr %r, align 4
  %x = add nsw i32 %v, %w
  ret i32 %x
}
)";

std::string sharedBranches() {
  std::string text = "declare i32 @sink(i32)\n";
  for (const char *name : {"f", "g"}) {
    std::string function = kFunctionWithBranches;
    function.replace(function.find("NAME"), 4, name);
    text += function;
  }
  return text;
}

/// Functions opt-19 -passes=iroutliner leaves in the module, with `flags`.
int definedByOpt(StringRef input, std::vector<StringRef> flags) {
  SmallString<128> output;
  if (sys::fs::createTemporaryFile("optlm-outliner", "ll", output))
    return -1;
  std::vector<StringRef> argv = {OPTLM_OPT_PATH};
  argv.insert(argv.end(), flags.begin(), flags.end());
  for (StringRef argument : {StringRef("-passes=iroutliner"), StringRef("-S"), input,
                             StringRef("-o"), StringRef(output)})
    argv.push_back(argument);
  if (sys::ExecuteAndWait(OPTLM_OPT_PATH, argv) != 0)
    return -1;
  LLVMContext context;
  SMDiagnostic diagnostic;
  std::unique_ptr<Module> module = parseAssemblyFile(output, diagnostic, context);
  sys::fs::remove(output);
  if (!module)
    return -1;
  int defined = 0;
  for (const Function &function : *module)
    defined += !function.isDeclaration();
  return defined;
}

TEST(PassOptions, TheIROutlinerOutlinesNoRegionAcrossBranches) {
  LLVMContext context;
  SMDiagnostic diagnostic;
  const std::string input = sharedBranches();
  std::unique_ptr<Module> module = parseAssemblyString(input, diagnostic, context);
  ASSERT_TRUE(module) << diagnostic.getMessage().str();

  // The input is what it claims: opt-19 outlines the if-else by default.
  SmallString<128> inputPath;
  ASSERT_FALSE(sys::fs::createTemporaryFile("optlm-shared-branches", "ll", inputPath));
  {
    std::error_code error;
    raw_fd_ostream stream(inputPath, error);
    ASSERT_FALSE(error);
    stream << input;
  }
  EXPECT_EQ(definedByOpt(inputPath, {}), 3);
  EXPECT_EQ(definedByOpt(inputPath, {"-no-ir-sim-branch-matching"}), 2);
  sys::fs::remove(inputPath);

  auto optimized = optimizeModule(*module, cantFail(Pipeline::parse("iroutliner")), Target::X86_64);
  ASSERT_TRUE(bool(optimized)) << toString(optimized.takeError());
  int defined = 0;
  for (const Function &function : *optimized->module)
    defined += !function.isDeclaration();
  EXPECT_EQ(defined, 2) << "the engine outlined a region across branches";
  EXPECT_TRUE(StringRef(kResultsVersion).ends_with("+no-ir-sim-branch-matching"));
}

} // namespace
