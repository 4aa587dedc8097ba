// SPDX-License-Identifier: MIT
/* Arm GICv2 (GIC-400 on the Pi 4) and GICv3 interrupt controllers, bound by the device model.
 * The GICv3 CPU interface is system registers, which the port reaches (hal_gicv3_cpuif_*). */
#include <drivers/gic.h>
#include <drivers/irqchip.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/mmio.h>
#include <kernel/platform.h>
#include <lib/fdt.h>
#include <lib/string.h>

/* Distributor registers common to v2 and v3 (IHI 0048B, IHI 0069). */
#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_IGROUPR    0x080
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ISPENDR    0x200
#define GICD_ICPENDR    0x280
#define GICD_ICACTIVER  0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800 /* v2 only */
#define GICD_ICFGR      0xc00
#define GICD_IROUTER    0x6000 /* v3 only: 64 bits per SPI */
#define GICD_CTLR_RWP   (1u << 31)
/* v3 GICD_CTLR: Group 1 (non-secure view: EnableGrp1; single security state: EnableGrp1 is
 * bit 1 and bit 0 is Group 0) plus affinity routing. Linux-compatible: set all three. */
#define GICD_CTLR_V3_ENABLE ((1u << 4) | (1u << 1) | (1u << 0))

/* GICv2 CPU interface. */
#define GICC_CTLR 0x00
#define GICC_PMR  0x04
#define GICC_BPR  0x08
#define GICC_IAR  0x0c
#define GICC_EOIR 0x10

/* GICv3 redistributor: RD_base frame, then the SGI_base frame 64 KiB above it. */
#define GICR_CTLR      0x0000
#define GICR_TYPER     0x0008 /* 64 bits */
#define GICR_WAKER     0x0014
#define GICR_SGI       0x10000
#define GICR_FRAME     0x10000
#define GICR_CTLR_RWP  (1u << 3)
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST  (1u << 4)
#define GICR_WAKER_SLEEP    (1u << 1)
#define GICR_WAKER_ASLEEP   (1u << 2)

#define GIC_PRIO_DEFAULT 0xa0 /* portable priority 10 */
#define GIC_PRIO_MAX     14   /* portable 0..14 -> 0x00..0xe0, all above the PMR mask */
#define GIC_PMR          0xf0
#define GIC_MAX_INTID    1020
#define GIC_POLL_LIMIT   1000000

static struct {
	unsigned version;
	const struct plat_device *dev; /* the device bound, NULL before */
	const char *compatible;
	uintptr_t dist, cpu, rdist; /* cpu: v2 CPU interface; rdist: v3 this CPU's RD_base */
	unsigned nr_irqs;
	uint8_t cpu_mask;           /* v2: this CPU's ITARGETSR bit */
	uint32_t last_iar;          /* v2: IAR incl. the SGI source, for the matching EOIR */
} gic;

unsigned gic_version(void)
{
	return gic.version;
}

const struct plat_device *gic_device(void)
{
	return gic.dev;
}

const char *gic_compatible(void)
{
	return gic.compatible;
}

static volatile void *dreg(uintptr_t off)
{
	return (volatile void *)(gic.dist + off);
}

static volatile void *creg(uintptr_t off)
{
	return (volatile void *)(gic.cpu + off);
}

static volatile void *rreg(uintptr_t off)
{
	return (volatile void *)(gic.rdist + off);
}

/* Wait for a register write to take effect (RWP clear); a bounded wait, then go on. */
static void wait_rwp(volatile void *ctlr, uint32_t bit)
{
	for (int i = 0; i < GIC_POLL_LIMIT && (mmio_read32(ctlr) & bit); i++)
		;
}

/* Registers holding one bit per interrupt: which word and which bit. SGIs/PPIs on v3 live in
 * the redistributor's SGI frame at the same offsets. */
static volatile void *bit_reg(uintptr_t base_off, unsigned irq)
{
	uintptr_t off = base_off + (irq / 32) * 4;

	if (gic.version == 3 && irq < GIC_SPI_BASE)
		return rreg(GICR_SGI + off);
	return dreg(off);
}

