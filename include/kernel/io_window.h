/* SPDX-License-Identifier: MIT */
/*
 * A kernel window for device mappings (core/mm/io_window.c): what a port's hal_map_io() hands
 * out for MMIO that is not in the direct map. Mappings are made once per range, never
 * removed (drivers keep the pointer), with an unmapped page between neighbours so an overrun
 * faults; a range of 2 MiB or more starts 2 MiB aligned so it can use large leaves. The
 * window records what it mapped so a later request inside a range gets the same address, and
 * so the port can carry early mappings (the boot console) over to its final tables at the same
 * addresses. Plain integers only: usable by early boot code before relocation is final.
 */
#ifndef KEEL_KERNEL_IO_WINDOW_H
#define KEEL_KERNEL_IO_WINDOW_H

#include <kernel/compiler.h>
#include <kernel/pagetable.h>
#include <kernel/types.h>

#define IO_WINDOW_RECORDS 32

struct io_window {
	vaddr_t base, size;       /* the window: [base, base + size) */
	vaddr_t next;             /* first free address (0: base) */
	unsigned count;           /* records in use */
	struct { paddr_t pa; vaddr_t va; size_t size; } rec[IO_WINDOW_RECORDS];
	unsigned unrecorded;      /* mappings made after the records ran out */
};

/*
 * Map physical [@pa, @pa + @size) (any alignment; @size 0 means 1) as device memory through
 * @pt and return the address of @pa, or NULL: the range wraps, the window is full, or the
 * records are full and @must_record (mappings that must survive a change of tables).
 * Not reentrant: the caller masks interrupts.
 */
__must_check void *io_window_map(struct io_window *w, struct pagetable *pt, paddr_t pa, size_t size,
		    bool must_record);

/* Map every recorded range again into @pt at the same address (a port's final tables). */
__must_check int io_window_replay(const struct io_window *w, struct pagetable *pt);

#endif
