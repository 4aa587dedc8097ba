// SPDX-License-Identifier: MIT
/* arm64 early C: the boot_info from the DTB, then kernel_main(); plus hal_early_init(). */
#include <arch/arm64.h>
#include <arch/mmu.h>
#include <arch/psci.h>
#include <arch/sysreg.h>
#include <kernel/bootinfo.h>
#include <kernel/hal.h>
#include <kernel/platform.h>
#include <lib/string.h>

bool arm64_entered_el2;

static struct boot_info boot_info;
static uint64_t counter_freq;

/* The indexed tree platform_init() read, for the interrupt-controller code still in arch/. */
const struct fdt *arm64_fdt(void)
{
	return platform_fdt();
}

/*
 * Called by head.S at EL1 at the image's high virtual address, on the boot tables
 * (arm64_mmu_early()): the DTB and all RAM are reached through the direct map.
 * A missing or malformed DTB is not fatal here: the console falls back to the Kconfig
 * UART and kernel_main() reports the empty memory map.
 */
noreturn void arm64_start_kernel(paddr_t dtb_pa, uint64_t from_el2, paddr_t kernel_pa)
{
	struct boot_info *bi = &boot_info;

	arm64_mmu_started();
	arm64_entered_el2 = from_el2 != 0;
	bi->firmware = "none (no valid DTB)";
	if (dtb_pa && bootinfo_from_fdt(bi, hal_phys_to_virt(dtb_pa), dtb_pa) == 0) {
		bi->dtb = hal_phys_to_virt(dtb_pa);
		bi->dtb_pa = dtb_pa;
		bi->firmware = "DTB";
	}
	if (!bi->model[0])
		strlcpy(bi->model, CONFIG_BOARD, sizeof(bi->model));
	bi->kernel_pa = kernel_pa;
	bi->boot_cpu = hal_cpu_id();
	kernel_main(bi);
}

/* Counter frequency: CNTFRQ_EL0 as firmware programmed it, else the timer node's
 * clock-frequency (kernel_platform.timer). */
static uint64_t find_counter_freq(const struct platform *p)
{
	uint64_t freq = read_sysreg(cntfrq_el0) & 0xffffffffu;

	return freq ? freq : p->timer.freq;
}

void hal_early_init(const struct boot_info *bi)
{
	(void)bi; /* platform_init() has read the DTB into kernel_platform */
	counter_freq = find_counter_freq(&kernel_platform);
	psci_init(&kernel_platform);
}

const char *hal_boot_mode(void)
{
	return arm64_entered_el2 ? "EL1 (from EL2)" : "EL1";
}

uint64_t hal_counter_freq(void)
{
	return counter_freq;
}
