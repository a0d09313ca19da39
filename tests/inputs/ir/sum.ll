; A loop that sums 0..n-1, as clang -Oz -Xclang -disable-llvm-passes writes
; it for x86-64: three functions, two defined.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@total = dso_local global i32 0, align 4

define dso_local i32 @sum(i32 noundef %n) #0 {
entry:
  br label %loop

loop:
  %i = phi i32 [ 0, %entry ], [ %next, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %loop ]
  %acc.next = add nsw i32 %acc, %i
  %next = add nsw i32 %i, 1
  %done = icmp sge i32 %next, %n
  br i1 %done, label %exit, label %loop

exit:
  ret i32 %acc.next
}

define dso_local i32 @main() #0 {
entry:
  %r = call i32 @sum(i32 noundef 10)
  store i32 %r, ptr @total, align 4
  %p = call i32 @putchar(i32 noundef 10)
  ret i32 0
}

declare i32 @putchar(i32 noundef) #0

attributes #0 = { minsize nounwind optsize "target-cpu"="x86-64" }
