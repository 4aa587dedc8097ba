// SPDX-License-Identifier: MIT
/* In-kernel tests of the x86-64 kernel page tables: CR3/CR4/EFER state, layout, #PF error codes. */
#include <arch/cpu.h>
#include <arch/direct_map.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>
#include <kernel/pagetable.h>
#include <kernel/pmm.h>
#include <kernel/sections.h>

#define MSR_EFER  0xC0000080
#define EFER_NXE  (1ULL << 11)
#define CR4_PGE   (1ULL << 7)
#define CR4_PCIDE (1ULL << 17)
#define VEC_PF    14


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

/* W^X itself is checked on every port by test/ktest/test_paging.c; here the x86 layout. */
KTEST(x86_mm_image_sits_in_the_direct_map)
{
	struct pagetable live;
	unsigned misplaced = 0;

	KT_ASSERT(live_table(&live));
	KT_ASSERT(x86_mmu_has_nx());
	for (uintptr_t va = (uintptr_t)__kernel_start; va < (uintptr_t)__kernel_end;
	     va += PAGE_SIZE) {
		paddr_t pa;

		if (!x86_mmu_is_guard(va) && !pt_query(&live, va, &pa, NULL, NULL))
			misplaced += pa != va - DIRECT_MAP_BASE;
	}
	KT_EXPECT_EQ(misplaced, 0);
	for (unsigned i = 1; i <= X86_IST_COUNT; i++)
		KT_EXPECT(x86_mmu_is_guard(x86_ist_guard(i)));
}

/* The raw leaf entry mapping @va in @pt, or 0 when none (to see PCD/PWT/PAT themselves). */
static uint64_t raw_leaf(const struct pagetable *pt, uintptr_t va)
{
	paddr_t tpa = pt->root;

	for (int level = 3; level >= 0; level--) {
		const uint64_t *t = hal_phys_to_virt(tpa);
		uint64_t e;

		if (!t)
			return 0;
		e = t[(va >> (12 + 9 * level)) & 511];
		if (!(e & X86_PTE_P))
			return 0;
		if (level == 0 || (e & X86_PTE_PS))
			return e;
		tpa = e & X86_PTE_ADDR;
	}
	return 0;
}

/* Memory-type bits of a leaf: PCD, PWT and PAT (bit 7 in 4 KiB leaves, bit 12 in large). */
static uint64_t type_bits(uint64_t leaf, bool large)
{
	return leaf & (X86_PTE_PCD | X86_PTE_PWT | (large ? 1ULL << 12 : X86_PTE_PS));
}

/* The largest usable RAM region the firmware reported, page aligned inward. */
static bool biggest_ram(paddr_t *base, paddr_t *end)
{
	const struct boot_info *bi = kernel_boot_info;
	uint64_t best = 0;

	for (uint32_t i = 0; bi && i < bi->mem_count && i < BOOT_MAX_MEM_REGIONS; i++) {
		paddr_t b = ALIGN_UP(bi->mem[i].base, (paddr_t)PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(bi->mem[i].base + bi->mem[i].size, (paddr_t)PAGE_SIZE);

		if (bi->mem[i].type == MEM_USABLE && e > b && e - b > best) {
			best = e - b;
			*base = b;
			*end = e;
		}
	}
	return best != 0;
}

/* RAM is mapped write-back (no PCD/PWT/PAT), read-write, no-exec, in the live tables. */
KTEST(x86_mm_direct_map_maps_ram_write_back)
{
	struct pagetable live;
	paddr_t base = 0, end = 0, probe[3];
	unsigned f;
	size_t leaf;

	KT_ASSERT(live_table(&live));
	KT_ASSERT(biggest_ram(&base, &end));
	probe[0] = base;
	probe[1] = base + ALIGN_DOWN((end - base) / 2, (paddr_t)PAGE_SIZE);
	probe[2] = end - PAGE_SIZE;
	for (unsigned i = 0; i < 3; i++) {
		uintptr_t va = DIRECT_MAP_BASE + probe[i];
		paddr_t pa;

		if (!KT_EXPECT_EQ(pt_query(&live, va, &pa, &f, &leaf), 0))
			continue;
		KT_EXPECT_EQ(pa, probe[i]);
		KT_EXPECT_EQ(f & PT_DEVICE, 0);
		if (va < (uintptr_t)__kernel_start || va >= (uintptr_t)__kernel_end)
			KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC), PT_WRITE); /* the image: W^X sections */
		KT_EXPECT_EQ(type_bits(raw_leaf(&live, va), leaf > PAGE_SIZE), 0);
		KT_EXPECT(hal_phys_to_virt(probe[i]) == (void *)va);
	}
	/* The middle of a big range gets large leaves (the test boots have >= 128 MiB). */
	if (end - base >= 0x800000) {
		KT_ASSERT(!pt_query(&live, DIRECT_MAP_BASE + ALIGN_UP(base, 0x200000UL) + 0x200000,
				    NULL, NULL, &leaf));
		KT_EXPECT(leaf >= 0x200000);
	}
}

