// SPDX-License-Identifier: MIT
/* A fake physical memory for host tests of the table readers (see fake_phys.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_phys.h"

#define MAX_COPIES 256

static uint8_t *phys_mem;
static uint64_t phys_base;
static size_t phys_size;
static void *copies[MAX_COPIES];
static unsigned ncopies;

void fake_phys_init(uint8_t *mem, uint64_t base, size_t size)
{
	phys_mem = mem;
	phys_base = base;
	phys_size = size;
}

const void *fake_phys_map(void *ctx, uint64_t pa, size_t len)
{
	void *copy;

	(void)ctx;
	if (pa < phys_base || pa - phys_base > phys_size || len > phys_size - (pa - phys_base))
		return NULL;
	assert_true(ncopies < MAX_COPIES);
	copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, phys_mem + (pa - phys_base), len);
	copies[ncopies++] = copy;
	return copy;
}

void fake_phys_release(void)
{
	while (ncopies)
		free(copies[--ncopies]);
}
