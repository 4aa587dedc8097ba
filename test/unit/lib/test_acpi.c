// SPDX-License-Identifier: MIT
/* Host tests for lib/acpi.c: fake RSDP/XSDT/FADT/DSDT/MADT in a buffer, good and malformed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/errno.h>
#include <lib/acpi.h>
#include "../fake_phys.h"

/* ---- fake physical memory ---------------------------------------------------------------- */

/*
 * Physical [MEM_BASE, MEM_BASE + sizeof(mem)) is "RAM". The map callback hands out an exact-size
 * heap copy of each requested range, so ASan reports any read the parser did not map first.
 */
#define MEM_BASE 0x10000u
#define MEM_SIZE 0x4000u
#define RSDP_PA  (MEM_BASE + 0x0000)
#define XSDT_PA  (MEM_BASE + 0x0100)
#define RSDT_PA  (MEM_BASE + 0x0200)
#define FADT_PA  (MEM_BASE + 0x0400)
#define DSDT_PA  (MEM_BASE + 0x0800)
#define OTHER_PA (MEM_BASE + 0x0c00)
#define FADT_LEN 244 /* ACPI 6 FADT, as QEMU builds it */

static uint8_t mem[MEM_SIZE];
static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t *at(uint64_t pa)
{
	return mem + (pa - MEM_BASE);
}

/* Make the bytes [p, p + len) sum to zero by adjusting the byte at @csum. */
static void fix_checksum(uint8_t *p, size_t len, uint8_t *csum)
{
	uint8_t sum = 0;

	*csum = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	*csum = (uint8_t)-sum;
}

static void put_rsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t *p = at(RSDP_PA);

	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "KEEL  ", 6);
	p[15] = revision;
	put_le(p + 16, rsdt, 4);
	fix_checksum(p, 20, p + 8);
	if (revision >= 2) {
		put_le(p + 20, 36, 4);
		put_le(p + 24, xsdt, 8);
		fix_checksum(p, 36, p + 32);
	}
}

/* Write a table header for @len bytes whose body is already in place, and checksum it. */
static void seal_table(uint64_t pa, const char *sig, uint32_t len)
{
	uint8_t *p = at(pa);

	memcpy(p, sig, 4);
	put_le(p + 4, len, 4);
	p[8] = 2;
	memcpy(p + 10, "KEEL  ", 6);
	fix_checksum(p, len, p + 9);
}

static void put_root(uint64_t pa, const char *sig, const uint64_t *entries, unsigned n,
		     unsigned entry_size)
{
	for (unsigned i = 0; i < n; i++)
		put_le(at(pa) + 36 + i * entry_size, entries[i], entry_size);
	seal_table(pa, sig, 36 + n * entry_size);
}

static void put_fadt(uint32_t pm1a, uint32_t pm1b, uint64_t dsdt)
{
	uint8_t *p = at(FADT_PA);

	put_le(p + 40, dsdt, 4);
	put_le(p + 48, 0xb2, 4);   /* SMI_CMD */
	p[52] = 0xf1;              /* ACPI_ENABLE */
	put_le(p + 64, pm1a, 4);
	put_le(p + 68, pm1b, 4);
	put_le(p + 140, dsdt, 8);  /* X_DSDT */
	seal_table(FADT_PA, "FACP", FADT_LEN);
}

/* Name (_S5, Package (4) { 5, 5, Zero, Zero }) after a little unrelated AML. */
static const uint8_t s5_aml[] = {
	0x10, 0x05, '_', 'S', 'B', '_',             /* Scope (_SB) { } */
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,
};

static void put_dsdt(const uint8_t *aml, size_t len)
{
	memcpy(at(DSDT_PA) + 36, aml, len);
	seal_table(DSDT_PA, "DSDT", (uint32_t)(36 + len));
}

/* A complete, valid set of tables: RSDP rev 2 -> XSDT -> { APIC-ish table, FADT -> DSDT }. */
static void build_good(void)
{
	const uint64_t entries[] = { OTHER_PA, FADT_PA };

	memset(mem, 0, sizeof(mem));
	memset(at(OTHER_PA) + 36, 0xaa, 8);
	seal_table(OTHER_PA, "APIC", 44);
	put_dsdt(s5_aml, sizeof(s5_aml));
	put_fadt(0x604, 0, DSDT_PA);
	put_root(XSDT_PA, "XSDT", entries, 2, 8);
	put_root(RSDT_PA, "RSDT", entries, 2, 4);
	put_rsdp(2, RSDT_PA, XSDT_PA);
}

static int setup(void **state)
{
	(void)state;
	build_good();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_phys_release();
	return 0;
}

