// SPDX-License-Identifier: MIT
/* x86-64 C entry: turn the PVH start info into a struct boot_info and start the kernel. */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/pvh.h>
#include <kernel/bootinfo.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <lib/string.h>

/* More entries than any real E820 map has: a bigger count means a corrupt start info. */
#define PVH_MAX_MEMMAP_ENTRIES 1024
/* Longest command line read from the loader; bootinfo_set_cmdline() truncates further. */
#define PVH_CMDLINE_READ_MAX 4096

static struct boot_info boot_info;

static uint32_t e820_to_mem_type(uint32_t e820)
{
	switch (e820) {
	case E820_RAM:      return MEM_USABLE;
	case E820_ACPI:     return MEM_ACPI_RECLAIM;
	case E820_NVS:      return MEM_ACPI_NVS;
	case E820_UNUSABLE: return MEM_BAD;
	default:            return MEM_RESERVED; /* reserved, persistent memory, unknown */
	}
}

static void parse_memmap(struct boot_info *bi, const struct hvm_start_info *si)
{
	const struct hvm_memmap_entry *map;
	uint32_t n = si->memmap_entries;

	if (si->version < 1 || !si->memmap_paddr || n == 0 || n > PVH_MAX_MEMMAP_ENTRIES)
		return;
	map = hal_map_io(si->memmap_paddr, (size_t)n * sizeof(*map));
	if (!map)
		return;
	for (uint32_t i = 0; i < n; i++) {
		if (map[i].size == 0)
			continue;
		bootinfo_add_mem(bi, map[i].addr, map[i].size, e820_to_mem_type(map[i].type));
	}
}

static void parse_cmdline(struct boot_info *bi, const struct hvm_start_info *si)
{
	size_t max = PVH_CMDLINE_READ_MAX;
	const char *src;

	if (!si->cmdline_paddr || si->cmdline_paddr >= DIRECT_MAP_SIZE)
		return;
	/* Never read past the end of the direct map, even if the string is unterminated. */
	if (max > DIRECT_MAP_SIZE - si->cmdline_paddr)
		max = DIRECT_MAP_SIZE - si->cmdline_paddr;
	src = hal_phys_to_virt(si->cmdline_paddr);
	bootinfo_set_cmdline(bi, src, max);
}

/* No console yet and nothing to boot with: say so on COM1 and stop. */
static noreturn void bad_start_info(uint32_t pa, uint32_t magic)
{
	hal_console_init(NULL);
	kprintf("keel: no valid PVH start info at %#x (magic %#x, want %#x); halting\n",
		pa, magic, PVH_START_MAGIC);
	hal_cpu_halt();
}

noreturn void x86_boot_main(uint32_t start_info_pa)
{
	struct boot_info *bi = &boot_info;
	const struct hvm_start_info *si;

	x86_gdt_init();
	x86_idt_init();
	x86_percpu_early_init();

	si = hal_map_io(start_info_pa, PVH_START_INFO_V0_SIZE);
	if (!start_info_pa || !si || si->magic != PVH_START_MAGIC)
		bad_start_info(start_info_pa, si ? si->magic : 0);
	/* Version-1 fields exist only if the loader says so; check they are mapped too. */
	if (si->version >= 1 && !hal_map_io(start_info_pa, sizeof(*si)))
		bad_start_info(start_info_pa, si->magic);

	bi->firmware = "PVH";
	strlcpy(bi->model, CONFIG_BOARD, sizeof(bi->model));
	bi->acpi_rsdp = si->rsdp_paddr;
	bi->kernel_pa = (uintptr_t)__kernel_start - DIRECT_MAP_BASE;
	bi->boot_cpu = hal_cpu_id();
	parse_cmdline(bi, si);
	parse_memmap(bi, si);

	kernel_main(bi);
}
