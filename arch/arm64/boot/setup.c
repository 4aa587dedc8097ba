// SPDX-License-Identifier: MIT
/* arm64 early C: the boot_info from the DTB, then kernel_main(); plus hal_early_init(). */
#include <arch/arm64.h>
#include <arch/mmu.h>
#include <arch/psci.h>
#include <arch/sysreg.h>
#include <kernel/bootinfo.h>
#include <kernel/hal.h>
#include <lib/fdt.h>
#include <lib/string.h>

bool arm64_entered_el2;

static struct boot_info boot_info;
static struct fdt boot_fdt;
static bool boot_fdt_valid;
static uint64_t counter_freq;

const struct fdt *arm64_fdt(void)
{
	return boot_fdt_valid ? &boot_fdt : NULL;
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

/* Counter frequency: CNTFRQ_EL0 as firmware programmed it, else the DTB timer node's. */
static uint64_t find_counter_freq(const struct fdt *fdt)
{
	uint64_t freq = read_sysreg(cntfrq_el0) & 0xffffffffu;
	uint32_t dt_freq;
	int node;

	if (freq || !fdt)
		return freq;
	node = fdt_find_compatible(fdt, -1, "arm,armv8-timer");
	if (node >= 0 && fdt_prop_u32(fdt, node, "clock-frequency", &dt_freq) == 0)
		return dt_freq;
	return 0;
}

void hal_early_init(const struct boot_info *bi)
{
	boot_fdt_valid = bi->dtb && fdt_init(&boot_fdt, bi->dtb, ARM64_DTB_MAX_SIZE) == 0;
	counter_freq = find_counter_freq(arm64_fdt());
	psci_init(arm64_fdt());
}

const char *hal_boot_mode(void)
{
	return arm64_entered_el2 ? "EL1 (from EL2)" : "EL1";
}

uint64_t hal_counter_freq(void)
{
	return counter_freq;
}
