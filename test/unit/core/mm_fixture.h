/* SPDX-License-Identifier: MIT */
/* Shared setup for the memory-management host tests: a fake RAM arena handed to the pmm.
 * Include after <cmocka.h>. */
#ifndef KEEL_TEST_MM_FIXTURE_H
#define KEEL_TEST_MM_FIXTURE_H

#include <kernel/pmm.h>
#include "../fake_hal.h"

/* Back physical [0, @size) with a fresh arena and give all of it to a reset pmm (node 0). */
static inline void mm_fixture_up(size_t size)
{
	fake_hal_arena_init(0, size);
	pmm_reset();
	assert_int_equal(pmm_add_range(0, size, 0), 0);
	assert_int_equal(pmm_commit(), 0);
}

#endif
