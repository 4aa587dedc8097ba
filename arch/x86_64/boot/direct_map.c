// SPDX-License-Identifier: MIT
/* x86-64: the direct map holds RAM only, write-back, from kernel_main() on (arch/direct_map.h). */
#include <arch/cpu.h>
#include <arch/direct_map.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/errno.h>
#include <kernel/kprintf.h>
#include <kernel/pagetable.h>
#include <kernel/pmm.h>
#include <lib/string.h>

static struct x86_ram_range ram[X86_RAM_RANGES_MAX];
static unsigned nr_ram;
static bool trimmed;              /* false: head.S's tables still map all of 0-4 GiB */
static uint64_t capped_bytes;     /* RAM at or above DIRECT_MAP_MAX: never mapped */
static uint64_t unmapped_bytes;   /* RAM left out: too many ranges, or no table pages */
static uint64_t hole_bytes;       /* non-RAM below 4 GiB taken out of the boot tables */
static unsigned table_pages;      /* boot table pages taken from low RAM */
static int trim_err;              /* pt_unmap()'s error while trimming, for the report */
static struct boot_info *boot_bi; /* whose memory map take_table_page() shrinks */

static bool ram_like(uint32_t type)
{
	return type == MEM_USABLE || type == MEM_ACPI_RECLAIM || type == MEM_ACPI_NVS;
}

/* Add [@base, @end) to ram[], sorted, merging with touching or overlapping ranges. */
static void add_ram(paddr_t base, paddr_t end)
{
	unsigned i = 0;

	while (i < nr_ram && ram[i].end < base)
		i++;
	if (i < nr_ram && ram[i].base <= end) { /* overlaps or touches ram[i]: merge */
		ram[i].base = MIN(ram[i].base, base);
		ram[i].end = MAX(ram[i].end, end);
		while (i + 1 < nr_ram && ram[i + 1].base <= ram[i].end) {
			ram[i].end = MAX(ram[i].end, ram[i + 1].end);
			memmove(&ram[i + 1], &ram[i + 2], (nr_ram - i - 2) * sizeof(ram[0]));
			nr_ram--;
		}
		return;
	}
	if (nr_ram == X86_RAM_RANGES_MAX) {
		unmapped_bytes += end - base;
		return;
	}
	memmove(&ram[i + 1], &ram[i], (nr_ram - i) * sizeof(ram[0]));
	ram[i] = (struct x86_ram_range){ base, end };
	nr_ram++;
}

static bool ram_covers(paddr_t first, paddr_t last)
{
	for (unsigned i = 0; i < nr_ram; i++)
		if (first >= ram[i].base && last < ram[i].end)
			return true;
	return false;
}

/* A zeroed page for a boot page table, off the top of usable RAM below 3 GiB (above the
 * kernel image and inside ram[], so it stays mapped), which leaves the map of @ctx (the
 * struct boot_info); -ENOMEM when none is left. */
static int take_table_page(void *ctx, paddr_t *pa)
{
	struct boot_info *bi = ctx;
	paddr_t kend = (paddr_t)((uintptr_t)__kernel_end - DIRECT_MAP_BASE);
	struct mem_region *best = NULL;

	for (uint32_t i = 0; i < bi->mem_count && i < BOOT_MAX_MEM_REGIONS; i++) {
		struct mem_region *r = &bi->mem[i];
		paddr_t top = ALIGN_DOWN(r->base + r->size, (paddr_t)PAGE_SIZE);

		if (r->type != MEM_USABLE || top > DIRECT_MAP_UC_START || top < kend + PAGE_SIZE ||
		    top - PAGE_SIZE < r->base || !ram_covers(top - PAGE_SIZE, top - 1))
			continue;
		if (!best || top > best->base + best->size)
			best = r;
	}
	if (!best)
		return -ENOMEM;
	best->size = ALIGN_DOWN(best->base + best->size, (paddr_t)PAGE_SIZE) - PAGE_SIZE - best->base;
	table_pages++;
	*pa = best->base + best->size;
	memset((void *)(uintptr_t)(DIRECT_MAP_BASE + *pa), 0, PAGE_SIZE);
	return 0;
}

/* ram[] from the firmware's map: usable and ACPI RAM, pages wholly inside, below DIRECT_MAP_MAX;
 * the kernel image first, so it is never the range that does not fit. */
static void collect_ram(const struct boot_info *bi)
{
	add_ram((paddr_t)((uintptr_t)__kernel_start - DIRECT_MAP_BASE),
		ALIGN_UP((paddr_t)((uintptr_t)__kernel_end - DIRECT_MAP_BASE), (paddr_t)PAGE_SIZE));
	for (uint32_t i = 0; i < bi->mem_count && i < BOOT_MAX_MEM_REGIONS; i++) {
		const struct mem_region *r = &bi->mem[i];
		paddr_t base = ALIGN_UP(r->base, (paddr_t)PAGE_SIZE), end;

		if (!ram_like(r->type) || r->size > UINT64_MAX - r->base)
			continue;
		end = ALIGN_DOWN(r->base + r->size, (paddr_t)PAGE_SIZE);
		if (end > DIRECT_MAP_MAX) {
			capped_bytes += end - MAX(base, (paddr_t)DIRECT_MAP_MAX);
			end = DIRECT_MAP_MAX;
		}
		if (base < end)
			add_ram(base, end);
	}
}

