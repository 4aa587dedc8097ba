// SPDX-License-Identifier: MIT
/* A minimal platform description from struct boot_info alone (x86-64 until ACPI is read). */
#include <kernel/bootinfo.h>
#include <kernel/platform.h>
#include <lib/string.h>

static enum plat_mem_kind kind_of(uint32_t type)
{
	switch (type) {
	case MEM_USABLE: return PLAT_MEM_RAM;
	case MEM_ACPI_RECLAIM:
	case MEM_ACPI_NVS: return PLAT_MEM_ACPI;
	default: return PLAT_MEM_RESERVED;
	}
}

/*
 * The firmware's memory map as it is (sorted and disjoint on the PC's E820; not re-cut here)
 * and one CPU, the boot CPU. No devices: nothing here knows the board.
 */
void platform_from_bootinfo(struct platform *p, const struct boot_info *bi)
{
	memset(p, 0, sizeof(*p));
	p->source = "boot memory map";
	p->root_intc = PLAT_NONE;
	p->console.device = PLAT_NONE;
	p->timer.device = PLAT_NONE;
	p->acpi_rsdp = bi->acpi_rsdp;
	strlcpy(p->model, bi->model, sizeof(p->model));
	for (uint32_t i = 0; i < bi->mem_count && i < BOOT_MAX_MEM_REGIONS; i++) {
		const struct mem_region *r = &bi->mem[i];

		if (p->mem_count == PLAT_MAX_MEM) {
			p->mem_dropped++;
			continue;
		}
		p->mem[p->mem_count++] = (struct plat_mem){ .base = r->base, .size = r->size,
							    .kind = kind_of(r->type) };
	}
	p->mem_dropped += bi->mem_dropped;
	p->cpu_count = 1;
	p->cpu[0] = (struct plat_cpu){ .hwid = bi->boot_cpu, .available = true, .is_boot = true,
				       .node = bi->boot_cpu_node, .intc = PLAT_NONE,
				       .fdt_node = PLAT_NONE };
}
