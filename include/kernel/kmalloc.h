/* SPDX-License-Identifier: MIT */
/*
 * Variable-size kernel allocations (core/mm/kmalloc.c): power-of-two size classes on slab
 * caches up to KMALLOC_MAX_SMALL bytes (header included), whole page blocks above that.
 * Each allocation carries a 16-byte header, so kfree() needs no size and can tell a
 * kmalloc pointer from anything else. Results are aligned to 16 bytes.
 */
#ifndef KEEL_KERNEL_KMALLOC_H
#define KEEL_KERNEL_KMALLOC_H

#include <kernel/compiler.h>
#include <kernel/types.h>

#define KMALLOC_MIN_SHIFT 5   /* smallest class: 32 bytes with the header */
#define KMALLOC_MAX_SHIFT 11  /* largest class: 2048 bytes with the header */
#define KMALLOC_MAX_SMALL ((size_t)1 << KMALLOC_MAX_SHIFT)
#define KMALLOC_HDR_SIZE  16

/* Set up the size-class caches. Needs the page allocator. 0 or kmem_cache_init()'s error. */
__must_check int kmalloc_init(void);

/* @size bytes (NULL for 0, on overflow, or when out of memory). */
__must_check void *kmalloc(size_t size);

/* kmalloc() and clear. */
__must_check void *kzalloc(size_t size);

/* Free a kmalloc() result. 0 (also for NULL), or -EFAULT (not from kmalloc / double
 * free) / -EOVERFLOW (bytes past the requested size were overwritten): refused then. */
int kfree(void *p);

/* Bytes usable at @p (at least what was asked for), 0 for an invalid pointer. */
size_t kmalloc_usable_size(const void *p);

/* Flush magazines and return empty slabs of every class (tests, low memory). */
void kmalloc_drain(void);

/* Refused kfree() calls. */
uint64_t kmalloc_error_count(void);

#endif
