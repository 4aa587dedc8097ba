// SPDX-License-Identifier: MIT
/* RISC-V PLIC interrupt controller, bound by the device model: the one serving the boot hart
 * becomes the system irq_chip. */
#include <drivers/irqchip.h>
#include <drivers/plic.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/mmio.h>
#include <kernel/platform.h>
#include <kernel/spinlock.h>
#include <lib/fdt.h>

/* Register map (RISC-V PLIC specification v1.0.0, "Memory Map"). */
#define PLIC_PRIORITY(src)   (4u * (src))
#define PLIC_ENABLE(ctx)     (0x2000u + 0x80u * (ctx))
#define PLIC_THRESHOLD(ctx)  (0x200000u + 0x1000u * (ctx))
#define PLIC_CLAIM(ctx)      (0x200004u + 0x1000u * (ctx))
#define PLIC_MAX_SOURCES     1023u
#define PLIC_MAX_CONTEXTS    15872u
#define PLIC_DEFAULT_PRIO    1u /* lowest that still delivers: 0 means "never" */
/* The hart-local controller's specifier for the S-mode external interrupt: its cause number
 * (RISC-V privileged spec, scause; bindings/interrupt-controller/riscv,cpu-intc.yaml). */
#define HART_IRQ_S_EXT       9u

static struct {
	volatile uint8_t *base;
	unsigned ndev;         /* sources are 1..ndev */
	unsigned ctx;          /* the boot hart's S-mode context */
	unsigned long hart;
	uint32_t max_prio;     /* highest priority the PLIC implements */
	const struct plat_device *dev; /* the PLIC serving the boot hart, NULL before */
	spinlock_t lock;       /* enable-word read-modify-writes */
} plic = { .lock = SPINLOCK_INIT };

static volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(plic.base + off);
}

static void set_enable(unsigned irq, bool on)
{
	volatile uint32_t *word;
	uint32_t bit = 1u << (irq % 32), v;

	if (irq == 0 || irq > plic.ndev)
		return;
	word = reg(PLIC_ENABLE(plic.ctx) + 4 * (irq / 32));
	spin_lock(&plic.lock);
	v = mmio_read32(word);
	mmio_write32(word, on ? v | bit : v & ~bit);
	spin_unlock(&plic.lock);
}

static void plic_enable(unsigned irq)
{
	set_enable(irq, true);
}

static void plic_disable(unsigned irq)
{
	set_enable(irq, false);
}

/* Portable 0 = most urgent maps onto the PLIC's highest; the PLIC's 0 ("never") is not used. */
static int plic_set_priority(unsigned irq, unsigned prio)
{
	if (irq == 0 || irq > plic.ndev || prio >= plic.max_prio)
		return -EINVAL;
	mmio_write32(reg(PLIC_PRIORITY(irq)), plic.max_prio - prio);
	return 0;
}

static int plic_route(unsigned irq, cpu_id_t cpu)
{
	if (irq == 0 || irq > plic.ndev)
		return -EINVAL;
	/* One context (the boot hart's) until SMP bring-up finds the others' contexts. */
	return cpu == plic.hart ? 0 : -ENOSYS;
}

static unsigned plic_ack(void)
{
	uint32_t irq = mmio_read32(reg(PLIC_CLAIM(plic.ctx)));

	return irq ? irq : IRQ_NONE;
}

static void plic_eoi(unsigned irq)
{
	mmio_write32(reg(PLIC_CLAIM(plic.ctx)), irq);
}

static struct irq_chip plic_chip = {
	.name = "plic",
	.enable = plic_enable,
	.disable = plic_disable,
	.set_priority = plic_set_priority,
	.route = plic_route,
	.ack = plic_ack,
	.eoi = plic_eoi,
};

/*
 * Context numbers are the entries of the PLIC's interrupts-extended, in order (the
 * description keeps them as irq[]): each is a hart's local interrupt controller and the
 * interrupt it raises there (11 M-external, 9 S-external). Ours is the entry on the boot
 * hart's controller (plat_cpu.intc) with 9. A multi-socket machine (QEMU virt with -numa) has
 * one PLIC per socket, each listing only its own harts: the others answer -ENODEV.
 */
