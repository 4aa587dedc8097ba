// SPDX-License-Identifier: MIT
/* In-kernel tests of the arm64 MMU: registers, live TTBR0/TTBR1 tables, attributes, ESR codes. */
#include <arch/arm64.h>
#include <drivers/gic.h>
#include <kernel/platform.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>
#include <kernel/pagetable.h>
#include <kernel/platform.h>
#include <kernel/pmm.h>
#include <kernel/vm_space.h>
#include <lib/fdt.h>

#define EC_IABT_CUR 0x21u
#define EC_DABT_CUR 0x25u
#define ESR_WNR     (UL(1) << 6)
#define FSC_TYPE(esr) ((unsigned)(esr) & 0x3c) /* fault status without the level */
#define FSC_TRANSLATION 0x04u
#define FSC_PERMISSION  0x0cu

static uint64_t ttbr_baddr(uint64_t ttbr)
{
	return ttbr & PTE_ADDR_MASK & ~(UL(1) << 0); /* BADDR[47:1], CnP in bit 0 */
}

/* A view of the table @ttbr points at, in the kernel's format and table memory. */
static bool live_view(struct pagetable *out, uint64_t ttbr)
{
	struct pagetable *k = hal_kernel_pagetable();

	if (!k)
		return false;
	*out = *k;
	out->root = ttbr_baddr(ttbr);
	return true;
}

/* The raw descriptor translating @va in the table at @root, or 0 when there is none. */
static pte_t raw_leaf(paddr_t root, vaddr_t va)
{
	paddr_t t = root;

	for (int level = 3; level >= 0; level--) {
		const pte_t *tab = hal_phys_to_virt(t);
		pte_t e;

		if (!tab)
			return 0;
		e = tab[(va >> (12 + 9 * level)) & 511];
		if (!(e & PTE_VALID))
			return 0;
		if (level == 0 || !(e & PTE_TABLE))
			return e;
		t = e & PTE_ADDR_MASK;
	}
	return 0;
}

KTEST(arm64_mm_system_registers)
{
	uint64_t sctlr = read_sysreg(sctlr_el1), tcr = read_sysreg(tcr_el1);
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	bool asid16 = MMFR0_ASIDBITS(mmfr0) == 2;

	KT_EXPECT(sctlr & SCTLR_EL1_M);
	KT_EXPECT(sctlr & SCTLR_EL1_C);
	KT_EXPECT(sctlr & SCTLR_EL1_I);
	KT_EXPECT(sctlr & SCTLR_EL1_WXN);
	KT_EXPECT_EQ(tcr & 0x3f, 16u);                 /* T0SZ */
	KT_EXPECT_EQ((tcr >> 16) & 0x3f, 16u);         /* T1SZ */
	KT_EXPECT_EQ((tcr >> 14) & 3, 0u);             /* TG0: 4 KiB */
	KT_EXPECT_EQ((tcr >> 30) & 3, 2u);             /* TG1: 4 KiB */
	KT_EXPECT_EQ((tcr >> 12) & 3, 3u);             /* SH0: inner shareable */
	KT_EXPECT_EQ((tcr >> 28) & 3, 3u);             /* SH1 */
	KT_EXPECT_EQ((tcr >> 8) & 0xf, 5u);            /* IRGN0/ORGN0: write-back */
	KT_EXPECT_EQ((tcr >> 24) & 0xf, 5u);           /* IRGN1/ORGN1 */
	KT_EXPECT_EQ(tcr & (TCR_EPD1 | TCR_A1), 0u);   /* TTBR1 walks; ASID from TTBR0 */
	KT_EXPECT_EQ(!!(tcr & TCR_AS), asid16);
	KT_EXPECT_EQ((tcr >> TCR_IPS_SHIFT) & 7, MIN(MMFR0_PARANGE(mmfr0), 5u));
	KT_EXPECT_EQ(read_sysreg(mair_el1), MAIR_VALUE);
	KT_EXPECT_EQ(hal_mmu_asid_count(), asid16 ? 65536u : 256u);
	KT_EXPECT(hal_mmu_separate_kernel_root());
}

