// SPDX-License-Identifier: MIT
/* Address-space objects over the portable page-table logic (kernel/vm_space.h). */
#include <kernel/asid.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kmalloc.h>
#include <kernel/kprintf.h>
#include <kernel/percpu.h>
#include <kernel/vm_space.h>

/* First root index of the kernel half: the upper half of the root table. */
static unsigned kernel_first(const struct pt_format *f)
{
	return pt_entries(f) / 2;
}

/* ---- Table memory comes from the kernel's ops; TLB flushes carry this space's id ---- */

static int vs_alloc_table(void *ctx, paddr_t *pa)
{
	const struct pt_ops *k = hal_kernel_pagetable()->ops;

	(void)ctx;
	return k->alloc_table(k->ctx, pa);
}

static void vs_free_table(void *ctx, paddr_t pa)
{
	const struct pt_ops *k = hal_kernel_pagetable()->ops;

	(void)ctx;
	k->free_table(k->ctx, pa);
}

static void *vs_table_virt(void *ctx, paddr_t pa)
{
	const struct pt_ops *k = hal_kernel_pagetable()->ops;

	(void)ctx;
	return k->table_virt(k->ctx, pa);
}

/*
 * A space only ever loaded on this CPU (or not yet anywhere: asid_free() flushed its id on
 * every CPU before it was handed out) has TLB entries here at most: a local flush does.
 * Otherwise every CPU must drop them. Sequentially consistent with the mark in
 * vm_space_switch(): a CPU that marks after we read has yet to load the space, so it walks
 * the tables we already changed.
 */
static void vs_flush_tlb(void *ctx, vaddr_t va, size_t size)
{
	const struct vm_space *vs = ctx;
	int32_t on = __atomic_load_n(&vs->loaded_on, __ATOMIC_SEQ_CST);

	if (on == VM_SPACE_NO_CPU || on == (int32_t)this_cpu()->index)
		hal_tlb_flush_range_local(vs->asid, va, size);
	else
		hal_tlb_flush_range_all(vs->asid, va, size);
}

/* Note that this CPU is about to load @vs (before it does, see vs_flush_tlb()). */
static void mark_loaded_here(struct vm_space *vs)
{
	int32_t me = (int32_t)this_cpu()->index;
	int32_t on = __atomic_load_n(&vs->loaded_on, __ATOMIC_SEQ_CST);

	while (on != me && on != VM_SPACE_MANY_CPUS) {
		int32_t want = on == VM_SPACE_NO_CPU ? me : VM_SPACE_MANY_CPUS;

		if (__atomic_compare_exchange_n(&vs->loaded_on, &on, want, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return;
	}
}

static void vm_space_destroy(struct kobject *obj)
{
	struct vm_space *vs = container_of(obj, struct vm_space, obj);

	/* The kernel half's tables are shared (or absent): free only ours, then the root. */
	pt_destroy_range(&vs->pt, 0, kernel_first(vs->pt.fmt));
	vs->ops.free_table(vs->ops.ctx, vs->pt.root);
	asid_free(vs->asid);
	kfree(vs);
}

int vm_space_create(struct vm_space **out)
{
	const struct pagetable *kernel = hal_kernel_pagetable();
	const struct pt_format *fmt;
	struct vm_space *vs;
	const pte_t *kroot;
	pte_t *root;

	*out = NULL;
	if (!kernel) {
		kprintf("vm_space_create: the kernel has no page tables of its own on this port\n");
		return -ENOSYS;
	}
	fmt = kernel->fmt;
	vs = kzalloc(sizeof(*vs));
	if (!vs)
		return -ENOMEM;
	vs->ops = (struct pt_ops){ vs_alloc_table, vs_free_table, vs_table_virt, vs_flush_tlb, vs };
	if (pt_init(&vs->pt, fmt, &vs->ops)) {
		kfree(vs);
		return -ENOMEM;
	}
	/* One root for both halves: carry the kernel's (pinned, so never stale) root entries. */
	if (!hal_mmu_separate_kernel_root()) {
		kroot = vs->ops.table_virt(vs, kernel->root);
		root = vs->ops.table_virt(vs, vs->pt.root);
		for (unsigned i = kernel_first(fmt); i < pt_entries(fmt); i++)
			root[i] = kroot[i];
	}
	vs->asid = asid_alloc();
	vs->loaded_on = VM_SPACE_NO_CPU;
	kobject_init(&vs->obj, KOBJ_VM_SPACE, vm_space_destroy);
	*out = vs;
	return 0;
}

vaddr_t vm_space_user_limit(const struct vm_space *vs)
{
	const struct pt_format *f = vs->pt.fmt;

	return (vaddr_t)(pt_level_size(f, f->levels - 1) * kernel_first(f));
}

/* True when [@va, @va + @size) lies wholly in the lower, user half of @vs's space. */
static bool user_range(const struct vm_space *vs, vaddr_t va, size_t size)
{
	vaddr_t limit = vm_space_user_limit(vs);

	return size && va < limit && size <= limit - va;
}

int vm_space_map(struct vm_space *vs, vaddr_t va, paddr_t pa, size_t size, unsigned flags)
{
	if (!user_range(vs, va, size))
		return -EFAULT;
	if (flags & PT_GLOBAL)
		return -EINVAL; /* user mappings are per address space (id-tagged) */
	return pt_map(&vs->pt, va, pa, size, flags | PT_USER);
}

int vm_space_map_kernel_only(struct vm_space *vs, vaddr_t va, paddr_t pa, size_t size,
			     unsigned flags)
{
	if (!user_range(vs, va, size))
		return -EFAULT;
	if (flags & (PT_GLOBAL | PT_USER))
		return -EINVAL;
	return pt_map(&vs->pt, va, pa, size, flags);
}

int vm_space_unmap(struct vm_space *vs, vaddr_t va, size_t size)
{
	if (!user_range(vs, va, size))
		return -EFAULT;
	return pt_unmap(&vs->pt, va, size);
}

int vm_space_protect(struct vm_space *vs, vaddr_t va, size_t size, unsigned flags)
{
	if (!user_range(vs, va, size))
		return -EFAULT;
	if (flags & PT_GLOBAL)
		return -EINVAL;
	return pt_protect(&vs->pt, va, size, flags | PT_USER);
}

int vm_space_switch(struct vm_space *vs)
{
	struct per_cpu *pc = this_cpu();
	struct vm_space *old = pc->vm_space;

	if (!hal_kernel_pagetable())
		return -ENOSYS;
	if (vs == old)
		return 0;
	if (vs) {
		if (!kobject_get(&vs->obj))
			return -EINVAL; /* dying or saturated: reported by kobject_get() */
		mark_loaded_here(vs);
	}
	hal_mmu_switch(vs ? vs->pt.root : 0, vs ? vs->asid : 0);
	/* Untagged: whatever id 0 held on this CPU belongs to the space before. */
	if (vs && !vs->asid)
		hal_tlb_flush_asid_local(0);
	pc->vm_space = vs;
	vm_space_put(old);
	return 0;
}

struct vm_space *vm_space_current(void)
{
	return this_cpu()->vm_space;
}

void vm_space_put(struct vm_space *vs)
{
	if (vs)
		kobject_put(&vs->obj);
}
