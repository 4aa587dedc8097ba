/* SPDX-License-Identifier: MIT */
/*
 * Slab allocator for fixed-size kernel objects (core/mm/slab.c).
 *
 * A cache hands out objects of one size and alignment, carved from slabs of 2^order pages
 * taken from the page allocator; the slab header sits at the start of each slab, which is
 * naturally aligned, so an object finds its slab by rounding its address down. Each CPU has
 * a small magazine of free objects in front of the cache: the common alloc/free touches
 * only that (interrupts masked, no lock); the cache's lock is taken to refill or flush it.
 *
 * Every free is checked: an address that is not an object of this cache, or an object that
 * is already free, is reported and refused. With CONFIG_MM_POISON (DEV) freed objects are
 * filled with SLAB_POISON_FREE and each object is followed by a redzone; an overwritten
 * redzone at free time (overflow) or a changed poison at allocation (write after free) is
 * reported and the object is quarantined. With CONFIG_MM_ZERO_ON_FREE (HARDENED) freed
 * objects are zeroed.
 */
#ifndef KEEL_KERNEL_SLAB_H
#define KEEL_KERNEL_SLAB_H

#include <kernel/compiler.h>
#include <kernel/cpu_index.h>
#include <kernel/spinlock.h>
#include <kernel/types.h>
#include <lib/list.h>

#define SLAB_MAG_SIZE     16
#define SLAB_MAX_ORDER    3     /* slabs of at most 8 pages */
#define SLAB_MIN_OBJECTS  8     /* grow the slab order until this many objects fit */
#define SLAB_REDZONE      16    /* bytes after each object, CONFIG_MM_POISON only */
#define SLAB_POISON_FREE  0x6b
#define SLAB_POISON_RED   0xbb

struct slab_magazine {
	void *objs[SLAB_MAG_SIZE];
	unsigned count;
};

struct kmem_cache {
	const char *name;
	size_t obj_size;   /* what the user asked for */
	size_t stride;     /* object + redzone, rounded to the alignment */
	size_t first;      /* offset of the first object in a slab */
	unsigned order;    /* slab size: 2^order pages */
	unsigned per_slab; /* objects per slab */
	spinlock_t lock;   /* slab lists and slab contents (not the magazines) */
	struct list_node partial, full;
	uint64_t slabs, inuse; /* inuse: objects handed out by the slabs (magazines count) */
	uint64_t errors;
	struct slab_magazine mag[MM_NR_CPUS];
};

/* Set up @c for objects of @size bytes aligned to @align (a power of two, 0 for 8).
 * 0, or -EINVAL when the object cannot fit a slab of SLAB_MAX_ORDER. */
__must_check int kmem_cache_init(struct kmem_cache *c, const char *name, size_t size, size_t align);

/* An object, or NULL when the page allocator is out of memory. Contents are undefined
 * (poison in DEV, zero in HARDENED). */
__must_check void *kmem_cache_alloc(struct kmem_cache *c);

/* Return @obj. 0, or -EFAULT (not an object of @c / already free) / -EOVERFLOW (its
 * redzone was overwritten); the object is not reused then. NULL is a no-op. */
int kmem_cache_free(struct kmem_cache *c, void *obj);

/* Flush every CPU's magazine and give empty slabs back to the page allocator. Only safe
 * while no other CPU uses @c (tests, teardown). */
void kmem_cache_drain(struct kmem_cache *c);

/* Drain, then forget the cache: -EBUSY (and nothing done) while objects are allocated. */
__must_check int kmem_cache_destroy(struct kmem_cache *c);

/* Refused frees and detected corruption, over all caches. */
uint64_t slab_error_count(void);

#endif
