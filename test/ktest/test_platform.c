// SPDX-License-Identifier: MIT
/* ktest: on the live device tree, the console bound is stdout-path's, and kernel_platform
 * has the interrupt controller, the timer, the boot CPU and sane memory. */
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
		/* No tree (x86-64): bound, if at all, from the description's console device. */
		const struct platform *plat = &kernel_platform;

		if (p)
			KT_EXPECT(plat->console.device >= 0 &&
				  p->pa == plat->dev[plat->console.device].reg[0].base);
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

/* Sorted, disjoint, with some RAM: what pmm_boot.c and the direct map rely on. */
static void expect_memory_sane(struct ktest_ctx *kt, const struct platform *p)
{
	uint64_t ram = 0;

	for (unsigned i = 0; i < p->mem_count; i++) {
		if (i)
			KT_EXPECT(p->mem[i - 1].base + p->mem[i - 1].size <= p->mem[i].base);
		if (p->mem[i].kind == PLAT_MEM_RAM)
			ram += p->mem[i].size;
	}
	KT_EXPECT(ram > 0);
}

KTEST(platform_found_intc_timer_and_boot_cpu)
{
	const struct platform *p = &kernel_platform;
	const struct plat_cpu *boot = platform_boot_cpu(p);
	struct fdt fdt;

	KT_ASSERT(p->source != NULL);
	KT_ASSERT(boot != NULL);
	KT_EXPECT(boot->available);
	expect_memory_sane(kt, p);
	if (!live_fdt(&fdt))
		return; /* x86-64: ACPI + the boot memory map */
	KT_EXPECT(strcmp(p->source, "DTB") == 0);
	KT_EXPECT(platform_fdt() != NULL);
	KT_ASSERT(p->root_intc != PLAT_NONE);
	KT_EXPECT(p->dev[p->root_intc].is_intc);
	KT_EXPECT(p->dev[p->root_intc].reg_count > 0);
	KT_EXPECT(p->timer.kind != NULL);
	KT_EXPECT(p->cpu_count > 0);
	KT_EXPECT(p->console.device == platform_find_fdt_node(p, fdt_stdout_node(&fdt)));
	KT_EXPECT(p->rejected == 0);
	KT_EXPECT(p->devs_dropped == 0);
	/* reg is MPIDR (Aff3 at bit 32) or the hart id; hal_cpu_id() packs Aff3 at bit 24 */
	KT_EXPECT((boot->hwid & 0xffffff) == (hal_cpu_id() & 0xffffff));
}
