// SPDX-License-Identifier: MIT
/* In-kernel tests of the x86-64 kernel page tables: live-table W^X walk, guards, faults, churn. */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>
#include <kernel/pagetable.h>
#include <kernel/pmm.h>

#define MSR_EFER  0xC0000080
#define EFER_NXE  (1ULL << 11)
#define CR4_PGE   (1ULL << 7)
#define CR4_PCIDE (1ULL << 17)
#define VEC_PF    14

/* A scratch range in an otherwise unused PML4 slot of the higher half. */
#define SCRATCH_VA 0xFFFFC00000000000UL

static uint64_t cr4_now(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* A view of the tables CR3 points at right now (not the copy mmu.c keeps). */
static bool live_table(struct pagetable *out)
{
	struct pagetable *k = hal_kernel_pagetable();

	if (!k)
		return false;
	*out = *k;
	out->root = read_cr3() & X86_PTE_ADDR;
	return true;
}

KTEST(x86_mm_live_tables_are_the_kernel_tables)
{
	struct pagetable live;
	const uint64_t *pml4;

	KT_ASSERT(live_table(&live));
	KT_EXPECT_EQ(live.root, hal_kernel_pagetable()->root);
	KT_EXPECT_EQ(read_cr3() & 0xfff, 0); /* PCID 0 */
	KT_EXPECT_EQ(!!(rdmsr(MSR_EFER) & EFER_NXE), x86_mmu_has_nx());
	KT_EXPECT_EQ(!!(cr4_now() & CR4_PGE), x86_mmu_has_global());
	KT_EXPECT_EQ(!!(cr4_now() & CR4_PCIDE), x86_mmu_has_pcid());
	/* The boot identity map is gone: the whole lower half is empty. */
	pml4 = hal_phys_to_virt(live.root);
	KT_ASSERT(pml4 != NULL);
	for (unsigned i = 0; i < 256; i++)
		if (!KT_EXPECT_EQ(pml4[i], 0))
			break;
	KT_EXPECT_EQ(pt_query(&live, 0, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(pt_query(&live, KERNEL_PHYS_BASE, NULL, NULL, NULL), -ENOENT);
}

KTEST(x86_mm_image_is_w_xor_x_in_the_live_tables)
{
	struct pagetable live;
	uintptr_t text_end = (uintptr_t)__text_end, data = (uintptr_t)__data_start;
	unsigned bad_wx = 0, bad_text = 0, bad_ro = 0, bad_data = 0, unmapped = 0;

	KT_ASSERT(live_table(&live));
	KT_ASSERT(x86_mmu_has_nx());
	for (uintptr_t va = (uintptr_t)__kernel_start; va < (uintptr_t)__kernel_end;
	     va += PAGE_SIZE) {
		unsigned f;
		paddr_t pa;
		bool guard = va == (uintptr_t)boot_stack_guard;

		for (unsigned i = 1; i <= X86_IST_COUNT; i++)
			guard = guard || va == x86_ist_guard(i);
		if (pt_query(&live, va, &pa, &f, NULL)) {
			unmapped += !guard;
			continue;
		}
		KT_EXPECT_EQ(pa, va - DIRECT_MAP_BASE);
		bad_wx += (f & PT_WRITE) && (f & PT_EXEC);
		if (va < text_end)
			bad_text += (f & PT_WRITE) || !(f & PT_EXEC);
		else if (va < data)
			bad_ro += (f & PT_WRITE) || (f & PT_EXEC);
		else
			bad_data += !(f & PT_WRITE) || (f & PT_EXEC);
		if (guard)
			KT_EXPECT(!"a guard page is mapped");
	}
	KT_EXPECT_EQ(bad_wx, 0);
	KT_EXPECT_EQ(bad_text, 0);
	KT_EXPECT_EQ(bad_ro, 0);
	KT_EXPECT_EQ(bad_data, 0);
	KT_EXPECT_EQ(unmapped, 0);
	KT_EXPECT_EQ(pt_query(&live, (uintptr_t)boot_stack_guard, NULL, NULL, NULL), -ENOENT);
	for (unsigned i = 1; i <= X86_IST_COUNT; i++)
		KT_EXPECT_EQ(pt_query(&live, x86_ist_guard(i), NULL, NULL, NULL), -ENOENT);
	/* The direct map around the image: RW NX, large pages, MMIO uncached. */
	{
		unsigned f;
		size_t leaf;

		KT_ASSERT(!pt_query(&live, DIRECT_MAP_BASE + 0x40000000UL, NULL, &f, &leaf));
		KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC | PT_DEVICE), PT_WRITE);
		KT_EXPECT(leaf >= 0x200000);
		KT_ASSERT(!pt_query(&live, DIRECT_MAP_BASE + 0xFEE00000UL, NULL, &f, NULL));
		KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC | PT_DEVICE), PT_WRITE | PT_DEVICE);
	}
}

