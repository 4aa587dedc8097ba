// SPDX-License-Identifier: MIT
/*
 * ktest: the kernel's own page tables on every port, checked through the HAL's MMU contract
 * (kernel/hal.h): W^X of the live tables over the image's sections, unmapped guard pages and
 * NULL, faults on writing text and executing data, map/unmap/protect round trips in the
 * run-time window, and address spaces switched with their ids.
 */
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>
#include <kernel/pagetable.h>
#include <kernel/pmm.h>
#include <kernel/sections.h>
#include <kernel/vm_space.h>
#include <lib/string.h>

#define MAX_GUARDS (CONFIG_MAX_CPUS * 2 + 8) /* boot stack + per-CPU exception stacks */
#define GiB ((size_t)1 << 30)

static bool is_guard(vaddr_t va)
{
	vaddr_t g[MAX_GUARDS];
	size_t n = hal_kernel_stack_guards(g, MAX_GUARDS);

	for (size_t i = 0; i < n && i < MAX_GUARDS; i++)
		if (va == g[i])
			return true;
	return false;
}

KTEST(paging_kernel_runs_on_its_own_tables)
{
	struct pagetable *k = hal_kernel_pagetable();
	vaddr_t g[MAX_GUARDS], base;
	size_t n, size;

	KT_ASSERT(k != NULL); /* this port has not built its page tables */
	KT_EXPECT(hal_mmu_asid_count() >= 1);
	n = hal_kernel_stack_guards(g, MAX_GUARDS);
	KT_EXPECT(n >= 1 && n <= MAX_GUARDS); /* at least the boot stack has one */
	hal_kernel_vmap_window(&base, &size);
	KT_EXPECT(size >= GiB);
	KT_EXPECT((intptr_t)base < 0); /* kernel half */
	KT_EXPECT_EQ(pt_query(k, base, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT_EQ(pt_query(k, 0, NULL, NULL, NULL), -ENOENT);
	KT_EXPECT((intptr_t)(uintptr_t)__kernel_start < 0); /* the image runs in the higher half */
}

KTEST(paging_image_is_w_xor_x_in_the_live_tables)
{
	struct pagetable *k = hal_kernel_pagetable();
	unsigned bad_wx = 0, bad_text = 0, bad_ro = 0, bad_data = 0, user = 0, unmapped = 0;
	unsigned guards = 0, mapped_guards = 0;

	KT_ASSERT(k != NULL);
	KT_ASSERT((uintptr_t)__kernel_start < (uintptr_t)__text_end);
	KT_ASSERT((uintptr_t)__text_end <= (uintptr_t)__data_start);
	KT_ASSERT((uintptr_t)__data_start < (uintptr_t)__kernel_end);
	for (uintptr_t va = (uintptr_t)__kernel_start; va < (uintptr_t)__kernel_end;
	     va += PAGE_SIZE) {
		unsigned f;

		if (is_guard(va)) {
			guards++;
			mapped_guards += pt_query(k, va, NULL, NULL, NULL) != -ENOENT;
			continue;
		}
		if (pt_query(k, va, NULL, &f, NULL)) {
			unmapped++;
			continue;
		}
		bad_wx += (f & PT_WRITE) && (f & PT_EXEC);
		user += !!(f & PT_USER);
		if (va < (uintptr_t)__text_end)
			bad_text += (f & PT_WRITE) || !(f & PT_EXEC);
		else if (va < (uintptr_t)__data_start)
			bad_ro += (f & PT_WRITE) || (f & PT_EXEC);
		else
			bad_data += !(f & PT_WRITE) || (f & PT_EXEC);
	}
	KT_EXPECT_EQ(bad_wx, 0);
	KT_EXPECT_EQ(bad_text, 0);
	KT_EXPECT_EQ(bad_ro, 0);
	KT_EXPECT_EQ(bad_data, 0);
	KT_EXPECT_EQ(user, 0);
	KT_EXPECT_EQ(unmapped, 0);
	KT_EXPECT_EQ(mapped_guards, 0);
	KT_EXPECT(guards >= 1); /* the boot stack's guard lies in the image's bss */
}

static void read_from(void *arg)
{
	(void)*(volatile uint8_t *)arg;
}

static void write_to(void *arg)
{
	*(volatile uint8_t *)arg = 0x5a;
}

static void return_at_once(void)
{
}

/* Writable data: never executable. Holds a copy of a function that only returns. */
static uint8_t data_code[64] __aligned(16);

static void exec_data(void *arg)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)arg;

	fn();
}

/* @fn(@arg) must take a page fault at @addr. */
static void expect_page_fault(struct ktest_ctx *kt, void (*fn)(void *), void *arg, uintptr_t addr)
{
	struct fault_info seen;

	if (!KT_EXPECT_EQ(fault_probe_run(fn, arg, &seen), 1))
		return;
	KT_EXPECT_EQ(seen.kind, FAULT_PAGE);
	KT_EXPECT(seen.addr_valid);
	KT_EXPECT_EQ(seen.addr, addr);
}

