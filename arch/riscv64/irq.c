// SPDX-License-Identifier: MIT
/* riscv64 interrupt set-up: the hart's own interrupt enables (sie); the PLIC itself is
 * drivers/irqchip/plic.c. */
#include <arch/csr.h>
#include <kernel/errno.h>
#include <kernel/hal.h>

void hal_irq_init(const struct boot_info *bi)
{
	(void)bi;
	/* Software interrupts: taken and counted (IPIs come with SMP bring-up). */
	csr_set(sie, SIE_SSIE);
}

int hal_irq_external_enable(void)
{
	csr_set(sie, SIE_SEIE);
	return 0;
}

/* No GICv3 on RISC-V. */
int hal_gicv3_cpuif_init(uint8_t pmr)
{
	(void)pmr;
	return -ENOSYS;
}

uint32_t hal_gicv3_cpuif_ack(void)
{
	return 1023; /* "nothing pending" */
}

void hal_gicv3_cpuif_eoi(uint32_t intid)
{
	(void)intid;
}

/* No local APIC on RISC-V: the IOAPIC driver declines (-ENODEV). */
int hal_lapic_irq_vector(unsigned irq)
{
	(void)irq;
	return -ENOSYS;
}

void hal_lapic_eoi(void)
{
}
