// SPDX-License-Identifier: MIT
/* riscv64 HAL: interrupt masking, per-CPU data in tp, CPU identity and idling, the time
 * counter. */
#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/riscv.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/percpu.h>
#include <kernel/pmm.h>

uint64_t riscv_timebase_hz;

/* trap.S reaches per_cpu.arch[] through tp at a constant offset. */
_Static_assert(offsetof(struct per_cpu, arch) == PERCPU_ARCH_OFFSET,
	       "PERCPU_ARCH_OFFSET in arch/riscv.h does not match struct per_cpu");
_Static_assert(ARRAY_SIZE(((struct per_cpu *)0)->arch) > PCA_SOFT_IRQS,
	       "struct per_cpu has too few arch words for the riscv64 port");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "TF_SIZE does not match struct trap_frame");
_Static_assert(sizeof(((struct hal_jmpbuf *)0)->regs) == 16 * 8 &&
	       offsetof(struct hal_jmpbuf, irqflags) == 16 * 8,
	       "context.S assumes struct hal_jmpbuf is regs[16] then irqflags");

/* One overflow trap stack per CPU (see entry.S), each above an unmapped guard page
 * (mm/mmu.c leaves it out of the page tables). */
struct trap_stack {
	uint8_t guard[PAGE_SIZE];
	uint8_t stack[TRAP_STACK_SIZE];
};
static struct trap_stack trap_stacks[CONFIG_MAX_CPUS] __attribute__((aligned(PAGE_SIZE)));

_Static_assert(TRAP_STACK_SIZE % PAGE_SIZE == 0, "trap stacks must keep their guards aligned");

uintptr_t riscv_trap_stack_guard(unsigned cpu)
{
	return (uintptr_t)trap_stacks[cpu < CONFIG_MAX_CPUS ? cpu : 0].guard;
}

void riscv_percpu_setup(struct per_cpu *pc, unsigned long hartid)
{
	unsigned idx = pc >= per_cpu_data && pc < per_cpu_data + CONFIG_MAX_CPUS ?
			       (unsigned)(pc - per_cpu_data) : 0;

	pc->arch[PCA_HARTID] = hartid;
	/* Only the boot hart runs, on head.S's stack. SMP bring-up records each hart's own
	 * stack here, and the scheduler the running thread's on every switch. */
	if (idx == 0) {
		pc->arch[PCA_STACK_LO] = (uintptr_t)boot_stack;
		pc->arch[PCA_STACK_HI] = (uintptr_t)boot_stack_top;
		if (!pc->kernel_stack_top)
			pc->kernel_stack_top = (uintptr_t)boot_stack_top;
	}
	pc->arch[PCA_TRAP_STACK_LO] = (uintptr_t)trap_stacks[idx].stack;
	pc->arch[PCA_TRAP_STACK_HI] = (uintptr_t)trap_stacks[idx].stack + TRAP_STACK_SIZE;
	__asm__ __volatile__("mv tp, %0" ::"r"(pc) : "memory");
}

void hal_percpu_init(struct per_cpu *pc)
{
	/* Everything trap.S reads is set before tp moves: a trap in between finds either block
	 * complete. hw_id is the hart id (the portable code sets it before calling us). */
	riscv_percpu_setup(pc, pc->hw_id);
}

struct per_cpu *hal_this_cpu(void)
{
	return riscv_tp();
}

/* sstatus.SIE gates every supervisor interrupt; sie selects the sources (timer, external,
 * software), which hal_irq_init() and hal_timer_init() switch on. */
void hal_irq_enable(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

void hal_irq_disable(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
}

irqflags_t hal_irq_save(void)
{
	return csr_read_clear(sstatus, SSTATUS_SIE) & SSTATUS_SIE;
}

void hal_irq_restore(irqflags_t flags)
{
	/* Both ways: the caller may have unmasked in between (save, enable, wait, restore). */
	if (flags & SSTATUS_SIE)
		csr_set(sstatus, SSTATUS_SIE);
	else
		csr_clear(sstatus, SSTATUS_SIE);
}

bool hal_irq_enabled(void)
{
	return (csr_read(sstatus) & SSTATUS_SIE) != 0;
}

cpu_id_t hal_cpu_id(void)
{
	return (cpu_id_t)riscv_tp()->arch[PCA_HARTID];
}

/*
 * Called with sstatus.SIE clear. wfi wakes for an interrupt pending and enabled in sie
 * whatever sstatus.SIE says, so one that arrived after the caller's last check ends the wait
 * at once (no lost wake-up). Then SIE opens to take it and closes again.
 */
void hal_cpu_idle(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
	csr_set(sstatus, SSTATUS_SIE);
	csr_clear(sstatus, SSTATUS_SIE);
}

noreturn void hal_cpu_halt(void)
{
	hal_irq_disable();
	/* wfi may return early (spec allows it, and a pending-but-masked interrupt wakes it). */
	for (;;)
		__asm__ __volatile__("wfi" ::: "memory");
}

int hal_send_ipi(cpu_id_t cpu, unsigned vector)
{
	/*
	 * Only the boot hart runs: the others stay parked in the firmware until SMP bring-up
	 * starts them with SBI HSM, and that issue adds IPIs (SBI IPI or the ACLINT SSWI).
	 */
	(void)cpu;
	(void)vector;
	return -ENOSYS;
}

uint64_t hal_counter_read(void)
{
	uint64_t t;

	/* The time CSR; firmware lets S-mode read it (mcounteren.TM) or emulates the read. */
	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

uint64_t hal_counter_freq(void)
{
	return riscv_timebase_hz;
}

/* hal_map_io() and hal_phys_to_virt() are in mm/mmu.c, with the page tables. */

/* ---- Port I/O: none on this architecture (hal.h) ---- */

uint8_t hal_pio_read8(uint16_t port)
{
	(void)port;
	return 0xff;
}

void hal_pio_write8(uint16_t port, uint8_t val)
{
	(void)port;
	(void)val;
}
