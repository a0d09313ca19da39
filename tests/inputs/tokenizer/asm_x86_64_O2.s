	.text
	.file	"sources.c"
	.globl	hash_string                     # -- Begin function hash_string
	.p2align	4, 0x90
	.type	hash_string,@function
hash_string:                            # @hash_string
	.cfi_startproc
# %bb.0:
	movq	$-1, %rcx
	.p2align	4, 0x90
.LBB0_1:                                # =>This Inner Loop Header: Depth=1
	cmpb	$0, 1(%rdi,%rcx)
	leaq	1(%rcx), %rcx
	jne	.LBB0_1
# %bb.2:
	testq	%rcx, %rcx
	je	.LBB0_3
# %bb.4:
	cmpq	$4, %rcx
	jae	.LBB0_6
# %bb.5:
	movl	$-2128831035, %eax              # imm = 0x811C9DC5
	xorl	%edx, %edx
	jmp	.LBB0_8
.LBB0_3:
	movl	$-2128831035, %eax              # imm = 0x811C9DC5
	retq
.LBB0_6:
	movq	%rcx, %rsi
	andq	$-4, %rsi
	movl	$-2128831035, %eax              # imm = 0x811C9DC5
	xorl	%edx, %edx
	.p2align	4, 0x90
.LBB0_7:                                # =>This Inner Loop Header: Depth=1
	movzbl	(%rdi,%rdx), %r8d
	xorl	%eax, %r8d
	imull	$16777619, %r8d, %eax           # imm = 0x1000193
	movzbl	1(%rdi,%rdx), %r8d
	xorl	%eax, %r8d
	imull	$16777619, %r8d, %eax           # imm = 0x1000193
	movzbl	2(%rdi,%rdx), %r8d
	xorl	%eax, %r8d
	imull	$16777619, %r8d, %eax           # imm = 0x1000193
	movzbl	3(%rdi,%rdx), %r8d
	xorl	%eax, %r8d
	imull	$16777619, %r8d, %eax           # imm = 0x1000193
	addq	$4, %rdx
	cmpq	%rdx, %rsi
	jne	.LBB0_7
.LBB0_8:
	testb	$3, %cl
	je	.LBB0_11
# %bb.9:
	addq	%rdx, %rdi
	andl	$3, %ecx
	xorl	%edx, %edx
	.p2align	4, 0x90
.LBB0_10:                               # =>This Inner Loop Header: Depth=1
	movzbl	(%rdi,%rdx), %esi
	xorl	%eax, %esi
	imull	$16777619, %esi, %eax           # imm = 0x1000193
	incq	%rdx
	cmpq	%rdx, %rcx
	jne	.LBB0_10
.LBB0_11:
	retq
.Lfunc_end0:
	.size	hash_string, .Lfunc_end0-hash_string
	.cfi_endproc
                                        # -- End function
	.globl	list_sum                        # -- Begin function list_sum
	.p2align	4, 0x90
	.type	list_sum,@function
list_sum:                               # @list_sum
	.cfi_startproc
# %bb.0:
	xorl	%eax, %eax
	testq	%rdi, %rdi
	je	.LBB1_3
	.p2align	4, 0x90
.LBB1_1:                                # =>This Inner Loop Header: Depth=1
	addq	8(%rdi), %rax
	movq	(%rdi), %rdi
	testq	%rdi, %rdi
	jne	.LBB1_1
.LBB1_3:
	retq
.Lfunc_end1:
	.size	list_sum, .Lfunc_end1-list_sum
	.cfi_endproc
                                        # -- End function
	.globl	manhattan                       # -- Begin function manhattan
	.p2align	4, 0x90
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
	.p2align	4, 0x90
	.type	dot,@function
dot:                                    # @dot
	.cfi_startproc
# %bb.0:
	testl	%edx, %edx
	jle	.LBB3_1
# %bb.2:
	movl	%edx, %r8d
	movl	%r8d, %eax
	andl	$3, %eax
	cmpl	$4, %edx
	jae	.LBB3_8
# %bb.3:
	xorpd	%xmm0, %xmm0
	xorl	%ecx, %ecx
	jmp	.LBB3_4
.LBB3_1:
	xorps	%xmm0, %xmm0
	retq
