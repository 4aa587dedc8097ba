// SPDX-License-Identifier: MIT
/* Portable radix page-table walker over an arch-described PTE format (kernel/pagetable.h). */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/pagetable.h>

/* ---- Helpers ---- */

static pte_t *table(const struct pagetable *pt, paddr_t pa)
{
	return pt->ops->table_virt(pt->ops->ctx, pa);
}

static unsigned pt_index(const struct pt_format *f, vaddr_t va, unsigned level)
{
	return (unsigned)((va >> (f->page_shift + level * f->bits_per_level)) &
			  (pt_entries(f) - 1));
}

static bool leaf_allowed(const struct pt_format *f, unsigned level)
{
	return f->leaf_levels & (1u << level);
}

static void flush(const struct pagetable *pt, vaddr_t va, uint64_t size)
{
	if (pt->ops->flush_tlb)
		pt->ops->flush_tlb(pt->ops->ctx, va, (size_t)size);
}

/* Last byte of the block of size @bsize holding @va. */
static vaddr_t block_last(vaddr_t va, uint64_t bsize)
{
	return va | (vaddr_t)(bsize - 1);
}

/* The address is canonical: the bits above the translated ones copy the top one. */
static bool canonical(const struct pt_format *f, vaddr_t va)
{
	unsigned va_bits = f->page_shift + f->levels * f->bits_per_level;
	int64_t top;

	if (va_bits >= 64)
		return true;
	top = (int64_t)va >> (va_bits - 1);
	return top == 0 || top == -1;
}

/* Shared argument checks: 0 or the error, with *@last set to the range's last byte. */
static int check_range(const struct pagetable *pt, vaddr_t va, size_t size, vaddr_t *last)
{
	uint64_t page_mask = ((uint64_t)1 << pt->fmt->page_shift) - 1;

	if (!size || (va & page_mask) || (size & page_mask))
		return -EINVAL;
	*last = va + (size - 1);
	if (*last < va || !canonical(pt->fmt, va) || !canonical(pt->fmt, *last))
		return -EINVAL;
	/* Both ends canonical but on different sides of the hole: the range crosses it. */
	if ((int64_t)va >= 0 && (int64_t)*last < 0)
		return -EINVAL;
	return 0;
}

static int check_flags(unsigned flags)
{
	if (flags & ~PT_FLAGS_ALL)
		return -EINVAL;
	/* W^X: no page is ever both writable and executable, in any address space. */
	if ((flags & PT_WRITE) && (flags & PT_EXEC))
		return -EPERM;
	if ((flags & PT_WRITE) && !(flags & PT_READ))
		return -EINVAL;
	return 0;
}

/* The entry that decides @va's translation: a leaf, an invalid entry, or a level-0 entry. */
static pte_t *walk(const struct pagetable *pt, vaddr_t va, unsigned *levelp)
{
	const struct pt_format *f = pt->fmt;
	paddr_t tpa = pt->root;

	for (unsigned level = f->levels - 1;; level--) {
		pte_t *e = &table(pt, tpa)[pt_index(f, va, level)];

		if (!f->is_valid(*e) || f->is_leaf(*e, level) || level == 0) {
			*levelp = level;
			return e;
		}
		tpa = f->pte_addr(*e);
	}
}

static bool table_empty(const struct pagetable *pt, paddr_t tpa)
{
	const pte_t *t = table(pt, tpa);

	for (unsigned i = 0; i < pt_entries(pt->fmt); i++)
		if (pt->fmt->is_valid(t[i]))
			return false;
	return true;
}

/* Replace the large leaf *@e at @level by a table of leaves one level down, same mapping. */
/* Replace the valid entry *@e, covering [@va, @va + @size), by @new (valid or 0), with the
 * TLB maintenance the format asks for. */
static void replace_entry(const struct pagetable *pt, pte_t *e, pte_t new, vaddr_t va,
			  uint64_t size)
{
	if (pt->fmt->break_before_make && new) {
		*e = 0;
		flush(pt, va, size);
		*e = new;
		return;
	}
	*e = new;
	flush(pt, va, size);
}

static int split_leaf(struct pagetable *pt, pte_t *e, unsigned level, vaddr_t va)
{
	const struct pt_format *f = pt->fmt;
	uint64_t sub = pt_level_size(f, level - 1);
	paddr_t base = f->pte_addr(*e), tpa;
	unsigned flags = f->pte_flags(*e);
	pte_t *t;

	if (pt->ops->alloc_table(pt->ops->ctx, &tpa))
		return -ENOMEM;
	t = table(pt, tpa);
	for (unsigned i = 0; i < pt_entries(f); i++)
		t[i] = f->make_leaf(base + i * sub, flags, level - 1);
	replace_entry(pt, e, f->make_table(tpa), va & ~(vaddr_t)(pt_level_size(f, level) - 1),
		      pt_level_size(f, level));
	return 0;
}

