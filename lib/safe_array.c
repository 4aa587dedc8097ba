// SPDX-License-Identifier: MIT
/* Bounds-checked arrays (see include/lib/safe_array.h). */
#include <kernel/errno.h>
#include <lib/safe_array.h>
#include <stdint.h>
#include <lib/string.h>

int safe_array_init(struct safe_array *a, void *storage, size_t elem_size, size_t capacity)
{
	a->data = NULL;
	a->elem_size = elem_size;
	a->length = 0;
	a->capacity = 0;
	if (!elem_size || (!storage && capacity))
		return -EINVAL;
	if (capacity > SIZE_MAX / elem_size)
		return -EOVERFLOW;
	a->data = storage;
	a->capacity = capacity;
	return 0;
}

/* Address of slot @idx; only called with idx < capacity, so it cannot overflow. */
static void *slot(const struct safe_array *a, size_t idx)
{
	return (char *)a->data + idx * a->elem_size;
}

void *safe_array_get(const struct safe_array *a, size_t idx)
{
	if (idx >= a->length)
		return NULL;
	return slot(a, idx);
}

int safe_array_set(struct safe_array *a, size_t idx, const void *elem)
{
	if (idx >= a->length)
		return -ERANGE;
	memcpy(slot(a, idx), elem, a->elem_size);
	return 0;
}

int safe_array_push(struct safe_array *a, const void *elem)
{
	if (a->length >= a->capacity)
		return -ERANGE;
	memcpy(slot(a, a->length), elem, a->elem_size);
	a->length++;
	return 0;
}

int safe_array_pop(struct safe_array *a, void *out)
{
	if (!a->length)
		return -ERANGE;
	a->length--;
	if (out)
		memcpy(out, slot(a, a->length), a->elem_size);
	return 0;
}