.LBB3_8:
	andl	$2147483644, %r8d               # imm = 0x7FFFFFFC
	xorpd	%xmm0, %xmm0
	xorl	%ecx, %ecx
	.p2align	4, 0x90
.LBB3_9:                                # =>This Inner Loop Header: Depth=1
	movsd	(%rdi,%rcx,8), %xmm1            # xmm1 = mem[0],zero
	movsd	8(%rdi,%rcx,8), %xmm2           # xmm2 = mem[0],zero
	mulsd	(%rsi,%rcx,8), %xmm1
	mulsd	8(%rsi,%rcx,8), %xmm2
	addsd	%xmm0, %xmm1
	movsd	16(%rdi,%rcx,8), %xmm3          # xmm3 = mem[0],zero
	mulsd	16(%rsi,%rcx,8), %xmm3
	addsd	%xmm1, %xmm2
	movsd	24(%rdi,%rcx,8), %xmm0          # xmm0 = mem[0],zero
	mulsd	24(%rsi,%rcx,8), %xmm0
	addsd	%xmm2, %xmm3
	addsd	%xmm3, %xmm0
	addq	$4, %rcx
	cmpq	%rcx, %r8
	jne	.LBB3_9
.LBB3_4:
	testq	%rax, %rax
	je	.LBB3_7
# %bb.5:
	leaq	(%rsi,%rcx,8), %rdx
	leaq	(%rdi,%rcx,8), %rcx
	xorl	%esi, %esi
	.p2align	4, 0x90
.LBB3_6:                                # =>This Inner Loop Header: Depth=1
	movsd	(%rcx,%rsi,8), %xmm1            # xmm1 = mem[0],zero
	mulsd	(%rdx,%rsi,8), %xmm1
	addsd	%xmm1, %xmm0
	incq	%rsi
	cmpq	%rsi, %rax
	jne	.LBB3_6
.LBB3_7:
	retq
.Lfunc_end3:
	.size	dot, .Lfunc_end3-dot
	.cfi_endproc
                                        # -- End function
	.globl	insertion_sort                  # -- Begin function insertion_sort
	.p2align	4, 0x90
	.type	insertion_sort,@function
insertion_sort:                         # @insertion_sort
	.cfi_startproc
# %bb.0:
	cmpl	$2, %esi
	jl	.LBB4_7
# %bb.1:
	movl	%esi, %eax
	movl	$1, %ecx
	jmp	.LBB4_2
	.p2align	4, 0x90
.LBB4_5:                                #   in Loop: Header=BB4_2 Depth=1
	xorl	%esi, %esi
.LBB4_6:                                #   in Loop: Header=BB4_2 Depth=1
	movslq	%esi, %rsi
	movl	%edx, (%rdi,%rsi,4)
	incq	%rcx
	cmpq	%rax, %rcx
	je	.LBB4_7
.LBB4_2:                                # =>This Loop Header: Depth=1
                                        #     Child Loop BB4_3 Depth 2
	movl	(%rdi,%rcx,4), %edx
	movq	%rcx, %rsi
	.p2align	4, 0x90
.LBB4_3:                                #   Parent Loop BB4_2 Depth=1
                                        # =>  This Inner Loop Header: Depth=2
	leaq	-1(%rsi), %r8
	movl	%r8d, %r9d
	movl	(%rdi,%r9,4), %r9d
	cmpl	%edx, %r9d
	jle	.LBB4_6
# %bb.4:                                #   in Loop: Header=BB4_3 Depth=2
	movl	%r9d, (%rdi,%rsi,4)
	leaq	1(%r8), %r9
	movq	%r8, %rsi
	cmpq	$1, %r9
	jg	.LBB4_3
	jmp	.LBB4_5
.LBB4_7:
	retq
.Lfunc_end4:
	.size	insertion_sort, .Lfunc_end4-insertion_sort
	.cfi_endproc
                                        # -- End function
	.globl	binary_search                   # -- Begin function binary_search
	.p2align	4, 0x90
	.type	binary_search,@function
binary_search:                          # @binary_search
	.cfi_startproc
# %bb.0:
	movl	$-1, %eax
	testl	%esi, %esi
	jle	.LBB5_8
# %bb.1:
	decl	%esi
	xorl	%ecx, %ecx
	jmp	.LBB5_2
	.p2align	4, 0x90
