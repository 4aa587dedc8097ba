// SPDX-License-Identifier: MIT
/* x86-64: RAM above 4 GiB in the direct map, from boot on (arch/direct_map.h). */
#include <arch/cpu.h>
#include <arch/direct_map.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/errno.h>
#include <kernel/kprintf.h>
#include <kernel/pmm.h>
#include <lib/string.h>

static struct x86_ram_range high[X86_HIGH_RAM_MAX];
static unsigned nr_high;
static uint64_t capped_bytes;     /* RAM at or above DIRECT_MAP_MAX: never mapped */
static uint64_t unmapped_bytes;   /* RAM above 4 GiB left out: no table pages, too many ranges */
static unsigned table_pages;      /* boot table pages taken from low RAM */

static bool ram_like(uint32_t type)
{
	return type == MEM_USABLE || type == MEM_ACPI_RECLAIM || type == MEM_ACPI_NVS;
}

/* Add [@base, @end) to high[], sorted, merging with touching or overlapping ranges. */
static void add_high(paddr_t base, paddr_t end)
{
	unsigned i = 0;

	while (i < nr_high && high[i].end < base)
		i++;
	if (i < nr_high && high[i].base <= end) { /* overlaps or touches high[i]: merge */
		high[i].base = MIN(high[i].base, base);
		high[i].end = MAX(high[i].end, end);
		while (i + 1 < nr_high && high[i + 1].base <= high[i].end) {
			high[i].end = MAX(high[i].end, high[i + 1].end);
			memmove(&high[i + 1], &high[i + 2], (nr_high - i - 2) * sizeof(high[0]));
			nr_high--;
		}
		return;
	}
	if (nr_high == X86_HIGH_RAM_MAX) {
		unmapped_bytes += end - base;
		return;
	}
	memmove(&high[i + 1], &high[i], (nr_high - i) * sizeof(high[0]));
	high[i] = (struct x86_ram_range){ base, end };
	nr_high++;
}

/* A zeroed page for a boot page table, off the top of usable RAM below 3 GiB (above the
 * kernel image), which leaves the map of @ctx (the struct boot_info); -ENOMEM when none is left. */
static int take_table_page(void *ctx, paddr_t *pa)
{
	struct boot_info *bi = ctx;
	paddr_t kend = (paddr_t)((uintptr_t)__kernel_end - DIRECT_MAP_BASE);
	struct mem_region *best = NULL;

	for (uint32_t i = 0; i < bi->mem_count && i < BOOT_MAX_MEM_REGIONS; i++) {
		struct mem_region *r = &bi->mem[i];
		paddr_t top = ALIGN_DOWN(r->base + r->size, (paddr_t)PAGE_SIZE);

		if (r->type != MEM_USABLE || top > DIRECT_MAP_UC_START || top < kend + PAGE_SIZE ||
		    top - PAGE_SIZE < r->base)
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

void x86_direct_map_init(struct boot_info *bi)
{
	for (uint32_t i = 0; i < bi->mem_count && i < BOOT_MAX_MEM_REGIONS; i++) {
		const struct mem_region *r = &bi->mem[i];
		paddr_t base = ALIGN_UP(r->base, (paddr_t)PAGE_SIZE), end;

		if (!ram_like(r->type) || r->size > UINT64_MAX - r->base)
			continue;
		end = ALIGN_DOWN(r->base + r->size, (paddr_t)PAGE_SIZE);
		base = MAX(base, (paddr_t)DIRECT_MAP_SIZE);
		if (end > DIRECT_MAP_MAX) {
			capped_bytes += end - MAX(base, (paddr_t)DIRECT_MAP_MAX);
			end = DIRECT_MAP_MAX;
		}
		if (base < end)
			add_high(base, end);
	}
	/* Exactly the RAM ranges, largest leaves that fit (core/mm/pagetable.c). A range that
	 * cannot be mapped for lack of table pages is dropped whole, and the ones after it. */
	for (unsigned i = 0; i < nr_high; i++) {
		if (!x86_boot_map_direct(high[i].base, high[i].end, take_table_page, bi))
			continue;
		for (unsigned j = i; j < nr_high; j++)
			unmapped_bytes += high[j].end - high[j].base;
		nr_high = i;
		break;
	}
	/* Only empty entries were filled, which no TLB caches; reload anyway, it is cheap. */
	if (nr_high)
		__asm__ __volatile__("mov %0, %%cr3" : : "r"(read_cr3()) : "memory");
}

bool x86_direct_map_high_covers(paddr_t pa)
{
	for (unsigned i = 0; i < nr_high; i++)
		if (pa >= high[i].base && pa < high[i].end)
			return true;
	return false;
}

unsigned x86_direct_map_high(const struct x86_ram_range **ranges)
{
	*ranges = high;
	return nr_high;
}

void x86_direct_map_report(void)
{
	uint64_t bytes = 0;

	for (unsigned i = 0; i < nr_high; i++)
		bytes += high[i].end - high[i].base;
	if (nr_high)
		kprintf("  mmu: direct map: 0-4 GiB + %llu MiB of RAM above 4 GiB in %u ranges, up to "
			"%#llx (boot tables: %s leaves, %u pages)\n", (unsigned long long)(bytes >> 20),
			nr_high, (unsigned long long)high[nr_high - 1].end,
			x86_mmu_has_1g_pages() ? "1 GiB" : "2 MiB", table_pages);
	if (capped_bytes)
		kprintf("  mmu: WARNING: %llu MiB of RAM at or above %llu TiB NOT MAPPED and not used: "
			"the direct map ends where the vmap window starts (%#llx)\n",
			(unsigned long long)(capped_bytes >> 20),
			(unsigned long long)(DIRECT_MAP_MAX >> 40), (unsigned long long)KERNEL_VMAP_BASE);
	if (unmapped_bytes)
		kprintf("  mmu: WARNING: %llu MiB of RAM above 4 GiB NOT MAPPED and not used (more than "
			"%u ranges, or no low RAM left for boot page tables)\n",
			(unsigned long long)(unmapped_bytes >> 20), X86_HIGH_RAM_MAX);
}
