/* SPDX-License-Identifier: MIT */
/*
 * hal_setjmp/hal_longjmp over struct hal_jmpbuf (kernel/hal.h): regs[0..12] hold x19..x30 and
 * sp, irqflags (byte 128) the DAIF mask. hal_current_fp returns its caller's frame pointer.
 */
#define JB_SP   96
#define JB_DAIF 128

	.text
	.globl	hal_setjmp
	.type	hal_setjmp, %function
hal_setjmp:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x1, sp
	str	x1, [x0, #JB_SP]
	mrs	x1, daif
	str	x1, [x0, #JB_DAIF]
	mov	x0, #0
	ret
	.size	hal_setjmp, . - hal_setjmp

/* May run on the exception stack with everything masked: sp and DAIF come from the buffer. */
	.globl	hal_longjmp
	.type	hal_longjmp, %function
hal_longjmp:
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldr	x1, [x0, #JB_SP]
	mov	sp, x1
	ldr	x1, [x0, #JB_DAIF]
	msr	daif, x1
	mov	x0, #1
	ret
	.size	hal_longjmp, . - hal_longjmp

/* A leaf without a frame record of its own: x29 is still the caller's. */
	.globl	hal_current_fp
	.type	hal_current_fp, %function
hal_current_fp:
	mov	x0, x29
	ret
	.size	hal_current_fp, . - hal_current_fp
