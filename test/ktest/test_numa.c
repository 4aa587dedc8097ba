// SPDX-License-Identifier: MIT
/*
 * ktest: NUMA placement of the page allocator on the real memory map. Meaningful when the
 * machine has more than one node (check.py boots every port with QEMU -numa for that); with
 * one node it says so and checks only that everything is on node 0.
 */
#include <kernel/bootinfo.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/pmm.h>

#define NUMA_PROBE_ALLOCS 8

/* Node bi->numa assigns to @pa: x86's SRAT table; -1 when the port gave none (DT ports). */
static int bootinfo_node_of(paddr_t pa)
{
	const struct boot_info *bi = kernel_boot_info;

	if (!bi || !bi->numa_count)
		return -1;
	for (uint32_t i = 0; i < bi->numa_count && i < BOOT_MAX_NUMA_RANGES; i++)
		if (pa >= bi->numa[i].base && pa - bi->numa[i].base < bi->numa[i].size)
			return (int)bi->numa[i].node;
	return 0; /* outside every affinity range: node 0 */
}

KTEST(numa_alloc_on_node_returns_frames_of_that_node)
{
	unsigned nodes = pmm_node_count();
	struct pmm_node_stats st;
	uint64_t total = 0;

	KT_ASSERT(nodes >= 1 && nodes <= PMM_MAX_NODES);
	for (unsigned n = 0; n < nodes; n++) {
		pmm_get_stats(n, &st);
		total += st.total_pages;
	}
	KT_EXPECT_EQ(total, pmm_total_pages());
	if (nodes == 1) {
		paddr_t pa;

		kprintf("ktest:   one NUMA node: node placement not exercised (boot with QEMU -numa)\n");
		KT_ASSERT(pmm_alloc_node(0, 0, &pa) == 0);
		KT_EXPECT_EQ(pmm_node_of(pa), 0);
		KT_EXPECT_EQ(pmm_free(pa, 0), 0);
		return;
	}
	for (unsigned n = 0; n < nodes; n++) {
		paddr_t got[NUMA_PROBE_ALLOCS];
		unsigned order[NUMA_PROBE_ALLOCS];
		uint64_t free0;

		pmm_get_stats(n, &st);
		free0 = st.free_pages;
		kprintf("ktest:   node %u: %llu pages, %llu free\n", n,
			(unsigned long long)st.total_pages, (unsigned long long)free0);
		/* An empty node would fall back to another one: nothing to check then. */
		if (!KT_EXPECT(free0 > 64))
			continue;
		for (unsigned i = 0; i < NUMA_PROBE_ALLOCS; i++) {
			order[i] = i % 4; /* single pages (per-CPU cache) and buddy blocks */
			got[i] = 0;
			if (!KT_EXPECT_EQ(pmm_alloc_node(order[i], (int)n, &got[i]), 0))
				continue;
			KT_EXPECT_EQ(pmm_node_of(got[i]), n);
			KT_EXPECT_EQ(pmm_node_of(got[i] + (PAGE_SIZE << order[i]) - PAGE_SIZE), n);
			if (bootinfo_node_of(got[i]) >= 0)
				KT_EXPECT_EQ(bootinfo_node_of(got[i]), n);
		}
		for (unsigned i = 0; i < NUMA_PROBE_ALLOCS; i++)
			if (got[i])
				KT_EXPECT_EQ(pmm_free(got[i], order[i]), 0);
		pmm_get_stats(n, &st);
		KT_EXPECT_EQ(st.free_pages, free0);
	}
}