KTEST(arm64_mm_ttbr1_is_the_kernel_table_and_ttbr0_has_no_kernel)
{
	struct pagetable *k = hal_kernel_pagetable();
	struct pagetable user;
	uint64_t ttbr0 = read_sysreg(ttbr0_el1), ttbr1 = read_sysreg(ttbr1_el1);
	const pte_t *root;
	paddr_t kpa = kernel_boot_info->kernel_pa;

	KT_ASSERT(k != NULL);
	KT_EXPECT_EQ(ttbr_baddr(ttbr1), k->root);
	KT_EXPECT_EQ(ttbr1 >> TTBR_ASID_SHIFT, 0u);
	KT_EXPECT(k->fmt == &arm64_pt_format);
	/* The kernel root has nothing in the lower half (its indexes 0-255). */
	root = hal_phys_to_virt(k->root);
	KT_ASSERT(root != NULL);
	for (unsigned i = 0; i < 256; i++)
		if (!KT_EXPECT_EQ(root[i], 0))
			break;
	/* TTBR0: no identity map of the image, nothing at 0, no kernel address. */
	if (!vm_space_current()) {
		KT_EXPECT_EQ(ttbr_baddr(ttbr0), arm64_empty_user_root());
		KT_EXPECT_EQ(ttbr0 >> TTBR_ASID_SHIFT, 0u);
	}
	KT_ASSERT(live_view(&user, ttbr0));
	KT_EXPECT_EQ(pt_query(&user, kpa, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(pt_query(&user, 0, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(pt_query(k, kpa, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(pt_query(k, 0, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(pt_query(k, KERNEL_HALF_BASE, NULL, NULL, NULL), -ENOENT);
}

/* Every image page: the section's permissions, AF set, Normal WB inner shareable, global. */
KTEST(arm64_mm_image_descriptors)
{
	struct pagetable *k = hal_kernel_pagetable();
	unsigned bad_attr = 0, bad_perm = 0, unmapped = 0, guards = 0;

	KT_ASSERT(k != NULL);
	for (uintptr_t va = (uintptr_t)__kernel_start; va < (uintptr_t)__kernel_end;
	     va += PAGE_SIZE) {
		pte_t e = raw_leaf(k->root, va);
		bool text = va < (uintptr_t)__text_end, data = va >= (uintptr_t)__data_start;

		if (arm64_is_stack_guard(va)) {
			guards++;
			KT_EXPECT_EQ(e, 0);
			continue;
		}
		if (!e) {
			unmapped++;
			continue;
		}
		bad_attr += (e & (PTE_AF | PTE_NG | PTE_SH_INNER | PTE_ATTRIDX_MASK | PTE_AP_EL0 |
				  PTE_UXN)) !=
			    (PTE_AF | PTE_SH_INNER | PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_UXN);
		bad_attr += (e & PTE_ADDR_MASK) != arm64_image_pa((const void *)va);
		if (text)
			bad_perm += !(e & PTE_AP_RO) || (e & PTE_PXN);
		else
			bad_perm += !(e & PTE_PXN) || (!!(e & PTE_AP_RO) == data);
	}
	KT_EXPECT_EQ(bad_attr, 0);
	KT_EXPECT_EQ(bad_perm, 0);
	KT_EXPECT_EQ(unmapped, 0);
	KT_EXPECT_EQ(guards, 2);
}

static uintptr_t guard_alias(vaddr_t guard)
{
	return DIRECT_MAP_BASE + arm64_image_pa((const void *)guard);
}

static bool is_guard_alias(const vaddr_t *guards, size_t n, uintptr_t va)
{
	for (size_t i = 0; i < n; i++)
		if ((va & ~(uintptr_t)(PAGE_SIZE - 1)) == guard_alias(guards[i]))
			return true;
	return false;
}

KTEST(arm64_mm_direct_map)
{
	struct pagetable *k = hal_kernel_pagetable();
	const struct boot_info *bi = kernel_boot_info;
	vaddr_t guards[4];
	size_t n_guards = MIN(hal_kernel_stack_guards(guards, ARRAY_SIZE(guards)),
			      ARRAY_SIZE(guards));
	paddr_t kpa = bi->kernel_pa, pa;
	unsigned f;
	size_t leaf, biggest = 0;
	pte_t e;

	KT_ASSERT(k != NULL);
	KT_EXPECT_EQ((uintptr_t)hal_phys_to_virt(kpa), DIRECT_MAP_BASE + kpa);
	/* The image's alias: code and rodata read-only there too, nothing executable. */
	KT_ASSERT(!pt_query(k, DIRECT_MAP_BASE + kpa, &pa, &f, NULL));
	KT_EXPECT_EQ(pa, kpa);
	KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC), 0u);
	KT_ASSERT(!pt_query(k, DIRECT_MAP_BASE + arm64_image_pa(__data_start), NULL, &f, NULL));
	KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC | PT_DEVICE), PT_WRITE);
	/* The stack guards have no alias there either. */
	for (unsigned i = 0; i < ARRAY_SIZE(guards) && i < n_guards; i++)
		KT_EXPECT_EQ(pt_query(k, guard_alias(guards[i]), NULL, NULL, NULL), -ENOENT);
	/* All RAM (no-map carved out: test_memtypes.c checks those): RW, no exec, Normal;
	 * large blocks where aligned. */
	for (unsigned i = 0; i < kernel_platform.mem_count; i++) {
		const struct plat_mem *r = &kernel_platform.mem[i];

		if (r->kind != PLAT_MEM_RAM)
			continue;
		for (paddr_t p = ALIGN_UP(r->base, (paddr_t)PAGE_SIZE); p < r->base + r->size;
		     p += 0x200000 - (p & 0x1fffff)) {
			if (is_guard_alias(guards, n_guards, DIRECT_MAP_BASE + p))
				continue;
			if (!KT_EXPECT(!pt_query(k, DIRECT_MAP_BASE + p, &pa, &f, &leaf)))
				break;
			KT_EXPECT_EQ(pa, p);
			KT_EXPECT_EQ(f & (PT_READ | PT_EXEC | PT_DEVICE | PT_GLOBAL),
				     PT_READ | PT_GLOBAL);
			biggest = MAX(biggest, leaf);
			e = raw_leaf(k->root, DIRECT_MAP_BASE + p);
			KT_EXPECT((e & PTE_AF) && (e & PTE_PXN) && (e & PTE_UXN));
		}
	}
	KT_EXPECT(biggest >= 0x200000);
	KT_EXPECT(hal_phys_to_virt(DIRECT_MAP_SIZE) == NULL);
}

/* hal_map_io(): one Device-nGnRnE, no-exec mapping per range in the I/O window, reused. */
KTEST(arm64_mm_map_io_is_device_memory)
{
	struct pagetable *k = hal_kernel_pagetable();
	const struct fdt *fdt = arm64_fdt();
	uint64_t pa;
	uintptr_t v1, v2;
	unsigned f;
	pte_t e;

	KT_ASSERT(k != NULL && fdt != NULL);
	KT_ASSERT(gic_device() != NULL && gic_device()->reg_count > 0);
	pa = gic_device()->reg[0].base; /* the GIC distributor */
	v1 = (uintptr_t)hal_map_io(pa, 0x1000);
	v2 = (uintptr_t)hal_map_io(pa + 4, 4);
	KT_EXPECT(v1 >= KERNEL_IO_BASE && v1 < KERNEL_IO_BASE + KERNEL_IO_SIZE);
	KT_EXPECT_EQ(v2, v1 + 4);
	KT_ASSERT(!pt_query(k, v1, NULL, &f, NULL));
	KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC | PT_DEVICE | PT_GLOBAL),
		     PT_WRITE | PT_DEVICE | PT_GLOBAL);
	e = raw_leaf(k->root, v1);
	KT_EXPECT_EQ(e & PTE_ATTRIDX_MASK, PTE_ATTRIDX(MAIR_IDX_DEVICE_nGnRnE));
	KT_EXPECT((e & PTE_PXN) && (e & PTE_UXN) && (e & PTE_AF) && !(e & PTE_AP_RO));
	/* The first mapping ever made (the console's, on the boot tables before hal_mmu_init())
	 * is still there, at the same address, in the final tables. */
	KT_ASSERT(!pt_query(k, KERNEL_IO_BASE, NULL, &f, NULL));
	KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC | PT_DEVICE), PT_WRITE | PT_DEVICE);
	/* RAM is not given a device alias: the direct map answers. */
	KT_EXPECT_EQ((uintptr_t)hal_map_io(kernel_boot_info->kernel_pa, 64),
		     DIRECT_MAP_BASE + kernel_boot_info->kernel_pa);
	KT_EXPECT(hal_map_io(~(paddr_t)0 - 8, 64) == NULL);
}

static void write_to(void *arg)
{
	*(volatile uint32_t *)arg = 0;
}

static void read_from(void *arg)
{
	(void)*(volatile uint64_t *)arg;
}

static uint32_t data_ret[4] = { 0xd65f03c0 }; /* "ret", in writable (so never executable) data */

static void exec_data(void *arg)
{
	((void (*)(void))(uintptr_t)arg)();
}

/* The fault's class and status: translation vs permission, instruction vs data, WnR. */
static void expect_abort(struct ktest_ctx *kt, void (*fn)(void *), void *arg, unsigned ec,
			 unsigned fsc, bool wnr)
{
	struct fault_info fi;

	if (!KT_EXPECT_EQ(fault_probe_run(fn, arg, &fi), 1))
		return;
	KT_EXPECT_EQ(fi.kind, FAULT_PAGE);
	KT_EXPECT(fi.addr_valid);
	KT_EXPECT_EQ(fi.addr, (uintptr_t)arg);
	KT_EXPECT_EQ(fi.code >> 26, ec);
	KT_EXPECT_EQ(FSC_TYPE(fi.code), fsc);
	if (ec == EC_DABT_CUR)
		KT_EXPECT_EQ(!!(fi.code & ESR_WNR), wnr);
}

KTEST(arm64_mm_fault_status_codes)
{
	void *text_alias;

	KT_ASSERT(hal_kernel_pagetable() != NULL);
	expect_abort(kt, write_to, (void *)(uintptr_t)write_to, EC_DABT_CUR, FSC_PERMISSION, true);
	expect_abort(kt, write_to, (void *)(uintptr_t)__text_end, EC_DABT_CUR, FSC_PERMISSION,
		     true); /* rodata */
	expect_abort(kt, exec_data, data_ret, EC_IABT_CUR, FSC_PERMISSION, false);
	/* No writable alias of the text in the direct map either. */
	text_alias = hal_phys_to_virt(arm64_image_pa((const void *)(uintptr_t)write_to));
	expect_abort(kt, write_to, text_alias, EC_DABT_CUR, FSC_PERMISSION, true);
	expect_abort(kt, read_from, boot_stack_guard, EC_DABT_CUR, FSC_TRANSLATION, false);
	expect_abort(kt, write_to, arm64_exception_stack_guard + PAGE_SIZE - 4, EC_DABT_CUR,
		     FSC_TRANSLATION, true);
	expect_abort(kt, read_from, NULL, EC_DABT_CUR, FSC_TRANSLATION, false);
	expect_abort(kt, read_from, (void *)KERNEL_VMAP_BASE, EC_DABT_CUR, FSC_TRANSLATION, false);
}

/* A space's root goes into TTBR0 with its ASID; the kernel half stays on TTBR1. */
KTEST(arm64_mm_vm_space_switch_sets_ttbr0_asid)
{
	struct vm_space *vs, *before = vm_space_current();
	uint64_t ttbr1 = read_sysreg(ttbr1_el1), ttbr0;
	const vaddr_t uva = 0x400000;
	paddr_t frame;
	volatile uint64_t *alias;

	KT_ASSERT(hal_kernel_pagetable() != NULL);
	KT_ASSERT(!pmm_alloc(0, &frame));
	alias = hal_phys_to_virt(frame);
	alias[0] = 0x5eed;
	if (!KT_EXPECT_EQ(vm_space_create(&vs), 0)) {
		pmm_free(frame, 0);
		return;
	}
	KT_EXPECT_EQ(vm_space_map_kernel_only(vs, uva, frame, PAGE_SIZE, PT_READ | PT_WRITE), 0);
	KT_EXPECT_EQ(vm_space_switch(vs), 0);
	ttbr0 = read_sysreg(ttbr0_el1);
	KT_EXPECT_EQ(ttbr_baddr(ttbr0), vs->pt.root);
	KT_EXPECT_EQ(ttbr0 >> TTBR_ASID_SHIFT, vs->asid);
	KT_EXPECT_EQ(read_sysreg(ttbr1_el1), ttbr1);
	KT_EXPECT_EQ(*(volatile uint64_t *)uva, 0x5eed);
	*(volatile uint64_t *)uva = 0xfeed;
	KT_EXPECT_EQ(alias[0], 0xfeed);
	/* A non-global leaf, tagged with the ASID. */
	KT_EXPECT(raw_leaf(vs->pt.root, uva) & PTE_NG);
	KT_EXPECT_EQ(vm_space_switch(before), 0);
	if (!before) {
		KT_EXPECT_EQ(ttbr_baddr(read_sysreg(ttbr0_el1)), arm64_empty_user_root());
		expect_abort(kt, read_from, (void *)uva, EC_DABT_CUR, FSC_TRANSLATION, false);
	}
	vm_space_put(vs);
	KT_EXPECT_EQ(pmm_free(frame, 0), 0);
}

