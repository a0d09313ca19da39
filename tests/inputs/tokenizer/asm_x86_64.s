	.text
	.file	"sources.c"
	.globl	hash_string                     # -- Begin function hash_string
	.type	hash_string,@function
hash_string:                            # @hash_string
	.cfi_startproc
# %bb.0:
	pushq	$-1
	.cfi_adjust_cfa_offset 8
	popq	%rcx
	.cfi_adjust_cfa_offset -8
.LBB0_1:                                # =>This Inner Loop Header: Depth=1
	cmpb	$0, 1(%rdi,%rcx)
	leaq	1(%rcx), %rcx
	jne	.LBB0_1
# %bb.2:
	movl	$-2128831035, %eax              # imm = 0x811C9DC5
	xorl	%edx, %edx
.LBB0_3:                                # =>This Inner Loop Header: Depth=1
	cmpq	%rdx, %rcx
	je	.LBB0_5
# %bb.4:                                #   in Loop: Header=BB0_3 Depth=1
	movzbl	(%rdi,%rdx), %esi
	xorl	%esi, %eax
	imull	$16777619, %eax, %eax           # imm = 0x1000193
	incq	%rdx
	jmp	.LBB0_3
.LBB0_5:
	retq
.Lfunc_end0:
	.size	hash_string, .Lfunc_end0-hash_string
	.cfi_endproc
                                        # -- End function
	.globl	list_sum                        # -- Begin function list_sum
	.type	list_sum,@function
list_sum:                               # @list_sum
	.cfi_startproc
# %bb.0:
	xorl	%eax, %eax
.LBB1_1:                                # =>This Inner Loop Header: Depth=1
	testq	%rdi, %rdi
	je	.LBB1_3
# %bb.2:                                #   in Loop: Header=BB1_1 Depth=1
	addq	8(%rdi), %rax
	movq	(%rdi), %rdi
	jmp	.LBB1_1
.LBB1_3:
	retq
.Lfunc_end1:
	.size	list_sum, .Lfunc_end1-list_sum
	.cfi_endproc
                                        # -- End function
	.globl	manhattan                       # -- Begin function manhattan
	.type	manhattan,@function
manhattan:                              # @manhattan
	.cfi_startproc
# %bb.0:
	movq	%rdi, %rcx
	shrq	$32, %rcx
	subl	%esi, %edi
	shrq	$32, %rsi
	subl	%esi, %ecx
	movl	%edi, %edx
	negl	%edx
	cmovsl	%edi, %edx
	movl	%ecx, %eax
	negl	%eax
	cmovsl	%ecx, %eax
	addl	%edx, %eax
	retq
.Lfunc_end2:
	.size	manhattan, .Lfunc_end2-manhattan
	.cfi_endproc
                                        # -- End function
	.globl	dot                             # -- Begin function dot
	.type	dot,@function
dot:                                    # @dot
	.cfi_startproc
# %bb.0:
                                        # kill: def $edx killed $edx def $rdx
	xorl	%eax, %eax
	testl	%edx, %edx
	cmovlel	%eax, %edx
	xorpd	%xmm0, %xmm0
.LBB3_1:                                # =>This Inner Loop Header: Depth=1
	cmpq	%rax, %rdx
	je	.LBB3_2
# %bb.3:                                #   in Loop: Header=BB3_1 Depth=1
	movsd	(%rdi,%rax,8), %xmm1            # xmm1 = mem[0],zero
	mulsd	(%rsi,%rax,8), %xmm1
	addsd	%xmm1, %xmm0
	incq	%rax
	jmp	.LBB3_1
.LBB3_2:
	retq
.Lfunc_end3:
	.size	dot, .Lfunc_end3-dot
	.cfi_endproc
                                        # -- End function
	.globl	insertion_sort                  # -- Begin function insertion_sort
	.type	insertion_sort,@function
insertion_sort:                         # @insertion_sort
	.cfi_startproc
