// SPDX-License-Identifier: MIT
/* ktest: the GIC driver (drivers/irqchip/gic.c): bound to the root interrupt controller the
 * device tree names, its specifier decoding, and delivery of a software-pended SPI. */
#include <drivers/gic.h>
#include <drivers/irqchip.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/ktest.h>
#include <kernel/platform.h>
#include <lib/fdt.h>
#include <lib/string.h>

/* The GIC in use is the root's interrupt-parent and the driver matches its compatible. */
KTEST(gic_is_the_root_interrupt_parent_and_registered)
{
	const struct fdt *fdt = platform_fdt();
	const struct irq_chip *chip = irq_chip();
	int node;
	bool v3;

	KT_ASSERT(fdt != NULL);
	node = fdt_interrupt_parent(fdt, fdt_root(fdt));
	KT_ASSERT(node >= 0);
	v3 = fdt_is_compatible(fdt, node, "arm,gic-v3");
	KT_ASSERT(gic_device() != NULL);
	KT_EXPECT_EQ(gic_device()->fdt_node, node);
	KT_EXPECT(gic_device() == &kernel_platform.dev[kernel_platform.root_intc]);
	KT_EXPECT(gic_device()->driver != NULL && gic_device()->bind_error == 0);
	KT_EXPECT_EQ(gic_version(), v3 ? 3u : 2u);
	KT_ASSERT(gic_compatible() != NULL);
	KT_EXPECT(fdt_is_compatible(fdt, node, gic_compatible()));
	KT_ASSERT(chip != NULL);
	KT_EXPECT_EQ(strcmp(chip->name, v3 ? "gicv3" : "gicv2"), 0);
	KT_EXPECT(chip->nr_irqs >= 64 && chip->nr_irqs <= 1020);
	KT_EXPECT_EQ(chip->set_priority(40, 15), -EINVAL);
	KT_EXPECT_EQ(chip->route(20, hal_cpu_id()), -EINVAL); /* PPIs are per CPU */
}

KTEST(gic_specifier_decoding)
{
	static const uint32_t spi[3] = { 0, 1, 4 }, ppi[3] = { 1, 11, 0xf08 };
	static const uint32_t edge[3] = { 0, 7, 1 }, bad[3] = { 2, 0, 4 }, big[3] = { 1, 16, 4 };
	unsigned intid = 0;
	bool e = true;

	KT_EXPECT_EQ(gic_decode_specifier(spi, 3, &intid, &e), 0);
	KT_EXPECT_EQ(intid, 33u);
	KT_EXPECT(!e);
	KT_EXPECT_EQ(gic_decode_specifier(ppi, 3, &intid, &e), 0);
	KT_EXPECT_EQ(intid, 27u);
	KT_EXPECT(!e);
	KT_EXPECT_EQ(gic_decode_specifier(edge, 3, &intid, &e), 0);
	KT_EXPECT_EQ(intid, 39u);
	KT_EXPECT(e);
	KT_EXPECT_EQ(gic_decode_specifier(bad, 3, &intid, &e), -EINVAL);
	KT_EXPECT_EQ(gic_decode_specifier(big, 3, &intid, &e), -EINVAL);
	KT_EXPECT_EQ(gic_decode_specifier(spi, 2, &intid, &e), -EINVAL);
}

/* The driver's xlate (what driver_irq_number() calls) decodes the same way and says the
 * trigger; it refuses a specifier meant for another controller. */
KTEST(gic_xlate_turns_description_cells_into_intids)
{
	struct plat_irq edge = { .parent = kernel_platform.root_intc, .cell_count = 3,
				 .cells = { 0, 7, 1 } };
	struct plat_irq ppi = { .parent = kernel_platform.root_intc, .cell_count = 3,
				.cells = { 1, 11, 4 } };
	struct plat_irq two = { .parent = kernel_platform.root_intc, .cell_count = 2 };
	struct plat_device other = { .parent = PLAT_NONE };
	enum irq_trigger t = IRQ_TRIGGER_KEEP;
	unsigned intid = 0;

	KT_ASSERT(gic_device() != NULL);
	KT_EXPECT_EQ(gic_irqchip_ops.xlate(gic_device(), &edge, &intid, &t), 0);
	KT_EXPECT_EQ(intid, 39u);
	KT_EXPECT_EQ(t, IRQ_TRIGGER_EDGE);
	KT_EXPECT_EQ(gic_irqchip_ops.xlate(gic_device(), &ppi, &intid, &t), 0);
	KT_EXPECT_EQ(intid, 27u);
	KT_EXPECT_EQ(t, IRQ_TRIGGER_LEVEL);
	KT_EXPECT_EQ(gic_irqchip_ops.xlate(gic_device(), &two, &intid, &t), -EINVAL);
	KT_EXPECT_EQ(gic_irqchip_ops.xlate(&other, &edge, &intid, &t), -ENODEV);
}

static volatile unsigned test_irq_hits;

static void test_irq_handler(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
	test_irq_hits++;
}

/* An SPI made pending by software is acknowledged, handled once and EOI'd. */
KTEST(gic_delivers_a_pending_spi)
{
	const struct irq_chip *chip = irq_chip();
	unsigned spi;
	irqflags_t flags;

	KT_ASSERT(chip != NULL);
	spi = chip->nr_irqs - 1; /* the last line: no device of virt or the Pi 4 uses it */
	KT_ASSERT(irq_request(spi, test_irq_handler, NULL, "ktest") == 0);
	KT_EXPECT_EQ(chip->route(spi, hal_cpu_id()), 0);
	KT_EXPECT_EQ(chip->set_priority(spi, 8), 0);
	gic_set_trigger(spi, true);
	test_irq_hits = 0;
	flags = hal_irq_save();
	KT_EXPECT_EQ(gic_set_pending(spi), 0);
	hal_irq_enable();
	for (int i = 0; i < 100000 && !test_irq_hits; i++)
		__asm__ __volatile__("" ::: "memory");
	hal_irq_restore(flags);
	KT_EXPECT_EQ(test_irq_hits, 1u);
	KT_EXPECT_EQ(irq_count(spi), 1u);
	KT_EXPECT_EQ(irq_free(spi), 0);
	gic_set_trigger(spi, false);
}

