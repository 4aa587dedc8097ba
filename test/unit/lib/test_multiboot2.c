// SPDX-License-Identifier: MIT
/* Host tests for lib/multiboot2.c: GRUB-like blocks, malformed ones, EFI system tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/errno.h>
#include <lib/multiboot2.h>
#include "../fake_phys.h"

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- building a boot information block ---------------------------------------------------- */

#define BLOCK_MAX 4096

struct block {
	uint8_t b[BLOCK_MAX];
	uint32_t len;
};

static void block_init(struct block *blk)
{
	memset(blk, 0, sizeof(*blk));
	blk->len = 8; /* total_size, reserved */
}

/* Append a tag of @size bytes (header included) with @payload after the header; 8-aligned. */
static uint8_t *add_tag(struct block *blk, uint32_t type, uint32_t size, const void *payload,
			size_t plen)
{
	uint8_t *t = blk->b + blk->len;

	assert_true(blk->len + size + 8 <= BLOCK_MAX);
	put_le(t, type, 4);
	put_le(t + 4, size, 4);
	if (plen)
		memcpy(t + 8, payload, plen);
	blk->len += (size + 7) & ~7u;
	return t;
}

static void add_string(struct block *blk, uint32_t type, const char *s)
{
	add_tag(blk, type, 8 + (uint32_t)strlen(s) + 1, s, strlen(s) + 1);
}

struct entry {
	uint64_t base, len;
	uint32_t type;
};

static void add_mmap(struct block *blk, uint32_t esize, const struct entry *e, unsigned n)
{
	uint8_t *t = add_tag(blk, MB2_TAG_MMAP, 16 + esize * n, NULL, 0);

	put_le(t + 8, esize, 4);
	for (unsigned i = 0; i < n; i++) {
		put_le(t + 16 + i * esize, e[i].base, 8);
		put_le(t + 16 + i * esize + 8, e[i].len, 8);
		put_le(t + 16 + i * esize + 16, e[i].type, 4);
	}
}

static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)-sum;
}

/* A valid RSDP: 20 bytes (revision 0) or 36 (revision 2, XSDT at @xsdt). */
static void make_rsdp(uint8_t *r, bool v2, uint64_t xsdt)
{
	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "KEEL  ", 6);
	r[15] = v2 ? 2 : 0;
	put_le(r + 16, 0x7fe0000, 4);
	fix_checksum(r, 20, 8);
	if (!v2)
		return;
	put_le(r + 20, 36, 4);
	put_le(r + 24, xsdt, 8);
	fix_checksum(r, 36, 32);
}

static void add_rsdp(struct block *blk, bool v2)
{
	uint8_t r[36];

	make_rsdp(r, v2, 0x7fe1000);
	add_tag(blk, v2 ? MB2_TAG_ACPI_NEW : MB2_TAG_ACPI_OLD, 8 + (v2 ? 36 : 20), r, v2 ? 36 : 20);
}

static void add_u64_tag(struct block *blk, uint32_t type, uint32_t size, uint64_t v)
{
	uint8_t p[8];

	put_le(p, v, 8);
	add_tag(blk, type, size, p, size - 8);
}

/* End tag and total_size. */
static void block_finish(struct block *blk)
{
	add_tag(blk, MB2_TAG_END, 8, NULL, 0);
	put_le(blk->b, blk->len, 4);
}

/*
 * Parse a heap copy of exactly @avail bytes, so ASan reports any read past what the parser was
 * told is readable. Copies @blk's bytes (zero beyond its length).
 */
static int parse_avail(const struct block *blk, size_t avail, struct mb2_info *info)
{
	uint8_t *copy = malloc(avail ? avail : 1);
	int err;

	assert_non_null(copy);
	memset(copy, 0, avail);
	memcpy(copy, blk->b, avail < blk->len ? avail : blk->len);
	err = mb2_parse(copy, avail, info);
	/* Pointers into the copy must not outlive it: the tests only compare them with NULL. */
	free(copy);
	return err;
}

static int parse(const struct block *blk, struct mb2_info *info)
{
	return parse_avail(blk, blk->len, info);
}

