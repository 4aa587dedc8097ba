// SPDX-License-Identifier: MIT
/* riscv64 trap reporting for the boot stage: nothing is expected to trap, so say what did. */
#include <arch/csr.h>
#include <arch/riscv.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>

static const char *cause_name(unsigned long scause)
{
	/* Priv. spec v1.12, table 4.2 (supervisor cause codes). */
	static const char *const exceptions[] = {
		"instruction address misaligned", "instruction access fault",
		"illegal instruction", "breakpoint", "load address misaligned",
		"load access fault", "store address misaligned", "store access fault",
		"ecall from U-mode", "ecall from S-mode", NULL, NULL,
		"instruction page fault", "load page fault", NULL, "store page fault",
	};
	unsigned long code = scause & ~SCAUSE_INTERRUPT;

	if (scause & SCAUSE_INTERRUPT)
		return "interrupt";
	if (code < ARRAY_SIZE(exceptions) && exceptions[code])
		return exceptions[code];
	return "unknown";
}

/* Called by trap.S on the trap stack. Prints the state, then panic() ends the run. */
noreturn void riscv_trap_fatal(struct trap_frame *tf)
{
	static volatile int depth;

	if (depth++) {
		/* Trapped again while reporting (the console may be what faults): stop. */
		hal_cpu_halt();
	}
	kprintf("\nriscv64: unexpected trap on hart %u: scause %#lx (%s)\n",
		(unsigned)hal_cpu_id(), tf->scause, cause_name(tf->scause));
	kprintf("  sepc %#lx stval %#lx sstatus %#lx\n", tf->sepc, tf->stval, tf->sstatus);
	kprintf("  ra %#lx sp %#lx kernel at %p\n", tf->regs[1], tf->regs[2], (void *)__kernel_start);
	panic("unexpected %s at sepc %#lx", cause_name(tf->scause), tf->sepc);
}
