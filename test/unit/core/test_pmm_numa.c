// SPDX-License-Identifier: MIT
/* Host tests: pmm_init_from_bootinfo() puts RAM on the nodes boot_info.numa (x86's SRAT) says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/pmm.h>
#include "../fake_hal.h"

#define MiB ((uint64_t)1 << 20)
#define ARENA (32 * MiB)

static int teardown(void **state)
{
	(void)state;
	pmm_reset();
	fake_hal_arena_free();
	return 0;
}

static void numa_add(struct boot_info *bi, paddr_t base, uint64_t size, uint32_t node)
{
	bi->numa[bi->numa_count++] = (struct boot_numa_range){ base, size, node };
}

static uint64_t ram_pages(unsigned node)
{
	struct pmm_node_stats st;

	pmm_get_stats(node, &st);
	return st.ram_pages;
}

/* One usable region spanning three affinity ranges with a gap: split at every boundary. */
static void usable_ram_is_split_at_affinity_boundaries(void **state)
{
	static struct boot_info bi;
	paddr_t pa;

	(void)state;
	fake_hal_arena_init(0, ARENA);
	bi = (struct boot_info){ .firmware = "test", .kernel_pa = 1 * MiB };
	bootinfo_add_mem(&bi, 0, ARENA, MEM_USABLE);
	numa_add(&bi, 0, 8 * MiB, 0);
	numa_add(&bi, 8 * MiB, 8 * MiB, 1);
	/* 16-20 MiB: in no range, so node 0 */
	numa_add(&bi, 20 * MiB, 12 * MiB, 2);
	bi.numa_nodes = 3;
	bi.boot_cpu_node = 2;
	assert_int_equal(pmm_init_from_bootinfo(&bi), 0);
	assert_int_equal(pmm_node_count(), 3);
	assert_int_equal(pmm_node_of(4 * MiB), 0);
	assert_int_equal(pmm_node_of(8 * MiB - 4096), 0);
	assert_int_equal(pmm_node_of(8 * MiB), 1);
	assert_int_equal(pmm_node_of(16 * MiB - 4096), 1);
	assert_int_equal(pmm_node_of(16 * MiB), 0);
	assert_int_equal(pmm_node_of(20 * MiB), 2);
	assert_int_equal(pmm_node_of(ARENA - 4096), 2);
	/* Page 0 is never managed; everything else is counted on its node. */
	assert_int_equal(ram_pages(0), (12 * MiB) / 4096 - 1);
	assert_int_equal(ram_pages(1), (8 * MiB) / 4096);
	assert_int_equal(ram_pages(2), (12 * MiB) / 4096);
	/* The boot CPU's node is the default for pmm_alloc(). */
	assert_int_equal(pmm_cpu_node(0), 2);
	assert_int_equal(pmm_alloc(2, &pa), 0);
	assert_int_equal(pmm_node_of(pa), 2);
	assert_int_equal(pmm_free(pa, 2), 0);
	for (unsigned n = 0; n < 3; n++) {
		assert_int_equal(pmm_alloc_node(3, (int)n, &pa), 0);
		assert_int_equal(pmm_node_of(pa), n);
		assert_int_equal(pmm_free(pa, 3), 0);
	}
}

/* Affinity ranges that only partly cover RAM, and a node id beyond PMM_MAX_NODES. */
static void ram_outside_ranges_and_bad_node_ids_go_to_node_0(void **state)
{
	static struct boot_info bi;

	(void)state;
	fake_hal_arena_init(0, ARENA);
	bi = (struct boot_info){ .firmware = "test", .kernel_pa = 1 * MiB };
	bootinfo_add_mem(&bi, 0, 4 * MiB, MEM_USABLE);
	bootinfo_add_mem(&bi, 4 * MiB, 4 * MiB, MEM_RESERVED);
	bootinfo_add_mem(&bi, 8 * MiB, 24 * MiB, MEM_USABLE);
	numa_add(&bi, 12 * MiB, 4 * MiB, 1);
	numa_add(&bi, 24 * MiB, 64 * MiB, PMM_MAX_NODES); /* runs past RAM; bad id */
	bi.numa_nodes = 2;
	bi.boot_cpu_node = PMM_MAX_NODES;                  /* ignored */
	assert_int_equal(pmm_init_from_bootinfo(&bi), 0);
	assert_int_equal(pmm_node_count(), 2);
	assert_int_equal(pmm_node_of(2 * MiB), 0);
	assert_int_equal(pmm_node_of(5 * MiB), -ENOENT);   /* reserved: no span */
	assert_int_equal(pmm_node_of(8 * MiB), 0);
	assert_int_equal(pmm_node_of(12 * MiB), 1);
	assert_int_equal(pmm_node_of(16 * MiB), 0);
	assert_int_equal(pmm_node_of(30 * MiB), 0);
	assert_int_equal(ram_pages(1), (4 * MiB) / 4096);
	assert_int_equal(pmm_cpu_node(0), 0);
}

/* No NUMA table: everything on node 0, as before. */
static void no_numa_table_means_one_node(void **state)
{
	static struct boot_info bi;

	(void)state;
	fake_hal_arena_init(0, ARENA);
	bi = (struct boot_info){ .firmware = "test", .kernel_pa = 1 * MiB };
	bootinfo_add_mem(&bi, 0, ARENA, MEM_USABLE);
	assert_int_equal(pmm_init_from_bootinfo(&bi), 0);
	assert_int_equal(pmm_node_count(), 1);
	assert_int_equal(ram_pages(0), ARENA / 4096 - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(usable_ram_is_split_at_affinity_boundaries, teardown),
		cmocka_unit_test_teardown(ram_outside_ranges_and_bad_node_ids_go_to_node_0, teardown),
		cmocka_unit_test_teardown(no_numa_table_means_one_node, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
