// SPDX-License-Identifier: MIT
/*
 * ktest: riscv64 paging (mm/mmu.c): satp mode and ASIDs, the live root, no identity map, the
 * PTE bits of kernel leaves, the layout, page-fault causes, stack overflow into a guard page.
 * The portable checks (W^X over the sections, guards, round trips) are in test/ktest.
 */
#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/riscv.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/pagetable.h>
#include <kernel/percpu.h>
#include <kernel/pmm.h>
#include <kernel/sections.h>
#include <lib/string.h>

static unsigned long satp_now(void)
{
	return csr_read(satp);
}

/* The raw leaf PTE translating @va in the live tables (0 if none), and its level. */
static pte_t raw_leaf(vaddr_t va, unsigned *levelp)
{
	const struct pagetable *k = hal_kernel_pagetable();
	paddr_t t = (satp_now() & SATP_PPN_MASK) << PAGE_SHIFT;

	for (unsigned level = k->fmt->levels - 1;; level--) {
		const pte_t *table = hal_phys_to_virt(t);
		pte_t e = table[(va >> (PAGE_SHIFT + 9 * level)) & 511];

		if (!(e & PTE_V))
			return 0;
		if ((e & (PTE_R | PTE_W | PTE_X)) || level == 0) {
			*levelp = level;
			return e;
		}
		t = ((e >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << PAGE_SHIFT;
	}
}

KTEST(riscv_mm_satp_mode_levels_and_asids)
{
	unsigned long satp = satp_now(), mode = satp >> SATP_MODE_SHIFT;
	struct pagetable *k = hal_kernel_pagetable();
	bool forced = cmdline_has_word(kernel_boot_info->cmdline, "sv39");
	int cpu = riscv_fdt_ok ? riscv_find_cpu_node(&riscv_fdt, hal_cpu_id()) : -1;
	const char *mmu = cpu >= 0 ? fdt_prop_string(&riscv_fdt, cpu, "mmu-type") : NULL;
	int root = riscv_fdt_ok ? fdt_root(&riscv_fdt) : -1;

	KT_ASSERT(k != NULL);
	KT_EXPECT_EQ(mode, riscv_layout.mode);
	KT_EXPECT_EQ(k->fmt->levels, mode == SATP_MODE_SV48 ? 4u : 3u);
	if (forced)
		KT_EXPECT_EQ(mode, SATP_MODE_SV39);
	/* The DTB says what the hart offers: Sv48 is taken whenever it is there. */
	else if (mmu && (!strcmp(mmu, "riscv,sv48") || !strcmp(mmu, "riscv,sv57")))
		KT_EXPECT_EQ(mode, SATP_MODE_SV48);
	KT_EXPECT_EQ((satp >> SATP_ASID_SHIFT) & SATP_ASID_MASK, 0); /* the kernel runs as id 0 */
	KT_EXPECT_EQ(hal_mmu_asid_count(), 1u << riscv_mmu_asid_bits());
	if (root >= 0 && fdt_is_compatible(&riscv_fdt, root, "riscv-virtio"))
		KT_EXPECT_EQ(riscv_mmu_asid_bits(), 16); /* QEMU keeps all 16 bits */
	KT_EXPECT(!hal_mmu_separate_kernel_root());
	KT_EXPECT_EQ(csr_read(sstatus) & (SSTATUS_SUM | SSTATUS_MXR), 0);
	kprintf("    %s, mmu-type %s, %u ASID bits\n", k->fmt->name, mmu ? mmu : "?",
		riscv_mmu_asid_bits());
}

KTEST(riscv_mm_live_root_is_the_kernel_table_without_identity)
{
	struct pagetable *k = hal_kernel_pagetable();
	const pte_t *root;
	unsigned lower = 0, unpinned = 0;

	KT_ASSERT(k != NULL);
	KT_EXPECT_EQ((satp_now() & SATP_PPN_MASK) << PAGE_SHIFT, k->root);
	KT_EXPECT_EQ(riscv_mmu_kernel_satp(), satp_now());
	root = hal_phys_to_virt(k->root);
	KT_ASSERT(root != NULL);
	/* The lower half is empty: the boot identity map is gone. The kernel half is pinned:
	 * every entry a table (never a leaf), so user roots can copy them. */
	for (unsigned i = 0; i < 256; i++)
		lower += root[i] != 0;
	for (unsigned i = 256; i < 512; i++)
		unpinned += !(root[i] & PTE_V) || (root[i] & (PTE_R | PTE_W | PTE_X | PTE_U));
	KT_EXPECT_EQ(lower, 0);
	KT_EXPECT_EQ(unpinned, 0);
	KT_EXPECT_EQ(pt_query(k, riscv_kernel_pa, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(pt_query(k, kernel_boot_info->dtb_pa, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(pt_query(k, 0, NULL, NULL, NULL), -ENOENT);
}

/* Leaves of the kernel: valid, readable, accessed, dirty, global, never user. */
static bool good_kernel_leaf(pte_t e)
{
	const pte_t want = PTE_V | PTE_R | PTE_A | PTE_D | PTE_G;

	return (e & want) == want && !(e & PTE_U);
}

KTEST(riscv_mm_kernel_leaves_have_a_d_g_and_no_u)
{
	unsigned bad = 0, leaves = 0, level;
	/* QEMU virt's UART (already mapped for the console: the same mapping comes back). */
	uintptr_t io = (uintptr_t)hal_map_io(0x10000000, 1);
	paddr_t big = 0;
	pte_t e;

	KT_ASSERT(hal_kernel_pagetable() != NULL);
	for (uintptr_t va = (uintptr_t)__kernel_start; va < (uintptr_t)__kernel_end;
	     va += PAGE_SIZE) {
		e = raw_leaf(va, &level);
		if (!e)
			continue; /* a guard page */
		leaves++;
		bad += !good_kernel_leaf(e);
	}
	KT_EXPECT(leaves > 0);
	KT_EXPECT_EQ(bad, 0);
	/* The direct map: a large leaf where RAM is aligned enough (QEMU's is). */
	e = raw_leaf((uintptr_t)hal_phys_to_virt(kernel_boot_info->dtb_pa), &level);
	KT_EXPECT(good_kernel_leaf(e));
	KT_EXPECT(!(e & PTE_X));
	for (uint32_t i = 0; i < kernel_boot_info->mem_count; i++) {
		const struct mem_region *r = &kernel_boot_info->mem[i];

		if (r->type == MEM_USABLE && riscv_kernel_pa - r->base < r->size)
			big = ALIGN_DOWN(r->base + r->size, 0x200000UL) - 0x200000UL;
	}
	KT_ASSERT(big > riscv_kernel_pa);
	e = raw_leaf((uintptr_t)hal_phys_to_virt(big), &level);
	KT_EXPECT(good_kernel_leaf(e));
	KT_EXPECT(level >= 1);
	KT_EXPECT(!(e & PTE_X));
	/* A device mapping: tagged as such, not executable. */
	if (io) {
		e = raw_leaf(io, &level);
		KT_EXPECT(good_kernel_leaf(e));
		KT_EXPECT((e & (PTE_W | PTE_SW_DEVICE)) == (PTE_W | PTE_SW_DEVICE));
		KT_EXPECT(!(e & PTE_X));
	}
}

KTEST(riscv_mm_layout_image_direct_map_io_window)
{
	struct pagetable *k = hal_kernel_pagetable();
	const struct riscv_layout *l = &riscv_layout;
	uintptr_t text = (uintptr_t)hal_phys_to_virt(riscv_kernel_pa);
	uintptr_t guard = (uintptr_t)boot_stack_guard;
	uintptr_t guard_alias = (uintptr_t)hal_phys_to_virt(riscv_kernel_pa + (guard - l->image_va));
	void *a, *b;
	unsigned f;
	vaddr_t vb;
	size_t vs;

	KT_ASSERT(k != NULL);
	KT_EXPECT_EQ((uintptr_t)__kernel_start, l->khalf + RV_IMAGE_OFFSET);
	KT_EXPECT_EQ(l->khalf, l->mode == SATP_MODE_SV48 ? RV_KHALF_SV48 : RV_KHALF_SV39);
	/* The image's pages in the direct map: same frames, no exec, text read-only. */
	KT_EXPECT(text >= l->dmap_base && text < l->dmap_base + l->dmap_size);
	KT_ASSERT(!pt_query(k, text, NULL, &f, NULL));
	KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC), 0);
	KT_EXPECT_EQ(*(const uint32_t *)text, *(const uint32_t *)__kernel_start);
	KT_EXPECT_EQ(pt_query(k, guard_alias, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT(hal_phys_to_virt(1UL << 50) == NULL); /* not RAM: not in the direct map */
	/* Device mappings: in the I/O window, the same pointer for the same device. */
	a = hal_map_io(0x10000000, 8);
	b = hal_map_io(0x10000004, 4);
	KT_ASSERT(a != NULL);
	KT_EXPECT((uintptr_t)a >= l->io_base && (uintptr_t)a < l->io_base + l->io_size);
	KT_EXPECT_EQ((uintptr_t)b, (uintptr_t)a + 4);
	KT_EXPECT(hal_map_io(1UL << 56, 4096) == NULL);
	/* The run-time window: kernel half, clear of the image, direct map and I/O window. */
	hal_kernel_vmap_window(&vb, &vs);
	KT_EXPECT_EQ(vb, l->vmap_base);
	KT_EXPECT(vb >= l->khalf && vb + vs - 1 > vb);
	KT_EXPECT(vb + vs <= l->dmap_base || vb >= l->dmap_base + l->dmap_size);
	KT_EXPECT(vb + vs <= l->io_base || vb >= l->io_base + l->io_size);
	kprintf("    image %#lx, direct map %#lx (PA %#lx), I/O %#lx, vmap %#lx+%#lx\n",
		(unsigned long)l->image_va, (unsigned long)l->dmap_base,
		(unsigned long)l->dmap_pa_base, (unsigned long)l->io_base, (unsigned long)vb,
		(unsigned long)vs);
}

static void load_from(void *arg)
{
	(void)*(volatile uint64_t *)arg;
}

static void store_to(void *arg)
{
	*(volatile uint64_t *)arg = 1;
}

/* "ret" (c.jr ra), in writable data: not executable. */
static uint16_t data_ret[8] __attribute__((aligned(16))) = { 0x8082 };

static void fetch_from(void *arg)
{
	((void (*)(void))(uintptr_t)arg)();
}

static void expect_cause(struct ktest_ctx *kt, void (*fn)(void *), void *arg,
			 unsigned long cause)
{
	struct fault_info fi;

	if (!KT_EXPECT_EQ(fault_probe_run(fn, arg, &fi), 1))
		return;
	KT_EXPECT_EQ(fi.kind, FAULT_PAGE);
	KT_EXPECT_EQ(fi.code, cause);
	KT_EXPECT(fi.addr_valid);
	KT_EXPECT_EQ(fi.addr, (uintptr_t)arg);
	if (cause == EXC_INST_PAGE)
		KT_EXPECT_EQ(fi.pc, (uintptr_t)arg);
}

KTEST(riscv_mm_page_faults_carry_their_scause)
{
	KT_ASSERT(hal_kernel_pagetable() != NULL);
	expect_cause(kt, load_from, (void *)riscv_layout.khalf, EXC_LOAD_PAGE);
	expect_cause(kt, store_to, (void *)riscv_layout.khalf, EXC_STORE_PAGE);
	expect_cause(kt, store_to, (void *)(uintptr_t)load_from, EXC_STORE_PAGE); /* text */
	expect_cause(kt, store_to, (void *)(uintptr_t)__text_end, EXC_STORE_PAGE); /* rodata */
	expect_cause(kt, fetch_from, data_ret, EXC_INST_PAGE);
	expect_cause(kt, fetch_from, (void *)(riscv_layout.khalf + 0x1000), EXC_INST_PAGE);
	/* The direct-map alias of the text is neither executable nor writable. */
	expect_cause(kt, fetch_from, hal_phys_to_virt(riscv_kernel_pa + 0x1000), EXC_INST_PAGE);
	expect_cause(kt, store_to, hal_phys_to_virt(riscv_kernel_pa + 0x1000), EXC_STORE_PAGE);
	/* Non-canonical addresses fault as page faults too. */
	expect_cause(kt, load_from, (void *)(1UL << 62), EXC_LOAD_PAGE);
}

/* Overflow the boot stack into its guard page: the store faults, and the trap entry must
 * put the frame on the trap stack since there is no room (or mapping) below. */
static void overflow_into_guard(void *arg)
{
	uintptr_t sp = (uintptr_t)boot_stack_guard + PAGE_SIZE;

	(void)arg;
	__asm__ __volatile__("mv t0, sp\n\tmv sp, %0\n\tsd zero, -8(sp)\n\tmv sp, t0"
			     :: "r"(sp) : "t0", "memory");
}

KTEST(riscv_mm_stack_overflow_into_the_guard_is_caught)
{
	const struct per_cpu *pc = this_cpu();
	struct fault_info fi;
	uintptr_t frame;

	KT_ASSERT(hal_kernel_pagetable() != NULL);
	KT_EXPECT_EQ(pc->arch[PCA_STACK_LO], (uintptr_t)boot_stack_guard + PAGE_SIZE);
	KT_ASSERT(fault_probe_run(overflow_into_guard, NULL, &fi) == 1);
	frame = (uintptr_t)fi.frame;
	KT_EXPECT_EQ(fi.kind, FAULT_PAGE);
	KT_EXPECT_EQ(fi.code, EXC_STORE_PAGE);
	KT_EXPECT_EQ(fi.addr, (uintptr_t)boot_stack_guard + PAGE_SIZE - 8);
	KT_EXPECT(frame >= pc->arch[PCA_TRAP_STACK_LO] && frame < pc->arch[PCA_TRAP_STACK_HI]);
	/* The trap stack's own guard sits right below it. */
	KT_EXPECT_EQ(riscv_trap_stack_guard(0) + PAGE_SIZE, pc->arch[PCA_TRAP_STACK_LO]);
}

KTEST(riscv_mm_unwinder_refuses_frames_in_guard_pages)
{
	uintptr_t fp, pc, g[1 + CONFIG_MAX_CPUS];
	size_t n = hal_kernel_stack_guards(g, ARRAY_SIZE(g));

	KT_ASSERT(n >= 1);
	for (size_t i = 0; i < n && i < ARRAY_SIZE(g); i++) {
		KT_EXPECT(riscv_mmu_is_guard(g[i]));
		fp = g[i] + 64;
		KT_EXPECT(!hal_unwind(&fp, &pc));
		fp = g[i] + PAGE_SIZE; /* the record [fp-16, fp) is the guard's last bytes */
		KT_EXPECT(!hal_unwind(&fp, &pc));
	}
	fp = (uintptr_t)boot_stack_guard + PAGE_SIZE + 16; /* first record above it: fine */
	KT_EXPECT(!riscv_mmu_is_guard(fp - 16));
}
