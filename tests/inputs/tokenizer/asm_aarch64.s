	.text
	.file	"sources.c"
	.globl	hash_string                     // -- Begin function hash_string
	.p2align	2
	.type	hash_string,@function
hash_string:                            // @hash_string
	.cfi_startproc
// %bb.0:
	mov	w8, #1                          // =0x1
	mov	x9, x0
.LBB0_1:                                // =>This Inner Loop Header: Depth=1
	ldrb	w10, [x9], #1
	sub	x8, x8, #1
	cbnz	w10, .LBB0_1
// %bb.2:
	neg	x10, x8
	mov	w8, #40389                      // =0x9dc5
	mov	w11, #403                       // =0x193
	mov	x9, xzr
	movk	w8, #33052, lsl #16
	movk	w11, #256, lsl #16
.LBB0_3:                                // =>This Inner Loop Header: Depth=1
	cmp	x10, x9
	b.eq	.LBB0_5
// %bb.4:                               //   in Loop: Header=BB0_3 Depth=1
	ldrb	w12, [x0, x9]
	add	x9, x9, #1
	eor	w8, w8, w12
	mul	w8, w8, w11
	b	.LBB0_3
.LBB0_5:
	b	OUTLINED_FUNCTION_0
.Lfunc_end0:
	.size	hash_string, .Lfunc_end0-hash_string
	.cfi_endproc
                                        // -- End function
	.globl	list_sum                        // -- Begin function list_sum
	.p2align	2
	.type	list_sum,@function
list_sum:                               // @list_sum
	.cfi_startproc
// %bb.0:
	mov	x8, xzr
	cbz	x0, .LBB1_2
.LBB1_1:                                // =>This Inner Loop Header: Depth=1
	ldp	x0, x9, [x0]
	add	x8, x9, x8
	cbnz	x0, .LBB1_1
.LBB1_2:
	mov	x0, x8
	ret
.Lfunc_end1:
	.size	list_sum, .Lfunc_end1-list_sum
	.cfi_endproc
                                        // -- End function
	.globl	manhattan                       // -- Begin function manhattan
	.p2align	2
	.type	manhattan,@function
manhattan:                              // @manhattan
	.cfi_startproc
// %bb.0:
	lsr	x8, x0, #32
	lsr	x9, x1, #32
	subs	w10, w0, w1
	sub	w8, w8, w9
	cneg	w9, w10, mi
	cmp	w8, #0
	cneg	w8, w8, mi
	add	w0, w8, w9
	ret
.Lfunc_end2:
	.size	manhattan, .Lfunc_end2-manhattan
	.cfi_endproc
                                        // -- End function
	.globl	dot                             // -- Begin function dot
	.p2align	2
	.type	dot,@function
dot:                                    // @dot
	.cfi_startproc
// %bb.0:
	movi	d0, #0000000000000000
	bic	w8, w2, w2, asr #31
	cbz	x8, .LBB3_2
.LBB3_1:                                // =>This Inner Loop Header: Depth=1
	ldr	d1, [x0], #8
	sub	x8, x8, #1
	ldr	d2, [x1], #8
	fmadd	d0, d1, d2, d0
	cbnz	x8, .LBB3_1
.LBB3_2:
	ret
.Lfunc_end3:
	.size	dot, .Lfunc_end3-dot
	.cfi_endproc
                                        // -- End function
	.globl	insertion_sort                  // -- Begin function insertion_sort
	.p2align	2
	.type	insertion_sort,@function
insertion_sort:                         // @insertion_sort
	.cfi_startproc
// %bb.0:
                                        // kill: def $w1 killed $w1 def $x1
	sxtw	x9, w1
	mov	w8, #1                          // =0x1
	mov	x10, x0
.LBB4_1:                                // =>This Loop Header: Depth=1
                                        //     Child Loop BB4_3 Depth 2
	cmp	x8, x9
	b.ge	.LBB4_9
