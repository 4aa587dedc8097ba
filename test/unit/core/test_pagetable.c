// SPDX-License-Identifier: MIT
/* Host tests for core/mm/pagetable.c, vm_space.c and asid.c on fake formats and a fake MMU. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/asid.h>
#include <kernel/errno.h>
#include <kernel/io_window.h>
#include <kernel/kmalloc.h>
#include <kernel/pagetable.h>
#include <kernel/percpu.h>
#include <kernel/pmm.h>
#include <kernel/vm_space.h>
#include "../fake_hal.h"

#define KiB ((uint64_t)1 << 10)
#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)

/* ---- x86-64-like: 4 levels of 9 bits, leaves at 4K/2M/1G, P W U PS G NX, PCD = device ---- */

#define X_P   (1ull << 0)
#define X_W   (1ull << 1)
#define X_U   (1ull << 2)
#define X_PCD (1ull << 4)
#define X_PS  (1ull << 7)
#define X_G   (1ull << 8)
#define X_NX  (1ull << 63)
#define X_ADDR 0x000ffffffffff000ull

static pte_t x_leaf(paddr_t pa, unsigned f, unsigned level)
{
	pte_t e = pa | X_P | (level ? X_PS : 0);

	e |= (f & PT_WRITE ? X_W : 0) | (f & PT_USER ? X_U : 0) | (f & PT_GLOBAL ? X_G : 0);
	e |= (f & PT_DEVICE ? X_PCD : 0) | (f & PT_EXEC ? 0 : X_NX);
	return e;
}

static pte_t x_table(paddr_t pa) { return pa | X_P | X_W | X_U; }
static bool x_valid(pte_t e) { return e & X_P; }
static bool x_is_leaf(pte_t e, unsigned level) { return (e & X_P) && (level == 0 || (e & X_PS)); }
static paddr_t x_addr(pte_t e) { return e & X_ADDR; }

static unsigned x_flags(pte_t e)
{
	return PT_READ | (e & X_W ? PT_WRITE : 0) | (e & X_U ? PT_USER : 0) |
	       (e & X_G ? PT_GLOBAL : 0) | (e & X_PCD ? PT_DEVICE : 0) | (e & X_NX ? 0 : PT_EXEC);
}

static const struct pt_format x86ish = {
	"x86-like", 4, 12, 9, 0x7, x_leaf, x_table, x_valid, x_is_leaf, x_addr, x_flags, false,
};

/* ---- Sv39-like: 3 levels, V R W X U G, PPN at bit 10, leaf when R|W|X, bit 61 = device ---- */

#define S_V (1ull << 0)
#define S_R (1ull << 1)
#define S_W (1ull << 2)
#define S_X (1ull << 3)
#define S_U (1ull << 4)
#define S_G (1ull << 5)
#define S_IO (1ull << 61)

static pte_t s_leaf(paddr_t pa, unsigned f, unsigned level)
{
	(void)level;
	return ((pa >> 12) << 10) | S_V | (f & PT_READ ? S_R : 0) | (f & PT_WRITE ? S_W : 0) |
	       (f & PT_EXEC ? S_X : 0) | (f & PT_USER ? S_U : 0) | (f & PT_GLOBAL ? S_G : 0) |
	       (f & PT_DEVICE ? S_IO : 0);
}

static pte_t s_table(paddr_t pa) { return ((pa >> 12) << 10) | S_V; }
static bool s_valid(pte_t e) { return e & S_V; }
static bool s_is_leaf(pte_t e, unsigned level) { (void)level; return (e & S_V) && (e & (S_R | S_W | S_X)); }
static paddr_t s_addr(pte_t e) { return ((e >> 10) & ((1ull << 44) - 1)) << 12; }

static unsigned s_flags(pte_t e)
{
	return (e & S_R ? PT_READ : 0) | (e & S_W ? PT_WRITE : 0) | (e & S_X ? PT_EXEC : 0) |
	       (e & S_U ? PT_USER : 0) | (e & S_G ? PT_GLOBAL : 0) | (e & S_IO ? PT_DEVICE : 0);
}

static const struct pt_format sv39ish = {
	"sv39-like", 3, 12, 9, 0x7, s_leaf, s_table, s_valid, s_is_leaf, s_addr, s_flags, false,
};

/* ---- Fake table memory: malloc'd pages whose "physical" address is their address ---- */

