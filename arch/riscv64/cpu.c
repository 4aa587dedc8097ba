// SPDX-License-Identifier: MIT
/* riscv64 HAL: interrupt masking, CPU identity and idling, the time counter, boot mappings. */
#include <arch/csr.h>
#include <arch/riscv.h>
#include <kernel/errno.h>
#include <kernel/hal.h>

/* Physical addresses are at most 56 bits (priv. spec 4.4, Sv39-Sv57 PPN width). */
#define PA_MAX_BITS 56

uint64_t riscv_timebase_hz;

/* sstatus.SIE gates every supervisor interrupt; the per-source sie bits stay 0 for now. */
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
	/* Only ever set the bit back: the save itself left it clear. */
	if (flags & SSTATUS_SIE)
		csr_set(sstatus, SSTATUS_SIE);
}

bool hal_irq_enabled(void)
{
	return (csr_read(sstatus) & SSTATUS_SIE) != 0;
}

cpu_id_t hal_cpu_id(void)
{
	return this_hart()->hartid;
}

void hal_cpu_idle(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
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

/* The MMU is off (satp = 0) until the memory-management issue: every address is physical. */
void *hal_map_io(paddr_t pa, size_t size)
{
	if (!size || pa + size < pa || ((pa + size - 1) >> PA_MAX_BITS))
		return NULL;
	return (void *)(uintptr_t)pa;
}

void *hal_phys_to_virt(paddr_t pa)
{
	if (pa >> PA_MAX_BITS)
		return NULL;
	return (void *)(uintptr_t)pa;
}
