; Written for AArch64, with its CPU named on the function: loading it for
; x86-64 must replace the triple and layout and drop the CPU attribute.
target datalayout = "e-m:e-i8:8:32-i16:16:32-i64:64-i128:128-n32:64-S128-Fn32"
target triple = "aarch64-unknown-linux-gnu"

define i64 @twice(i64 %x) #0 {
  %y = shl i64 %x, 1
  ret i64 %y
}

attributes #0 = { minsize optsize "target-cpu"="generic" "target-features"="+neon" }
