// SPDX-License-Identifier: MIT
/* x86-64: the platform description from ACPI (MADT, SRAT, SPCR, HPET, FADT) + the memory map. */
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/platform.h>
#include <kernel/pmm.h>
#include <lib/acpi.h>
#include <lib/string.h>

/*
 * Every table goes through lib/acpi*.c, which checks lengths and checksums before a byte is
 * used. A missing or malformed table is noted (p->rejected, p->note[]) and what it would
 * have described is left out; nothing is printed here (platform_print() reports).
 *
 * Device ids (bus PLAT_BUS_ACPI): "acpi,ioapic" for a MADT IOAPIC entry (no _HID exists for
 * it), "PNP0501" for a 16550 UART (SPCR's, or the legacy COM1), "PNP0103" for the HPET.
 */

#define BIOS_AREA_BASE   0xE0000 /* where the RSDP is searched for without a loader's pointer */
#define BIOS_AREA_SIZE   0x20000
#define IOAPIC_REG_SIZE  0x1000  /* its page (the registers are 0x20 bytes of it) */
#define LAPIC_REG_SIZE   0x1000
#define HPET_REG_SIZE    0x400
#define UART_PORTS       8
#define COM1_PORT        0x3F8
#define COM1_ISA_IRQ     4
#define ACPI_INTR_CELLS  2       /* plat_irq cells: GSI, ACPI INTI flags */

static const char compat_ioapic[] = "acpi,ioapic";
static const char compat_uart[] = "PNP0501";
static const char compat_hpet[] = "PNP0103";

/* Table contents kept static: too big for the boot stack, built once on the boot CPU. */
static struct acpi_madt madt;
static struct acpi_srat srat;

static void note(struct platform *p, const char *where, const char *why)
{
	if (p->rejected < PLAT_MAX_NOTES) {
		p->note[p->rejected].where = where;
		p->note[p->rejected].why = why ? why : "malformed";
	}
	p->rejected++;
}

/* ---- Memory: the boot memory map, RAM split by SRAT node ---------------------------------- */

/* E820 "reserved" covers firmware RAM and MMIO alike: never mapped write-back, so no-map. */
static enum plat_mem_kind mem_kind(uint32_t type)
{
	switch (type) {
	case MEM_USABLE: return PLAT_MEM_RAM;
	case MEM_ACPI_RECLAIM:
	case MEM_ACPI_NVS: return PLAT_MEM_ACPI;
	default: return PLAT_MEM_NOMAP;
	}
}

/* Insert [@base, @base + @size) into p->mem, sorted; false when it overlaps a range there. */
static bool mem_insert(struct platform *p, paddr_t base, uint64_t size, enum plat_mem_kind kind,
		       uint32_t node)
{
	unsigned i = 0;

	while (i < p->mem_count && p->mem[i].base + p->mem[i].size <= base)
		i++;
	if (i < p->mem_count && p->mem[i].base < base + size)
		return false;
	if (p->mem_count == PLAT_MAX_MEM) {
		p->mem_dropped++;
		return true;
	}
	memmove(&p->mem[i + 1], &p->mem[i], (p->mem_count - i) * sizeof(p->mem[0]));
	p->mem[i] = (struct plat_mem){ .base = base, .size = size, .kind = kind, .node = node };
	p->mem_count++;
	return true;
}

/* The end (exclusive, > @pa) of the piece of [@pa, @end) on one node: the SRAT range (bi->numa,
 * from boot/pvh.c) holding @pa and its node, else up to where the next range begins, node 0. */
static paddr_t numa_piece(const struct boot_info *bi, paddr_t pa, paddr_t end, uint32_t *node)
{
	uint32_t n = MIN(bi->numa_count, (uint32_t)BOOT_MAX_NUMA_RANGES);
	paddr_t stop = end;

	*node = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct boot_numa_range *a = &bi->numa[i];

		if (pa >= a->base && pa - a->base < a->size) {
			*node = a->node;
			return MIN(end, a->base + a->size);
		}
		if (a->base > pa && a->base < stop)
			stop = a->base;
	}
	return stop;
}

static void add_region(struct platform *p, const struct boot_info *bi, const struct mem_region *r)
{
	enum plat_mem_kind kind = mem_kind(r->type);
	paddr_t pos = r->base, end, stop;
	uint32_t node = 0;

	if (!r->size || r->size > UINT64_MAX - r->base) {
		note(p, "memory map", "range empty or wrapping");
		return;
	}
	end = r->base + r->size;
	while (pos < end) {
		stop = kind == PLAT_MEM_RAM ? numa_piece(bi, pos, end, &node) : end;
		if (!mem_insert(p, pos, stop - pos, kind, node)) {
			note(p, "memory map", "range overlaps another");
			return;
		}
		pos = stop;
	}
}

static void add_memory(struct platform *p, const struct boot_info *bi)
{
	for (uint32_t i = 0; i < bi->mem_count && i < BOOT_MAX_MEM_REGIONS; i++)
		add_region(p, bi, &bi->mem[i]);
	p->mem_dropped += bi->mem_dropped;
}

/* A device's register window, when it lies in no range of the memory map (else that says). */
static void add_device_window(struct platform *p, paddr_t base, uint64_t size)
{
	for (unsigned i = 0; i < p->mem_count; i++)
		if (base < p->mem[i].base + p->mem[i].size && p->mem[i].base < base + size)
			return;
	(void)mem_insert(p, base, size, PLAT_MEM_DEVICE, 0);
}

/* ---- Devices ------------------------------------------------------------------------------ */

static struct plat_device *new_device(struct platform *p, const char *name, const char *compat,
				      uint32_t compat_len)
{
	struct plat_device *d;

	if (p->dev_count == PLAT_MAX_DEVICES) {
		p->devs_dropped++;
		return NULL;
	}
	d = &p->dev[p->dev_count++];
	*d = (struct plat_device){ .name = name, .compatible = compat,
				   .compatible_len = compat_len, .bus = PLAT_BUS_ACPI,
				   .parent = PLAT_NONE, .fdt_node = PLAT_NONE, .available = true };
	return d;
}

static void add_reg(struct plat_device *d, paddr_t base, uint64_t size)
{
	d->reg[0] = (struct plat_reg){ base, size };
	d->reg_count = 1;
}

/* The IOAPIC device whose inputs include @gsi (the largest GSI base not above it). */
static int ioapic_for_gsi(const struct platform *p, uint32_t gsi)
{
	int best = PLAT_NONE;

	for (unsigned i = 0; i < p->dev_count; i++) {
		const struct plat_device *d = &p->dev[i];

		if (!plat_device_is_compatible(d, compat_ioapic) || d->acpi_gsi_base > gsi)
			continue;
		if (best == PLAT_NONE || d->acpi_gsi_base > p->dev[best].acpi_gsi_base)
			best = (int)i;
	}
	return best;
}

/* Interrupt GSI @gsi with INTI @flags on @d, routed to its IOAPIC (none: polled). */
static void add_gsi_irq(struct platform *p, struct plat_device *d, uint32_t gsi, uint16_t flags)
{
	int parent = ioapic_for_gsi(p, gsi);

	if (parent == PLAT_NONE)
		return;
	d->irq[0] = (struct plat_irq){ .parent = parent, .cell_count = ACPI_INTR_CELLS,
				       .cells = { gsi, flags } };
	d->irq_count = 1;
}

static void add_ioapics(struct platform *p)
{
	for (unsigned i = 0; i < madt.nr_ioapics; i++) {
		const struct acpi_madt_ioapic *io = &madt.ioapics[i];
		struct plat_device *d = new_device(p, "IOAPIC", compat_ioapic, sizeof(compat_ioapic));

		if (!d)
			return;
		d->is_intc = true;
		d->interrupt_cells = ACPI_INTR_CELLS;
		d->acpi_gsi_base = io->gsi_base;
		d->acpi_id = io->id;
		add_reg(d, io->addr, IOAPIC_REG_SIZE);
		add_device_window(p, io->addr, IOAPIC_REG_SIZE);
	}
	p->root_intc = ioapic_for_gsi(p, 0);
	if (p->root_intc == PLAT_NONE && madt.nr_ioapics)
		p->root_intc = (int)(p->dev_count - madt.nr_ioapics); /* the first one */
}

/* ISA IRQ -> GSI and flags for all 16 ISA lines (identity and ISA defaults without a MADT). */
static void add_isa_irqs(struct platform *p)
{
	struct plat_acpi_intr *a = &p->acpi_intr;

	for (unsigned irq = 0; irq < PLAT_ISA_IRQS; irq++)
		a->isa_gsi[irq] = acpi_madt_isa_gsi(&madt, irq, &a->isa_flags[irq]);
}

