// SPDX-License-Identifier: MIT
/* riscv64 traps in C: interrupts to their handlers, exceptions to fault_handle(); frame dumps,
 * frame-pointer unwinding and deliberate faults for the tests. */
#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/riscv.h>
#include <kernel/clock.h>
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/percpu.h>

/* Nothing is at this physical address on QEMU virt (its map ends far below) nor on any board
 * we know: a load from it is a load access fault (with paging on, through a device mapping
 * of it). Below 2^56 (the Sv39-Sv57 PA width). */
#define UNMAPPED_PA (1UL << 55)

static const char *cause_name(unsigned long code)
{
	/* Priv. spec v1.12, table 4.2 (supervisor cause codes). */
	static const char *const exceptions[] = {
		"instruction address misaligned", "instruction access fault",
		"illegal instruction", "breakpoint", "load address misaligned",
		"load access fault", "store address misaligned", "store access fault",
		"ecall from U-mode", "ecall from S-mode", NULL, NULL,
		"instruction page fault", "load page fault", NULL, "store page fault",
	};

	if (code < ARRAY_SIZE(exceptions) && exceptions[code])
		return exceptions[code];
	return "unknown exception";
}

static enum fault_kind cause_kind(unsigned long code)
{
	switch (code) {
	case EXC_BREAKPOINT:
		return FAULT_BREAKPOINT;
	case EXC_ILLEGAL_INST:
		return FAULT_ILLEGAL_INSTRUCTION;
	case EXC_INST_PAGE:
	case EXC_LOAD_PAGE:
	case EXC_STORE_PAGE:
		return FAULT_PAGE;
	case EXC_INST_ACCESS:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS:
		return FAULT_ACCESS;
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		return FAULT_ALIGNMENT;
	default:
		return FAULT_OTHER;
	}
}

static void interrupt(unsigned long code)
{
	struct per_cpu *pc = this_cpu();

	switch (code) {
	case IRQ_S_TIMER:
		pc->irq_depth++;
		riscv_timer_interrupt();
		pc->irq_depth--;
		break;
	case IRQ_S_EXT:
		irq_dispatch_pending(); /* the platform controller: claim, handle, complete */
		break;
	case IRQ_S_SOFT:
		/* No IPIs yet (SMP bring-up adds them): acknowledge and count. */
		csr_clear(sip, SIP_SSIP);
		pc->arch[PCA_SOFT_IRQS]++;
		break;
	default:
		/* Not a source we enabled: switch it off rather than take it again for ever. */
		if (code < 64)
			csr_clear(sie, 1UL << code);
		kprintf("riscv64: unexpected interrupt %lu on hart %u; masked it\n", code,
			(unsigned)hal_cpu_id());
		break;
	}
}

void riscv_trap(struct trap_frame *tf)
{
	unsigned long code = tf->scause & ~SCAUSE_INTERRUPT;
	struct fault_info fi;

	if (tf->scause & SCAUSE_INTERRUPT) {
		interrupt(code);
		return;
	}
	/* Every exception is a kernel fault until user mode exists (ecalls included). */
	fi = (struct fault_info){
		.kind = cause_kind(code),
		.name = cause_name(code),
		.pc = tf->sepc,
		.sp = tf->regs[2],
		.fp = tf->regs[8], /* s0 */
		.addr = tf->stval,
		/* stval holds an address for misaligned, access and page faults and ebreak (the
		 * pc); the instruction bits (or 0) for illegal instructions. */
		.addr_valid = code != EXC_ILLEGAL_INST && code != EXC_ECALL_U && code != EXC_ECALL_S,
		.code = tf->scause,
		.frame = tf,
	};
	fault_handle(&fi);
}

void hal_dump_frame(const void *frame)
{
	static const char *const names[32] = {
		"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
		"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
		"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	const struct trap_frame *tf = frame;

	kprintf("  sepc   0x%016lx  sstatus 0x%016lx\n", tf->sepc, tf->sstatus);
	kprintf("  scause 0x%016lx  stval   0x%016lx\n", tf->scause, tf->stval);
	for (unsigned i = 1; i < 32; i += 3) {
		kprintf("  ");
		for (unsigned j = i; j < i + 3 && j < 32; j++)
			kprintf("%s%-4s 0x%016lx", j == i ? "" : "  ", names[j], tf->regs[j]);
		kprintf("\n");
	}
}

/* The frame record [fp-16, fp) must lie inside one stack this hart may be running on. */
static bool in_range(uintptr_t lo, uintptr_t hi, uintptr_t fp)
{
	return lo && fp - 16 >= lo && fp <= hi && fp - 16 < fp;
}

static bool plausible_fp(uintptr_t fp)
{
	const struct per_cpu *pc = riscv_tp();

	if (fp & 15) /* the ABI keeps sp, and so fp, 16-byte aligned */
		return false;
	/* A record in a stack guard page would fault: never read there (the bounds below
	 * exclude the guards already; this holds even if a stack's bounds are wrong). */
	if (riscv_mmu_is_guard(fp - 16) || riscv_mmu_is_guard(fp - 1))
		return false;
	return in_range(pc->arch[PCA_STACK_LO], pc->arch[PCA_STACK_HI], fp) ||
	       in_range(pc->arch[PCA_TRAP_STACK_LO], pc->arch[PCA_TRAP_STACK_HI], fp);
}

/*
 * GCC and clang with -fno-omit-frame-pointer: s0 is the stack pointer at function entry,
 * ra was saved at s0-8 and the caller's s0 at s0-16. The outermost frame (riscv_boot, called
 * by head.S with s0 = the hart id) ends the walk by failing the range check.
 */
bool hal_unwind(uintptr_t *fp, uintptr_t *pc)
{
	uintptr_t f = *fp;
	const uintptr_t *rec;

	if (!plausible_fp(f))
		return false;
	rec = (const uintptr_t *)(f - 16);
	*pc = rec[1];
	*fp = rec[0];
	return true;
}

/* Where hal_trigger_fault(FAULT_ACCESS) loads from: UNMAPPED_PA itself with satp = Bare,
 * else a device mapping of it (made on first use). 0 when it could not be mapped. */
uintptr_t riscv_access_fault_addr(void)
{
	static void *va;

	if (!riscv_mmu_kernel_satp())
		return UNMAPPED_PA;
	if (!va)
		va = hal_map_io(UNMAPPED_PA, 4096);
	return (uintptr_t)va;
}

int hal_trigger_fault(int kind)
{
	uintptr_t addr;

	switch (kind) {
	case FAULT_BREAKPOINT:
		__asm__ __volatile__("ebreak" ::: "memory");
		return 0;
	case FAULT_ILLEGAL_INSTRUCTION:
		/* The all-zero word is defined to be illegal (ISA manual, "Base Instruction-Length
		 * Encoding"), with or without the C extension. */
		__asm__ __volatile__(".4byte 0" ::: "memory");
		return 0;
	case FAULT_ACCESS:
		addr = riscv_access_fault_addr();
		if (!addr)
			return -ENOSYS;
		(void)*(volatile uint32_t *)addr;
		return 0;
	case FAULT_PAGE:
		/* The first page of the kernel half: the image starts 1 MiB above it. */
		if (!riscv_mmu_kernel_satp())
			return -ENOSYS; /* satp = Bare: there are no pages */
		(void)*(volatile uint32_t *)riscv_layout.khalf;
		return 0;
	default:
		return -ENOSYS;
	}
}
