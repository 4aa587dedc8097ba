// SPDX-License-Identifier: MIT
/* Host tests for core/mm/pmm.c: buddy split/merge, exhaustion, misuse, per-CPU cache, NUMA. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/platform.h>
#include <kernel/pmm.h>
#include <string.h>
#include "../fake_hal.h"
#include "mm_fixture.h"

#define MiB ((uint64_t)1 << 20)
#define ARENA (16 * MiB)

static int setup_plain(void **state)
{
	(void)state;
	mm_fixture_up(ARENA);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pmm_reset();
	fake_hal_arena_free();
	return 0;
}

/* Free every page back and drain the cache: the state every test should end in. */
static void drain(void)
{
	pmm_drain_cpu_cache(0);
}

static void pmm_counts_everything_but_page0_and_metadata(void **state)
{
	(void)state;
	uint64_t pages = ARENA / PAGE_SIZE;
	uint64_t meta = (pages * 24 + PAGE_SIZE - 1) / PAGE_SIZE; /* 24-byte descriptors */

	assert_int_equal(pmm_node_count(), 1);
	assert_int_equal(pmm_total_pages(), pages - 1 - meta);
	assert_int_equal(pmm_free_pages(), pmm_total_pages());
}

static void buddy_splits_and_merges_back(void **state)
{
	(void)state;
	struct pmm_node_stats before, mid, after;
	paddr_t pa;

	drain();
	pmm_get_stats(0, &before);
	assert_int_equal(pmm_alloc(3, &pa), 0);
	assert_int_equal(pa % (8 * PAGE_SIZE), 0); /* naturally aligned */
	pmm_get_stats(0, &mid);
	assert_int_equal(mid.free_pages, before.free_pages - 8);
	assert_int_equal(mid.used_blocks[3], 1);
	assert_int_equal(pmm_free(pa, 3), 0);
	pmm_get_stats(0, &after);
	for (unsigned o = 0; o < PMM_NR_ORDERS; o++)
		assert_int_equal(after.free_blocks[o], before.free_blocks[o]);
	assert_int_equal(after.used_blocks[3], 0);
}

/* Allocate single pages until none is left; they come back in a linked list. */
static uint64_t alloc_all(paddr_t **out)
{
	uint64_t n = 0, cap = ARENA / PAGE_SIZE;
	paddr_t *v = malloc(cap * sizeof(*v)), pa;

	while (pmm_alloc(0, &pa) == 0) {
		assert_true(n < cap);
		assert_int_not_equal(pa, 0); /* page 0 is never handed out */
		v[n++] = pa;
	}
	*out = v;
	return n;
}

static void exhaustion_returns_enomem_and_everything_comes_back(void **state)
{
	(void)state;
	uint64_t free0 = pmm_free_pages(), n;
	paddr_t *v, pa;

	n = alloc_all(&v);
	assert_int_equal(n, free0);
	assert_int_equal(pmm_free_pages(), 0);
	assert_int_equal(pmm_alloc(0, &pa), -ENOMEM);
	assert_int_equal(pmm_alloc(PMM_MAX_ORDER, &pa), -ENOMEM);
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(pmm_free(v[i], 0), 0);
	free(v);
	assert_int_equal(pmm_free_pages(), free0);
	drain();
	/* Fully merged again: a maximal block is available. */
	assert_int_equal(pmm_alloc(PMM_MAX_ORDER, &pa), 0);
	assert_int_equal(pmm_free(pa, PMM_MAX_ORDER), 0);
}

