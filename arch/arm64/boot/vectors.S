/* SPDX-License-Identifier: MIT */
/*
 * The boot exception vector table (VBAR_EL1). Until the exceptions issue brings real
 * handlers, every entry reports the exception and panics, so a fault never hangs silently.
 * Each entry moves to a private stack first: the fault may be a blown kernel stack.
 */

	.macro	bad_vector idx
	.balign	0x80
	mov	x0, #\idx
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	mrs	x4, spsr_el1
	mov	x5, sp
	adrp	x6, exception_stack_top
	add	x6, x6, :lo12:exception_stack_top
	mov	sp, x6
	b	arm64_bad_exception
	.endm

	.text
	.balign	2048		/* VBAR_EL1 ignores bits [10:0] */
	.globl	arm64_vectors
arm64_vectors:
	/* Order per Arm ARM D1.10.2: {current EL SP0, current EL SPx, lower EL A64, lower EL A32}
	 * x {synchronous, IRQ, FIQ, SError}. arm64_bad_exception() names them from idx. */
	bad_vector 0
	bad_vector 1
	bad_vector 2
	bad_vector 3
	bad_vector 4
	bad_vector 5
	bad_vector 6
	bad_vector 7
	bad_vector 8
	bad_vector 9
	bad_vector 10
	bad_vector 11
	bad_vector 12
	bad_vector 13
	bad_vector 14
	bad_vector 15

	.section .bss, "aw", %nobits
	.balign	16
exception_stack:
	.space	4096
exception_stack_top:
