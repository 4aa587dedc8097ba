/* SPDX-License-Identifier: MIT */
/*
 * Portable ACPI table parsing (lib/acpi.c, lib/acpi_srat.c, lib/acpi_tables.c): enough to power
 * off (ACPI S5), to find the interrupt controllers (MADT), the NUMA layout (SRAT), the serial
 * console (SPCR), the HPET and the OEM's name for the machine. Reads
 * firmware memory only through a caller-supplied map callback, validates every length
 * and checksum before use, and never includes arch headers, so host tests can feed it a
 * buffer of fake tables.
 */
#ifndef KEEL_LIB_ACPI_H
#define KEEL_LIB_ACPI_H

#include <kernel/compiler.h>
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
__must_check int acpi_find_table(struct acpi_reader *r, uint64_t rsdp_pa, const char sig[4],
		    const uint8_t **table, uint32_t *len);

/*
 * Find "Name (_S5, Package () { a, b, ... })" in the AML byte stream @aml of @len bytes and
 * return SLP_TYPa/SLP_TYPb. Returns 0, or -ENOENT when absent, -EINVAL when malformed.
 */
int acpi_parse_s5_aml(const uint8_t *aml, size_t len, uint8_t *typa, uint8_t *typb);

/* Everything needed for S5 from the tables behind @rsdp_pa: FADT, then the DSDT. */
int acpi_get_s5(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_s5 *out);

/* ---- MADT: the interrupt controllers (ACPI 6.5 section 5.2.12) ---------------------------- */

#define ACPI_MADT_MAX_CPUS      64 /* local APIC entries kept; more are counted in dropped */
#define ACPI_MADT_MAX_IOAPICS   8
#define ACPI_MADT_MAX_OVERRIDES 24
#define ACPI_MADT_MAX_NMIS      16

#define ACPI_MADT_PCAT_COMPAT   (1u << 0)  /* MADT flags: dual 8259s present (mask them) */
#define ACPI_MADT_CPU_ENABLED   (1u << 0)  /* local APIC flags */
#define ACPI_MADT_CPU_ONLINE_CAPABLE (1u << 1)

/* MPS INTI flags (ACPI 6.5 table 5.26): polarity in bits 0-1, trigger mode in bits 2-3. */
#define ACPI_INTI_POLARITY_MASK  0x3
#define ACPI_INTI_POLARITY_CONFORMS 0x0
#define ACPI_INTI_POLARITY_HIGH  0x1
#define ACPI_INTI_POLARITY_LOW   0x3
#define ACPI_INTI_TRIGGER_MASK   0xc
#define ACPI_INTI_TRIGGER_CONFORMS 0x0
#define ACPI_INTI_TRIGGER_EDGE   0x4
#define ACPI_INTI_TRIGGER_LEVEL  0xc

#define ACPI_MADT_NMI_ALL_CPUS   0xff      /* local APIC NMI: processor UID meaning "every CPU" */

/* A CPU: local APIC entry (type 0, 8-bit id and UID) or x2APIC entry (type 9, 32-bit). */
struct acpi_madt_cpu {
	uint32_t uid;      /* ACPI processor UID */
	uint32_t apic_id;
	uint32_t flags;    /* ACPI_MADT_CPU_* */
	bool x2apic;
};

struct acpi_madt_ioapic {
	uint8_t id;
	uint32_t addr;     /* physical MMIO base */
	uint32_t gsi_base; /* first GSI of its redirection table */
};

/* An ISA IRQ wired to a different GSI or with non-ISA polarity/trigger (type 2). */
struct acpi_madt_override {
	uint8_t isa_irq;
	uint32_t gsi;
	uint16_t flags;    /* ACPI_INTI_* */
};

/* An NMI input: either an IOAPIC pin (type 3: gsi valid, lint = 0xff) or a local APIC LINTn
 * pin (type 4, or x2APIC type 10: uid/lint valid, gsi = ~0u). */
#define ACPI_MADT_X2NMI_ALL_CPUS 0xffffffffu /* x2APIC NMI (type 10): UID meaning "every CPU" */
struct acpi_madt_nmi {
	uint32_t uid;      /* processor UID; ACPI_MADT_NMI_ALL_CPUS (type 4) or
			    * ACPI_MADT_X2NMI_ALL_CPUS (type 10) for all */
	uint8_t lint;      /* 0 or 1 (type 4) */
	uint16_t flags;    /* ACPI_INTI_* */
	uint32_t gsi;      /* type 3 */
};

struct acpi_madt {
	uint64_t lapic_addr;  /* 32-bit field, or the 64-bit override entry (type 5) when present */
	uint32_t flags;       /* ACPI_MADT_PCAT_COMPAT */
	unsigned nr_cpus;
	struct acpi_madt_cpu cpus[ACPI_MADT_MAX_CPUS];
	unsigned nr_ioapics;
	struct acpi_madt_ioapic ioapics[ACPI_MADT_MAX_IOAPICS];
	unsigned nr_overrides;
	struct acpi_madt_override overrides[ACPI_MADT_MAX_OVERRIDES];
	unsigned nr_nmis;
	struct acpi_madt_nmi nmis[ACPI_MADT_MAX_NMIS];
	unsigned dropped;     /* well-formed entries that did not fit an array above */
	unsigned ignored;     /* well-formed entries of types not parsed, or overrides of non-ISA buses */
};

/*
 * Parse the whole MADT @table of @len bytes (header included; the checksum is the caller's,
 * acpi_find_table() checks it). Every entry's length is checked against its type's minimum and
 * against the table end. Local APIC (0) and x2APIC (9) CPUs share cpus[]; local APIC NMIs (4)
 * and x2APIC NMIs (10) share nmis[]. Returns 0, or -EINVAL with *@why set when the table is
 * malformed: shorter than its fixed part, an entry shorter than 2 bytes, too short for its type
 * or running past the end, an override of an ISA IRQ above 15, an IOAPIC at address 0, or no
 * local APIC address at all.
 */
__must_check
int acpi_parse_madt(const uint8_t *table, uint32_t len, struct acpi_madt *out, const char **why);

/* Find the MADT ("APIC") through the RSDP at @rsdp_pa and parse it. */
__must_check int acpi_get_madt(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_madt *out);

/*
 * The GSI ISA IRQ @isa_irq arrives on, and its INTI flags with "conforms" resolved to the ISA
 * defaults (edge, active high): from an override entry, else identity-mapped.
 */
uint32_t acpi_madt_isa_gsi(const struct acpi_madt *m, unsigned isa_irq, uint16_t *flags);

/* ---- SPCR: the firmware's serial console (Microsoft SPCR specification, revision 2-4) ----- */

#define ACPI_SPCR_16550        0x00 /* interface types: full 16550 */
#define ACPI_SPCR_16450        0x01 /* 16450-compatible subset of 16550 */
#define ACPI_SPCR_PL011        0x03
#define ACPI_SPCR_16550_GAS    0x12 /* 16550-compatible, register width from the GAS */

#define ACPI_SPCR_IRQ_8259     (1u << 0) /* interrupt type bits */
#define ACPI_SPCR_IRQ_IOAPIC   (1u << 1)

#define ACPI_GAS_MEMORY        0
#define ACPI_GAS_IO            1

struct acpi_spcr {
	uint8_t interface;  /* ACPI_SPCR_* interface type */
	uint8_t space;      /* ACPI_GAS_MEMORY or ACPI_GAS_IO */
	uint8_t bit_width;  /* register width from the GAS (0: the interface's own) */
	uint64_t address;   /* never 0 on success */
	uint8_t irq_type;   /* ACPI_SPCR_IRQ_* (0: polled) */
	uint8_t irq;        /* the 8259 (ISA) IRQ, when irq_type has ACPI_SPCR_IRQ_8259 */
	uint32_t gsi;       /* the GSI, when irq_type has ACPI_SPCR_IRQ_IOAPIC */
	uint32_t baud;      /* 9600 ... 115200, 0 = "as the firmware left it" or unknown code */
};

/*
 * Parse the SPCR @table of @len bytes. Returns 0, or -EINVAL with *@why set when it is shorter
 * than revision 1's 80 bytes, its base address is 0, or its address space is neither system
 * memory nor system I/O (or an I/O address above 0xffff).
 */
int acpi_parse_spcr(const uint8_t *table, uint32_t len, struct acpi_spcr *out, const char **why);

/* Find the SPCR through the RSDP at @rsdp_pa and parse it (-ENOENT: none, a PC with COM1). */
int acpi_get_spcr(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_spcr *out);

/* ---- HPET (IA-PC HPET specification 1.0a, table 3) ----------------------------------------- */

struct acpi_hpet {
	uint32_t block_id;  /* event timer block id (vendor, counter count, ...) */
	uint64_t address;   /* MMIO base of the 1 KiB register block, never 0 on success */
	uint8_t number;     /* HPET sequence number */
	uint16_t min_tick;  /* main counter minimum clock tick in periodic mode */
};

/*
 * Parse the HPET @table of @len bytes. 0, or -EINVAL with *@why set when shorter than 56
 * bytes, not in system memory, or at address 0.
 */
int acpi_parse_hpet(const uint8_t *table, uint32_t len, struct acpi_hpet *out, const char **why);

/* Find the HPET table through the RSDP at @rsdp_pa and parse it (-ENOENT: none). */
int acpi_get_hpet(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_hpet *out);

/*
 * The OEM id and OEM table id of the table header @table (@len bytes), trailing spaces and
 * NULs dropped, non-printable bytes as '?', as "OEMID TABLEID" in @out (NUL-terminated, cut to
 * @size). 0, or -EINVAL when @len is shorter than a table header.
 */
int acpi_table_oem(const uint8_t *table, uint32_t len, char *out, size_t size);

/* ---- SRAT: which memory and CPUs belong to which NUMA node (ACPI 6.5 section 5.2.16) ------ */

#define ACPI_SRAT_MAX_MEM   32 /* memory affinity entries kept; more are counted in dropped */
#define ACPI_SRAT_MAX_CPUS  64 /* local APIC / x2APIC affinity entries kept */

#define ACPI_SRAT_MEM_ENABLED     (1u << 0)
#define ACPI_SRAT_MEM_HOTPLUG     (1u << 1)
#define ACPI_SRAT_MEM_NONVOLATILE (1u << 2)
#define ACPI_SRAT_CPU_ENABLED     (1u << 0)

/* A range of physical memory on one proximity domain (type 1). */
struct acpi_srat_mem {
	uint64_t base;
	uint64_t length;   /* never 0, base + length never wraps */
	uint32_t domain;   /* proximity domain, as the firmware numbers it (sparse, 32-bit) */
	uint32_t flags;    /* ACPI_SRAT_MEM_*; only enabled entries are kept */
};

/* A CPU on a proximity domain: local APIC (type 0, 8-bit id) or x2APIC (type 2). */
struct acpi_srat_cpu {
	uint32_t apic_id;
	uint32_t domain;
	bool x2apic;
};

struct acpi_srat {
	unsigned nr_mem;
	struct acpi_srat_mem mem[ACPI_SRAT_MAX_MEM]; /* sorted by base, never overlapping */
	unsigned nr_cpus;
	struct acpi_srat_cpu cpus[ACPI_SRAT_MAX_CPUS];
	unsigned dropped;  /* well-formed, enabled entries that did not fit an array above */
	unsigned disabled; /* entries without the enabled flag, and memory entries of length 0 */
	unsigned ignored;  /* entries of types not parsed (GICC, ITS, generic initiators, ...) */
};

/*
 * Parse the whole SRAT @table of @len bytes (header included; the checksum is the caller's,
 * acpi_find_table() checks it). Every entry's length is checked against its type's size and
 * against the table end. Returns 0, or -EINVAL with *@why set when the table is malformed:
 * shorter than its fixed part, an entry shorter than 2 bytes, too short for its type or running
 * past the end, a memory range that wraps around, or two enabled memory ranges that overlap.
 */
__must_check
int acpi_parse_srat(const uint8_t *table, uint32_t len, struct acpi_srat *out, const char **why);

/* Find the SRAT through the RSDP at @rsdp_pa and parse it (-ENOENT: no SRAT, not NUMA). */
__must_check int acpi_get_srat(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_srat *out);

/*
 * Dense node id (0, 1, ...) of proximity domain @domain: domains are numbered in the order of
 * their first memory range (by address), then of their first CPU. -1 when @domain appears
 * nowhere in @s or its dense id would be >= @max_nodes.
 */
int acpi_srat_node_of_domain(const struct acpi_srat *s, uint32_t domain, unsigned max_nodes);

/* Number of distinct proximity domains in @s (memory and CPUs). */
unsigned acpi_srat_domain_count(const struct acpi_srat *s);

#endif