// %bb.2:                               //   in Loop: Header=BB4_1 Depth=1
	ldr	w11, [x0, x8, lsl #2]
	mov	x12, xzr
.LBB4_3:                                //   Parent Loop BB4_1 Depth=1
                                        // =>  This Inner Loop Header: Depth=2
	add	x13, x8, x12
	cmp	x13, #1
	b.lt	.LBB4_6
// %bb.4:                               //   in Loop: Header=BB4_3 Depth=2
	ldr	w13, [x10, x12, lsl #2]
	cmp	w13, w11
	b.le	.LBB4_7
// %bb.5:                               //   in Loop: Header=BB4_3 Depth=2
	add	x14, x10, x12, lsl #2
	sub	x12, x12, #1
	str	w13, [x14, #4]
	b	.LBB4_3
.LBB4_6:                                //   in Loop: Header=BB4_1 Depth=1
	mov	x12, xzr
	b	.LBB4_8
.LBB4_7:                                //   in Loop: Header=BB4_1 Depth=1
	add	x12, x8, x12
.LBB4_8:                                //   in Loop: Header=BB4_1 Depth=1
	sbfiz	x12, x12, #2, #32
	add	x8, x8, #1
	add	x10, x10, #4
	str	w11, [x0, x12]
	b	.LBB4_1
.LBB4_9:
	ret
.Lfunc_end4:
	.size	insertion_sort, .Lfunc_end4-insertion_sort
	.cfi_endproc
                                        // -- End function
	.globl	binary_search                   // -- Begin function binary_search
	.p2align	2
	.type	binary_search,@function
binary_search:                          // @binary_search
	.cfi_startproc
// %bb.0:
	mov	w9, wzr
	sub	w10, w1, #1
	mov	w11, #2                         // =0x2
.LBB5_1:                                // =>This Inner Loop Header: Depth=1
	subs	w8, w10, w9
	b.lt	.LBB5_4
// %bb.2:                               //   in Loop: Header=BB5_1 Depth=1
	sdiv	w8, w8, w11
	add	w8, w8, w9
	ldr	w12, [x0, w8, sxtw #2]
	cmp	w12, w2
	b.eq	.LBB5_5
// %bb.3:                               //   in Loop: Header=BB5_1 Depth=1
	sub	w13, w8, #1
	cmp	w12, w2
	csinc	w9, w9, w8, ge
	csel	w10, w10, w13, lt
	b	.LBB5_1
.LBB5_4:
	mov	w8, #-1                         // =0xffffffff
.LBB5_5:
	b	OUTLINED_FUNCTION_0
.Lfunc_end5:
	.size	binary_search, .Lfunc_end5-binary_search
	.cfi_endproc
                                        // -- End function
	.globl	popcount32                      // -- Begin function popcount32
	.p2align	2
	.type	popcount32,@function
popcount32:                             // @popcount32
	.cfi_startproc
// %bb.0:
	fmov	s0, w0
	cnt	v0.8b, v0.8b
	uaddlv	h0, v0.8b
	fmov	w0, s0
	ret
.Lfunc_end6:
	.size	popcount32, .Lfunc_end6-popcount32
	.cfi_endproc
                                        // -- End function
	.globl	digit_name                      // -- Begin function digit_name
	.p2align	2
	.type	digit_name,@function
digit_name:                             // @digit_name
	.cfi_startproc
// %bb.0:
	cmp	w0, #4
	b.hi	.LBB7_2
// %bb.1:
	adrp	x8, names.rel
	add	x8, x8, :lo12:names.rel
	ldrsw	x9, [x8, w0, uxtw #2]
	add	x0, x8, x9
	ret
.LBB7_2:
	adrp	x0, .L.str
	add	x0, x0, :lo12:.L.str
	ret
.Lfunc_end7:
	.size	digit_name, .Lfunc_end7-digit_name
	.cfi_endproc
                                        // -- End function
	.globl	fib                             // -- Begin function fib
	.p2align	2
	.type	fib,@function
fib:                                    // @fib
	.cfi_startproc
// %bb.0:
	stp	x29, x30, [sp, #-32]!           // 16-byte Folded Spill
	stp	x20, x19, [sp, #16]             // 16-byte Folded Spill
	mov	x29, sp
	.cfi_def_cfa w29, 32
	.cfi_offset w19, -8
	.cfi_offset w20, -16
	.cfi_offset w30, -24
	.cfi_offset w29, -32
                                        // kill: def $w0 killed $w0 def $x0
	sxtw	x19, w0
	mov	x20, xzr
.LBB8_1:                                // =>This Inner Loop Header: Depth=1
	subs	w0, w19, #1
	b.le	.LBB8_3
// %bb.2:                               //   in Loop: Header=BB8_1 Depth=1
	bl	fib
	sub	x19, x19, #2
	add	x20, x0, x20
	b	.LBB8_1
.LBB8_3:
	add	x0, x19, x20
	ldp	x20, x19, [sp, #16]             // 16-byte Folded Reload
	ldp	x29, x30, [sp], #32             // 16-byte Folded Reload
	ret
.Lfunc_end8:
	.size	fib, .Lfunc_end8-fib
	.cfi_endproc
                                        // -- End function
	.globl	gcd                             // -- Begin function gcd
	.p2align	2
	.type	gcd,@function
gcd:                                    // @gcd
	.cfi_startproc
// %bb.0:
	cbz	w1, .LBB9_2
.LBB9_1:                                // =>This Inner Loop Header: Depth=1
	sdiv	w9, w0, w1
	mov	w8, w1
	msub	w1, w9, w1, w0
	mov	w0, w8
	cbnz	w1, .LBB9_1
.LBB9_2:
	ret
.Lfunc_end9:
	.size	gcd, .Lfunc_end9-gcd
	.cfi_endproc
                                        // -- End function
	.globl	matmul4                         // -- Begin function matmul4
	.p2align	2
	.type	matmul4,@function
matmul4:                                // @matmul4
	.cfi_startproc
// %bb.0:
	mov	x8, xzr
.LBB10_1:                               // =>This Loop Header: Depth=1
                                        //     Child Loop BB10_3 Depth 2
                                        //       Child Loop BB10_5 Depth 3
	cmp	x8, #4
	b.eq	.LBB10_9
// %bb.2:                               //   in Loop: Header=BB10_1 Depth=1
	add	x10, x2, x8, lsl #4
	mov	x9, xzr
	mov	x11, x1
.LBB10_3:                               //   Parent Loop BB10_1 Depth=1
                                        // =>  This Loop Header: Depth=2
                                        //       Child Loop BB10_5 Depth 3
	cmp	x9, #4
	b.eq	.LBB10_8
// %bb.4:                               //   in Loop: Header=BB10_3 Depth=2
	movi	d0, #0000000000000000
	mov	x12, xzr
.LBB10_5:                               //   Parent Loop BB10_1 Depth=1
                                        //     Parent Loop BB10_3 Depth=2
                                        // =>    This Inner Loop Header: Depth=3
	cmp	x12, #16
	b.eq	.LBB10_7
// %bb.6:                               //   in Loop: Header=BB10_5 Depth=3
	ldr	s1, [x0, x12]
	ldr	s2, [x11, x12, lsl #2]
	add	x12, x12, #4
	fmadd	s0, s1, s2, s0
	b	.LBB10_5
.LBB10_7:                               //   in Loop: Header=BB10_3 Depth=2
	str	s0, [x10, x9, lsl #2]
	add	x9, x9, #1
	add	x11, x11, #4
	b	.LBB10_3
.LBB10_8:                               //   in Loop: Header=BB10_1 Depth=1
	add	x8, x8, #1
	add	x0, x0, #16
	b	.LBB10_1
.LBB10_9:
	ret
.Lfunc_end10:
	.size	matmul4, .Lfunc_end10-matmul4
	.cfi_endproc
                                        // -- End function
	.globl	count_words                     // -- Begin function count_words
	.p2align	2
	.type	count_words,@function
count_words:                            // @count_words
	.cfi_startproc
// %bb.0:
	mov	w8, wzr
	mov	w10, wzr
.LBB11_1:                               // =>This Inner Loop Header: Depth=1
	ldrb	w11, [x0]
	sub	w9, w11, #9
	cmp	w9, #2
	mov	w9, wzr
	b.lo	.LBB11_5
// %bb.2:                               //   in Loop: Header=BB11_1 Depth=1
	cmp	w11, #32
	b.eq	.LBB11_5
// %bb.3:                               //   in Loop: Header=BB11_1 Depth=1
	cbz	w11, .LBB11_6
// %bb.4:                               //   in Loop: Header=BB11_1 Depth=1
	cmp	w10, #0
	mov	w9, #1                          // =0x1
	cinc	w8, w8, eq
.LBB11_5:                               //   in Loop: Header=BB11_1 Depth=1
	add	x0, x0, #1
	mov	w10, w9
	b	.LBB11_1
.LBB11_6:
	b	OUTLINED_FUNCTION_0
.Lfunc_end11:
	.size	count_words, .Lfunc_end11-count_words
	.cfi_endproc
                                        // -- End function
	.p2align	2                               // -- Begin function OUTLINED_FUNCTION_0
	.type	OUTLINED_FUNCTION_0,@function
OUTLINED_FUNCTION_0:                    // @OUTLINED_FUNCTION_0 Tail Call
	.cfi_startproc
// %bb.0:
	mov	w0, w8
	ret
.Lfunc_end12:
	.size	OUTLINED_FUNCTION_0, .Lfunc_end12-OUTLINED_FUNCTION_0
	.cfi_endproc
                                        // -- End function
	.type	names.rel,@object               // @names.rel
	.section	.rodata,"a",@progbits
	.p2align	2, 0x0
names.rel:
	.word	.L.str.1-names.rel
	.word	.L.str.2-names.rel
	.word	.L.str.3-names.rel
	.word	.L.str.4-names.rel
	.word	.L.str.5-names.rel
	.size	names.rel, 20

	.type	.L.str,@object                  // @.str
	.section	.rodata.str1.1,"aMS",@progbits,1
.L.str:
	.asciz	"many"
	.size	.L.str, 5

	.type	.L.str.1,@object                // @.str.1
.L.str.1:
	.asciz	"zero"
	.size	.L.str.1, 5

	.type	.L.str.2,@object                // @.str.2
.L.str.2:
	.asciz	"one"
	.size	.L.str.2, 4

	.type	.L.str.3,@object                // @.str.3
.L.str.3:
	.asciz	"two"
	.size	.L.str.3, 4

	.type	.L.str.4,@object                // @.str.4
.L.str.4:
	.asciz	"three"
	.size	.L.str.4, 6

	.type	.L.str.5,@object                // @.str.5
.L.str.5:
	.asciz	"four"
	.size	.L.str.5, 5

	.ident	"Debian clang version 19.1.7 (3~deb12u1)"
	.section	".note.GNU-stack","",@progbits
	.addrsig
