	.text
	.file	"sources.c"
	.globl	hash_string                     // -- Begin function hash_string
	.p2align	2
	.type	hash_string,@function
hash_string:                            // @hash_string
	.cfi_startproc
// %bb.0:
	mov	w10, #1                         // =0x1
	mov	x8, x0
.LBB0_1:                                // =>This Inner Loop Header: Depth=1
	ldrb	w9, [x8], #1
	sub	x10, x10, #1
	cbnz	w9, .LBB0_1
// %bb.2:
	mov	w8, #40389                      // =0x9dc5
	movk	w8, #33052, lsl #16
	cbz	x10, .LBB0_5
// %bb.3:
	mov	w11, #403                       // =0x193
	mov	x9, xzr
	neg	x10, x10
	movk	w11, #256, lsl #16
.LBB0_4:                                // =>This Inner Loop Header: Depth=1
	ldrb	w12, [x0, x9]
	add	x9, x9, #1
	cmp	x10, x9
	eor	w8, w8, w12
	mul	w8, w8, w11
	b.ne	.LBB0_4
.LBB0_5:
	mov	w0, w8
	ret
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
	cmp	w2, #1
	b.lt	.LBB3_3
// %bb.1:
	movi	d0, #0000000000000000
	cmp	w2, #3
	mov	w8, w2
	b.hi	.LBB3_4
// %bb.2:
	mov	x9, xzr
	b	.LBB3_7
.LBB3_3:
	movi	d0, #0000000000000000
	ret
.LBB3_4:
	and	x9, x8, #0x7ffffffc
	add	x10, x0, #16
	add	x11, x1, #16
	mov	x12, x9
