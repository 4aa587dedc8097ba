/* SPDX-License-Identifier: MIT */
/*
 * Address spaces (core/mm/vm_space.c): a refcounted kobject owning one page table in the
 * kernel's format (hal_kernel_pagetable()) whose lower half holds user mappings. The kernel
 * half is shared: on ports with one translation root (x86-64 CR3, riscv64 satp) the space's
 * root carries copies of the kernel's pinned upper-half root entries; on arm64 the kernel
 * half has its own root (TTBR1) and the space's root is only ever used for the lower half.
 *
 * Each space gets an address-space id (PCID/ASID) from core/mm/asid.c while ids last; a space
 * created when they have run out runs untagged (id 0) and is flushed on every switch to it.
 */
#ifndef KEEL_KERNEL_VM_SPACE_H
#define KEEL_KERNEL_VM_SPACE_H

#include <kernel/compiler.h>
#include <kernel/pagetable.h>
#include <lib/kobject.h>

struct vm_space {
	struct kobject obj;
	struct pagetable pt;
	struct pt_ops ops;  /* the kernel's table memory; TLB flushes tagged with asid */
	unsigned asid;      /* 0: untagged */
	/* Where its TLB entries can be: VM_SPACE_NO_CPU until first loaded, the cpu_index() of
	 * the only CPU that ever loaded it, or VM_SPACE_MANY_CPUS. Decides whether a flush may
	 * stay on this CPU (hal_tlb_flush_range_local) or must reach all (_all). */
	int32_t loaded_on;
};

#define VM_SPACE_NO_CPU    (-1)
#define VM_SPACE_MANY_CPUS (-2)

/* A new, empty address space in *@out with one reference. 0, -ENOMEM, or -ENOSYS while the
 * kernel has no page tables of its own (hal_kernel_pagetable() == NULL). */
__must_check int vm_space_create(struct vm_space **out);

/* Map frames into the user half: [@va, @va + @size) must lie below the kernel half
 * (-EFAULT otherwise); @flags as for pt_map(), PT_USER added, PT_GLOBAL refused. */
__must_check
int vm_space_map(struct vm_space *vs, vaddr_t va, paddr_t pa, size_t size, unsigned flags);
__must_check int vm_space_unmap(struct vm_space *vs, vaddr_t va, size_t size);
__must_check int vm_space_protect(struct vm_space *vs, vaddr_t va, size_t size, unsigned flags);

/* For kernel tests: map into the user half without PT_USER (only the kernel can touch it),
 * so a test can read through the space without user mode existing yet. */
__must_check int vm_space_map_kernel_only(struct vm_space *vs, vaddr_t va, paddr_t pa, size_t size,
			     unsigned flags);

/*
 * Make @vs (NULL: none, kernel mappings only) this CPU's current address space. The CPU holds
 * a reference to its current space, so a space is never freed while loaded. 0, or -ENOSYS
 * while the kernel has no page tables of its own.
 */
__must_check int vm_space_switch(struct vm_space *vs);

/* This CPU's current address space (NULL: none). */
struct vm_space *vm_space_current(void);

/* Drop a reference; the last one frees the user-half tables, the id and the space. */
void vm_space_put(struct vm_space *vs);

/* First address above the user half of @vs. */
vaddr_t vm_space_user_limit(const struct vm_space *vs);

#endif