/* The MMIO holes below 4 GiB are not in the direct map at all (so never write-back). */
KTEST(x86_mm_direct_map_leaves_mmio_holes_out)
{
	/* LAPIC, IOAPIC, the PCI hole (q35 and i440fx have no RAM at 3 GiB), VGA memory. */
	static const paddr_t holes[] = { 0xFEE00000, 0xFEC00000, 0xC0000000, 0xE0000000, 0xA0000 };
	struct pagetable live;

	KT_ASSERT(live_table(&live));
	for (unsigned i = 0; i < ARRAY_SIZE(holes); i++) {
		KT_EXPECT_EQ(pt_query(&live, DIRECT_MAP_BASE + holes[i], NULL, NULL, NULL), -ENOENT);
		KT_EXPECT(raw_leaf(&live, DIRECT_MAP_BASE + holes[i]) == 0);
		KT_EXPECT(hal_phys_to_virt(holes[i]) == NULL);
	}
}

/* A device window from hal_map_io() is uncached: PCD and PWT set (PAT entry 3, UC). */
KTEST(x86_mm_map_io_below_4g_is_uncached)
{
	struct pagetable live;
	uintptr_t va;
	uint64_t e;
	paddr_t pa;
	unsigned f;
	size_t leaf;

	KT_ASSERT(live_table(&live));
	va = (uintptr_t)hal_map_io(0xFEE00000, 0x400);
	KT_ASSERT(va != 0);
	KT_EXPECT(va >= KERNEL_IO_BASE && va < KERNEL_IO_BASE + KERNEL_IO_SIZE);
	KT_ASSERT(!pt_query(&live, va, &pa, &f, &leaf));
	KT_EXPECT_EQ(pa, 0xFEE00000);
	KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC | PT_DEVICE | PT_USER), PT_WRITE | PT_DEVICE);
	e = raw_leaf(&live, va);
	KT_EXPECT_EQ(e & (X86_PTE_PCD | X86_PTE_PWT), X86_PTE_PCD | X86_PTE_PWT);
	KT_EXPECT_EQ(type_bits(e, leaf > PAGE_SIZE) & ~(X86_PTE_PCD | X86_PTE_PWT), 0);
	/* The same range again: the same mapping, not a second one. */
	KT_EXPECT_EQ((uintptr_t)hal_map_io(0xFEE00000 + 0x20, 4), va + 0x20);
	/* RAM asked for through hal_map_io(): the write-back direct map, no uncached alias. */
	KT_EXPECT(hal_map_io(KERNEL_PHYS_BASE, 64) == hal_phys_to_virt(KERNEL_PHYS_BASE));
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

/* MMIO above 4 GiB (64-bit BARs) gets an uncached mapping in the I/O window, once per range. */
KTEST(x86_mm_map_io_above_4g_uses_the_io_window)
{
	struct pagetable *k = hal_kernel_pagetable();
	const paddr_t bar = 0x8000000000ULL + 0x1234; /* 512 GiB: no RAM on these boards */
	uintptr_t va, again;
	paddr_t pa;
	unsigned f;

	KT_ASSERT(k != NULL);
	KT_ASSERT(hal_phys_to_virt(bar) == NULL);
	va = (uintptr_t)hal_map_io(bar, 0x100);
	KT_ASSERT(va != 0);
	KT_EXPECT(va >= KERNEL_IO_BASE && va < KERNEL_IO_BASE + KERNEL_IO_SIZE);
	KT_EXPECT_EQ(va & 0xfff, 0x234);
	KT_ASSERT(!pt_query(k, va, &pa, &f, NULL));
	KT_EXPECT_EQ(pa, bar);
	KT_EXPECT_EQ(f & (PT_WRITE | PT_EXEC | PT_DEVICE | PT_USER), PT_WRITE | PT_DEVICE);
	again = (uintptr_t)hal_map_io(bar + 0x10, 4);
	KT_EXPECT_EQ(again, va + 0x10);
	/* Below 4 GiB too: a device is never answered from the (RAM-only) direct map. */
	KT_EXPECT((uintptr_t)hal_map_io(0xFEC00000, 0x20) >= KERNEL_IO_BASE);
	KT_EXPECT(hal_map_io(~(paddr_t)0 - 0x10, 0x100) == NULL); /* wraps */
}