static void fragmentation_blocks_larger_orders_until_merged(void **state)
{
	(void)state;
	paddr_t *v, pa;
	uint64_t n = alloc_all(&v);

	for (uint64_t i = 0; i < n; i++)
		if ((v[i] / PAGE_SIZE) % 2 == 0)
			assert_int_equal(pmm_free(v[i], 0), 0);
	drain();
	assert_true(pmm_free_pages() >= n / 2 - 1);
	/* Half the memory free, but no two adjacent pages: order 1 is impossible. */
	assert_int_equal(pmm_alloc(1, &pa), -ENOMEM);
	for (uint64_t i = 0; i < n; i++)
		if ((v[i] / PAGE_SIZE) % 2 == 1)
			assert_int_equal(pmm_free(v[i], 0), 0);
	free(v);
	drain();
	assert_int_equal(pmm_alloc(PMM_MAX_ORDER, &pa), 0);
	assert_int_equal(pmm_free(pa, PMM_MAX_ORDER), 0);
}

static void double_free_is_reported_and_refused(void **state)
{
	(void)state;
	uint64_t errs = pmm_error_count(), free0;
	paddr_t pa, big;

	assert_int_equal(pmm_alloc(0, &pa), 0);
	assert_int_equal(pmm_free(pa, 0), 0);
	free0 = pmm_free_pages();
	assert_int_equal(pmm_free(pa, 0), -EFAULT); /* still in the per-CPU cache */
	drain();
	assert_int_equal(pmm_free(pa, 0), -EFAULT); /* now on a buddy list */
	assert_int_equal(pmm_free_pages(), free0);
	assert_int_equal(pmm_alloc(2, &big), 0);
	assert_int_equal(pmm_free(big, 2), 0);
	assert_int_equal(pmm_free(big, 2), -EFAULT);
	assert_int_equal(pmm_error_count(), errs + 3);
	assert_int_equal(pmm_free_pages(), free0);
}

static void foreign_and_inner_pointers_are_refused(void **state)
{
	(void)state;
	uint64_t free0 = pmm_free_pages();
	paddr_t pa;

	assert_int_equal(pmm_free(ARENA + 64 * MiB, 0), -EFAULT);   /* not managed */
	assert_int_equal(pmm_free(0, 0), -EFAULT);                   /* page 0: reserved */
	assert_int_equal(pmm_alloc(2, &pa), 0);
	assert_int_equal(pmm_free(pa + 100, 2), -EFAULT);            /* unaligned */
	assert_int_equal(pmm_free(pa + PAGE_SIZE, 0), -EFAULT);      /* middle of a block */
	assert_int_equal(pmm_free(pa, 1), -EINVAL);                  /* wrong order */
	assert_int_equal(pmm_free(pa, 2), 0);
	assert_int_equal(pmm_free_pages(), free0);
	assert_int_equal(pmm_alloc(PMM_MAX_ORDER + 1, &pa), -EINVAL);
}

static void per_cpu_cache_serves_single_pages_lifo(void **state)
{
	(void)state;
	struct pmm_node_stats st;
	paddr_t a, b;

	drain();
	assert_int_equal(pmm_alloc(0, &a), 0);
	pmm_get_stats(0, &st);
	assert_int_equal(st.cached_pages, PMM_PCP_BATCH - 1); /* refilled one batch */
	assert_int_equal(st.used_blocks[0], 1);
	assert_int_equal(pmm_free(a, 0), 0);
	assert_int_equal(pmm_alloc(0, &b), 0);
	assert_int_equal(a, b); /* hot page reused */
	assert_int_equal(pmm_free(b, 0), 0);
	drain();
	pmm_get_stats(0, &st);
	assert_int_equal(st.cached_pages, 0);
	assert_int_equal(st.used_blocks[0], 0);
}