KTEST(arm64_mm_unwinder_refuses_guard_pages)
{
	uintptr_t fp, pc;

	fp = (uintptr_t)boot_stack_guard + 64;
	KT_EXPECT(!hal_unwind(&fp, &pc));
	fp = (uintptr_t)boot_stack - 8; /* the record's first word is in the guard */
	KT_EXPECT(!hal_unwind(&fp, &pc));
	fp = (uintptr_t)arm64_exception_stack_guard + PAGE_SIZE - 16;
	KT_EXPECT(!hal_unwind(&fp, &pc));
	fp = KERNEL_HALF_BASE + 0x100;
	KT_EXPECT(!hal_unwind(&fp, &pc));
	fp = KERNEL_VMAP_BASE;
	KT_EXPECT(!hal_unwind(&fp, &pc));
}

/* Recurse with 512-byte frames, far more than the 16 KiB boot stack holds. */
static __attribute__((noinline)) unsigned dive(unsigned depth)
{
	volatile uint8_t pad[512];

	pad[0] = (uint8_t)depth;
	if (depth == 0)
		return pad[0];
	return dive(depth - 1) + pad[0]; /* not a tail call: every frame stays */
}

static void overflow(void *arg)
{
	*(volatile unsigned *)arg = dive(4096);
}

/* A real overflow of the boot stack (the ktests run on it) stops at its guard page: the
 * abort is taken on the exception stack and reported with the guard's address. */
KTEST(arm64_mm_boot_stack_overflow_hits_the_guard)
{
	struct fault_info fi;
	unsigned sink = 0;
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	irqflags_t flags;
	int r;

	KT_ASSERT(hal_kernel_pagetable() != NULL);
	KT_ASSERT(sp > (uintptr_t)boot_stack && sp <= (uintptr_t)boot_stack_top);
	flags = hal_irq_save(); /* an interrupt's frame must not land in the guard */
	r = fault_probe_run(overflow, &sink, &fi);
	hal_irq_restore(flags);
	KT_ASSERT(KT_EXPECT_EQ(r, 1));
	KT_EXPECT_EQ(fi.kind, FAULT_PAGE);
	KT_EXPECT(fi.addr_valid);
	KT_EXPECT(fi.addr >= (uintptr_t)boot_stack_guard && fi.addr < (uintptr_t)boot_stack);
	KT_EXPECT(fi.sp >= (uintptr_t)boot_stack_guard && fi.sp <= (uintptr_t)boot_stack);
	KT_EXPECT_EQ(FSC_TYPE(fi.code), FSC_TRANSLATION);
	KT_EXPECT_EQ(sink, 0u);
}