# %bb.0:
	movslq	%esi, %rax
	pushq	$1
	.cfi_adjust_cfa_offset 8
	popq	%rcx
	.cfi_adjust_cfa_offset -8
.LBB4_1:                                # =>This Loop Header: Depth=1
                                        #     Child Loop BB4_3 Depth 2
	cmpq	%rax, %rcx
	jge	.LBB4_8
# %bb.2:                                #   in Loop: Header=BB4_1 Depth=1
	movl	(%rdi,%rcx,4), %edx
	movq	%rcx, %rsi
.LBB4_3:                                #   Parent Loop BB4_1 Depth=1
                                        # =>  This Inner Loop Header: Depth=2
	testq	%rsi, %rsi
	jle	.LBB4_4
# %bb.6:                                #   in Loop: Header=BB4_3 Depth=2
	movl	-4(%rdi,%rsi,4), %r8d
	cmpl	%edx, %r8d
	jle	.LBB4_5
# %bb.7:                                #   in Loop: Header=BB4_3 Depth=2
	movl	%r8d, (%rdi,%rsi,4)
	decq	%rsi
	jmp	.LBB4_3
.LBB4_4:                                #   in Loop: Header=BB4_1 Depth=1
	xorl	%esi, %esi
.LBB4_5:                                #   in Loop: Header=BB4_1 Depth=1
	movslq	%esi, %rsi
	movl	%edx, (%rdi,%rsi,4)
	incq	%rcx
	jmp	.LBB4_1
.LBB4_8:
	retq
.Lfunc_end4:
	.size	insertion_sort, .Lfunc_end4-insertion_sort
	.cfi_endproc
                                        # -- End function
	.globl	binary_search                   # -- Begin function binary_search
	.type	binary_search,@function
binary_search:                          # @binary_search
	.cfi_startproc
# %bb.0:
	movl	%edx, %r8d
	decl	%esi
	xorl	%r9d, %r9d
	pushq	$-1
	.cfi_adjust_cfa_offset 8
	popq	%rcx
	.cfi_adjust_cfa_offset -8
	pushq	$2
	.cfi_adjust_cfa_offset 8
	popq	%r10
	.cfi_adjust_cfa_offset -8
.LBB5_1:                                # =>This Inner Loop Header: Depth=1
	movl	%esi, %eax
	subl	%r9d, %eax
	jl	.LBB5_4
# %bb.2:                                #   in Loop: Header=BB5_1 Depth=1
	cltd
	idivl	%r10d
                                        # kill: def $eax killed $eax def $rax
	addl	%r9d, %eax
	movslq	%eax, %rdx
	movl	(%rdi,%rdx,4), %edx
	cmpl	%r8d, %edx
	je	.LBB5_3
# %bb.5:                                #   in Loop: Header=BB5_1 Depth=1
	leal	1(%rax), %r11d
	decl	%eax
	cmpl	%r8d, %edx
	cmovll	%r11d, %r9d
	cmovll	%esi, %eax
	movl	%eax, %esi
	jmp	.LBB5_1
.LBB5_3:
	movl	%eax, %ecx
.LBB5_4:
	movl	%ecx, %eax
	retq
.Lfunc_end5:
	.size	binary_search, .Lfunc_end5-binary_search
	.cfi_endproc
                                        # -- End function
	.globl	popcount32                      # -- Begin function popcount32
	.type	popcount32,@function
popcount32:                             # @popcount32
	.cfi_startproc
# %bb.0:
	movl	%edi, %eax
	shrl	%eax
	andl	$1431655765, %eax               # imm = 0x55555555
	subl	%eax, %edi
	movl	$858993459, %eax                # imm = 0x33333333
	movl	%edi, %ecx
	andl	%eax, %ecx
	shrl	$2, %edi
	andl	%eax, %edi
	addl	%ecx, %edi
	movl	%edi, %eax
	shrl	$4, %eax
	addl	%edi, %eax
	andl	$252645135, %eax                # imm = 0xF0F0F0F
	imull	$16843009, %eax, %eax           # imm = 0x1010101
	shrl	$24, %eax
	retq