static int get_s5(struct acpi_s5 *s5, struct acpi_reader *r)
{
	*r = (struct acpi_reader){ .map = fake_phys_map };
	return acpi_get_s5(r, RSDP_PA, s5);
}

/* ---- whole-path tests --------------------------------------------------------------------- */

static void acpi_good_tables_give_s5(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	assert_int_equal(get_s5(&s5, &r), 0);
	assert_null(r.error);
	assert_int_equal(s5.pm1a_cnt, 0x604);
	assert_int_equal(s5.pm1b_cnt, 0);
	assert_int_equal(s5.slp_typa, 5);
	assert_int_equal(s5.slp_typb, 5);
	assert_int_equal(s5.smi_cmd, 0xb2);
	assert_int_equal(s5.acpi_enable, 0xf1);
}

static void acpi_rsdt_used_for_revision_0_rsdp(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	memset(at(XSDT_PA), 0, 64); /* would fail if it were read */
	memset(at(RSDP_PA), 0, 36);
	put_rsdp(0, RSDT_PA, 0);
	assert_int_equal(get_s5(&s5, &r), 0);
	assert_int_equal(s5.pm1a_cnt, 0x604);
}

static void acpi_rejects_bad_rsdp_checksum(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	at(RSDP_PA)[8] ^= 1;
	assert_int_equal(get_s5(&s5, &r), -EINVAL);
	assert_non_null(r.error);
}

static void acpi_rejects_bad_extended_rsdp_checksum(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	at(RSDP_PA)[32] ^= 1;
	assert_int_equal(get_s5(&s5, &r), -EINVAL);
}

static void acpi_rejects_bad_fadt_checksum(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	at(FADT_PA)[64] ^= 0x10;
	assert_int_equal(get_s5(&s5, &r), -EINVAL);
	assert_non_null(strstr(r.error, "checksum"));
}

static void acpi_rejects_bad_dsdt_checksum(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	at(DSDT_PA)[40] ^= 0x01;
	assert_int_equal(get_s5(&s5, &r), -EINVAL);
}

static void acpi_rejects_length_past_mapped_memory(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	/* The DSDT claims to run past the end of "RAM": the map refuses, nothing is read. */
	put_le(at(DSDT_PA) + 4, MEM_SIZE, 4);
	assert_int_equal(get_s5(&s5, &r), -EFAULT);
}

static void acpi_rejects_length_shorter_than_header(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	put_le(at(FADT_PA) + 4, 20, 4);
	assert_int_equal(get_s5(&s5, &r), -EINVAL);
	assert_non_null(strstr(r.error, "length"));
}

static void acpi_rejects_huge_length(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	put_le(at(XSDT_PA) + 4, 0xffffffffu, 4);
	assert_int_equal(get_s5(&s5, &r), -EINVAL);
}

static void acpi_rejects_short_fadt(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	seal_table(FADT_PA, "FACP", 100);
	assert_int_equal(get_s5(&s5, &r), -EINVAL);
}

static void acpi_reports_missing_fadt(void **state)
{
	const uint64_t entries[] = { OTHER_PA };
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	put_root(XSDT_PA, "XSDT", entries, 1, 8);
	assert_int_equal(get_s5(&s5, &r), -ENOENT);
}

static void acpi_rejects_missing_s5(void **state)
{
	static const uint8_t aml[] = { 0x10, 0x05, '_', 'S', 'B', '_', 0x08, '_', 'S', '4', '_',
				       0x12, 0x04, 0x02, 0x00, 0x00 };
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	put_dsdt(aml, sizeof(aml));
	assert_int_equal(get_s5(&s5, &r), -ENOENT);
	assert_non_null(strstr(r.error, "_S5"));
}

static void acpi_rejects_s5_package_past_table_end(void **state)
{
	static const uint8_t aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x3f, 0x04, 0x0a, 0x05 };
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	put_dsdt(aml, sizeof(aml));
	assert_int_equal(get_s5(&s5, &r), -EINVAL);
}

static void acpi_rejects_fadt_without_pm1a(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;

	(void)state;
	put_fadt(0, 0, DSDT_PA);
	assert_int_equal(get_s5(&s5, &r), -EINVAL);
}

static void acpi_uses_extended_pm1a_in_io_space(void **state)
{
	struct acpi_reader r;
	struct acpi_s5 s5;
	uint8_t *fadt = at(FADT_PA);

	(void)state;
	put_le(fadt + 64, 0, 4);
	fadt[172] = 1; /* GAS: system I/O */
	fadt[173] = 16;
	put_le(fadt + 176, 0x404, 8);
	seal_table(FADT_PA, "FACP", FADT_LEN);
	assert_int_equal(get_s5(&s5, &r), 0);
	assert_int_equal(s5.pm1a_cnt, 0x404);
}

