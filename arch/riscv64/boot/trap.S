/* SPDX-License-Identifier: MIT */
/* riscv64 trap entry for this stage: save the state and report it. Every trap is fatal. */

#define TRAP_STACK_SIZE 4096
#define FRAME_SIZE      (36 * 8)	/* struct trap_frame in arch/riscv.h */
#define F_SSTATUS       (32 * 8)
#define F_SEPC          (33 * 8)
#define F_SCAUSE        (34 * 8)
#define F_STVAL         (35 * 8)

/*
 * There are no interrupts or user mode yet, so any trap is a kernel bug. Switch to a
 * dedicated stack first: the fault may be a stack overflow. Only the boot hart runs, so
 * one trap stack is enough; a nested trap reuses it, and riscv_trap_fatal() stops then.
 */
	.text
	.balign	4
	.globl	riscv_trap_entry
riscv_trap_entry:
	csrw	sscratch, sp
	lla	sp, trap_stack_top
	addi	sp, sp, -FRAME_SIZE
	sd	x1, 1*8(sp)
	.irp	n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, \n*8(sp)
	.endr
	csrr	t0, sscratch
	sd	t0, 2*8(sp)
	csrr	t0, sstatus
	sd	t0, F_SSTATUS(sp)
	csrr	t0, sepc
	sd	t0, F_SEPC(sp)
	csrr	t0, scause
	sd	t0, F_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, F_STVAL(sp)
	mv	a0, sp
	call	riscv_trap_fatal
1:	wfi
	j	1b

	.section .bss.trap_stack, "aw", @nobits
	.balign	16
	.space	TRAP_STACK_SIZE
trap_stack_top:
