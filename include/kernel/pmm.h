/* SPDX-License-Identifier: MIT */
/*
 * Physical memory manager: a buddy allocator of 4 KiB page frames (core/mm/pmm.c).
 *
 * Memory is described as ranges, each on one NUMA node (the caller says which), minus
 * reserved ranges. Free blocks of 2^order pages (order 0..PMM_MAX_ORDER) sit on one free
 * list per order per node. Single pages go through a small per-CPU cache first so the
 * common case takes no lock. Every free is checked: freeing a page that is not the head of
 * an allocated block (double free, a pointer into the middle of a block, an address the
 * allocator never owned, the wrong order) is reported and refused, never absorbed.
 *
 * Physical page 0 is never handed out, so 0 is never a valid result.
 */
#ifndef KEEL_KERNEL_PMM_H
#define KEEL_KERNEL_PMM_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct boot_info;

#define PAGE_SHIFT 12
#define PAGE_SIZE  ((size_t)1 << PAGE_SHIFT)

#define PMM_MAX_ORDER  10  /* largest block: 2^10 pages = 4 MiB */
#define PMM_NR_ORDERS  (PMM_MAX_ORDER + 1)
#define PMM_MAX_NODES  4
#define PMM_MAX_SPANS  32  /* contiguous ranges with page descriptors */
#define PMM_MAX_RESERVED 48
#define PMM_NODE_ANY   (-1)

/* Per-CPU single-page cache: refilled / drained PMM_PCP_BATCH pages at a time. */
#define PMM_PCP_SIZE   32
#define PMM_PCP_BATCH  16

struct pmm_node_stats {
	uint64_t ram_pages;     /* RAM the firmware reported on this node (that we can map) */
	uint64_t total_pages;   /* pages managed (excludes reserved and metadata) */
	uint64_t free_pages;    /* in the buddy lists or a per-CPU cache */
	uint64_t cached_pages;  /* of free_pages, how many sit in per-CPU caches */
	uint64_t free_blocks[PMM_NR_ORDERS];  /* free blocks per order (buddy lists) */
	uint64_t used_blocks[PMM_NR_ORDERS];  /* allocated blocks per order */
};

/* ---- Setup: describe memory, then commit ---- */

/* Forget everything (host tests start over; the kernel calls it once). */
void pmm_reset(void);

/* Add RAM [@base, @base + @size) on NUMA node @node. Unaligned edges are trimmed.
 * -EINVAL for a bad node, -ENOSPC when the span table is full, -EBUSY after pmm_commit(). */
__must_check int pmm_add_range(paddr_t base, uint64_t size, unsigned node);

/* Never hand out [@base, @base + @size) (rounded out to whole pages). Overlaps allowed. */
__must_check int pmm_reserve(paddr_t base, uint64_t size);

/*
 * Carve the page descriptors out of each range, then free every page that is not
 * reserved into the buddy lists. Ranges whose memory hal_phys_to_virt() cannot reach
 * are trimmed to what it can. Returns 0, or -ENOMEM when no range could hold its metadata.
 */
__must_check int pmm_commit(void);

/* The kernel's setup from the boot information: usable RAM minus reserved regions, the
 * kernel image, the DTB and page 0, on the nodes of bi->numa (x86-64's SRAT), else node 0. */
__must_check int pmm_init_from_bootinfo(const struct boot_info *bi);

/* The same from a platform description (the DT ports): its RAM on its NUMA nodes; its
 * reserved and no-map ranges, the kernel image, the DTB (from @bi) and page 0 never handed
 * out; the boot CPU's node preferred. */
struct platform;
__must_check int pmm_init_from_platform(const struct platform *p, const struct boot_info *bi);

/* ---- Allocation ---- */

/* Allocate 2^@order contiguous, naturally aligned pages, preferring @node (PMM_NODE_ANY:
 * the calling CPU's node), then the other nodes. 0 and *@pa set, or -ENOMEM / -EINVAL. */
__must_check int pmm_alloc_node(unsigned order, int node, paddr_t *pa);

/* pmm_alloc_node() from the calling CPU's node. */
__must_check int pmm_alloc(unsigned order, paddr_t *pa);

/* Return a block. 0, or -EFAULT (not a block head the allocator handed out: foreign
 * address, double free, middle of a block) / -EINVAL (wrong order); nothing changes then. */
int pmm_free(paddr_t pa, unsigned order);

/* ---- NUMA and CPUs ---- */

/* Node of CPU @cpu (a cpu_index()); 0 until set. */
void pmm_set_cpu_node(unsigned cpu, unsigned node);
unsigned pmm_cpu_node(unsigned cpu);

/* Physical address of @va inside memory this allocator manages (its hal_phys_to_virt()
 * view): 0, or -ENOENT. Lets the heap give pages back without a HAL virt-to-phys call. */
__must_check int pmm_virt_to_phys(const void *va, paddr_t *pa);

/* Node owning @pa, or -ENOENT. */
int pmm_node_of(paddr_t pa);

/* Give this CPU's cached pages back to the buddy lists (CPU going offline, tests). */
void pmm_drain_cpu_cache(unsigned cpu);

/* ---- Statistics ---- */

unsigned pmm_node_count(void);  /* 1 + highest node with memory, 0 before commit */
void pmm_get_stats(unsigned node, struct pmm_node_stats *out);
uint64_t pmm_free_pages(void);   /* all nodes, caches included */
uint64_t pmm_total_pages(void);
uint64_t pmm_error_count(void);  /* refused frees and other reported misuse */

/* Print totals per node and the per-order free/used counts through kprintf. */
void pmm_print_stats(void);

#endif
