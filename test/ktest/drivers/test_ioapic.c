// SPDX-License-Identifier: MIT
/* In-kernel tests of the IOAPIC driver (drivers/irqchip/ioapic.c) on QEMU's PCs. */
#include <drivers/ioapic.h>
#include <drivers/irqchip.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/ktest.h>
#include <kernel/platform.h>

#define RTE_MASKED (1ULL << 16)

/* The device model bound the description's IOAPIC, which is the registered irq_chip. */
KTEST(ioapic_bound_from_the_description)
{
	const struct platform *p = &kernel_platform;
	int io = platform_find_compatible(p, PLAT_NONE, "acpi,ioapic");

	KT_ASSERT(io != PLAT_NONE);
	KT_EXPECT_EQ(p->root_intc, io);
	KT_ASSERT(driver_of(&p->dev[io]) != NULL);
	KT_EXPECT(driver_of(&p->dev[io])->ops == &ioapic_driver_ops);
	KT_EXPECT_EQ(p->dev[io].bind_error, 0);
	KT_ASSERT(irq_chip() != NULL);
	/* QEMU's pc and q35 machines: one 24-pin IOAPIC, ISA IRQ 0 overridden to GSI 2. */
	KT_EXPECT_EQ(ioapic_nr_gsis(), 24);
	KT_EXPECT_EQ(irq_chip()->nr_irqs, ioapic_nr_gsis());
	KT_EXPECT_EQ(p->acpi_intr.isa_gsi[0], 2);
	KT_EXPECT_EQ(p->acpi_intr.isa_gsi[4], 4);
	KT_EXPECT(irq_chip()->set_priority(4, 0) == -EINVAL);
	KT_EXPECT(irq_chip()->route(4, 256) == -EINVAL);
}

/* The console UART's interrupt, {GSI, flags} in the description, translates to its GSI. */
KTEST(ioapic_xlate_gives_the_console_gsi)
{
	const struct platform *p = &kernel_platform;
	const struct plat_irq bad = { .parent = p->root_intc, .cell_count = 2, .cells = { 999, 0 } };
	const struct irqchip_ops *ops;
	enum irq_trigger trigger;
	unsigned number;

	KT_ASSERT(p->console.device >= 0 && p->root_intc >= 0);
	KT_ASSERT(p->dev[p->console.device].irq_count == 1);
	KT_EXPECT_EQ(driver_irq_number(p, &p->dev[p->console.device], 0, &number), 0);
	KT_EXPECT_EQ(number, p->acpi_intr.isa_gsi[4]);
	ops = driver_of(&p->dev[p->root_intc])->class_ops.irqchip;
	KT_EXPECT_EQ(ops->xlate(&p->dev[p->root_intc], &bad, &number, &trigger), -EINVAL);
	/* Not one of the IOAPICs: refused. */
	KT_EXPECT_EQ(ops->xlate(&p->dev[p->console.device], &p->dev[p->console.device].irq[0],
				&number, &trigger), -ENODEV);
}

static void count_irq(unsigned irq, void *arg)
{
	(void)irq;
	(*(unsigned *)arg)++;
}

/* Every redirection entry carries the port's vector for its GSI and the boot CPU as
 * destination, and is masked exactly when nobody has requested the line. */
static bool rtes_match_requests(struct ktest_ctx *kt)
{
	bool ok = true;

	for (unsigned gsi = 0; gsi < ioapic_nr_gsis(); gsi++) {
		uint64_t rte = ioapic_read_rte(gsi);

		ok &= KT_EXPECT_EQ(rte & 0xff, (uint64_t)hal_lapic_irq_vector(gsi));
		ok &= KT_EXPECT_EQ(rte >> 56, hal_cpu_id());
		ok &= KT_EXPECT_EQ(!(rte & RTE_MASKED), ioapic_gsi_enabled(gsi));
	}
	return ok;
}

KTEST(ioapic_entries_masked_except_requested)
{
	unsigned hits = 0, gsi = 23; /* a PCI line nothing on QEMU's q35 uses */

	KT_ASSERT(irq_chip() != NULL);
	KT_ASSERT(ioapic_nr_gsis() > gsi);
	KT_ASSERT(!ioapic_gsi_enabled(gsi));
	rtes_match_requests(kt);
	KT_ASSERT(irq_request(gsi, count_irq, &hits, "ktest") == 0);
	KT_EXPECT(!(ioapic_read_rte(gsi) & RTE_MASKED));
	KT_EXPECT(ioapic_gsi_enabled(gsi));
	rtes_match_requests(kt);
	KT_EXPECT_EQ(irq_free(gsi), 0);
	KT_EXPECT(ioapic_read_rte(gsi) & RTE_MASKED);
	rtes_match_requests(kt);
	KT_EXPECT_EQ(hits, 0);
}
