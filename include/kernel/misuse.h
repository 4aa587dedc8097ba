/* SPDX-License-Identifier: MIT */
/*
 * One policy for detected misuse (core/debug/misuse.c): a double free, a foreign pointer, an
 * overwritten redzone, a lock released by a CPU that does not hold it. Every subsystem
 * reports through misuse_report(), which counts the report per subsystem, logs one line and
 * hands the error back for the caller to return. What a profile does beyond that (panic in
 * a debug build, an audit record in a hardened one) is decided here, in one place, later.
 */
#ifndef KEEL_KERNEL_MISUSE_H
#define KEEL_KERNEL_MISUSE_H

#include <kernel/compiler.h>
#include <kernel/types.h>

enum misuse_subsys {
	MISUSE_PMM,     /* page allocator: pmm_free() of something not allocated */
	MISUSE_SLAB,    /* slab caches */
	MISUSE_KMALLOC, /* kmalloc heap */
	MISUSE_KOBJECT, /* reference counts */
	MISUSE_LOCK,    /* spinlocks (CONFIG_ENABLE_DEBUG_ASSERTS owner checks) */
	MISUSE_NR,
};

/*
 * Record that @subsys refused an operation: @what says what was wrong, @addr what it was
 * applied to (a physical or virtual address, an object). Counts it, prints
 * "misuse: <subsys>: <what> at <addr>" and returns @err (a negative errno, or 0 for a
 * report that refuses nothing). Any context, any lock held (it takes only the console's).
 */
int misuse_report(enum misuse_subsys subsys, int err, const char *what, uintptr_t addr);

/* Reports so far from @subsys (0 for an unknown one). */
uint64_t misuse_count(enum misuse_subsys subsys);

/* Name of @subsys as printed ("pmm", "slab", ...). */
const char *misuse_subsys_name(enum misuse_subsys subsys);

#endif