/* The LAPIC address, the PC/AT flag, the NMI pins. */
static void add_intr_facts(struct platform *p)
{
	struct plat_acpi_intr *a = &p->acpi_intr;

	a->lapic_addr = madt.lapic_addr;
	a->pcat_compat = madt.flags & ACPI_MADT_PCAT_COMPAT;
	for (unsigned i = 0; i < madt.nr_nmis; i++) {
		const struct acpi_madt_nmi *n = &madt.nmis[i];

		if (a->nmi_count == PLAT_MAX_NMIS) {
			a->nmis_dropped++;
			continue;
		}
		a->nmi[a->nmi_count++] = (struct plat_acpi_nmi){ n->uid, n->lint, n->flags, n->gsi };
	}
	add_device_window(p, madt.lapic_addr, LAPIC_REG_SIZE);
}

/* A 16550 on I/O port @port or at MMIO @base: a PNP0501 device, the console. */
static struct plat_device *add_uart(struct platform *p, const char *name, bool io, uint64_t base)
{
	struct plat_device *d = new_device(p, name, compat_uart, sizeof(compat_uart));

	if (!d)
		return NULL;
	d->reg_io = io;
	add_reg(d, base, io ? UART_PORTS : 0x1000);
	if (!io)
		add_device_window(p, base, 0x1000);
	p->console.device = (int)(d - p->dev);
	p->console.io_port = io ? (uint16_t)base : 0;
	return d;
}

static bool spcr_is_16550(uint8_t interface)
{
	return interface == ACPI_SPCR_16550 || interface == ACPI_SPCR_16450 ||
	       interface == ACPI_SPCR_16550_GAS;
}

/* The console: SPCR's UART when it names a 16550, else COM1 (every PC-compatible has it). */
static void add_console(struct platform *p, struct acpi_reader *r, uint64_t rsdp)
{
	struct acpi_spcr spcr;
	struct plat_device *d;
	uint16_t flags;
	int err = acpi_get_spcr(r, rsdp, &spcr);

	if (err && err != -ENOENT)
		note(p, "SPCR", r->error);
	if (!err && !spcr_is_16550(spcr.interface)) {
		note(p, "SPCR", "console UART is not a 16550");
		err = -ENODEV;
	}
	if (err) {
		d = add_uart(p, "COM1", true, COM1_PORT);
		if (d)
			add_gsi_irq(p, d, acpi_madt_isa_gsi(&madt, COM1_ISA_IRQ, &flags), flags);
		return;
	}
	d = add_uart(p, "SPCR UART", spcr.space == ACPI_GAS_IO, spcr.address);
	if (!d)
		return;
	p->console.baud = spcr.baud;
	d->acpi_id = spcr.interface;
	if (spcr.irq_type & ACPI_SPCR_IRQ_IOAPIC)
		add_gsi_irq(p, d, spcr.gsi, ACPI_INTI_POLARITY_HIGH | ACPI_INTI_TRIGGER_EDGE);
	else if ((spcr.irq_type & ACPI_SPCR_IRQ_8259) && spcr.irq < PLAT_ISA_IRQS)
		add_gsi_irq(p, d, acpi_madt_isa_gsi(&madt, spcr.irq, &flags), flags);
}

static void add_hpet(struct platform *p, struct acpi_reader *r, uint64_t rsdp)
{
	struct acpi_hpet hpet;
	struct plat_device *d;
	int err = acpi_get_hpet(r, rsdp, &hpet);

	if (err) {
		if (err != -ENOENT)
			note(p, "HPET", r->error);
		return;
	}
	d = new_device(p, "HPET", compat_hpet, sizeof(compat_hpet));
	if (!d)
		return;
	d->acpi_id = hpet.block_id;
	add_reg(d, hpet.address, HPET_REG_SIZE);
	add_device_window(p, hpet.address, HPET_REG_SIZE);
}

/* ---- CPUs ----------------------------------------------------------------------------------- */

/* Dense NUMA node of the CPU with APIC id @apic_id from the SRAT, as boot/pvh.c numbers them. */
static uint32_t cpu_node(bool have_srat, uint32_t apic_id)
{
	for (unsigned i = 0; have_srat && i < srat.nr_cpus; i++) {
		if (srat.cpus[i].apic_id == apic_id) {
			int node = acpi_srat_node_of_domain(&srat, srat.cpus[i].domain, PMM_MAX_NODES);

			return node < 0 ? 0 : (uint32_t)node;
		}
	}
	return 0;
}

