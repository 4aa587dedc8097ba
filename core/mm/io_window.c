// SPDX-License-Identifier: MIT
/* Device mappings in a kernel window, recorded for reuse and for the switch of tables. */
#include <kernel/compiler.h>
#include <kernel/io_window.h>

#define IO_PAGE  ((paddr_t)4096)
#define IO_LARGE ((vaddr_t)2 << 20)

#define PT_IO (PT_READ | PT_WRITE | PT_DEVICE | PT_GLOBAL)

void *io_window_map(struct io_window *w, struct pagetable *pt, paddr_t pa, size_t size,
		    bool must_record)
{
	paddr_t first, end;
	vaddr_t va, limit = w->base + w->size;
	size_t len;

	if (!size)
		size = 1;
	if (pa + (size - 1) < pa)
		return NULL;
	first = ALIGN_DOWN(pa, IO_PAGE);
	end = ALIGN_DOWN(pa + (size - 1), IO_PAGE) + IO_PAGE;
	if (end <= first)
		return NULL; /* the last page ends at the top of the address space */
	len = (size_t)(end - first);
	for (unsigned i = 0; i < w->count; i++)
		if (first >= w->rec[i].pa && end <= w->rec[i].pa + w->rec[i].size)
			return (void *)(uintptr_t)(w->rec[i].va + (pa - w->rec[i].pa));
	if (must_record && w->count == IO_WINDOW_RECORDS)
		return NULL;
	va = w->next ? w->next : w->base;
	va = ALIGN_UP(va, len >= IO_LARGE ? IO_LARGE : (vaddr_t)IO_PAGE);
	if (va < w->base || va > limit || len > limit - va)
		return NULL;
	if (pt_map(pt, va, first, len, PT_IO))
		return NULL;
	w->next = va + len + IO_PAGE; /* an unmapped page before the next mapping */
	if (w->count < IO_WINDOW_RECORDS) {
		w->rec[w->count].pa = first;
		w->rec[w->count].va = va;
		w->rec[w->count].size = len;
		w->count++;
	} else {
		w->unrecorded++;
	}
	return (void *)(uintptr_t)(va + (pa - first));
}

int io_window_replay(const struct io_window *w, struct pagetable *pt)
{
	int err = 0;

	for (unsigned i = 0; i < w->count && !err; i++)
		err = pt_map(pt, w->rec[i].va, w->rec[i].pa, w->rec[i].size, PT_IO);
	return err;
}
