// SPDX-License-Identifier: MIT
/*
 * arm64 stage 1 translation (4 KiB granule, 48-bit VAs, TTBR0/TTBR1 split): the descriptor
 * format for core/mm/pagetable.c, the boot tables head.S switches on with, the final kernel
 * tables hal_mmu_init() builds from page-allocator pages (W^X image, direct map, guard
 * pages), device mappings, ASIDs and TLB maintenance. Layout: arch/mmu.h and
 * docs/memory-layout.md.
 */
#include <arch/arm64.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/io_window.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>
#include <kernel/pmm.h>
#include <lib/fdt.h>
#include <lib/string.h>

/* Above this many pages a flush drops everything (or the whole ASID) instead. */
#define FLUSH_PAGES_MAX 64
/* Boot tables: identity + high image (a few L3 tables each), direct map, early devices. */
#define BOOT_POOL_PAGES 48
#define MAX_RAM_RANGES  16

/*
 * State written by arm64_mmu_early() before the MMU is on holds numbers only (physical
 * addresses, counts): head.S re-applies the relocations for the high address after it ran,
 * so a pointer stored there would keep its physical value.
 */
paddr_t arm64_kernel_pa;
uint64_t arm64_boot_empty_ttbr0; /* read by head.S once at the high address */
static int early_err;            /* why arm64_mmu_early() failed (the MMU then stays off) */
static bool mmu_on;              /* running at KERNEL_IMAGE_VA: boot tables via the direct map */
static bool mmu_final;           /* kernel_pt is in TTBR1_EL1 */
static unsigned asid_bits = 8;

static struct { paddr_t base, end; } ram[MAX_RAM_RANGES];
static unsigned ram_count;
static uint64_t ram_dropped; /* bytes of RAM left out of the direct map (reported, not used) */

static struct io_window io_window = { .base = KERNEL_IO_BASE, .size = KERNEL_IO_SIZE };