static struct plat_cpu *new_cpu(struct platform *p, uint32_t apic_id, bool have_srat)
{
	struct plat_cpu *c;

	if (p->cpu_count == PLAT_MAX_CPUS) {
		p->cpus_dropped++;
		return NULL;
	}
	c = &p->cpu[p->cpu_count++];
	*c = (struct plat_cpu){ .hwid = apic_id, .enable = PLAT_CPU_ENABLE_APIC_SIPI,
				.method_name = "INIT-SIPI-SIPI", .intc = PLAT_NONE,
				.fdt_node = PLAT_NONE, .node = cpu_node(have_srat, apic_id) };
	return c;
}

/* MADT CPUs (local APIC and x2APIC entries); the boot CPU is added if the MADT lacks it. */
static void add_cpus(struct platform *p, const struct boot_info *bi, bool have_srat)
{
	struct plat_cpu *c;

	for (unsigned i = 0; i < madt.nr_cpus; i++) {
		const struct acpi_madt_cpu *m = &madt.cpus[i];

		c = new_cpu(p, m->apic_id, have_srat);
		if (!c)
			continue;
		c->acpi_uid = m->uid;
		c->available = m->flags & (ACPI_MADT_CPU_ENABLED | ACPI_MADT_CPU_ONLINE_CAPABLE);
		c->is_boot = m->apic_id == bi->boot_cpu;
	}
	if (madt.dropped)
		note(p, "MADT", "entries beyond Keel's tables left out");
	if (platform_boot_cpu(p))
		return;
	c = new_cpu(p, (uint32_t)bi->boot_cpu, have_srat);
	if (c) {
		c->available = true;
		c->is_boot = true;
		c->node = bi->boot_cpu_node;
	}
}

/* ---- The whole description ------------------------------------------------------------------ */

static void init_empty(struct platform *p, const struct boot_info *bi, uint64_t rsdp)
{
	memset(p, 0, sizeof(*p));
	p->source = "ACPI";
	p->root_intc = PLAT_NONE;
	p->console.device = PLAT_NONE;
	p->timer = (struct plat_timer){ .kind = "x86 TSC + local APIC", .device = PLAT_NONE };
	p->acpi_rsdp = rsdp;
	strlcpy(p->model, bi->model, sizeof(p->model));
}

/* "OEMID TABLEID" of the FADT, else the loader's board name. */
static void set_model(struct platform *p, struct acpi_reader *r, uint64_t rsdp)
{
	const uint8_t *fadt;
	uint32_t len;
	char oem[sizeof(p->model)];

	if (!acpi_find_table(r, rsdp, "FACP", &fadt, &len) &&
	    !acpi_table_oem(fadt, len, oem, sizeof(oem)) && oem[0])
		strlcpy(p->model, oem, sizeof(p->model));
}

int platform_from_acpi_tables(struct platform *p, struct acpi_reader *r, uint64_t rsdp,
			      const struct boot_info *bi)
{
	bool have_srat;
	int err;

	init_empty(p, bi, rsdp);
	add_memory(p, bi);
	if (!rsdp)
		return -ENOENT;
	set_model(p, r, rsdp);
	err = acpi_get_srat(r, rsdp, &srat);
	if (err && err != -ENOENT)
		note(p, "SRAT", r->error);
	have_srat = !err;
	err = acpi_get_madt(r, rsdp, &madt);
	if (err) {
		note(p, "MADT", err == -ENOENT ? "no MADT: no IOAPIC, boot CPU only" : r->error);
		madt = (struct acpi_madt){ 0 }; /* ISA IRQs identity-mapped, no IOAPIC */
	}
	add_isa_irqs(p);
	add_cpus(p, bi, have_srat);
	add_ioapics(p);
	if (!err)
		add_intr_facts(p);
	add_console(p, r, rsdp);
	add_hpet(p, r, rsdp);
	return 0;
}

static const void *map_firmware(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	return hal_map_io(pa, len);
}

int platform_from_acpi(struct platform *p, const struct boot_info *bi)
{
	struct acpi_reader r = { .map = map_firmware };
	uint64_t rsdp = bi->acpi_rsdp;
	const void *bios;

	if (!rsdp) {
		bios = hal_map_io(BIOS_AREA_BASE, BIOS_AREA_SIZE);
		rsdp = bios ? acpi_scan_rsdp(bios, BIOS_AREA_SIZE, BIOS_AREA_BASE) : 0;
	}
	return platform_from_acpi_tables(p, &r, rsdp, bi);
}