static void numa_prefers_local_node_then_falls_back(void **state)
{
	(void)state;
	paddr_t pa, *v;
	uint64_t n0 = 0;

	fake_hal_arena_init(0, 8 * MiB);
	pmm_reset();
	assert_int_equal(pmm_add_range(0, 2 * MiB, 0), 0);
	assert_int_equal(pmm_add_range(2 * MiB, 6 * MiB, 1), 0);
	assert_int_equal(pmm_add_range(1 * MiB, 2 * MiB, 1), -EEXIST); /* overlap */
	assert_int_equal(pmm_commit(), 0);
	assert_int_equal(pmm_node_count(), 2);
	assert_int_equal(pmm_alloc_node(0, 1, &pa), 0);
	assert_int_equal(pmm_node_of(pa), 1);
	assert_int_equal(pmm_free(pa, 0), 0);
	assert_int_equal(pmm_alloc_node(4, 0, &pa), 0);
	assert_int_equal(pmm_node_of(pa), 0);
	assert_int_equal(pmm_free(pa, 4), 0);
	/* Exhaust node 0 (the CPU's node): further allocations come from node 1. */
	v = malloc(2 * MiB / PAGE_SIZE * sizeof(*v));
	while (pmm_alloc(0, &pa) == 0 && pmm_node_of(pa) == 0)
		v[n0++] = pa;
	assert_int_equal(pmm_node_of(pa), 1);
	assert_true(n0 > 400);
	assert_int_equal(pmm_free(pa, 0), 0);
	for (uint64_t i = 0; i < n0; i++)
		assert_int_equal(pmm_free(v[i], 0), 0);
	free(v);
	pmm_set_cpu_node(0, 1);
	assert_int_equal(pmm_alloc(3, &pa), 0);
	assert_int_equal(pmm_node_of(pa), 1);
	assert_int_equal(pmm_free(pa, 3), 0);
	pmm_set_cpu_node(0, 0);
}

static void reserved_ranges_and_unmapped_memory_are_never_handed_out(void **state)
{
	(void)state;
	struct boot_info bi = { 0 };
	paddr_t *v;
	uint64_t n, pages;

	fake_hal_arena_init(0, 8 * MiB);
	bi.firmware = "test";
	bootinfo_add_mem(&bi, 1 * MiB, 64 * 1024, MEM_RESERVED);  /* overlaps usable: wins */
	bootinfo_add_mem(&bi, 0, 8 * MiB, MEM_USABLE);
	bootinfo_add_mem(&bi, 8 * MiB, 8 * MiB, MEM_USABLE);      /* the fake cannot map it */
	bi.kernel_pa = 2 * MiB;                                    /* two-page fake image */
	assert_int_equal(pmm_init_from_bootinfo(&bi), 0);
	pages = pmm_total_pages();
	assert_true(pages < 8 * MiB / PAGE_SIZE - 16 - 2);
	n = alloc_all(&v);
	assert_int_equal(n, pages);
	for (uint64_t i = 0; i < n; i++) {
		assert_true(v[i] != 0 && v[i] < 8 * MiB);
		assert_false(v[i] >= 1 * MiB && v[i] < 1 * MiB + 64 * 1024);
		assert_false(v[i] >= 2 * MiB && v[i] < 2 * MiB + 8192);
	}
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(pmm_free(v[i], 0), 0);
	free(v);
	assert_int_equal(pmm_free_pages(), pages);
}

/* The DT ports' path: RAM from the platform description, its reserved and no-map ranges
 * (one of them ending mid-page) never handed out, RAM on the node the description gives. */
