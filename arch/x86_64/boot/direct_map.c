// SPDX-License-Identifier: MIT
/* x86-64: RAM above 4 GiB in the direct map, from boot on (arch/direct_map.h). */
#include <arch/cpu.h>
#include <arch/direct_map.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/kprintf.h>
#include <kernel/pmm.h>
#include <lib/string.h>

#define CPUIDX1_EDX_1GB (1u << 26)
#define GiB (1ULL << 30)
#define MiB2 (1ULL << 21)
#define PT_ENTRIES 512

static struct x86_ram_range high[X86_HIGH_RAM_MAX];
static unsigned nr_high;
static uint64_t capped_bytes;     /* RAM at or above DIRECT_MAP_MAX: never mapped */
static uint64_t unmapped_bytes;   /* RAM above 4 GiB left out: no table pages, too many ranges */
static unsigned table_pages;      /* boot table pages taken from low RAM */
static bool used_1g;

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

/* A zeroed page for a boot page table, off the top of usable RAM below 4 GiB (above the
 * kernel image), which leaves @bi's map; 0 when there is none left. */
static paddr_t take_table_page(struct boot_info *bi)
{
	paddr_t kend = (paddr_t)((uintptr_t)__kernel_end - DIRECT_MAP_BASE);
	struct mem_region *best = NULL;
	paddr_t pa;

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
		return 0;
	best->size = ALIGN_DOWN(best->base + best->size, (paddr_t)PAGE_SIZE) - PAGE_SIZE - best->base;
	table_pages++;
	pa = best->base + best->size;

	memset((void *)(uintptr_t)(DIRECT_MAP_BASE + pa), 0, PAGE_SIZE);
	return pa;
}

/* The table @entry points to, making one when it is empty; NULL when out of pages. */
static uint64_t *next_table(struct boot_info *bi, uint64_t *entry)
{
	if (!(*entry & X86_PTE_P)) {
		paddr_t pa = take_table_page(bi);

		if (!pa)
			return NULL;
		*entry = pa | X86_PTE_P | X86_PTE_W;
	}
	return (uint64_t *)(uintptr_t)(DIRECT_MAP_BASE + (*entry & X86_PTE_ADDR));
}

/* Map the @unit-sized (1 GiB or 2 MiB) block at @pa in the boot tables. */
static bool map_unit(struct boot_info *bi, uint64_t *pml4, paddr_t pa, uint64_t unit)
{
	uint64_t va = DIRECT_MAP_BASE + pa;
	uint64_t *pdpt = next_table(bi, &pml4[(va >> 39) & (PT_ENTRIES - 1)]), *pd;
	uint64_t leaf = pa | X86_PTE_P | X86_PTE_W | X86_PTE_PS;

	if (!pdpt)
		return false;
	if (unit == GiB) {
		pdpt[(va >> 30) & (PT_ENTRIES - 1)] = leaf;
		return true;
	}
	pd = next_table(bi, &pdpt[(va >> 30) & (PT_ENTRIES - 1)]);
	if (!pd)
		return false;
	pd[(va >> 21) & (PT_ENTRIES - 1)] = leaf;
	return true;
}

void x86_direct_map_init(struct boot_info *bi)
{
	uint32_t ext = cpuid(0x80000000, 0).eax;
	uint64_t unit, *pml4;

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
	if (!nr_high)
		return;

	used_1g = ext >= 0x80000001 && (cpuid(0x80000001, 0).edx & CPUIDX1_EDX_1GB);
	unit = used_1g ? GiB : MiB2;
	pml4 = (uint64_t *)(uintptr_t)(DIRECT_MAP_BASE + (read_cr3() & X86_PTE_ADDR));
	for (unsigned i = 0; i < nr_high; i++) {
		for (paddr_t pa = ALIGN_DOWN(high[i].base, unit); pa < high[i].end; pa += unit) {
			paddr_t stop = MAX(pa, high[i].base);

			if (map_unit(bi, pml4, pa, unit))
				continue;
			/* Out of table pages: keep what is mapped, drop the rest (reported later). */
			for (unsigned j = i + 1; j < nr_high; j++)
				unmapped_bytes += high[j].end - high[j].base;
			unmapped_bytes += high[i].end - stop;
			high[i].end = stop;
			nr_high = high[i].end > high[i].base ? i + 1 : i;
			break;
		}
	}
	/* Only empty entries were filled, which no TLB caches; reload anyway, it is cheap. */
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
			nr_high, (unsigned long long)high[nr_high - 1].end, used_1g ? "1 GiB" : "2 MiB",
			table_pages);
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
