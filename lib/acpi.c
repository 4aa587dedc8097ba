// SPDX-License-Identifier: MIT
/* ACPI table parsing: RSDP, XSDT/RSDT, FADT and the DSDT's \_S5 (power-off), the MADT (interrupts). */
#include <kernel/errno.h>
#include <lib/acpi.h>
#include "acpi_internal.h"

/* Layouts from ACPI 6.5: RSDP 5.2.5.3, table header 5.2.6, FADT 5.2.9, GAS 5.2.3.2. */
#define RSDP_V1_LEN        20
#define RSDP_V2_LEN        36
#define RSDP_MAX_LEN       4096 /* sanity bound on the v2 length field */
#define RSDP_OFF_REVISION  15
#define RSDP_OFF_RSDT      16
#define RSDP_OFF_LENGTH    20
#define RSDP_OFF_XSDT      24

#define SDT_HDR_LEN        36
#define SDT_OFF_LENGTH     4
#define SDT_MAX_LEN        (16u << 20) /* far beyond any real table: a corrupt length */

#define FADT_V1_LEN        116
#define FADT_OFF_DSDT      40
#define FADT_OFF_SMI_CMD   48
#define FADT_OFF_ACPI_ENABLE 52
#define FADT_OFF_PM1A_CNT  64
#define FADT_OFF_PM1B_CNT  68
#define FADT_OFF_X_DSDT    140
#define FADT_OFF_X_PM1A_CNT 172
#define FADT_OFF_X_PM1B_CNT 184
#define GAS_LEN            12
#define GAS_OFF_ADDRESS    4
#define GAS_SPACE_SYSTEM_IO 1
#define IO_PORT_MAX        0xffff

/* AML opcodes (ACPI 6.5 chapter 20). */
#define AML_ZERO_OP        0x00
#define AML_ONE_OP         0x01
#define AML_NAME_OP        0x08
#define AML_BYTE_PREFIX    0x0A
#define AML_WORD_PREFIX    0x0B
#define AML_DWORD_PREFIX   0x0C
#define AML_QWORD_PREFIX   0x0E
#define AML_PACKAGE_OP     0x12
#define AML_ROOT_CHAR      '\\'
#define AML_ONES_OP        0xFF
#define SLP_TYP_MAX        7 /* a 3-bit field of PM1x_CNT */

static bool sig_eq(const uint8_t *p, const char *sig, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)sig[i])
			return false;
	return true;
}

static int fail(struct acpi_reader *r, int err, const char *why)
{
	r->error = why;
	return err;
}

bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *b++);
	return sum == 0;
}

uint64_t acpi_scan_rsdp(const void *buf, size_t len, uint64_t base)
{
	const uint8_t *b = buf;
	size_t off = (size_t)((16 - (base & 15)) & 15);

	for (; len >= RSDP_V1_LEN && off <= len - RSDP_V1_LEN; off += 16)
		if (sig_eq(b + off, "RSD PTR ", 8) && acpi_checksum_ok(b + off, RSDP_V1_LEN))
			return base + off;
	return 0;
}

/*
 * Map the table at @pa, check its length and checksum (and signature, when @sig is given),
 * and return it whole in @table/@len.
 */
static int map_table(struct acpi_reader *r, uint64_t pa, const char *sig,
		     const uint8_t **table, uint32_t *len)
{
	const uint8_t *hdr = r->map(r->ctx, pa, SDT_HDR_LEN);
	uint32_t n;

	if (!hdr)
		return fail(r, -EFAULT, "table header not mapped");
	if (sig && !sig_eq(hdr, sig, 4))
		return fail(r, -EINVAL, "table has the wrong signature");
	n = (uint32_t)acpi_le(hdr + SDT_OFF_LENGTH, 4);
	if (n < SDT_HDR_LEN || n > SDT_MAX_LEN)
		return fail(r, -EINVAL, "table length field out of range");
	*table = r->map(r->ctx, pa, n);
	if (!*table)
		return fail(r, -EFAULT, "table body not mapped");
	if (!acpi_checksum_ok(*table, n))
		return fail(r, -EINVAL, "table checksum mismatch");
	*len = n;
	return 0;
}

