// SPDX-License-Identifier: MIT
/* ACPI SRAT parsing: memory and processor affinity, i.e. the NUMA layout (include/lib/acpi.h). */
#include <kernel/errno.h>
#include <lib/acpi.h>
#include "acpi_internal.h"

/* ACPI 6.5 section 5.2.16: the 36-byte header, a reserved u32 (1) and a reserved u64. */
#define SRAT_HDR_LEN 48

enum srat_type {
	SRAT_LAPIC = 0,  /* domain[7:0] u8, APIC id u8, flags u32, SAPIC EID u8, domain[31:8]: 16 */
	SRAT_MEMORY = 1, /* domain u32, reserved u16, base u64, length u64, reserved u32, flags: 40 */
	SRAT_X2APIC = 2, /* reserved u16, domain u32, x2APIC id u32, flags u32, clock u32: 24 */
	SRAT_TYPE_KNOWN = 3,
};

static const uint8_t srat_min_len[SRAT_TYPE_KNOWN] = { 16, 40, 24 };

#define MEM_OFF_DOMAIN 2
#define MEM_OFF_BASE   8
#define MEM_OFF_LENGTH 16
#define MEM_OFF_FLAGS  28

/* Insert @m keeping s->mem sorted by base; refuse an overlap with a kept range. */
static int srat_add_mem(struct acpi_srat *s, const struct acpi_srat_mem *m, const char **why)
{
	unsigned i = 0;

	while (i < s->nr_mem && s->mem[i].base < m->base)
		i++;
	/* Sorted and disjoint, so only the neighbours can overlap the new range. */
	if (i > 0 && s->mem[i - 1].base + s->mem[i - 1].length > m->base)
		return acpi_bad(why, "SRAT memory ranges overlap");
	if (i < s->nr_mem && m->base + m->length > s->mem[i].base)
		return acpi_bad(why, "SRAT memory ranges overlap");
	if (s->nr_mem >= ACPI_SRAT_MAX_MEM) {
		s->dropped++;
		return 0;
	}
	for (unsigned j = s->nr_mem; j > i; j--)
		s->mem[j] = s->mem[j - 1];
	s->mem[i] = *m;
	s->nr_mem++;
	return 0;
}

static int srat_entry(struct acpi_srat *s, unsigned type, const uint8_t *e, const char **why)
{
	struct acpi_srat_mem m;
	struct acpi_srat_cpu c;
	uint32_t flags;

	switch (type) {
	case SRAT_MEMORY:
		m = (struct acpi_srat_mem){
			.base = acpi_le(e + MEM_OFF_BASE, 8), .length = acpi_le(e + MEM_OFF_LENGTH, 8),
			.domain = (uint32_t)acpi_le(e + MEM_OFF_DOMAIN, 4),
			.flags = (uint32_t)acpi_le(e + MEM_OFF_FLAGS, 4),
		};
		if (!(m.flags & ACPI_SRAT_MEM_ENABLED) || m.length == 0) {
			s->disabled++; /* the OS must ignore the entry (table 5.63) */
			return 0;
		}
		if (m.length > UINT64_MAX - m.base)
			return acpi_bad(why, "SRAT memory range wraps around the address space");
		return srat_add_mem(s, &m, why);
	case SRAT_LAPIC:
	case SRAT_X2APIC:
		if (type == SRAT_LAPIC) {
			flags = (uint32_t)acpi_le(e + 4, 4);
			c = (struct acpi_srat_cpu){
				.apic_id = e[3], .x2apic = false,
				.domain = e[2] | (uint32_t)acpi_le(e + 9, 3) << 8,
			};
		} else {
			flags = (uint32_t)acpi_le(e + 12, 4);
			c = (struct acpi_srat_cpu){
				.apic_id = (uint32_t)acpi_le(e + 8, 4), .x2apic = true,
				.domain = (uint32_t)acpi_le(e + 4, 4),
			};
		}
		if (!(flags & ACPI_SRAT_CPU_ENABLED)) {
			s->disabled++;
			return 0;
		}
		if (s->nr_cpus >= ACPI_SRAT_MAX_CPUS) {
			s->dropped++;
			return 0;
		}
		s->cpus[s->nr_cpus++] = c;
		return 0;
	default:
		return 0;
	}
}

static int srat_entry_cb(void *ctx, unsigned type, const uint8_t *e, const char **why)
{
	return srat_entry(ctx, type, e, why);
}

static const struct acpi_entry_list srat_entries = {
	.first = SRAT_HDR_LEN,
	.known = SRAT_TYPE_KNOWN,
	.min_len = srat_min_len,
	.cut = "SRAT entry header cut by the table end",
	.below_2 = "SRAT entry length below 2",
	.past_end = "SRAT entry runs past the table end",
	.too_short = "SRAT entry too short for its type",
};

int acpi_parse_srat(const uint8_t *table, uint32_t len, struct acpi_srat *out, const char **why)
{
	*out = (struct acpi_srat){ 0 };
	if (why)
		*why = NULL;
	if (len < SRAT_HDR_LEN)
		return acpi_bad(why, "SRAT shorter than its fixed fields");
	return acpi_walk_entries(table, len, &srat_entries, srat_entry_cb, out, &out->ignored, why);
}

int acpi_get_srat(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_srat *out)
{
	const uint8_t *srat;
	uint32_t len;
	int err;

	r->error = NULL;
	err = acpi_find_table(r, rsdp_pa, "SRAT", &srat, &len);
	if (err)
		return err;
	return acpi_parse_srat(srat, len, out, &r->error);
}

/* The @i-th domain in first-appearance order (memory by address, then CPUs), or false. */
static bool domain_at(const struct acpi_srat *s, unsigned i, uint32_t *domain)
{
	return i < s->nr_mem ? (*domain = s->mem[i].domain, true)
	     : i < s->nr_mem + s->nr_cpus ? (*domain = s->cpus[i - s->nr_mem].domain, true)
	     : false;
}

/* True when the @i-th entry's domain already appeared at an earlier position. */
static bool seen_before(const struct acpi_srat *s, unsigned i, uint32_t domain)
{
	uint32_t d;

	for (unsigned j = 0; j < i; j++)
		if (domain_at(s, j, &d) && d == domain)
			return true;
	return false;
}

int acpi_srat_node_of_domain(const struct acpi_srat *s, uint32_t domain, unsigned max_nodes)
{
	unsigned dense = 0;
	uint32_t d;

	for (unsigned i = 0; domain_at(s, i, &d); i++) {
		if (seen_before(s, i, d))
			continue;
		if (d == domain)
			return dense < max_nodes ? (int)dense : -1;
		dense++;
	}
	return -1;
}

unsigned acpi_srat_domain_count(const struct acpi_srat *s)
{
	unsigned n = 0;
	uint32_t d;

	for (unsigned i = 0; domain_at(s, i, &d); i++)
		if (!seen_before(s, i, d))
			n++;
	return n;
}
