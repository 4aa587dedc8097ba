// SPDX-License-Identifier: MIT
/* ktest: the device model in the running kernel: a test-only driver bound, suspended, resumed,
 * unbound and rebound on a hand-made device; the root interrupt controller bound from the
 * description; the console UART's receive path unbound and rebound. */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/platform.h>

static struct {
	unsigned probes, removes, suspends, resumes;
	bool running;
} kt_dev_state;

static int kt_probe(struct plat_device *dev)
{
	kt_dev_state.probes++;
	kt_dev_state.running = true;
	dev->driver_data = &kt_dev_state;
	return 0;
}

static int kt_remove(struct plat_device *dev)
{
	kt_dev_state.removes++;
	kt_dev_state.running = false;
	return dev->driver_data == &kt_dev_state ? 0 : -EINVAL;
}

static int kt_suspend(struct plat_device *dev)
{
	(void)dev;
	kt_dev_state.suspends++;
	kt_dev_state.running = false;
	return 0;
}

static int kt_resume(struct plat_device *dev)
{
	(void)dev;
	kt_dev_state.resumes++;
	kt_dev_state.running = true;
	return 0;
}

static const struct driver_ops kt_ops = { kt_probe, kt_remove, kt_suspend, kt_resume };
static const char *const kt_ids[] = { "keel,ktest-device", NULL };
static const struct driver kt_driver = { "ktest", DRIVER_CLASS_OTHER, kt_ids, &kt_ops, { 0 } };
static const char kt_compat[] = "keel,ktest-device";

KTEST(driver_test_device_binds_unbinds_and_rebinds)
{
	struct plat_device dev = { .name = "ktest", .compatible = kt_compat,
				   .compatible_len = sizeof(kt_compat), .available = true,
				   .parent = PLAT_NONE, .fdt_node = PLAT_NONE };

	kt_dev_state = (typeof(kt_dev_state)){ 0 };
	/* not in the kernel's table: the table is the list of real drivers */
	KT_EXPECT(driver_match(&dev, DRIVER_CLASS_ANY) == NULL);
	KT_EXPECT(driver_match_in(&kt_driver, 1, &dev, DRIVER_CLASS_ANY) == &kt_driver);
	KT_ASSERT(driver_bind(&dev, &kt_driver) == 0);
	KT_EXPECT(driver_of(&dev) == &kt_driver && kt_dev_state.running);
	KT_EXPECT(driver_bind(&dev, &kt_driver) == -EBUSY);
	KT_EXPECT(driver_suspend(&dev) == 0 && !kt_dev_state.running);
	KT_EXPECT(driver_resume(&dev) == 0 && kt_dev_state.running);
	KT_ASSERT(driver_unbind(&dev) == 0);
	KT_EXPECT(driver_of(&dev) == NULL && dev.driver_data == NULL && !kt_dev_state.running);
	KT_EXPECT(driver_unbind(&dev) == -ENODEV);
	KT_ASSERT(driver_bind(&dev, &kt_driver) == 0);
	KT_EXPECT(kt_dev_state.probes == 2 && kt_dev_state.removes == 1);
	KT_EXPECT(kt_dev_state.suspends == 1 && kt_dev_state.resumes == 1);
	KT_EXPECT(driver_unbind(&dev) == 0);
	dev.available = false; /* status "disabled": never probed */
	KT_EXPECT(driver_bind(&dev, &kt_driver) == -ENODEV && kt_dev_state.probes == 2);
}

KTEST(driver_table_is_well_formed)
{
	for (unsigned i = 0; i < driver_table_count; i++) {
		const struct driver *d = &driver_table[i];

		KT_EXPECT(d->name && d->compatible && d->compatible[0]);
		KT_EXPECT(d->ops && d->ops->probe);
		KT_EXPECT(d->class > DRIVER_CLASS_ANY && d->class < DRIVER_CLASS_COUNT);
	}
}

