// SPDX-License-Identifier: MIT
/* ktest: the page allocator and heap on the real memory map of each port. */
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kmalloc.h>
#include <kernel/ktest.h>
#include <kernel/pmm.h>
#include <kernel/slab.h>

/* Allocate every free page (chained through the pages themselves), then free them all. */
KTEST(pmm_alloc_all_free_all_restores_free_count)
{
	uint64_t free0 = pmm_free_pages(), n = 0;
	paddr_t head = 0, pa;

	KT_ASSERT(free0 > 0);
	while (pmm_alloc(0, &pa) == 0) {
		paddr_t *link = hal_phys_to_virt(pa);

		if (!KT_EXPECT(pa != 0 && link))
			break;
		*link = head;
		head = pa;
		n++;
	}
	KT_EXPECT_EQ(n, free0);
	KT_EXPECT_EQ(pmm_free_pages(), 0);
	KT_EXPECT_EQ(pmm_alloc(0, &pa), -ENOMEM);
	while (head) {
		paddr_t next = *(paddr_t *)hal_phys_to_virt(head);

		KT_EXPECT_EQ(pmm_free(head, 0), 0);
		head = next;
	}
	KT_EXPECT_EQ(pmm_free_pages(), free0);
}

KTEST(pmm_refuses_double_free_and_merges_orders)
{
	uint64_t errs = pmm_error_count(), free0 = pmm_free_pages();
	paddr_t pa;

	KT_ASSERT(pmm_alloc(4, &pa) == 0);
	KT_EXPECT_EQ(pa % (16 * PAGE_SIZE), 0);
	KT_EXPECT_EQ(pmm_free(pa + PAGE_SIZE, 0), -EFAULT);
	KT_EXPECT_EQ(pmm_free(pa, 4), 0);
	KT_EXPECT_EQ(pmm_free(pa, 4), -EFAULT);
	KT_EXPECT_EQ(pmm_error_count(), errs + 2);
	KT_EXPECT_EQ(pmm_free_pages(), free0);
}

static struct kmem_cache kt_cache;

KTEST(heap_stress_leaves_free_pages_unchanged)
{
	enum { N = 256 };
	static void *objs[N], *bufs[N];
	uint64_t free0;
	unsigned seed = 7;

	KT_ASSERT(kmem_cache_init(&kt_cache, "ktest-72", 72, 8) == 0);
	kmalloc_drain();
	pmm_drain_cpu_cache(0);
	free0 = pmm_free_pages();
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N; i++) {
			seed = seed * 1103515245u + 12345u;
			objs[i] = kmem_cache_alloc(&kt_cache);
			bufs[i] = kmalloc(1 + (seed >> 8) % 9000);
			KT_ASSERT(objs[i] && bufs[i]);
		}
		for (int i = 0; i < N; i++) {
			KT_EXPECT_EQ(kmem_cache_free(&kt_cache, objs[(i * 5) % N]), 0);
			KT_EXPECT_EQ(kfree(bufs[(i * 3) % N]), 0);
		}
	}
	KT_EXPECT_EQ(kmem_cache_destroy(&kt_cache), 0);
	kmalloc_drain();
	pmm_drain_cpu_cache(0);
	KT_EXPECT_EQ(pmm_free_pages(), free0);
	KT_EXPECT_EQ(kmalloc_error_count(), 0);
}