static const struct entry qemu_map[] = {
	{ 0, 0x9fc00, MB2_MEM_AVAILABLE },
	{ 0x9fc00, 0x400, MB2_MEM_RESERVED },
	{ 0x100000, 0xfee0000, MB2_MEM_AVAILABLE },
	{ 0xffe0000, 0x20000, MB2_MEM_ACPI },
};

/* What GRUB 2.06 hands over on BIOS: cmdline, loader name, basic meminfo, mmap, ACPI. */
static void grub_like(struct block *blk)
{
	block_init(blk);
	add_string(blk, MB2_TAG_CMDLINE, "ktest console=com1");
	add_string(blk, MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u2");
	add_u64_tag(blk, 4, 16, 0x27f0000000280ull); /* basic meminfo: skipped */
	add_mmap(blk, 24, qemu_map, 4);
	add_rsdp(blk, false);
	add_rsdp(blk, true);
	add_u64_tag(blk, MB2_TAG_EFI64, 16, 0x7f9e018);
	block_finish(blk);
}

/* ---- valid blocks ----------------------------------------------------------------------- */

static void mb2_reads_grub_like_block(void **state)
{
	struct block blk;
	struct mb2_info info;
	uint8_t *copy;

	(void)state;
	grub_like(&blk);
	copy = malloc(blk.len);
	assert_non_null(copy);
	memcpy(copy, blk.b, blk.len);
	assert_int_equal(mb2_parse(copy, blk.len, &info), 0);
	assert_null(info.error);
	assert_int_equal(info.total_size, blk.len);
	assert_string_equal(info.cmdline, "ktest console=com1");
	assert_string_equal(info.loader_name, "GRUB 2.06-13+deb12u2");
	assert_int_equal(info.mmap_count, 4);
	assert_int_equal(info.mmap_entry_size, 24);
	assert_int_equal(info.rsdp_len, 36); /* the ACPI 2.0 copy wins */
	assert_int_equal(info.rsdp[15], 2);
	assert_int_equal(info.rsdp_rejected, 0);
	assert_int_equal(info.efi_systab, 0x7f9e018);
	assert_true(info.efi_systab_64);
	assert_int_equal(info.tags, 7);
	assert_int_equal(info.skipped_tags, 1);
	for (unsigned i = 0; i < 4; i++) {
		struct mb2_mmap_entry e;

		mb2_mmap_get(&info, i, &e);
		assert_int_equal(e.base, qemu_map[i].base);
		assert_int_equal(e.length, qemu_map[i].len);
		assert_int_equal(e.type, qemu_map[i].type);
	}
	free(copy);
}

static void mb2_steps_over_larger_mmap_entries(void **state)
{
	struct block blk;
	struct mb2_info info;
	struct mb2_mmap_entry e;
	uint8_t *copy;

	(void)state;
	block_init(&blk);
	add_mmap(&blk, 32, qemu_map, 4); /* a later entry_version may add fields */
	block_finish(&blk);
	copy = malloc(blk.len);
	assert_non_null(copy);
	memcpy(copy, blk.b, blk.len);
	assert_int_equal(mb2_parse(copy, blk.len, &info), 0);
	assert_int_equal(info.mmap_count, 4);
	mb2_mmap_get(&info, 3, &e);
	assert_int_equal(e.base, 0xffe0000);
	assert_int_equal(e.type, MB2_MEM_ACPI);
	free(copy);
}

static void mb2_uses_acpi10_copy_alone_and_32bit_efi(void **state)
{
	struct block blk;
	struct mb2_info info;

	(void)state;
	block_init(&blk);
	add_rsdp(&blk, false);
	add_u64_tag(&blk, MB2_TAG_EFI32, 12, 0x7f9e000);
	block_finish(&blk);
	assert_int_equal(parse(&blk, &info), 0);
	assert_int_equal(info.rsdp_len, 20);
	assert_int_equal(info.efi_systab, 0x7f9e000);
	assert_false(info.efi_systab_64);
	assert_null(info.cmdline);
	assert_null(info.mmap);
}

static void mb2_ignores_rsdp_copy_with_bad_checksum(void **state)
{
	struct block blk;
	struct mb2_info info;
	uint8_t *t;

	(void)state;
	block_init(&blk);
	t = blk.b + blk.len;
	add_rsdp(&blk, true);
	t[8 + 30] ^= 0x55; /* inside the extended checksum's range */
	block_finish(&blk);
	assert_int_equal(parse(&blk, &info), 0);
	assert_null(info.rsdp);
	assert_int_equal(info.rsdp_rejected, 1);
}

/* ---- malformed blocks ------------------------------------------------------------------- */

static void expect_reject(const struct block *blk, size_t avail, const char *why)
{
	struct mb2_info info;

	assert_int_equal(parse_avail(blk, avail, &info), -EINVAL);
	assert_non_null(info.error);
	if (!strstr(info.error, why))
		fail_msg("error \"%s\" does not mention \"%s\"", info.error, why);
}

static void mb2_rejects_bad_total_size(void **state)
{
	struct block blk;

	(void)state;
	grub_like(&blk);
	expect_reject(&blk, 15, "shorter than its header");
	expect_reject(&blk, blk.len - 8, "beyond the readable block");
	put_le(blk.b, 8, 4);
	expect_reject(&blk, blk.len, "below 16");
	put_le(blk.b, MB2_INFO_MAX_SIZE + 8, 4);
	expect_reject(&blk, blk.len, "beyond the readable block");
}

static void mb2_rejects_unaligned_block(void **state)
{
	struct block blk;
	struct mb2_info info;
	uint8_t *copy;

	(void)state;
	grub_like(&blk);
	copy = malloc(blk.len + 4);
	assert_non_null(copy);
	memcpy(copy + 4, blk.b, blk.len);
	assert_int_equal(mb2_parse(copy + 4, blk.len, &info), -EINVAL);
	assert_non_null(strstr(info.error, "aligned"));
	free(copy);
}

static void mb2_rejects_missing_or_bad_end_tag(void **state)
{
	struct block blk;
	uint8_t *end;

	(void)state;
	block_init(&blk);
	add_string(&blk, MB2_TAG_CMDLINE, "x");
	put_le(blk.b, blk.len, 4); /* total_size ends right after the last tag: no end tag */
	expect_reject(&blk, blk.len, "no end tag");
	end = blk.b + blk.len;
	block_finish(&blk);
	put_le(end + 4, 16, 4);
	put_le(blk.b, blk.len + 8, 4);
	blk.len += 8;
	expect_reject(&blk, blk.len, "end tag size");
}

static void mb2_rejects_tag_sizes_outside_the_block(void **state)
{
	struct block blk;
	uint8_t *t;

	(void)state;
	block_init(&blk);
	t = blk.b + blk.len;
	add_string(&blk, MB2_TAG_LOADER_NAME, "GRUB");
	block_finish(&blk);
	put_le(t + 4, 4, 4);
	expect_reject(&blk, blk.len, "below its 8-byte header");
	put_le(t + 4, blk.len, 4); /* past total_size by the 8-byte block header */
	expect_reject(&blk, blk.len, "runs past total_size");
	put_le(t + 4, 0xfffffff8u, 4);
	expect_reject(&blk, blk.len, "runs past total_size");
}

static void mb2_rejects_unterminated_string(void **state)
{
	struct block blk;

	(void)state;
	block_init(&blk);
	add_tag(&blk, MB2_TAG_CMDLINE, 8 + 5, "ktest", 5);
	block_finish(&blk);
	expect_reject(&blk, blk.len, "NUL");
	block_init(&blk);
	add_tag(&blk, MB2_TAG_LOADER_NAME, 8, NULL, 0);
	block_finish(&blk);
	expect_reject(&blk, blk.len, "NUL");
}

static void mb2_rejects_malformed_mmap(void **state)
{
	struct block blk;
	uint8_t *t;

	(void)state;
	block_init(&blk);
	add_mmap(&blk, 20, qemu_map, 2);
	block_finish(&blk);
	expect_reject(&blk, blk.len, "entry_size");
	block_init(&blk);
	add_mmap(&blk, 28, qemu_map, 2);
	block_finish(&blk);
	expect_reject(&blk, blk.len, "entry_size");
	block_init(&blk);
	t = blk.b + blk.len;
	add_mmap(&blk, 24, qemu_map, 2);
	put_le(t + 4, 16 + 24 + 8, 4); /* one and a third entries */
	block_finish(&blk);
	expect_reject(&blk, blk.len, "whole number of entries");
	block_init(&blk);
	add_tag(&blk, MB2_TAG_MMAP, 12, "\x18\0\0\0", 4);
	block_finish(&blk);
	expect_reject(&blk, blk.len, "shorter than its header");
}

static void mb2_rejects_short_acpi_and_efi_tags(void **state)
{
	struct block blk;
	uint8_t r[36];

	(void)state;
	make_rsdp(r, true, 0x1000);
	block_init(&blk);
	add_tag(&blk, MB2_TAG_ACPI_OLD, 8 + 19, r, 19);
	block_finish(&blk);
	expect_reject(&blk, blk.len, "shorter than an RSDP");
	block_init(&blk);
	add_tag(&blk, MB2_TAG_ACPI_NEW, 8 + 20, r, 20);
	block_finish(&blk);
	expect_reject(&blk, blk.len, "shorter than an RSDP");
	put_le(r + 20, 40, 4); /* RSDP length beyond the tag */
	block_init(&blk);
	add_tag(&blk, MB2_TAG_ACPI_NEW, 8 + 36, r, 36);
	block_finish(&blk);
	expect_reject(&blk, blk.len, "length outside its tag");
	block_init(&blk);
	add_u64_tag(&blk, MB2_TAG_EFI64, 12, 0x1000);
	block_finish(&blk);
	expect_reject(&blk, blk.len, "too short");
}

static void mb2_rejects_duplicate_tags(void **state)
{
	static const uint32_t types[] = { MB2_TAG_CMDLINE, MB2_TAG_MMAP, MB2_TAG_ACPI_NEW,
					  MB2_TAG_EFI64 };

	(void)state;
	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct block blk;

		block_init(&blk);
		for (int twice = 0; twice < 2; twice++) {
			if (types[i] == MB2_TAG_CMDLINE)
				add_string(&blk, MB2_TAG_CMDLINE, "a");
			else if (types[i] == MB2_TAG_MMAP)
				add_mmap(&blk, 24, qemu_map, 1);
			else if (types[i] == MB2_TAG_ACPI_NEW)
				add_rsdp(&blk, true);
			else
				add_u64_tag(&blk, MB2_TAG_EFI64, 16, 0x1000);
		}
		block_finish(&blk);
		expect_reject(&blk, blk.len, "twice");
	}
}