.LBB5_6:                                #   in Loop: Header=BB5_2 Depth=1
	decl	%r8d
	movl	%r8d, %esi
	cmpl	%esi, %ecx
	jg	.LBB5_8
.LBB5_2:                                # =>This Inner Loop Header: Depth=1
	movl	%esi, %r9d
	subl	%ecx, %r9d
	movl	%r9d, %r8d
	shrl	$31, %r8d
	addl	%r9d, %r8d
	sarl	%r8d
	addl	%ecx, %r8d
	movslq	%r8d, %r9
	movl	(%rdi,%r9,4), %r9d
	cmpl	%edx, %r9d
	je	.LBB5_3
# %bb.4:                                #   in Loop: Header=BB5_2 Depth=1
	jge	.LBB5_6
# %bb.5:                                #   in Loop: Header=BB5_2 Depth=1
	incl	%r8d
	movl	%r8d, %ecx
	cmpl	%esi, %ecx
	jle	.LBB5_2
.LBB5_8:
	retq
.LBB5_3:
	movl	%r8d, %eax
	retq
.Lfunc_end5:
	.size	binary_search, .Lfunc_end5-binary_search
	.cfi_endproc
                                        # -- End function
	.globl	popcount32                      # -- Begin function popcount32
	.p2align	4, 0x90
	.type	popcount32,@function
popcount32:                             # @popcount32
	.cfi_startproc
# %bb.0:
	movl	%edi, %eax
	shrl	%eax
	andl	$1431655765, %eax               # imm = 0x55555555
	subl	%eax, %edi
	movl	%edi, %eax
	andl	$858993459, %eax                # imm = 0x33333333
	shrl	$2, %edi
	andl	$858993459, %edi                # imm = 0x33333333
	addl	%eax, %edi
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
	.p2align	4, 0x90
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
	.p2align	4, 0x90
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
	xorl	%ebx, %ebx
	cmpl	$2, %edi
	jl	.LBB8_3
# %bb.1:
	movl	%edi, %r14d
	.p2align	4, 0x90
.LBB8_2:                                # =>This Inner Loop Header: Depth=1
	leal	-1(%r14), %edi
	callq	fib
	leal	-2(%r14), %edi
	addq	%rax, %rbx
	cmpl	$4, %r14d
	movl	%edi, %r14d
	jae	.LBB8_2
.LBB8_3:
	movslq	%edi, %rax
	addq	%rbx, %rax
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
	.p2align	4, 0x90
	.type	gcd,@function
gcd:                                    # @gcd
	.cfi_startproc
# %bb.0:
	movl	%edi, %eax
	testl	%esi, %esi
	je	.LBB9_4
# %bb.1:
	movl	%esi, %edx
	.p2align	4, 0x90
.LBB9_2:                                # =>This Inner Loop Header: Depth=1
	movl	%edx, %ecx
	cltd
	idivl	%ecx
	movl	%ecx, %eax
	testl	%edx, %edx
	jne	.LBB9_2
# %bb.3:
	movl	%ecx, %eax
.LBB9_4:
	retq
.Lfunc_end9:
	.size	gcd, .Lfunc_end9-gcd
	.cfi_endproc
                                        # -- End function
	.globl	matmul4                         # -- Begin function matmul4
	.p2align	4, 0x90
	.type	matmul4,@function
matmul4:                                # @matmul4
	.cfi_startproc
# %bb.0:
	xorl	%eax, %eax
	xorps	%xmm0, %xmm0
	.p2align	4, 0x90
