; IR written for AArch64: a corpus takes it for AArch64 only.
target triple = "aarch64-unknown-linux-gnu"

define i32 @negate(i32 %x) {
  %r = sub i32 0, %x
  ret i32 %r
}
