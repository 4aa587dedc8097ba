// SPDX-License-Identifier: MIT
/* riscv64 interrupt controller: the PLIC the device tree describes, as the system irq_chip. */
#include <arch/csr.h>
#include <arch/riscv.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/mmio.h>
#include <kernel/spinlock.h>

/* Register map (RISC-V PLIC specification v1.0.0, "Memory Map"). */
#define PLIC_PRIORITY(src)   (4u * (src))
#define PLIC_ENABLE(ctx)     (0x2000u + 0x80u * (ctx))
#define PLIC_THRESHOLD(ctx)  (0x200000u + 0x1000u * (ctx))
#define PLIC_CLAIM(ctx)      (0x200004u + 0x1000u * (ctx))
#define PLIC_MAX_SOURCES     1023u
#define PLIC_MAX_CONTEXTS    15872u
#define PLIC_DEFAULT_PRIO    1u /* lowest that still delivers: 0 means "never" */

static struct {
	volatile uint8_t *base;
	unsigned ndev;         /* sources are 1..ndev */
	unsigned ctx;          /* the boot hart's S-mode context */
	unsigned long hart;
	uint32_t max_prio;     /* highest priority the PLIC implements */
	int node;
	bool found;
	spinlock_t lock;       /* enable-word read-modify-writes */
} plic = { .node = -ENOENT };

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

/* phandle of the boot hart's local interrupt controller (/cpus/cpu@N/interrupt-controller). */
static int hart_intc_phandle(const struct fdt *fdt, unsigned long hart, uint32_t *phandle)
{
	int cpu = riscv_find_cpu_node(fdt, hart);

	if (cpu < 0)
		return cpu;
	for (int n = fdt_first_child(fdt, cpu); n >= 0; n = fdt_next_sibling(fdt, n)) {
		if (!fdt_is_compatible(fdt, n, "riscv,cpu-intc"))
			continue;
		if (fdt_prop_u32(fdt, n, "phandle", phandle) == 0 ||
		    fdt_prop_u32(fdt, n, "linux,phandle", phandle) == 0)
			return 0;
		return -ENOENT;
	}
	return -ENOENT;
}

/*
 * Context numbers are the entries of the PLIC's interrupts-extended, in order: each is a
 * hart's local interrupt controller and the interrupt it raises there (11 M-external,
 * 9 S-external). Ours is the one on the boot hart's controller with 9.
 */
static int find_context(const struct fdt *fdt, int node, unsigned long hart, unsigned *ctx)
{
	uint32_t len, want, i = 0, n;
	const uint8_t *p = fdt_prop(fdt, node, "interrupts-extended", &len);
	int err = hart_intc_phandle(fdt, hart, &want);

	if (err)
		return err;
	if (!p || len % 4)
		return -ENOENT;
	n = len / 4;
	for (unsigned c = 0; i < n && c < PLIC_MAX_CONTEXTS; c++) {
		uint32_t ph = (uint32_t)fdt_read_cells(p + 4 * i, 1), cells = 1;
		int parent = fdt_node_by_phandle(fdt, ph);

		if (parent < 0 || fdt_prop_u32(fdt, parent, "#interrupt-cells", &cells) != 0 ||
		    cells == 0 || cells > n - i - 1)
			return -EINVAL;
		if (ph == want && fdt_read_cells(p + 4 * (i + 1), 1) == IRQ_S_EXT) {
			*ctx = c;
			return 0;
		}
		i += 1 + cells;
	}
	return -ENOENT;
}

/*
 * The PLIC that serves @hart: a multi-socket machine (QEMU virt with -numa) has one PLIC per
 * socket, each listing only its own harts' contexts, and OpenSBI may boot on any hart.
 * Returns the node and sets *@ctx, or a negative errno (the last reason a PLIC was refused).
 */
static int plic_for_hart(const struct fdt *fdt, unsigned long hart, unsigned *ctx)
{
	static const char *const compats[] = { "sifive,plic-1.0.0", "riscv,plic0" };
	int err = -ENOENT;

	for (unsigned c = 0; c < ARRAY_SIZE(compats); c++)
		for (int n = fdt_find_compatible(fdt, -1, compats[c]); n >= 0;
		     n = fdt_find_compatible(fdt, n, compats[c])) {
			/* A node listing both compatibles is seen twice; same answer both times. */
			err = find_context(fdt, n, hart, ctx);
			if (!err)
				return n;
		}
	return err;
}

static int plic_probe(const struct fdt *fdt, unsigned long hart)
{
	uint64_t pa, size;
	uint32_t ndev;
	int node = plic_for_hart(fdt, hart, &plic.ctx);

	if (node < 0)
		return node;
	plic.node = node;
	if (fdt_reg(fdt, node, 0, &pa, &size) != 0 || fdt_translate_address(fdt, node, &pa) != 0)
		return -EINVAL;
	if (fdt_prop_u32(fdt, node, "riscv,ndev", &ndev) != 0 || ndev == 0 ||
	    ndev > PLIC_MAX_SOURCES)
		return -EINVAL;
	if (size && PLIC_CLAIM(plic.ctx) + 4 > size)
		return -EINVAL;
	plic.base = hal_map_io(pa, size ? size : PLIC_CLAIM(plic.ctx) + 4);
	if (!plic.base)
		return -EINVAL;
	plic.ndev = ndev;
	plic.hart = hart;
	return 0;
}

void hal_irq_init(const struct boot_info *bi)
{
	int err;

	(void)bi; /* hal_early_init() parsed the DTB into riscv_fdt */
	spin_init(&plic.lock);
	err = riscv_fdt_ok ? plic_probe(&riscv_fdt, hal_cpu_id()) : -ENOENT;
	if (err) {
		kprintf("riscv64: no usable PLIC in the device tree (error %d): no device "
			"interrupts\n", err);
	} else {
		/* Everything masked for our context; every source deliverable once enabled. */
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
		plic.found = true;
		plic_chip.nr_irqs = plic.ndev + 1;
		kprintf("riscv64: PLIC at %#lx, %u sources, priorities 1..%u, hart %lu context %u\n",
			(unsigned long)(uintptr_t)plic.base, plic.ndev, plic.max_prio, plic.hart,
			plic.ctx);
		irq_register_chip(&plic_chip);
		csr_set(sie, SIE_SEIE);
	}
	/* Software interrupts: taken and counted (IPIs come with SMP bring-up). */
	csr_set(sie, SIE_SSIE);
}

int riscv_plic_context(void)
{
	return plic.found ? (int)plic.ctx : -1;
}

unsigned long riscv_plic_context_hart(void)
{
	return plic.hart;
}

int riscv_plic_node(void)
{
	return plic.node;
}