static void gic_wait(unsigned irq)
{
	if (gic.version != 3)
		return;
	if (irq < GIC_SPI_BASE)
		wait_rwp(rreg(GICR_CTLR), GICR_CTLR_RWP);
	else
		wait_rwp(dreg(GICD_CTLR), GICD_CTLR_RWP);
}

static void gic_enable(unsigned irq)
{
	mmio_write32(bit_reg(GICD_ISENABLER, irq), 1u << (irq % 32));
}

static void gic_disable(unsigned irq)
{
	mmio_write32(bit_reg(GICD_ICENABLER, irq), 1u << (irq % 32));
	gic_wait(irq);
}

static volatile void *prio_reg(unsigned irq)
{
	if (gic.version == 3 && irq < GIC_SPI_BASE)
		return rreg(GICR_SGI + GICD_IPRIORITYR + irq);
	return dreg(GICD_IPRIORITYR + irq);
}

static int gic_set_priority(unsigned irq, unsigned prio)
{
	if (irq >= gic.nr_irqs || prio > GIC_PRIO_MAX)
		return -EINVAL;
	mmio_write8(prio_reg(irq), (uint8_t)(prio << 4));
	return 0;
}

void gic_set_trigger(unsigned intid, bool edge)
{
	volatile void *r;
	uintptr_t off = GICD_ICFGR + (intid / 16) * 4;
	unsigned shift = (intid % 16) * 2 + 1; /* Int_config[1]: 1 = edge */
	uint32_t v;

	if (!gic.version || intid < GIC_PPI_BASE || intid >= gic.nr_irqs)
		return;
	r = gic.version == 3 && intid < GIC_SPI_BASE ? rreg(GICR_SGI + off) : dreg(off);
	v = mmio_read32(r);
	v = edge ? v | (1u << shift) : v & ~(1u << shift);
	mmio_write32(r, v);
}

/* ---- GICv2 ---- */

static int v2_route(unsigned irq, cpu_id_t cpu)
{
	if (irq < GIC_SPI_BASE || irq >= gic.nr_irqs)
		return -EINVAL;
	/* Only this CPU's interface number is known (its own ITARGETSR0 byte); the SMP issue
	 * learns the others' as they come up. */
	if (cpu != hal_cpu_id())
		return -ENOSYS;
	mmio_write8(dreg(GICD_ITARGETSR + irq), gic.cpu_mask);
	return 0;
}

static unsigned v2_ack(void)
{
	uint32_t iar = mmio_read32(creg(GICC_IAR));
	unsigned intid = iar & 0x3ff;

	if (intid >= GIC_INTID_SPECIAL)
		return IRQ_NONE;
	gic.last_iar = iar;
	return intid;
}

static void v2_eoi(unsigned irq)
{
	/* An SGI's EOIR must carry the source CPU the IAR reported. */
	mmio_write32(creg(GICC_EOIR), (gic.last_iar & 0x3ff) == irq ? gic.last_iar : irq);
}

static const struct irq_chip gicv2_chip = {
	.name = "gicv2",
	.enable = gic_enable,
	.disable = gic_disable,
	.set_priority = gic_set_priority,
	.route = v2_route,
	.ack = v2_ack,
	.eoi = v2_eoi,
};

/* This CPU's bit in ITARGETSR: the banked ITARGETSR0..7 read back as it; a uniprocessor GIC
 * reads them as zero and ignores targets, so any bit will do. */
static uint8_t v2_this_cpu_mask(void)
{
	for (unsigned i = 0; i < 32; i += 4) {
		uint32_t v = mmio_read32(dreg(GICD_ITARGETSR + i));

		if (v)
			return (uint8_t)(v | v >> 8 | v >> 16 | v >> 24);
	}
	return 1;
}