static void platform_reserved_and_nomap_ranges_are_never_handed_out(void **state)
{
	static struct platform p;
	struct boot_info bi = { 0 };
	paddr_t *v;
	uint64_t n, pages;

	(void)state;
	fake_hal_arena_init(0, 8 * MiB);
	memset(&p, 0, sizeof(p));
	p.mem[0] = (struct plat_mem){ 0, 4 * MiB, PLAT_MEM_RAM, 0 };
	p.mem[1] = (struct plat_mem){ 4 * MiB, 0x1800, PLAT_MEM_NOMAP, 0 };
	p.mem[2] = (struct plat_mem){ 4 * MiB + 0x1800, MiB - 0x1800, PLAT_MEM_RAM, 0 };
	p.mem[3] = (struct plat_mem){ 5 * MiB, MiB, PLAT_MEM_RESERVED, 0 };
	p.mem[4] = (struct plat_mem){ 6 * MiB, 2 * MiB, PLAT_MEM_RAM, 1 };
	p.mem_count = 5;
	p.cpu[0] = (struct plat_cpu){ .hwid = 0, .is_boot = true, .node = 1 };
	p.cpu_count = 1;
	bi.kernel_pa = 2 * MiB;
	assert_int_equal(pmm_init_from_platform(&p, &bi), 0);
	assert_int_equal(pmm_node_count(), 2);
	pages = pmm_total_pages();
	n = alloc_all(&v);
	assert_int_equal(n, pages);
	for (uint64_t i = 0; i < n; i++) {
		assert_false(v[i] >= 4 * MiB && v[i] < 4 * MiB + 0x2000); /* no-map, rounded out */
		assert_false(v[i] >= 5 * MiB && v[i] < 6 * MiB);
		assert_false(v[i] >= 2 * MiB && v[i] < 2 * MiB + 8192);   /* the image */
		assert_true(v[i] != 0 && v[i] < 8 * MiB);
	}
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(pmm_free(v[i], 0), 0);
	free(v);
	pmm_set_cpu_node(0, 0);
}

static void setup_is_refused_after_commit(void **state)
{
	(void)state;
	assert_int_equal(pmm_add_range(64 * MiB, MiB, 0), -EBUSY);
	assert_int_equal(pmm_reserve(0, PAGE_SIZE), -EBUSY);
	assert_int_equal(pmm_commit(), -EBUSY);
}

struct race_block {
	paddr_t pa;
	unsigned order;
};

static int free_block(void *arg)
{
	const struct race_block *b = arg;

	return pmm_free(b->pa, b->order);
}

/* Two CPUs free the same block at once, again and again: exactly one free succeeds each
 * time and the other is a reported double free (the check and the free are one critical
 * section). Single pages (per-CPU cache path) and order-2 blocks (buddy path). */
static void racing_double_frees_let_exactly_one_win(void **state)
{
	(void)state;
	uint64_t errs = pmm_error_count();
	struct race_block b;

	for (int i = 0; i < MM_RACE_ROUNDS; i++) {
		b.order = i % 2 ? 2 : 0;
		assert_int_equal(pmm_alloc(b.order, &b.pa), 0);
		assert_int_equal(mm_race_twice(free_block, &b), 1);
	}
	assert_int_equal(pmm_error_count(), errs + MM_RACE_ROUNDS);
	for (unsigned cpu = 0; cpu < 3; cpu++)
		pmm_drain_cpu_cache(cpu);
	assert_int_equal(pmm_free_pages(), pmm_total_pages());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pmm_counts_everything_but_page0_and_metadata,
						setup_plain, teardown),
		cmocka_unit_test_setup_teardown(buddy_splits_and_merges_back, setup_plain, teardown),
		cmocka_unit_test_teardown(platform_reserved_and_nomap_ranges_are_never_handed_out,
					  teardown),
		cmocka_unit_test_setup_teardown(exhaustion_returns_enomem_and_everything_comes_back,
						setup_plain, teardown),
		cmocka_unit_test_setup_teardown(fragmentation_blocks_larger_orders_until_merged,
						setup_plain, teardown),
		cmocka_unit_test_setup_teardown(double_free_is_reported_and_refused, setup_plain,
						teardown),
		cmocka_unit_test_setup_teardown(foreign_and_inner_pointers_are_refused, setup_plain,
						teardown),
		cmocka_unit_test_setup_teardown(per_cpu_cache_serves_single_pages_lifo, setup_plain,
						teardown),
		cmocka_unit_test_teardown(numa_prefers_local_node_then_falls_back, teardown),
		cmocka_unit_test_teardown(reserved_ranges_and_unmapped_memory_are_never_handed_out,
					  teardown),
		cmocka_unit_test_setup_teardown(setup_is_refused_after_commit, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(racing_double_frees_let_exactly_one_win,
						setup_plain, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
