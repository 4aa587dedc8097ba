// SPDX-License-Identifier: MIT
/* arm64 CPU HAL: interrupt masking (DAIF), CPU id, per-CPU pointer, idle/halt, counter. */
#include <arch/arm64.h>
#include <arch/sysreg.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/percpu.h>

/* hal_setjmp/hal_longjmp (context.S) store irqflags right after regs[16]. */
_Static_assert(__builtin_offsetof(struct hal_jmpbuf, irqflags) == 128, "hal_jmpbuf layout");
_Static_assert(sizeof(irqflags_t) == 8, "hal_jmpbuf layout");

/*
 * "Interrupts" means IRQ and FIQ together: Keel routes nothing to FIQ, and leaving it
 * unmasked where IRQs are masked would let a stray FIQ in. SError and debug stay as set.
 */
void hal_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #3" ::: "memory");
}

void hal_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #3" ::: "memory");
}

irqflags_t hal_irq_save(void)
{
	irqflags_t flags = read_sysreg(daif);

	hal_irq_disable();
	return flags;
}

void hal_irq_restore(irqflags_t flags)
{
	write_sysreg(daif, flags);
}

bool hal_irq_enabled(void)
{
	return !(read_sysreg(daif) & DAIF_I);
}

/* MPIDR_EL1 Aff3..Aff0 packed into 32 bits as Aff3:Aff2:Aff1:Aff0. */
cpu_id_t hal_cpu_id(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);

	return (cpu_id_t)((mpidr & MPIDR_AFF0_2_MASK) |
			  (((mpidr >> MPIDR_AFF3_SHIFT) & 0xff) << 24));
}

/*
 * Called with PSTATE.I set. wfi wakes for a pending interrupt even while it is masked, so an
 * interrupt that arrived after the caller's last check ends the wait at once (no lost
 * wake-up). Then the mask opens for one instruction to take it, and closes again.
 */
void hal_cpu_idle(void)
{
	__asm__ __volatile__("dsb sy\n\twfi\n\tmsr daifclr, #3\n\tisb\n\tmsr daifset, #3"
			     ::: "memory");
}

noreturn void hal_cpu_halt(void)
{
	hal_irq_disable();
	for (;;)
		__asm__ __volatile__("wfi" ::: "memory");
}

/* No SMP yet: secondaries stay parked by firmware (PSCI or spin-table) and the interrupt
 * controller driver raises no SGIs yet. The SMP issue replaces this. */
int hal_send_ipi(cpu_id_t cpu, unsigned vector)
{
	return -ENOSYS;
}

/* The isb keeps the read from being hoisted above earlier instructions (Arm ARM D11.2.2). */
uint64_t hal_counter_read(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

/* TPIDR_EL1 holds the block: one mrs in any context (head.S zeroes it at entry). */
void hal_percpu_init(struct per_cpu *pc)
{
	if (!pc->kernel_stack_top && pc->index == 0)
		pc->kernel_stack_top = (uintptr_t)boot_stack_top;
	write_sysreg(tpidr_el1, (uintptr_t)pc);
	isb();
}

struct per_cpu *hal_this_cpu(void)
{
	uintptr_t pc;

	__asm__("mrs %0, tpidr_el1" : "=r"(pc));
	return (struct per_cpu *)pc;
}

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