static void dist_mask_all(void)
{
	for (unsigned i = GIC_SPI_BASE; i < gic.nr_irqs; i += 32) {
		mmio_write32(dreg(GICD_ICENABLER + i / 8), 0xffffffffu);
		mmio_write32(dreg(GICD_ICPENDR + i / 8), 0xffffffffu);
		mmio_write32(dreg(GICD_ICACTIVER + i / 8), 0xffffffffu);
	}
	for (unsigned i = GIC_SPI_BASE; i < gic.nr_irqs; i += 16)
		mmio_write32(dreg(GICD_ICFGR + i / 4), 0); /* level; drivers set edge from the DTB */
	for (unsigned i = GIC_SPI_BASE; i < gic.nr_irqs; i += 4)
		mmio_write32(dreg(GICD_IPRIORITYR + i), GIC_PRIO_DEFAULT * 0x01010101u);
}

static void gicv2_init(void)
{
	mmio_write32(dreg(GICD_CTLR), 0);
	gic.cpu_mask = v2_this_cpu_mask();
	dist_mask_all();
	for (unsigned i = GIC_SPI_BASE; i < gic.nr_irqs; i += 4)
		mmio_write32(dreg(GICD_ITARGETSR + i), gic.cpu_mask * 0x01010101u);
	/* This CPU's banked SGIs and PPIs. */
	mmio_write32(dreg(GICD_ICENABLER), 0xffffffffu);
	mmio_write32(dreg(GICD_ICPENDR), 0xffffffffu);
	mmio_write32(dreg(GICD_ICACTIVER), 0xffffffffu);
	for (unsigned i = 0; i < GIC_SPI_BASE; i += 4)
		mmio_write32(dreg(GICD_IPRIORITYR + i), GIC_PRIO_DEFAULT * 0x01010101u);
	/* Bit 0 enables Group 0 without security extensions and Group 1 in the non-secure view
	 * (where firmware has put every interrupt): either way, what we use. */
	mmio_write32(dreg(GICD_CTLR), 1);
	mmio_write32(creg(GICC_PMR), GIC_PMR);
	mmio_write32(creg(GICC_BPR), 0);
	mmio_write32(creg(GICC_CTLR), 1);
}

/* ---- GICv3 ---- */

static int v3_route(unsigned irq, cpu_id_t cpu)
{
	uint64_t aff = (cpu & 0xffffffu) | ((uint64_t)(cpu >> 24) << 32);

	if (irq < GIC_SPI_BASE || irq >= gic.nr_irqs)
		return -EINVAL;
	mmio_write32(dreg(GICD_IROUTER + irq * 8), (uint32_t)aff);
	mmio_write32(dreg(GICD_IROUTER + irq * 8 + 4), (uint32_t)(aff >> 32));
	return 0;
}

static unsigned v3_ack(void)
{
	uint32_t intid = hal_gicv3_cpuif_ack() & 0xffffff;

	return intid >= GIC_INTID_SPECIAL ? IRQ_NONE : intid;
}

static void v3_eoi(unsigned irq)
{
	hal_gicv3_cpuif_eoi(irq);
}

static const struct irq_chip gicv3_chip = {
	.name = "gicv3",
	.enable = gic_enable,
	.disable = gic_disable,
	.set_priority = gic_set_priority,
	.route = v3_route,
	.ack = v3_ack,
	.eoi = v3_eoi,
};

static uint64_t read64(volatile void *r)
{
	return mmio_read32(r) | (uint64_t)mmio_read32((volatile uint8_t *)r + 4) << 32;
}

/* The boot CPU's frame in one redistributor region mapped at @base, or 0. */
static uintptr_t v3_find_rdist_in(uintptr_t base, uint64_t size, uint32_t stride)
{
	cpu_id_t me = hal_cpu_id();

	for (uint64_t off = 0; base && off + 2 * GICR_FRAME <= size;) {
		uint64_t typer = read64((volatile void *)(base + off + GICR_TYPER));

		if ((cpu_id_t)(typer >> 32) == me)
			return base + off;
		if (typer & GICR_TYPER_LAST)
			break;
		off += stride ? stride : (typer & GICR_TYPER_VLPIS ? 4 : 2) * (uint64_t)GICR_FRAME;
	}
	return 0;
}

/*
 * This CPU's redistributor: walk the frames of every region (reg[1..regions]) until
 * GICR_TYPER's affinity matches MPIDR (hal_cpu_id() packs it the same way). The region count
 * and stride are the node's own properties (bindings/interrupt-controller/arm,gic-v3.yaml).
 */