.Lfunc_end6:
	.size	popcount32, .Lfunc_end6-popcount32
	.cfi_endproc
                                        # -- End function
	.globl	digit_name                      # -- Begin function digit_name
	.type	digit_name,@function
digit_name:                             # @digit_name
	.cfi_startproc
# %bb.0:
	cmpl	$4, %edi
	ja	.LBB7_1
# %bb.2:
	movl	%edi, %eax
	leaq	names.rel(%rip), %rcx
	movslq	(%rcx,%rax,4), %rax
	addq	%rcx, %rax
	retq
.LBB7_1:
	leaq	.L.str(%rip), %rax
	retq
.Lfunc_end7:
	.size	digit_name, .Lfunc_end7-digit_name
	.cfi_endproc
                                        # -- End function
	.globl	fib                             # -- Begin function fib
	.type	fib,@function
fib:                                    # @fib
	.cfi_startproc
# %bb.0:
	pushq	%r14
	.cfi_def_cfa_offset 16
	pushq	%rbx
	.cfi_def_cfa_offset 24
	pushq	%rax
	.cfi_def_cfa_offset 32
	.cfi_offset %rbx, -24
	.cfi_offset %r14, -16
	movslq	%edi, %rbx
	xorl	%r14d, %r14d
.LBB8_1:                                # =>This Inner Loop Header: Depth=1
	cmpl	$1, %ebx
	jle	.LBB8_2
# %bb.3:                                #   in Loop: Header=BB8_1 Depth=1
	leal	-1(%rbx), %edi
	callq	fib
	addq	%rax, %r14
	addq	$-2, %rbx
	jmp	.LBB8_1
.LBB8_2:
	addq	%r14, %rbx
	movq	%rbx, %rax
	addq	$8, %rsp
	.cfi_def_cfa_offset 24
	popq	%rbx
	.cfi_def_cfa_offset 16
	popq	%r14
	.cfi_def_cfa_offset 8
	retq
.Lfunc_end8:
	.size	fib, .Lfunc_end8-fib
	.cfi_endproc
                                        # -- End function
	.globl	gcd                             # -- Begin function gcd
	.type	gcd,@function
gcd:                                    # @gcd
	.cfi_startproc
# %bb.0:
	movl	%esi, %edx
	movl	%edi, %eax
.LBB9_1:                                # =>This Inner Loop Header: Depth=1
	testl	%edx, %edx
	je	.LBB9_3
# %bb.2:                                #   in Loop: Header=BB9_1 Depth=1
	movl	%edx, %ecx
	cltd
	idivl	%ecx
	movl	%ecx, %eax
	jmp	.LBB9_1
.LBB9_3:
	retq
.Lfunc_end9:
	.size	gcd, .Lfunc_end9-gcd
	.cfi_endproc
                                        # -- End function
	.globl	matmul4                         # -- Begin function matmul4
	.type	matmul4,@function
matmul4:                                # @matmul4
	.cfi_startproc
# %bb.0:
	xorl	%eax, %eax
.LBB10_1:                               # =>This Loop Header: Depth=1
                                        #     Child Loop BB10_3 Depth 2
                                        #       Child Loop BB10_5 Depth 3
	cmpq	$4, %rax
	je	.LBB10_8
# %bb.2:                                #   in Loop: Header=BB10_1 Depth=1
	movq	%rax, %rcx
	shlq	$4, %rcx
	addq	%rdx, %rcx
	movq	%rsi, %r8
	xorl	%r9d, %r9d
.LBB10_3:                               #   Parent Loop BB10_1 Depth=1
                                        # =>  This Loop Header: Depth=2
                                        #       Child Loop BB10_5 Depth 3
	cmpq	$4, %r9
	je	.LBB10_9
# %bb.4:                                #   in Loop: Header=BB10_3 Depth=2
	xorps	%xmm0, %xmm0
	xorl	%r10d, %r10d