/* Validate the RSDP and return the root table's address and entry size (XSDT 8, RSDT 4). */
static int parse_rsdp(struct acpi_reader *r, uint64_t pa, uint64_t *root, unsigned *entry)
{
	const uint8_t *p = r->map(r->ctx, pa, RSDP_V1_LEN);
	uint32_t len;

	if (!p)
		return fail(r, -EFAULT, "RSDP not mapped");
	if (!sig_eq(p, "RSD PTR ", 8) || !acpi_checksum_ok(p, RSDP_V1_LEN))
		return fail(r, -EINVAL, "RSDP signature or checksum bad");
	*root = acpi_le(p + RSDP_OFF_RSDT, 4);
	*entry = 4;
	if (p[RSDP_OFF_REVISION] < 2)
		goto done;

	p = r->map(r->ctx, pa, RSDP_V2_LEN);
	if (!p)
		return fail(r, -EFAULT, "RSDP not mapped");
	len = (uint32_t)acpi_le(p + RSDP_OFF_LENGTH, 4);
	if (len < RSDP_V2_LEN || len > RSDP_MAX_LEN)
		return fail(r, -EINVAL, "RSDP length out of range");
	p = r->map(r->ctx, pa, len);
	if (!p)
		return fail(r, -EFAULT, "RSDP not mapped");
	if (!acpi_checksum_ok(p, len))
		return fail(r, -EINVAL, "RSDP extended checksum bad");
	if (acpi_le(p + RSDP_OFF_XSDT, 8)) {
		*root = acpi_le(p + RSDP_OFF_XSDT, 8);
		*entry = 8;
	}
done:
	if (!*root)
		return fail(r, -EINVAL, "RSDP points to no RSDT/XSDT");
	return 0;
}

int acpi_find_table(struct acpi_reader *r, uint64_t rsdp_pa, const char sig[4],
		    const uint8_t **table, uint32_t *len)
{
	const uint8_t *root, *hdr;
	uint32_t root_len;
	uint64_t root_pa, pa;
	unsigned entry;
	int err;

	err = parse_rsdp(r, rsdp_pa, &root_pa, &entry);
	if (err)
		return err;
	err = map_table(r, root_pa, entry == 8 ? "XSDT" : "RSDT", &root, &root_len);
	if (err)
		return err;
	for (uint32_t off = SDT_HDR_LEN; off + entry <= root_len; off += entry) {
		pa = acpi_le(root + off, entry);
		if (!pa)
			continue;
		/* Only the header of tables we skip is read: their bodies are not our business. */
		hdr = r->map(r->ctx, pa, SDT_HDR_LEN);
		if (hdr && sig_eq(hdr, sig, 4))
			return map_table(r, pa, sig, table, len);
	}
	return fail(r, -ENOENT, "table not listed in the RSDT/XSDT");
}

/* AML PkgLength (ACPI 6.5 section 20.2.4): the length, and how many bytes encoded it. */
static int aml_pkg_length(const uint8_t *p, size_t avail, uint32_t *pkglen, size_t *used)
{
	unsigned follow;
	uint32_t v;

	if (avail < 1)
		return -EINVAL;
	follow = p[0] >> 6;
	if (follow == 0) {
		*pkglen = p[0] & 0x3f;
		*used = 1;
		return 0;
	}
	/* With follow-on bytes, bits 4-5 of the lead byte are reserved zero. */
	if ((p[0] & 0x30) || avail < 1 + follow)
		return -EINVAL;
	v = p[0] & 0x0f;
	for (unsigned i = 0; i < follow; i++)
		v |= (uint32_t)p[1 + i] << (4 + 8 * i);
	*pkglen = v;
	*used = 1 + follow;
	return 0;
}

/* One AML integer constant (ComputationalData): ZeroOp, OneOp, OnesOp or a prefixed value. */
static int aml_integer(const uint8_t *p, size_t avail, uint64_t *val, size_t *used)
{
	unsigned bytes;

	if (avail < 1)
		return -EINVAL;
	switch (p[0]) {
	case AML_ZERO_OP:      *val = 0; *used = 1; return 0;
	case AML_ONE_OP:       *val = 1; *used = 1; return 0;
	case AML_ONES_OP:      *val = ~0ULL; *used = 1; return 0;
	case AML_BYTE_PREFIX:  bytes = 1; break;
	case AML_WORD_PREFIX:  bytes = 2; break;
	case AML_DWORD_PREFIX: bytes = 4; break;
	case AML_QWORD_PREFIX: bytes = 8; break;
	default:               return -EINVAL;
	}
	if (avail < 1 + bytes)
		return -EINVAL;
	*val = acpi_le(p + 1, bytes);
	*used = 1 + bytes;
	return 0;
}