static void acpi_find_table_skips_unmappable_entries(void **state)
{
	const uint64_t entries[] = { 0, 0xdead0000, FADT_PA };
	struct acpi_reader r = { .map = fake_phys_map };
	const uint8_t *t;
	uint32_t len;

	(void)state;
	put_root(XSDT_PA, "XSDT", entries, 3, 8);
	assert_int_equal(acpi_find_table(&r, RSDP_PA, "FACP", &t, &len), 0);
	assert_int_equal(len, FADT_LEN);
	assert_memory_equal(t, "FACP", 4);
}

/* ---- AML and RSDP scan unit tests --------------------------------------------------------- */

static void aml_s5_accepts_root_prefix_and_long_pkglength(void **state)
{
	/* Name (\_S5, Package (2) { One, 0x07 }) with a 2-byte PkgLength (0x46 0x00 = 6). */
	static const uint8_t aml[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x46, 0x00,
				       0x02, 0x01, 0x0a, 0x07 };
	uint8_t a = 0xff, b = 0xff;

	(void)state;
	assert_int_equal(acpi_parse_s5_aml(aml, sizeof(aml), &a, &b), 0);
	assert_int_equal(a, 1);
	assert_int_equal(b, 7);
}

static void aml_s5_reference_without_name_op_is_not_a_definition(void **state)
{
	/* A bare \_S5_ reference (e.g. inside a method) followed by junk. */
	static const uint8_t aml[] = { 0x70, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x00 };
	uint8_t a, b;

	(void)state;
	assert_int_equal(acpi_parse_s5_aml(aml, sizeof(aml), &a, &b), -ENOENT);
}

static void aml_s5_rejects_truncation_everywhere(void **state)
{
	uint8_t a, b;

	(void)state;
	/* Every prefix of the good object either is "absent" or malformed, never read past. */
	for (size_t n = 0; n < sizeof(s5_aml); n++) {
		uint8_t *copy = malloc(n ? n : 1);
		int rc;

		memcpy(copy, s5_aml, n);
		rc = acpi_parse_s5_aml(copy, n, &a, &b);
		assert_true(rc == -ENOENT || rc == -EINVAL);
		free(copy);
	}
}

static void aml_s5_rejects_integer_cut_by_package_end(void **state)
{
	/* PkgLength 3 ends the package (and the buffer) right after the BytePrefix. */
	static const uint8_t aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x0a };
	uint8_t *copy = malloc(sizeof(aml)); /* exact size: ASan catches a read past it */
	uint8_t a, b;

	(void)state;
	memcpy(copy, aml, sizeof(aml));
	assert_int_equal(acpi_parse_s5_aml(copy, sizeof(aml), &a, &b), -EINVAL);
	free(copy);
}

static void aml_s5_rejects_non_integer_and_oversized_values(void **state)
{
	static const uint8_t str[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0d, 'x', 0 };
	static const uint8_t big[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x08 };
	static const uint8_t empty[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00 };
	static const uint8_t reserved_bits[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x74, 0x00,
						 0x01, 0x00 };
	uint8_t a, b;

	(void)state;
	assert_int_equal(acpi_parse_s5_aml(str, sizeof(str), &a, &b), -EINVAL);
	assert_int_equal(acpi_parse_s5_aml(big, sizeof(big), &a, &b), -EINVAL);
	assert_int_equal(acpi_parse_s5_aml(empty, sizeof(empty), &a, &b), -EINVAL);
	assert_int_equal(acpi_parse_s5_aml(reserved_bits, sizeof(reserved_bits), &a, &b), -EINVAL);
}

static void rsdp_scan_finds_aligned_valid_rsdp_only(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	/* A signature with a bad checksum first, then a misaligned copy, then the real one. */
	memcpy(mem + 0x20, "RSD PTR ", 8);
	put_rsdp(0, RSDT_PA, 0);
	memcpy(mem + 0x108, mem, 20);
	memmove(mem + 0x200, mem, 20);
	memset(mem, 0, 20);
	assert_int_equal(acpi_scan_rsdp(mem, 0x400, 0xe0000), 0xe0200);
	assert_int_equal(acpi_scan_rsdp(mem, 0x200, 0xe0000), 0);
	/* A base that is not 16-byte aligned starts at the first aligned address. */
	assert_int_equal(acpi_scan_rsdp(mem + 8, 0x3f8, 0xe0008), 0xe0200);
	assert_int_equal(acpi_scan_rsdp(mem, 10, 0xe0000), 0);
}

static void checksum_of_empty_and_balanced_buffers(void **state)
{
	const uint8_t balanced[] = { 0x80, 0x80 };
	const uint8_t off[] = { 0x80, 0x7f };

	(void)state;
	assert_true(acpi_checksum_ok(balanced, 0));
	assert_true(acpi_checksum_ok(balanced, sizeof(balanced)));
	assert_false(acpi_checksum_ok(off, sizeof(off)));
}

