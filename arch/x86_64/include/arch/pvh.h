/* SPDX-License-Identifier: MIT */
/*
 * The PVH boot ABI: the start-info block the loader passes in %ebx.
 * Layout per Xen's public interface (xen/include/public/arch-x86/hvm/start_info.h,
 * docs/misc/pvh.pandoc); all fields little-endian, all addresses physical.
 */
#ifndef KEEL_ARCH_X86_64_PVH_H
#define KEEL_ARCH_X86_64_PVH_H

#define PVH_START_MAGIC 0x336ec578 /* "xEn3" with the 0x80 bit of the "E" set */

#ifndef __ASSEMBLER__ /* boot/head.S needs only the magic */
#include <kernel/types.h>

struct boot_info;

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

/* The boot_info memory type of an E820 (and Multiboot2 memory map) type. */
uint32_t x86_e820_mem_type(uint32_t e820);

/*
 * Fill @bi from the Multiboot2 boot information at @mbi_pa (boot/multiboot2.c): command line,
 * memory map, ACPI RSDP (tag copy, else the EFI system table), loader name in bi->firmware.
 * @magic is the loader's %eax. A wrong magic or a malformed block is reported on the early
 * console and stops the boot.
 */
void x86_multiboot2_boot_info(struct boot_info *bi, uint32_t magic, uint32_t mbi_pa);

/* Where the RSDP in boot_info came from on a Multiboot2 boot ("ACPI 2.0 tag", ...), or NULL. */
const char *x86_multiboot2_rsdp_source(void);

/* The EFI system table a Multiboot2 loader named (0: none, e.g. BIOS); @is64: its EFI64 tag. */
uint64_t x86_multiboot2_efi_systab(bool *is64);

#endif /* !__ASSEMBLER__ */

#endif