KTEST(paging_guards_null_text_and_data_fault)
{
	vaddr_t g[MAX_GUARDS];
	size_t n = hal_kernel_stack_guards(g, MAX_GUARDS);
	uint8_t *text = (uint8_t *)(uintptr_t)write_to;
	uint8_t before = *text;
	uintptr_t last;

	KT_ASSERT(hal_kernel_pagetable() != NULL);
	for (size_t i = 0; i < n && i < MAX_GUARDS; i++) {
		expect_page_fault(kt, read_from, (void *)g[i], g[i]);
		expect_page_fault(kt, write_to, (void *)(g[i] + PAGE_SIZE - 1), g[i] + PAGE_SIZE - 1);
	}
	expect_page_fault(kt, read_from, NULL, 0);
	expect_page_fault(kt, write_to, (void *)8, 8);
	expect_page_fault(kt, write_to, text, (uintptr_t)text);
	KT_EXPECT_EQ(*text, before);
	memcpy(data_code, (const void *)(uintptr_t)return_at_once, sizeof(data_code));
	expect_page_fault(kt, exec_data, data_code, (uintptr_t)data_code);
	/* The last byte of text and of rodata (addresses formed as integers: the compiler
	 * would object to indexing before a linker symbol). */
	last = (uintptr_t)__text_end - 1;
	expect_page_fault(kt, write_to, (void *)last, last);
	last = (uintptr_t)__data_start - 1;
	expect_page_fault(kt, write_to, (void *)last, last);
}

KTEST(paging_map_protect_unmap_round_trip_in_the_vmap_window)
{
	struct pagetable *k = hal_kernel_pagetable();
	const unsigned rw = PT_READ | PT_WRITE | PT_GLOBAL;
	vaddr_t base;
	size_t size, leaf;
	paddr_t frames, pa;
	volatile uint64_t *va;
	uint64_t *alias;
	unsigned f;

	KT_ASSERT(k != NULL);
	hal_kernel_vmap_window(&base, &size);
	va = (volatile uint64_t *)base;
	KT_ASSERT(!pmm_alloc(1, &frames)); /* two pages */
	alias = hal_phys_to_virt(frames);
	KT_ASSERT(alias != NULL);
	KT_EXPECT_EQ(pt_map(k, base, frames, 2 * PAGE_SIZE, PT_READ | PT_WRITE | PT_EXEC), -EPERM);
	KT_ASSERT(KT_EXPECT_EQ(pt_map(k, base, frames, 2 * PAGE_SIZE, rw), 0));
	KT_EXPECT_EQ(pt_map(k, base + PAGE_SIZE, frames, PAGE_SIZE, PT_READ), -EEXIST);
	va[0] = 0x1234;
	va[PAGE_SIZE / 8] = 0x5678;
	KT_EXPECT_EQ(alias[0], 0x1234);
	KT_EXPECT_EQ(alias[PAGE_SIZE / 8], 0x5678);
	KT_EXPECT(!pt_query(k, base + PAGE_SIZE + 8, &pa, &f, &leaf));
	KT_EXPECT_EQ(pa, frames + PAGE_SIZE + 8);
	KT_EXPECT_EQ(f & (PT_READ | PT_WRITE | PT_EXEC | PT_USER), PT_READ | PT_WRITE);
	KT_EXPECT_EQ(leaf, PAGE_SIZE);

	/* Read-only: the write faults (the TLB was told), the read still works. */
	KT_EXPECT_EQ(pt_protect(k, base, 2 * PAGE_SIZE, PT_READ | PT_GLOBAL), 0);
	expect_page_fault(kt, write_to, (void *)base, base);
	KT_EXPECT_EQ(va[0], 0x1234);
	KT_EXPECT_EQ(pt_protect(k, base, 2 * PAGE_SIZE, rw), 0);
	va[1] = 7;
	KT_EXPECT_EQ(alias[1], 7);

	/* Device memory, then gone from the tables and from the TLB. */
	KT_EXPECT_EQ(pt_protect(k, base, PAGE_SIZE, rw | PT_DEVICE), 0);
	KT_EXPECT(!pt_query(k, base, NULL, &f, NULL) && (f & PT_DEVICE));
	KT_EXPECT_EQ(va[1], 7);
	KT_EXPECT_EQ(pt_unmap(k, base, 2 * PAGE_SIZE), 0);
	KT_EXPECT_EQ(pt_query(k, base, NULL, NULL, NULL), -ENOENT);
	expect_page_fault(kt, read_from, (void *)(base + PAGE_SIZE), base + PAGE_SIZE);
	KT_EXPECT_EQ(pt_protect(k, base, PAGE_SIZE, PT_READ), -ENOENT);
	KT_EXPECT_EQ(pmm_free(frames, 1), 0);
}

