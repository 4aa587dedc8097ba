/* SPDX-License-Identifier: MIT */
/*
 * Portable ACPI table parsing (lib/acpi.c): just enough to power off (ACPI S5). Reads
 * firmware memory only through a caller-supplied map callback, validates every length
 * and checksum before use, and never includes arch headers, so host tests can feed it a
 * buffer of fake tables.
 */
#ifndef KEEL_LIB_ACPI_H
#define KEEL_LIB_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Return a readable pointer to @len bytes of physical memory at @pa, or NULL when that
 * range cannot be read. The pointer must stay valid until the parse call returns.
 */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t pa, size_t len);

struct acpi_reader {
	acpi_map_fn map;
	void *ctx;
	const char *error; /* set by a failing call: what was wrong (static string) */
};

/* What the OS needs to enter S5 (ACPI 6.5 sections 4.8.3.2 and 7.4.2). */
struct acpi_s5 {
	uint32_t pm1a_cnt;   /* I/O port of the PM1a control register (never 0 on success) */
	uint32_t pm1b_cnt;   /* I/O port of PM1b control, 0 when there is none */
	uint8_t slp_typa;    /* \_S5 package element 0 */
	uint8_t slp_typb;    /* \_S5 package element 1 (0 when absent) */
	uint32_t smi_cmd;    /* port to write acpi_enable to for ACPI mode, 0 when fixed */
	uint8_t acpi_enable;
};

#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_EN        (1u << 13)
#define ACPI_PM1_SCI_EN        (1u << 0)

/* Bytes of @p sum to zero mod 256 (every ACPI table and the RSDP). */
bool acpi_checksum_ok(const void *p, size_t len);

/*
 * Search @len bytes at @buf (a copy or mapping of physical @base) for the RSDP signature on
 * 16-byte boundaries (ACPI 6.5 section 5.2.5.1: the EBDA and 0xE0000-0xFFFFF) and return the
 * physical address of the first valid one, or 0.
 */
uint64_t acpi_scan_rsdp(const void *buf, size_t len, uint64_t base);

/*
 * Find the table with signature @sig (e.g. "FACP") through the RSDP at @rsdp_pa (XSDT when
 * present, else RSDT). On success stores a pointer to the whole, checksum-verified table in
 * @table and its length in @len and returns 0; else a negative errno and r->error.
 */
int acpi_find_table(struct acpi_reader *r, uint64_t rsdp_pa, const char sig[4],
		    const uint8_t **table, uint32_t *len);

/*
 * Find "Name (_S5, Package () { a, b, ... })" in the AML byte stream @aml of @len bytes and
 * return SLP_TYPa/SLP_TYPb. Returns 0, or -ENOENT when absent, -EINVAL when malformed.
 */
int acpi_parse_s5_aml(const uint8_t *aml, size_t len, uint8_t *typa, uint8_t *typb);

/* Everything needed for S5 from the tables behind @rsdp_pa: FADT, then the DSDT. */
int acpi_get_s5(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_s5 *out);

#endif
