/* SPDX-License-Identifier: MIT */
/*
 * Architecture-neutral page-table logic (core/mm/pagetable.c): map, unmap, protect and query
 * ranges of a multi-level radix table with portable flags. The architecture describes its
 * table format (struct pt_format: levels, index bits, how a PTE encodes an address and
 * flags) and supplies table memory and TLB maintenance (struct pt_ops); tests supply
 * in-memory fakes of both.
 *
 * Levels are numbered from the leaves: level 0 maps PAGE-sized pages, level L maps blocks
 * of 2^(page_shift + L * bits_per_level) bytes, level (levels - 1) is the root. A block is
 * mapped with one large leaf when the format allows leaves at that level and the virtual
 * address, physical address and remaining size are all aligned to it.
 *
 * W^X is enforced here, for every format: a mapping asking for PT_WRITE | PT_EXEC is
 * refused with -EPERM.
 */
#ifndef KEEL_KERNEL_PAGETABLE_H
#define KEEL_KERNEL_PAGETABLE_H

#include <kernel/compiler.h>
#include <kernel/types.h>

/* Portable mapping flags. */
#define PT_READ   (1u << 0)
#define PT_WRITE  (1u << 1)
#define PT_EXEC   (1u << 2)
#define PT_USER   (1u << 3)  /* accessible from user mode */
#define PT_GLOBAL (1u << 4)  /* same in every address space: not tagged with an ASID */
#define PT_DEVICE (1u << 5)  /* device memory: uncached, no speculation, no merging */
#define PT_FLAGS_ALL (PT_READ | PT_WRITE | PT_EXEC | PT_USER | PT_GLOBAL | PT_DEVICE)

#define PT_MAX_LEVELS 5

typedef uint64_t pte_t;

/* How an architecture's tables look. Entries are 64-bit; a table holds 2^bits_per_level. */
struct pt_format {
	const char *name;
	unsigned levels;          /* 2..PT_MAX_LEVELS */
	unsigned page_shift;      /* 12 for 4 KiB pages */
	unsigned bits_per_level;  /* index bits per level: 9 for 4 KiB tables of 8-byte PTEs */
	uint32_t leaf_levels;     /* bit L set: leaves allowed at level L (bit 0 must be set) */
	pte_t (*make_leaf)(paddr_t pa, unsigned flags, unsigned level);
	pte_t (*make_table)(paddr_t table_pa);
	bool (*is_valid)(pte_t pte);
	bool (*is_leaf)(pte_t pte, unsigned level);   /* valid entry that maps memory */
	paddr_t (*pte_addr)(pte_t pte);                /* leaf output address or table address */
	unsigned (*pte_flags)(pte_t pte);              /* PT_* flags of a leaf */
	/* A live entry must be invalidated and its TLB entries flushed before it is replaced by
	 * a different valid one (arm64's break-before-make rule for block splits and memory-type
	 * changes). The range is briefly unmapped then: never split or retype a range the CPU
	 * is using while it does so (its own stack or these very tables). */
	bool break_before_make;
};

/* Where table pages come from, how to reach them, and TLB maintenance. */
struct pt_ops {
	int (*alloc_table)(void *ctx, paddr_t *pa); /* one zeroed table page: 0 or -ENOMEM */
	void (*free_table)(void *ctx, paddr_t pa);
	void *(*table_virt)(void *ctx, paddr_t pa);
	/* Invalidate translations of [va, va + size) after an entry changed, on every CPU that
	 * may hold them when it returns (the kernel's tables: all CPUs, _all; a user space: as
	 * vm_space.c decides); NULL: none. */
	void (*flush_tlb)(void *ctx, vaddr_t va, size_t size);
	void *ctx;
};

/*
 * The table memory every port's kernel tables use once the page allocator runs
 * (core/mm/pt_pmm.c): zeroed pmm pages, reached through hal_phys_to_virt(). A port's pt_ops
 * pairs them with its own flush_tlb.
 */
__must_check int pt_pmm_alloc_table(void *ctx, paddr_t *pa);
void pt_pmm_free_table(void *ctx, paddr_t pa);
void *pt_pmm_table_virt(void *ctx, paddr_t pa);

struct pagetable {
	const struct pt_format *fmt;
	const struct pt_ops *ops;
	paddr_t root;
	/* Root entries [pin_first, pin_last) always point at a table (pt_pin_root()). */
	unsigned pin_first, pin_last;
};

/* Allocate an empty root table. 0, -EINVAL for a format this code cannot walk, -ENOMEM. */
__must_check
int pt_init(struct pagetable *pt, const struct pt_format *fmt, const struct pt_ops *ops);

/*
 * Give every empty root entry in [@first, @last) a table and keep those tables for good:
 * unmapping never frees them. For the kernel half of an architecture whose user roots copy
 * the kernel's root entries (kernel/hal.h, hal_mmu_separate_kernel_root()). 0, -EINVAL,
 * -ENOMEM (the tables allocated so far stay, pinned).
 */
__must_check int pt_pin_root(struct pagetable *pt, unsigned first, unsigned last);

/* Free every table page below the root entries [@first, @last) and, when they are the whole
 * root, the root. Mapped frames are not freed: they belong to whoever mapped them. */
void pt_destroy(struct pagetable *pt);
void pt_destroy_range(struct pagetable *pt, unsigned first, unsigned last);

/*
 * Map [@va, @va + @size) to physical [@pa, ...) with @flags, using large leaves where
 * aligned. All-or-nothing: -EINVAL (unaligned, empty, wrapping, non-canonical, unknown
 * flags, PT_WRITE without PT_READ), -EPERM (PT_WRITE | PT_EXEC), -EEXIST (some page already
 * mapped), -ENOMEM (table allocation failed; what was mapped is undone).
 */
__must_check int pt_map(struct pagetable *pt, vaddr_t va, paddr_t pa, size_t size, unsigned flags);

/* Unmap whatever is mapped in [@va, @va + @size), splitting large leaves that straddle its
 * edges and freeing tables left empty. 0, -EINVAL, -ENOMEM (a split failed; the pages before
 * it are unmapped). */
__must_check int pt_unmap(struct pagetable *pt, vaddr_t va, size_t size);

/* Change the flags of every page in [@va, @va + @size), which must all be mapped (-ENOENT
 * otherwise, nothing changed). Same flag rules as pt_map(). -ENOMEM when a split failed. */
__must_check int pt_protect(struct pagetable *pt, vaddr_t va, size_t size, unsigned flags);

/* Translate @va: 0 with the physical address, flags and leaf size (each may be NULL), or
 * -ENOENT when unmapped / -EINVAL when not canonical. */
__must_check int pt_query(const struct pagetable *pt, vaddr_t va, paddr_t *pa, unsigned *flags,
	     size_t *leaf_size);

/* Bytes one entry at @level maps. */
static inline uint64_t pt_level_size(const struct pt_format *fmt, unsigned level)
{
	return (uint64_t)1 << (fmt->page_shift + level * fmt->bits_per_level);
}

/* Entries per table. */
static inline unsigned pt_entries(const struct pt_format *fmt)
{
	return 1u << fmt->bits_per_level;
}

#endif
