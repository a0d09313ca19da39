; IR as Debian's clang-19 writes it without --target: the vendor field says
; "pc", optlm says "unknown"; both are x86-64 Linux.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

define i32 @negate(i32 %x) {
  %r = sub i32 0, %x
  ret i32 %r
}
