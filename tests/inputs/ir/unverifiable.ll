; Parses, but %a uses %b before %b is defined: only the verifier notices.
define i32 @f(i32 %x) {
  %a = add i32 %b, 1
  %b = add i32 %a, %x
  ret i32 %b
}
