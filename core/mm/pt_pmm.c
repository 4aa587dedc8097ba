// SPDX-License-Identifier: MIT
/* Page-table pages from the page allocator, reached through the direct map (kernel/pagetable.h). */
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/pagetable.h>
#include <kernel/pmm.h>
#include <lib/string.h>

int pt_pmm_alloc_table(void *ctx, paddr_t *pa)
{
	void *va;

	(void)ctx;
	if (pmm_alloc(0, pa))
		return -ENOMEM;
	va = hal_phys_to_virt(*pa);
	if (!va) {
		pmm_free(*pa, 0);
		return -ENOMEM;
	}
	memset(va, 0, PAGE_SIZE);
	return 0;
}

void pt_pmm_free_table(void *ctx, paddr_t pa)
{
	(void)ctx;
	pmm_free(pa, 0);
}

void *pt_pmm_table_virt(void *ctx, paddr_t pa)
{
	(void)ctx;
	return hal_phys_to_virt(pa);
}
