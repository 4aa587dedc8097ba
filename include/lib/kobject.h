/* SPDX-License-Identifier: MIT */
/*
 * Reference-counted kernel objects (lib/kobject.c), the design's kobject: every kernel
 * object embeds one, tagged with its type, and is destroyed exactly once, by whoever drops
 * the last reference. The count saturates instead of wrapping: an increment at
 * KOBJECT_REF_MAX or a put of an object already at zero is reported and refused, and a
 * saturated object is never destroyed (leaked rather than freed while still referenced).
 */
#ifndef KEEL_LIB_KOBJECT_H
#define KEEL_LIB_KOBJECT_H

#include <kernel/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define KOBJECT_REF_MAX 0x7fffffffu  /* saturation value: stays there once reached */

enum kobject_type {
	KOBJ_NONE = 0,
	KOBJ_TEST,      /* tests */
	KOBJ_VM_SPACE,  /* an address space (core/mm/vm_space.c) */
	KOBJ_TYPE_COUNT,
};

struct kobject {
	uint32_t refcount;
	uint32_t type; /* enum kobject_type */
	void (*destroy)(struct kobject *obj);
};

/* Start @obj with one reference (the creator's). @destroy runs when the last one goes. */
void kobject_init(struct kobject *obj, enum kobject_type type, void (*destroy)(struct kobject *));

/* Take a reference. false (and reported) when the count is saturated or already zero
 * (the object is being destroyed): the caller must not use it then. */
__must_check bool kobject_get(struct kobject *obj);

/* Take a reference only while the object is alive (count > 0): for lookups racing a put. */
__must_check bool kobject_get_unless_zero(struct kobject *obj);

/* Drop a reference; the last one calls destroy. Returns true when it did. A put at zero
 * is reported and ignored. */
bool kobject_put(struct kobject *obj);

/* Current count (diagnostics and tests). */
uint32_t kobject_refcount(const struct kobject *obj);

/* True when @obj has type @type: check before container_of() on an untrusted kobject. */
static inline bool kobject_is(const struct kobject *obj, enum kobject_type type)
{
	return obj && obj->type == (uint32_t)type;
}

/* Misuse reported so far (put at zero, saturation). */
uint64_t kobject_error_count(void);

#endif