static uint8_t boot_pool[BOOT_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t empty_root[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned boot_pool_used;

/* ---- The descriptor format ---- */

static pte_t a64_make_leaf(paddr_t pa, unsigned flags, unsigned level)
{
	pte_t e = (pa & PTE_ADDR_MASK) | PTE_VALID | PTE_AF;

	if (level == 0)
		e |= PTE_TABLE; /* a page descriptor at the last level */
	if (flags & PT_DEVICE)
		e |= PTE_ATTRIDX(MAIR_IDX_DEVICE_nGnRnE);
	else
		e |= PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_SH_INNER;
	if (!(flags & PT_WRITE))
		e |= PTE_AP_RO;
	if (flags & PT_USER)
		e |= PTE_AP_EL0;
	if (!(flags & PT_GLOBAL))
		e |= PTE_NG;
	if (!(flags & PT_EXEC))
		e |= PTE_PXN | PTE_UXN;
	else
		e |= (flags & PT_USER) ? PTE_PXN : PTE_UXN; /* executable at one level only */
	return e;
}

/* No hierarchical restrictions in table descriptors: the leaf decides. */
static pte_t a64_make_table(paddr_t table_pa)
{
	return (table_pa & PTE_ADDR_MASK) | PTE_VALID | PTE_TABLE;
}

static bool a64_is_valid(pte_t pte)
{
	return pte & PTE_VALID;
}

static bool a64_is_leaf(pte_t pte, unsigned level)
{
	return (pte & PTE_VALID) && (level == 0 || !(pte & PTE_TABLE));
}

static paddr_t a64_pte_addr(pte_t pte)
{
	return pte & PTE_ADDR_MASK;
}

static unsigned a64_pte_flags(pte_t pte)
{
	unsigned f = PT_READ;
	pte_t attr = pte & PTE_ATTRIDX_MASK;

	if (!(pte & PTE_AP_RO))
		f |= PT_WRITE;
	if (pte & PTE_AP_EL0) {
		f |= PT_USER;
		if (!(pte & PTE_UXN))
			f |= PT_EXEC;
	} else if (!(pte & PTE_PXN)) {
		f |= PT_EXEC;
	}
	if (!(pte & PTE_NG))
		f |= PT_GLOBAL;
	if (attr == PTE_ATTRIDX(MAIR_IDX_DEVICE_nGnRnE) || attr == PTE_ATTRIDX(MAIR_IDX_DEVICE_nGnRE))
		f |= PT_DEVICE;
	return f;
}

/* Portable levels 0/1/2/3 are the architecture's levels 3/2/1/0: leaves of 4 KiB, 2 MiB
 * (block) and 1 GiB (block); the root (level 0) holds tables only. */
const struct pt_format arm64_pt_format = {
	.name = "arm64 4K granule, 4-level, 48-bit",
	.levels = 4,
	.page_shift = 12,
	.bits_per_level = 9,
	.leaf_levels = 0x7,
	.make_leaf = a64_make_leaf,
	.make_table = a64_make_table,
	.is_valid = a64_is_valid,
	.is_leaf = a64_is_leaf,
	.pte_addr = a64_pte_addr,
	.pte_flags = a64_pte_flags,
	.break_before_make = true,
};

/* ---- TLB maintenance (inner shareable: every CPU of the system) ---- */

static inline uint64_t tlbi_va(vaddr_t va)
{
	return (va >> 12) & ((UL(1) << 44) - 1); /* VA[55:12] */
}

/* Kernel tables: [@va, @va + @size) in every ASID (global and non-global entries). */
static void flush_kernel_range(vaddr_t va, size_t size)
{
	__asm__ __volatile__("dsb ishst" ::: "memory");
	if (size / PAGE_SIZE > FLUSH_PAGES_MAX) {
		__asm__ __volatile__("tlbi vmalle1is" ::: "memory");
	} else {
		for (size_t off = 0; off < size; off += PAGE_SIZE)
			__asm__ __volatile__("tlbi vaae1is, %0" :: "r"(tlbi_va(va + off)) : "memory");
	}
	__asm__ __volatile__("dsb ish\n\tisb" ::: "memory");
}

/*
 * The _local forms use the non-broadcast TLBI and a non-shareable dsb: only this PE's TLB.
 * The _all forms use the inner-shareable broadcast ("is") and dsb ish, which completes only
 * once every PE in the inner-shareable domain has dropped the entries.
 */
void hal_tlb_flush_range_local(unsigned asid, vaddr_t va, size_t size)
{
	uint64_t tag = (uint64_t)asid << TTBR_ASID_SHIFT;

	if (!mmu_on)
		return;
	__asm__ __volatile__("dsb nshst" ::: "memory");
	if (size / PAGE_SIZE > FLUSH_PAGES_MAX) {
		__asm__ __volatile__("tlbi aside1, %0" :: "r"(tag) : "memory");
	} else {
		for (size_t off = 0; off < size; off += PAGE_SIZE)
			__asm__ __volatile__("tlbi vae1, %0" :: "r"(tag | tlbi_va(va + off))
					     : "memory");
	}
	__asm__ __volatile__("dsb nsh\n\tisb" ::: "memory");
}

void hal_tlb_flush_range_all(unsigned asid, vaddr_t va, size_t size)
{
	uint64_t tag = (uint64_t)asid << TTBR_ASID_SHIFT;

	if (!mmu_on)
		return;
	__asm__ __volatile__("dsb ishst" ::: "memory");
	if (size / PAGE_SIZE > FLUSH_PAGES_MAX) {
		__asm__ __volatile__("tlbi aside1is, %0" :: "r"(tag) : "memory");
	} else {
		for (size_t off = 0; off < size; off += PAGE_SIZE)
			__asm__ __volatile__("tlbi vae1is, %0" :: "r"(tag | tlbi_va(va + off))
					     : "memory");
	}
	__asm__ __volatile__("dsb ish\n\tisb" ::: "memory");
}

void hal_tlb_flush_asid_local(unsigned asid)
{
	if (!mmu_on)
		return;
	__asm__ __volatile__("dsb nshst\n\ttlbi aside1, %0\n\tdsb nsh\n\tisb"
			     :: "r"((uint64_t)asid << TTBR_ASID_SHIFT) : "memory");
}

void hal_tlb_flush_asid_all(unsigned asid)
{
	if (!mmu_on)
		return;
	__asm__ __volatile__("dsb ishst\n\ttlbi aside1is, %0\n\tdsb ish\n\tisb"
			     :: "r"((uint64_t)asid << TTBR_ASID_SHIFT) : "memory");
}

/* ---- Boot tables: pages from a pool in .bss ---- */

static void *boot_table_virt(void *ctx, paddr_t pa)
{
	(void)ctx;
	/* MMU off: physical addresses are their own; afterwards the pool is in the direct map. */
	return (void *)(uintptr_t)(mmu_on ? DIRECT_MAP_BASE + pa : pa);
}

static int boot_alloc_table(void *ctx, paddr_t *pa)
{
	if (boot_pool_used == BOOT_POOL_PAGES)
		return -ENOMEM;
	/* Computed each time, never cached: a static only ever set to &boot_pool would let the
	 * compiler fold it to that address, which is the virtual one once the MMU is on. */
	*pa = arm64_image_pa(boot_pool[boot_pool_used++]);
	memset(boot_table_virt(ctx, *pa), 0, PAGE_SIZE);
	return 0;
}

static void boot_free_table(void *ctx, paddr_t pa)
{
	(void)ctx;
	(void)pa; /* the pool is never given back: the boot tables are short-lived */
}

static void boot_flush_tlb(void *ctx, vaddr_t va, size_t size)
{
	(void)ctx;
	if (mmu_on)
		flush_kernel_range(va, size);
}

static const struct pt_ops boot_ops = {
	.alloc_table = boot_alloc_table,
	.free_table = boot_free_table,
	.table_virt = boot_table_virt,
	.flush_tlb = boot_flush_tlb,
};

/* Static initialisers only: relocated by both of head.S's passes. */
static struct pagetable boot_ttbr0 = { .fmt = &arm64_pt_format, .ops = &boot_ops };
static struct pagetable boot_ttbr1 = { .fmt = &arm64_pt_format, .ops = &boot_ops };

/* ---- Final kernel tables: pages from the page allocator, reached through the direct map */

static struct pagetable kernel_pt;

static void kernel_flush_tlb(void *ctx, vaddr_t va, size_t size)
{
	(void)ctx;
	if (mmu_final)
		flush_kernel_range(va, size);
}

static const struct pt_ops kernel_ops = {
	.alloc_table = pt_pmm_alloc_table,
	.free_table = pt_pmm_free_table,
	.table_virt = pt_pmm_table_virt,
	.flush_tlb = kernel_flush_tlb,
};

struct pagetable *arm64_current_kernel_pt(void)
{
	return mmu_final ? &kernel_pt : &boot_ttbr1;
}

/* ---- Physical memory to map directly ---- */

/* Add [base, base + size) to ram[], merged with every range it overlaps or touches. */
static void add_ram(paddr_t base, uint64_t size)
{
	paddr_t end;

	if (!size)
		return;
	if (base >= DIRECT_MAP_SIZE || size > DIRECT_MAP_SIZE - base)
		ram_dropped += base >= DIRECT_MAP_SIZE ? size : size - (DIRECT_MAP_SIZE - base);
	if (base >= DIRECT_MAP_SIZE)
		return;
	end = size > DIRECT_MAP_SIZE - base ? DIRECT_MAP_SIZE : base + size;
	base = ALIGN_DOWN(base, (paddr_t)PAGE_SIZE);
	end = ALIGN_UP(end, (paddr_t)PAGE_SIZE);
	for (unsigned i = 0; i < ram_count;) {
		if (ram[i].base <= end && base <= ram[i].end) {
			base = MIN(base, ram[i].base);
			end = MAX(end, ram[i].end);
			ram[i] = ram[--ram_count];
			i = 0;
		} else {
			i++;
		}
	}
	if (ram_count < MAX_RAM_RANGES) {
		ram[ram_count].base = base;
		ram[ram_count].end = end;
		ram_count++;
	} else {
		ram_dropped += end - base;
	}
}

/* Keep [base, end) in ram[] (a piece left over by remove_ram()). */
static void keep_piece(paddr_t base, paddr_t end)
{
	if (base >= end)
		return;
	if (ram_count == MAX_RAM_RANGES) {
		ram_dropped += end - base;
		return;
	}
	ram[ram_count].base = base;
	ram[ram_count].end = end;
	ram_count++;
}

/*
 * Take [base, base + size) out of ram[]: no-map memory (reserved-memory.yaml) must not be
 * in any mapping, not even a cacheable one the CPU could fetch from speculatively. Rounded
 * outwards: a page no-map touches is left out whole.
 */
static void remove_ram(paddr_t base, uint64_t size)
{
	paddr_t end = size > UINT64_MAX - base ? UINT64_MAX : base + size;

	if (!size)
		return;
	base = ALIGN_DOWN(base, (paddr_t)PAGE_SIZE);
	end = end > UINT64_MAX - (PAGE_SIZE - 1) ? UINT64_MAX : ALIGN_UP(end, (paddr_t)PAGE_SIZE);
	for (unsigned i = 0; i < ram_count;) {
		paddr_t rb = ram[i].base, re = ram[i].end;

		if (re <= base || rb >= end) {
			i++;
			continue;
		}
		ram[i] = ram[--ram_count]; /* slot i now holds an unchecked range */
		keep_piece(rb, MIN(re, base));
		keep_piece(MAX(rb, end), re);
	}
}

/*
 * Early boot, MMU off: the platform description does not exist yet, so this reads the DTB
 * at its physical address itself (memory nodes and /reserved-memory no-map children, status
 * not consulted: leaving memory unmapped is the safe side). hal_mmu_init() then applies
 * kernel_platform's no-map ranges, which are the authority for the final tables.
 */
static void remove_dt_nomap(const struct fdt *fdt)
{
	int rm = fdt_path(fdt, "/reserved-memory");

	for (int n = rm >= 0 ? fdt_first_child(fdt, rm) : -ENOENT; n >= 0;
	     n = fdt_next_sibling(fdt, n)) {
		uint64_t base, size;

		if (!fdt_prop(fdt, n, "no-map", NULL))
			continue;
		for (unsigned i = 0; fdt_reg(fdt, n, i, &base, &size) == 0; i++)
			remove_ram(base, size);
	}
}

/* RAM from the DTB's memory nodes minus no-map, plus the image and the DTB wherever they are. */
static void find_ram(paddr_t dtb_pa, paddr_t kernel_pa)
{
	struct fdt fdt;
	uint32_t dtb_size = 0;

	if (dtb_pa && fdt_init(&fdt, (const void *)(uintptr_t)dtb_pa, ARM64_DTB_MAX_SIZE) == 0) {
		dtb_size = fdt_total_size((const void *)(uintptr_t)dtb_pa, ARM64_DTB_MAX_SIZE);
		for (int n = fdt_find_device_type(&fdt, -1, "memory"); n >= 0;
		     n = fdt_find_device_type(&fdt, n, "memory")) {
			uint64_t base, size;

			for (unsigned i = 0; fdt_reg(&fdt, n, i, &base, &size) == 0; i++)
				add_ram(base, size);
		}
		remove_dt_nomap(&fdt);
	}
	add_ram(kernel_pa, (uintptr_t)__kernel_end - (uintptr_t)__kernel_start);
	if (dtb_size)
		add_ram(dtb_pa, dtb_size);
}

/*
 * The final tables follow kernel_platform: its no-map ranges leave the direct map. The image
 * and the DTB must stay reachable: they are put back, and a no-map range overlapping them
 * (a firmware error) is reported.
 */
static void apply_platform_nomap(const struct platform *p)
{
	const struct boot_info *bi = kernel_boot_info;
	const struct fdt *fdt = platform_fdt();
	paddr_t dtb = bi && fdt ? bi->dtb_pa : 0;
	uint64_t image = (uintptr_t)__kernel_end - (uintptr_t)__kernel_start;

	for (unsigned i = 0; i < p->mem_count; i++) {
		const struct plat_mem *m = &p->mem[i];

		if (m->kind != PLAT_MEM_NOMAP)
			continue;
		remove_ram(m->base, m->size);
		if ((m->base < arm64_kernel_pa + image && arm64_kernel_pa - m->base < m->size) ||
		    (dtb && m->base < dtb + fdt->total_size && dtb - m->base < m->size))
			kprintf("  mmu: no-map %#llx+%#llx overlaps the kernel or the DTB: "
				"those stay mapped\n", (unsigned long long)m->base,
				(unsigned long long)m->size);
	}
	add_ram(arm64_kernel_pa, image);
	if (dtb)
		add_ram(dtb, fdt->total_size);
}

static int map_direct(struct pagetable *pt)
{
	int err = 0;

	for (unsigned i = 0; i < ram_count && !err; i++)
		err = pt_map(pt, DIRECT_MAP_BASE + ram[i].base, ram[i].base,
			     ram[i].end - ram[i].base, PT_READ | PT_WRITE | PT_GLOBAL);
	return err;
}

/* The image at @va: text R+X, rodata R, data and bss R+W (all no-exec but text). */
static int map_image(struct pagetable *pt, vaddr_t va)
{
	uintptr_t start = (uintptr_t)__kernel_start;
	size_t text = (uintptr_t)__text_end - start, data = (uintptr_t)__data_start - start;
	size_t end = (uintptr_t)__kernel_end - start;
	paddr_t pa = arm64_kernel_pa;
	int err;

	err = pt_map(pt, va, pa, text, PT_READ | PT_EXEC | PT_GLOBAL);
	err = err ? err : pt_map(pt, va + text, pa + text, data - text, PT_READ | PT_GLOBAL);
	return err ? err : pt_map(pt, va + data, pa + data, end - data,
				  PT_READ | PT_WRITE | PT_GLOBAL);
}

/* No writable alias of the kernel's code and read-only data in the direct map. */
static int protect_image_alias(struct pagetable *pt)
{
	size_t ro = (uintptr_t)__data_start - (uintptr_t)__kernel_start;

	return pt_protect(pt, DIRECT_MAP_BASE + arm64_kernel_pa, ro, PT_READ | PT_GLOBAL);
}

static uint64_t tcr_value(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	unsigned ips = MIN(MMFR0_PARANGE(mmfr0), 5u); /* 48 bits at most with 4 KiB pages */
	uint64_t tcr = TCR_T0SZ(16) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
		       TCR_TG0_4K | TCR_T1SZ(16) | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA |
		       TCR_SH1_INNER | TCR_TG1_4K | ((uint64_t)ips << TCR_IPS_SHIFT);

	if (MMFR0_ASIDBITS(mmfr0) == 2)
		tcr |= TCR_AS;
	return tcr;
}

uint64_t arm64_mmu_early(paddr_t dtb_pa, paddr_t kernel_pa)
{
	int err;

	arm64_kernel_pa = kernel_pa;
	arm64_boot_empty_ttbr0 = arm64_image_pa(empty_root);
	find_ram(dtb_pa, kernel_pa);
	err = boot_alloc_table(NULL, &boot_ttbr0.root);
	err = err ? err : boot_alloc_table(NULL, &boot_ttbr1.root);
	/* The identity map only carries head.S over the switch; it is dropped right after. */
	err = err ? err : map_image(&boot_ttbr0, kernel_pa);
	err = err ? err : map_image(&boot_ttbr1, KERNEL_IMAGE_VA);
	err = err ? err : map_direct(&boot_ttbr1);
	/* The same leaf sizes as the final tables will have (image alias in 4 KiB pages), so
	 * hal_mmu_init()'s TTBR1 switch never puts two sizes of one address in the TLB. */
	err = err ? err : protect_image_alias(&boot_ttbr1);
	if (err) {
		early_err = err;
		return 0;
	}
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, tcr_value());
	write_sysreg(ttbr0_el1, boot_ttbr0.root);
	write_sysreg(ttbr1_el1, boot_ttbr1.root);
	isb();
	return SCTLR_EL1_RES1 | SCTLR_EL1_I | SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_SA |
	       SCTLR_EL1_WXN;
}

/* Called by arm64_start_kernel(), first thing at the high address. */
void arm64_mmu_started(void)
{
	mmu_on = read_sysreg(sctlr_el1) & SCTLR_EL1_M;
	asid_bits = MMFR0_ASIDBITS(read_sysreg(id_aa64mmfr0_el1)) == 2 ? 16 : 8;
}

paddr_t arm64_image_pa(const void *va)
{
	return (uintptr_t)va - (uintptr_t)__kernel_start + arm64_kernel_pa;
}

paddr_t arm64_empty_user_root(void)
{
	return arm64_image_pa(empty_root);
}

/* ---- Direct map and device mappings ---- */

void *hal_phys_to_virt(paddr_t pa)
{
	if (!mmu_on)
		return (void *)(uintptr_t)pa;
	for (unsigned i = 0; i < ram_count; i++)
		if (pa >= ram[i].base && pa < ram[i].end)
			return (void *)(uintptr_t)(DIRECT_MAP_BASE + pa);
	return NULL;
}

static bool in_ram(paddr_t base, paddr_t last)
{
	for (unsigned i = 0; i < ram_count; i++)
		if (base >= ram[i].base && last < ram[i].end)
			return true;
	return false;
}

/*
 * Device memory gets a Device-nGnRnE, no-exec mapping in the I/O window, made once per
 * range and kept for good (drivers keep the pointer; hal_mmu_init() carries the mappings
 * over to the final tables at the same addresses). RAM is answered from the direct map.
 */
void *hal_map_io(paddr_t pa, size_t size)
{
	irqflags_t flags;
	void *ret;

	if (!size)
		size = 1;
	if (pa + size - 1 < pa)
		return NULL;
	if (!mmu_on)
		return (void *)(uintptr_t)pa; /* a fault report before the switch: MMU off */
	if (in_ram(pa, pa + size - 1))
		return hal_phys_to_virt(pa);
	flags = hal_irq_save();
	ret = io_window_map(&io_window, arm64_current_kernel_pt(), pa, size, true);
	hal_irq_restore(flags);
	return ret;
}

/* ---- The final kernel tables ---- */

/* A guard page goes from the image and from the direct map, so no alias of it is left. */
static int unmap_guard(struct pagetable *pt, uintptr_t guard)
{
	uintptr_t alias = DIRECT_MAP_BASE + arm64_kernel_pa + (guard - KERNEL_IMAGE_VA);
	int err = pt_unmap(pt, guard, PAGE_SIZE);

	return err ? err : pt_unmap(pt, alias, PAGE_SIZE);
}

static int build_tables(void)
{
	int err = map_image(&kernel_pt, KERNEL_IMAGE_VA);

	err = err ? err : map_direct(&kernel_pt);
	err = err ? err : protect_image_alias(&kernel_pt);
	err = err ? err : unmap_guard(&kernel_pt, (uintptr_t)boot_stack_guard);
	err = err ? err : unmap_guard(&kernel_pt, (uintptr_t)arm64_exception_stack_guard);
	err = err ? err : io_window_replay(&io_window, &kernel_pt);
	return err;
}

int hal_mmu_init(void)
{
	int err;

	if (!mmu_on) {
		kprintf("  mmu: arm64 boot page tables failed (%d): MMU off, running at the load "
			"address, no W^X, no guard pages\n", early_err);
		return -ENOSYS;
	}
	err = pt_init(&kernel_pt, &arm64_pt_format, &kernel_ops);
	if (err)
		return err;
	apply_platform_nomap(&kernel_platform);
	err = build_tables();
	if (err) {
		pt_destroy(&kernel_pt);
		kprintf("  mmu: arm64 kernel tables not built (%d)\n", err);
		return err;
	}
	/*
	 * Same translations for everything running now (4 KiB image pages in both), so the
	 * switch needs no detour through an identity map; the boot tables' entries go at once.
	 */
	__asm__ __volatile__("dsb ishst\n\t"
			     "msr ttbr1_el1, %0\n\t"
			     "isb\n\t"
			     "tlbi vmalle1is\n\t"
			     "dsb ish\n\t"
			     "isb" :: "r"(kernel_pt.root) : "memory");
	mmu_final = true;
	kprintf("  mmu: arm64 4K/48-bit, TTBR1 kernel tables (W^X, %u RAM ranges direct-mapped at "
		"%#llx), %u-bit ASIDs, identity map gone (boot tables used %u/%u pool pages)\n",
		ram_count, (unsigned long long)DIRECT_MAP_BASE, asid_bits, boot_pool_used,
		BOOT_POOL_PAGES);
	if (ram_dropped)
		kprintf("  mmu: WARNING: %llu KiB of RAM NOT in the direct map (beyond %u ranges or "
			"above %#llx): no kernel address for it\n",
			(unsigned long long)(ram_dropped >> 10), MAX_RAM_RANGES,
			(unsigned long long)DIRECT_MAP_SIZE);
	return 0;
}

struct pagetable *hal_kernel_pagetable(void)
{
	return mmu_final ? &kernel_pt : NULL;
}

/* ---- Address spaces: TTBR0_EL1 holds the user half, tagged with an ASID ---- */

bool hal_mmu_separate_kernel_root(void)
{
	return true;
}

unsigned hal_mmu_asid_count(void)
{
	return 1u << asid_bits;
}

void hal_mmu_switch(paddr_t root, unsigned asid)
{
	if (!mmu_on)
		return;
	if (!root || asid >= hal_mmu_asid_count()) {
		asid = 0;
		if (!root)
			root = arm64_empty_user_root();
	}
	write_sysreg(ttbr0_el1, root | ((uint64_t)asid << TTBR_ASID_SHIFT));
	isb();
	/* Id 0 is untagged: what it cached belongs to whatever ran with it before. */
	if (!asid)
		__asm__ __volatile__("tlbi aside1, %0\n\tdsb nsh\n\tisb" :: "r"(UL(0)) : "memory");
}

void hal_kernel_vmap_window(vaddr_t *base, size_t *size)
{
	*base = KERNEL_VMAP_BASE;
	*size = KERNEL_VMAP_SIZE;
}

size_t hal_kernel_stack_guards(vaddr_t *out, size_t max)
{
	if (max > 0)
		out[0] = (vaddr_t)boot_stack_guard;
	if (max > 1)
		out[1] = (vaddr_t)arm64_exception_stack_guard;
	return 2;
}

bool arm64_is_stack_guard(uintptr_t va)
{
	uintptr_t page = va & ~(uintptr_t)(PAGE_SIZE - 1);

	return page == (uintptr_t)boot_stack_guard ||
	       page == (uintptr_t)arm64_exception_stack_guard;
}