/* ---- MADT ------------------------------------------------------------------------------ */

/* QEMU q35's MADT, one CPU: local APIC, IOAPIC, overrides IRQ0->GSI2 and IRQ9 level/high
 * (plus 5, 10, 11 the same way), local APIC NMI on LINT1 for all CPUs. */
static const uint8_t q35_madt_entries[] = {
	0, 8, 0, 0, 1, 0, 0, 0,                         /* CPU uid 0, APIC id 0, enabled */
	1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0, /* IOAPIC 0 at 0xfec00000, GSI 0 */
	2, 10, 0, 0, 2, 0, 0, 0, 0x00, 0x00,            /* IRQ0 -> GSI2, conforms */
	2, 10, 0, 5, 5, 0, 0, 0, 0x0d, 0x00,            /* IRQ5: level, active high */
	2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0x00,
	2, 10, 0, 10, 10, 0, 0, 0, 0x0d, 0x00,
	2, 10, 0, 11, 11, 0, 0, 0, 0x0d, 0x00,
	4, 6, 0xff, 0x00, 0x00, 1,                       /* NMI: all CPUs, LINT1 */
};

#define MADT_PA OTHER_PA

static void put_madt(const uint8_t *entries, size_t len, uint32_t lapic, uint32_t flags)
{
	uint8_t *p = at(MADT_PA);

	assert_true(44 + len <= 0x400);
	memset(p, 0, 44 + len);
	put_le(p + 36, lapic, 4);
	put_le(p + 40, flags, 4);
	memcpy(p + 44, entries, len);
	seal_table(MADT_PA, "APIC", (uint32_t)(44 + len));
}

static int get_madt(struct acpi_madt *m, struct acpi_reader *r)
{
	*r = (struct acpi_reader){ .map = fake_phys_map };
	return acpi_get_madt(r, RSDP_PA, m);
}

/* Parse @len bytes of entries directly (no table lookup); the header is built here. */
static int parse_entries(const uint8_t *entries, size_t len, struct acpi_madt *m, const char **why)
{
	uint8_t *buf = malloc(44 + len);
	int err;

	assert_non_null(buf);
	memset(buf, 0, 44);
	memcpy(buf, "APIC", 4);
	put_le(buf + 36, 0xfee00000, 4);
	memcpy(buf + 44, entries, len);
	err = acpi_parse_madt(buf, (uint32_t)(44 + len), m, why);
	free(buf);
	return err;
}

static void madt_q35_tables_parse(void **state)
{
	struct acpi_reader r;
	struct acpi_madt m;
	uint16_t flags;

	(void)state;
	put_madt(q35_madt_entries, sizeof(q35_madt_entries), 0xfee00000, ACPI_MADT_PCAT_COMPAT);
	assert_int_equal(get_madt(&m, &r), 0);
	assert_null(r.error);
	assert_int_equal(m.lapic_addr, 0xfee00000);
	assert_int_equal(m.flags, ACPI_MADT_PCAT_COMPAT);
	assert_int_equal(m.nr_cpus, 1);
	assert_int_equal(m.cpus[0].apic_id, 0);
	assert_int_equal(m.cpus[0].flags, ACPI_MADT_CPU_ENABLED);
	assert_int_equal(m.nr_ioapics, 1);
	assert_int_equal(m.ioapics[0].addr, 0xfec00000);
	assert_int_equal(m.ioapics[0].gsi_base, 0);
	assert_int_equal(m.nr_overrides, 5);
	assert_int_equal(m.nr_nmis, 1);
	assert_int_equal(m.nmis[0].uid, ACPI_MADT_NMI_ALL_CPUS);
	assert_int_equal(m.nmis[0].lint, 1);
	assert_int_equal(m.dropped, 0);
	assert_int_equal(m.ignored, 0);

	assert_int_equal(acpi_madt_isa_gsi(&m, 0, &flags), 2);
	assert_int_equal(flags, ACPI_INTI_POLARITY_HIGH | ACPI_INTI_TRIGGER_EDGE);
	assert_int_equal(acpi_madt_isa_gsi(&m, 9, &flags), 9);
	assert_int_equal(flags, ACPI_INTI_POLARITY_HIGH | ACPI_INTI_TRIGGER_LEVEL);
	/* COM1: no override, identity and ISA defaults. */
	assert_int_equal(acpi_madt_isa_gsi(&m, 4, &flags), 4);
	assert_int_equal(flags, ACPI_INTI_POLARITY_HIGH | ACPI_INTI_TRIGGER_EDGE);
	assert_int_equal(acpi_madt_isa_gsi(&m, 4, NULL), 4);
}

static void madt_missing_is_enoent(void **state)
{
	struct acpi_reader r;
	struct acpi_madt m;

	(void)state;
	memcpy(at(MADT_PA), "XXXX", 4); /* the XSDT's first entry is no MADT any more */
	assert_int_equal(get_madt(&m, &r), -ENOENT);
	assert_non_null(r.error);
}

static void madt_bad_checksum_rejected(void **state)
{
	struct acpi_reader r;
	struct acpi_madt m;

	(void)state;
	put_madt(q35_madt_entries, sizeof(q35_madt_entries), 0xfee00000, 0);
	at(MADT_PA)[44 + 13] ^= 1;
	assert_int_equal(get_madt(&m, &r), -EINVAL);
	assert_non_null(r.error);
}

static void madt_lapic_address_override_wins(void **state)
{
	const uint8_t e[] = {
		5, 12, 0, 0, 0x00, 0x10, 0, 0, 0x10, 0, 0, 0, /* 0x0000001000001000 */
		0, 8, 0, 3, 1, 0, 0, 0,
	};
	struct acpi_madt m;
	const char *why;

	(void)state;
	assert_int_equal(parse_entries(e, sizeof(e), &m, &why), 0);
	assert_null(why);
	assert_int_equal(m.lapic_addr, 0x0000001000001000ULL);
	assert_int_equal(m.nr_cpus, 1);
	assert_int_equal(m.cpus[0].apic_id, 3);
}

static void madt_io_nmi_source_and_several_ioapics(void **state)
{
	const uint8_t e[] = {
		1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0,
		1, 12, 1, 0, 0x00, 0x10, 0xc0, 0xfe, 24, 0, 0, 0,
		3, 8, 0x0f, 0x00, 30, 0, 0, 0,                 /* NMI on GSI 30, active low, level */
		4, 6, 0x02, 0x05, 0x00, 0,                     /* CPU 2's LINT0 */
	};
	struct acpi_madt m;
	const char *why;

	(void)state;
	assert_int_equal(parse_entries(e, sizeof(e), &m, &why), 0);
	assert_int_equal(m.nr_ioapics, 2);
	assert_int_equal(m.ioapics[1].id, 1);
	assert_int_equal(m.ioapics[1].addr, 0xfec01000);
	assert_int_equal(m.ioapics[1].gsi_base, 24);
	assert_int_equal(m.nr_nmis, 2);
	assert_int_equal(m.nmis[0].gsi, 30);
	assert_int_equal(m.nmis[0].flags, ACPI_INTI_POLARITY_LOW | ACPI_INTI_TRIGGER_LEVEL);
	assert_int_equal(m.nmis[1].uid, 2);
	assert_int_equal(m.nmis[1].lint, 0);
	assert_int_equal(m.nmis[1].flags, 5);
	assert_int_equal(m.nmis[1].gsi, ~0u);
}

static void madt_skips_unknown_types_and_longer_entries(void **state)
{
	const uint8_t e[] = {
		0x0b, 4, 0xaa, 0xbb,                            /* GICC-sized junk: unknown here */
		0, 10, 7, 9, 1, 0, 0, 0, 0xee, 0xee,            /* a longer local APIC entry */
		2, 10, 1, 4, 20, 0, 0, 0, 0, 0,                 /* bus 1: not ISA, ignored */
	};
	struct acpi_madt m;

	(void)state;
	assert_int_equal(parse_entries(e, sizeof(e), &m, NULL), 0);
	assert_int_equal(m.nr_cpus, 1);
	assert_int_equal(m.cpus[0].uid, 7);
	assert_int_equal(m.cpus[0].apic_id, 9);
	assert_int_equal(m.nr_overrides, 0);
	assert_int_equal(m.ignored, 2);
}

static void madt_counts_entries_that_do_not_fit(void **state)
{
	uint8_t e[8 * (ACPI_MADT_MAX_CPUS + 3)];
	struct acpi_madt m;

	(void)state;
	for (unsigned i = 0; i < ACPI_MADT_MAX_CPUS + 3; i++) {
		const uint8_t cpu[] = { 0, 8, (uint8_t)i, (uint8_t)i, 1, 0, 0, 0 };

		memcpy(e + 8 * i, cpu, 8);
	}
	assert_int_equal(parse_entries(e, sizeof(e), &m, NULL), 0);
	assert_int_equal(m.nr_cpus, ACPI_MADT_MAX_CPUS);
	assert_int_equal(m.dropped, 3);
	assert_int_equal(m.cpus[ACPI_MADT_MAX_CPUS - 1].apic_id, ACPI_MADT_MAX_CPUS - 1);
}

