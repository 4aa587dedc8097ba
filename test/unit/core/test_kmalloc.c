// SPDX-License-Identifier: MIT
/* Host tests for core/mm/kmalloc.c: size classes, large blocks, misuse; DEV and HARDENED. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/kmalloc.h>
#include <kernel/pmm.h>
#include "../fake_hal.h"
#include "mm_fixture.h"

#define ARENA ((size_t)16 << 20)

static int setup(void **state)
{
	(void)state;
	mm_fixture_up(ARENA);
	assert_int_equal(kmalloc_init(), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_hal_arena_free();
	return 0;
}

static void kmalloc_every_size_round_trips(void **state)
{
	(void)state;
	uint64_t free0 = pmm_free_pages();

	for (size_t size = 1; size < 3 * PAGE_SIZE; size += 7) {
		unsigned char *p = kmalloc(size);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal(kmalloc_usable_size(p), size);
		p[0] = 0xaa;
		p[size - 1] = 0x55;
		assert_int_equal(kfree(p), 0);
	}
	kmalloc_drain();
	pmm_drain_cpu_cache(0);
	assert_int_equal(pmm_free_pages(), free0);
	assert_null(kmalloc(0));
	assert_null(kmalloc(SIZE_MAX - 4));
	assert_null(kmalloc((PAGE_SIZE << PMM_MAX_ORDER) + 1)); /* larger than any block */
	assert_int_equal(kfree(NULL), 0);
}

static void kmalloc_stress_leaves_free_pages_unchanged(void **state)
{
	(void)state;
	enum { N = 500 };
	static void *p[N];
	uint64_t free0;
	unsigned seed = 1;

	pmm_drain_cpu_cache(0);
	free0 = pmm_free_pages();
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N; i++) {
			seed = seed * 1103515245u + 12345u;
			p[i] = kmalloc(1 + (seed >> 8) % 6000);
			assert_non_null(p[i]);
		}
		for (int i = 0; i < N; i++)
			assert_int_equal(kfree(p[(i * 7) % N]), 0);
	}
	kmalloc_drain();
	pmm_drain_cpu_cache(0);
	assert_int_equal(pmm_free_pages(), free0);
	assert_int_equal(kmalloc_error_count(), 0);
}

static void kzalloc_clears(void **state)
{
	(void)state;
	unsigned char *p = kmalloc(100);

	for (int i = 0; i < 100; i++)
		p[i] = 0xff;
	assert_int_equal(kfree(p), 0);
	p = kzalloc(100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(p[i], 0);
	assert_int_equal(kfree(p), 0);
}

static void kfree_refuses_double_free_and_strangers(void **state)
{
	(void)state;
	uint64_t errs = kmalloc_error_count();
	char *small = kmalloc(24), *large = kmalloc(3 * PAGE_SIZE);
	static char not_ours[64] __attribute__((aligned(16)));

	assert_int_equal(kfree(small), 0);
	assert_int_equal(kfree(small), -EFAULT);
	assert_int_equal(kfree(large), 0);
	assert_int_equal(kfree(large), -EFAULT);
	assert_int_equal(kfree(not_ours + 16), -EFAULT);
	assert_int_equal(kmalloc_error_count(), errs + 3);
}

/* DEV catches a write just past the request even inside the size class; HARDENED zeroes. */
static void kfree_checks_overflow_or_zeroes(void **state)
{
	(void)state;
	uint64_t errs = kmalloc_error_count();
	unsigned char *p = kmalloc(10), *q = kmalloc(3000);

	if (IS_ENABLED(CONFIG_MM_POISON)) {
		p[10] = 1;
		assert_int_equal(kfree(p), -EOVERFLOW);
		q[3000] = 1;
		assert_int_equal(kfree(q), -EOVERFLOW);
		assert_int_equal(kmalloc_error_count(), errs + 2);
		return;
	}
	for (int i = 0; i < 10; i++)
		p[i] = 0x77;
	assert_int_equal(kfree(p), 0);
	/* Still in this CPU's magazine: the user bytes were cleared at free. */
	for (int i = 0; i < 10; i++)
		assert_int_equal(p[i], IS_ENABLED(CONFIG_MM_ZERO_ON_FREE) ? 0 : 0x77);
	assert_int_equal(kfree(q), 0);
}

static int free_ptr(void *p)
{
	return kfree(p);
}

/* Two CPUs kfree() the same pointer at once, small and large: exactly one wins each round. */
static void racing_double_kfrees_let_exactly_one_win(void **state)
{
	(void)state;
	uint64_t errs = kmalloc_error_count();

	for (int i = 0; i < MM_RACE_ROUNDS; i++) {
		void *p = kmalloc(i % 2 ? 100 : 3 * PAGE_SIZE);

		assert_non_null(p);
		assert_int_equal(mm_race_twice(free_ptr, p), 1);
	}
	/* The loser is refused by kfree() itself (magic already taken), never further down. */
	assert_int_equal(kmalloc_error_count(), errs + MM_RACE_ROUNDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(kmalloc_every_size_round_trips, setup, teardown),
		cmocka_unit_test_setup_teardown(kmalloc_stress_leaves_free_pages_unchanged, setup,
						teardown),
		cmocka_unit_test_setup_teardown(kzalloc_clears, setup, teardown),
		cmocka_unit_test_setup_teardown(kfree_refuses_double_free_and_strangers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(kfree_checks_overflow_or_zeroes, setup, teardown),
		cmocka_unit_test_setup_teardown(racing_double_kfrees_let_exactly_one_win, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
