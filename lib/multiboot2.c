// SPDX-License-Identifier: MIT
/* Multiboot2 boot information: a bounds-checked tag walk; the RSDP from an EFI system table. */
#include <kernel/errno.h>
#include <lib/multiboot2.h>
#include <lib/string.h>

#define TAG_HDR_LEN        8  /* u32 type, u32 size (the size includes this header) */
#define MMAP_HDR_LEN       16 /* tag header, u32 entry_size, u32 entry_version */
#define EFI32_TAG_LEN      12 /* tag header, u32 pointer */
#define EFI64_TAG_LEN      16 /* tag header, u64 pointer */

/* ACPI 6.5 section 5.2.5.3: the RSDP. */
#define RSDP_V1_LEN        20
#define RSDP_V2_LEN        36
#define RSDP_OFF_LENGTH    20

/* UEFI 2.10 section 4.3: EFI_SYSTEM_TABLE, "IBI SYST" in its header's first 8 bytes. */
#define EFI_SYSTAB_SIGNATURE 0x5453595320494249ull
#define EFI_HDR_OFF_SIZE   12 /* HeaderSize: bytes of the whole table */
#define EFI64_SYSTAB_LEN   120
#define EFI64_OFF_NTABLES  104
#define EFI64_OFF_TABLES   112
#define EFI32_SYSTAB_LEN   72
#define EFI32_OFF_NTABLES  64
#define EFI32_OFF_TABLES   68
#define EFI_GUID_LEN       16
/* A firmware has a few dozen configuration tables: more is a corrupt count. */
#define EFI_MAX_CONFIG_TABLES 1024

/* UEFI 2.10 section 4.6.1: EFI_ACPI_20_TABLE_GUID and ACPI_TABLE_GUID as stored in memory. */
static const uint8_t efi_acpi20_guid[EFI_GUID_LEN] = {
	0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
	0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81,
};
static const uint8_t efi_acpi10_guid[EFI_GUID_LEN] = {
	0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
	0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d,
};

/* Little-endian reads that need no alignment. */
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static int reject(struct mb2_info *info, uint32_t off, const char *why)
{
	info->error = why;
	info->error_offset = off;
	return -EINVAL;
}

/* A string tag: the string must end inside the tag. */
static int read_string(struct mb2_info *info, const uint8_t *tag, uint32_t size, uint32_t off,
		       const char **dst)
{
	if (*dst)
		return reject(info, off, "command line or loader name tag appears twice");
	if (!memchr(tag + TAG_HDR_LEN, 0, size - TAG_HDR_LEN))
		return reject(info, off, "string tag without a terminating NUL");
	*dst = (const char *)tag + TAG_HDR_LEN;
	return 0;
}

static int read_mmap(struct mb2_info *info, const uint8_t *tag, uint32_t size, uint32_t off)
{
	uint32_t esize;

	if (info->mmap)
		return reject(info, off, "memory map tag appears twice");
	if (size < MMAP_HDR_LEN)
		return reject(info, off, "memory map tag shorter than its header");
	esize = rd32(tag + 8);
	if (esize < MB2_MMAP_ENTRY_MIN || esize % 8)
		return reject(info, off, "memory map entry_size below 24 or not a multiple of 8");
	if ((size - MMAP_HDR_LEN) % esize)
		return reject(info, off, "memory map tag size is not a whole number of entries");
	info->mmap = tag + MMAP_HDR_LEN;
	info->mmap_entry_size = esize;
	info->mmap_count = (size - MMAP_HDR_LEN) / esize;
	return 0;
}

/* An RSDP copy of the right length whose checksums fail is not used: the block stays valid. */
static int read_rsdp(struct mb2_info *info, const uint8_t *tag, uint32_t size, uint32_t off,
		     bool v2, const uint8_t **seen)
{
	const uint8_t *rsdp = tag + TAG_HDR_LEN;
	uint32_t len = RSDP_V1_LEN;

	if (*seen)
		return reject(info, off, "ACPI RSDP tag appears twice");
	*seen = rsdp;
	if (size < TAG_HDR_LEN + (v2 ? RSDP_V2_LEN : RSDP_V1_LEN))
		return reject(info, off, "ACPI RSDP tag shorter than an RSDP");
	if (v2) {
		len = rd32(rsdp + RSDP_OFF_LENGTH);
		if (len < RSDP_V2_LEN || len > size - TAG_HDR_LEN)
			return reject(info, off, "ACPI 2.0 RSDP length outside its tag");
	}
	if (memcmp(rsdp, "RSD PTR ", 8) || !acpi_checksum_ok(rsdp, RSDP_V1_LEN) ||
	    !acpi_checksum_ok(rsdp, len)) {
		info->rsdp_rejected++;
		return 0;
	}
	if (v2 || !info->rsdp) { /* the ACPI 2.0 copy wins over the 1.0 one */
		info->rsdp = rsdp;
		info->rsdp_len = len;
	}
	return 0;
}

static int read_efi(struct mb2_info *info, const uint8_t *tag, uint32_t size, uint32_t off,
		    bool is64, bool *seen)
{
	uint64_t pa;

	if (*seen)
		return reject(info, off, "EFI system table tag appears twice");
	*seen = true;
	if (size < (is64 ? EFI64_TAG_LEN : EFI32_TAG_LEN))
		return reject(info, off, "EFI system table tag too short");
	pa = is64 ? rd64(tag + TAG_HDR_LEN) : rd32(tag + TAG_HDR_LEN);
	if (pa && (is64 || !info->efi_systab_64)) { /* the 64-bit table wins */
		info->efi_systab = pa;
		info->efi_systab_64 = is64;
	}
	return 0;
}

struct seen_tags {
	const uint8_t *rsdp_old, *rsdp_new;
	bool efi32, efi64;
};

