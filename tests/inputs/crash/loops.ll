; A small unoptimized module in the shape of LLM Compiler's inputs (clang
; -Oz with the LLVM passes disabled): allocas, a loop, a helper call, a
; global. Real pipelines change it; codegenprepare run as an IR pass
; crashes Debian's LLVM 19 on it.
target triple = "x86_64-unknown-linux-gnu"

@table = global [8 x i32] [i32 1, i32 2, i32 3, i32 4, i32 5, i32 6, i32 7, i32 8], align 16

define internal i32 @square(i32 noundef %x) #0 {
entry:
  %x.addr = alloca i32, align 4
  store i32 %x, ptr %x.addr, align 4
  %0 = load i32, ptr %x.addr, align 4
  %1 = load i32, ptr %x.addr, align 4
  %mul = mul nsw i32 %0, %1
  ret i32 %mul
}

define i32 @sum_squares(i32 noundef %n) #0 {
entry:
  %n.addr = alloca i32, align 4
  %sum = alloca i32, align 4
  %i = alloca i32, align 4
  store i32 %n, ptr %n.addr, align 4
  store i32 0, ptr %sum, align 4
  store i32 0, ptr %i, align 4
  br label %cond

cond:
  %0 = load i32, ptr %i, align 4
  %1 = load i32, ptr %n.addr, align 4
  %cmp = icmp slt i32 %0, %1
  br i1 %cmp, label %body, label %end

body:
  %2 = load i32, ptr %i, align 4
  %rem = srem i32 %2, 8
  %idx = sext i32 %rem to i64
  %slot = getelementptr inbounds [8 x i32], ptr @table, i64 0, i64 %idx
  %3 = load i32, ptr %slot, align 4
  %call = call i32 @square(i32 noundef %3)
  %4 = load i32, ptr %sum, align 4
  %add = add nsw i32 %4, %call
  store i32 %add, ptr %sum, align 4
  %5 = load i32, ptr %i, align 4
  %inc = add nsw i32 %5, 1
  store i32 %inc, ptr %i, align 4
  br label %cond

end:
  %6 = load i32, ptr %sum, align 4
  ret i32 %6
}

attributes #0 = { minsize noinline nounwind optsize "frame-pointer"="none" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "tune-cpu"="generic" }
