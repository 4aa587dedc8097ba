// SPDX-License-Identifier: MIT
/* x86-64 C entry: turn the PVH start info (or Multiboot2 information) into a struct boot_info. */
#include <arch/cpu.h>
#include <arch/direct_map.h>
#include <arch/layout.h>
#include <arch/pvh.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/pmm.h>
#include <lib/acpi.h>
#include <lib/string.h>

/* More entries than any real E820 map has: a bigger count means a corrupt start info. */
#define PVH_MAX_MEMMAP_ENTRIES 1024
/* Longest command line read from the loader; bootinfo_set_cmdline() truncates further. */
#define PVH_CMDLINE_READ_MAX 4096

static struct boot_info boot_info;

uint32_t x86_e820_mem_type(uint32_t e820)
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
		bootinfo_add_mem(bi, map[i].addr, map[i].size, x86_e820_mem_type(map[i].type));
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

/*
 * The NUMA layout from the ACPI SRAT: each enabled memory affinity range with the dense node
 * id of its proximity domain (bi->numa), and the boot CPU's node. Nothing is printed here (no
 * console yet): what went wrong is kept for x86_numa_report(), called once the console is up.
 */
static struct acpi_srat srat;
static int srat_err;
static const char *srat_why;
static unsigned srat_folded; /* ranges on domains beyond PMM_MAX_NODES, put on node 0 */

static void parse_srat(struct boot_info *bi)
{
	struct acpi_reader r = { .map = x86_acpi_map };
	paddr_t rsdp = bi->acpi_rsdp ? bi->acpi_rsdp : x86_find_rsdp();
	cpu_id_t boot_apic = bi->boot_cpu;

	srat_err = rsdp ? acpi_get_srat(&r, rsdp, &srat) : -ENOENT;
	srat_why = r.error;
	if (srat_err)
		return;
	for (unsigned i = 0; i < srat.nr_mem; i++) {
		const struct acpi_srat_mem *m = &srat.mem[i];
		int node = acpi_srat_node_of_domain(&srat, m->domain, PMM_MAX_NODES);

		if (node < 0) {
			srat_folded++;
			node = 0;
		}
		if (bi->numa_count >= BOOT_MAX_NUMA_RANGES)
			break; /* same bound as ACPI_SRAT_MAX_MEM: cannot happen */
		bi->numa[bi->numa_count++] = (struct boot_numa_range){ m->base, m->length,
								       (uint32_t)node };
	}
	bi->numa_nodes = MIN(acpi_srat_domain_count(&srat), (unsigned)PMM_MAX_NODES);
	for (unsigned i = 0; i < srat.nr_cpus; i++) {
		int node = acpi_srat_node_of_domain(&srat, srat.cpus[i].domain, PMM_MAX_NODES);

		if (srat.cpus[i].apic_id == boot_apic && node >= 0)
			bi->boot_cpu_node = (uint32_t)node;
	}
}

void x86_numa_report(const struct boot_info *bi)
{
	if (srat_err == -ENOENT) {
		kprintf("  numa: no ACPI SRAT; all memory on node 0\n");
		return;
	}
	if (srat_err) {
		kprintf("  numa: ACPI SRAT rejected (%d: %s); all memory on node 0\n", srat_err,
			srat_why ? srat_why : "?");
		return;
	}
	kprintf("  numa: ACPI SRAT: %u memory ranges, %u CPUs, %u proximity domains -> %u nodes; "
		"boot CPU on node %u\n", srat.nr_mem, srat.nr_cpus, acpi_srat_domain_count(&srat),
		bi->numa_nodes, bi->boot_cpu_node);
	if (srat.dropped || srat.disabled || srat.ignored)
		kprintf("  numa: SRAT entries: %u did not fit (ignored), %u disabled, %u of other types\n",
			srat.dropped, srat.disabled, srat.ignored);
	if (srat_folded)
		kprintf("  numa: WARNING: %u memory ranges on proximity domains beyond the %u nodes "
			"supported (PMM_MAX_NODES) put on node 0\n", srat_folded, PMM_MAX_NODES);
}

/* No description and nothing to boot with: say so on the early UART port (Kconfig) and stop. */
static noreturn void bad_start_info(uint32_t pa, uint32_t magic)
{
	hal_console_init(NULL);
	kprintf("keel: no valid PVH start info at %#x (magic %#x, want %#x); halting\n",
		pa, magic, PVH_START_MAGIC);
	hal_cpu_halt();
}

static void pvh_boot_info(struct boot_info *bi, uint32_t start_info_pa)
{
	const struct hvm_start_info *si;

	si = hal_map_io(start_info_pa, PVH_START_INFO_V0_SIZE);
	if (!start_info_pa || !si || si->magic != PVH_START_MAGIC)
		bad_start_info(start_info_pa, si ? si->magic : 0);
	/* Version-1 fields exist only if the loader says so; check they are mapped too. */
	if (si->version >= 1 && !hal_map_io(start_info_pa, sizeof(*si)))
		bad_start_info(start_info_pa, si->magic);

	bi->firmware = "PVH";
	bi->acpi_rsdp = si->rsdp_paddr;
	parse_cmdline(bi, si);
	parse_memmap(bi, si);
}

/*
 * Called by boot/head.S in long mode on the boot stack. @entry: PVH_START_MAGIC when the PVH
 * entry ran, else the %eax a Multiboot2 loader passed; @info_pa: the loader's %ebx.
 */
noreturn void x86_boot_main(uint32_t entry, uint32_t info_pa)
{
	struct boot_info *bi = &boot_info;

	x86_gdt_init();
	x86_idt_init();
	x86_percpu_early_init();

	if (entry == PVH_START_MAGIC)
		pvh_boot_info(bi, info_pa);
	else
		x86_multiboot2_boot_info(bi, entry, info_pa);
	strlcpy(bi->model, CONFIG_BOARD, sizeof(bi->model));
	bi->kernel_pa = (uintptr_t)__kernel_start - DIRECT_MAP_BASE;
	bi->boot_cpu = hal_cpu_id();
	parse_srat(bi);
	x86_direct_map_init(bi); /* RAM above 4 GiB: before the page allocator looks at it */

	kernel_main(bi);
}
