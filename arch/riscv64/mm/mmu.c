// SPDX-License-Identifier: MIT
/*
 * riscv64 paging: Sv48 (or Sv39) for the portable core/mm/pagetable.c, the higher-half
 * switch at boot, the kernel's final tables (W^X image, direct map, guard pages), device
 * mappings, address-space switches with ASIDs and TLB maintenance. docs/memory-layout.md
 * has the layout.
 *
 * Boot: head.S applies the image's relocations for its physical load address and calls
 * riscv_mmu_early() with satp = Bare. That probes the paging mode, reads RAM from the DTB
 * and builds boot tables out of a pool in .bss: the image at its high address, the direct
 * map, and an identity map of the text for the instructions around the satp write. head.S
 * then relocates the image again for the high address, loads satp, jumps high and
 * riscv_mmu_after_switch() drops the identity map. hal_mmu_init() later builds the final
 * tables with page-allocator pages and switches to them.
 *
 * Everything riscv_mmu_early() stores must be an integer: a pointer it stores would still
 * be physical after the second relocation. It reaches the image through pc-relative
 * addresses and offsets from __kernel_start, which are right at either address.
 */
#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/riscv.h>
#include <arch/sbi.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/io_window.h>
#include <kernel/kprintf.h>
#include <kernel/pagetable.h>
#include <kernel/platform.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/pmm.h>
#include <kernel/sections.h>
#include <lib/fdt.h>
#include <lib/string.h>

#define PA_MAX_BITS     56          /* Sv39-Sv57 PPN width: 44 bits of 4 KiB pages */
#define BOOT_POOL_PAGES 64          /* boot tables: ~20 pages used on QEMU virt */
#define DM_MAX_RANGES   16
#define FLUSH_PAGES_MAX 64          /* above this a flush drops the whole TLB */
#define SZ_2M           0x200000UL
#define SZ_1G           0x40000000UL

enum mmu_state { MMU_BARE, MMU_BOOT, MMU_FINAL };

/* Why the boot tables are missing (riscv_mmu_boot_error()). */
enum boot_err { BOOT_OK, BOOT_NO_MODE, BOOT_UNALIGNED, BOOT_TOO_HIGH, BOOT_NO_POOL };

struct riscv_layout riscv_layout;
paddr_t riscv_kernel_pa;

static volatile enum mmu_state state; /* MMU_BARE until riscv_mmu_early() succeeds */
static enum boot_err boot_err;
static unsigned long kernel_satp;
static unsigned asid_bits;
static bool forced_sv39;

/* Physical RAM reachable through the direct map, sorted, page aligned, disjoint. */
static struct { paddr_t start, end; } dm[DM_MAX_RANGES];
static unsigned dm_count;
static uint64_t dm_dropped; /* bytes of RAM left out of the direct map (reported, not used) */

/* hal_map_io() mappings: replayed into the final tables so early pointers stay valid. */
static struct io_window io_window;

