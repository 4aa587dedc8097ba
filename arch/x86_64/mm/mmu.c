// SPDX-License-Identifier: MIT
/* x86-64 kernel page tables: 4-level format for core/mm/pagetable.c, W^X image, direct map. */
#include <arch/cpu.h>
#include <arch/direct_map.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/io_window.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/pmm.h>
#include <lib/string.h>

#define MSR_EFER     0xC0000080
#define EFER_NXE     (1ULL << 11)
#define CR4_PGE      (1ULL << 7)
#define CR4_PCIDE    (1ULL << 17)
#define CPUID1_ECX_PCID   (1u << 17)
#define CPUID1_EDX_PGE    (1u << 13)
#define CPUIDX1_EDX_NX    (1u << 20)
#define CPUIDX1_EDX_1GB   (1u << 26)

/* Above this many pages a flush rewrites CR4.PGE (drops every entry, global ones too). */
#define FLUSH_PAGES_MAX 64

static bool have_nx, have_pcid, have_pge, mmu_live;
static struct pagetable kernel_pt;

static uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr4(uint64_t v)
{
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}

static void write_cr3(uint64_t v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

/* ---- The format ---- */

static pte_t x86_make_leaf(paddr_t pa, unsigned flags, unsigned level)
{
	pte_t e = (pa & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_A;

	if (flags & PT_WRITE)
		e |= X86_PTE_W | X86_PTE_D;
	if (flags & PT_USER)
		e |= X86_PTE_US;
	if (flags & PT_GLOBAL)
		e |= X86_PTE_G;
	if (flags & PT_DEVICE)
		e |= X86_PTE_PCD | X86_PTE_PWT;
	if (!(flags & PT_EXEC) && have_nx)
		e |= X86_PTE_NX;
	if (level > 0)
		e |= X86_PTE_PS;
	return e;
}

/* Tables allow everything; the leaf decides (so user leaves work under kernel tables too). */
static pte_t x86_make_table(paddr_t table_pa)
{
	return (table_pa & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_W | X86_PTE_US | X86_PTE_A;
}

static bool x86_is_valid(pte_t pte)
{
	return pte & X86_PTE_P;
}

static bool x86_is_leaf(pte_t pte, unsigned level)
{
	return (pte & X86_PTE_P) && (level == 0 || (pte & X86_PTE_PS));
}

/* Bit 12 is PAT in large leaves; never set here, so one mask serves every level. */
static paddr_t x86_pte_addr(pte_t pte)
{
	return pte & X86_PTE_ADDR;
}

static unsigned x86_pte_flags(pte_t pte)
{
	unsigned f = PT_READ;

	if (pte & X86_PTE_W)
		f |= PT_WRITE;
	if (!(pte & X86_PTE_NX))
		f |= PT_EXEC;
	if (pte & X86_PTE_US)
		f |= PT_USER;
	if (pte & X86_PTE_G)
		f |= PT_GLOBAL;
	if (pte & X86_PTE_PCD)
		f |= PT_DEVICE;
	return f;
}

/* leaf_levels gains bit 2 (1 GiB pages) when CPUID offers them. */
static struct pt_format x86_format = {
	.name = "x86-64 4-level",
	.levels = 4,
	.page_shift = 12,
	.bits_per_level = 9,
	.leaf_levels = 0x3,
	.make_leaf = x86_make_leaf,
	.make_table = x86_make_table,
	.is_valid = x86_is_valid,
	.is_leaf = x86_is_leaf,
	.pte_addr = x86_pte_addr,
	.pte_flags = x86_pte_flags,
};

/* ---- TLB maintenance (table memory: pt_pmm_*, pmm pages through the direct map) ---- */

/* This CPU only: invlpg, or a full flush for large ranges. */
static void flush_range_here(vaddr_t va, size_t size)
{
	if (!mmu_live)
		return; /* tables not loaded yet: the CR3 switch flushes */
	if (size / PAGE_SIZE <= FLUSH_PAGES_MAX) {
		/* invlpg drops global entries too, for PCID 0 (the kernel's). */
		for (size_t off = 0; off < size; off += PAGE_SIZE)
			__asm__ __volatile__("invlpg (%0)" : : "r"(va + off) : "memory");
	} else if (have_pge) {
		uint64_t cr4 = read_cr4();

		write_cr4(cr4 & ~CR4_PGE); /* toggling PGE flushes everything, all PCIDs */
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

/*
 * x86 has no broadcast invalidation: reaching other CPUs takes a shootdown IPI, which comes
 * with SMP bring-up. Until then an all-CPU flush is a local one, correct only while one CPU
 * runs: with more online, stop loudly rather than let them use stale entries.
 */
static void require_one_cpu(const char *what)
{
	unsigned n = cpus_online();

	if (n > 1)
		panic("x86_64: %s on %u CPUs needs a TLB shootdown IPI (none yet)", what, n);
}

/* The kernel's tables are loaded on every CPU: their flush is the all-CPU one. */
static void x86_flush_tlb(void *ctx, vaddr_t va, size_t size)
{
	(void)ctx;
	require_one_cpu("kernel mapping change");
	flush_range_here(va, size);
}

static const struct pt_ops x86_pt_ops = {
	.alloc_table = pt_pmm_alloc_table,
	.free_table = pt_pmm_free_table,
	.table_virt = pt_pmm_table_virt,
	.flush_tlb = x86_flush_tlb,
};

/* ---- The kernel's tables ---- */

static paddr_t image_pa(const char *sym)
{
	return (paddr_t)((uintptr_t)sym - DIRECT_MAP_BASE);
}

/* Direct-map VA of physical [@pa, @end) with @flags; empty ranges are fine. */
static int map_direct(paddr_t pa, paddr_t end, unsigned flags)
{
	if (end <= pa)
		return 0;
	return pt_map(&kernel_pt, DIRECT_MAP_BASE + pa, pa, end - pa, flags);
}

/* RAM range [@base, @end) read-write, except the image, whose sections build_tables() maps. */
static int map_ram_around_image(paddr_t base, paddr_t end, paddr_t kstart, paddr_t kend)
{
	const unsigned rw = PT_READ | PT_WRITE | PT_GLOBAL;
	int err = map_direct(base, MIN(end, kstart), rw);

	return err ? err : map_direct(MAX(base, kend), end, rw);
}

/*
 * The direct map holds RAM only, write-back (the boot code's ranges: arch/direct_map.h); the
 * MMIO holes below 4 GiB are not mapped here, devices go through hal_map_io()'s I/O window.
 */
static int build_tables(void)
{
	const unsigned ro = PT_READ | PT_GLOBAL, rw = PT_READ | PT_WRITE | PT_GLOBAL;
	paddr_t kstart = image_pa(__kernel_start), kend = image_pa(__kernel_end);
	const struct x86_ram_range *ram;
	unsigned nr_ram = x86_direct_map_ram(&ram);
	int err = 0;

	for (unsigned i = 0; !err && i < nr_ram; i++)
		err = map_ram_around_image(ram[i].base, ram[i].end, kstart, kend);
	/* The image lies inside the direct map: its pages get the section permissions there. */
	err = err ? err : map_direct(kstart, image_pa(__text_end), ro | PT_EXEC);
	err = err ? err : map_direct(image_pa(__text_end), image_pa(__data_start), ro);
	err = err ? err : map_direct(image_pa(__data_start), kend, rw);
	/* Devices mapped before this (the ACPI tables platform_init() read): same addresses. */
	err = err ? err : x86_io_window_replay(&kernel_pt);
	/* Guard pages: unmapped, so running off the bottom of a stack faults. */
	err = err ? err : pt_unmap(&kernel_pt, (uintptr_t)boot_stack_guard, PAGE_SIZE);
	for (unsigned i = 1; !err && i <= X86_IST_COUNT; i++)
		err = pt_unmap(&kernel_pt, x86_ist_guard(i), PAGE_SIZE);
	return err;
}

static uint32_t cpuid_ext1_edx(void)
{
	return cpuid(0x80000000, 0).eax >= 0x80000001 ? cpuid(0x80000001, 0).edx : 0;
}

/* 1 GiB leaves when the CPU has pdpe1gb. Needs no console or allocator: boot code uses it. */
static void detect_page_sizes(void)
{
	if (cpuid_ext1_edx() & CPUIDX1_EDX_1GB)
		x86_format.leaf_levels = 0x7;
}

bool x86_mmu_has_1g_pages(void)
{
	return x86_format.leaf_levels & 4;
}

static void boot_free_nothing(void *ctx, paddr_t pa)
{
	(void)ctx;
	(void)pa; /* boot table pages were taken out of the memory map: nobody to give them to */
}

/* The tables CR3 holds now, as a struct pagetable whose table pages come from @alloc_table. */
static struct pagetable boot_tables(const struct pt_ops *ops)
{
	return (struct pagetable){ .fmt = &x86_format, .ops = ops,
				   .root = read_cr3() & X86_PTE_ADDR };
}

int x86_boot_map_direct(paddr_t base, paddr_t end, int (*alloc_table)(void *ctx, paddr_t *pa),
			void *ctx)
{
	/* No flush: only empty entries are filled, which no TLB holds. No NX bit either:
	 * EFER.NXE is not on yet (hal_mmu_init() rebuilds everything with it). */
	const struct pt_ops ops = { alloc_table, boot_free_nothing, pt_pmm_table_virt, NULL, ctx };
	struct pagetable boot = boot_tables(&ops);

	if (end <= base)
		return 0;
	detect_page_sizes();
	return pt_map(&boot, DIRECT_MAP_BASE + base, base, end - base, PT_READ | PT_WRITE);
}

int x86_boot_unmap_direct(paddr_t base, paddr_t end,
			  int (*alloc_table)(void *ctx, paddr_t *pa), void *ctx)
{
	/* No flush per entry: the caller reloads CR3 once (no global pages exist yet). Tables
	 * emptied here are head.S's .bss or boot pages: nobody to give them back to. */
	const struct pt_ops ops = { alloc_table, boot_free_nothing, pt_pmm_table_virt, NULL, ctx };
	struct pagetable boot = boot_tables(&ops);

	if (end <= base)
		return 0;
	return pt_unmap(&boot, DIRECT_MAP_BASE + base, end - base);
}

void *x86_boot_map_io(struct io_window *w, paddr_t pa, size_t size,
		      int (*alloc_table)(void *ctx, paddr_t *pa), void *ctx)
{
	const struct pt_ops ops = { alloc_table, boot_free_nothing, pt_pmm_table_virt, NULL, ctx };
	struct pagetable boot = boot_tables(&ops);

	return io_window_map(w, &boot, pa, size, true);
}

int hal_mmu_init(void)
{
	struct cpuid_regs std = cpuid(1, 0);
	uint32_t ext_edx = cpuid_ext1_edx();
	uint64_t cr4;
	int err;

	have_nx = ext_edx & CPUIDX1_EDX_NX;
	have_pge = std.edx & CPUID1_EDX_PGE;
	have_pcid = std.ecx & CPUID1_ECX_PCID;
	detect_page_sizes();
	/* NX must be on before any table with bit 63 set is used (it is reserved otherwise). */
	if (have_nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);

	err = pt_init(&kernel_pt, &x86_format, &x86_pt_ops);
	if (err)
		return err;
	err = build_tables();
	/* User roots copy PML4 256-511: give each a table now so the copies never go stale. */
	err = err ? err : pt_pin_root(&kernel_pt, 256, 512);
	if (err) {
		pt_destroy(&kernel_pt);
		return err;
	}
	/* PCID 0 for the kernel: CR3[11:0] stays 0, as CR4.PCIDE requires when it is set. */
	write_cr3(kernel_pt.root);
	mmu_live = true;
	cr4 = read_cr4();
	if (have_pge)
		cr4 |= CR4_PGE;
	if (have_pcid)
		cr4 |= CR4_PCIDE;
	write_cr4(cr4 & ~CR4_PGE); /* flush any global leftovers of the boot tables */
	write_cr4(cr4);
	kprintf("  mmu: x86-64 4-level, NX %s, global %s, PCID %s, 1G pages %s; identity map gone\n",
		have_nx ? "on" : "absent", have_pge ? "on" : "absent", have_pcid ? "on" : "absent",
		x86_mmu_has_1g_pages() ? "yes" : "no");
	x86_direct_map_report();
	if (kernel_boot_info)
		x86_numa_report(kernel_boot_info);
	return 0;
}

bool x86_mmu_is_guard(uintptr_t va)
{
	uintptr_t page = va & ~(uintptr_t)(PAGE_SIZE - 1);

	if (page == (uintptr_t)boot_stack_guard)
		return true;
	for (unsigned i = 1; i <= X86_IST_COUNT; i++)
		if (page == x86_ist_guard(i))
			return true;
	return false;
}

struct pagetable *hal_kernel_pagetable(void)
{
	return mmu_live ? &kernel_pt : NULL;
}

/* ---- Address spaces: CR3 holds both halves; PCIDs tag the user half's TLB entries ---- */

#define CR3_NOFLUSH (1ULL << 63) /* with CR4.PCIDE: keep the new PCID's cached entries */
#define PCID_COUNT  4096

bool hal_mmu_separate_kernel_root(void)
{
	return false;
}

unsigned hal_mmu_asid_count(void)
{
	return have_pcid ? PCID_COUNT : 1;
}

void hal_mmu_switch(paddr_t root, unsigned asid)
{
	uint64_t cr3;

	if (!mmu_live)
		return;
	if (!root || asid >= hal_mmu_asid_count())
		asid = 0; /* no user space: the kernel's own tables */
	cr3 = (root ? root : kernel_pt.root) | asid;
	/* Id 0 is untagged: its stale user entries must go, which a flushing load does. */
	if (have_pcid && asid)
		cr3 |= CR3_NOFLUSH;
	write_cr3(cr3);
}

static unsigned current_pcid(void)
{
	return have_pcid ? (unsigned)(read_cr3() & 0xfff) : 0;
}

/* Every non-global entry of every PCID (toggling PGE drops all entries; a CR3 reload drops
 * the current PCID's non-global ones when there are no PCIDs). */
static void flush_all(void)
{
	uint64_t cr4 = read_cr4();

	if (have_pge) {
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3() & ~CR3_NOFLUSH);
	}
}

void hal_tlb_flush_range_local(unsigned asid, vaddr_t va, size_t size)
{
	if (!mmu_live)
		return;
	/* invlpg only reaches the current PCID; another space's entries need the big hammer
	 * (INVPCID would do better; TCG offers neither PCID nor INVPCID to test it). */
	if (asid == current_pcid())
		flush_range_here(va, size);
	else
		flush_all();
}

void hal_tlb_flush_range_all(unsigned asid, vaddr_t va, size_t size)
{
	require_one_cpu("hal_tlb_flush_range_all");
	hal_tlb_flush_range_local(asid, va, size);
}

void hal_tlb_flush_asid_local(unsigned asid)
{
	(void)asid;
	if (mmu_live)
		flush_all();
}

void hal_tlb_flush_asid_all(unsigned asid)
{
	require_one_cpu("hal_tlb_flush_asid_all");
	hal_tlb_flush_asid_local(asid);
}

void hal_kernel_vmap_window(vaddr_t *base, size_t *size)
{
	*base = KERNEL_VMAP_BASE;
	*size = KERNEL_VMAP_SIZE;
}

size_t hal_kernel_stack_guards(vaddr_t *out, size_t max)
{
	size_t n = 0;

	if (n < max)
		out[n] = (vaddr_t)boot_stack_guard;
	n++;
	for (unsigned i = 1; i <= X86_IST_COUNT; i++, n++)
		if (n < max)
			out[n] = x86_ist_guard(i);
	return n;
}

bool x86_mmu_has_nx(void)
{
	return have_nx;
}

bool x86_mmu_has_pcid(void)
{
	return have_pcid;
}

bool x86_mmu_has_global(void)
{
	return have_pge;
}
