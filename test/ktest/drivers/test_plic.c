// SPDX-License-Identifier: MIT
/* ktest: the PLIC driver (drivers/irqchip/plic.c): bound to the PLIC serving the boot hart,
 * with that hart's S-mode context (the hart's sie.SEIE: test/ktest/riscv64/test_riscv.c). */
#include <drivers/plic.h>
#include <kernel/driver.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/platform.h>
#include <lib/fdt.h>
#include <lib/string.h>

KTEST(plic_context_belongs_to_the_boot_hart)
{
	const struct irq_chip *chip = irq_chip();
	const struct fdt *fdt = platform_fdt();
	const struct plat_device *dev = plic_device();
	int root = fdt ? fdt_root(fdt) : -1;

	KT_ASSERT(fdt != NULL);
	KT_ASSERT(plic_context() >= 0);
	KT_EXPECT_EQ(plic_context_hart(), hal_cpu_id());
	/* the context's entry is on the boot hart's own controller, S-external (9) */
	KT_ASSERT(dev != NULL && dev->driver != NULL && dev->bind_error == 0);
	KT_ASSERT((unsigned)plic_context() < dev->irq_count);
	KT_EXPECT_EQ(dev->irq[plic_context()].parent,
		     platform_cpu_by_hwid(&kernel_platform, hal_cpu_id())->intc);
	KT_EXPECT_EQ(dev->irq[plic_context()].cells[0], 9u);
	KT_ASSERT(chip != NULL);
	KT_EXPECT(!strcmp(chip->name, "plic"));
	/* Cross-check against QEMU virt's fixed layout (M then S context per hart) when one
	 * PLIC serves every hart (with -numa each socket's PLIC numbers its own harts from 0);
	 * the port itself finds the context from interrupts-extended. */
	if (root >= 0 && fdt_is_compatible(fdt, root, "riscv-virtio") &&
	    fdt_find_compatible(fdt, fdt_find_compatible(fdt, -1, "riscv,plic0"),
				"riscv,plic0") < 0)
		KT_EXPECT_EQ((unsigned long)plic_context(), 2 * hal_cpu_id() + 1);
	kprintf("    PLIC context %d for hart %u\n", plic_context(), (unsigned)hal_cpu_id());
}

