// SPDX-License-Identifier: MIT
/* x86-64 frame-pointer unwinding and deliberately raised faults for the fault tests. */
#include <arch/cpu.h>
#include <arch/direct_map.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/hal.h>

_Static_assert(offsetof(struct hal_jmpbuf, irqflags) == 128, "context.S hard-codes JB_IRQFLAGS");
_Static_assert(sizeof(irqflags_t) == 8, "context.S stores irqflags as a quadword");

/*
 * A frame is [fp] = the caller's frame pointer, [fp + 8] = the return address. Only read it
 * when both words lie in the direct map, which holds RAM only (the kernel image and its stacks
 * are inside it). That cannot fault and never touches a device register.
 */
static bool frame_readable(uintptr_t fp)
{
	if (fp & 7)
		return false;
	if (fp < DIRECT_MAP_BASE || fp - DIRECT_MAP_BASE > DIRECT_MAP_MAX - 16 ||
	    !x86_direct_map_covers_range(fp - DIRECT_MAP_BASE, fp - DIRECT_MAP_BASE + 15))
		return false;
	/* The stack guard pages (mmu.c) are the only holes inside the direct map's RAM. */
	return !x86_mmu_is_guard(fp) && !x86_mmu_is_guard(fp + 15);
}

bool hal_unwind(uintptr_t *fp, uintptr_t *pc)
{
	uintptr_t f = *fp, caller_fp, ret;

	if (!f || !frame_readable(f))
		return false;
	caller_fp = ((const uintptr_t *)f)[0];
	ret = ((const uintptr_t *)f)[1];
	if (!ret)
		return false;
	/* Callers' frames sit at higher addresses; anything else is a corrupt (or looping)
	 * chain, except 0, which head.S leaves as the end marker. */
	if (caller_fp && caller_fp <= f)
		caller_fp = 0;
	*fp = caller_fp;
	*pc = ret;
	return true;
}

/* Canonical and never mapped (layout.h): a load from there is a not-present #PF. */
#define UNMAPPED_VA X86_UNMAPPED_VA
/* Bit 47 set without the upper bits: not canonical, so a load raises #GP. */
#define NONCANONICAL_VA 0x0000800000000000UL

static uint64_t load_from(uintptr_t va)
{
	uint64_t v;

	__asm__ __volatile__("movq (%1), %0" : "=r"(v) : "r"(va) : "memory");
	return v;
}

int hal_trigger_fault(int kind)
{
	switch (kind) {
	case FAULT_BREAKPOINT:
		__asm__ __volatile__("int3" : : : "memory");
		return 0;
	case FAULT_ILLEGAL_INSTRUCTION:
		__asm__ __volatile__("ud2" : : : "memory");
		return 0;
	case FAULT_PAGE:
		(void)load_from(UNMAPPED_VA);
		return 0;
	case FAULT_GENERAL_PROTECTION:
		(void)load_from(NONCANONICAL_VA);
		return 0;
	default:
		/* FAULT_ACCESS: with paging on, an unmapped load is a #PF (ask for FAULT_PAGE). */
		return -ENOSYS;
	}
}
