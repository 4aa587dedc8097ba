/* SPDX-License-Identifier: MIT */
/* x86-64 hal_setjmp/hal_longjmp (callee-saved registers, stack, RFLAGS.IF) and hal_current_fp. */

/*
 * struct hal_jmpbuf layout (include/kernel/hal.h): regs[0..5] = rbx, rbp, r12, r13, r14, r15;
 * regs[6] = rsp after the return; regs[7] = return address; irqflags after regs[16].
 */
#define JB_RBX 0
#define JB_RBP 8
#define JB_R12 16
#define JB_R13 24
#define JB_R14 32
#define JB_R15 40
#define JB_RSP 48
#define JB_RIP 56
#define JB_IRQFLAGS 128
#define RFLAGS_IF 0x200

	.text
	.globl hal_setjmp
	.type hal_setjmp, @function
hal_setjmp:
	movq	%rbx, JB_RBX(%rdi)
	movq	%rbp, JB_RBP(%rdi)
	movq	%r12, JB_R12(%rdi)
	movq	%r13, JB_R13(%rdi)
	movq	%r14, JB_R14(%rdi)
	movq	%r15, JB_R15(%rdi)
	leaq	8(%rsp), %rax		/* the caller's %rsp once we have returned */
	movq	%rax, JB_RSP(%rdi)
	movq	(%rsp), %rax
	movq	%rax, JB_RIP(%rdi)
	pushfq
	popq	%rax
	andq	$RFLAGS_IF, %rax
	movq	%rax, JB_IRQFLAGS(%rdi)
	xorl	%eax, %eax
	ret
	.size hal_setjmp, . - hal_setjmp

/* Also called from exception handlers (on any stack, IST included): nothing here faults. */
	.globl hal_longjmp
	.type hal_longjmp, @function
hal_longjmp:
	cli
	movq	JB_RBX(%rdi), %rbx
	movq	JB_RBP(%rdi), %rbp
	movq	JB_R12(%rdi), %r12
	movq	JB_R13(%rdi), %r13
	movq	JB_R14(%rdi), %r14
	movq	JB_R15(%rdi), %r15
	movq	JB_RSP(%rdi), %rsp
	movl	$1, %eax
	testq	$RFLAGS_IF, JB_IRQFLAGS(%rdi)
	jz	1f
	sti				/* takes effect after the jmp: we are on the saved stack */
1:	jmpq	*JB_RIP(%rdi)
	.size hal_longjmp, . - hal_longjmp

/* No frame of its own, so %rbp is still the caller's frame pointer. */
	.globl hal_current_fp
	.type hal_current_fp, @function
hal_current_fp:
	movq	%rbp, %rax
	ret
	.size hal_current_fp, . - hal_current_fp

	.section .note.GNU-stack, "", @progbits
