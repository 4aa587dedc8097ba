/* SPDX-License-Identifier: MIT */
/*
 * Bounds-checked arrays over caller-provided storage (lib/safe_array.c), the design's
 * safe_array: elements of a fixed size, a length that grows with push and shrinks with pop,
 * and no access outside [0, length): such an access returns NULL or -ERANGE and changes
 * nothing.
 */
#ifndef KEEL_LIB_SAFE_ARRAY_H
#define KEEL_LIB_SAFE_ARRAY_H

#include <kernel/compiler.h>
#include <stddef.h>

struct safe_array {
	void *data;
	size_t elem_size;
	size_t length;   /* elements in use */
	size_t capacity; /* elements that fit in data */
};

/* Attach @storage for @capacity elements of @elem_size bytes, empty. 0, or -EINVAL for a
 * zero element size / NULL storage with a capacity, -EOVERFLOW when the byte size wraps. */
__must_check
int safe_array_init(struct safe_array *a, void *storage, size_t elem_size, size_t capacity);

/* Element @idx, or NULL when @idx >= length. */
void *safe_array_get(const struct safe_array *a, size_t idx);

/* Copy @elem into element @idx (< length): 0 or -ERANGE. */
__must_check int safe_array_set(struct safe_array *a, size_t idx, const void *elem);

/* Append a copy of @elem: 0, or -ERANGE when full. */
__must_check int safe_array_push(struct safe_array *a, const void *elem);

/* Remove the last element, copying it to @out when not NULL: 0, or -ERANGE when empty. */
__must_check int safe_array_pop(struct safe_array *a, void *out);

static inline size_t safe_array_length(const struct safe_array *a)
{
	return a->length;
}

#endif