static uint8_t boot_pool[BOOT_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned boot_pool_used;
static uint8_t probe_root[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct boot_info early_bi; /* scratch for riscv_mmu_early(): integers only are used */

/* Offset of an image address from __kernel_start: the same at the physical and high address. */
static uintptr_t img_off(const void *p)
{
	return (uintptr_t)p - (uintptr_t)__kernel_start;
}

static size_t image_size(void)
{
	return (size_t)(__kernel_end - __kernel_start);
}

static inline void sfence_all(void)
{
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

static inline void sfence_va(uintptr_t va)
{
	__asm__ __volatile__("sfence.vma %0" :: "r"(va) : "memory");
}

static inline void sfence_va_asid(uintptr_t va, unsigned long asid)
{
	__asm__ __volatile__("sfence.vma %0, %1" :: "r"(va), "r"(asid) : "memory");
}

static inline void sfence_asid(unsigned long asid)
{
	__asm__ __volatile__("sfence.vma zero, %0" :: "r"(asid) : "memory");
}

/* ---- The PTE format ---- */

/* Leaves are always readable (as on x86-64; R=W=X=0 would make the entry a table pointer),
 * accessed and dirty: no hardware A/D updating is assumed. */
static pte_t rv_make_leaf(paddr_t pa, unsigned flags, unsigned level)
{
	pte_t e = ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V | PTE_R | PTE_A | PTE_D;

	(void)level;
	if (flags & PT_WRITE)
		e |= PTE_W;
	if (flags & PT_EXEC)
		e |= PTE_X;
	if (flags & PT_USER)
		e |= PTE_U;
	if (flags & PT_GLOBAL)
		e |= PTE_G;
	if (flags & PT_DEVICE)
		e |= PTE_SW_DEVICE;
	return e;
}

/* Non-leaf entries: V only (the spec reserves A, D and U there; G would claim the subtree). */
static pte_t rv_make_table(paddr_t table_pa)
{
	return ((table_pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V;
}

static bool rv_is_valid(pte_t pte)
{
	return pte & PTE_V;
}

static bool rv_is_leaf(pte_t pte, unsigned level)
{
	return (pte & PTE_V) && (level == 0 || (pte & (PTE_R | PTE_W | PTE_X)));
}

static paddr_t rv_pte_addr(pte_t pte)
{
	return ((pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << PAGE_SHIFT;
}

static unsigned rv_pte_flags(pte_t pte)
{
	unsigned f = 0;

	if (pte & PTE_R)
		f |= PT_READ;
	if (pte & PTE_W)
		f |= PT_WRITE;
	if (pte & PTE_X)
		f |= PT_EXEC;
	if (pte & PTE_U)
		f |= PT_USER;
	if (pte & PTE_G)
		f |= PT_GLOBAL;
	if (pte & PTE_SW_DEVICE)
		f |= PT_DEVICE;
	return f;
}

/* levels and leaf_levels are set at boot: Sv48 4 levels, leaves up to 1 GiB; Sv39 3 levels,
 * leaves up to 2 MiB (a 1 GiB Sv39 leaf sits in the root, where the kernel half must hold
 * tables that user roots can share: pt_pin_root()). */
static struct pt_format riscv_format = {
	.name = "riscv64 Sv48",
	.levels = 4,
	.page_shift = 12,
	.bits_per_level = 9,
	.leaf_levels = 0x7,
	.make_leaf = rv_make_leaf,
	.make_table = rv_make_table,
	.is_valid = rv_is_valid,
	.is_leaf = rv_is_leaf,
	.pte_addr = rv_pte_addr,
	.pte_flags = rv_pte_flags,
};

/* ---- Table memory and TLB maintenance ---- */

static void *rv_table_virt(void *ctx, paddr_t pa)
{
	(void)ctx;
	return hal_phys_to_virt(pa);
}

/* This hart, every address space (global entries too). */
static void flush_range_here(vaddr_t va, size_t size)
{
	if (state == MMU_BARE)
		return;
	if (size / PAGE_SIZE > FLUSH_PAGES_MAX) {
		sfence_all();
		return;
	}
	for (size_t off = 0; off < size; off += PAGE_SIZE)
		sfence_va(va + off);
}

/* Boot tables: pages from the pool in .bss, never given back. */
static int boot_alloc_table(void *ctx, paddr_t *pa)
{
	(void)ctx;
	if (boot_pool_used == BOOT_POOL_PAGES)
		return -ENOMEM;
	*pa = riscv_kernel_pa + img_off(boot_pool[boot_pool_used++]);
	memset(hal_phys_to_virt(*pa), 0, PAGE_SIZE);
	return 0;
}

/* This hart, address space @asid only (global entries stay). */
static void flush_asid_range_here(unsigned long asid, vaddr_t va, size_t size)
{
	if (state == MMU_BARE)
		return;
	if (size / PAGE_SIZE > FLUSH_PAGES_MAX) {
		sfence_asid(asid);
		return;
	}
	for (size_t off = 0; off < size; off += PAGE_SIZE)
		sfence_va_asid(va + off, asid);
}

/*
 * Every hart: SBI RFENCE (the firmware fences this hart too and returns when all have done
 * it). A firmware without RFENCE can only fence this hart, which is enough while it is the
 * only one running; with more online, stop loudly rather than leave their TLBs stale.
 */
static void remote_fence(vaddr_t va, size_t size, long asid)
{
	bool all = size / PAGE_SIZE > FLUSH_PAGES_MAX;
	long err;

	if (state == MMU_BARE)
		return;
	if (!sbi_info.has_rfence) {
		if (cpus_online() > 1)
			panic("riscv64: TLB flush on %u harts needs SBI RFENCE, which the firmware "
			      "lacks", cpus_online());
		if (asid < 0)
			flush_range_here(va, size);
		else
			flush_asid_range_here((unsigned long)asid, va, size);
		return;
	}
	err = sbi_remote_sfence_vma(all ? 0 : va, all ? SBI_RFENCE_SIZE_ALL : size, asid);
	if (err)
		panic("riscv64: SBI remote sfence.vma failed (%ld)", err);
}

/* Kernel mappings are global and loaded on every hart: flush them everywhere. */
static void rv_flush_tlb(void *ctx, vaddr_t va, size_t size)
{
	(void)ctx;
	remote_fence(va, size, -1);
}

static void boot_free_table(void *ctx, paddr_t pa)
{
	(void)ctx;
	(void)pa;
}

static const struct pt_ops boot_ops = {
	.alloc_table = boot_alloc_table,
	.free_table = boot_free_table,
	.table_virt = rv_table_virt,
	.flush_tlb = rv_flush_tlb,
};

static const struct pt_ops kernel_ops = {
	.alloc_table = pt_pmm_alloc_table,
	.free_table = pt_pmm_free_table,
	.table_virt = pt_pmm_table_virt,
	.flush_tlb = rv_flush_tlb,
};

/* fmt and ops are link-time pointers (relocated with the image); root is set at boot. */
static struct pagetable boot_pt = { .fmt = &riscv_format, .ops = &boot_ops };
static struct pagetable kernel_pt;

static struct pagetable *live_pt(void)
{
	return state == MMU_FINAL ? &kernel_pt : &boot_pt;
}

/* ---- Direct map ---- */

static uintptr_t dm_va(paddr_t pa)
{
	return riscv_layout.dmap_base + (pa - riscv_layout.dmap_pa_base);
}

void *hal_phys_to_virt(paddr_t pa)
{
	if (state == MMU_BARE)
		return pa >> PA_MAX_BITS ? NULL : (void *)(uintptr_t)pa;
	for (unsigned i = 0; i < dm_count; i++)
		if (pa >= dm[i].start && pa < dm[i].end)
			return (void *)dm_va(pa);
	return NULL;
}

static void dm_add(paddr_t start, paddr_t end)
{
	if (end > start && dm_count == DM_MAX_RANGES)
		dm_dropped += end - start;
	if (end > start && dm_count < DM_MAX_RANGES) {
		dm[dm_count].start = start;
		dm[dm_count].end = end;
		dm_count++;
	}
}

/*
 * Take [start, end) (rounded out to pages) out of dm[], keeping it sorted and without moving
 * the direct map's base: no-map memory (reserved-memory.yaml) must be in no mapping at all.
 */
static void dm_remove(paddr_t start, paddr_t end)
{
	start = ALIGN_DOWN(start, (paddr_t)PAGE_SIZE);
	end = ALIGN_UP(end, (paddr_t)PAGE_SIZE);
	for (unsigned i = 0; i < dm_count; i++) {
		paddr_t s = dm[i].start, e = dm[i].end;

		if (e <= start || s >= end)
			continue;
		if (s < start && e > end) { /* a hole in the middle: two pieces */
			if (dm_count == DM_MAX_RANGES) {
				dm_dropped += e - end;
				dm[i].end = start;
				continue;
			}
			memmove(&dm[i + 2], &dm[i + 1], (dm_count - i - 1) * sizeof(dm[0]));
			dm[i].end = start;
			dm[i + 1].start = end;
			dm[i + 1].end = e;
			dm_count++;
			i++;
		} else if (s < start) {
			dm[i].end = start;
		} else if (e > end) {
			dm[i].start = end;
		} else {
			memmove(&dm[i], &dm[i + 1], (dm_count - i - 1) * sizeof(dm[0]));
			dm_count--;
			i--; /* unsigned wrap then ++: look at slot i again */
		}
	}
}

/* Sort, merge overlapping and touching ranges, clip to what the direct map can hold. */
static void dm_normalize(void)
{
	unsigned n = 0;

	for (unsigned i = 1; i < dm_count; i++)
		for (unsigned j = i; j > 0 && dm[j].start < dm[j - 1].start; j--) {
			paddr_t s = dm[j].start, e = dm[j].end;

			dm[j] = dm[j - 1];
			dm[j - 1].start = s;
			dm[j - 1].end = e;
		}
	for (unsigned i = 0; i < dm_count; i++) {
		if (n && dm[i].start <= dm[n - 1].end) {
			dm[n - 1].end = MAX(dm[n - 1].end, dm[i].end);
			continue;
		}
		dm[n++] = dm[i];
	}
	dm_count = n;
	if (!n)
		return;
	riscv_layout.dmap_pa_base = ALIGN_DOWN(dm[0].start, (paddr_t)SZ_1G);
	for (unsigned i = 0; i < dm_count; i++) {
		paddr_t limit = riscv_layout.dmap_pa_base + riscv_layout.dmap_size;

		if (dm[i].end > limit)
			dm_dropped += dm[i].end - MAX(dm[i].start, limit);
		dm[i].end = MIN(dm[i].end, limit);
		if (dm[i].start >= dm[i].end) {
			for (unsigned j = i + 1; j < dm_count; j++)
				dm_dropped += dm[j].end - dm[j].start;
			dm_count = i; /* sorted: everything from here on is beyond the map */
			break;
		}
	}
}

/* ---- Building tables (boot and final alike) ---- */

/* The guard pages below the kernel stacks, as offsets in the image. */
static size_t guard_offsets(uintptr_t *out, size_t max)
{
	size_t n = 0;

	if (n < max)
		out[n] = img_off(boot_stack_guard);
	n++;
	for (unsigned cpu = 0; cpu < CONFIG_MAX_CPUS; cpu++, n++)
		if (n < max)
			out[n] = riscv_trap_stack_guard(cpu) - (uintptr_t)__kernel_start;
	return n;
}

static int map_dm(struct pagetable *pt, paddr_t start, paddr_t end, unsigned flags)
{
	if (end <= start)
		return 0;
	return pt_map(pt, dm_va(start), start, end - start, flags | PT_GLOBAL);
}

/*
 * The image at its high address with the section permissions, the direct map of RAM (the
 * image's own pages there with the same rights minus exec), the stack guards unmapped at
 * both addresses.
 */
static int build_kernel_tables(struct pagetable *pt)
{
	const unsigned rx = PT_READ | PT_EXEC | PT_GLOBAL, ro = PT_READ | PT_GLOBAL;
	const unsigned rw = PT_READ | PT_WRITE | PT_GLOBAL;
	uintptr_t va = riscv_layout.image_va, guards[1 + CONFIG_MAX_CPUS];
	paddr_t ks = riscv_kernel_pa, ke = ks + image_size();
	size_t text = img_off(__text_end), data = img_off(__data_start);
	size_t ng = guard_offsets(guards, ARRAY_SIZE(guards));
	int err;

	err = pt_map(pt, va, ks, text, rx);
	err = err ? err : pt_map(pt, va + text, ks + text, data - text, ro);
	err = err ? err : pt_map(pt, va + data, ks + data, image_size() - data, rw);
	for (unsigned i = 0; !err && i < dm_count; i++) {
		err = map_dm(pt, dm[i].start, MIN(dm[i].end, ks), rw);
		err = err ? err : map_dm(pt, MAX(dm[i].start, ke), dm[i].end, rw);
	}
	err = err ? err : map_dm(pt, ks, ks + text, ro);
	err = err ? err : map_dm(pt, ks + text, ks + data, ro);
	err = err ? err : map_dm(pt, ks + data, ke, rw);
	for (size_t i = 0; !err && i < ng && i < ARRAY_SIZE(guards); i++) {
		err = pt_unmap(pt, va + guards[i], PAGE_SIZE);
		err = err ? err : pt_unmap(pt, dm_va(ks + guards[i]), PAGE_SIZE);
	}
	return err;
}

/* ---- Boot: probe, boot tables, the switch ---- */

/*
 * Does the hart take satp MODE @mode? Writing a supported mode turns translation on at once,
 * so the probe root maps the gigabytes (Sv39) or terabytes (Sv48) around this code to
 * themselves; the mode is read back and satp cleared again before anything else runs.
 */
static bool satp_takes(unsigned long mode)
{
	pte_t *root = (pte_t *)probe_root;
	unsigned shift = mode == SATP_MODE_SV48 ? 39 : 30;
	uintptr_t here = (uintptr_t)__kernel_start, got;
	unsigned long satp = (mode << SATP_MODE_SHIFT) | ((uintptr_t)root >> PAGE_SHIFT);

	if ((here + image_size()) >> (shift + 9 - 1))
		return false; /* the identity would not be a lower-half address in this mode */
	memset(root, 0, PAGE_SIZE);
	for (uintptr_t b = ALIGN_DOWN(here, 1UL << shift); b < here + image_size(); b += 1UL << shift)
		root[(b >> shift) & 511] = ((b >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V | PTE_R |
					   PTE_W | PTE_X | PTE_A | PTE_D;
	__asm__ __volatile__("sfence.vma\n\t"
			     "csrw satp, %1\n\t"
			     "csrr %0, satp\n\t"
			     "csrw satp, zero\n\t"
			     "sfence.vma"
			     : "=&r"(got) : "r"(satp) : "memory");
	return (got >> SATP_MODE_SHIFT) == mode;
}

static void set_layout(unsigned long mode)
{
	struct riscv_layout *l = &riscv_layout;
	bool sv48 = mode == SATP_MODE_SV48;

	l->mode = mode;
	l->levels = sv48 ? 4 : 3;
	l->khalf = sv48 ? RV_KHALF_SV48 : RV_KHALF_SV39;
	l->image_va = l->khalf + RV_IMAGE_OFFSET;
	l->io_base = l->khalf + RV_IO_OFFSET;
	l->io_size = RV_IO_SIZE;
	l->vmap_base = sv48 ? RV_VMAP_SV48 : RV_VMAP_SV39;
	l->vmap_size = sv48 ? RV_VMAP_SIZE_SV48 : RV_VMAP_SIZE_SV39;
	l->dmap_base = sv48 ? RV_DMAP_SV48 : RV_DMAP_SV39;
	l->dmap_size = sv48 ? RV_DMAP_SIZE_SV48 : RV_DMAP_SIZE_SV39;
	riscv_format.levels = l->levels;
	riscv_format.leaf_levels = sv48 ? 0x7 : 0x3;
	io_window.base = l->io_base;
	io_window.size = l->io_size;
}

/*
 * Early boot, paging off: no platform description yet, so the DTB at its physical address
 * is read here for its /reserved-memory no-map children (status not consulted: unmapped is
 * the safe side). hal_mmu_init() applies kernel_platform's, the authority for the final
 * tables.
 */
static void remove_dt_nomap(unsigned long dtb_pa)
{
	struct fdt fdt;
	int rm;

	if (fdt_init(&fdt, (const void *)dtb_pa, fdt_total_size((const void *)dtb_pa, 40)))
		return;
	rm = fdt_path(&fdt, "/reserved-memory");
	for (int n = rm >= 0 ? fdt_first_child(&fdt, rm) : -ENOENT; n >= 0;
	     n = fdt_next_sibling(&fdt, n)) {
		uint64_t base, size;

		if (!fdt_prop(&fdt, n, "no-map", NULL))
			continue;
		for (unsigned i = 0; fdt_reg(&fdt, n, i, &base, &size) == 0; i++)
			dm_remove(base, size > UINT64_MAX - base ? UINT64_MAX : base + size);
	}
}

/* RAM from the DTB's memory nodes minus no-map, plus the image and the DTB whatever the
 * nodes say. */
static void collect_direct_map(unsigned long dtb_pa, bool have_dtb)
{
	paddr_t ks = riscv_kernel_pa;

	for (uint32_t i = 0; have_dtb && i < early_bi.mem_count; i++) {
		const struct mem_region *r = &early_bi.mem[i];

		if (r->type == MEM_USABLE && !((r->base + r->size - 1) >> PA_MAX_BITS))
			dm_add(ALIGN_UP(r->base, (paddr_t)PAGE_SIZE),
			       ALIGN_DOWN(r->base + r->size, (paddr_t)PAGE_SIZE));
	}
	dm_normalize();
	if (have_dtb)
		remove_dt_nomap(dtb_pa);
	dm_add(ks, ks + image_size());
	if (have_dtb)
		for (uint32_t i = 0; i < early_bi.mem_count; i++) {
			const struct mem_region *r = &early_bi.mem[i];

			if (r->type == MEM_RESERVED && r->base == dtb_pa)
				dm_add(ALIGN_DOWN(r->base, (paddr_t)PAGE_SIZE),
				       ALIGN_UP(r->base + r->size, (paddr_t)PAGE_SIZE));
		}
	dm_normalize();
}

/* True when [base, base + size) overlaps the image or the DTB, which must stay mapped. */
static bool hits_image_or_dtb(paddr_t base, uint64_t size)
{
	const struct boot_info *bi = kernel_boot_info;
	const struct fdt *fdt = platform_fdt();
	paddr_t ks = riscv_kernel_pa;

	if (base < ks + image_size() && ks - base < size)
		return true;
	return bi && bi->dtb_pa && fdt && base < bi->dtb_pa + fdt->total_size &&
	       bi->dtb_pa - base < size;
}

/* The final tables follow kernel_platform: its no-map ranges leave the direct map (one that
 * overlaps the image or the DTB cannot, and is reported). */
static void apply_platform_nomap(const struct platform *p)
{
	for (unsigned i = 0; i < p->mem_count; i++) {
		const struct plat_mem *m = &p->mem[i];

		if (m->kind != PLAT_MEM_NOMAP)
			continue;
		if (hits_image_or_dtb(m->base, m->size))
			kprintf("  mmu: no-map %#llx+%#llx overlaps the kernel or the DTB: mapped\n",
				(unsigned long long)m->base, (unsigned long long)m->size);
		else
			dm_remove(m->base, m->base + m->size);
	}
}

static bool image_in_direct_map(void)
{
	paddr_t ks = riscv_kernel_pa;

	for (unsigned i = 0; i < dm_count; i++)
		if (ks >= dm[i].start && ks + image_size() <= dm[i].end)
			return true;
	return false;
}

struct riscv_mmu_entry riscv_mmu_early(unsigned long hartid, unsigned long dtb_pa)
{
	const struct riscv_mmu_entry stay_bare = { 0, 0 };
	paddr_t ks = (uintptr_t)__kernel_start;
	bool have_dtb, sv48, sv39;
	size_t text = img_off(__text_end);
	unsigned long mode;
	int err;

	(void)hartid;
	riscv_kernel_pa = ks;
	have_dtb = dtb_pa && bootinfo_from_fdt(&early_bi, (const void *)dtb_pa, dtb_pa) == 0;
	if (!early_bi.cmdline[0] && CONFIG_CMDLINE[0])
		bootinfo_set_cmdline(&early_bi, CONFIG_CMDLINE, sizeof(CONFIG_CMDLINE));
	forced_sv39 = cmdline_has_word(early_bi.cmdline, "sv39");
	if (ks & (PAGE_SIZE - 1)) {
		boot_err = BOOT_UNALIGNED;
		return stay_bare;
	}
	sv48 = !forced_sv39 && satp_takes(SATP_MODE_SV48);
	sv39 = !sv48 && satp_takes(SATP_MODE_SV39);
	if (!sv48 && !sv39) {
		boot_err = BOOT_NO_MODE;
		return stay_bare;
	}
	mode = sv48 ? SATP_MODE_SV48 : SATP_MODE_SV39;
	set_layout(mode);
	collect_direct_map(dtb_pa, have_dtb);
	/* The boot tables live in the image and are reached through the direct map. */
	if (!image_in_direct_map()) {
		boot_err = BOOT_TOO_HIGH;
		memset(&riscv_layout, 0, sizeof(riscv_layout));
		dm_count = 0;
		return stay_bare;
	}

	boot_pt.pin_first = boot_pt.pin_last = 0;
	err = boot_alloc_table(NULL, &boot_pt.root);
	/* Identity of the text, not global: only the instructions around the satp write. */
	err = err ? err : pt_map(&boot_pt, ks, ks, text, PT_READ | PT_EXEC);
	err = err ? err : build_kernel_tables(&boot_pt);
	if (err) {
		boot_err = err == -ENOMEM ? BOOT_NO_POOL : BOOT_TOO_HIGH;
		memset(&riscv_layout, 0, sizeof(riscv_layout));
		dm_count = 0;
		return stay_bare;
	}
	kernel_satp = (mode << SATP_MODE_SHIFT) | (boot_pt.root >> PAGE_SHIFT);
	state = MMU_BOOT; /* from here hal_phys_to_virt() answers with the direct map */
	return (struct riscv_mmu_entry){ kernel_satp, riscv_layout.image_va };
}

void riscv_mmu_after_switch(void)
{
	if (state == MMU_BARE)
		return;
	/* riscv_format.name was stored by riscv_mmu_early() as a physical pointer: redo it. */
	riscv_format.name = riscv_layout.mode == SATP_MODE_SV48 ? "riscv64 Sv48" : "riscv64 Sv39";
	if (pt_unmap(&boot_pt, riscv_kernel_pa, img_off(__text_end)))
		kprintf("  mmu: identity map of the image not removed from the boot tables\n");
	sfence_all(); /* the identity entries were not global, but make sure */
	csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR);
}

const char *riscv_mmu_boot_error(void)
{
	switch (boot_err) {
	case BOOT_OK:
		return NULL;
	case BOOT_NO_MODE:
		return "the hart offers neither Sv48 nor Sv39";
	case BOOT_UNALIGNED:
		return "the image is not page aligned";
	case BOOT_TOO_HIGH:
		return "the image or RAM lies outside what the mode can map";
	case BOOT_NO_POOL:
		return "the boot page-table pool ran out";
	}
	return "?";
}

/* ---- The final kernel tables ---- */

/* Implemented ASID bits: write all ones, read back (priv. spec 4.1.11, ASIDLEN). */
static unsigned probe_asid_bits(void)
{
	unsigned long all = kernel_satp | (SATP_ASID_MASK << SATP_ASID_SHIFT), got;
	unsigned bits = 0;

	/* Kernel mappings are global: they translate the same under any ASID. */
	__asm__ __volatile__("csrw satp, %1\n\t"
			     "csrr %0, satp\n\t"
			     "csrw satp, %2\n\t"
			     "sfence.vma"
			     : "=&r"(got) : "r"(all), "r"(kernel_satp) : "memory");
	got = (got >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	while (bits < 16 && (got & (1UL << bits)))
		bits++;
	return bits;
}

int hal_mmu_init(void)
{
	unsigned half = 1u << (riscv_format.bits_per_level - 1);
	irqflags_t flags;
	int err;

	if (state != MMU_BOOT) {
		kprintf("  mmu: riscv64 paging is off (%s); no W^X, no guard pages\n",
			riscv_mmu_boot_error() ? riscv_mmu_boot_error() : "not set up");
		return -ENOSYS;
	}
	err = pt_init(&kernel_pt, &riscv_format, &kernel_ops);
	if (err)
		return err;
	apply_platform_nomap(&kernel_platform);
	err = build_kernel_tables(&kernel_pt);
	err = err ? err : io_window_replay(&io_window, &kernel_pt);
	/* User roots copy root entries 256-511: give each a table now so copies never go stale. */
	err = err ? err : pt_pin_root(&kernel_pt, half, 2 * half);
	if (err) {
		pt_destroy(&kernel_pt);
		return err;
	}
	flags = hal_irq_save();
	kernel_satp = (riscv_layout.mode << SATP_MODE_SHIFT) | (kernel_pt.root >> PAGE_SHIFT);
	__asm__ __volatile__("sfence.vma\n\tcsrw satp, %0\n\tsfence.vma"
			     :: "r"(kernel_satp) : "memory");
	state = MMU_FINAL;
	asid_bits = probe_asid_bits();
	csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR);
	hal_irq_restore(flags);
	kprintf("  mmu: %s%s, %u ASID bits, image at %#lx, direct map at %#lx; identity map gone"
		" (boot tables used %u of %u pool pages)\n",
		riscv_format.name, forced_sv39 ? " (forced by \"sv39\")" : "", asid_bits,
		(unsigned long)riscv_layout.image_va, (unsigned long)riscv_layout.dmap_base,
		boot_pool_used, BOOT_POOL_PAGES);
	if (dm_dropped)
		kprintf("  mmu: WARNING: %llu KiB of RAM NOT in the direct map (beyond %u ranges or "
			"the mode's reach): no kernel address for it\n",
			(unsigned long long)(dm_dropped >> 10), DM_MAX_RANGES);
	return 0;
}

struct pagetable *hal_kernel_pagetable(void)
{
	return state == MMU_FINAL ? &kernel_pt : NULL;
}

unsigned long riscv_mmu_kernel_satp(void)
{
	return state == MMU_BARE ? 0 : kernel_satp;
}

unsigned riscv_mmu_asid_bits(void)
{
	return asid_bits;
}

bool riscv_mmu_is_guard(uintptr_t va)
{
	uintptr_t guards[1 + CONFIG_MAX_CPUS], page = va & ~(uintptr_t)(PAGE_SIZE - 1);
	size_t n = guard_offsets(guards, ARRAY_SIZE(guards));

	for (size_t i = 0; i < n && i < ARRAY_SIZE(guards); i++)
		if (page == (uintptr_t)__kernel_start + guards[i])
			return true;
	return false;
}

/* ---- Device mappings ---- */

void *hal_map_io(paddr_t pa, size_t size)
{
	irqflags_t flags;
	void *ret;

	if (!size || pa + size < pa || ((pa + size - 1) >> PA_MAX_BITS))
		return NULL;
	if (state == MMU_BARE)
		return (void *)(uintptr_t)pa;
	flags = hal_irq_save();
	/* Before hal_mmu_init() a mapping must be recorded to survive the switch of tables. */
	ret = io_window_map(&io_window, live_pt(), pa, size, state != MMU_FINAL);
	hal_irq_restore(flags);
	return ret;
}

/* ---- Address spaces: satp holds both halves; ASIDs tag the user half's TLB entries ---- */

bool hal_mmu_separate_kernel_root(void)
{
	return false;
}

unsigned hal_mmu_asid_count(void)
{
	return state == MMU_FINAL ? 1u << asid_bits : 1;
}

void hal_mmu_switch(paddr_t root, unsigned asid)
{
	unsigned long satp;

	if (state != MMU_FINAL)
		return;
	if (!root || asid >= hal_mmu_asid_count())
		asid = 0; /* no user space: the kernel's own tables */
	satp = (riscv_layout.mode << SATP_MODE_SHIFT) | ((unsigned long)asid << SATP_ASID_SHIFT) |
	       ((root ? root : kernel_pt.root) >> PAGE_SHIFT);
	__asm__ __volatile__("csrw satp, %0" :: "r"(satp) : "memory");
	/* Id 0 is untagged: whatever it cached for the previous space must go. */
	if (!asid)
		sfence_all();
}

void hal_tlb_flush_range_local(unsigned asid, vaddr_t va, size_t size)
{
	if (!asid)
		flush_range_here(va, size); /* every space's entries for those addresses */
	else
		flush_asid_range_here(asid, va, size);
}

void hal_tlb_flush_range_all(unsigned asid, vaddr_t va, size_t size)
{
	remote_fence(va, size, asid ? (long)asid : -1);
}

void hal_tlb_flush_asid_local(unsigned asid)
{
	if (state == MMU_BARE)
		return;
	/* With rs2 = a register holding the id, sfence.vma leaves global entries alone. */
	if (asid)
		sfence_asid(asid);
	else
		sfence_all();
}

void hal_tlb_flush_asid_all(unsigned asid)
{
	/* Id 0 is the untagged one: all of it means the whole TLB, as locally. */
	remote_fence(0, SIZE_MAX, asid ? (long)asid : -1);
}

void hal_kernel_vmap_window(vaddr_t *base, size_t *size)
{
	*base = riscv_layout.vmap_base;
	*size = riscv_layout.vmap_size;
}

size_t hal_kernel_stack_guards(vaddr_t *out, size_t max)
{
	uintptr_t guards[1 + CONFIG_MAX_CPUS];
	size_t n;

	if (state == MMU_BARE)
		return 0; /* no paging, so no guard pages */
	n = guard_offsets(guards, ARRAY_SIZE(guards));
	for (size_t i = 0; i < n && i < max && i < ARRAY_SIZE(guards); i++)
		out[i] = (uintptr_t)__kernel_start + guards[i];
	return n;
}
