// SPDX-License-Identifier: MIT
/* Host stand-ins for what a spinlock needs (kprintf's console lock, the device-model lock) in
 * tests that run one thread as one CPU: nothing to mask, no per-CPU block as the owner. */
#include <kernel/hal.h>

irqflags_t hal_irq_save(void)
{
	return 0;
}

void hal_irq_restore(irqflags_t flags)
{
	(void)flags;
}

struct per_cpu *hal_this_cpu(void)
{
	return NULL;
}