/* The interrupt controller driver bound to one of the description's controllers, or NULL. */
static struct plat_device *bound_irqchip(struct platform *p)
{
	for (unsigned i = 0; i < p->dev_count; i++)
		if (driver_of(&p->dev[i]) && driver_of(&p->dev[i])->class == DRIVER_CLASS_IRQCHIP)
			return &p->dev[i];
	return NULL;
}

/*
 * Where the description names a root interrupt controller, a driver of the table is bound to
 * it, or to its sibling serving the boot CPU (one PLIC per socket under -numa: the root one
 * may serve other harts and decline), and registered it: nothing else could take interrupts.
 */
KTEST(driver_root_interrupt_controller_is_bound)
{
	struct platform *p = &kernel_platform;
	struct plat_device *root, *chip = bound_irqchip(p);

	if (p->root_intc < 0) {
		/* then the port registered its own (x86-64's IOAPIC, until it is a driver) */
		kprintf("    no root interrupt controller in the description (%s)\n",
			p->source ? p->source : "none");
		KT_EXPECT(irq_chip() != NULL);
		return;
	}
	KT_ASSERT((unsigned)p->root_intc < p->dev_count);
	root = &p->dev[p->root_intc];
	KT_EXPECT(root->is_intc);
	KT_ASSERT(chip != NULL);
	KT_EXPECT(chip->is_intc);
	KT_EXPECT_EQ(chip->bind_error, 0);
	KT_EXPECT(chip == root || (root->bind_error == -ENODEV && !driver_of(root)));
	KT_EXPECT(irq_chip() != NULL);
	/* the interrupt controller cannot be unbound under everyone's feet */
	KT_EXPECT_EQ(driver_unbind(chip), -ENOSYS);
	KT_EXPECT(driver_of(chip) != NULL);
}

static void kt_irq(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
}

/*
 * The console UART's receive path is a driver: unbinding it frees its interrupt line and
 * drops back to polled input; binding it again requests the same line and switches
 * interrupts back on. Machines whose console has no UART interrupt (the SBI console, x86-64's
 * COM port until it moves to this driver) say so and check only that nothing is bound.
 */
KTEST(driver_console_uart_unbinds_and_rebinds)
{
	struct platform *p = &kernel_platform;
	struct plat_device *dev;
	const struct driver *drv;
	unsigned irq = 0, again = 0;

	if (!serial_console_rx_device(&irq)) {
		kprintf("    console input is not a bound UART here (status %d)\n",
			serial_console_rx_status());
		KT_EXPECT(serial_console_rx_status() != 0);
		return;
	}
	KT_ASSERT(p->console.device >= 0);
	dev = &p->dev[p->console.device];
	drv = driver_of(dev);
	KT_ASSERT(drv != NULL && drv->class == DRIVER_CLASS_CONSOLE);
	KT_EXPECT_EQ(serial_console_rx_status(), 0);
	KT_EXPECT_EQ(irq_request(irq, kt_irq, NULL, "ktest"), -EBUSY); /* the UART holds it */

	KT_ASSERT(driver_unbind(dev) == 0);
	KT_EXPECT(driver_of(dev) == NULL);
	KT_EXPECT(serial_console_rx_device(NULL) == NULL);
	KT_EXPECT(serial_console_rx_status() != 0);
	KT_EXPECT_EQ(irq_request(irq, kt_irq, NULL, "ktest"), 0); /* the line is free */
	KT_EXPECT_EQ(irq_free(irq), 0);

	KT_ASSERT(driver_bind(dev, drv) == 0);
	KT_EXPECT(serial_console_rx_device(&again) == dev);
	KT_EXPECT_EQ(again, irq);
	KT_EXPECT_EQ(serial_console_rx_status(), 0);
	KT_EXPECT_EQ(irq_request(irq, kt_irq, NULL, "ktest"), -EBUSY);
}