struct fake_mem {
	int live;        /* table pages currently allocated */
	int fail_after;  /* allocations left before -ENOMEM; < 0: never fail */
	int flushes;
};

static int fm_alloc(void *ctx, paddr_t *pa)
{
	struct fake_mem *m = ctx;
	void *p;

	if (m->fail_after == 0)
		return -ENOMEM;
	if (m->fail_after > 0)
		m->fail_after--;
	p = aligned_alloc(4096, 4096);
	memset(p, 0, 4096);
	m->live++;
	*pa = (paddr_t)(uintptr_t)p;
	return 0;
}

static void fm_free(void *ctx, paddr_t pa)
{
	((struct fake_mem *)ctx)->live--;
	free((void *)(uintptr_t)pa);
}

static void *fm_virt(void *ctx, paddr_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa;
}

static void fm_flush(void *ctx, vaddr_t va, size_t size)
{
	(void)va;
	(void)size;
	((struct fake_mem *)ctx)->flushes++;
}

static struct fake_mem mem;
static const struct pt_ops ops = { fm_alloc, fm_free, fm_virt, fm_flush, &mem };

static const struct pt_format *formats[] = { &x86ish, &sv39ish };

static void reset_mem(void)
{
	mem.live = 0;
	mem.fail_after = -1;
	mem.flushes = 0;
}

/* ---- Tests, each run on both formats ---- */

static void map_query_unmap_round_trip(const struct pt_format *f)
{
	struct pagetable pt;
	paddr_t pa;
	unsigned flags;
	size_t sz;

	reset_mem();
	assert_int_equal(pt_init(&pt, f, &ops), 0);
	assert_int_equal(pt_map(&pt, 0x400000, 0x12345000, 3 * 4096, PT_READ | PT_WRITE), 0);
	assert_int_equal(pt_query(&pt, 0x401234, &pa, &flags, &sz), 0);
	assert_int_equal(pa, 0x12346234);
	assert_int_equal(flags & (PT_READ | PT_WRITE | PT_EXEC), PT_READ | PT_WRITE);
	assert_int_equal(sz, 4096);
	assert_int_equal(pt_query(&pt, 0x403000, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_map(&pt, 0x402000, 0x1000, 4096, PT_READ), -EEXIST);
	assert_int_equal(pt_unmap(&pt, 0x401000, 4096), 0);
	assert_int_equal(pt_query(&pt, 0x401000, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_query(&pt, 0x402000, &pa, NULL, NULL), 0);
	assert_int_equal(pt_unmap(&pt, 0x400000, 3 * 4096), 0);
	assert_int_equal(mem.live, 1); /* empty tables freed: only the root is left */
	assert_true(mem.flushes > 0);
	pt_destroy(&pt);
	assert_int_equal(mem.live, 0);
}

static void wx_and_bad_arguments_are_rejected(const struct pt_format *f)
{
	struct pagetable pt;

	reset_mem();
	assert_int_equal(pt_init(&pt, f, &ops), 0);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 4096, PT_READ | PT_WRITE | PT_EXEC), -EPERM);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 4096, PT_READ | PT_EXEC), 0);
	assert_int_equal(pt_protect(&pt, 0x1000, 4096, PT_READ | PT_WRITE | PT_EXEC), -EPERM);
	assert_int_equal(pt_map(&pt, 0x1800, 0x1000, 4096, PT_READ), -EINVAL);
	assert_int_equal(pt_map(&pt, 0x3000, 0x1000, 0, PT_READ), -EINVAL);
	assert_int_equal(pt_map(&pt, 0x3000, 0x1000, 4096, PT_WRITE), -EINVAL);
	assert_int_equal(pt_map(&pt, 0x3000, 0x1000, 4096, 1u << 20), -EINVAL);
	/* Not canonical for this format's address width. */
	assert_int_equal(pt_map(&pt, (vaddr_t)1 << 60, 0x1000, 4096, PT_READ), -EINVAL);
	assert_int_equal(pt_protect(&pt, 0x5000, 4096, PT_READ), -ENOENT);
	pt_destroy(&pt);
	assert_int_equal(mem.live, 0);
}