static int find_context(const struct plat_device *dev, unsigned long hart, unsigned *ctx)
{
	const struct plat_cpu *cpu = platform_cpu_by_hwid(&kernel_platform, hart);

	if (!cpu || cpu->intc < 0)
		return -ENOENT;
	for (unsigned i = 0; i < dev->irq_count && i < PLAT_DEV_MAX_IRQS; i++) {
		const struct plat_irq *irq = &dev->irq[i];

		if (irq->parent == cpu->intc && irq->cell_count >= 1 &&
		    irq->cells[0] == HART_IRQ_S_EXT) {
			*ctx = i;
			return 0;
		}
	}
	/* Our context may be among the entries the description had no room for. */
	return dev->irqs_dropped ? -ENOSPC : -ENODEV;
}

/* Map the PLIC @dev for context @ctx: "riscv,ndev" sources, reg[0] holding the context. */
static int plic_map(const struct plat_device *dev, unsigned ctx)
{
	const struct fdt *fdt = platform_fdt();
	uint64_t size;
	uint32_t ndev;

	if (!fdt || dev->fdt_node < 0 || !dev->reg_count)
		return -EINVAL;
	if (fdt_prop_u32(fdt, dev->fdt_node, "riscv,ndev", &ndev) != 0 || ndev == 0 ||
	    ndev > PLIC_MAX_SOURCES)
		return -EINVAL;
	size = dev->reg[0].size;
	if (size && PLIC_CLAIM(ctx) + 4 > size)
		return -EINVAL;
	plic.base = hal_map_io(dev->reg[0].base, size ? size : PLIC_CLAIM(ctx) + 4);
	if (!plic.base)
		return -EINVAL;
	plic.ndev = ndev;
	return 0;
}

/* Everything masked for our context; every source deliverable once enabled. */
static void plic_reset(void)
{
	for (unsigned w = 0; w <= plic.ndev / 32; w++)
		mmio_write32(reg(PLIC_ENABLE(plic.ctx) + 4 * w), 0);
	/* Priorities are WARL: the highest one that sticks is the PLIC's maximum. */
	mmio_write32(reg(PLIC_PRIORITY(1)), ~0u);
	plic.max_prio = mmio_read32(reg(PLIC_PRIORITY(1)));
	if (!plic.max_prio)
		plic.max_prio = 1;
	for (unsigned i = 1; i <= plic.ndev; i++)
		mmio_write32(reg(PLIC_PRIORITY(i)), PLIC_DEFAULT_PRIO);
	mmio_write32(reg(PLIC_THRESHOLD(plic.ctx)), 0);
}

static int plic_probe(struct plat_device *dev)
{
	unsigned long hart = hal_cpu_id();
	unsigned ctx;
	int err;

	if (plic.dev)
		return -ENODEV; /* the boot hart's PLIC is bound already */
	err = find_context(dev, hart, &ctx);
	if (!err)
		err = plic_map(dev, ctx);
	if (err)
		return err;
	plic.ctx = ctx;
	plic.hart = hart;
	plic_reset();
	plic.dev = dev;
	plic_chip.nr_irqs = plic.ndev + 1;
	dev->driver_data = &plic;
	kprintf("  irqchip: PLIC %s at %#lx, %u sources, priorities 1..%u, hart %lu context %u\n",
		dev->name ? dev->name : "", (unsigned long)dev->reg[0].base, plic.ndev,
		plic.max_prio, plic.hart, plic.ctx);
	irq_register_chip(&plic_chip);
	/* The PLIC's line into this hart (sie.SEIE): the port's register. */
	err = hal_irq_external_enable();
	if (err)
		kprintf("  irqchip: PLIC: this port cannot take external interrupts (%d)\n", err);
	return 0;
}

/* The root interrupt controller cannot be unbound or suspended: no remove or suspend. */
const struct driver_ops plic_driver_ops = { .probe = plic_probe };

/* One cell: the source number, 1..ndev (bindings/interrupt-controller/sifive,plic-1.0.0). */
static int plic_xlate(const struct plat_device *chip, const struct plat_irq *irq,
		      unsigned *number, enum irq_trigger *trigger)
{
	if (chip != plic.dev)
		return -ENODEV;
	if (irq->cell_count < 1 || irq->cells[0] == 0 || irq->cells[0] > plic.ndev)
		return -EINVAL;
	*number = irq->cells[0];
	*trigger = IRQ_TRIGGER_KEEP; /* the gateway follows the source: nothing to program */
	return 0;
}

const struct irqchip_ops plic_irqchip_ops = { .xlate = plic_xlate };

int plic_context(void)
{
	return plic.dev ? (int)plic.ctx : -1;
}

unsigned long plic_context_hart(void)
{
	return plic.hart;
}

const struct plat_device *plic_device(void)
{
	return plic.dev;
}
