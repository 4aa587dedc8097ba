// SPDX-License-Identifier: MIT
/* Saturating reference counts for kernel objects (see include/lib/kobject.h). */
#include <kernel/misuse.h>
#include <lib/kobject.h>

static void kobject_report(const struct kobject *obj, const char *what)
{
	misuse_report(MISUSE_KOBJECT, 0, what, (uintptr_t)obj);
}

void kobject_init(struct kobject *obj, enum kobject_type type, void (*destroy)(struct kobject *))
{
	obj->type = (uint32_t)type;
	obj->destroy = destroy;
	__atomic_store_n(&obj->refcount, 1, __ATOMIC_RELEASE);
}

/* Increment unless the count is 0 (dead) or saturated; compare-and-swap so it never wraps. */
static int ref_inc(struct kobject *obj)
{
	uint32_t old = __atomic_load_n(&obj->refcount, __ATOMIC_RELAXED);

	do {
		if (old == 0)
			return -1;
		if (old >= KOBJECT_REF_MAX)
			return -2;
	} while (!__atomic_compare_exchange_n(&obj->refcount, &old, old + 1, true,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	if (old + 1 == KOBJECT_REF_MAX)
		kobject_report(obj, "reference count saturated; object will never be freed");
	return 0;
}

bool kobject_get(struct kobject *obj)
{
	int r = ref_inc(obj);

	if (r == -1)
		kobject_report(obj, "get on an object with no references (use after free?)");
	else if (r == -2)
		kobject_report(obj, "get on a saturated object");
	return r == 0;
}

bool kobject_get_unless_zero(struct kobject *obj)
{
	int r = ref_inc(obj);

	if (r == -2)
		kobject_report(obj, "get on a saturated object");
	return r == 0;
}

bool kobject_put(struct kobject *obj)
{
	uint32_t old = __atomic_load_n(&obj->refcount, __ATOMIC_RELAXED);

	do {
		if (old == 0) {
			kobject_report(obj, "put with no references left (double put)");
			return false;
		}
		if (old >= KOBJECT_REF_MAX)
			return false; /* saturated: pinned for good, never destroyed */
	} while (!__atomic_compare_exchange_n(&obj->refcount, &old, old - 1, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	if (old != 1)
		return false;
	/* Pairs with the release above on other CPUs: their writes happen before destroy. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (obj->destroy)
		obj->destroy(obj);
	return true;
}

uint32_t kobject_refcount(const struct kobject *obj)
{
	return __atomic_load_n(&obj->refcount, __ATOMIC_RELAXED);
}

uint64_t kobject_error_count(void)
{
	return misuse_count(MISUSE_KOBJECT);
}
