/* SPDX-License-Identifier: MIT */
/* A fake physical memory for host tests of the table readers (lib/acpi*.c, lib/multiboot2.c). */
#ifndef KEEL_TEST_FAKE_PHYS_H
#define KEEL_TEST_FAKE_PHYS_H

#include <stddef.h>
#include <stdint.h>

/* Physical [@base, @base + @size) is @mem; everything else is unreadable. */
void fake_phys_init(uint8_t *mem, uint64_t base, size_t size);

/*
 * An acpi_map_fn (@ctx unused): an exact-size heap copy of [@pa, @pa + @len), so ASan catches
 * a reader going past what it asked to map; NULL outside the memory.
 */
const void *fake_phys_map(void *ctx, uint64_t pa, size_t len);

/* Free every copy fake_phys_map() handed out (a test's teardown). */
void fake_phys_release(void);

#endif