.LBB3_5:                                // =>This Inner Loop Header: Depth=1
	ldp	q1, q4, [x11, #-16]
	subs	x12, x12, #4
	ldp	q2, q3, [x10, #-16]
	add	x10, x10, #32
	add	x11, x11, #32
	fmul	v1.2d, v2.2d, v1.2d
	mov	d2, v1.d[1]
	fadd	d0, d0, d1
	fmul	v1.2d, v3.2d, v4.2d
	fadd	d0, d0, d2
	mov	d2, v1.d[1]
	fadd	d0, d0, d1
	fadd	d0, d0, d2
	b.ne	.LBB3_5
// %bb.6:
	cmp	x9, x8
	b.eq	.LBB3_9
.LBB3_7:
	lsl	x11, x9, #3
	sub	x8, x8, x9
	add	x10, x1, x11
	add	x11, x0, x11
.LBB3_8:                                // =>This Inner Loop Header: Depth=1
	ldr	d1, [x11], #8
	subs	x8, x8, #1
	ldr	d2, [x10], #8
	fmadd	d0, d1, d2, d0
	b.ne	.LBB3_8
.LBB3_9:
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
	cmp	w1, #2
	b.lt	.LBB4_7
// %bb.1:
	mov	w8, w1
	mov	w9, #1                          // =0x1
	b	.LBB4_4
.LBB4_2:                                //   in Loop: Header=BB4_4 Depth=1
	mov	x11, xzr
.LBB4_3:                                //   in Loop: Header=BB4_4 Depth=1
	sbfiz	x11, x11, #2, #32
	add	x9, x9, #1
	cmp	x9, x8
	str	w10, [x0, x11]
	b.eq	.LBB4_7
.LBB4_4:                                // =>This Loop Header: Depth=1
                                        //     Child Loop BB4_5 Depth 2
	ldr	w10, [x0, x9, lsl #2]
	mov	x11, x9
.LBB4_5:                                //   Parent Loop BB4_4 Depth=1
                                        // =>  This Inner Loop Header: Depth=2
	sub	x12, x11, #1
	ldr	w13, [x0, w12, uxtw #2]
	cmp	w13, w10
	b.le	.LBB4_3
// %bb.6:                               //   in Loop: Header=BB4_5 Depth=2
	add	x14, x12, #1
	str	w13, [x0, x11, lsl #2]
	mov	x11, x12
	cmp	x14, #1
	b.gt	.LBB4_5
	b	.LBB4_2
.LBB4_7:
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
	subs	w9, w1, #1
	b.lt	.LBB5_4
// %bb.1:
	mov	w10, wzr
.LBB5_2:                                // =>This Inner Loop Header: Depth=1
	sub	w8, w9, w10
	add	w8, w8, w8, lsr #31
	add	w8, w10, w8, asr #1
	ldr	w11, [x0, w8, sxtw #2]
	cmp	w11, w2
	b.eq	.LBB5_5
// %bb.3:                               //   in Loop: Header=BB5_2 Depth=1
	sub	w12, w8, #1
	cmp	w11, w2
	csinc	w10, w10, w8, ge
	csel	w9, w9, w12, lt
	cmp	w10, w9
	b.le	.LBB5_2
.LBB5_4:
	mov	w8, #-1                         // =0xffffffff
.LBB5_5:
	mov	w0, w8
	ret
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
	.cfi_def_cfa_offset 32
	stp	x20, x19, [sp, #16]             // 16-byte Folded Spill
	mov	x29, sp
	.cfi_def_cfa w29, 32
	.cfi_offset w19, -8
	.cfi_offset w20, -16
	.cfi_offset w30, -24
	.cfi_offset w29, -32
	cmp	w0, #2
	b.ge	.LBB8_2
// %bb.1:
	mov	x19, xzr
	b	.LBB8_4
.LBB8_2:
	mov	x19, xzr
	mov	w20, w0
.LBB8_3:                                // =>This Inner Loop Header: Depth=1
	sub	w0, w20, #1
	bl	fib
	mov	x8, x0
	sub	w0, w20, #2
	cmp	w20, #4
	add	x19, x8, x19
	mov	w20, w0
	b.hs	.LBB8_3
.LBB8_4:
	add	x0, x19, w0, sxtw
	.cfi_def_cfa wsp, 32
	ldp	x20, x19, [sp, #16]             // 16-byte Folded Reload
	ldp	x29, x30, [sp], #32             // 16-byte Folded Reload
	.cfi_def_cfa_offset 0
	.cfi_restore w19
	.cfi_restore w20
	.cfi_restore w30
	.cfi_restore w29
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
	cbz	w1, .LBB9_3
.LBB9_1:                                // =>This Inner Loop Header: Depth=1
	sdiv	w9, w0, w1
	mov	w8, w1
	msub	w1, w9, w1, w0
	mov	w0, w8
	cbnz	w1, .LBB9_1
// %bb.2:
	mov	w0, w8
.LBB9_3:
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
	movi	d0, #0000000000000000
	add	x8, x0, #8
	add	x9, x2, #8
	mov	w10, #4                         // =0x4
.LBB10_1:                               // =>This Inner Loop Header: Depth=1
	ldp	s2, s3, [x8, #-8]
	subs	x10, x10, #1
	ldr	s1, [x1]
	fmadd	s1, s2, s1, s0
	ldr	s2, [x1, #16]
	fmadd	s1, s3, s2, s1
	ldp	s3, s4, [x8]
	ldr	s2, [x1, #32]
	fmadd	s1, s3, s2, s1
	ldr	s2, [x1, #48]
	fmadd	s1, s4, s2, s1
	stur	s1, [x9, #-8]
	ldp	s2, s3, [x8, #-8]
	ldr	s1, [x1, #4]
	fmadd	s1, s2, s1, s0
	ldr	s2, [x1, #20]
	fmadd	s1, s3, s2, s1
	ldp	s3, s4, [x8]
	ldr	s2, [x1, #36]
	fmadd	s1, s3, s2, s1
	ldr	s2, [x1, #52]
	fmadd	s1, s4, s2, s1
	stur	s1, [x9, #-4]
	ldp	s2, s3, [x8, #-8]
	ldr	s1, [x1, #8]
	fmadd	s1, s2, s1, s0
	ldr	s2, [x1, #24]
	fmadd	s1, s3, s2, s1
	ldp	s3, s4, [x8]
	ldr	s2, [x1, #40]
	fmadd	s1, s3, s2, s1
	ldr	s2, [x1, #56]
	fmadd	s1, s4, s2, s1
	str	s1, [x9]
	ldp	s2, s3, [x8, #-8]
	ldr	s1, [x1, #12]
	fmadd	s1, s2, s1, s0
	ldr	s2, [x1, #28]
	fmadd	s1, s3, s2, s1
	ldr	s2, [x1, #44]
	ldp	s3, s4, [x8], #16
	fmadd	s1, s3, s2, s1
	ldr	s2, [x1, #60]
	fmadd	s1, s4, s2, s1
	str	s1, [x9, #4]
	add	x9, x9, #16
	b.ne	.LBB10_1
// %bb.2:
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
	b	.LBB11_3
.LBB11_1:                               //   in Loop: Header=BB11_3 Depth=1
	cmp	w10, #0
	mov	w9, #1                          // =0x1
	cinc	w8, w8, eq
.LBB11_2:                               //   in Loop: Header=BB11_3 Depth=1
	add	x0, x0, #1
	mov	w10, w9
.LBB11_3:                               // =>This Inner Loop Header: Depth=1
	ldrb	w11, [x0]
	sub	w9, w11, #9
	cmp	w9, #2
	mov	w9, wzr
	b.lo	.LBB11_2
// %bb.4:                               //   in Loop: Header=BB11_3 Depth=1
	cmp	w11, #32
	b.eq	.LBB11_2
// %bb.5:                               //   in Loop: Header=BB11_3 Depth=1
	cbnz	w11, .LBB11_1
// %bb.6:
	mov	w0, w8
	ret
.Lfunc_end11:
	.size	count_words, .Lfunc_end11-count_words
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
