// SPDX-License-Identifier: MIT
/* ktest: lib/kobject.c and lib/safe_array.c on the target (atomics as each port builds them). */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <lib/kobject.h>
#include <lib/safe_array.h>

static unsigned kt_destroyed;

static void kt_destroy(struct kobject *obj)
{
	kt_destroyed++;
}

KTEST(kobject_get_put_destroys_once_and_saturates)
{
	struct kobject o;
	uint64_t errs = kobject_error_count();

	kt_destroyed = 0;
	kobject_init(&o, KOBJ_TEST, kt_destroy);
	KT_EXPECT(kobject_get(&o));
	KT_EXPECT(!kobject_put(&o));
	KT_EXPECT(kobject_put(&o));
	KT_EXPECT(!kobject_put(&o));
	KT_EXPECT_EQ(kt_destroyed, 1);
	KT_EXPECT_EQ(kobject_refcount(&o), 0);
	kobject_init(&o, KOBJ_TEST, kt_destroy);
	o.refcount = KOBJECT_REF_MAX;
	KT_EXPECT(!kobject_get(&o));
	KT_EXPECT(!kobject_put(&o));
	KT_EXPECT_EQ(kobject_refcount(&o), KOBJECT_REF_MAX);
	KT_EXPECT_EQ(kt_destroyed, 1);
	KT_EXPECT_EQ(kobject_error_count(), errs + 2);
}

KTEST(safe_array_bounds_on_target)
{
	uint64_t store[4], v = 9, out = 0;
	struct safe_array a;

	KT_ASSERT(safe_array_init(&a, store, sizeof(uint64_t), 4) == 0);
	for (int i = 0; i < 4; i++)
		KT_EXPECT_EQ(safe_array_push(&a, &v), 0);
	KT_EXPECT_EQ(safe_array_push(&a, &v), -ERANGE);
	KT_EXPECT(safe_array_get(&a, 4) == NULL);
	KT_EXPECT_EQ(*(uint64_t *)safe_array_get(&a, 3), 9);
	KT_EXPECT_EQ(safe_array_pop(&a, &out), 0);
	KT_EXPECT_EQ(out, 9);
	KT_EXPECT_EQ(safe_array_set(&a, 3, &v), -ERANGE);
}