/* Parse "PackageOp PkgLength NumElements a b ..." starting at @pos; bounds are [0, @len). */
static int aml_s5_package(const uint8_t *aml, size_t len, size_t pos, uint8_t *typa,
			  uint8_t *typb)
{
	uint64_t a, b = 0;
	uint32_t pkglen;
	size_t used, end;
	unsigned count;

	if (pos >= len || aml[pos] != AML_PACKAGE_OP)
		return -EINVAL;
	pos++;
	if (aml_pkg_length(aml + pos, len - pos, &pkglen, &used) || pkglen <= used ||
	    pkglen > len - pos)
		return -EINVAL;
	end = pos + pkglen; /* PkgLength counts its own bytes */
	pos += used;
	count = aml[pos++];
	if (count < 1 || aml_integer(aml + pos, end - pos, &a, &used))
		return -EINVAL;
	pos += used;
	if (count >= 2 && aml_integer(aml + pos, end - pos, &b, &used))
		return -EINVAL;
	if (a > SLP_TYP_MAX || b > SLP_TYP_MAX)
		return -EINVAL;
	*typa = (uint8_t)a;
	*typb = (uint8_t)b;
	return 0;
}

int acpi_parse_s5_aml(const uint8_t *aml, size_t len, uint8_t *typa, uint8_t *typb)
{
	bool named;

	for (size_t i = 0; len >= 4 && i <= len - 4; i++) {
		if (!sig_eq(aml + i, "_S5_", 4))
			continue;
		/* Only a definition counts: "NameOp _S5_" or "NameOp \_S5_", not a reference. */
		named = (i >= 1 && aml[i - 1] == AML_NAME_OP) ||
			(i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME_OP);
		if (named)
			return aml_s5_package(aml, len, i + 4, typa, typb);
	}
	return -ENOENT;
}

/* PM1x_CNT port: the legacy 32-bit field, else the extended GAS when it is in I/O space. */
static uint32_t fadt_pm1_port(const uint8_t *fadt, uint32_t len, unsigned off, unsigned xoff)
{
	uint32_t port = (uint32_t)acpi_le(fadt + off, 4);
	uint64_t xaddr;

	if (port || len < xoff + GAS_LEN || fadt[xoff] != GAS_SPACE_SYSTEM_IO)
		return port;
	xaddr = acpi_le(fadt + xoff + GAS_OFF_ADDRESS, 8);
	return xaddr <= IO_PORT_MAX ? (uint32_t)xaddr : 0;
}

/* The DSDT address: X_DSDT when the FADT is long enough and sets it, else DSDT. */
static uint64_t fadt_dsdt(const uint8_t *fadt, uint32_t len)
{
	uint64_t x = len >= FADT_OFF_X_DSDT + 8 ? acpi_le(fadt + FADT_OFF_X_DSDT, 8) : 0;

	return x ? x : acpi_le(fadt + FADT_OFF_DSDT, 4);
}

int acpi_get_s5(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_s5 *out)
{
	const uint8_t *fadt, *dsdt;
	uint32_t fadt_len, dsdt_len;
	uint64_t dsdt_pa;
	int err;

	r->error = NULL;
	err = acpi_find_table(r, rsdp_pa, "FACP", &fadt, &fadt_len);
	if (err)
		return err;
	if (fadt_len < FADT_V1_LEN)
		return fail(r, -EINVAL, "FADT shorter than ACPI 1.0's");

	*out = (struct acpi_s5){
		.pm1a_cnt = fadt_pm1_port(fadt, fadt_len, FADT_OFF_PM1A_CNT, FADT_OFF_X_PM1A_CNT),
		.pm1b_cnt = fadt_pm1_port(fadt, fadt_len, FADT_OFF_PM1B_CNT, FADT_OFF_X_PM1B_CNT),
		.smi_cmd = (uint32_t)acpi_le(fadt + FADT_OFF_SMI_CMD, 4),
		.acpi_enable = fadt[FADT_OFF_ACPI_ENABLE],
	};
	if (!out->pm1a_cnt || out->pm1a_cnt > IO_PORT_MAX || out->pm1b_cnt > IO_PORT_MAX)
		return fail(r, -EINVAL, "FADT has no usable PM1a control port");

	dsdt_pa = fadt_dsdt(fadt, fadt_len);
	if (!dsdt_pa)
		return fail(r, -ENOENT, "FADT names no DSDT");
	err = map_table(r, dsdt_pa, "DSDT", &dsdt, &dsdt_len);
	if (err)
		return err;

	err = acpi_parse_s5_aml(dsdt + SDT_HDR_LEN, dsdt_len - SDT_HDR_LEN,
				&out->slp_typa, &out->slp_typb);
	if (err == -ENOENT)
		return fail(r, err, "DSDT defines no \\_S5 package");
	if (err)
		return fail(r, err, "DSDT \\_S5 package malformed");
	return 0;
}

/* ---- MADT (ACPI 6.5 section 5.2.12) ---- */

