/* SPDX-License-Identifier: MIT */
/*
 * Portable reader of the Multiboot2 boot information (lib/multiboot2.c): checks every tag's
 * size and alignment against the block's total_size before reading it, and finds the ACPI RSDP
 * through an EFI system table. Layouts from the Multiboot2 specification 2.0 (section 3.6,
 * "Boot information format") and UEFI 2.10 (4.3 EFI System Table, 4.6 EFI Configuration Table).
 * Host-tested (test/unit/lib/test_multiboot2.c) and fuzzed (test/fuzz/multiboot2_fuzz.c).
 */
#ifndef KEEL_LIB_MULTIBOOT2_H
#define KEEL_LIB_MULTIBOOT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lib/acpi.h>

/* %eax at a Multiboot2 kernel's entry (specification section 3.3). */
#define MB2_BOOTLOADER_MAGIC 0x36d76289u
/* The kernel's header (section 3.1): magic, and architecture 0 = 32-bit protected mode i386. */
#define MB2_HEADER_MAGIC     0xe85250d6u

/* Largest information block read: GRUB's are a few KiB (EFI memory maps the largest part). */
#define MB2_INFO_MAX_SIZE    (1u << 20)
#define MB2_INFO_MIN_SIZE    16 /* the 8-byte header and the end tag */
#define MB2_TAG_ALIGN        8

/* Tag types (section 3.6) this kernel reads. Others are skipped and counted. */
#define MB2_TAG_END          0
#define MB2_TAG_CMDLINE      1
#define MB2_TAG_LOADER_NAME  2
#define MB2_TAG_MMAP         6
#define MB2_TAG_EFI32        11
#define MB2_TAG_EFI64        12
#define MB2_TAG_ACPI_OLD     14 /* a copy of the ACPI 1.0 RSDP */
#define MB2_TAG_ACPI_NEW     15 /* a copy of the ACPI 2.0+ RSDP */

/* Memory map entry types (section 3.6.8): the E820 types. Anything else is reserved. */
#define MB2_MEM_AVAILABLE    1
#define MB2_MEM_RESERVED     2
#define MB2_MEM_ACPI         3
#define MB2_MEM_NVS          4
#define MB2_MEM_BAD          5

#define MB2_MMAP_ENTRY_MIN   24 /* base_addr, length, type, reserved */

/* What mb2_parse() found. Pointers point into the caller's block. */
struct mb2_info {
	uint32_t total_size;
	const char *cmdline;      /* NUL-terminated inside its tag, or NULL */
	const char *loader_name;  /* NUL-terminated inside its tag, or NULL */
	const uint8_t *mmap;      /* first memory map entry, or NULL */
	uint32_t mmap_entry_size; /* >= MB2_MMAP_ENTRY_MIN, a multiple of 8 */
	uint32_t mmap_count;
	const uint8_t *rsdp;      /* RSDP copy (the ACPI 2.0 tag when both are given), or NULL */
	uint32_t rsdp_len;        /* its length: 20 (ACPI 1.0) or the RSDP's own length field */
	uint32_t rsdp_rejected;   /* RSDP copies not used: bad signature or checksum */
	uint64_t efi_systab;      /* physical address of the EFI system table, or 0 */
	bool efi_systab_64;       /* from the 64-bit tag (12) rather than the 32-bit one (11) */
	uint32_t tags;            /* tags before the end tag */
	uint32_t skipped_tags;    /* of types not listed above */
	const char *error;        /* why mb2_parse() failed (static string), else NULL */
	uint32_t error_offset;    /* byte offset in the block of what was wrong */
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* MB2_MEM_* */
};

/*
 * Check and index the boot information block at @mbi, of which @avail bytes are readable.
 * Every tag must lie inside total_size (<= @avail, <= MB2_INFO_MAX_SIZE) on an 8-byte
 * boundary, the block must end with an end tag, strings must be NUL-terminated inside their
 * tag, the memory map's entries must fit it exactly, an RSDP tag must hold a whole RSDP, and
 * none of the tags read here may appear twice. An RSDP copy whose signature or checksum is
 * wrong is not used (counted in rsdp_rejected). Returns 0 with @out filled, or -EINVAL with
 * out->error and out->error_offset saying what and where.
 */
int mb2_parse(const void *mbi, size_t avail, struct mb2_info *out);

/* Entry @i (< info->mmap_count) of the memory map mb2_parse() accepted. */
void mb2_mmap_get(const struct mb2_info *info, uint32_t i, struct mb2_mmap_entry *out);

/*
 * The physical address of the ACPI RSDP the EFI system table at @systab_pa names in its
 * configuration table (the ACPI 2.0 GUID, else the ACPI 1.0 one). @is64: a 64-bit table (the
 * Multiboot2 EFI64 tag) rather than a 32-bit one. Memory is read only through @r->map; the
 * table's signature, header size and entry count are checked first. Returns 0 and stores the
 * address in @rsdp_pa; -ENOENT when the table names no ACPI table; -EINVAL (r->error) when
 * the system table is malformed or unreadable.
 */
int mb2_efi_find_rsdp(struct acpi_reader *r, uint64_t systab_pa, bool is64, uint64_t *rsdp_pa);

#endif
