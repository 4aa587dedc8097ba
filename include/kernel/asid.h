/* SPDX-License-Identifier: MIT */
/*
 * Address-space ids (core/mm/asid.c): the PCIDs / ASIDs that tag user TLB entries, handed out
 * to address spaces. Id 0 is reserved for the kernel and for "untagged"; ids 1 ..
 * hal_mmu_asid_count() - 1 (at most ASID_MAX - 1) are handed out, and once they run out
 * asid_alloc() returns 0 and the space runs untagged.
 */
#ifndef KEEL_KERNEL_ASID_H
#define KEEL_KERNEL_ASID_H

#include <kernel/types.h>

#define ASID_MAX 65536u /* 16-bit ids: arm64 with 16-bit ASIDs, riscv64's satp.ASID */

/* A free id (its stale TLB entries already flushed), or 0 when none is left. */
unsigned asid_alloc(void);

/* Give back @asid (0 is ignored). Its TLB entries are flushed here, before reuse. */
void asid_free(unsigned asid);

/* Ids in use (not counting 0). */
unsigned asid_in_use(void);

#endif