/* Every truncation of a valid block, with total_size cut to match, parses or is rejected
 * without reading past it (ASan); a total_size beyond what is readable is always rejected. */
static void mb2_truncated_blocks_never_read_out_of_bounds(void **state)
{
	struct block blk, cut;
	struct mb2_info info;

	(void)state;
	grub_like(&blk);
	for (uint32_t n = 0; n < blk.len; n++) {
		cut = blk;
		put_le(cut.b, n, 4);
		cut.len = n;
		(void)parse_avail(&cut, n, &info);
		assert_int_equal(parse_avail(&blk, n, &info), -EINVAL);
	}
}

/* ---- the RSDP through an EFI system table ------------------------------------------------ */

#define MEM_BASE 0x7f00000u
#define MEM_SIZE 0x2000u
#define SYSTAB_PA (MEM_BASE + 0x100)
#define TABLES_PA (MEM_BASE + 0x400)

static uint8_t mem[MEM_SIZE];
static int efi_teardown(void **state)
{
	(void)state;
	fake_phys_release();
	return 0;
}

static const uint8_t guid_acpi20[16] = { 0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
					 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 };
static const uint8_t guid_acpi10[16] = { 0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
					 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };
static const uint8_t guid_smbios[16] = { 0x31, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
					 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };

/* A system table (64- or 32-bit) naming @n configuration tables with @guids -> 0x1000 * (i+1). */
static void make_systab(bool is64, const uint8_t *const *guids, unsigned n)
{
	uint8_t *st = mem + (SYSTAB_PA - MEM_BASE);
	size_t esize = is64 ? 24 : 20;

	memset(mem, 0, sizeof(mem));
	put_le(st, 0x5453595320494249ull, 8);
	put_le(st + 12, is64 ? 120 : 72, 4);
	put_le(st + (is64 ? 104 : 64), n, is64 ? 8 : 4);
	put_le(st + (is64 ? 112 : 68), TABLES_PA, is64 ? 8 : 4);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = mem + (TABLES_PA - MEM_BASE) + i * esize;

		memcpy(e, guids[i], 16);
		put_le(e + 16, 0x1000 * (i + 1), is64 ? 8 : 4);
	}
}

