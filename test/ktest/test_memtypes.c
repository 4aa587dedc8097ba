// SPDX-License-Identifier: MIT
/* ktest: memory types from the platform description: no-map RAM is in no live mapping and
 * not managed by the page allocator. */
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/pagetable.h>
#include <kernel/platform.h>
#include <kernel/pmm.h>

/* A RAM page the direct map holds, as (pa, va), to place other addresses in it. */
static bool direct_map_anchor(const struct platform *p, paddr_t *pa, uintptr_t *va)
{
	for (unsigned i = 0; i < p->mem_count; i++) {
		void *v = p->mem[i].kind == PLAT_MEM_RAM ? hal_phys_to_virt(p->mem[i].base) : NULL;

		if (v) {
			*pa = p->mem[i].base;
			*va = (uintptr_t)v;
			return true;
		}
	}
	return false;
}

/*
 * Both DT ports map RAM linearly (va = base + pa - offset), so where a no-map page would be
 * in the direct map is known from any mapped RAM page: the live kernel tables must have
 * nothing there, hal_phys_to_virt() must refuse it and the page allocator must not own it.
 * A boot with "expect-nomap" on the command line (the boot matrix's no-map DTB, made by
 * scripts/mkdtb-nomap.sh) fails when the description has no no-map range to check.
 */
KTEST(nomap_ranges_are_not_mapped_nor_allocatable)
{
	const struct platform *p = &kernel_platform;
	const struct pagetable *k = hal_kernel_pagetable();
	unsigned checked = 0;
	uintptr_t anchor_va;
	paddr_t anchor_pa;

	for (unsigned i = 0; i < p->mem_count; i++) {
		const struct plat_mem *m = &p->mem[i];
		paddr_t last = m->base + m->size - 1;

		if (m->kind != PLAT_MEM_NOMAP)
			continue;
		KT_EXPECT(hal_phys_to_virt(m->base) == NULL);
		KT_EXPECT(hal_phys_to_virt(last) == NULL);
		KT_EXPECT(pmm_node_of(m->base) == -ENOENT);
		KT_EXPECT(pmm_node_of(last) == -ENOENT);
		if (k && direct_map_anchor(p, &anchor_pa, &anchor_va)) {
			KT_EXPECT(pt_query(k, anchor_va + (m->base - anchor_pa), NULL, NULL, NULL) ==
				  -ENOENT);
			KT_EXPECT(pt_query(k, anchor_va + (last - anchor_pa), NULL, NULL, NULL) ==
				  -ENOENT);
			/* the anchor itself is mapped: the query can tell */
			KT_EXPECT(pt_query(k, anchor_va, NULL, NULL, NULL) == 0);
		}
		checked++;
	}
	if (!checked)
		kprintf("ktest: nomap: the firmware described no no-map memory: nothing checked\n");
	KT_EXPECT(checked > 0 || !cmdline_has_word(kernel_boot_info->cmdline, "expect-nomap"));
}

/* Reserved (not no-map) ranges stay mapped but are never handed out: the allocator either
 * does not own them or holds them as reserved; an allocation never lands in one. */
KTEST(reserved_ranges_are_never_handed_out)
{
	const struct platform *p = &kernel_platform;
	paddr_t pa[64];
	unsigned n = 0;

	while (n < 64 && pmm_alloc(0, &pa[n]) == 0)
		n++;
	KT_EXPECT(n > 0);
	for (unsigned i = 0; i < n; i++)
		for (unsigned r = 0; r < p->mem_count; r++) {
			const struct plat_mem *m = &p->mem[r];

			if (m->kind == PLAT_MEM_RESERVED || m->kind == PLAT_MEM_NOMAP)
				KT_EXPECT(pa[i] < m->base || pa[i] - m->base >= m->size);
		}
	for (unsigned i = 0; i < n; i++)
		KT_EXPECT(pmm_free(pa[i], 0) == 0);
}