#define MADT_OFF_LAPIC_ADDR 36
#define MADT_OFF_FLAGS      40
#define MADT_HDR_LEN        44

enum madt_type {
	MADT_LOCAL_APIC = 0,      /* uid u8, apic id u8, flags u32: 8 bytes */
	MADT_IOAPIC = 1,          /* id u8, reserved u8, address u32, GSI base u32: 12 bytes */
	MADT_INT_OVERRIDE = 2,    /* bus u8, source u8, GSI u32, flags u16: 10 bytes */
	MADT_NMI_SOURCE = 3,      /* flags u16, GSI u32: 8 bytes */
	MADT_LOCAL_APIC_NMI = 4,  /* uid u8, flags u16, LINT# u8: 6 bytes */
	MADT_LAPIC_OVERRIDE = 5,  /* reserved u16, 64-bit address: 12 bytes */
	/* 6-8: I/O SAPIC, local SAPIC, platform interrupt sources (Itanium): counted ignored */
	MADT_X2APIC = 9,          /* reserved u16, x2APIC id u32, flags u32, uid u32: 16 bytes */
	MADT_X2APIC_NMI = 10,     /* flags u16, uid u32, LINT# u8, reserved 3: 12 bytes */
	MADT_TYPE_KNOWN = 11,
};

static const uint8_t madt_min_len[MADT_TYPE_KNOWN] = { 8, 12, 10, 8, 6, 12, 2, 2, 2, 16, 12 };

/* A CPU entry (type 0 or 9), or one more dropped when cpus[] is full. */
static void madt_add_cpu(struct acpi_madt *m, struct acpi_madt_cpu cpu)
{
	if (m->nr_cpus >= ACPI_MADT_MAX_CPUS) {
		m->dropped++;
		return;
	}
	m->cpus[m->nr_cpus++] = cpu;
}

/* An NMI entry (type 3, 4 or 10), or one more dropped when nmis[] is full. */
static void madt_add_nmi(struct acpi_madt *m, struct acpi_madt_nmi nmi)
{
	if (m->nr_nmis >= ACPI_MADT_MAX_NMIS) {
		m->dropped++;
		return;
	}
	m->nmis[m->nr_nmis++] = nmi;
}

#define ISA_IRQS 16

/* One entry @e of @type < MADT_TYPE_KNOWN, already checked to be long enough for its type. */
static int madt_entry(struct acpi_madt *m, unsigned type, const uint8_t *e, const char **why)
{
	switch (type) {
	case MADT_LOCAL_APIC:
		madt_add_cpu(m, (struct acpi_madt_cpu){
			.uid = e[2], .apic_id = e[3], .flags = (uint32_t)acpi_le(e + 4, 4),
		});
		return 0;
	case MADT_X2APIC:
		madt_add_cpu(m, (struct acpi_madt_cpu){
			.apic_id = (uint32_t)acpi_le(e + 4, 4), .flags = (uint32_t)acpi_le(e + 8, 4),
			.uid = (uint32_t)acpi_le(e + 12, 4), .x2apic = true,
		});
		return 0;
	case MADT_IOAPIC:
		if (!acpi_le(e + 4, 4))
			return acpi_bad(why, "MADT IOAPIC entry at address 0");
		if (m->nr_ioapics >= ACPI_MADT_MAX_IOAPICS) {
			m->dropped++;
			return 0;
		}
		m->ioapics[m->nr_ioapics++] = (struct acpi_madt_ioapic){
			.id = e[2], .addr = (uint32_t)acpi_le(e + 4, 4),
			.gsi_base = (uint32_t)acpi_le(e + 8, 4),
		};
		return 0;
	case MADT_INT_OVERRIDE:
		if (e[2] != 0) { /* only bus 0 (ISA) is defined */
			m->ignored++;
			return 0;
		}
		if (e[3] >= ISA_IRQS)
			return acpi_bad(why, "MADT override of an ISA IRQ above 15");
		if (m->nr_overrides >= ACPI_MADT_MAX_OVERRIDES) {
			m->dropped++;
			return 0;
		}
		m->overrides[m->nr_overrides++] = (struct acpi_madt_override){
			.isa_irq = e[3], .gsi = (uint32_t)acpi_le(e + 4, 4),
			.flags = (uint16_t)acpi_le(e + 8, 2),
		};
		return 0;
	case MADT_NMI_SOURCE:
		madt_add_nmi(m, (struct acpi_madt_nmi){
			.uid = ACPI_MADT_NMI_ALL_CPUS, .lint = 0xff,
			.flags = (uint16_t)acpi_le(e + 2, 2), .gsi = (uint32_t)acpi_le(e + 4, 4),
		});
		return 0;
	case MADT_LOCAL_APIC_NMI:
		if (e[5] > 1)
			return acpi_bad(why, "MADT local APIC NMI on a LINT pin other than 0/1");
		madt_add_nmi(m, (struct acpi_madt_nmi){
			.uid = e[2], .lint = e[5], .flags = (uint16_t)acpi_le(e + 3, 2), .gsi = ~0u,
		});
		return 0;
	case MADT_X2APIC_NMI:
		if (e[8] > 1)
			return acpi_bad(why, "MADT x2APIC NMI on a LINT pin other than 0/1");
		madt_add_nmi(m, (struct acpi_madt_nmi){
			.uid = (uint32_t)acpi_le(e + 4, 4), .lint = e[8],
			.flags = (uint16_t)acpi_le(e + 2, 2), .gsi = ~0u,
		});
		return 0;
	case MADT_LAPIC_OVERRIDE:
		if (!acpi_le(e + 4, 8))
			return acpi_bad(why, "MADT local APIC address override of 0");
		m->lapic_addr = acpi_le(e + 4, 8); /* wins over the 32-bit field */
		return 0;
	default: /* the Itanium SAPIC types */
		m->ignored++;
		return 0;
	}
}

