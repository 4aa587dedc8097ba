// SPDX-License-Identifier: MIT
/* The x86 IOAPIC (Intel 82093AA): the PC's interrupt controller, bound to "acpi,ioapic". */
#include <drivers/ioapic.h>
#include <drivers/irqchip.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/mmio.h>
#include <kernel/platform.h>
#include <lib/acpi.h>

/*
 * Every IOAPIC of the description (drivers/platform/platform_acpi.c) binds here; together they
 * are one irq_chip whose interrupt numbers are GSIs, registered when the first one binds.
 * Input GSI n raises the vector the port assigns to interrupt n (hal_lapic_irq_vector()), on
 * the boot CPU (physical destination = its APIC id); the local APIC's EOI ends it
 * (hal_lapic_eoi(); a level-triggered entry is cleared by that broadcast EOI).
 */

#define IOAPIC_MAX       8
#define IOAPIC_MMIO_SIZE 0x20
#define IOREGSEL         0x00
#define IOWIN            0x10
#define IOAPIC_REG_VER   0x01
#define IOAPIC_REG_RTE   0x10 /* entry n: 0x10 + 2n (low), 0x11 + 2n (high) */

#define RTE_ACTIVE_LOW   (1ULL << 13)
#define RTE_LEVEL        (1ULL << 15)
#define RTE_MASKED       (1ULL << 16)
#define RTE_DEST_SHIFT   56

#define MAX_GSIS 256     /* bound on the table below; the port's vectors bound it further */

struct ioapic {
	const struct plat_device *dev;
	volatile uint8_t *mmio;
	uint32_t gsi_base;
	unsigned nr_pins;
};

static struct ioapic ioapics[IOAPIC_MAX];
static unsigned nr_ioapics, nr_gsis;
static uint8_t gsi_enabled[MAX_GSIS];
static bool chip_registered;

static uint32_t ioapic_read(const struct ioapic *io, uint32_t reg)
{
	mmio_write32(io->mmio + IOREGSEL, reg);
	return mmio_read32(io->mmio + IOWIN);
}

static void ioapic_write(const struct ioapic *io, uint32_t reg, uint32_t v)
{
	mmio_write32(io->mmio + IOREGSEL, reg);
	mmio_write32(io->mmio + IOWIN, v);
}

