; Two small functions in the form LLM Compiler's inputs take (clang -Oz with
; the LLVM passes disabled): the tiny-model tests need a prompt that fits a
; small context.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

define internal i32 @twice(i32 %x) #0 {
entry:
  %x.addr = alloca i32, align 4
  store i32 %x, ptr %x.addr, align 4
  %0 = load i32, ptr %x.addr, align 4
  %mul = mul nsw i32 %0, 2
  ret i32 %mul
}

define i32 @sum_twice(i32 %n) #0 {
entry:
  %total = alloca i32, align 4
  %i = alloca i32, align 4
  store i32 0, ptr %total, align 4
  store i32 0, ptr %i, align 4
  br label %cond

cond:
  %0 = load i32, ptr %i, align 4
  %cmp = icmp slt i32 %0, %n
  br i1 %cmp, label %body, label %done

body:
  %1 = load i32, ptr %i, align 4
  %call = call i32 @twice(i32 %1)
  %2 = load i32, ptr %total, align 4
  %add = add nsw i32 %2, %call
  store i32 %add, ptr %total, align 4
  %3 = load i32, ptr %i, align 4
  %inc = add nsw i32 %3, 1
  store i32 %inc, ptr %i, align 4
  br label %cond

done:
  %4 = load i32, ptr %total, align 4
  ret i32 %4
}

attributes #0 = { minsize nounwind optsize }
