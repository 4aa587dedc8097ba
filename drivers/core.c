// SPDX-License-Identifier: MIT
/* The device model's core: match devices to drivers, bind/unbind/suspend/resume, bind a
 * whole platform description in class order (see include/kernel/driver.h). */
#include <drivers/irqchip.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>
#include <kernel/spinlock.h>
#include <lib/string.h>

/*
 * One device-model operation at a time. Never taken from an interrupt handler, so the plain
 * (not irq-save) lock is enough; held across the driver op so that a bind and an unbind of
 * the same device cannot interleave.
 */
static spinlock_t driver_lock = SPINLOCK_INIT;

static bool driver_lists(const struct driver *drv, const char *id)
{
	for (const char *const *c = drv->compatible; c && *c; c++)
		if (!strcmp(*c, id))
			return true;
	return false;
}

const struct driver *driver_match_in(const struct driver *table, unsigned count,
				     const struct plat_device *dev, enum driver_class class)
{
	const char *id;

	for (unsigned i = 0; (id = plat_device_compatible(dev, i)); i++)
		for (unsigned d = 0; d < count; d++)
			if ((class == DRIVER_CLASS_ANY || table[d].class == class) &&
			    driver_lists(&table[d], id))
				return &table[d];
	return NULL;
}

const struct driver *driver_match(const struct plat_device *dev, enum driver_class class)
{
	return driver_match_in(driver_table, driver_table_count, dev, class);
}

static int bind_locked(struct plat_device *dev, const struct driver *drv)
{
	int err;

	if (!dev->available)
		return -ENODEV;
	if (dev->driver)
		return -EBUSY;
	if (!drv || !drv->ops || !drv->ops->probe)
		return -EINVAL;
	dev->driver_data = NULL;
	/* Set before probe so the driver's own helpers (xlate through driver_irq_number) see
	 * the device as its; cleared again when probe fails. */
	dev->driver = drv;
	err = drv->ops->probe(dev);
	if (err) {
		dev->driver = NULL;
		dev->driver_data = NULL;
	}
	return err;
}

int driver_bind(struct plat_device *dev, const struct driver *drv)
{
	int err;

	spin_lock(&driver_lock);
	err = bind_locked(dev, drv);
	/* An -EBUSY attempt says nothing about the binding that exists: keep its record. */
	if (err != -EBUSY)
		dev->bind_error = err;
	spin_unlock(&driver_lock);
	return err;
}

int driver_unbind(struct plat_device *dev)
{
	int err = 0;

	spin_lock(&driver_lock);
	if (!dev->driver)
		err = -ENODEV;
	else if (!dev->driver->ops->remove)
		err = -ENOSYS;
	else
		err = dev->driver->ops->remove(dev);
	if (!err) {
		dev->driver = NULL;
		dev->driver_data = NULL;
		dev->bind_error = 0;
	}
	spin_unlock(&driver_lock);
	return err;
}

/* Run suspend (@resume false) or resume on a bound device; record a failure. */
static int power_op(struct plat_device *dev, bool resume)
{
	int (*op)(struct plat_device *);
	int err = 0;

	spin_lock(&driver_lock);
	if (!dev->driver) {
		err = -ENODEV;
	} else {
		op = resume ? dev->driver->ops->resume : dev->driver->ops->suspend;
		if (op)
			err = op(dev);
		dev->bind_error = err;
	}
	spin_unlock(&driver_lock);
	return err;
}

int driver_suspend(struct plat_device *dev)
{
	return power_op(dev, false);
}

int driver_resume(struct plat_device *dev)
{
	return power_op(dev, true);
}

const struct driver *driver_of(const struct plat_device *dev)
{
	return dev->driver;
}

/* Bind device @i of @p if a driver of @class matches it; count the outcome. */
static void bind_one(struct platform *p, int i, const struct driver *table, unsigned count,
		     enum driver_class class, struct driver_bind_stats *st)
{
	struct plat_device *dev = &p->dev[i];
	const struct driver *drv = driver_match_in(table, count, dev, class);
	int err;

	if (!drv || dev->driver)
		return;
	if (!dev->available) {
		st->disabled++;
		return;
	}
	err = driver_bind(dev, drv);
	if (!err) {
		st->bound++;
	} else if (err == -ENODEV) {
		st->declined++;
	} else {
		st->failed++;
		kprintf("  driver: %s failed to bind %s: error %d\n", drv->name,
			dev->name ? dev->name : "?", err);
	}
}

void driver_bind_all_in(struct platform *p, const struct driver *table, unsigned count,
			struct driver_bind_stats *stats)
{
	struct driver_bind_stats st = { 0 };
	int root = p->root_intc;
	unsigned n = p->dev_count < PLAT_MAX_DEVICES ? p->dev_count : PLAT_MAX_DEVICES;

	for (unsigned c = DRIVER_CLASS_IRQCHIP; c < DRIVER_CLASS_COUNT; c++) {
		/* The controller everything routes to goes first: the others may be its
		 * children (a GPIO block that is also an interrupt controller). */
		if (root >= 0 && (unsigned)root < n)
			bind_one(p, root, table, count, (enum driver_class)c, &st);
		for (unsigned i = 0; i < n; i++)
			if ((int)i != root)
				bind_one(p, (int)i, table, count, (enum driver_class)c, &st);
	}
	for (unsigned i = 0; i < n; i++)
		if (p->dev[i].available && !driver_match_in(table, count, &p->dev[i],
							     DRIVER_CLASS_ANY))
			st.unmatched++;
	if (stats)
		*stats = st;
}

void driver_bind_all(struct platform *p)
{
	struct driver_bind_stats st;

	driver_bind_all_in(p, driver_table, driver_table_count, &st);
	kprintf("  drivers: %u bound, %u declined, %u failed, %u disabled in the firmware, "
		"%u devices without a driver\n", st.bound, st.declined, st.failed, st.disabled,
		st.unmatched);
}

int driver_irq_number(const struct platform *p, const struct plat_device *dev, unsigned index,
		      unsigned *number)
{
	const struct plat_irq *irq;
	const struct plat_device *chip;
	const struct irqchip_ops *ops;
	enum irq_trigger trigger = IRQ_TRIGGER_KEEP;
	int err;

	if (index >= dev->irq_count || index >= PLAT_DEV_MAX_IRQS)
		return -ENOENT;
	irq = &dev->irq[index];
	if (irq->parent < 0 || (unsigned)irq->parent >= p->dev_count ||
	    (unsigned)irq->parent >= PLAT_MAX_DEVICES)
		return -ENODEV;
	chip = &p->dev[irq->parent];
	if (!chip->driver || chip->driver->class != DRIVER_CLASS_IRQCHIP)
		return -ENODEV;
	ops = chip->driver->class_ops.irqchip;
	if (!ops || !ops->xlate)
		return -ENODEV;
	err = ops->xlate(chip, irq, number, &trigger);
	if (!err && trigger != IRQ_TRIGGER_KEEP && ops->set_trigger)
		err = ops->set_trigger(chip, *number, trigger);
	return err;
}