KTEST(paging_map_unmap_churn_keeps_free_pages)
{
	struct pagetable *k = hal_kernel_pagetable();
	vaddr_t base;
	size_t size;
	paddr_t frame;
	uint64_t before;
	unsigned failures = 0, wrong = 0;

	KT_ASSERT(k != NULL);
	hal_kernel_vmap_window(&base, &size);
	KT_ASSERT(!pmm_alloc(0, &frame));
	before = pmm_free_pages();
	for (unsigned i = 0; i < 512; i++) {
		/* Spread over GiB, 2 MiB and 4 KiB slots so every level allocates and frees. */
		vaddr_t va = base + (((i % 5) * (size / 5)) & ~(GiB - 1)) +
			     ((vaddr_t)(i % 7) << 21) + (vaddr_t)(i % 11) * PAGE_SIZE;

		failures += pt_map(k, va, frame, PAGE_SIZE, PT_READ | PT_WRITE | PT_GLOBAL) != 0;
		*(volatile uint64_t *)va = i;
		wrong += *(volatile uint64_t *)hal_phys_to_virt(frame) != i;
		failures += pt_unmap(k, va, PAGE_SIZE) != 0;
	}
	KT_EXPECT_EQ(failures, 0);
	KT_EXPECT_EQ(wrong, 0);
	KT_EXPECT_EQ(pmm_free_pages(), before);
	KT_EXPECT_EQ(pmm_free(frame, 0), 0);
}

/* A user-half address the tests map in their address spaces. */
#define SPACE_VA ((vaddr_t)0x400000)

KTEST(paging_address_spaces_switch_with_their_ids)
{
	struct vm_space *a, *b;
	paddr_t fa, fb;
	uint64_t before;
	volatile uint64_t *u = (volatile uint64_t *)SPACE_VA;

	KT_ASSERT(hal_kernel_pagetable() != NULL);
	/* Warm the heap's cache for the space objects so the free-page count can be compared. */
	KT_ASSERT(!vm_space_create(&a));
	vm_space_put(a);
	before = pmm_free_pages();
	KT_ASSERT(!pmm_alloc(0, &fa));
	KT_ASSERT(!pmm_alloc(0, &fb));
	*(uint64_t *)hal_phys_to_virt(fa) = 0xaaaa;
	*(uint64_t *)hal_phys_to_virt(fb) = 0xbbbb;
	KT_ASSERT(!vm_space_create(&a));
	KT_ASSERT(!vm_space_create(&b));
	if (hal_mmu_asid_count() > 2) {
		KT_EXPECT(a->asid != 0 && b->asid != 0);
		KT_EXPECT(a->asid != b->asid);
	}
	KT_EXPECT_EQ(vm_space_map_kernel_only(a, SPACE_VA, fa, PAGE_SIZE, PT_READ | PT_WRITE), 0);
	KT_EXPECT_EQ(vm_space_map_kernel_only(b, SPACE_VA, fb, PAGE_SIZE, PT_READ), 0);
	KT_EXPECT_EQ(vm_space_map(a, vm_space_user_limit(a), fa, PAGE_SIZE, PT_READ), -EFAULT);

	/* Same address, different frames, TLB entries kept apart by the ids. */
	KT_EXPECT_EQ(vm_space_switch(a), 0);
	KT_EXPECT_EQ(*u, 0xaaaa);
	*u = 0xa1;
	KT_EXPECT_EQ(vm_space_switch(b), 0);
	KT_EXPECT_EQ(*u, 0xbbbb);
	expect_page_fault(kt, write_to, (void *)SPACE_VA, SPACE_VA); /* read-only in b */
	KT_EXPECT_EQ(vm_space_switch(a), 0);
	KT_EXPECT_EQ(*u, 0xa1);
	/* The kernel half is the same in every space (we are still running, and see data). */
	KT_EXPECT_EQ(*(volatile uint64_t *)hal_phys_to_virt(fb), 0xbbbb);
	KT_EXPECT_EQ(vm_space_unmap(a, SPACE_VA, PAGE_SIZE), 0);
	expect_page_fault(kt, read_from, (void *)SPACE_VA, SPACE_VA);

	/* No space: nothing in the user half. */
	KT_EXPECT_EQ(vm_space_switch(NULL), 0);
	KT_EXPECT(vm_space_current() == NULL);
	expect_page_fault(kt, read_from, (void *)SPACE_VA, SPACE_VA);
	vm_space_put(a);
	vm_space_put(b);
	KT_EXPECT_EQ(pmm_free(fa, 0), 0);
	KT_EXPECT_EQ(pmm_free(fb, 0), 0);
	KT_EXPECT_EQ(pmm_free_pages(), before);
}
