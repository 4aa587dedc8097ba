// SPDX-License-Identifier: MIT
/* Setting up the page allocator from the platform description (or, on x86-64 until its ACPI
 * description lands, struct boot_info), and printing its statistics. */
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>
#include <kernel/pmm.h>
#include <lib/fdt.h>

/* Every port's linker script brackets the loaded image (text through bss) with these. */
extern char __kernel_start[], __kernel_end[];

/* Same bound as core/bootinfo.c: a header claiming more is not trusted. */
#define PMM_FDT_MAX_SIZE (2u << 20)
#define FDT_HEADER_BYTES 40

static const void *boot_dtb(const struct boot_info *bi)
{
	if (bi->dtb)
		return bi->dtb;
	return bi->dtb_pa ? hal_phys_to_virt(bi->dtb_pa) : NULL;
}

static uint32_t boot_dtb_size(const struct boot_info *bi)
{
	const void *dtb = boot_dtb(bi);
	uint32_t size = dtb ? fdt_total_size(dtb, FDT_HEADER_BYTES) : 0;

	return size <= PMM_FDT_MAX_SIZE ? size : PMM_FDT_MAX_SIZE;
}

static void add_one(paddr_t base, uint64_t size, unsigned node)
{
	int err = pmm_add_range(base, size, node);

	if (err)
		kprintf("pmm: cannot add RAM %#llx+%#llx (node %u): %d\n",
			(unsigned long long)base, (unsigned long long)size, node, err);
}

/*
 * Add usable RAM [@base, @base + @size) split at the boundaries of bi->numa (sorted, disjoint):
 * each piece on the node of the affinity range holding it, pieces outside every range on node 0.
 */
static void add_numa_split(const struct boot_info *bi, paddr_t base, uint64_t size)
{
	paddr_t pos = base, end = base + size;
	uint32_t n = MIN(bi->numa_count, (uint32_t)BOOT_MAX_NUMA_RANGES);

	if (size > UINT64_MAX - base)
		end = UINT64_MAX;
	while (pos < end) {
		paddr_t stop = end;
		unsigned node = 0;

		for (uint32_t i = 0; i < n; i++) {
			const struct boot_numa_range *a = &bi->numa[i];

			if (pos >= a->base && pos - a->base < a->size) {
				stop = MIN(end, a->base + a->size);
				node = a->node < PMM_MAX_NODES ? a->node : 0;
				break;
			}
			if (a->base > pos && a->base < stop)
				stop = a->base; /* a gap: node 0 up to the next range */
		}
		add_one(pos, stop - pos, node);
		pos = stop;
	}
}

static int add_usable(const struct boot_info *bi)
{
	for (uint32_t i = 0; i < bi->mem_count && i < BOOT_MAX_MEM_REGIONS; i++) {
		const struct mem_region *r = &bi->mem[i];

		if (r->type != MEM_USABLE)
			continue;
		if (bi->numa_count)
			add_numa_split(bi, r->base, r->size);
		else
			add_one(r->base, r->size, 0);
	}
	/* The boot CPU is cpu_index() 0: pmm_alloc() prefers its node. */
	if (bi->numa_count && bi->boot_cpu_node < PMM_MAX_NODES)
		pmm_set_cpu_node(0, bi->boot_cpu_node);
	return 0;
}

/* What the firmware does not describe: the kernel image, the DTB, page 0. */
static int reserve_boot_images(const struct boot_info *bi)
{
	int err = pmm_reserve(bi->kernel_pa,
				       (uint64_t)(uintptr_t)(__kernel_end - __kernel_start));
	if (bi->dtb_pa)
		err = err ? err : pmm_reserve(bi->dtb_pa, boot_dtb_size(bi));
	return err ? err : pmm_reserve(0, PAGE_SIZE);
}

/* Everything in @bi that is not usable RAM wins over usable RAM it overlaps. */
static int reserve_from_bootinfo(const struct boot_info *bi)
{
	int err = 0;

	for (uint32_t i = 0; i < bi->mem_count && i < BOOT_MAX_MEM_REGIONS; i++)
		if (bi->mem[i].type != MEM_USABLE)
			err = err ? err : pmm_reserve(bi->mem[i].base, bi->mem[i].size);
	return err ? err : reserve_boot_images(bi);
}

static int finish(int err)
{
	if (err) {
		/* Handing out a reservation we could not record would corrupt firmware data. */
		kprintf("pmm: too many reserved ranges (%d); not managing memory\n", err);
		return err;
	}
	return pmm_commit();
}

int pmm_init_from_bootinfo(const struct boot_info *bi)
{
	pmm_reset();
	add_usable(bi);
	return finish(reserve_from_bootinfo(bi));
}

/*
 * RAM pieces of @p (already carved around reserved and no-map ranges) on their NUMA nodes.
 * The reserved and no-map ranges are reserved as well: pmm_reserve() rounds outwards, so a
 * page that a reservation only partly covers is never handed out either.
 */
int pmm_init_from_platform(const struct platform *p, const struct boot_info *bi)
{
	int err = 0;

	pmm_reset();
	for (unsigned i = 0; i < p->mem_count && i < PLAT_MAX_MEM; i++) {
		const struct plat_mem *m = &p->mem[i];

		if (m->kind == PLAT_MEM_RAM)
			add_one(m->base, m->size, m->node < PMM_MAX_NODES ? m->node : 0);
	}
	for (unsigned i = 0; i < p->mem_count && i < PLAT_MAX_MEM; i++)
		if (p->mem[i].kind != PLAT_MEM_RAM)
			err = err ? err : pmm_reserve(p->mem[i].base, p->mem[i].size);
	/* The boot CPU is cpu_index() 0: pmm_alloc() prefers its node. */
	for (unsigned i = 0; i < p->cpu_count && i < PLAT_MAX_CPUS; i++)
		if (p->cpu[i].is_boot && p->cpu[i].node < PMM_MAX_NODES)
			pmm_set_cpu_node(0, p->cpu[i].node);
	return finish(err ? err : reserve_boot_images(bi));
}

void pmm_print_stats(void)
{
	struct pmm_node_stats st;

	for (unsigned n = 0; n < pmm_node_count(); n++) {
		pmm_get_stats(n, &st);
		kprintf("  pmm node %u: %llu pages, %llu free (%llu in per-CPU caches)\n", n,
			(unsigned long long)st.total_pages, (unsigned long long)st.free_pages,
			(unsigned long long)st.cached_pages);
		kprintf("    order:");
		for (unsigned o = 0; o < PMM_NR_ORDERS; o++)
			kprintf(" %5u", o);
		kprintf("\n    free: ");
		for (unsigned o = 0; o < PMM_NR_ORDERS; o++)
			kprintf(" %5llu", (unsigned long long)st.free_blocks[o]);
		kprintf("\n    used: ");
		for (unsigned o = 0; o < PMM_NR_ORDERS; o++)
			kprintf(" %5llu", (unsigned long long)st.used_blocks[o]);
		kprintf("\n");
	}
	kprintf("  pmm: %llu refused operations\n", (unsigned long long)pmm_error_count());
}
