// SPDX-License-Identifier: MIT
/* arm64 interrupt entry set-up and the GICv3 CPU interface system registers (ICC_*_EL1): the
 * architecture's part of interrupt handling; the GIC itself is drivers/irqchip/gic.c. */
#include <arch/arm64.h>
#include <arch/sysreg.h>
#include <kernel/errno.h>
#include <kernel/hal.h>

#define ICC_SRE_SRE 1u  /* system-register interface in use */
#define ICC_SRE_ALL 7u  /* SRE | DFB (FIQ bypass off) | DIB (IRQ bypass off) */

void hal_irq_init(const struct boot_info *bi)
{
	(void)bi;
	hal_irq_disable();
	/* SErrors (asynchronous aborts) were masked since entry: with the vectors up, take
	 * them, so one is reported (arm64_exception) rather than left pending for ever. */
	__asm__ __volatile__("msr daifclr, #4" ::: "memory");
}

int hal_irq_external_enable(void)
{
	return -ENOSYS; /* the GIC CPU interface gates the line; DAIF.I is hal_irq_enable() */
}

#define write_icc(reg, v) do { write_sysreg(reg, v); isb(); } while (0)

int hal_gicv3_cpuif_init(uint8_t pmr)
{
	write_icc(icc_sre_el1, read_sysreg(icc_sre_el1) | ICC_SRE_ALL);
	if (!(read_sysreg(icc_sre_el1) & ICC_SRE_SRE))
		return -ENODEV;
	write_icc(icc_pmr_el1, pmr);
	write_icc(icc_bpr1_el1, 0); /* no subpriority grouping */
	write_icc(icc_igrpen1_el1, 1);
	return 0;
}

uint32_t hal_gicv3_cpuif_ack(void)
{
	uint32_t intid = (uint32_t)read_sysreg(icc_iar1_el1) & 0xffffff;

	/* The acknowledge must complete before the handler touches the device. */
	__asm__ __volatile__("dsb sy" ::: "memory");
	return intid;
}

void hal_gicv3_cpuif_eoi(uint32_t intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}

/* No local APIC on Arm: the IOAPIC driver declines (-ENODEV). */
int hal_lapic_irq_vector(unsigned irq)
{
	(void)irq;
	return -ENOSYS;
}

void hal_lapic_eoi(void)
{
}
