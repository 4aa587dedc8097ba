// SPDX-License-Identifier: MIT
/* Host tests for core/mm/slab.c (built with CONFIG_MM_POISON): reuse, magazines, misuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <kernel/errno.h>
#include <kernel/pmm.h>
#include <kernel/slab.h>
#include "../fake_hal.h"
#include "mm_fixture.h"

#define ARENA ((size_t)8 << 20)
#define OBJ 40

static struct kmem_cache cache;

static int setup(void **state)
{
	(void)state;
	mm_fixture_up(ARENA);
	assert_int_equal(kmem_cache_init(&cache, "test-40", OBJ, 8), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_hal_arena_free();
	return 0;
}

static void slab_reuses_a_freed_object(void **state)
{
	(void)state;
	char *a = kmem_cache_alloc(&cache), *b;

	assert_non_null(a);
	assert_int_equal((uintptr_t)a % 8, 0);
	a[0] = 1;
	a[OBJ - 1] = 2; /* the whole object is usable */
	assert_int_equal(kmem_cache_free(&cache, a), 0);
	b = kmem_cache_alloc(&cache);
	assert_ptr_equal(a, b);
	assert_int_equal(kmem_cache_free(&cache, b), 0);
}

static void slab_stress_returns_every_page(void **state)
{
	(void)state;
	enum { N = 3000 };
	static void *objs[N];
	uint64_t free0;

	pmm_drain_cpu_cache(0);
	free0 = pmm_free_pages();
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			objs[i] = kmem_cache_alloc(&cache);
			assert_non_null(objs[i]);
			for (int j = 0; j < i && j < 4; j++)
				assert_ptr_not_equal(objs[i], objs[j]);
		}
		assert_true(cache.slabs > 1);
		for (int i = N - 1; i >= 0; i -= 2)
			assert_int_equal(kmem_cache_free(&cache, objs[i]), 0);
		for (int i = N - 2; i >= 0; i -= 2)
			assert_int_equal(kmem_cache_free(&cache, objs[i]), 0);
	}
	kmem_cache_drain(&cache);
	pmm_drain_cpu_cache(0);
	assert_int_equal(cache.slabs, 0);
	assert_int_equal(pmm_free_pages(), free0);
	assert_int_equal(kmem_cache_destroy(&cache), 0);
}

static int free_obj(void *obj)
{
	return kmem_cache_free(&cache, obj);
}

/* Two CPUs free the same object at once: exactly one wins, the other is a reported double
 * free, every round (check and free are one critical section of the cache lock). */
static void racing_double_frees_let_exactly_one_win(void **state)
{
	(void)state;
	uint64_t errs = slab_error_count();

	for (int i = 0; i < MM_RACE_ROUNDS; i++) {
		void *obj = kmem_cache_alloc(&cache);

		assert_non_null(obj);
		assert_int_equal(mm_race_twice(free_obj, obj), 1);
	}
	assert_int_equal(slab_error_count(), errs + MM_RACE_ROUNDS);
	kmem_cache_drain(&cache);
	assert_int_equal(cache.inuse, 0);
	assert_int_equal(kmem_cache_destroy(&cache), 0);
}

static void slab_refuses_double_free_and_foreign_pointers(void **state)
{
	(void)state;
	uint64_t errs = slab_error_count();
	char *a = kmem_cache_alloc(&cache), *b = kmem_cache_alloc(&cache);

	assert_int_equal(kmem_cache_free(&cache, a), 0);
	assert_int_equal(kmem_cache_free(&cache, a), -EFAULT);      /* in the magazine */
	kmem_cache_drain(&cache);
	assert_int_equal(kmem_cache_free(&cache, b + 4), -EFAULT);  /* not an object start */
	assert_int_equal(slab_error_count(), errs + 2);
	assert_int_equal(kmem_cache_free(&cache, b), 0);
	assert_int_equal(kmem_cache_free(&cache, NULL), 0);
	assert_int_equal(kmem_cache_destroy(&cache), 0);
}

static void slab_redzone_catches_overflow_at_free(void **state)
{
	(void)state;
	uint64_t errs = slab_error_count();
	char *a = kmem_cache_alloc(&cache), *b = kmem_cache_alloc(&cache);

	a[OBJ] = 'x'; /* one byte past the end */
	assert_int_equal(kmem_cache_free(&cache, a), -EOVERFLOW);
	assert_int_equal(slab_error_count(), errs + 1);
	assert_int_equal(kmem_cache_free(&cache, b), 0);
	/* The overflowing object was quarantined: still counted in use. */
	assert_int_equal(kmem_cache_destroy(&cache), -EBUSY);
}

static void slab_poison_catches_write_after_free(void **state)
{
	(void)state;
	uint64_t errs = slab_error_count();
	unsigned char *a = kmem_cache_alloc(&cache), *b;

	assert_int_equal(kmem_cache_free(&cache, a), 0);
	assert_int_equal(a[OBJ - 1], SLAB_POISON_FREE); /* freed memory is poisoned */
	a[20] = 0; /* use after free */
	b = kmem_cache_alloc(&cache);
	assert_non_null(b);
	assert_ptr_not_equal(a, b); /* the damaged object is never handed out */
	assert_int_equal(slab_error_count(), errs + 1);
	assert_int_equal(kmem_cache_free(&cache, b), 0);
}

static void slab_rejects_impossible_caches(void **state)
{
	(void)state;
	struct kmem_cache c;

	assert_int_equal(kmem_cache_init(&c, "bad", 0, 8), -EINVAL);
	assert_int_equal(kmem_cache_init(&c, "bad", 64, 24), -EINVAL);
	assert_int_equal(kmem_cache_init(&c, "big", 64 * 1024, 8), -EINVAL);
	assert_int_equal(kmem_cache_init(&c, "page", PAGE_SIZE, PAGE_SIZE), 0);
	assert_true(c.per_slab >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(slab_reuses_a_freed_object, setup, teardown),
		cmocka_unit_test_setup_teardown(slab_stress_returns_every_page, setup, teardown),
		cmocka_unit_test_setup_teardown(slab_refuses_double_free_and_foreign_pointers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(racing_double_frees_let_exactly_one_win, setup,
						teardown),
		cmocka_unit_test_setup_teardown(slab_redzone_catches_overflow_at_free, setup, teardown),
		cmocka_unit_test_setup_teardown(slab_poison_catches_write_after_free, setup, teardown),
		cmocka_unit_test_setup_teardown(slab_rejects_impossible_caches, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
