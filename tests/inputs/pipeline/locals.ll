; A function that keeps its locals in memory, as clang -O0 writes it, and a
; loop with an invariant load: sroa removes the allocas, licm hoists the load.
define i32 @sum(ptr %p, i32 %n) {
entry:
  %total = alloca i32
  %i = alloca i32
  store i32 0, ptr %total
  store i32 0, ptr %i
  br label %header
header:
  %iv = load i32, ptr %i
  %more = icmp slt i32 %iv, %n
  br i1 %more, label %body, label %exit
body:
  %value = load i32, ptr %p
  %t = load i32, ptr %total
  %t1 = add i32 %t, %value
  store i32 %t1, ptr %total
  %next = add i32 %iv, 1
  store i32 %next, ptr %i
  br label %header
exit:
  %result = load i32, ptr %total
  ret i32 %result
}
