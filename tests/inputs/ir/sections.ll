; One global of each kind llvm-size tells apart: initialised data (.data),
; zeroed data (.bss), a read-only string (.rodata.str1.1) and code (.text).
target triple = "x86_64-unknown-linux-gnu"

@counts = dso_local global [3 x i32] [i32 1, i32 2, i32 3], align 4
@zeros = dso_local global [16 x i32] zeroinitializer, align 4
@.greeting = private unnamed_addr constant [5 x i8] c"hell\00", align 1

define dso_local ptr @pick(i64 %i) #0 {
  %p = getelementptr inbounds [3 x i32], ptr @counts, i64 0, i64 %i
  %v = load i32, ptr %p, align 4
  %q = getelementptr inbounds [16 x i32], ptr @zeros, i64 0, i64 %i
  store i32 %v, ptr %q, align 4
  ret ptr @.greeting
}

attributes #0 = { minsize nounwind optsize uwtable }