static void write_to(void *arg)
{
	*(volatile uint8_t *)arg = 0xcc;
}

static void read_from(void *arg)
{
	(void)*(volatile uint8_t *)arg;
}

/* "ret", in writable (so non-executable) data. */
static uint8_t data_ret[16] = { 0xc3 };

static void exec_data(void *arg)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)arg;

	fn();
}

static void expect_pf(struct ktest_ctx *kt, void (*fn)(void *), void *arg, uintptr_t addr,
		      unsigned err_bits)
{
	struct fault_info seen;

	if (!KT_EXPECT_EQ(fault_probe_run(fn, arg, &seen), 1))
		return;
	KT_EXPECT_EQ(seen.kind, FAULT_PAGE);
	KT_EXPECT_EQ(seen.code >> 32, VEC_PF);
	KT_EXPECT(seen.addr_valid);
	KT_EXPECT_EQ(seen.addr, addr);
	KT_EXPECT_EQ(seen.code & err_bits, err_bits);
}

static void trigger(void *arg)
{
	hal_trigger_fault(*(int *)arg);
}

KTEST(x86_mm_write_text_exec_data_touch_guard_fault)
{
	uintptr_t text = (uintptr_t)write_to;

	KT_ASSERT(hal_kernel_pagetable() != NULL);
	expect_pf(kt, write_to, (void *)text, text, X86_PF_P | X86_PF_W);
	KT_EXPECT_EQ(*(volatile uint8_t *)text, *(const uint8_t *)write_to); /* unchanged */
	expect_pf(kt, exec_data, data_ret, (uintptr_t)data_ret, X86_PF_P | X86_PF_ID);
	expect_pf(kt, read_from, boot_stack_guard, (uintptr_t)boot_stack_guard, 0);
	expect_pf(kt, write_to, boot_stack_guard + PAGE_SIZE - 1,
		  (uintptr_t)boot_stack_guard + PAGE_SIZE - 1, X86_PF_W);
	for (unsigned i = 1; i <= X86_IST_COUNT; i++)
		expect_pf(kt, read_from, (void *)x86_ist_guard(i), x86_ist_guard(i), 0);
	expect_pf(kt, read_from, (void *)0, 0, 0);
	{
		int kind = FAULT_PAGE;
		struct fault_info seen;

		KT_EXPECT_EQ(fault_probe_run(trigger, &kind, &seen), 1);
		KT_EXPECT_EQ(seen.kind, FAULT_PAGE);
	}
}