static uintptr_t v3_find_rdist(const struct plat_device *dev)
{
	const struct fdt *fdt = platform_fdt();
	uint32_t regions = 1, stride = 0;

	if (fdt && dev->fdt_node >= 0) {
		(void)fdt_prop_u32(fdt, dev->fdt_node, "#redistributor-regions", &regions);
		(void)fdt_prop_u32(fdt, dev->fdt_node, "redistributor-stride", &stride);
	}
	for (uint32_t r = 0; r < regions && 1 + r < dev->reg_count; r++) {
		const struct plat_reg *reg = &dev->reg[1 + r];
		uintptr_t base, found;

		if (!reg->size)
			continue;
		base = (uintptr_t)hal_map_io(reg->base, reg->size);
		found = v3_find_rdist_in(base, reg->size, stride);
		if (found)
			return found;
	}
	return 0;
}

static int gicv3_init(const struct plat_device *dev)
{
	uint64_t aff = (hal_cpu_id() & 0xffffffu) | ((uint64_t)(hal_cpu_id() >> 24) << 32);

	gic.rdist = v3_find_rdist(dev);
	if (!gic.rdist)
		return -ENODEV;

	mmio_write32(dreg(GICD_CTLR), 0);
	wait_rwp(dreg(GICD_CTLR), GICD_CTLR_RWP);
	for (unsigned i = GIC_SPI_BASE; i < gic.nr_irqs; i += 32)
		mmio_write32(dreg(GICD_IGROUPR + i / 8), 0xffffffffu); /* Group 1: IRQ, not FIQ */
	dist_mask_all();
	wait_rwp(dreg(GICD_CTLR), GICD_CTLR_RWP);
	mmio_write32(dreg(GICD_CTLR), GICD_CTLR_V3_ENABLE);
	wait_rwp(dreg(GICD_CTLR), GICD_CTLR_RWP);
	for (unsigned i = GIC_SPI_BASE; i < gic.nr_irqs; i++) {
		mmio_write32(dreg(GICD_IROUTER + i * 8), (uint32_t)aff);
		mmio_write32(dreg(GICD_IROUTER + i * 8 + 4), (uint32_t)(aff >> 32));
	}

	/* Wake this CPU's redistributor, then mask its SGIs and PPIs. */
	mmio_write32(rreg(GICR_WAKER), mmio_read32(rreg(GICR_WAKER)) & ~GICR_WAKER_SLEEP);
	for (int i = 0; i < GIC_POLL_LIMIT && (mmio_read32(rreg(GICR_WAKER)) & GICR_WAKER_ASLEEP);
	     i++)
		;
	mmio_write32(rreg(GICR_SGI + GICD_IGROUPR), 0xffffffffu);
	mmio_write32(rreg(GICR_SGI + GICD_ICENABLER), 0xffffffffu);
	mmio_write32(rreg(GICR_SGI + GICD_ICPENDR), 0xffffffffu);
	mmio_write32(rreg(GICR_SGI + GICD_ICACTIVER), 0xffffffffu);
	for (unsigned i = 0; i < GIC_SPI_BASE; i += 4)
		mmio_write32(rreg(GICR_SGI + GICD_IPRIORITYR + i), GIC_PRIO_DEFAULT * 0x01010101u);
	wait_rwp(rreg(GICR_CTLR), GICR_CTLR_RWP);
	/* The CPU interface is system registers (head.S let EL1 use them after an EL2 entry). */
	return hal_gicv3_cpuif_init(GIC_PMR);
}

/* ---- Binding ---- */

static uintptr_t map_reg(const struct plat_device *dev, unsigned index)
{
	const struct plat_reg *r = &dev->reg[index];

	if (index >= dev->reg_count)
		return 0;
	return (uintptr_t)hal_map_io(r->base, r->size ? r->size : 0x1000);
}

/* The id of the driver's list that @dev matched by (driver_match() picked @dev->driver by
 * the first of @dev's ids it lists). */
