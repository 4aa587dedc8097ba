/* SPDX-License-Identifier: MIT */
/* hal_setjmp / hal_longjmp (callee-saved registers, ra, sp, sstatus.SIE) and hal_current_fp. */
#include <arch/csr.h>

/* struct hal_jmpbuf (kernel/hal.h): regs[16] then irqflags. */
#define JB_S(n)     ((n) * 8)	/* s0..s11 in regs[0..11] */
#define JB_RA       (12 * 8)
#define JB_SP       (13 * 8)
#define JB_IRQFLAGS (16 * 8)

	.text
	.balign	4
	.globl	hal_setjmp
	.type	hal_setjmp, @function
hal_setjmp:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, JB_S(\n)(a0)
	.endr
	sd	ra, JB_RA(a0)
	sd	sp, JB_SP(a0)
	csrr	t0, sstatus
	andi	t0, t0, SSTATUS_SIE
	sd	t0, JB_IRQFLAGS(a0)
	li	a0, 0
	ret
	.size	hal_setjmp, . - hal_setjmp

	.globl	hal_longjmp
	.type	hal_longjmp, @function
hal_longjmp:
	/* Mask first: an interrupt must not arrive on the stack we are leaving half-restored. */
	csrci	sstatus, SSTATUS_SIE
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, JB_S(\n)(a0)
	.endr
	ld	ra, JB_RA(a0)
	ld	sp, JB_SP(a0)
	ld	t0, JB_IRQFLAGS(a0)
	li	a0, 1
	beqz	t0, 1f
	csrsi	sstatus, SSTATUS_SIE
1:	ret
	.size	hal_longjmp, . - hal_longjmp

	/* A leaf without a frame of its own: s0 is still the caller's frame pointer. */
	.globl	hal_current_fp
	.type	hal_current_fp, @function
hal_current_fp:
	mv	a0, s0
	ret
	.size	hal_current_fp, . - hal_current_fp
