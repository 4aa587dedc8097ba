/* SPDX-License-Identifier: MIT */
/*
 * The EL1 exception vector table (VBAR_EL1) and its entry code. Every entry saves a full
 * struct arm64_frame (arch/frame.h) and calls C:
 *  - IRQ from EL1h: frame on the current stack, arm64_irq() runs the controller's ack loop,
 *    then the frame is restored and we eret;
 *  - everything else (synchronous exceptions, FIQ, SError, and any vector Keel does not use
 *    yet): frame on a private exception stack, then arm64_exception(), which never returns
 *    (it reports, or a test probe resumes through hal_longjmp). The private stack means a
 *    fault on a blown kernel stack is still reported.
 */
#include <arch/frame.h>

/*
 * Non-returning entry. x0 is parked in SP_EL0 (unused at EL1h; these exceptions never
 * return to the interrupted code, so its value does not matter) to get a base register for
 * the frame at the top of the exception stack.
 */
	.macro	exc_vector idx
	.balign	0x80
	msr	sp_el0, x0
	adrp	x0, exception_frame
	add	x0, x0, :lo12:exception_frame
	stp	x1, x2, [x0, #FRAME_X(1)]
	mrs	x1, sp_el0
	str	x1, [x0, #FRAME_X(0)]
	mov	x1, sp
	str	x1, [x0, #FRAME_SP]
	mov	sp, x0
	mov	x1, #\idx
	b	exc_common
	.endm

	.macro	irq_vector
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #FRAME_X(0)]
	stp	x2, x3, [sp, #FRAME_X(2)]
	b	irq_common
	.endm

	.text
	.balign	2048		/* VBAR_EL1 ignores bits [10:0] */
	.globl	arm64_vectors
arm64_vectors:
	/* Order per Arm ARM D1.10.2: {current EL SP0, current EL SPx, lower EL A64, lower EL A32}
	 * x {synchronous, IRQ, FIQ, SError}. traps.c names them from idx. */
	exc_vector 0
	exc_vector 1
	exc_vector 2
	exc_vector 3
	exc_vector 4
	irq_vector		/* 5: IRQ, current EL with SP_EL1: the one interrupt path */
	exc_vector 6
	exc_vector 7
	exc_vector 8
	exc_vector 9
	exc_vector 10
	exc_vector 11
	exc_vector 12
	exc_vector 13
	exc_vector 14
	exc_vector 15

/* Save x3..x30 and the exception registers; x0..x2 and sp are already in the frame at sp. */
exc_common:
	stp	x3, x4, [sp, #FRAME_X(3)]
	stp	x5, x6, [sp, #FRAME_X(5)]
	stp	x7, x8, [sp, #FRAME_X(7)]
	stp	x9, x10, [sp, #FRAME_X(9)]
	stp	x11, x12, [sp, #FRAME_X(11)]
	stp	x13, x14, [sp, #FRAME_X(13)]
	stp	x15, x16, [sp, #FRAME_X(15)]
	stp	x17, x18, [sp, #FRAME_X(17)]
	stp	x19, x20, [sp, #FRAME_X(19)]
	stp	x21, x22, [sp, #FRAME_X(21)]
	stp	x23, x24, [sp, #FRAME_X(23)]
	stp	x25, x26, [sp, #FRAME_X(25)]
	stp	x27, x28, [sp, #FRAME_X(27)]
	stp	x29, x30, [sp, #FRAME_X(29)]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x3, esr_el1
	mrs	x4, far_el1
	stp	x3, x4, [sp, #FRAME_ESR]
	stp	x29, x2, [sp, #FRAME_RECORD]
	add	x29, sp, #FRAME_RECORD
	mov	x0, sp			/* x0 = frame, x1 = vector index */
	bl	arm64_exception
1:	wfi				/* not reached: arm64_exception() does not return */
	b	1b

irq_common:
	stp	x4, x5, [sp, #FRAME_X(4)]
	stp	x6, x7, [sp, #FRAME_X(6)]
	stp	x8, x9, [sp, #FRAME_X(8)]
	stp	x10, x11, [sp, #FRAME_X(10)]
	stp	x12, x13, [sp, #FRAME_X(12)]
	stp	x14, x15, [sp, #FRAME_X(14)]
	stp	x16, x17, [sp, #FRAME_X(16)]
	stp	x18, x19, [sp, #FRAME_X(18)]
	stp	x20, x21, [sp, #FRAME_X(20)]
	stp	x22, x23, [sp, #FRAME_X(22)]
	stp	x24, x25, [sp, #FRAME_X(24)]
	stp	x26, x27, [sp, #FRAME_X(26)]
	stp	x28, x29, [sp, #FRAME_X(28)]
	str	x30, [sp, #FRAME_X(30)]
	add	x0, sp, #FRAME_SIZE
	str	x0, [sp, #FRAME_SP]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #FRAME_ELR]
	stp	xzr, xzr, [sp, #FRAME_ESR]	/* not meaningful for an interrupt */
	stp	x29, x0, [sp, #FRAME_RECORD]
	add	x29, sp, #FRAME_RECORD
	mov	x0, sp
	bl	arm64_irq
	/* Interrupts stay masked throughout, so ELR/SPSR are still ours; restore them anyway
	 * from the frame, which is the single source of truth for the interrupted context. */
	ldp	x0, x1, [sp, #FRAME_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #FRAME_X(0)]
	ldp	x2, x3, [sp, #FRAME_X(2)]
	ldp	x4, x5, [sp, #FRAME_X(4)]
	ldp	x6, x7, [sp, #FRAME_X(6)]
	ldp	x8, x9, [sp, #FRAME_X(8)]
	ldp	x10, x11, [sp, #FRAME_X(10)]
	ldp	x12, x13, [sp, #FRAME_X(12)]
	ldp	x14, x15, [sp, #FRAME_X(14)]
	ldp	x16, x17, [sp, #FRAME_X(16)]
	ldp	x18, x19, [sp, #FRAME_X(18)]
	ldp	x20, x21, [sp, #FRAME_X(20)]
	ldp	x22, x23, [sp, #FRAME_X(22)]
	ldp	x24, x25, [sp, #FRAME_X(24)]
	ldp	x26, x27, [sp, #FRAME_X(26)]
	ldp	x28, x29, [sp, #FRAME_X(28)]
	ldr	x30, [sp, #FRAME_X(30)]
	add	sp, sp, #FRAME_SIZE
	eret

	/* Page-aligned with an unmapped guard page below (hal_kernel_stack_guards()). */
	.section .bss.stacks, "aw", %nobits
	.balign	4096
	.globl	arm64_exception_stack_guard, arm64_exception_stack, arm64_exception_stack_top
arm64_exception_stack_guard:
	.space	4096
arm64_exception_stack:
	.space	8192 - FRAME_SIZE
exception_frame:		/* the frame sits at the top; C runs below it */
	.space	FRAME_SIZE
arm64_exception_stack_top:
