// SPDX-License-Identifier: MIT
/* x86-64 answers to the architecture-defined interrupt-controller HAL calls that do not apply
 * here (the local APIC is the CPU's interface: arch/x86_64/apic.c). */
#include <kernel/errno.h>
#include <kernel/hal.h>

int hal_irq_external_enable(void)
{
	return -ENOSYS; /* the local APIC gates external interrupts; RFLAGS.IF is hal_irq_enable() */
}

/* No GICv3 on x86. */
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
