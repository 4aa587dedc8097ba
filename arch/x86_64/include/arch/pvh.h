/* SPDX-License-Identifier: MIT */
/*
 * The PVH boot ABI: the start-info block the loader passes in %ebx.
 * Layout per Xen's public interface (xen/include/public/arch-x86/hvm/start_info.h,
 * docs/misc/pvh.pandoc); all fields little-endian, all addresses physical.
 */
#ifndef KEEL_ARCH_X86_64_PVH_H
#define KEEL_ARCH_X86_64_PVH_H

#include <kernel/types.h>

#define PVH_START_MAGIC 0x336ec578U /* "xEn3" with the 0x80 bit of the "E" set */

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;        /* 0: fields up to rsdp_paddr; 1: adds the memory map */
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;  /* NUL-terminated ASCII, or 0 */
	uint64_t rsdp_paddr;     /* ACPI RSDP, or 0 */
	/* version >= 1 */
	uint64_t memmap_paddr;   /* array of struct hvm_memmap_entry */
	uint32_t memmap_entries;
	uint32_t reserved;
};

#define PVH_START_INFO_V0_SIZE 40 /* bytes a version-0 loader provides */

/* One E820-style memory map entry. */
struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;           /* E820 type, below */
	uint32_t reserved;
};

/* E820 types (ACPI 6.5 table 15.1 "Address Range Types"). */
#define E820_RAM      1
#define E820_RESERVED 2
#define E820_ACPI     3
#define E820_NVS      4
#define E820_UNUSABLE 5

#endif
