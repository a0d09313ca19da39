//===- EvaluationPoolWarmup.cpp - lazy LLVM state, set up before forking ---===//
#include "engine/EvaluationPoolWarmup.h"
#include "engine/Evaluator.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"

#include <set>

namespace optlm {

// Small, but it has what the size passes and code generation deal with: a
// loop, a call, a global table, a switch, memory intrinsics.
static const char WarmupModule[] = R"IR(
@table = internal constant [4 x i32] [i32 3, i32 5, i32 7, i32 11]

declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

define internal i32 @pick(i32 %i) {
  switch i32 %i, label %other [ i32 0, label %zero
                                i32 1, label %one ]
zero:
  ret i32 10
one:
  ret i32 20
other:
  %slot = getelementptr inbounds [4 x i32], ptr @table, i64 0, i32 %i
  %v = load i32, ptr %slot
  ret i32 %v
}

define i32 @run(i32 %n, ptr %buffer) #0 {
entry:
  %acc = alloca i32
  store i32 0, ptr %acc
  call void @llvm.memset.p0.i64(ptr %buffer, i8 0, i64 64, i1 false)
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %next, %loop ]
  %m = and i32 %i, 3
  %p = call i32 @pick(i32 %m)
  %old = load i32, ptr %acc
  %sum = add i32 %old, %p
  store i32 %sum, ptr %acc
  %next = add i32 %i, 1
  %done = icmp sge i32 %next, %n
  br i1 %done, label %exit, label %loop
exit:
  %r = load i32, ptr %acc
  ret i32 %r
}

attributes #0 = { minsize optsize nounwind }
)IR";

bool warmUpEvaluation(Target target) {
  static std::set<Target> warmed;
  if (!warmed.insert(target).second)
    return true;
  llvm::LLVMContext context;
  llvm::SMDiagnostic diagnostic;
  std::unique_ptr<llvm::Module> module =
      llvm::parseAssemblyString(WarmupModule, diagnostic, context);
  if (!module)
    return false;
  EvaluationResult result = evaluate(*module, Pipeline::level(OptLevel::O2), target);
  return result.outcome == Outcome::Ok;
}

} // namespace optlm