KTEST(x86_mm_map_unmap_protect_round_trip)
{
	struct pagetable *k = hal_kernel_pagetable();
	paddr_t frames, pa;
	volatile uint64_t *va = (volatile uint64_t *)SCRATCH_VA;
	uint64_t *alias;
	unsigned f;

	KT_ASSERT(k != NULL);
	KT_ASSERT(!pmm_alloc(1, &frames)); /* two pages */
	alias = hal_phys_to_virt(frames);
	KT_ASSERT(alias != NULL);
	KT_EXPECT_EQ(pt_query(k, SCRATCH_VA, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(pt_map(k, SCRATCH_VA, frames, 2 * PAGE_SIZE, PT_READ | PT_WRITE | PT_EXEC),
		     -EPERM);
	KT_ASSERT(KT_EXPECT_EQ(pt_map(k, SCRATCH_VA, frames, 2 * PAGE_SIZE,
				      PT_READ | PT_WRITE | PT_GLOBAL), 0));
	KT_EXPECT_EQ(pt_map(k, SCRATCH_VA + PAGE_SIZE, frames, PAGE_SIZE, PT_READ), -EEXIST);
	va[0] = 0x1234;
	va[PAGE_SIZE / 8] = 0x5678;
	KT_EXPECT_EQ(alias[0], 0x1234);
	KT_EXPECT_EQ(alias[PAGE_SIZE / 8], 0x5678);
	KT_EXPECT(!pt_query(k, SCRATCH_VA + PAGE_SIZE + 8, &pa, &f, NULL));
	KT_EXPECT_EQ(pa, frames + PAGE_SIZE + 8);
	KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC), PT_WRITE);

	/* Read-only now: the write faults, the read still works. */
	KT_EXPECT_EQ(pt_protect(k, SCRATCH_VA, 2 * PAGE_SIZE, PT_READ | PT_GLOBAL), 0);
	expect_pf(kt, write_to, (void *)SCRATCH_VA, SCRATCH_VA, X86_PF_P | X86_PF_W);
	KT_EXPECT_EQ(va[0], 0x1234);
	KT_EXPECT_EQ(pt_protect(k, SCRATCH_VA, 2 * PAGE_SIZE, PT_READ | PT_WRITE | PT_GLOBAL), 0);
	va[1] = 7;
	KT_EXPECT_EQ(alias[1], 7);

	/* Unmapped: gone from the tables and from the TLB. */
	KT_EXPECT_EQ(pt_unmap(k, SCRATCH_VA, 2 * PAGE_SIZE), 0);
	KT_EXPECT_EQ(pt_query(k, SCRATCH_VA, NULL, NULL, NULL), -ENOENT);
	expect_pf(kt, read_from, (void *)SCRATCH_VA, SCRATCH_VA, 0);
	KT_EXPECT_EQ(pt_protect(k, SCRATCH_VA, PAGE_SIZE, PT_READ), -ENOENT);
	KT_EXPECT_EQ(pmm_free(frames, 1), 0);
}

KTEST(x86_mm_map_unmap_stress_frees_every_table)
{
	struct pagetable *k = hal_kernel_pagetable();
	paddr_t frame;
	uint64_t before;
	unsigned failures = 0;

	KT_ASSERT(k != NULL);
	KT_ASSERT(!pmm_alloc(0, &frame));
	before = pmm_free_pages();
	for (unsigned i = 0; i < 512; i++) {
		/* Spread over PML4, PDPT and PD slots so every level allocates and frees tables. */
		vaddr_t va = SCRATCH_VA + ((vaddr_t)(i % 7) << 39) + ((vaddr_t)(i % 5) << 30) +
			     ((vaddr_t)(i % 3) << 21) + (vaddr_t)(i % 11) * PAGE_SIZE;

		failures += pt_map(k, va, frame, PAGE_SIZE, PT_READ | PT_WRITE) != 0;
		*(volatile uint64_t *)va = i;
		failures += pt_unmap(k, va, PAGE_SIZE) != 0;
	}
	KT_EXPECT_EQ(failures, 0);
	KT_EXPECT_EQ(pmm_free_pages(), before);
	KT_EXPECT_EQ(pmm_free(frame, 0), 0);
}

KTEST(x86_mm_unwinder_refuses_frames_in_guard_pages)
{
	uintptr_t fp, pc;

	fp = (uintptr_t)boot_stack_guard + 64;
	KT_EXPECT(!hal_unwind(&fp, &pc));
	fp = (uintptr_t)boot_stack_guard - 8; /* the frame's second word is in the guard */
	KT_EXPECT(!hal_unwind(&fp, &pc));
	for (unsigned i = 1; i <= X86_IST_COUNT; i++) {
		fp = x86_ist_guard(i) + PAGE_SIZE - 16;
		KT_EXPECT(!hal_unwind(&fp, &pc));
	}
}