/* ---- Setup and teardown ---- */

int pt_init(struct pagetable *pt, const struct pt_format *fmt, const struct pt_ops *ops)
{
	uint32_t ll = fmt->leaf_levels;

	/* Leaves must be allowed on a prefix of levels so a split always has somewhere to go. */
	if (fmt->levels < 2 || fmt->levels > PT_MAX_LEVELS || !fmt->bits_per_level ||
	    fmt->bits_per_level > 16 || !(ll & 1) || (ll & (ll + 1)) || ll >> fmt->levels)
		return -EINVAL;
	pt->fmt = fmt;
	pt->ops = ops;
	pt->pin_first = pt->pin_last = 0;
	return ops->alloc_table(ops->ctx, &pt->root) ? -ENOMEM : 0;
}

static void free_tables(struct pagetable *pt, paddr_t tpa, unsigned level, unsigned first,
			unsigned last)
{
	const struct pt_format *f = pt->fmt;
	pte_t *t = table(pt, tpa);

	for (unsigned i = first; i < last && level > 0; i++) {
		if (!f->is_valid(t[i]) || f->is_leaf(t[i], level))
			continue;
		free_tables(pt, f->pte_addr(t[i]), level - 1, 0, pt_entries(f));
		pt->ops->free_table(pt->ops->ctx, f->pte_addr(t[i]));
		t[i] = 0;
	}
}

void pt_destroy_range(struct pagetable *pt, unsigned first, unsigned last)
{
	unsigned n = pt_entries(pt->fmt);

	free_tables(pt, pt->root, pt->fmt->levels - 1, MIN(first, n), MIN(last, n));
	if (first == 0 && last >= n) {
		pt->ops->free_table(pt->ops->ctx, pt->root);
		pt->root = 0;
	}
}

void pt_destroy(struct pagetable *pt)
{
	pt_destroy_range(pt, 0, pt_entries(pt->fmt));
}

/* ---- Map ---- */

static int map_level(struct pagetable *pt, paddr_t tpa, unsigned level, vaddr_t va,
		     vaddr_t last, paddr_t pa, unsigned flags)
{
	const struct pt_format *f = pt->fmt;
	uint64_t bsize = pt_level_size(f, level);
	pte_t *t = table(pt, tpa);

	for (;;) {
		pte_t *e = &t[pt_index(f, va, level)];
		vaddr_t chunk = MIN(block_last(va, bsize), last);
		bool whole = !(va & (bsize - 1)) && chunk == block_last(va, bsize);
		paddr_t child;
		int err;

		if (whole && !(pa & (bsize - 1)) && leaf_allowed(f, level) && !f->is_valid(*e)) {
			*e = f->make_leaf(pa, flags, level);
		} else if (level == 0 || (f->is_valid(*e) && f->is_leaf(*e, level))) {
			return -EEXIST; /* any_mapped() said free: only a racing mapper gets here */
		} else {
			if (!f->is_valid(*e)) {
				if (pt->ops->alloc_table(pt->ops->ctx, &child))
					return -ENOMEM;
				*e = f->make_table(child);
			}
			err = map_level(pt, f->pte_addr(*e), level - 1, va, chunk, pa, flags);
			if (err)
				return err;
		}
		if (chunk == last)
			return 0;
		pa += chunk - va + 1;
		va = chunk + 1;
	}
}

/*
 * With @want_all false: is anything mapped in [@va, @last]? With @want_all true: is all of
 * it mapped? Steps over whole entries (unmapped blocks, large leaves) at a time.
 */
static bool any_mapped(const struct pagetable *pt, vaddr_t va, vaddr_t last, bool want_all)
{
	for (;;) {
		unsigned level;
		pte_t *e = walk(pt, va, &level);
		vaddr_t end = block_last(va, pt_level_size(pt->fmt, level));

		if (pt->fmt->is_valid(*e) != want_all)
			return !want_all;
		if (end >= last)
			return want_all;
		va = end + 1;
	}
}

static int change_level(struct pagetable *pt, paddr_t tpa, unsigned level, vaddr_t va,
			vaddr_t last, int flags);

