; Valid IR that x86-64 instruction selection cannot handle: an AArch64
; intrinsic. llc-19 stops with "LLVM ERROR: Cannot select: intrinsic
; %llvm.aarch64.crc32b" through report_fatal_error, so evaluating any
; pipeline on it for x86-64 ends as a fatal error in code generation.
target triple = "x86_64-unknown-linux-gnu"

define i32 @crc(i32 %x) {
  %r = call i32 @llvm.aarch64.crc32b(i32 %x, i32 %x)
  ret i32 %r
}

declare i32 @llvm.aarch64.crc32b(i32, i32)