.LBB10_1:                               # =>This Inner Loop Header: Depth=1
	movss	(%rdi,%rax), %xmm1              # xmm1 = mem[0],zero,zero,zero
	movss	4(%rdi,%rax), %xmm2             # xmm2 = mem[0],zero,zero,zero
	mulss	(%rsi), %xmm1
	mulss	16(%rsi), %xmm2
	addss	%xmm0, %xmm1
	movss	8(%rdi,%rax), %xmm3             # xmm3 = mem[0],zero,zero,zero
	mulss	32(%rsi), %xmm3
	addss	%xmm1, %xmm2
	movss	12(%rdi,%rax), %xmm1            # xmm1 = mem[0],zero,zero,zero
	mulss	48(%rsi), %xmm1
	addss	%xmm2, %xmm3
	addss	%xmm3, %xmm1
	movss	%xmm1, (%rdx,%rax)
	movss	(%rdi,%rax), %xmm1              # xmm1 = mem[0],zero,zero,zero
	movss	4(%rdi,%rax), %xmm2             # xmm2 = mem[0],zero,zero,zero
	mulss	4(%rsi), %xmm1
	addss	%xmm0, %xmm1
	mulss	20(%rsi), %xmm2
	addss	%xmm1, %xmm2
	movss	8(%rdi,%rax), %xmm1             # xmm1 = mem[0],zero,zero,zero
	mulss	36(%rsi), %xmm1
	addss	%xmm2, %xmm1
	movss	12(%rdi,%rax), %xmm2            # xmm2 = mem[0],zero,zero,zero
	mulss	52(%rsi), %xmm2
	addss	%xmm1, %xmm2
	movss	%xmm2, 4(%rdx,%rax)
	movss	(%rdi,%rax), %xmm1              # xmm1 = mem[0],zero,zero,zero
	movss	4(%rdi,%rax), %xmm2             # xmm2 = mem[0],zero,zero,zero
	mulss	8(%rsi), %xmm1
	addss	%xmm0, %xmm1
	mulss	24(%rsi), %xmm2
	addss	%xmm1, %xmm2
	movss	8(%rdi,%rax), %xmm1             # xmm1 = mem[0],zero,zero,zero
	mulss	40(%rsi), %xmm1
	addss	%xmm2, %xmm1
	movss	12(%rdi,%rax), %xmm2            # xmm2 = mem[0],zero,zero,zero
	mulss	56(%rsi), %xmm2
	addss	%xmm1, %xmm2
	movss	%xmm2, 8(%rdx,%rax)
	movss	(%rdi,%rax), %xmm1              # xmm1 = mem[0],zero,zero,zero
	mulss	12(%rsi), %xmm1
	movss	4(%rdi,%rax), %xmm2             # xmm2 = mem[0],zero,zero,zero
	addss	%xmm0, %xmm1
	mulss	28(%rsi), %xmm2
	addss	%xmm1, %xmm2
	movss	8(%rdi,%rax), %xmm1             # xmm1 = mem[0],zero,zero,zero
	mulss	44(%rsi), %xmm1
	addss	%xmm2, %xmm1
	movss	12(%rdi,%rax), %xmm2            # xmm2 = mem[0],zero,zero,zero
	mulss	60(%rsi), %xmm2
	addss	%xmm1, %xmm2
	movss	%xmm2, 12(%rdx,%rax)
	addq	$16, %rax
	cmpq	$64, %rax
	jne	.LBB10_1
# %bb.2:
	retq
.Lfunc_end10:
	.size	matmul4, .Lfunc_end10-matmul4
	.cfi_endproc
                                        # -- End function
	.globl	count_words                     # -- Begin function count_words
	.p2align	4, 0x90
	.type	count_words,@function
count_words:                            # @count_words
	.cfi_startproc
# %bb.0:
	xorl	%eax, %eax
	xorl	%ecx, %ecx
	jmp	.LBB11_1
	.p2align	4, 0x90
.LBB11_4:                               #   in Loop: Header=BB11_1 Depth=1
	xorl	%ecx, %ecx
	incq	%rdi
.LBB11_1:                               # =>This Inner Loop Header: Depth=1
	movzbl	(%rdi), %edx
	leal	-9(%rdx), %esi
	cmpl	$2, %esi
	jb	.LBB11_2
# %bb.3:                                #   in Loop: Header=BB11_1 Depth=1
	cmpl	$32, %edx
	je	.LBB11_4
# %bb.5:                                #   in Loop: Header=BB11_1 Depth=1
	testl	%edx, %edx
	je	.LBB11_8
# %bb.6:                                #   in Loop: Header=BB11_1 Depth=1
	cmpl	$1, %ecx
	adcl	$0, %eax
	movl	$1, %ecx
	incq	%rdi
	jmp	.LBB11_1
	.p2align	4, 0x90
.LBB11_2:                               #   in Loop: Header=BB11_1 Depth=1
	xorl	%ecx, %ecx
	incq	%rdi
	jmp	.LBB11_1
.LBB11_8:
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