static const char *matched_id(const struct plat_device *dev)
{
	for (unsigned i = 0; plat_device_compatible(dev, i); i++)
		for (const char *const *c = dev->driver->compatible; *c; c++)
			if (!strcmp(*c, plat_device_compatible(dev, i)))
				return *c;
	return NULL;
}

/* Map, reset and register the GIC @dev as version @version. */
static int gic_probe(struct plat_device *dev, unsigned version)
{
	static struct irq_chip chip;
	unsigned lines;
	int err = 0;

	if (gic.version)
		return -ENODEV; /* one GIC per machine: a second one is not ours to drive */
	gic.dist = map_reg(dev, 0);
	gic.cpu = version == 2 ? map_reg(dev, 1) : 0;
	if (!gic.dist || (version == 2 && !gic.cpu))
		return -EINVAL;
	lines = 32 * ((mmio_read32(dreg(GICD_TYPER)) & 0x1f) + 1);
	gic.nr_irqs = lines < GIC_MAX_INTID ? lines : GIC_MAX_INTID;
	gic.version = version;
	if (version == 2)
		gicv2_init();
	else
		err = gicv3_init(dev);
	if (err) {
		gic.version = 0;
		return err;
	}
	gic.dev = dev;
	gic.compatible = matched_id(dev);
	chip = version == 2 ? gicv2_chip : gicv3_chip;
	chip.nr_irqs = gic.nr_irqs;
	irq_register_chip(&chip);
	dev->driver_data = &gic;
	kprintf("  irqchip: GICv%u %s, %u interrupts\n", version, dev->name ? dev->name : "",
		gic.nr_irqs);
	return 0;
}

static int gicv2_probe(struct plat_device *dev)
{
	return gic_probe(dev, 2);
}

static int gicv3_probe(struct plat_device *dev)
{
	return gic_probe(dev, 3);
}

/* The root interrupt controller cannot be unbound or suspended (no remove/suspend): every
 * other driver's interrupts go through it. */
const struct driver_ops gicv2_driver_ops = { .probe = gicv2_probe };
const struct driver_ops gicv3_driver_ops = { .probe = gicv3_probe };

static int gic_xlate(const struct plat_device *chip, const struct plat_irq *irq,
		     unsigned *number, enum irq_trigger *trigger)
{
	bool edge;
	int err;

	if (chip != gic.dev)
		return -ENODEV;
	err = gic_decode_specifier(irq->cells, irq->cell_count, number, &edge);
	if (!err)
		*trigger = edge ? IRQ_TRIGGER_EDGE : IRQ_TRIGGER_LEVEL;
	return err;
}

static int gic_irqchip_set_trigger(const struct plat_device *chip, unsigned number,
				   enum irq_trigger trigger)
{
	if (chip != gic.dev || number >= gic.nr_irqs)
		return -EINVAL;
	gic_set_trigger(number, trigger == IRQ_TRIGGER_EDGE);
	return 0;
}

const struct irqchip_ops gic_irqchip_ops = {
	.xlate = gic_xlate,
	.set_trigger = gic_irqchip_set_trigger,
};

int gic_decode_specifier(const uint32_t *cells, unsigned n, unsigned *intid, bool *edge)
{
	if (n < 3)
		return -EINVAL;
	if (cells[0] == 0 && cells[1] < GIC_MAX_INTID - GIC_SPI_BASE)
		*intid = GIC_SPI_BASE + cells[1];
	else if (cells[0] == 1 && cells[1] < GIC_SPI_BASE - GIC_PPI_BASE)
		*intid = GIC_PPI_BASE + cells[1];
	else
		return -EINVAL;
	*edge = (cells[2] & 0x3) != 0; /* IRQ_TYPE_EDGE_RISING/FALLING; 4/8 are levels */
	return 0;
}

int gic_set_pending(unsigned intid)
{
	if (!gic.version || intid < GIC_PPI_BASE || intid >= gic.nr_irqs)
		return -EINVAL;
	mmio_write32(bit_reg(GICD_ISPENDR, intid), 1u << (intid % 32));
	return 0;
}
