// SPDX-License-Identifier: MIT
/* Host tests for lib/kobject.c: destroy exactly once, saturation, put at zero. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <lib/kobject.h>

static unsigned destroyed;

static void count_destroy(struct kobject *obj)
{
	(void)obj;
	destroyed++;
}

static void kobject_last_put_destroys_exactly_once(void **state)
{
	(void)state;
	struct kobject o;

	destroyed = 0;
	kobject_init(&o, KOBJ_TEST, count_destroy);
	assert_true(kobject_is(&o, KOBJ_TEST));
	assert_false(kobject_is(&o, KOBJ_VM_SPACE));
	assert_true(kobject_get(&o));
	assert_int_equal(kobject_refcount(&o), 2);
	assert_false(kobject_put(&o));
	assert_int_equal(destroyed, 0);
	assert_true(kobject_put(&o));
	assert_int_equal(destroyed, 1);
}

static void kobject_put_at_zero_is_reported_not_wrapped(void **state)
{
	(void)state;
	struct kobject o;
	uint64_t errs = kobject_error_count();

	destroyed = 0;
	kobject_init(&o, KOBJ_TEST, count_destroy);
	assert_true(kobject_put(&o));
	assert_false(kobject_put(&o));              /* double put */
	assert_int_equal(kobject_refcount(&o), 0);  /* not 0xffffffff */
	assert_false(kobject_get(&o));              /* resurrecting a dead object */
	assert_false(kobject_get_unless_zero(&o));
	assert_int_equal(destroyed, 1);
	assert_int_equal(kobject_error_count(), errs + 2);
}

static void kobject_saturates_and_is_never_destroyed(void **state)
{
	(void)state;
	struct kobject o;
	uint64_t errs = kobject_error_count();

	destroyed = 0;
	kobject_init(&o, KOBJ_TEST, count_destroy);
	o.refcount = KOBJECT_REF_MAX - 1; /* as if that many gets had happened */
	assert_true(kobject_get(&o));     /* reaches the max: reported */
	assert_false(kobject_get(&o));    /* past it: refused */
	assert_int_equal(kobject_refcount(&o), KOBJECT_REF_MAX);
	for (int i = 0; i < 5; i++)
		assert_false(kobject_put(&o));
	assert_int_equal(kobject_refcount(&o), KOBJECT_REF_MAX);
	assert_int_equal(destroyed, 0);
	assert_int_equal(kobject_error_count(), errs + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kobject_last_put_destroys_exactly_once),
		cmocka_unit_test(kobject_put_at_zero_is_reported_not_wrapped),
		cmocka_unit_test(kobject_saturates_and_is_never_destroyed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
