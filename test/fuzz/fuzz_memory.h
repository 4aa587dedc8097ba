/* SPDX-License-Identifier: MIT */
/* The fuzz input as physical memory from address 0, for the table readers' map callback. */
#ifndef KEEL_FUZZ_MEMORY_H
#define KEEL_FUZZ_MEMORY_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_memory {
	const uint8_t *data;
	size_t size;
};

/* An acpi_map_fn over @ctx (a struct fuzz_memory): NULL for anything past the input. */
static inline const void *fuzz_memory_map(void *ctx, uint64_t pa, size_t len)
{
	const struct fuzz_memory *m = ctx;

	if (pa > m->size || len > m->size - pa)
		return NULL;
	return m->data + pa;
}

#endif
