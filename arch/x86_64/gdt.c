// SPDX-License-Identifier: MIT
/* x86-64 GDT and 64-bit TSS: separate IST stacks for NMI, double fault and machine check. */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>

/*
 * The 64-bit TSS (SDM vol. 3 section 8.7). Only the IST pointers matter for now: RSP0 is
 * used on a privilege change, which needs user mode.
 */
struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];    /* ist[0] is IST1 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct x86_tss) == 104, "64-bit TSS is 104 bytes");

/* Code, data (as the boot GDT in boot/head.S) and the 16-byte TSS descriptor. */
#define GDT_CODE64 0x00AF9B000000FFFFULL  /* present, DPL 0, code, L=1, accessed */
#define GDT_DATA   0x00CF93000000FFFFULL  /* present, DPL 0, writable, accessed */
#define TSS_TYPE_AVAILABLE 0x89ULL        /* present, DPL 0, 64-bit TSS (available) */
#define GDT_ENTRIES 5

/* One GDT, TSS and set of IST stacks: enough for the boot CPU (each CPU needs its own copy
 * once secondary CPUs start: the TSS is marked busy by ltr). */
static uint64_t gdt[GDT_ENTRIES] __aligned(16);
static struct x86_tss tss __aligned(16);
/* Each IST stack sits on a page boundary above its own guard page, which mmu.c leaves
 * unmapped at the kernel-image address: an overflow faults instead of corrupting .bss. */
#define IST_GUARD_SIZE 4096
static struct {
	uint8_t guard[IST_GUARD_SIZE];
	uint8_t stack[X86_IST_STACK_SIZE];
} ist_area[X86_IST_COUNT] __aligned(4096);

static void set_tss_descriptor(uint64_t *d, uintptr_t base, uint32_t limit)
{
	d[0] = (limit & 0xffffULL) | ((base & 0xffffffULL) << 16) | (TSS_TYPE_AVAILABLE << 40) |
	       ((uint64_t)((limit >> 16) & 0xf) << 48) | ((uint64_t)((base >> 24) & 0xff) << 56);
	d[1] = base >> 32;
}

void x86_gdt_init(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} gdtr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };

	for (unsigned i = 0; i < X86_IST_COUNT; i++)
		tss.ist[i] = (uint64_t)(uintptr_t)(ist_area[i].stack + X86_IST_STACK_SIZE);
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */

	gdt[0] = 0;
	gdt[KERNEL_CS / 8] = GDT_CODE64;
	gdt[KERNEL_DS / 8] = GDT_DATA;
	set_tss_descriptor(&gdt[KERNEL_TSS / 8], (uintptr_t)&tss, sizeof(tss) - 1);

	/* Reload every segment register from the new table: CS through a far return. */
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"ltr %w3"
		: : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(KERNEL_TSS) : "rax", "memory");
}

uintptr_t x86_ist_stack_top(unsigned ist)
{
	return ist >= 1 && ist <= X86_IST_COUNT ? (uintptr_t)tss.ist[ist - 1] : 0;
}

bool x86_addr_on_ist_stack(uintptr_t addr, size_t len)
{
	for (unsigned i = 0; i < X86_IST_COUNT; i++) {
		uintptr_t lo = (uintptr_t)ist_area[i].stack, hi = lo + X86_IST_STACK_SIZE;

		if (addr >= lo && addr < hi && len <= hi - addr)
			return true;
	}
	return false;
}

uintptr_t x86_ist_guard(unsigned ist)
{
	return ist >= 1 && ist <= X86_IST_COUNT ? (uintptr_t)ist_area[ist - 1].guard : 0;
}
