// SPDX-License-Identifier: MIT
/* Host tests for lib/bitmap.c: bounds, word edges, runs, counting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <kernel/errno.h>
#include <lib/bitmap.h>

#define NBITS 130 /* two full words and a partial third: exercises every edge */

static uint64_t words[BITMAP_WORDS(NBITS)];
static struct bitmap bm;

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < BITMAP_WORDS(NBITS); i++)
		words[i] = ~(uint64_t)0; /* init must clear whatever was there */
	bitmap_init(&bm, words, NBITS);
	return 0;
}

static void bitmap_init_clears_every_bit(void **state)
{
	(void)state;
	assert_int_equal(bitmap_count(&bm), 0);
	assert_int_equal(bitmap_next_set(&bm, 0), NBITS);
}

static void bitmap_set_test_clear_across_word_edges(void **state)
{
	(void)state;
	size_t bits[] = { 0, 63, 64, 127, 128, 129 };

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		assert_int_equal(bitmap_set(&bm, bits[i]), 0);
		assert_true(bitmap_test(&bm, bits[i]));
	}
	assert_int_equal(bitmap_count(&bm), 6);
	assert_int_equal(bitmap_next_set(&bm, 1), 63);
	assert_int_equal(bitmap_next_set(&bm, 65), 127);
	assert_int_equal(bitmap_clear(&bm, 64), 0);
	assert_false(bitmap_test(&bm, 64));
	assert_int_equal(bitmap_next_clear(&bm, 63), 64);
}

static void bitmap_rejects_out_of_range_and_changes_nothing(void **state)
{
	(void)state;
	assert_int_equal(bitmap_set(&bm, NBITS), -ERANGE);
	assert_int_equal(bitmap_clear(&bm, (size_t)-1), -ERANGE);
	assert_false(bitmap_test(&bm, NBITS + 5));
	assert_int_equal(bitmap_set_range(&bm, 120, 11), -ERANGE);
	assert_int_equal(bitmap_set_range(&bm, 1, (size_t)-1), -ERANGE); /* overflow */
	assert_int_equal(bitmap_count(&bm), 0);
	/* storage past nbits is never written: the partial word's high bits stay clear */
	assert_int_equal(bitmap_set_range(&bm, 0, NBITS), 0);
	assert_int_equal(words[2], 0x3);
}

static void bitmap_ranges_set_and_clear_exactly(void **state)
{
	(void)state;
	assert_int_equal(bitmap_set_range(&bm, 60, 10), 0);
	assert_int_equal(bitmap_count(&bm), 10);
	assert_false(bitmap_test(&bm, 59));
	assert_true(bitmap_test(&bm, 60) && bitmap_test(&bm, 69));
	assert_false(bitmap_test(&bm, 70));
	assert_int_equal(bitmap_clear_range(&bm, 62, 3), 0);
	assert_int_equal(bitmap_count(&bm), 7);
	assert_int_equal(bitmap_set_range(&bm, 5, 0), 0);
	assert_int_equal(bitmap_count(&bm), 7);
}

static void bitmap_next_clear_reports_full_map(void **state)
{
	(void)state;
	bitmap_set_range(&bm, 0, NBITS);
	assert_int_equal(bitmap_next_clear(&bm, 0), NBITS);
	assert_int_equal(bitmap_find_clear_run(&bm, 1, 1), NBITS);
}

static void bitmap_finds_aligned_clear_runs(void **state)
{
	(void)state;
	bitmap_set_range(&bm, 0, 3);
	bitmap_set(&bm, 9);
	assert_int_equal(bitmap_find_clear_run(&bm, 4, 1), 3);
	assert_int_equal(bitmap_find_clear_run(&bm, 6, 1), 3);  /* 3..8 fits exactly */
	assert_int_equal(bitmap_find_clear_run(&bm, 7, 1), 10);
	assert_int_equal(bitmap_find_clear_run(&bm, 4, 8), 16);
	assert_int_equal(bitmap_find_clear_run(&bm, 64, 64), 64);
	assert_int_equal(bitmap_find_clear_run(&bm, 200, 1), NBITS);  /* longer than the map */
	assert_int_equal(bitmap_find_clear_run(&bm, 4, 3), NBITS);    /* align not a power of 2 */
	assert_int_equal(bitmap_find_clear_run(&bm, 0, 1), NBITS);
	assert_int_equal(bitmap_find_clear_run(&bm, 2, 0), 3);        /* 0 means any */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bitmap_init_clears_every_bit, setup),
		cmocka_unit_test_setup(bitmap_set_test_clear_across_word_edges, setup),
		cmocka_unit_test_setup(bitmap_rejects_out_of_range_and_changes_nothing, setup),
		cmocka_unit_test_setup(bitmap_ranges_set_and_clear_exactly, setup),
		cmocka_unit_test_setup(bitmap_next_clear_reports_full_map, setup),
		cmocka_unit_test_setup(bitmap_finds_aligned_clear_runs, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
