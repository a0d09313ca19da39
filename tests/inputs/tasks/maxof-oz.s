	.text
	.file	"maxof.c"
	.globl	max_of                          # -- Begin function max_of
	.type	max_of,@function
max_of:                                 # @max_of
	.cfi_startproc
# %bb.0:                                # %entry
	movl	(%rdi), %eax
	movslq	%esi, %rcx
	pushq	$1
	.cfi_adjust_cfa_offset 8
	popq	%rdx
	.cfi_adjust_cfa_offset -8
.LBB0_1:                                # %for.cond
                                        # =>This Inner Loop Header: Depth=1
	cmpq	%rcx, %rdx
	jge	.LBB0_2
# %bb.3:                                # %for.body
                                        #   in Loop: Header=BB0_1 Depth=1
	movl	(%rdi,%rdx,4), %esi
	cmpl	%eax, %esi
	cmovgl	%esi, %eax
	incq	%rdx
	jmp	.LBB0_1
.LBB0_2:                                # %for.cond.cleanup
	retq
.Lfunc_end0:
	.size	max_of, .Lfunc_end0-max_of
	.cfi_endproc
                                        # -- End function
	.ident	"Debian clang version 19.1.7 (3~deb12u1)"
	.section	".note.GNU-stack","",@progbits
