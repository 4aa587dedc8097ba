/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 direct map (arch/x86_64/boot/direct_map.c): RAM only, write-back.
 *
 * head.S maps all of physical [0, DIRECT_MAP_SIZE) (4 GiB) at DIRECT_MAP_BASE with 2 MiB
 * leaves, because it cannot read the memory map; 3-4 GiB uncached. Before kernel_main(),
 * x86_direct_map_init() turns that into a map of RAM only: the firmware's usable and ACPI
 * ranges (and the kernel image) stay mapped write-back; everything else below 4 GiB (the
 * 640 KiB-1 MiB legacy area, the PCI hole, IOAPIC, LAPIC, HPET, firmware ROM) is unmapped,
 * and RAM above 4 GiB is added, up to DIRECT_MAP_MAX (64 TiB, where the vmap window starts).
 * mmu.c maps the same ranges in the kernel's own tables. Device memory is reached through
 * hal_map_io()'s uncached I/O window; hal_phys_to_virt() says NULL outside RAM.
 */
#ifndef KEEL_ARCH_X86_64_DIRECT_MAP_H
#define KEEL_ARCH_X86_64_DIRECT_MAP_H

#include <kernel/bootinfo.h>
#include <kernel/types.h>

#define X86_RAM_RANGES_MAX 32 /* merged RAM ranges kept; more are not mapped (said loudly) */

struct x86_ram_range {
	paddr_t base, end; /* page aligned, end exclusive, below DIRECT_MAP_MAX */
};

/*
 * Record the RAM in @bi, take everything else below 4 GiB out of head.S's tables and map the
 * RAM above 4 GiB (x86_boot_map_direct(): 1 GiB leaves with pdpe1gb where aligned, else
 * 2 MiB / 4 KiB). Page-table pages come off the top of usable RAM below 3 GiB, which shrinks
 * @bi's region accordingly. Called once by the boot entry after it has read the memory map,
 * the RSDP and the SRAT (which it reads through the whole 4 GiB map) and before kernel_main();
 * prints nothing (no console yet): x86_direct_map_report() says what happened.
 */
void x86_direct_map_init(struct boot_info *bi);

/* True when physical [@first, @last] is all in the direct map: anything below 4 GiB before
 * x86_direct_map_init(), one RAM range after. */
bool x86_direct_map_covers_range(paddr_t first, paddr_t last);

/* True until x86_direct_map_init(): head.S's tables still map all of 0-4 GiB. */
bool x86_direct_map_boot_whole(void);

struct io_window;

/*
 * Before hal_mmu_init(), after x86_direct_map_init(): map device memory [@pa, @pa + @size)
 * uncached in I/O window @w of the boot tables (x86_boot_map_io()), recorded so that
 * hal_mmu_init() maps it again, at the same address, in the kernel's tables. The virtual
 * address, or NULL (no table page, records full, window full, called too early).
 */
void *x86_direct_map_early_io(struct io_window *w, paddr_t pa, size_t size);

/* The mapped RAM ranges, sorted; returns how many. */
unsigned x86_direct_map_ram(const struct x86_ram_range **ranges);

/* Print the direct map's extent, and loudly what RAM could not be mapped and why. */
void x86_direct_map_report(void);

/* Print what the ACPI SRAT said (boot/pvh.c): nodes, dropped entries, errors. */
void x86_numa_report(const struct boot_info *bi);

#endif