static int madt_entry_cb(void *ctx, unsigned type, const uint8_t *e, const char **why)
{
	return madt_entry(ctx, type, e, why);
}

static const struct acpi_entry_list madt_entries = {
	.first = MADT_HDR_LEN,
	.known = MADT_TYPE_KNOWN,
	.min_len = madt_min_len,
	.cut = "MADT entry header cut by the table end",
	.below_2 = "MADT entry length below 2",
	.past_end = "MADT entry runs past the table end",
	.too_short = "MADT entry too short for its type",
};

int acpi_walk_entries(const uint8_t *table, uint32_t len, const struct acpi_entry_list *list,
		      int (*entry)(void *ctx, unsigned type, const uint8_t *e, const char **why),
		      void *ctx, unsigned *ignored, const char **why)
{
	unsigned type, elen;
	const char *bad;
	int err;

	for (uint32_t off = list->first; off < len; off += elen) {
		if (len - off < 2) {
			bad = list->cut;
			goto fail;
		}
		type = table[off];
		elen = table[off + 1];
		bad = elen < 2 ? list->below_2 : elen > len - off ? list->past_end : NULL;
		if (!bad && type >= list->known) {
			(*ignored)++;
			continue;
		}
		if (!bad && elen < list->min_len[type])
			bad = list->too_short;
		if (bad)
			goto fail;
		err = entry(ctx, type, table + off, why);
		if (err)
			return err;
	}
	return 0;
fail:
	return acpi_bad(why, bad);
}

int acpi_parse_madt(const uint8_t *table, uint32_t len, struct acpi_madt *out, const char **why)
{
	int err;

	*out = (struct acpi_madt){ 0 };
	if (why)
		*why = NULL;
	if (len < MADT_HDR_LEN)
		return acpi_bad(why, "MADT shorter than its fixed fields");
	out->lapic_addr = acpi_le(table + MADT_OFF_LAPIC_ADDR, 4);
	out->flags = (uint32_t)acpi_le(table + MADT_OFF_FLAGS, 4);

	err = acpi_walk_entries(table, len, &madt_entries, madt_entry_cb, out, &out->ignored, why);
	if (err)
		return err;
	if (!out->lapic_addr)
		return acpi_bad(why, "MADT gives no local APIC address");
	return 0;
}

int acpi_get_madt(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_madt *out)
{
	const uint8_t *madt;
	uint32_t len;
	int err;

	r->error = NULL;
	err = acpi_find_table(r, rsdp_pa, "APIC", &madt, &len);
	if (err)
		return err;
	return acpi_parse_madt(madt, len, out, &r->error);
}

uint32_t acpi_madt_isa_gsi(const struct acpi_madt *m, unsigned isa_irq, uint16_t *flags)
{
	uint32_t gsi = isa_irq;
	uint16_t f = 0;

	for (unsigned i = 0; i < m->nr_overrides; i++) {
		if (m->overrides[i].isa_irq == isa_irq) {
			gsi = m->overrides[i].gsi;
			f = m->overrides[i].flags;
			break;
		}
	}
	if ((f & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_POLARITY_CONFORMS)
		f |= ACPI_INTI_POLARITY_HIGH;
	if ((f & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_TRIGGER_CONFORMS)
		f |= ACPI_INTI_TRIGGER_EDGE;
	if (flags)
		*flags = f;
	return gsi;
}