static int read_tag(struct mb2_info *info, struct seen_tags *seen, const uint8_t *tag,
		    uint32_t type, uint32_t size, uint32_t off)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		return read_string(info, tag, size, off, &info->cmdline);
	case MB2_TAG_LOADER_NAME:
		return read_string(info, tag, size, off, &info->loader_name);
	case MB2_TAG_MMAP:
		return read_mmap(info, tag, size, off);
	case MB2_TAG_ACPI_OLD:
		return read_rsdp(info, tag, size, off, false, &seen->rsdp_old);
	case MB2_TAG_ACPI_NEW:
		return read_rsdp(info, tag, size, off, true, &seen->rsdp_new);
	case MB2_TAG_EFI32:
		return read_efi(info, tag, size, off, false, &seen->efi32);
	case MB2_TAG_EFI64:
		return read_efi(info, tag, size, off, true, &seen->efi64);
	default:
		info->skipped_tags++;
		return 0;
	}
}

static int check_header(struct mb2_info *info, const void *mbi, size_t avail)
{
	if (!mbi || (uintptr_t)mbi % MB2_TAG_ALIGN)
		return reject(info, 0, "boot information not 8-byte aligned");
	if (avail < MB2_INFO_MIN_SIZE)
		return reject(info, 0, "boot information shorter than its header and end tag");
	info->total_size = rd32(mbi);
	if (info->total_size < MB2_INFO_MIN_SIZE)
		return reject(info, 0, "total_size below 16 bytes");
	if (info->total_size > avail || info->total_size > MB2_INFO_MAX_SIZE)
		return reject(info, 0, "total_size beyond the readable block");
	return 0;
}

int mb2_parse(const void *mbi, size_t avail, struct mb2_info *out)
{
	const uint8_t *base = mbi;
	struct seen_tags seen = { 0 };
	uint32_t off = TAG_HDR_LEN; /* tags follow total_size and reserved */
	int err;

	memset(out, 0, sizeof(*out));
	err = check_header(out, mbi, avail);
	if (err)
		return err;
	for (;;) {
		uint32_t type, size;

		if (off > out->total_size - TAG_HDR_LEN)
			return reject(out, off, "no end tag before total_size");
		type = rd32(base + off);
		size = rd32(base + off + 4);
		if (size < TAG_HDR_LEN)
			return reject(out, off, "tag size below its 8-byte header");
		if (size > out->total_size - off)
			return reject(out, off, "tag runs past total_size");
		if (type == MB2_TAG_END)
			return size == TAG_HDR_LEN ? 0 : reject(out, off, "end tag size is not 8");
		err = read_tag(out, &seen, base + off, type, size, off);
		if (err)
			return err;
		out->tags++;
		/* size <= total_size <= MB2_INFO_MAX_SIZE: no overflow */
		off += (size + MB2_TAG_ALIGN - 1) & ~(uint32_t)(MB2_TAG_ALIGN - 1);
	}
}

void mb2_mmap_get(const struct mb2_info *info, uint32_t i, struct mb2_mmap_entry *out)
{
	const uint8_t *e = info->mmap + (size_t)i * info->mmap_entry_size;

	out->base = rd64(e);
	out->length = rd64(e + 8);
	out->type = rd32(e + 16);
}

static int efi_fail(struct acpi_reader *r, const char *why)
{
	r->error = why;
	return -EINVAL;
}

/* The configuration table's vendor pointer for @guid, or 0. */
static uint64_t efi_find_guid(const uint8_t *tables, uint64_t n, size_t esize, bool is64,
			      const uint8_t guid[EFI_GUID_LEN])
{
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *e = tables + i * esize;
		uint64_t pa = is64 ? rd64(e + EFI_GUID_LEN) : rd32(e + EFI_GUID_LEN);

		if (pa && !memcmp(e, guid, EFI_GUID_LEN))
			return pa;
	}
	return 0;
}

int mb2_efi_find_rsdp(struct acpi_reader *r, uint64_t systab_pa, bool is64, uint64_t *rsdp_pa)
{
	size_t len = is64 ? EFI64_SYSTAB_LEN : EFI32_SYSTAB_LEN;
	size_t esize = EFI_GUID_LEN + (is64 ? 8 : 4);
	const uint8_t *st, *tables;
	uint64_t n, tables_pa;

	*rsdp_pa = 0;
	st = systab_pa ? r->map(r->ctx, systab_pa, len) : NULL;
	if (!st)
		return efi_fail(r, "EFI system table not readable");
	if (rd64(st) != EFI_SYSTAB_SIGNATURE)
		return efi_fail(r, "EFI system table signature is not \"IBI SYST\"");
	if (rd32(st + EFI_HDR_OFF_SIZE) < len)
		return efi_fail(r, "EFI system table header size too small");
	n = is64 ? rd64(st + EFI64_OFF_NTABLES) : rd32(st + EFI32_OFF_NTABLES);
	tables_pa = is64 ? rd64(st + EFI64_OFF_TABLES) : rd32(st + EFI32_OFF_TABLES);
	if (n == 0)
		return -ENOENT;
	if (n > EFI_MAX_CONFIG_TABLES)
		return efi_fail(r, "EFI configuration table count beyond 1024");
	tables = tables_pa ? r->map(r->ctx, tables_pa, (size_t)n * esize) : NULL;
	if (!tables)
		return efi_fail(r, "EFI configuration table not readable");
	*rsdp_pa = efi_find_guid(tables, n, esize, is64, efi_acpi20_guid);
	if (!*rsdp_pa)
		*rsdp_pa = efi_find_guid(tables, n, esize, is64, efi_acpi10_guid);
	return *rsdp_pa ? 0 : -ENOENT;
}
