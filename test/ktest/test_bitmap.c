// SPDX-License-Identifier: MIT
/* ktest: lib/bitmap.c on the target (64-bit word scans, ctz/popcount builtins). */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <lib/bitmap.h>

KTEST(bitmap_scans_and_bounds_on_target)
{
	uint64_t words[BITMAP_WORDS(100)];
	struct bitmap bm;

	bitmap_init(&bm, words, 100);
	KT_EXPECT_EQ(bitmap_set_range(&bm, 0, 70), 0);
	KT_EXPECT_EQ(bitmap_count(&bm), 70);
	KT_EXPECT_EQ(bitmap_next_clear(&bm, 0), 70);
	KT_EXPECT_EQ(bitmap_find_clear_run(&bm, 16, 16), 80);
	KT_EXPECT_EQ(bitmap_set(&bm, 100), -ERANGE);
	KT_EXPECT_EQ(bitmap_set_range(&bm, 90, 11), -ERANGE);
	KT_EXPECT_EQ(bitmap_count(&bm), 70);
}