.LBB10_5:                               #   Parent Loop BB10_1 Depth=1
                                        #     Parent Loop BB10_3 Depth=2
                                        # =>    This Inner Loop Header: Depth=3
	cmpq	$16, %r10
	je	.LBB10_6
# %bb.7:                                #   in Loop: Header=BB10_5 Depth=3
	movss	(%rdi,%r10), %xmm1              # xmm1 = mem[0],zero,zero,zero
	mulss	(%r8,%r10,4), %xmm1
	addss	%xmm1, %xmm0
	addq	$4, %r10
	jmp	.LBB10_5
.LBB10_6:                               #   in Loop: Header=BB10_3 Depth=2
	movss	%xmm0, (%rcx,%r9,4)
	incq	%r9
	addq	$4, %r8
	jmp	.LBB10_3
.LBB10_9:                               #   in Loop: Header=BB10_1 Depth=1
	incq	%rax
	addq	$16, %rdi
	jmp	.LBB10_1
.LBB10_8:
	retq
.Lfunc_end10:
	.size	matmul4, .Lfunc_end10-matmul4
	.cfi_endproc
                                        # -- End function
	.globl	count_words                     # -- Begin function count_words
	.type	count_words,@function
count_words:                            # @count_words
	.cfi_startproc
# %bb.0:
	xorl	%eax, %eax
	pushq	$1
	.cfi_adjust_cfa_offset 8
	popq	%rcx
	.cfi_adjust_cfa_offset -8
	xorl	%edx, %edx
.LBB11_1:                               # =>This Inner Loop Header: Depth=1
	movzbl	(%rdi), %esi
	leal	-9(%rsi), %r8d
	cmpl	$2, %r8d
	jb	.LBB11_2
# %bb.3:                                #   in Loop: Header=BB11_1 Depth=1
	cmpl	$32, %esi
	je	.LBB11_2
# %bb.4:                                #   in Loop: Header=BB11_1 Depth=1
	testl	%esi, %esi
	je	.LBB11_7
# %bb.5:                                #   in Loop: Header=BB11_1 Depth=1
	cmpl	$1, %edx
	adcl	$0, %eax
	movl	%ecx, %edx
	jmp	.LBB11_6
.LBB11_2:                               #   in Loop: Header=BB11_1 Depth=1
	xorl	%edx, %edx
.LBB11_6:                               #   in Loop: Header=BB11_1 Depth=1
	incq	%rdi
	jmp	.LBB11_1
.LBB11_7:
	retq
.Lfunc_end11:
	.size	count_words, .Lfunc_end11-count_words
	.cfi_endproc
                                        # -- End function
	.type	names.rel,@object               # @names.rel
	.section	.rodata,"a",@progbits
	.p2align	2, 0x0
names.rel:
	.long	.L.str.1-names.rel
	.long	.L.str.2-names.rel
	.long	.L.str.3-names.rel
	.long	.L.str.4-names.rel
	.long	.L.str.5-names.rel
	.size	names.rel, 20

	.type	.L.str,@object                  # @.str
	.section	.rodata.str1.1,"aMS",@progbits,1
.L.str:
	.asciz	"many"
	.size	.L.str, 5

	.type	.L.str.1,@object                # @.str.1
.L.str.1:
	.asciz	"zero"
	.size	.L.str.1, 5

	.type	.L.str.2,@object                # @.str.2
.L.str.2:
	.asciz	"one"
	.size	.L.str.2, 4

	.type	.L.str.3,@object                # @.str.3
.L.str.3:
	.asciz	"two"
	.size	.L.str.3, 4

	.type	.L.str.4,@object                # @.str.4
.L.str.4:
	.asciz	"three"
	.size	.L.str.4, 6

	.type	.L.str.5,@object                # @.str.5
.L.str.5:
	.asciz	"four"
	.size	.L.str.5, 5

	.ident	"Debian clang version 19.1.7 (3~deb12u1)"
	.section	".note.GNU-stack","",@progbits
	.addrsig