static void madt_rejects_malformed_entries(void **state)
{
	static const struct {
		uint8_t bytes[12];
		size_t len;
	} bad[] = {
		{ { 0, 0 }, 2 },                                 /* length 0: would never advance */
		{ { 0, 1 }, 2 },                                 /* length 1 */
		{ { 0, 8, 0, 0, 1, 0, 0 }, 7 },                  /* runs past the end */
		{ { 0, 6, 0, 0, 1, 0 }, 6 },                     /* local APIC shorter than 8 */
		{ { 1, 10, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0 }, 10 }, /* IOAPIC shorter than 12 */
		{ { 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 12 }, /* IOAPIC at 0 */
		{ { 2, 8, 0, 0, 2, 0, 0, 0 }, 8 },               /* override shorter than 10 */
		{ { 2, 10, 0, 16, 16, 0, 0, 0, 0, 0 }, 10 },     /* ISA IRQ 16 */
		{ { 3, 6, 0, 0, 1, 0 }, 6 },                     /* NMI source shorter than 8 */
		{ { 4, 5, 0xff, 0, 0 }, 5 },                     /* local NMI shorter than 6 */
		{ { 4, 6, 0xff, 0, 0, 2 }, 6 },                  /* LINT2 */
		{ { 5, 10, 0, 0, 0, 0, 0xe0, 0xfe, 0, 0 }, 10 }, /* override shorter than 12 */
		{ { 5, 12, 0 }, 12 },                            /* override to address 0 */
		{ { 0 }, 1 },                                    /* a lone type byte */
	};
	struct acpi_madt m;
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(parse_entries(bad[i].bytes, bad[i].len, &m, &why), -EINVAL);
		assert_non_null(why);
	}
}

