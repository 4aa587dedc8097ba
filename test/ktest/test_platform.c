// SPDX-License-Identifier: MIT
/* ktest: on the live device tree, the console bound is stdout-path's and discovery found the
 * interrupt controller, the timer and the boot CPU. */
#include <drivers/serial.h>
#include <kernel/bootinfo.h>
#include <kernel/driver.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>
#include <kernel/platform.h>
#include <lib/fdt.h>
#include <lib/string.h>

/* The live tree, or false when the firmware passed none (PVH on x86-64). */
static bool live_fdt(struct fdt *fdt)
{
	const void *dtb = kernel_boot_info->dtb;

	return dtb && fdt_init(fdt, dtb, fdt_total_size(dtb, BOOT_FDT_MAX_SIZE)) == 0;
}

KTEST(dt_console_is_the_stdout_path_uart)
{
	const struct serial_port *p = dt_console_bound();
	struct fdt fdt;
	paddr_t pa;
	int node;

	if (!live_fdt(&fdt)) {
		KT_EXPECT(p == NULL); /* no tree: nothing can have been bound from one */
		return;
	}
	node = fdt_stdout_node(&fdt);
	KT_ASSERT(node >= 0);
	KT_ASSERT(p != NULL);
	KT_EXPECT_EQ(p->node, node);
	{
		uint32_t len;
		struct plat_device dev = { .bus = PLAT_BUS_DT };

		dev.compatible = fdt_prop(&fdt, node, "compatible", &len);
		dev.compatible_len = dev.compatible ? len : 0;
		KT_EXPECT(driver_match(&dev, DRIVER_CLASS_CONSOLE) != NULL);
	}
	KT_ASSERT(dt_reg(&fdt, node, 0, &pa, NULL) == 0);
	/* the mini UART driver steps into the AUX block when reg names the whole block */
	KT_EXPECT(p->pa == pa || p->pa == pa + 0x40);
}

KTEST(platform_found_intc_timer_and_boot_cpu)
{
	const struct platform_info *pi = &kernel_platform;
	struct fdt fdt;
	bool boot_cpu_listed = false;

	if (!live_fdt(&fdt)) {
		KT_EXPECT(!pi->from_dt);
		return;
	}
	KT_ASSERT(pi->from_dt);
	KT_EXPECT(pi->intc.node >= 0);
	KT_EXPECT(pi->intc.kind && strcmp(pi->intc.kind, "unknown") != 0);
	KT_EXPECT(pi->intc.reg_count > 0);
	KT_EXPECT(!pi->intc.reg_bad);
	KT_EXPECT(pi->timer.node >= 0);
	KT_EXPECT(pi->cpu_count > 0);
	/* reg is MPIDR (Aff3 at bit 32) or the hart id; hal_cpu_id() packs Aff3 at bit 24 */
	for (unsigned i = 0; i < pi->cpu_count; i++)
		if ((pi->cpu[i].hwid & 0xffffff) == (hal_cpu_id() & 0xffffff))
			boot_cpu_listed = true;
	KT_EXPECT(boot_cpu_listed);
}
