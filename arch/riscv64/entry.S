/* SPDX-License-Identifier: MIT */
/* riscv64 trap entry (stvec): save a full frame, call riscv_trap(), restore, sret. */
#include <arch/riscv.h>

/*
 * Kernel only for now (no user mode): every trap comes from S-mode, tp always holds this
 * hart's struct per_cpu, and sscratch is a free scratch register. With user mode, sscratch
 * will instead hold the per_cpu pointer while user code runs (0 in the kernel), and the
 * entry will swap it with tp and switch to the thread's kernel stack on a trap from U-mode.
 *
 * The frame goes on the interrupted stack when it fits inside the kernel stack recorded in
 * per_cpu.arch (so traps nest, and a fault probe can longjmp back out of one). When sp is
 * outside it or too close to its bottom (a stack overflow), the frame goes on this hart's
 * own trap stack instead, so the fault can still be reported; a trap taken while already on
 * the trap stack nests there, and a trap stack that overflows in turn starts again at its top.
 */
	.text
	.balign	4
	.globl	riscv_trap_entry
	.type	riscv_trap_entry, @function
riscv_trap_entry:
	csrw	sscratch, t0
	sd	t1, PCA_OFF(PCA_SCRATCH)(tp)
	addi	t0, sp, -TF_SIZE
	andi	t0, t0, -16		/* the frame address, if it goes on this stack */
	bltu	sp, t0, 4f		/* sp so low that it wrapped: certainly not a stack */
	ld	t1, PCA_OFF(PCA_STACK_LO)(tp)
	beqz	t1, 3f			/* stack bounds unknown: trust sp */
	bltu	t0, t1, 2f		/* no room left on the kernel stack (or not on it) */
	ld	t1, PCA_OFF(PCA_STACK_HI)(tp)
	bgeu	t1, sp, 3f		/* on the kernel stack, with room: use it */
2:	ld	t1, PCA_OFF(PCA_TRAP_STACK_LO)(tp)
	beqz	t1, 3f			/* no trap stack yet: nothing better than sp */
	bltu	t0, t1, 4f
	ld	t1, PCA_OFF(PCA_TRAP_STACK_HI)(tp)
	bgeu	t1, sp, 3f		/* nested trap on the trap stack, with room */
4:	ld	t0, PCA_OFF(PCA_TRAP_STACK_HI)(tp)
	addi	t0, t0, -TF_SIZE
3:	sd	sp, 2*8(t0)
	mv	sp, t0
	csrr	t0, sscratch
	ld	t1, PCA_OFF(PCA_SCRATCH)(tp)
	sd	x1, 1*8(sp)
	.irp	n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, \n*8(sp)
	.endr
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, scause
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, TF_STVAL(sp)
	mv	a0, sp
	call	riscv_trap

	/* Interrupts stay masked until sret: sstatus.SIE is 0 in the saved copy. */
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	ld	t0, TF_SEPC(sp)
	csrw	sepc, t0
	ld	x1, 1*8(sp)
	.irp	n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, \n*8(sp)
	.endr
	ld	sp, 2*8(sp)
	sret
	.size	riscv_trap_entry, . - riscv_trap_entry