static const struct ioapic *gsi_ioapic(unsigned gsi, unsigned *pin)
{
	for (unsigned i = 0; i < nr_ioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

static uint64_t rte_read(const struct ioapic *io, unsigned pin)
{
	uint32_t lo = ioapic_read(io, IOAPIC_REG_RTE + 2 * pin);
	uint32_t hi = ioapic_read(io, IOAPIC_REG_RTE + 2 * pin + 1);

	return ((uint64_t)hi << 32) | lo;
}

/* Write the high half first while masked, so the entry never fires half-written. */
static void rte_write(const struct ioapic *io, unsigned pin, uint64_t rte)
{
	ioapic_write(io, IOAPIC_REG_RTE + 2 * pin, (uint32_t)rte | (uint32_t)RTE_MASKED);
	ioapic_write(io, IOAPIC_REG_RTE + 2 * pin + 1, (uint32_t)(rte >> 32));
	if (!(rte & RTE_MASKED))
		ioapic_write(io, IOAPIC_REG_RTE + 2 * pin, (uint32_t)rte);
}

/* Polarity and trigger of @gsi: what the MADT says of the ISA IRQ routed to it (overrides,
 * else ISA's edge / active high), PCI's level / active low for the GSIs above the ISA ones. */
static uint64_t gsi_mode(unsigned gsi)
{
	const struct plat_acpi_intr *a = &kernel_platform.acpi_intr;
	uint16_t flags = gsi < PLAT_ISA_IRQS ? ACPI_INTI_POLARITY_HIGH | ACPI_INTI_TRIGGER_EDGE
					     : ACPI_INTI_POLARITY_LOW | ACPI_INTI_TRIGGER_LEVEL;
	uint64_t mode = 0;

	for (unsigned irq = 0; irq < PLAT_ISA_IRQS; irq++) {
		if (a->isa_gsi[irq] == gsi && a->isa_flags[irq]) {
			flags = a->isa_flags[irq];
			break;
		}
	}
	if ((flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_POLARITY_LOW)
		mode |= RTE_ACTIVE_LOW;
	if ((flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_TRIGGER_LEVEL)
		mode |= RTE_LEVEL;
	return mode;
}

/* ---- The irq_chip: numbers are GSIs ---- */

static void ioapic_set_mask(unsigned gsi, bool masked)
{
	const struct ioapic *io;
	unsigned pin;
	uint64_t rte;

	io = gsi_ioapic(gsi, &pin);
	if (!io || gsi >= nr_gsis)
		return;
	rte = rte_read(io, pin);
	rte = masked ? rte | RTE_MASKED : rte & ~RTE_MASKED;
	rte_write(io, pin, rte);
	gsi_enabled[gsi] = !masked;
}

static void ioapic_enable(unsigned gsi)
{
	ioapic_set_mask(gsi, false);
}

static void ioapic_disable(unsigned gsi)
{
	ioapic_set_mask(gsi, true);
}

/* The vector, and so the priority class, is fixed by the GSI. */
static int ioapic_set_priority(unsigned gsi, unsigned prio)
{
	(void)gsi;
	(void)prio;
	return -EINVAL;
}

static int ioapic_route(unsigned gsi, cpu_id_t cpu)
{
	const struct ioapic *io;
	unsigned pin;
	uint64_t rte;

	io = gsi_ioapic(gsi, &pin);
	if (!io || gsi >= nr_gsis || cpu > 0xff) /* physical destination: 8-bit APIC id */
		return -EINVAL;
	rte = rte_read(io, pin) & ~(0xffULL << RTE_DEST_SHIFT);
	rte_write(io, pin, rte | ((uint64_t)cpu << RTE_DEST_SHIFT));
	return 0;
}

static void ioapic_eoi(unsigned gsi)
{
	(void)gsi;
	hal_lapic_eoi();
}

static struct irq_chip ioapic_chip = {
	.name = "ioapic",
	.enable = ioapic_enable,
	.disable = ioapic_disable,
	.set_priority = ioapic_set_priority,
	.route = ioapic_route,
	.ack = NULL, /* the vector names the GSI: the port's trap code calls irq_handle() */
	.eoi = ioapic_eoi,
};

/* ---- Binding ---- */

/* Every pin masked, fixed delivery to the boot CPU at the port's vector for its GSI. */
static void ioapic_reset(struct ioapic *io)
{
	uint64_t dest = (uint64_t)hal_cpu_id() << RTE_DEST_SHIFT;

	for (unsigned pin = 0; pin < io->nr_pins; pin++) {
		unsigned gsi = io->gsi_base + pin;
		int vector = gsi < MAX_GSIS ? hal_lapic_irq_vector(gsi) : -ERANGE;
		uint64_t rte = RTE_MASKED;

		if (vector >= 0) {
			rte |= (uint64_t)vector | gsi_mode(gsi) | dest;
			nr_gsis = MAX(nr_gsis, gsi + 1);
		}
		rte_write(io, pin, rte);
	}
}

static int ioapic_probe(struct plat_device *dev)
{
	struct ioapic *io = &ioapics[nr_ioapics];

	if (hal_lapic_irq_vector(0) < 0)
		return -ENODEV; /* no local APIC on this port: nothing to deliver to */
	if (!dev->reg_count)
		return -EINVAL;
	if (nr_ioapics == IOAPIC_MAX)
		return -ENOSPC;
	io->mmio = hal_map_io(dev->reg[0].base, IOAPIC_MMIO_SIZE);
	if (!io->mmio)
		return -EFAULT;
	io->dev = dev;
	io->gsi_base = dev->acpi_gsi_base;
	io->nr_pins = ((ioapic_read(io, IOAPIC_REG_VER) >> 16) & 0xff) + 1;
	ioapic_reset(io);
	nr_ioapics++;
	ioapic_chip.nr_irqs = nr_gsis;
	dev->driver_data = io;
	kprintf("  irqchip: IOAPIC id %u at %#llx, GSIs %u-%u\n", (unsigned)dev->acpi_id,
		(unsigned long long)dev->reg[0].base, (unsigned)io->gsi_base,
		(unsigned)(io->gsi_base + io->nr_pins - 1));
	if (!chip_registered)
		irq_register_chip(&ioapic_chip);
	chip_registered = true;
	return 0;
}

/* The root interrupt controller cannot be unbound or suspended: no remove or suspend. */
const struct driver_ops ioapic_driver_ops = { .probe = ioapic_probe };

static bool bound_here(const struct plat_device *chip)
{
	for (unsigned i = 0; i < nr_ioapics; i++)
		if (ioapics[i].dev == chip)
			return true;
	return false;
}

/* Two cells (platform_acpi.c): the GSI and its ACPI INTI flags (polarity, trigger). */
static int ioapic_xlate(const struct plat_device *chip, const struct plat_irq *irq,
			unsigned *number, enum irq_trigger *trigger)
{
	const struct ioapic *io;
	unsigned pin;
	uint32_t flags;

	if (!bound_here(chip))
		return -ENODEV;
	if (irq->cell_count < 1)
		return -EINVAL;
	io = gsi_ioapic(irq->cells[0], &pin);
	if (!io || irq->cells[0] >= nr_gsis)
		return -EINVAL;
	flags = irq->cell_count >= 2 ? irq->cells[1] : 0;
	*number = irq->cells[0];
	switch (flags & ACPI_INTI_TRIGGER_MASK) {
	case ACPI_INTI_TRIGGER_LEVEL: *trigger = IRQ_TRIGGER_LEVEL; break;
	case ACPI_INTI_TRIGGER_EDGE: *trigger = IRQ_TRIGGER_EDGE; break;
	default: *trigger = IRQ_TRIGGER_KEEP; break;
	}
	return 0;
}

static int ioapic_set_trigger(const struct plat_device *chip, unsigned gsi,
			      enum irq_trigger trigger)
{
	const struct ioapic *io;
	unsigned pin;
	uint64_t rte;

	(void)chip;
	io = gsi_ioapic(gsi, &pin);
	if (!io || gsi >= nr_gsis)
		return -EINVAL;
	if (trigger == IRQ_TRIGGER_KEEP)
		return 0;
	rte = rte_read(io, pin) & ~RTE_LEVEL;
	rte_write(io, pin, rte | (trigger == IRQ_TRIGGER_LEVEL ? RTE_LEVEL : 0));
	return 0;
}

const struct irqchip_ops ioapic_irqchip_ops = {
	.xlate = ioapic_xlate,
	.set_trigger = ioapic_set_trigger,
};

/* ---- For tests ---- */

unsigned ioapic_nr_gsis(void)
{
	return nr_gsis;
}

uint64_t ioapic_read_rte(unsigned gsi)
{
	const struct ioapic *io;
	irqflags_t flags;
	unsigned pin = 0;
	uint64_t rte;

	io = gsi_ioapic(gsi, &pin);
	if (!io)
		return 0;
	flags = hal_irq_save();
	rte = rte_read(io, pin);
	hal_irq_restore(flags);
	return rte;
}

bool ioapic_gsi_enabled(unsigned gsi)
{
	return gsi < nr_gsis && gsi_enabled[gsi];
}
