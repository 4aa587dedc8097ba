/* SPDX-License-Identifier: MIT */
/*
 * The interrupt-controller class of the device model (drivers/irqchip/): what a driver of
 * class DRIVER_CLASS_IRQCHIP offers the others besides struct driver_ops.
 *
 * A device's interrupts are described as {controller device, controller-specific cells}
 * (struct plat_irq). Only the controller's driver knows what the cells mean, so it exports
 * xlate; driver_irq_number() (drivers/core.c) calls it for any driver that wants
 * dev->irq[i] as a number for irq_request().
 */
#ifndef KEEL_DRIVERS_IRQCHIP_H
#define KEEL_DRIVERS_IRQCHIP_H

#include <kernel/types.h>

struct plat_device;
struct plat_irq;

/* Trigger of a translated interrupt. */
enum irq_trigger {
	IRQ_TRIGGER_KEEP = 0, /* the specifier does not say: leave the controller's setting */
	IRQ_TRIGGER_LEVEL,
	IRQ_TRIGGER_EDGE,
};

struct irqchip_ops {
	/*
	 * Turn @irq (whose parent is @chip, a device this driver is bound to) into the number
	 * irq_request() takes and the trigger it asks for. 0, or -EINVAL when the cells are not
	 * a specifier this controller understands, -ENODEV when @chip is not the controller
	 * registered with irq_register_chip() (its numbers would mean nothing). Pure: no
	 * hardware access. Any context.
	 */
	int (*xlate)(const struct plat_device *chip, const struct plat_irq *irq,
		     unsigned *number, enum irq_trigger *trigger);
	/* Program @number's trigger (after xlate, before irq_request). NULL when the controller
	 * has nothing to program (the PLIC: the gateway follows the source). 0 or -EINVAL. */
	int (*set_trigger)(const struct plat_device *chip, unsigned number,
			   enum irq_trigger trigger);
};

#endif