int pt_map(struct pagetable *pt, vaddr_t va, paddr_t pa, size_t size, unsigned flags)
{
	uint64_t page_mask = ((uint64_t)1 << pt->fmt->page_shift) - 1;
	vaddr_t last;
	int err = check_flags(flags);

	if (!err)
		err = check_range(pt, va, size, &last);
	if (err)
		return err;
	if ((pa & page_mask) || pa + (size - 1) < pa)
		return -EINVAL;
	if (any_mapped(pt, va, last, false))
		return -EEXIST;
	err = map_level(pt, pt->root, pt->fmt->levels - 1, va, last, pa, flags);
	if (err) /* all-or-nothing: drop the part that was mapped (range checked above) */
		change_level(pt, pt->root, pt->fmt->levels - 1, va, last, -1);
	return err;
}

/* ---- Unmap and protect: one recursive walk, @flags < 0 meaning unmap ---- */

/* Is entry @index of a table at @level a pinned root entry? */
static bool pinned(const struct pagetable *pt, unsigned level, long index)
{
	return level == pt->fmt->levels - 1 && index >= (long)pt->pin_first &&
	       index < (long)pt->pin_last;
}

static int change_level(struct pagetable *pt, paddr_t tpa, unsigned level, vaddr_t va,
			vaddr_t last, int flags)
{
	const struct pt_format *f = pt->fmt;
	uint64_t bsize = pt_level_size(f, level);
	pte_t *t = table(pt, tpa);
	int err = 0;

	for (;;) {
		pte_t *e = &t[pt_index(f, va, level)];
		vaddr_t chunk = MIN(block_last(va, bsize), last);
		bool whole = !(va & (bsize - 1)) && chunk == block_last(va, bsize);

		if (f->is_valid(*e) && f->is_leaf(*e, level) && whole) {
			replace_entry(pt, e,
				      flags < 0 ? 0 : f->make_leaf(f->pte_addr(*e), (unsigned)flags, level),
				      va, bsize);
		} else if (f->is_valid(*e)) {
			if (f->is_leaf(*e, level))
				err = split_leaf(pt, e, level, va);
			if (!err)
				err = change_level(pt, f->pte_addr(*e), level - 1, va, chunk, flags);
			if (flags < 0 && !pinned(pt, level, e - t) &&
			    table_empty(pt, f->pte_addr(*e))) {
				pt->ops->free_table(pt->ops->ctx, f->pte_addr(*e));
				*e = 0;
				flush(pt, va, chunk - va + 1);
			}
			if (err)
				return err;
		}
		if (chunk == last)
			return 0;
		va = chunk + 1;
	}
}

int pt_unmap(struct pagetable *pt, vaddr_t va, size_t size)
{
	vaddr_t last;
	int err = check_range(pt, va, size, &last);

	if (err)
		return err;
	return change_level(pt, pt->root, pt->fmt->levels - 1, va, last, -1);
}

int pt_protect(struct pagetable *pt, vaddr_t va, size_t size, unsigned flags)
{
	vaddr_t last;
	int err = check_flags(flags);

	if (!err)
		err = check_range(pt, va, size, &last);
	if (err)
		return err;
	if (!any_mapped(pt, va, last, true))
		return -ENOENT;
	return change_level(pt, pt->root, pt->fmt->levels - 1, va, last, (int)flags);
}

int pt_query(const struct pagetable *pt, vaddr_t va, paddr_t *pa, unsigned *flags,
	     size_t *leaf_size)
{
	unsigned level;
	pte_t *e;
	uint64_t bsize;

	if (!canonical(pt->fmt, va))
		return -EINVAL;
	e = walk(pt, va, &level);
	if (!pt->fmt->is_valid(*e) || !pt->fmt->is_leaf(*e, level))
		return -ENOENT;
	bsize = pt_level_size(pt->fmt, level);
	if (pa)
		*pa = pt->fmt->pte_addr(*e) + (va & (bsize - 1));
	if (flags)
		*flags = pt->fmt->pte_flags(*e);
	if (leaf_size)
		*leaf_size = (size_t)bsize;
	return 0;
}

int pt_pin_root(struct pagetable *pt, unsigned first, unsigned last)
{
	const struct pt_format *f = pt->fmt;
	pte_t *root = table(pt, pt->root);
	paddr_t tpa;

	if (first > last || last > pt_entries(f) || pt->pin_last > pt->pin_first)
		return -EINVAL;
	pt->pin_first = first;
	pt->pin_last = first;
	for (unsigned i = first; i < last; i++) {
		if (f->is_valid(root[i]) && f->is_leaf(root[i], f->levels - 1))
			return -EINVAL; /* a root-level leaf cannot be shared as a table */
		if (!f->is_valid(root[i])) {
			if (pt->ops->alloc_table(pt->ops->ctx, &tpa))
				return -ENOMEM;
			root[i] = f->make_table(tpa);
		}
		pt->pin_last = i + 1;
	}
	return 0;
}
