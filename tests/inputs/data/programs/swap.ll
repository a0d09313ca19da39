; Hand-written IR without a target triple: taken for every requested target.
define void @swap(ptr %a, ptr %b) {
entry:
  %x = load i32, ptr %a
  %y = load i32, ptr %b
  store i32 %y, ptr %a
  store i32 %x, ptr %b
  ret void
}
