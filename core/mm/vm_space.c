// SPDX-License-Identifier: MIT
/* Address-space objects over the portable page-table logic (kernel/vm_space.h). */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/kmalloc.h>
#include <kernel/kprintf.h>
#include <kernel/vm_space.h>

/* First root index of the kernel half: the upper half of the root table. */
static unsigned kernel_first(const struct pt_format *f)
{
	return pt_entries(f) / 2;
}

static void vm_space_destroy(struct kobject *obj)
{
	struct vm_space *vs = container_of(obj, struct vm_space, obj);
	unsigned half = kernel_first(vs->pt.fmt);

	/* The kernel half's tables are shared: free only ours, then the root itself. */
	pt_destroy_range(&vs->pt, 0, half);
	vs->pt.ops->free_table(vs->pt.ops->ctx, vs->pt.root);
	kfree(vs);
}

int vm_space_create_with(const struct pt_format *fmt, const struct pt_ops *ops,
			 const struct pagetable *kernel, struct vm_space **out)
{
	struct vm_space *vs;
	const pte_t *kroot;
	pte_t *root;

	if (kernel && kernel->fmt != fmt)
		return -EINVAL;
	vs = kzalloc(sizeof(*vs));
	if (!vs)
		return -ENOMEM;
	if (pt_init(&vs->pt, fmt, ops)) {
		kfree(vs);
		return -ENOMEM;
	}
	if (kernel) {
		kroot = kernel->ops->table_virt(kernel->ops->ctx, kernel->root);
		root = ops->table_virt(ops->ctx, vs->pt.root);
		for (unsigned i = kernel_first(fmt); i < pt_entries(fmt); i++)
			root[i] = kroot[i];
	}
	kobject_init(&vs->obj, KOBJ_VM_SPACE, vm_space_destroy);
	*out = vs;
	return 0;
}

/*
 * Needs from the arch (per-arch paging part of issue 5): the kernel's struct pt_format,
 * its struct pt_ops and its kernel page table. Refusing is better than a space that does
 * not share the kernel half.
 */
int vm_space_create(struct vm_space **out)
{
	*out = NULL;
	kprintf("vm_space_create: not built yet (needs the per-arch paging part of issue 5)\n");
	return -ENOSYS;
}

/* True when [@va, @va + @size) lies wholly in the lower, user half of @vs's space. */
static bool user_range(const struct vm_space *vs, vaddr_t va, size_t size)
{
	const struct pt_format *f = vs->pt.fmt;
	uint64_t limit = pt_level_size(f, f->levels - 1) * kernel_first(f);

	return size && va < limit && size <= limit - va;
}

int vm_space_map(struct vm_space *vs, vaddr_t va, paddr_t pa, size_t size, unsigned flags)
{
	if (!user_range(vs, va, size))
		return -EFAULT;
	if (flags & PT_GLOBAL)
		return -EINVAL; /* user mappings are per address space (ASID-tagged) */
	return pt_map(&vs->pt, va, pa, size, flags | PT_USER);
}

int vm_space_unmap(struct vm_space *vs, vaddr_t va, size_t size)
{
	if (!user_range(vs, va, size))
		return -EFAULT;
	return pt_unmap(&vs->pt, va, size);
}

/* Needs hal support to load the root (CR3 / TTBR0 / satp) with an ASID: not there yet. */
int vm_space_switch(struct vm_space *vs)
{
	kprintf("vm_space_switch: not built yet (needs the per-arch paging part of issue 5)\n");
	return -ENOSYS;
}

void vm_space_put(struct vm_space *vs)
{
	if (vs)
		kobject_put(&vs->obj);
}
