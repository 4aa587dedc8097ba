/* SPDX-License-Identifier: MIT */
/*
 * Address spaces (core/mm/vm_space.c): a refcounted kobject owning one page table whose
 * lower (user) half is private and whose upper (kernel) half shares the kernel's tables:
 * the root entries of the kernel half are copied from the kernel's root at creation, so the
 * kernel must have populated every kernel-half root entry before the first space exists.
 *
 * Portable skeleton: the kernel's page-table format, its table and TLB operations and the
 * switch to an address space come with the per-arch paging work. Until then
 * vm_space_create() and vm_space_switch() return -ENOSYS; vm_space_create_with() takes the
 * format explicitly (tests, and the arch once it exists).
 */
#ifndef KEEL_KERNEL_VM_SPACE_H
#define KEEL_KERNEL_VM_SPACE_H

#include <kernel/pagetable.h>
#include <lib/kobject.h>

struct vm_space {
	struct kobject obj;
	struct pagetable pt;
};

/* A new address space in *@out with one reference, kernel half from @kernel (may be NULL:
 * nothing shared). 0, -ENOMEM, -EINVAL when @kernel uses another format. */
int vm_space_create_with(const struct pt_format *fmt, const struct pt_ops *ops,
			 const struct pagetable *kernel, struct vm_space **out);

/* The same with the kernel's own format and tables: -ENOSYS until the arch provides them. */
int vm_space_create(struct vm_space **out);

/* Map frames into the user half: [@va, @va + @size) must lie below the kernel half
 * (-EFAULT otherwise); @flags as for pt_map(), PT_USER added, PT_GLOBAL refused. */
int vm_space_map(struct vm_space *vs, vaddr_t va, paddr_t pa, size_t size, unsigned flags);
int vm_space_unmap(struct vm_space *vs, vaddr_t va, size_t size);

/* Make @vs the current address space on this CPU: -ENOSYS until the arch part lands. */
int vm_space_switch(struct vm_space *vs);

/* Drop a reference; the last one frees the user-half tables and the space itself. */
void vm_space_put(struct vm_space *vs);

#endif
