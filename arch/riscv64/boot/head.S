/* SPDX-License-Identifier: MIT */
/* riscv64 entry: Image header code, self-relocation, .bss, stack, tp and stvec, paging, then C. */
#include <arch/csr.h>

#define R_RISCV_RELATIVE 3	/* ELF psABI: B + A, no symbol */
#define RELA_SIZE        24	/* Elf64_Rela: r_offset, r_info, r_addend */
#define BOOT_STACK_SIZE  16384

/*
 * code0/code1 of the RISC-V Image header (Linux Documentation/arch/riscv/boot-image-header.rst).
 * The rest of the 64-byte header is emitted by linker.ld, which knows the image size.
 * norvc keeps the jump 4 bytes long so the header fields land at their fixed offsets.
 */
	.section .head.text, "ax"
	.option push
	.option norvc
	.globl	_start
_start:
	j	riscv_entry		/* code0 */
	.word	0			/* code1 */
	.option pop

/*
 * Entered in S-mode with the MMU off, a0 = hart id, a1 = DTB physical address (SBI spec,
 * "Boot" and OpenSBI fw_dynamic/fw_jump; U-Boot booti does the same). Only this hart runs:
 * the firmware keeps the others stopped until an SBI HSM hart_start.
 */
	.section .text.entry, "ax"
	.type	riscv_entry, @function	/* named in backtraces (scripts/ksyms.py takes functions) */
riscv_entry:
	/* The firmware should hand over with interrupts masked; make sure. */
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	mv	s0, a0
	mv	s1, a1

	/*
	 * The image is linked at address 0 (linker.ld) and may run anywhere, so the load
	 * base is simply where __kernel_start is now. Apply every R_RISCV_RELATIVE entry
	 * (*(base + offset) = base + addend) before C code can load an absolute pointer.
	 * The code so far and the loop below use only pc-relative addressing.
	 */
	lla	t0, __kernel_start
	mv	t6, t0
	call	relocate
	/* Zero .bss (it holds the stacks: nothing may use sp yet). linker.ld aligns both ends to 16. */
	lla	t0, __bss_start
	lla	t1, __bss_end
4:	bgeu	t0, t1, 5f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	4b
5:
	lla	sp, boot_stack_top
	/*
	 * tp -> the boot CPU's struct per_cpu from here on (trap.S relies on it); riscv_boot()
	 * fills the port's words first thing, the portable percpu_init_boot() the rest.
	 */
	lla	tp, per_cpu_data
	lla	t0, riscv_trap_entry	/* direct mode: the address is 4-byte aligned */
	csrw	stvec, t0
	csrw	sscratch, zero

	/*
	 * Paging (mm/mmu.c): riscv_mmu_early() probes Sv48/Sv39 and builds the boot tables,
	 * returning the satp value in a0 (0: stay with satp = Bare here) and the image's high
	 * address in a1. Relocate again for that address (slots are still written through
	 * their physical address), move sp, tp and stvec up by the same delta, load satp and
	 * jump up: the identity map of the text covers the instructions in between.
	 */
	mv	a0, s0
	mv	a1, s1
	call	riscv_mmu_early
	beqz	a0, 7f
	mv	s2, a0
	mv	t6, a1
	lla	t0, __kernel_start
	sub	s3, a1, t0		/* delta = high address - physical address */
	call	relocate
	lla	sp, boot_stack_top
	add	sp, sp, s3
	lla	tp, per_cpu_data
	add	tp, tp, s3
	lla	t0, riscv_trap_entry
	add	t0, t0, s3
	csrw	stvec, t0
	lla	t0, 7f
	add	t0, t0, s3
	sfence.vma			/* the boot tables' stores before the walker reads them */
	csrw	satp, s2
	sfence.vma
	jr	t0
7:
	mv	a0, s0
	mv	a1, s1
	call	riscv_boot
	/* riscv_boot() does not return; stop here if it ever did. */
6:	wfi
	j	6b
	.size	riscv_entry, . - riscv_entry

/*
 * Apply the R_RISCV_RELATIVE entries: slot at t0 + r_offset (where the image is now),
 * value t6 + r_addend (where it is to run). Uses t1-t5 and the caller's ra; no stack.
 */
	.type	relocate, @function
relocate:
	lla	t1, __rela_start
	lla	t2, __rela_end
	li	t5, R_RISCV_RELATIVE
1:	bgeu	t1, t2, 3f
	ld	t3, 8(t1)		/* r_info: symbol 0, type RELATIVE */
	bne	t3, t5, 2f		/* a static PIE has no other kind (checked by a ktest) */
	ld	t3, 0(t1)
	ld	t4, 16(t1)
	add	t3, t3, t0
	add	t4, t4, t6
	sd	t4, 0(t3)
2:	addi	t1, t1, RELA_SIZE
	j	1b
3:	ret
	.size	relocate, . - relocate

	/* The page below the boot stack stays unmapped (mm/mmu.c): an overflow faults. */
	.section .bss.stack, "aw", @nobits
	.balign	4096
	.globl	boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
	.space	4096
boot_stack:
	.space	BOOT_STACK_SIZE
boot_stack_top:
