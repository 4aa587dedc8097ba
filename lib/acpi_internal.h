/* SPDX-License-Identifier: MIT */
/* Private to lib/acpi*.c: little-endian fields, table errors, the entry list after a table's
 * fixed fields (MADT, SRAT). */
#ifndef KEEL_LIB_ACPI_INTERNAL_H
#define KEEL_LIB_ACPI_INTERNAL_H

#include <kernel/errno.h>
#include <kernel/types.h>

/* The @bytes-byte little-endian field at @p (ACPI is little-endian on every architecture). */
static inline uint64_t acpi_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = (v << 8) | p[bytes];
	return v;
}

/* A malformed table: *@why (may be NULL) says what, the result is -EINVAL. */
static inline int acpi_bad(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -EINVAL;
}

/* What a table's entry list looks like, and how its errors read ("MADT entry ..."). */
struct acpi_entry_list {
	uint32_t first;           /* offset of the first entry */
	unsigned known;           /* types 0 .. known - 1 are parsed */
	const uint8_t *min_len;   /* [known]: shortest valid entry of each type */
	const char *cut;          /* an entry header cut by the table end */
	const char *below_2;      /* an entry length below 2 (would never advance) */
	const char *past_end;     /* an entry running past the table end */
	const char *too_short;    /* an entry too short for its type */
};

/*
 * Walk @table's entries: each is checked against the table end and its type's minimum length
 * before @entry(@ctx, type, entry, @why) sees it; unknown types are counted in *@ignored.
 * 0, or -EINVAL with *@why (may be NULL) set at the first malformed entry or @entry's error.
 */
int acpi_walk_entries(const uint8_t *table, uint32_t len, const struct acpi_entry_list *list,
		      int (*entry)(void *ctx, unsigned type, const uint8_t *e, const char **why),
		      void *ctx, unsigned *ignored, const char **why);

#endif /* KEEL_LIB_ACPI_INTERNAL_H */