static void mb2_efi_prefers_acpi20_table(void **state)
{
	const uint8_t *guids[] = { guid_smbios, guid_acpi10, guid_acpi20 };
	struct acpi_reader r = { .map = fake_phys_map };
	uint64_t pa;

	(void)state;
	make_systab(true, guids, 3);
	assert_int_equal(mb2_efi_find_rsdp(&r, SYSTAB_PA, true, &pa), 0);
	assert_int_equal(pa, 0x3000);
	make_systab(false, guids, 3);
	assert_int_equal(mb2_efi_find_rsdp(&r, SYSTAB_PA, false, &pa), 0);
	assert_int_equal(pa, 0x3000);
	make_systab(true, guids, 2); /* no ACPI 2.0 table: the 1.0 one */
	assert_int_equal(mb2_efi_find_rsdp(&r, SYSTAB_PA, true, &pa), 0);
	assert_int_equal(pa, 0x2000);
	make_systab(true, guids, 1);
	assert_int_equal(mb2_efi_find_rsdp(&r, SYSTAB_PA, true, &pa), -ENOENT);
	assert_int_equal(pa, 0);
}

static void expect_efi_reject(bool is64, uint64_t systab, const char *why)
{
	struct acpi_reader r = { .map = fake_phys_map };
	uint64_t pa = 1;

	assert_int_equal(mb2_efi_find_rsdp(&r, systab, is64, &pa), -EINVAL);
	assert_int_equal(pa, 0);
	assert_non_null(r.error);
	if (!strstr(r.error, why))
		fail_msg("error \"%s\" does not mention \"%s\"", r.error, why);
}

static void mb2_efi_rejects_malformed_system_table(void **state)
{
	const uint8_t *guids[] = { guid_acpi20 };
	uint8_t *st = mem + (SYSTAB_PA - MEM_BASE);

	(void)state;
	expect_efi_reject(true, 0, "not readable");
	expect_efi_reject(true, MEM_BASE + MEM_SIZE - 100, "not readable"); /* runs off the end */
	make_systab(true, guids, 1);
	st[0] ^= 1;
	expect_efi_reject(true, SYSTAB_PA, "signature");
	make_systab(true, guids, 1);
	put_le(st + 12, 72, 4); /* a 32-bit table's size read as a 64-bit one */
	expect_efi_reject(true, SYSTAB_PA, "header size");
	make_systab(true, guids, 1);
	put_le(st + 104, 1025, 8);
	expect_efi_reject(true, SYSTAB_PA, "count");
	make_systab(true, guids, 1);
	put_le(st + 104, 0x4000000000000001ull, 8); /* n * 24 would wrap */
	expect_efi_reject(true, SYSTAB_PA, "count");
	make_systab(true, guids, 1);
	put_le(st + 112, MEM_BASE + MEM_SIZE - 8, 8);
	expect_efi_reject(true, SYSTAB_PA, "configuration table not readable");
	make_systab(false, guids, 1);
	put_le(st + 68, 0, 4);
	expect_efi_reject(false, SYSTAB_PA, "configuration table not readable");
}

#define T(f) cmocka_unit_test(f)
#define TE(f) cmocka_unit_test_teardown(f, efi_teardown)

int main(void)
{
	fake_phys_init(mem, MEM_BASE, MEM_SIZE);
	const struct CMUnitTest tests[] = {
		T(mb2_reads_grub_like_block),
		T(mb2_steps_over_larger_mmap_entries),
		T(mb2_uses_acpi10_copy_alone_and_32bit_efi),
		T(mb2_ignores_rsdp_copy_with_bad_checksum),
		T(mb2_rejects_bad_total_size),
		T(mb2_rejects_unaligned_block),
		T(mb2_rejects_missing_or_bad_end_tag),
		T(mb2_rejects_tag_sizes_outside_the_block),
		T(mb2_rejects_unterminated_string),
		T(mb2_rejects_malformed_mmap),
		T(mb2_rejects_short_acpi_and_efi_tags),
		T(mb2_rejects_duplicate_tags),
		T(mb2_truncated_blocks_never_read_out_of_bounds),
		TE(mb2_efi_prefers_acpi20_table),
		TE(mb2_efi_rejects_malformed_system_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
