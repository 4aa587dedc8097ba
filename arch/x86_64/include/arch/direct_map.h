/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 direct map of RAM above 4 GiB (arch/x86_64/boot/direct_map.c).
 *
 * Physical [0, DIRECT_MAP_SIZE) (4 GiB) is always mapped at DIRECT_MAP_BASE, by head.S's boot
 * tables and later by mmu.c. RAM the firmware reports above 4 GiB (usable and ACPI) is mapped
 * at DIRECT_MAP_BASE + pa too, up to DIRECT_MAP_MAX (64 TiB, where the vmap window starts):
 * the boot code extends head.S's tables before kernel_main() so the page allocator can use
 * that RAM from the start, and mmu.c maps the same ranges in the kernel's own tables.
 * Holes between RAM ranges above 4 GiB are not mapped: hal_phys_to_virt() says NULL there.
 */
#ifndef KEEL_ARCH_X86_64_DIRECT_MAP_H
#define KEEL_ARCH_X86_64_DIRECT_MAP_H

#include <kernel/bootinfo.h>
#include <kernel/types.h>

#define X86_HIGH_RAM_MAX 16 /* merged RAM ranges above 4 GiB kept; more are not mapped */

struct x86_ram_range {
	paddr_t base, end; /* page aligned, end exclusive, above 4 GiB, below DIRECT_MAP_MAX */
};

/*
 * Record the RAM above 4 GiB in @bi and map it in the boot tables (x86_boot_map_direct():
 * 1 GiB leaves with pdpe1gb where aligned, else 2 MiB / 4 KiB). Page-table pages come off the top of usable RAM below 4 GiB, which
 * shrinks @bi's region accordingly. Called by x86_boot_main() before kernel_main(); prints
 * nothing (no console yet): x86_direct_map_report() says what happened.
 */
void x86_direct_map_init(struct boot_info *bi);

/* True when physical @pa at or above 4 GiB is in the direct map. */
bool x86_direct_map_high_covers(paddr_t pa);

/* The mapped RAM ranges above 4 GiB, sorted; returns how many. */
unsigned x86_direct_map_high(const struct x86_ram_range **ranges);

/* Print the direct map's extent, and loudly what RAM could not be mapped and why. */
void x86_direct_map_report(void);

/* Print what the ACPI SRAT said (boot/pvh.c): nodes, dropped entries, errors. */
void x86_numa_report(const struct boot_info *bi);

#endif