static void large_pages_used_when_aligned_and_split_on_protect(const struct pt_format *f)
{
	struct pagetable pt;
	paddr_t pa;
	unsigned flags;
	size_t sz;
	int tables;

	reset_mem();
	assert_int_equal(pt_init(&pt, f, &ops), 0);
	/* 2 MiB-aligned va and pa, 4 MiB + 4 KiB: two large leaves and one page. */
	assert_int_equal(pt_map(&pt, 0x40000000, 0x80000000, 4 * MiB + 4096, PT_READ | PT_WRITE), 0);
	assert_int_equal(pt_query(&pt, 0x40000000 + 5, &pa, NULL, &sz), 0);
	assert_int_equal(sz, 2 * MiB);
	assert_int_equal(pa, 0x80000005);
	assert_int_equal(pt_query(&pt, 0x40400000, NULL, NULL, &sz), 0);
	assert_int_equal(sz, 4096);
	/* Misaligned pa: no large page possible. */
	assert_int_equal(pt_map(&pt, 0x60000000, 0x80001000, 2 * MiB, PT_READ), 0);
	assert_int_equal(pt_query(&pt, 0x60000000, NULL, NULL, &sz), 0);
	assert_int_equal(sz, 4096);
	/* 1 GiB leaf at the level above. */
	assert_int_equal(pt_map(&pt, 4 * GiB, 2 * GiB, GiB, PT_READ | PT_GLOBAL), 0);
	assert_int_equal(pt_query(&pt, 4 * GiB + 12345 * 4096, &pa, &flags, &sz), 0);
	assert_int_equal(sz, GiB);
	assert_int_equal(pa, 2 * GiB + 12345 * 4096);
	assert_true(flags & PT_GLOBAL);
	/* Making one page of the first 2 MiB leaf read-only splits it; the rest stays RW. */
	tables = mem.live;
	assert_int_equal(pt_protect(&pt, 0x40001000, 4096, PT_READ), 0);
	assert_int_equal(mem.live, tables + 1);
	assert_int_equal(pt_query(&pt, 0x40001000, &pa, &flags, &sz), 0);
	assert_int_equal(sz, 4096);
	assert_int_equal(pa, 0x80001000);
	assert_false(flags & PT_WRITE);
	assert_int_equal(pt_query(&pt, 0x40002000, &pa, &flags, NULL), 0);
	assert_int_equal(pa, 0x80002000);
	assert_true(flags & PT_WRITE);
	/* Unmapping the middle of the 1 GiB leaf splits it down to pages. */
	assert_int_equal(pt_unmap(&pt, 4 * GiB + 3 * MiB, 4096), 0);
	assert_int_equal(pt_query(&pt, 4 * GiB + 3 * MiB, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_query(&pt, 4 * GiB + 3 * MiB + 4096, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 2 * GiB + 3 * MiB + 4096);
	assert_int_equal(pt_query(&pt, 4 * GiB + 900 * MiB, &pa, NULL, &sz), 0);
	assert_int_equal(sz, 2 * MiB);
	pt_destroy(&pt);
	assert_int_equal(mem.live, 0);
}

static void failed_map_leaves_nothing_behind(const struct pt_format *f)
{
	struct pagetable pt;

	reset_mem();
	assert_int_equal(pt_init(&pt, f, &ops), 0);
	mem.fail_after = 2;
	/* Needs tables under two different top-level/mid entries: runs out part way. */
	assert_int_equal(pt_map(&pt, 0x3ff000, 0x1000, 2 * 4096 + 2 * MiB, PT_READ), -ENOMEM);
	mem.fail_after = -1;
	assert_int_equal(pt_query(&pt, 0x3ff000, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(mem.live, 1);
	pt_destroy(&pt);
}

static void device_and_user_flags_survive(const struct pt_format *f)
{
	struct pagetable pt;
	unsigned flags;

	reset_mem();
	assert_int_equal(pt_init(&pt, f, &ops), 0);
	assert_int_equal(pt_map(&pt, 0x9000, 0x9000000, 4096, PT_READ | PT_WRITE | PT_DEVICE), 0);
	assert_int_equal(pt_map(&pt, 0xa000, 0x1000, 4096, PT_READ | PT_USER | PT_EXEC), 0);
	assert_int_equal(pt_query(&pt, 0x9000, NULL, &flags, NULL), 0);
	assert_int_equal(flags, PT_READ | PT_WRITE | PT_DEVICE);
	assert_int_equal(pt_query(&pt, 0xa000, NULL, &flags, NULL), 0);
	assert_int_equal(flags, PT_READ | PT_USER | PT_EXEC);
	pt_destroy(&pt);
}

/* Upper half of a 3- or 4-level space: sign-extended addresses. */
static void upper_half_addresses_map(const struct pt_format *f)
{
	struct pagetable pt;
	unsigned va_bits = 12 + 9 * f->levels;
	vaddr_t top = ~(vaddr_t)0 << (va_bits - 1); /* first upper-half address */
	paddr_t pa;

	reset_mem();
	assert_int_equal(pt_init(&pt, f, &ops), 0);
	assert_int_equal(pt_map(&pt, top + 0x100000, 0x200000, 4096, PT_READ), 0);
	assert_int_equal(pt_query(&pt, top + 0x100000, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x200000);
	assert_int_equal(pt_map(&pt, ~(vaddr_t)0 - 4095, 0x1000, 4096, PT_READ), 0);
	/* A range that crosses from the lower half's end into the hole is refused. */
	assert_int_equal(pt_map(&pt, ((vaddr_t)1 << (va_bits - 1)) - 4096, 0x1000, 8192, PT_READ), -EINVAL);
	pt_destroy(&pt);
	assert_int_equal(mem.live, 0);
}

#define BOTH(fn) \
	static void fn##_both(void **state) { (void)state; for (int i = 0; i < 2; i++) fn(formats[i]); }

BOTH(map_query_unmap_round_trip)
BOTH(wx_and_bad_arguments_are_rejected)
BOTH(large_pages_used_when_aligned_and_split_on_protect)
BOTH(failed_map_leaves_nothing_behind)
BOTH(device_and_user_flags_survive)
BOTH(upper_half_addresses_map)

/* ---- Break-before-make: a live entry is invalidated and flushed before it changes ---- */

static const struct pagetable *watch_pt;
static vaddr_t watch_va;
static unsigned flushes_seeing_unmapped;

static void watching_flush(void *ctx, vaddr_t va, size_t size)
{
	(void)ctx;
	if (watch_va - va < size && pt_query(watch_pt, watch_va, NULL, NULL, NULL) == -ENOENT)
		flushes_seeing_unmapped++;
}

static unsigned bbm_breaks_seen(bool bbm)
{
	struct pt_format f = x86ish;
	struct pt_ops wops = ops;
	struct pagetable pt;
	unsigned f2;

	f.break_before_make = bbm;
	wops.flush_tlb = watching_flush;
	reset_mem();
	assert_int_equal(pt_init(&pt, &f, &wops), 0);
	assert_int_equal(pt_map(&pt, 0x40000000, 0x200000, 2 * MiB, PT_READ | PT_WRITE), 0);
	watch_pt = &pt;
	watch_va = 0x40000000 + 8 * KiB; /* a page that stays mapped throughout */
	flushes_seeing_unmapped = 0;
	/* Split the 2 MiB block (a live leaf becomes a table), then retype one page. */
	assert_int_equal(pt_protect(&pt, 0x40000000 + 4 * KiB, 4 * KiB, PT_READ), 0);
	assert_int_equal(pt_protect(&pt, watch_va, 4 * KiB, PT_READ | PT_WRITE | PT_DEVICE), 0);
	assert_int_equal(pt_query(&pt, watch_va, NULL, &f2, NULL), 0);
	assert_int_equal(f2 & PT_DEVICE, PT_DEVICE);
	pt_destroy(&pt);
	assert_int_equal(mem.live, 0);
	return flushes_seeing_unmapped;
}

static void break_before_make_when_the_format_asks(void **state)
{
	(void)state;
	assert_int_equal(bbm_breaks_seen(true), 2);  /* the split and the retype */
	assert_int_equal(bbm_breaks_seen(false), 0); /* x86: replace in place, then flush */
}

/* ---- io_window: device mappings recorded, spaced, reused and replayed ---- */

static void io_window_maps_reuses_spaces_and_replays(void **state)
{
	(void)state;
	const vaddr_t kva = ~(vaddr_t)0 << 47;
	struct io_window w = { .base = kva, .size = 64 * MiB };
	struct pagetable pt, again;
	uintptr_t a, b, c, big;
	paddr_t pa;
	unsigned f;

	reset_mem();
	assert_int_equal(pt_init(&pt, &x86ish, &ops), 0);
	/* Unaligned address and size: whole pages mapped, the offset kept. */
	a = (uintptr_t)io_window_map(&w, &pt, 0x9000123, 0x10, true);
	assert_int_equal(a, kva + 0x123);
	assert_int_equal(pt_query(&pt, a, &pa, &f, NULL), 0);
	assert_int_equal(pa, 0x9000123);
	assert_int_equal(f & (PT_WRITE | PT_EXEC | PT_DEVICE | PT_GLOBAL),
			 PT_WRITE | PT_DEVICE | PT_GLOBAL);
	/* A request inside a recorded range gets the same mapping. */
	assert_int_equal((uintptr_t)io_window_map(&w, &pt, 0x9000ff0, 0x10, true), kva + 0xff0);
	/* Crossing a page: two pages; the next mapping starts after an unmapped gap page. */
	b = (uintptr_t)io_window_map(&w, &pt, 0xa000ffc, 8, true);
	assert_int_equal(b, kva + 2 * 4096 + 0xffc);
	assert_int_equal(pt_query(&pt, kva + 4096, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pt_query(&pt, b + 4, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0xa001000);
	/* 2 MiB or more starts 2 MiB aligned (large leaves possible). */
	big = (uintptr_t)io_window_map(&w, &pt, 0x40000000, 2 * MiB, true);
	assert_int_equal(big, kva + 2 * MiB);
	c = (uintptr_t)io_window_map(&w, &pt, 0x3000, 4096, true);
	assert_int_equal(c, kva + 4 * MiB + 4096);
	assert_int_equal(w.count, 4);
	/* Bad requests: wrapping, bigger than what is left of the window. */
	assert_null(io_window_map(&w, &pt, ~(paddr_t)0 - 10, 100, true));
	assert_null(io_window_map(&w, &pt, 0x80000000, 64 * MiB, true));
	assert_int_equal(w.count, 4);
	/* Records full: refused when the mapping must survive, else mapped and counted. */
	w.count = IO_WINDOW_RECORDS;
	assert_null(io_window_map(&w, &pt, 0x5000, 4096, true));
	assert_non_null(io_window_map(&w, &pt, 0x5000, 4096, false));
	assert_int_equal(w.unrecorded, 1);
	w.count = 4;
	/* Replay into other tables: every recorded range at the same address. */
	assert_int_equal(pt_init(&again, &x86ish, &ops), 0);
	assert_int_equal(io_window_replay(&w, &again), 0);
	assert_int_equal(pt_query(&again, b + 4, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0xa001000);
	assert_int_equal(pt_query(&again, big + MiB, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x40000000 + MiB);
	pt_destroy(&again);
	pt_destroy(&pt);
	assert_int_equal(mem.live, 0);
}

/* ---- pt_pin_root: kernel-half root entries that unmapping never frees ---- */

static void pinned_root_entries_survive_unmap(void **state)
{
	(void)state;
	struct pagetable pt;
	vaddr_t kva = ~(vaddr_t)0 << 47; /* root entry 256 */
	pte_t *root;

	reset_mem();
	assert_int_equal(pt_init(&pt, &x86ish, &ops), 0);
	assert_int_equal(pt_pin_root(&pt, 300, 256), -EINVAL);
	assert_int_equal(pt_pin_root(&pt, 256, 513), -EINVAL);
	assert_int_equal(pt_map(&pt, kva, 0x200000, 4096, PT_READ), 0); /* 3 tables */
	assert_int_equal(mem.live, 4);
	assert_int_equal(pt_pin_root(&pt, 256, 512), 0);
	assert_int_equal(mem.live, 4 + 255); /* every other kernel-half entry got a table */
	assert_int_equal(pt_pin_root(&pt, 256, 512), -EINVAL); /* once */
	root = fm_virt(NULL, pt.root);
	assert_int_equal(pt_unmap(&pt, kva, 4096), 0);
	assert_true(x_valid(root[256]));     /* pinned: kept, though empty */
	assert_int_equal(mem.live, 1 + 256); /* the two tables below it went */
	/* A lower-half table is not pinned and goes when empty. */
	assert_int_equal(pt_map(&pt, 0x400000, 0x200000, 4096, PT_READ), 0);
	assert_true(x_valid(root[0]));
	assert_int_equal(pt_unmap(&pt, 0x400000, 4096), 0);
	assert_false(x_valid(root[0]));
	pt_destroy(&pt);
	assert_int_equal(mem.live, 0);
}

/* ---- Address spaces over a fake MMU (the HAL's MMU functions, recorded) ---- */

static struct {
	struct pagetable *kernel;  /* hal_kernel_pagetable() */
	bool separate_root;
	unsigned asid_count;
	paddr_t root;              /* last hal_mmu_switch() */
	unsigned asid;
	unsigned switches;
	unsigned range_flushes, last_range_asid, local_range_flushes;
	unsigned asid_flushes, last_flushed_asid, local_asid_flushes;
} mmu;

static struct per_cpu cpus[2] = { { .index = 0 }, { .index = 1 } };
static struct per_cpu *cpu_now = &cpus[0];

struct per_cpu *hal_this_cpu(void) { return cpu_now; }
struct pagetable *hal_kernel_pagetable(void) { return mmu.kernel; }
bool hal_mmu_separate_kernel_root(void) { return mmu.separate_root; }
unsigned hal_mmu_asid_count(void) { return mmu.asid_count; }

void hal_mmu_switch(paddr_t root, unsigned asid)
{
	mmu.root = root;
	mmu.asid = asid;
	mmu.switches++;
}

/* Every flush is counted; the _local ones also in their own count. */
void hal_tlb_flush_range_all(unsigned asid, vaddr_t va, size_t size)
{
	(void)va;
	(void)size;
	mmu.range_flushes++;
	mmu.last_range_asid = asid;
}

void hal_tlb_flush_range_local(unsigned asid, vaddr_t va, size_t size)
{
	mmu.local_range_flushes++;
	hal_tlb_flush_range_all(asid, va, size);
}

void hal_tlb_flush_asid_all(unsigned asid)
{
	mmu.asid_flushes++;
	mmu.last_flushed_asid = asid;
}

void hal_tlb_flush_asid_local(unsigned asid)
{
	mmu.local_asid_flushes++;
	hal_tlb_flush_asid_all(asid);
}

static struct pagetable kernel_pt;
static const vaddr_t kva = ~(vaddr_t)0 << 47;

/* A kernel table with one mapping and a pinned upper half, as x86-64/riscv64 ports make it. */
static void mmu_setup(bool separate_root, unsigned asid_count)
{
	reset_mem();
	memset(&mmu, 0, sizeof(mmu));
	memset(cpus, 0, sizeof(cpus));
	cpus[1].index = 1;
	cpu_now = &cpus[0];
	fake_hal_arena_init(0, 4 * MiB);
	pmm_reset();
	assert_int_equal(pmm_add_range(0, 4 * MiB, 0), 0);
	assert_int_equal(pmm_commit(), 0);
	assert_int_equal(kmalloc_init(), 0);
	assert_int_equal(pt_init(&kernel_pt, &x86ish, &ops), 0);
	assert_int_equal(pt_map(&kernel_pt, kva, 0x100000, 4096, PT_READ | PT_GLOBAL), 0);
	if (!separate_root)
		assert_int_equal(pt_pin_root(&kernel_pt, 256, 512), 0);
	mmu.kernel = &kernel_pt;
	mmu.separate_root = separate_root;
	mmu.asid_count = asid_count;
}

static void mmu_teardown(void)
{
	pt_destroy(&kernel_pt);
	assert_int_equal(mem.live, 0);
	fake_hal_arena_free();
}

static void vm_space_needs_kernel_tables(void **state)
{
	(void)state;
	struct vm_space *vs = (void *)1;

	memset(&mmu, 0, sizeof(mmu));
	assert_int_equal(vm_space_create(&vs), -ENOSYS);
	assert_null(vs);
	assert_int_equal(vm_space_switch(NULL), -ENOSYS);
}

static void vm_space_shares_kernel_half(void **state)
{
	(void)state;
	struct vm_space *a, *b;
	int live0;
	paddr_t pa;

	mmu_setup(false, 1);
	live0 = mem.live;
	assert_int_equal(vm_space_create(&a), 0);
	assert_int_equal(vm_space_create(&b), 0);
	assert_int_equal(a->asid, 0); /* one id only: untagged */
	assert_int_equal(pt_query(&a->pt, kva, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x100000);
	/* The kernel maps more after the spaces exist: the pinned root entries show it. */
	assert_int_equal(pt_map(&kernel_pt, kva + 5 * GiB, 0x300000, 4096, PT_READ), 0);
	assert_int_equal(pt_query(&b->pt, kva + 5 * GiB, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x300000);
	assert_int_equal(vm_space_user_limit(a), (vaddr_t)1 << 47);
	assert_int_equal(vm_space_map(a, 0x10000, 0x5000, 4096, PT_READ | PT_WRITE), 0);
	assert_int_equal(pt_query(&b->pt, 0x10000, NULL, NULL, NULL), -ENOENT); /* private */
	assert_int_equal(vm_space_map(a, kva + 4096, 0x5000, 4096, PT_READ), -EFAULT);
	assert_int_equal(vm_space_map(a, ((vaddr_t)1 << 47) - 4096, 0x5000, 8192, PT_READ),
			 -EFAULT);
	assert_int_equal(vm_space_map(a, 0x20000, 0x5000, 4096, PT_READ | PT_GLOBAL), -EINVAL);
	assert_int_equal(vm_space_map(a, 0x20000, 0x5000, 4096, PT_READ | PT_WRITE | PT_EXEC),
			 -EPERM);
	assert_int_equal(vm_space_map_kernel_only(a, 0x20000, 0x5000, 4096, PT_READ | PT_USER),
			 -EINVAL);
	assert_true(kobject_get(&a->obj));
	vm_space_put(a);
	vm_space_put(a); /* last reference: user tables freed, kernel tables kept */
	vm_space_put(b);
	assert_int_equal(mem.live, live0 + 2); /* + the kernel's new mapping's two tables */
	assert_int_equal(pt_query(&kernel_pt, kva, NULL, NULL, NULL), 0);
	mmu_teardown();
}

static void vm_space_with_separate_kernel_root_copies_nothing(void **state)
{
	(void)state;
	struct vm_space *vs;
	const pte_t *root;

	mmu_setup(true, 256);
	assert_int_equal(vm_space_create(&vs), 0);
	root = vs->ops.table_virt(vs->ops.ctx, vs->pt.root);
	for (unsigned i = 0; i < 512; i++)
		assert_false(x_valid(root[i]));
	assert_int_equal(pt_query(&vs->pt, kva, NULL, NULL, NULL), -ENOENT);
	vm_space_put(vs);
	mmu_teardown();
}

static void vm_space_ids_are_handed_out_flushed_and_reused(void **state)
{
	(void)state;
	struct vm_space *vs[4];
	unsigned first;

	mmu_setup(true, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(vm_space_create(&vs[i]), 0);
	first = vs[0]->asid;
	assert_int_not_equal(first, 0);
	assert_int_not_equal(vs[1]->asid, 0);
	assert_int_not_equal(vs[2]->asid, 0);
	assert_int_not_equal(vs[0]->asid, vs[1]->asid);
	assert_int_not_equal(vs[1]->asid, vs[2]->asid);
	assert_int_not_equal(vs[0]->asid, vs[2]->asid);
	assert_int_equal(vs[3]->asid, 0); /* ids 1..3 taken: untagged */
	assert_int_equal(asid_in_use(), 3);
	/* A mapping change is flushed with the space's own id. */
	assert_int_equal(vm_space_map(vs[1], 0x10000, 0x5000, 4096, PT_READ), 0);
	assert_int_equal(vm_space_unmap(vs[1], 0x10000, 4096), 0);
	assert_true(mmu.range_flushes > 0);
	assert_int_equal(mmu.last_range_asid, vs[1]->asid);
	/* Freeing a space flushes its id before anyone gets it again. */
	mmu.asid_flushes = 0;
	vm_space_put(vs[0]);
	assert_int_equal(mmu.asid_flushes, 1);
	assert_int_equal(mmu.local_asid_flushes, 0); /* the id may be cached on any CPU */
	assert_int_equal(mmu.last_flushed_asid, first);
	assert_int_equal(asid_in_use(), 2);
	assert_int_equal(vm_space_create(&vs[0]), 0);
	assert_int_equal(vs[0]->asid, first);
	for (unsigned i = 0; i < 4; i++)
		vm_space_put(vs[i]);
	assert_int_equal(asid_in_use(), 0);
	mmu_teardown();
}

static void vm_space_switch_loads_root_and_holds_a_reference(void **state)
{
	(void)state;
	struct vm_space *tagged, *untagged;
	int live0;

	mmu_setup(false, 2);
	live0 = mem.live;
	assert_int_equal(vm_space_create(&tagged), 0);
	assert_int_equal(vm_space_create(&untagged), 0);
	assert_int_equal(tagged->asid, 1);
	assert_int_equal(untagged->asid, 0);
	assert_int_equal(vm_space_switch(tagged), 0);
	assert_int_equal(mmu.root, tagged->pt.root);
	assert_int_equal(mmu.asid, 1);
	assert_ptr_equal(vm_space_current(), tagged);
	assert_int_equal(vm_space_switch(tagged), 0);
	assert_int_equal(mmu.switches, 1); /* already loaded */
	vm_space_put(tagged); /* the CPU still holds it */
	assert_int_equal(mmu.root, tagged->pt.root);
	assert_int_equal(mem.live, live0 + 2);
	mmu.asid_flushes = 0;
	assert_int_equal(vm_space_switch(untagged), 0); /* drops the last ref to tagged */
	assert_int_equal(mmu.asid, 0);
	/* Id 0 flushed on entry (this CPU's TLB only), then tagged's id flushed on every CPU
	 * as it is freed. */
	assert_int_equal(mmu.asid_flushes, 2);
	assert_int_equal(mmu.local_asid_flushes, 1);
	assert_int_equal(mmu.last_flushed_asid, 1);
	assert_int_equal(asid_in_use(), 0);
	vm_space_put(untagged);
	assert_ptr_equal(vm_space_current(), untagged);
	assert_int_equal(vm_space_switch(NULL), 0);
	assert_int_equal(mmu.root, 0);
	assert_null(vm_space_current());
	assert_int_equal(mem.live, live0); /* both spaces' roots freed */
	mmu_teardown();
}

/* A space loaded only on this CPU is flushed locally; once a second CPU has loaded it,
 * flushes reach every CPU, even after that CPU switched away (its TLB may keep entries). */
static void vm_space_flush_scope_follows_where_it_was_loaded(void **state)
{
	(void)state;
	struct vm_space *vs;

	mmu_setup(false, 4);
	assert_int_equal(vm_space_create(&vs), 0);
	assert_int_equal(vm_space_map(vs, 0x10000, 0x5000, 4096, PT_READ), 0);
	assert_int_equal(vm_space_unmap(vs, 0x10000, 4096), 0);
	assert_int_equal(mmu.local_range_flushes, mmu.range_flushes); /* loaded nowhere yet */
	assert_int_equal(vm_space_switch(vs), 0);
	assert_int_equal(vm_space_map(vs, 0x10000, 0x5000, 4096, PT_READ), 0);
	assert_int_equal(vm_space_unmap(vs, 0x10000, 4096), 0);
	assert_int_equal(mmu.local_range_flushes, mmu.range_flushes); /* only here */
	cpu_now = &cpus[1];
	assert_int_equal(vm_space_switch(vs), 0);
	assert_int_equal(vm_space_switch(NULL), 0);
	cpu_now = &cpus[0];
	mmu.range_flushes = mmu.local_range_flushes = 0;
	assert_int_equal(vm_space_map(vs, 0x10000, 0x5000, 4096, PT_READ), 0);
	assert_int_equal(vm_space_unmap(vs, 0x10000, 4096), 0);
	assert_true(mmu.range_flushes > 0);
	assert_int_equal(mmu.local_range_flushes, 0); /* CPU 1 may still cache it */
	assert_int_equal(vm_space_switch(NULL), 0);
	vm_space_put(vs);
	mmu_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_query_unmap_round_trip_both),
		cmocka_unit_test(wx_and_bad_arguments_are_rejected_both),
		cmocka_unit_test(large_pages_used_when_aligned_and_split_on_protect_both),
		cmocka_unit_test(failed_map_leaves_nothing_behind_both),
		cmocka_unit_test(device_and_user_flags_survive_both),
		cmocka_unit_test(upper_half_addresses_map_both),
		cmocka_unit_test(break_before_make_when_the_format_asks),
		cmocka_unit_test(io_window_maps_reuses_spaces_and_replays),
		cmocka_unit_test(pinned_root_entries_survive_unmap),
		cmocka_unit_test(vm_space_needs_kernel_tables),
		cmocka_unit_test(vm_space_shares_kernel_half),
		cmocka_unit_test(vm_space_with_separate_kernel_root_copies_nothing),
		cmocka_unit_test(vm_space_ids_are_handed_out_flushed_and_reused),
		cmocka_unit_test(vm_space_switch_loads_root_and_holds_a_reference),
		cmocka_unit_test(vm_space_flush_scope_follows_where_it_was_loaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
