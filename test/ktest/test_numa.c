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
#include <lib/fdt.h>

#define NUMA_PROBE_ALLOCS 8
#define FDT_HEADER_BYTES 40 /* enough of the blob for fdt_total_size() to read the header */

/* The firmware's word on @pa's node, independent of the allocator's bookkeeping: the DT memory
 * node's "numa-node-id" (DT ports), else bi->numa (x86's SRAT); -1 when neither says. */
static int firmware_node_of(paddr_t pa)
{
	const struct boot_info *bi = kernel_boot_info;
	struct fdt fdt;

	if (bi && bi->dtb && fdt_init(&fdt, bi->dtb, fdt_total_size(bi->dtb, FDT_HEADER_BYTES)) == 0) {
		for (int n = fdt_find_device_type(&fdt, -1, "memory"); n >= 0;
		     n = fdt_find_device_type(&fdt, n, "memory")) {
			uint64_t base, size;
			uint32_t id;

			for (unsigned i = 0; fdt_reg(&fdt, n, i, &base, &size) == 0; i++)
				if (pa >= base && pa - base < size)
					return fdt_prop_u32(&fdt, n, "numa-node-id", &id) ? 0 : (int)id;
		}
	}
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
			KT_EXPECT_EQ(firmware_node_of(got[i]), n);
		}
		for (unsigned i = 0; i < NUMA_PROBE_ALLOCS; i++)
			if (got[i])
				KT_EXPECT_EQ(pmm_free(got[i], order[i]), 0);
		pmm_get_stats(n, &st);
		KT_EXPECT_EQ(st.free_pages, free0);
	}
}