/* Take [@base, @end) below 4 GiB out of head.S's tables (splitting its 2 MiB leaves). */
static void unmap_hole(struct boot_info *bi, paddr_t base, paddr_t end)
{
	int err;

	if (end <= base || trim_err)
		return;
	err = x86_boot_unmap_direct(base, end, take_table_page, bi);
	if (err)
		trim_err = err;
	else
		hole_bytes += end - base;
}

/*
 * head.S mapped all of 0-4 GiB (it cannot read the memory map); from here on only RAM is in
 * the direct map. The MMIO holes (legacy VGA/ROM area, PCI window, IOAPIC, LAPIC, HPET) are
 * reached through hal_map_io()'s uncached I/O window once the kernel tables exist.
 */
static void trim_low_holes(struct boot_info *bi)
{
	paddr_t pos = 0;

	for (unsigned i = 0; i < nr_ram && ram[i].base < DIRECT_MAP_SIZE; i++) {
		unmap_hole(bi, pos, ram[i].base);
		pos = ram[i].end;
	}
	if (pos < DIRECT_MAP_SIZE)
		unmap_hole(bi, pos, DIRECT_MAP_SIZE);
	trimmed = true;
}

/* RAM above 4 GiB: largest leaves that fit (core/mm/pagetable.c). A range that cannot be
 * mapped for lack of table pages is dropped whole, and the ones after it. */
static void map_high_ram(struct boot_info *bi)
{
	for (unsigned i = 0; i < nr_ram; i++) {
		if (ram[i].end <= DIRECT_MAP_SIZE)
			continue;
		if (!x86_boot_map_direct(MAX(ram[i].base, (paddr_t)DIRECT_MAP_SIZE), ram[i].end,
					 take_table_page, bi))
			continue;
		for (unsigned j = i; j < nr_ram; j++)
			unmapped_bytes += ram[j].end - MAX(ram[j].base, (paddr_t)DIRECT_MAP_SIZE);
		nr_ram = i;
		break;
	}
}

void x86_direct_map_init(struct boot_info *bi)
{
	boot_bi = bi;
	collect_ram(bi);
	trim_low_holes(bi);
	map_high_ram(bi);
	/* Entries were removed: flush them (no global pages yet, so a CR3 reload does it). */
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(read_cr3()) : "memory");
}

bool x86_direct_map_covers_range(paddr_t first, paddr_t last)
{
	if (last < first)
		return false;
	if (!trimmed)
		return last < DIRECT_MAP_SIZE;
	return ram_covers(first, last);
}

bool x86_direct_map_boot_whole(void)
{
	return !trimmed;
}

/* A table page for an early device mapping: from the boot memory map until the page allocator
 * owns it (pmm_init_from_bootinfo() read it), from the page allocator after. */
static int early_io_table_page(void *ctx, paddr_t *pa)
{
	if (pmm_node_count())
		return pt_pmm_alloc_table(NULL, pa);
	return take_table_page(ctx, pa);
}

void *x86_direct_map_early_io(struct io_window *w, paddr_t pa, size_t size)
{
	if (!trimmed || !boot_bi)
		return NULL; /* before x86_direct_map_init(): no memory map to take tables from */
	return x86_boot_map_io(w, pa, size, early_io_table_page, boot_bi);
}

unsigned x86_direct_map_ram(const struct x86_ram_range **ranges)
{
	*ranges = ram;
	return nr_ram;
}

void x86_direct_map_report(void)
{
	uint64_t bytes = 0, high = 0;

	for (unsigned i = 0; i < nr_ram; i++) {
		bytes += ram[i].end - ram[i].base;
		if (ram[i].end > DIRECT_MAP_SIZE)
			high += ram[i].end - MAX(ram[i].base, (paddr_t)DIRECT_MAP_SIZE);
	}
	kprintf("  mmu: direct map: %llu MiB of RAM, write-back, in %u ranges (%llu MiB of it RAM "
		"above 4 GiB), up to %#llx; %llu MiB of non-RAM below 4 GiB left out (boot tables: "
		"%s leaves, %u pages)\n", (unsigned long long)(bytes >> 20), nr_ram,
		(unsigned long long)(high >> 20),
		nr_ram ? (unsigned long long)ram[nr_ram - 1].end : 0ULL,
		(unsigned long long)(hole_bytes >> 20),
		x86_mmu_has_1g_pages() ? "1 GiB" : "2 MiB", table_pages);
	if (trim_err)
		kprintf("  mmu: WARNING: boot tables still map some non-RAM below 4 GiB (error %d "
			"splitting them); the kernel's own tables do not\n", trim_err);
	if (capped_bytes)
		kprintf("  mmu: WARNING: %llu MiB of RAM at or above %llu TiB NOT MAPPED and not used: "
			"the direct map ends where the vmap window starts (%#llx)\n",
			(unsigned long long)(capped_bytes >> 20),
			(unsigned long long)(DIRECT_MAP_MAX >> 40), (unsigned long long)KERNEL_VMAP_BASE);
	if (unmapped_bytes)
		kprintf("  mmu: WARNING: %llu MiB of RAM NOT MAPPED and not used (more than %u ranges, "
			"or no low RAM left for boot page tables)\n",
			(unsigned long long)(unmapped_bytes >> 20), X86_RAM_RANGES_MAX);
}
