/* SPDX-License-Identifier: MIT */
/* x86-64 interrupt/exception entry stubs: build a trap frame and call x86_trap(). */
#include <arch/layout.h>

/*
 * 256 stubs, each padded to 16 bytes (X86_STUB_SIZE in arch/cpu.h) so traps.c finds stub N at
 * x86_vector_stubs + 16 * N. The CPU pushes an error code only for the vectors listed in
 * SDM vol. 3 table 6-1 (8, 10-14, 17, 21, 29, 30); the others push a 0 so every frame has
 * the same shape.
 */
	.text
	.balign 16
	.globl x86_vector_stubs
x86_vector_stubs:
	.set	vec, 0
	.rept	256
	.balign	16
	.set	has_error_code, (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17)
	.set	has_error_code, has_error_code || (vec == 21) || (vec == 29) || (vec == 30)
	.if	!has_error_code
	pushq	$0
	.endif
	pushq	$vec
	jmp	x86_trap_common
	.set	vec, vec + 1
	.endr
	.balign	16
	.globl x86_vector_stubs_end
x86_vector_stubs_end:

/*
 * The frame, from the top: ss, rsp, rflags, cs, rip (CPU), error code, vector (stub), then
 * the general registers (struct x86_trap_frame in traps.c). 22 quadwords keep %rsp 16-byte
 * aligned for the call, since the CPU aligns it before pushing.
 */
x86_trap_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	call	x86_trap
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp	/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
