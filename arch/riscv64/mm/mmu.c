// SPDX-License-Identifier: MIT
/* riscv64 MMU: NOT BUILT YET — placeholder so the contract links; the MMU stays off. */
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>

int hal_mmu_init(void)
{
	kprintf("  mmu: NOT BUILT YET on riscv64: MMU off, no W^X, no guard pages\n");
	return -ENOSYS;
}

struct pagetable *hal_kernel_pagetable(void)
{
	return NULL;
}

bool hal_mmu_separate_kernel_root(void)
{
	return false;
}

unsigned hal_mmu_asid_count(void)
{
	return 1;
}

void hal_mmu_switch(paddr_t root, unsigned asid)
{
	(void)root;
	(void)asid;
}

void hal_tlb_flush_range(unsigned asid, vaddr_t va, size_t size)
{
	(void)asid;
	(void)va;
	(void)size;
}

void hal_tlb_flush_asid(unsigned asid)
{
	(void)asid;
}

void hal_kernel_vmap_window(vaddr_t *base, size_t *size)
{
	*base = 0;
	*size = 0;
}

size_t hal_kernel_stack_guards(vaddr_t *out, size_t max)
{
	(void)out;
	(void)max;
	return 0;
}
