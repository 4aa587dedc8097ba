// SPDX-License-Identifier: MIT
/* Host tests for lib/safe_array.c: every access outside [0, length) is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <kernel/errno.h>
#include <lib/safe_array.h>

struct item {
	uint32_t a;
	uint16_t b;
};

static void safe_array_push_get_set_pop(void **state)
{
	(void)state;
	struct item storage[3], x = { 1, 2 }, out;
	struct safe_array arr;

	assert_int_equal(safe_array_init(&arr, storage, sizeof(struct item), 3), 0);
	assert_null(safe_array_get(&arr, 0));
	for (uint32_t i = 0; i < 3; i++) {
		x.a = i;
		assert_int_equal(safe_array_push(&arr, &x), 0);
	}
	assert_int_equal(safe_array_push(&arr, &x), -ERANGE); /* full */
	assert_int_equal(safe_array_length(&arr), 3);
	assert_int_equal(((struct item *)safe_array_get(&arr, 1))->a, 1);
	x.a = 42;
	assert_int_equal(safe_array_set(&arr, 2, &x), 0);
	assert_int_equal(safe_array_pop(&arr, &out), 0);
	assert_int_equal(out.a, 42);
	assert_null(safe_array_get(&arr, 2)); /* popped: out of bounds now */
	assert_int_equal(safe_array_set(&arr, 2, &x), -ERANGE);
	assert_int_equal(safe_array_pop(&arr, NULL), 0);
	assert_int_equal(safe_array_pop(&arr, NULL), 0);
	assert_int_equal(safe_array_pop(&arr, &out), -ERANGE); /* empty */
}

static void safe_array_rejects_huge_and_bad_indices(void **state)
{
	(void)state;
	uint8_t storage[4];
	struct safe_array arr;

	assert_int_equal(safe_array_init(&arr, storage, 0, 4), -EINVAL);
	assert_int_equal(safe_array_init(&arr, NULL, 1, 4), -EINVAL);
	assert_int_equal(safe_array_init(&arr, storage, SIZE_MAX / 2, 3), -EOVERFLOW);
	assert_int_equal(safe_array_push(&arr, storage), -ERANGE); /* left empty, capacity 0 */
	assert_int_equal(safe_array_init(&arr, storage, 1, 4), 0);
	assert_int_equal(safe_array_push(&arr, storage), 0);
	assert_null(safe_array_get(&arr, SIZE_MAX));
	assert_int_equal(safe_array_set(&arr, SIZE_MAX, storage), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(safe_array_push_get_set_pop),
		cmocka_unit_test(safe_array_rejects_huge_and_bad_indices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
