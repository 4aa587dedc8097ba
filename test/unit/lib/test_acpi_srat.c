// SPDX-License-Identifier: MIT
/* Host tests for lib/acpi_srat.c: SRAT memory/CPU affinity, good tables and malformed ones. */
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

#define SRAT_HDR 48

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- entry builders ----------------------------------------------------------------------- */

struct tbl {
	uint8_t b[4096];
	size_t len;
};

static void tbl_init(struct tbl *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "SRAT", 4);
	t->b[8] = 3;
	put_le(t->b + 36, 1, 4); /* reserved, 1 for compatibility */
	t->len = SRAT_HDR;
}

static void add_mem(struct tbl *t, uint32_t domain, uint64_t base, uint64_t len, uint32_t flags)
{
	uint8_t *e = t->b + t->len;

	assert_true(t->len + 40 <= sizeof(t->b));
	e[0] = 1;
	e[1] = 40;
	put_le(e + 2, domain, 4);
	put_le(e + 8, base, 8);
	put_le(e + 16, len, 8);
	put_le(e + 28, flags, 4);
	t->len += 40;
}

static void add_lapic(struct tbl *t, uint32_t domain, uint8_t apic_id, uint32_t flags)
{
	uint8_t *e = t->b + t->len;

	e[0] = 0;
	e[1] = 16;
	e[2] = (uint8_t)domain;
	e[3] = apic_id;
	put_le(e + 4, flags, 4);
	put_le(e + 9, domain >> 8, 3);
	t->len += 16;
}

static void add_x2apic(struct tbl *t, uint32_t domain, uint32_t id, uint32_t flags)
{
	uint8_t *e = t->b + t->len;

	e[0] = 2;
	e[1] = 24;
	put_le(e + 4, domain, 4);
	put_le(e + 8, id, 4);
	put_le(e + 12, flags, 4);
	t->len += 24;
}

static void add_raw(struct tbl *t, const uint8_t *bytes, size_t n)
{
	memcpy(t->b + t->len, bytes, n);
	t->len += n;
}

/* Parse from an exact-size heap copy so ASan catches any read past the table. */
static int parse(const struct tbl *t, size_t len, struct acpi_srat *s, const char **why)
{
	uint8_t *copy = malloc(len ? len : 1);
	int err;

	assert_non_null(copy);
	memcpy(copy, t->b, len);
	put_le(copy + 4, len, len >= 8 ? 4 : 0);
	err = acpi_parse_srat(copy, (uint32_t)len, s, why);
	free(copy);
	return err;
}

#define EN ACPI_SRAT_MEM_ENABLED
#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* What QEMU 7.2 builds for "-m 384M -numa node,mem=256M,cpus=0 -numa node,mem=128M": the
 * legacy hole below 1 MiB split off node 0, a hot-plug range on the last node. */
static void build_qemu_two_nodes(struct tbl *t)
{
	tbl_init(t);
	add_lapic(t, 0, 0, 1);
	add_mem(t, 0, 0, 0xa0000, EN);
	add_mem(t, 0, 0x100000, 256 * MiB - 0x100000, EN);
	add_mem(t, 1, 256 * MiB, 128 * MiB, EN);
	add_mem(t, 1, 4 * GiB, 0, 0);              /* empty placeholder QEMU emits: disabled */
	add_mem(t, 1, 8 * GiB, 4 * GiB, EN | ACPI_SRAT_MEM_HOTPLUG);
}

/* ---- tests -------------------------------------------------------------------------------- */

static void srat_qemu_two_nodes_parse(void **state)
{
	struct acpi_srat s;
	struct tbl t;
	const char *why = "unset";

	(void)state;
	build_qemu_two_nodes(&t);
	assert_int_equal(parse(&t, t.len, &s, &why), 0);
	assert_null(why);
	assert_int_equal(s.nr_mem, 4);
	assert_int_equal(s.mem[0].base, 0);
	assert_int_equal(s.mem[0].length, 0xa0000);
	assert_int_equal(s.mem[2].base, 256 * MiB);
	assert_int_equal(s.mem[2].domain, 1);
	assert_int_equal(s.mem[3].flags, EN | ACPI_SRAT_MEM_HOTPLUG);
	assert_int_equal(s.nr_cpus, 1);
	assert_int_equal(s.cpus[0].domain, 0);
	assert_false(s.cpus[0].x2apic);
	assert_int_equal(s.disabled, 1);
	assert_int_equal(s.dropped, 0);
	assert_int_equal(acpi_srat_domain_count(&s), 2);
	assert_int_equal(acpi_srat_node_of_domain(&s, 0, 4), 0);
	assert_int_equal(acpi_srat_node_of_domain(&s, 1, 4), 1);
	assert_int_equal(acpi_srat_node_of_domain(&s, 2, 4), -1);
}

static void srat_sparse_domains_become_dense_by_address(void **state)
{
	struct acpi_srat s;
	struct tbl t;

	(void)state;
	tbl_init(&t);
	/* Listed out of address order, with 32-bit domain numbers. */
	add_mem(&t, 0x700, 2 * GiB, GiB, EN);
	add_mem(&t, 0x10000, 0, GiB, EN);
	add_mem(&t, 0x10000, GiB, GiB, EN);
	add_x2apic(&t, 0x5000000, 0x200, 1);         /* a CPU-only domain */
	add_lapic(&t, 0x123456, 7, 1);               /* 24-bit domain split across the entry */
	assert_int_equal(parse(&t, t.len, &s, NULL), 0);
	assert_int_equal(s.mem[0].domain, 0x10000);
	assert_int_equal(s.mem[2].domain, 0x700);
	assert_true(s.cpus[0].x2apic);
	assert_int_equal(s.cpus[0].apic_id, 0x200);
	assert_int_equal(s.cpus[1].domain, 0x123456);
	assert_int_equal(s.cpus[1].apic_id, 7);
	assert_int_equal(acpi_srat_domain_count(&s), 4);
	assert_int_equal(acpi_srat_node_of_domain(&s, 0x10000, 4), 0);
	assert_int_equal(acpi_srat_node_of_domain(&s, 0x700, 4), 1);
	assert_int_equal(acpi_srat_node_of_domain(&s, 0x5000000, 4), 2);
	assert_int_equal(acpi_srat_node_of_domain(&s, 0x123456, 4), 3);
	/* Beyond the caller's node limit: no dense id. */
	assert_int_equal(acpi_srat_node_of_domain(&s, 0x123456, 3), -1);
}

static void srat_disabled_cpus_and_unknown_types_are_counted(void **state)
{
	static const uint8_t gicc[24] = { 3, 24 };
	static const uint8_t future[7] = { 0x42, 7 };
	struct acpi_srat s;
	struct tbl t;

	(void)state;
	tbl_init(&t);
	add_lapic(&t, 0, 0, 0);
	add_x2apic(&t, 1, 9, 0);
	add_raw(&t, gicc, sizeof(gicc));
	add_raw(&t, future, sizeof(future));
	add_mem(&t, 0, 0, GiB, ACPI_SRAT_MEM_HOTPLUG); /* not enabled */
	assert_int_equal(parse(&t, t.len, &s, NULL), 0);
	assert_int_equal(s.nr_cpus, 0);
	assert_int_equal(s.nr_mem, 0);
	assert_int_equal(s.disabled, 3);
	assert_int_equal(s.ignored, 2);
	assert_int_equal(acpi_srat_domain_count(&s), 0);
	assert_int_equal(acpi_srat_node_of_domain(&s, 0, 4), -1);
}

static void srat_counts_entries_that_do_not_fit(void **state)
{
	struct acpi_srat s;
	struct tbl t;

	(void)state;
	tbl_init(&t);
	for (unsigned i = 0; i < ACPI_SRAT_MAX_MEM + 3; i++)
		add_mem(&t, i & 1, (uint64_t)i * GiB, GiB, EN);
	for (unsigned i = 0; i < ACPI_SRAT_MAX_CPUS + 2; i++)
		add_lapic(&t, 0, (uint8_t)i, 1);
	assert_int_equal(parse(&t, t.len, &s, NULL), 0);
	assert_int_equal(s.nr_mem, ACPI_SRAT_MAX_MEM);
	assert_int_equal(s.nr_cpus, ACPI_SRAT_MAX_CPUS);
	assert_int_equal(s.dropped, 5);
	for (unsigned i = 1; i < s.nr_mem; i++)
		assert_true(s.mem[i - 1].base + s.mem[i - 1].length <= s.mem[i].base);
}

static void srat_rejects_overlapping_ranges(void **state)
{
	struct acpi_srat s;
	struct tbl t;
	const char *why;

	(void)state;
	tbl_init(&t);
	add_mem(&t, 0, 0, 2 * GiB, EN);
	add_mem(&t, 1, GiB, 2 * GiB, EN);            /* starts inside the first */
	assert_int_equal(parse(&t, t.len, &s, &why), -EINVAL);
	assert_string_equal(why, "SRAT memory ranges overlap");

	tbl_init(&t);
	add_mem(&t, 1, 4 * GiB, GiB, EN);
	add_mem(&t, 0, 3 * GiB, GiB + 1, EN);        /* ends one byte inside the next */
	assert_int_equal(parse(&t, t.len, &s, &why), -EINVAL);

	tbl_init(&t);
	add_mem(&t, 0, GiB, GiB, EN);
	add_mem(&t, 0, GiB, GiB, EN);                /* exact duplicate */
	assert_int_equal(parse(&t, t.len, &s, &why), -EINVAL);

	/* Touching is not overlapping; a disabled overlapping entry does not count. */
	tbl_init(&t);
	add_mem(&t, 0, 0, GiB, EN);
	add_mem(&t, 1, GiB, GiB, EN);
	add_mem(&t, 1, 0, 2 * GiB, 0);
	assert_int_equal(parse(&t, t.len, &s, &why), 0);
	assert_int_equal(s.nr_mem, 2);
}

static void srat_rejects_wrapping_range(void **state)
{
	struct acpi_srat s;
	struct tbl t;
	const char *why;

	(void)state;
	tbl_init(&t);
	add_mem(&t, 0, UINT64_MAX - 4095, 8192, EN);
	assert_int_equal(parse(&t, t.len, &s, &why), -EINVAL);
	assert_string_equal(why, "SRAT memory range wraps around the address space");
}

static void srat_rejects_bad_entry_lengths(void **state)
{
	struct {
		uint8_t bytes[8];
		size_t n;
		const char *why;
	} cases[] = {
		{ { 1, 0 }, 2, "SRAT entry length below 2" },         /* zero-length entry */
		{ { 1, 1 }, 2, "SRAT entry length below 2" },
		{ { 1, 39 }, 8, "SRAT entry runs past the table end" },
		{ { 0, 8, 0, 0, 1 }, 8, "SRAT entry too short for its type" },
		{ { 1, 8 }, 8, "SRAT entry too short for its type" },
		{ { 2, 16 }, 8, "SRAT entry runs past the table end" },
		{ { 2, 6, 0, 0, 0, 0 }, 6, "SRAT entry too short for its type" },
		{ { 1 }, 1, "SRAT entry header cut by the table end" },
	};
	struct acpi_srat s;
	struct tbl t;
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tbl_init(&t);
		add_mem(&t, 0, 0, GiB, EN);
		add_raw(&t, cases[i].bytes, cases[i].n);
		why = NULL;
		assert_int_equal(parse(&t, t.len, &s, &why), -EINVAL);
		assert_string_equal(why, cases[i].why);
	}
}

static void srat_rejects_short_table(void **state)
{
	struct acpi_srat s;
	struct tbl t;
	const char *why;

	(void)state;
	tbl_init(&t);
	assert_int_equal(parse(&t, SRAT_HDR - 1, &s, &why), -EINVAL);
	assert_string_equal(why, "SRAT shorter than its fixed fields");
	assert_int_equal(parse(&t, SRAT_HDR, &s, &why), 0); /* no entries: valid, no nodes */
	assert_int_equal(s.nr_mem + s.nr_cpus, 0);
	assert_int_equal(parse(&t, 0, &s, NULL), -EINVAL);
}

/* Every truncation of a good table either parses (at an entry boundary) or is refused. */
static void srat_truncated_anywhere_is_safe(void **state)
{
	struct acpi_srat s;
	struct tbl t;
	int err;

	(void)state;
	build_qemu_two_nodes(&t);
	for (size_t n = 0; n <= t.len; n++) {
		err = parse(&t, n, &s, NULL);
		assert_true(err == 0 || err == -EINVAL);
		if (err == 0)
			assert_true(s.nr_mem <= 4);
	}
}

/* ---- through the RSDP, with a checksum ----------------------------------------------------- */

#define MEM_BASE 0x20000u
static uint8_t fake[0x2000];
static void checksum(uint8_t *p, size_t len, uint8_t *at)
{
	uint8_t sum = 0;

	*at = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	*at = (uint8_t)-sum;
}

/* RSDP (rev 0) at MEM_BASE -> RSDT at +0x100 -> SRAT at +0x200. */
static void put_tables(const struct tbl *t)
{
	uint8_t *rsdp = fake, *rsdt = fake + 0x100, *srat = fake + 0x200;

	memset(fake, 0, sizeof(fake));
	memcpy(rsdp, "RSD PTR ", 8);
	put_le(rsdp + 16, MEM_BASE + 0x100, 4);
	checksum(rsdp, 20, rsdp + 8);
	memcpy(rsdt, "RSDT", 4);
	put_le(rsdt + 4, 40, 4);
	put_le(rsdt + 36, MEM_BASE + 0x200, 4);
	checksum(rsdt, 40, rsdt + 9);
	memcpy(srat, t->b, t->len);
	put_le(srat + 4, t->len, 4);
	checksum(srat, t->len, srat + 9);
}

static int teardown(void **state)
{
	(void)state;
	fake_phys_release();
	return 0;
}

static void srat_found_through_rsdp(void **state)
{
	struct acpi_reader r = { .map = fake_phys_map };
	struct acpi_srat s;
	struct tbl t;

	(void)state;
	build_qemu_two_nodes(&t);
	put_tables(&t);
	assert_int_equal(acpi_get_srat(&r, MEM_BASE, &s), 0);
	assert_null(r.error);
	assert_int_equal(s.nr_mem, 4);
	assert_int_equal(acpi_srat_domain_count(&s), 2);
}

static void srat_bad_checksum_or_missing_rejected(void **state)
{
	struct acpi_reader r = { .map = fake_phys_map };
	struct acpi_srat s;
	struct tbl t;

	(void)state;
	build_qemu_two_nodes(&t);
	put_tables(&t);
	fake[0x200 + 50]++;                          /* a byte of the first entry */
	assert_int_equal(acpi_get_srat(&r, MEM_BASE, &s), -EINVAL);
	assert_string_equal(r.error, "table checksum mismatch");

	put_tables(&t);
	memcpy(fake + 0x200, "SLIT", 4);             /* no SRAT listed: not a NUMA machine */
	checksum(fake + 0x200, t.len, fake + 0x209);
	assert_int_equal(acpi_get_srat(&r, MEM_BASE, &s), -ENOENT);

	put_tables(&t);
	put_le(fake + 0x204, sizeof(fake), 4);       /* length past mapped memory */
	assert_int_equal(acpi_get_srat(&r, MEM_BASE, &s), -EFAULT);
}

static void srat_malformed_through_rsdp_sets_error(void **state)
{
	struct acpi_reader r = { .map = fake_phys_map };
	struct acpi_srat s;
	struct tbl t;

	(void)state;
	tbl_init(&t);
	add_mem(&t, 0, 0, GiB, EN);
	t.b[t.len++] = 1;
	t.b[t.len++] = 0;                            /* zero-length entry */
	put_tables(&t);
	assert_int_equal(acpi_get_srat(&r, MEM_BASE, &s), -EINVAL);
	assert_string_equal(r.error, "SRAT entry length below 2");
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	fake_phys_init(fake, MEM_BASE, sizeof(fake));
	const struct CMUnitTest tests[] = {
		T(srat_qemu_two_nodes_parse),
		T(srat_sparse_domains_become_dense_by_address),
		T(srat_disabled_cpus_and_unknown_types_are_counted),
		T(srat_counts_entries_that_do_not_fit),
		T(srat_rejects_overlapping_ranges),
		T(srat_rejects_wrapping_range),
		T(srat_rejects_bad_entry_lengths),
		T(srat_rejects_short_table),
		T(srat_truncated_anywhere_is_safe),
		T(srat_found_through_rsdp),
		T(srat_bad_checksum_or_missing_rejected),
		T(srat_malformed_through_rsdp_sets_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