static void madt_rejects_short_table_and_missing_lapic(void **state)
{
	uint8_t hdr[44] = { 'A', 'P', 'I', 'C' };
	struct acpi_madt m;
	const char *why = NULL;

	(void)state;
	put_le(hdr + 36, 0xfee00000, 4);
	assert_int_equal(acpi_parse_madt(hdr, 43, &m, &why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(acpi_parse_madt(hdr, 44, &m, NULL), 0);
	put_le(hdr + 36, 0, 4);
	assert_int_equal(acpi_parse_madt(hdr, 44, &m, &why), -EINVAL);
}

/* Every prefix of the q35 entry list either parses or is rejected: never read out of bounds
 * (each buffer is an exact-size heap copy, so ASan would catch it). */
static void madt_truncated_anywhere_is_safe(void **state)
{
	struct acpi_madt m;
	int err;

	(void)state;
	for (size_t n = 0; n <= sizeof(q35_madt_entries); n++) {
		err = parse_entries(q35_madt_entries, n, &m, NULL);
		assert_true(err == 0 || err == -EINVAL);
	}
	assert_int_equal(parse_entries(q35_madt_entries, sizeof(q35_madt_entries), &m, NULL), 0);
}

/* x2APIC CPUs (type 9) share cpus[] with local APICs; x2APIC NMIs (type 10) share nmis[];
 * the Itanium types 6-8 are counted ignored. */
static void madt_x2apic_cpus_and_nmis(void **state)
{
	const uint8_t e[] = {
		0, 8, 1, 0, 1, 0, 0, 0,                               /* APIC id 0, UID 1 */
		9, 16, 0, 0, 0x00, 0x01, 0, 0, 2, 0, 0, 0, 0x2c, 1, 0, 0, /* x2APIC 0x100, UID 300 */
		10, 12, 5, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0,     /* x2APIC NMI, all, LINT1 */
		7, 4, 0, 0,                                           /* local SAPIC: ignored */
	};
	const uint8_t bad_lint[] = { 10, 12, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0 };
	const uint8_t short_x2[] = { 9, 12, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0 };
	struct acpi_madt m;
	const char *why;

	(void)state;
	assert_int_equal(parse_entries(e, sizeof(e), &m, NULL), 0);
	assert_int_equal(m.nr_cpus, 2);
	assert_false(m.cpus[0].x2apic);
	assert_true(m.cpus[1].x2apic);
	assert_int_equal(m.cpus[1].apic_id, 0x100);
	assert_int_equal(m.cpus[1].flags, ACPI_MADT_CPU_ONLINE_CAPABLE);
	assert_int_equal(m.cpus[1].uid, 300);
	assert_int_equal(m.nr_nmis, 1);
	assert_int_equal(m.nmis[0].uid, ACPI_MADT_X2NMI_ALL_CPUS);
	assert_int_equal(m.nmis[0].lint, 1);
	assert_int_equal(m.nmis[0].flags, 5);
	assert_int_equal(m.nmis[0].gsi, ~0u);
	assert_int_equal(m.ignored, 1);
	assert_int_equal(parse_entries(bad_lint, sizeof(bad_lint), &m, &why), -EINVAL);
	assert_string_equal(why, "MADT x2APIC NMI on a LINT pin other than 0/1");
	assert_int_equal(parse_entries(short_x2, sizeof(short_x2), &m, &why), -EINVAL);
	assert_string_equal(why, "MADT entry too short for its type");
}

/* An SPCR of @len bytes: 16550 at @space/@addr, interrupt @irq_type/@irq/@gsi, @baud code. */
static uint8_t *make_spcr(uint32_t len, uint8_t space, uint64_t addr, uint8_t irq_type,
			  uint8_t irq, uint32_t gsi, uint8_t baud)
{
	uint8_t *t = calloc(1, len < 80 ? 80 : len);

	assert_non_null(t);
	memcpy(t, "SPCR", 4);
	put_le(t + 4, len, 4);
	t[36] = ACPI_SPCR_16550;
	t[40] = space;
	t[41] = 8;
	put_le(t + 44, addr, 8);
	t[52] = irq_type;
	t[53] = irq;
	put_le(t + 54, gsi, 4);
	t[58] = baud;
	return t;
}

static void spcr_io_and_mmio_uarts_parse(void **state)
{
	uint8_t *t = make_spcr(80, ACPI_GAS_IO, 0x2f8, ACPI_SPCR_IRQ_8259, 3, 0, 7);
	struct acpi_spcr s;
	const char *why;

	(void)state;
	assert_int_equal(acpi_parse_spcr(t, 80, &s, &why), 0);
	assert_null(why);
	assert_int_equal(s.interface, ACPI_SPCR_16550);
	assert_int_equal(s.space, ACPI_GAS_IO);
	assert_int_equal(s.address, 0x2f8);
	assert_int_equal(s.irq_type, ACPI_SPCR_IRQ_8259);
	assert_int_equal(s.irq, 3);
	assert_int_equal(s.baud, 115200);
	free(t);
	t = make_spcr(88, ACPI_GAS_MEMORY, 0xfe001000, ACPI_SPCR_IRQ_IOAPIC, 0, 40, 0);
	assert_int_equal(acpi_parse_spcr(t, 88, &s, &why), 0);
	assert_int_equal(s.space, ACPI_GAS_MEMORY);
	assert_int_equal(s.gsi, 40);
	assert_int_equal(s.baud, 0); /* "as the firmware left it" */
	free(t);
}

static void spcr_rejects_short_zero_and_odd_spaces(void **state)
{
	uint8_t *t;
	struct acpi_spcr s;
	const char *why;

	(void)state;
	t = make_spcr(80, ACPI_GAS_IO, 0x3f8, 0, 0, 0, 7);
	assert_int_equal(acpi_parse_spcr(t, 79, &s, &why), -EINVAL);
	assert_string_equal(why, "SPCR shorter than its revision 1 fields");
	free(t);
	t = make_spcr(80, ACPI_GAS_IO, 0, 0, 0, 0, 7);
	assert_int_equal(acpi_parse_spcr(t, 80, &s, &why), -EINVAL);
	assert_string_equal(why, "SPCR base address is 0");
	free(t);
	t = make_spcr(80, 2 /* PCI config space */, 0x3f8, 0, 0, 0, 7);
	assert_int_equal(acpi_parse_spcr(t, 80, &s, &why), -EINVAL);
	assert_string_equal(why, "SPCR UART neither in memory nor in I/O space");
	free(t);
	t = make_spcr(80, ACPI_GAS_IO, 0x10000, 0, 0, 0, 7);
	assert_int_equal(acpi_parse_spcr(t, 80, &s, &why), -EINVAL);
	assert_string_equal(why, "SPCR I/O port above 0xffff");
	free(t);
}

/* Through the RSDP: present (found by acpi_get_spcr) and absent (-ENOENT). */
static void spcr_found_through_xsdt_or_enoent(void **state)
{
	uint8_t *t = make_spcr(80, ACPI_GAS_IO, 0x3f8, ACPI_SPCR_IRQ_8259, 4, 0, 7);
	const uint64_t entries[] = { OTHER_PA, FADT_PA };
	struct acpi_reader r = { .map = fake_phys_map };
	struct acpi_spcr s;

	(void)state;
	assert_int_equal(acpi_get_spcr(&r, RSDP_PA, &s), -ENOENT); /* build_good(): no SPCR */
	memcpy(at(OTHER_PA) + 36, t + 36, 80 - 36);
	seal_table(OTHER_PA, "SPCR", 80);
	put_root(XSDT_PA, "XSDT", entries, 2, 8);
	assert_int_equal(acpi_get_spcr(&r, RSDP_PA, &s), 0);
	assert_int_equal(s.address, 0x3f8);
	assert_int_equal(s.irq, 4);
	free(t);
}

static void hpet_parses_and_rejects(void **state)
{
	uint8_t t[56] = { 'H', 'P', 'E', 'T' };
	struct acpi_hpet h;
	const char *why;

	(void)state;
	put_le(t + 36, 0x8086a201, 4);
	t[40] = ACPI_GAS_MEMORY;
	put_le(t + 44, 0xfed00000, 8);
	t[52] = 0;
	put_le(t + 53, 0x80, 2);
	assert_int_equal(acpi_parse_hpet(t, sizeof(t), &h, &why), 0);
	assert_int_equal(h.block_id, 0x8086a201);
	assert_int_equal(h.address, 0xfed00000);
	assert_int_equal(h.min_tick, 0x80);
	assert_int_equal(acpi_parse_hpet(t, 55, &h, &why), -EINVAL);
	assert_string_equal(why, "HPET table shorter than 56 bytes");
	t[40] = ACPI_GAS_IO;
	assert_int_equal(acpi_parse_hpet(t, sizeof(t), &h, &why), -EINVAL);
	assert_string_equal(why, "HPET registers not in system memory");
	t[40] = ACPI_GAS_MEMORY;
	put_le(t + 44, 0, 8);
	assert_int_equal(acpi_parse_hpet(t, sizeof(t), &h, &why), -EINVAL);
	assert_string_equal(why, "HPET base address is 0");
}

static void oem_ids_trimmed_and_bounded(void **state)
{
	uint8_t t[36] = { 'F', 'A', 'C', 'P' };
	char out[32];

	(void)state;
	memcpy(t + 10, "BOCHS ", 6);
	memcpy(t + 16, "BXPC    ", 8);
	assert_int_equal(acpi_table_oem(t, sizeof(t), out, sizeof(out)), 0);
	assert_string_equal(out, "BOCHS BXPC");
	assert_int_equal(acpi_table_oem(t, sizeof(t), out, 4), 0);
	assert_string_equal(out, "BOC");
	t[11] = 0x07; /* not printable */
	memset(t + 16, ' ', 8);
	assert_int_equal(acpi_table_oem(t, sizeof(t), out, sizeof(out)), 0);
	assert_string_equal(out, "B?CHS");
	assert_int_equal(acpi_table_oem(t, 35, out, sizeof(out)), -EINVAL);
	assert_string_equal(out, "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	fake_phys_init(mem, MEM_BASE, MEM_SIZE);
	const struct CMUnitTest tests[] = {
		T(acpi_good_tables_give_s5),
		T(acpi_rsdt_used_for_revision_0_rsdp),
		T(acpi_rejects_bad_rsdp_checksum),
		T(acpi_rejects_bad_extended_rsdp_checksum),
		T(acpi_rejects_bad_fadt_checksum),
		T(acpi_rejects_bad_dsdt_checksum),
		T(acpi_rejects_length_past_mapped_memory),
		T(acpi_rejects_length_shorter_than_header),
		T(acpi_rejects_huge_length),
		T(acpi_rejects_short_fadt),
		T(acpi_reports_missing_fadt),
		T(acpi_rejects_missing_s5),
		T(acpi_rejects_s5_package_past_table_end),
		T(acpi_rejects_fadt_without_pm1a),
		T(acpi_uses_extended_pm1a_in_io_space),
		T(acpi_find_table_skips_unmappable_entries),
		T(aml_s5_accepts_root_prefix_and_long_pkglength),
		T(aml_s5_reference_without_name_op_is_not_a_definition),
		T(aml_s5_rejects_truncation_everywhere),
		T(aml_s5_rejects_integer_cut_by_package_end),
		T(aml_s5_rejects_non_integer_and_oversized_values),
		T(rsdp_scan_finds_aligned_valid_rsdp_only),
		T(checksum_of_empty_and_balanced_buffers),
		T(madt_q35_tables_parse),
		T(madt_missing_is_enoent),
		T(madt_bad_checksum_rejected),
		T(madt_lapic_address_override_wins),
		T(madt_io_nmi_source_and_several_ioapics),
		T(madt_skips_unknown_types_and_longer_entries),
		T(madt_counts_entries_that_do_not_fit),
		T(madt_rejects_malformed_entries),
		T(madt_rejects_short_table_and_missing_lapic),
		T(madt_truncated_anywhere_is_safe),
		T(madt_x2apic_cpus_and_nmis),
		T(spcr_io_and_mmio_uarts_parse),
		T(spcr_rejects_short_zero_and_odd_spaces),
		T(spcr_found_through_xsdt_or_enoent),
		T(hpet_parses_and_rejects),
		T(oem_ids_trimmed_and_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
