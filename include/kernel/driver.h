/* SPDX-License-Identifier: MIT */
/*
 * The device model: drivers bound to the devices of the platform description (struct
 * platform, include/kernel/platform.h) by compatible string or ACPI id. docs/drivers.md tells
 * the whole story; in short:
 *
 *  - Every driver the kernel can bind is one entry of one static table, driver_table[] in
 *    drivers/driver_table.c. The table is the list: no registration calls, no linker sections.
 *  - A driver names its class, the compatible ids it handles (DT "compatible" strings or ACPI
 *    ids such as "PNP0501" or "acpi,ioapic") and its struct driver_ops (probe, remove, suspend,
 *    resume), each taking the struct plat_device it works on. A class adds its own interface
 *    (struct irqchip_ops for interrupt controllers, struct serial_ops for UARTs).
 *  - driver_match() picks the driver for a device the way the devicetree spec asks (2.3.1):
 *    the device's most specific compatible that some driver lists wins.
 *  - driver_bind() and friends keep the binding state in the device (driver, driver_data,
 *    bind_error), changed only here, under the device-model lock. A probe failure is recorded
 *    in bind_error and reported; it never stops the boot.
 *  - driver_bind_all() binds a whole description, class by class in enum driver_class order:
 *    interrupt controllers first (everyone else requests interrupts from them), then consoles,
 *    then the rest. Devices whose status is not "okay" (available false) are never bound.
 *
 * Context: every driver_* function below is for thread or boot context (never an interrupt
 * handler), on any CPU. One device-model operation runs at a time system-wide: the lock is
 * held across the driver op it calls, so an op must not call driver_bind/unbind/suspend/
 * resume itself (it would deadlock) and must not block. It may map MMIO, request interrupts
 * and print.
 */
#ifndef KEEL_KERNEL_DRIVER_H
#define KEEL_KERNEL_DRIVER_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct fdt;
struct plat_device;
struct plat_irq;
struct platform;
struct irqchip_ops;
struct serial_ops;

/* Classes, in the order driver_bind_all() binds them. */
enum driver_class {
	DRIVER_CLASS_ANY = 0,  /* driver_match(): any class */
	DRIVER_CLASS_IRQCHIP,  /* interrupt controllers: class_ops.irqchip */
	DRIVER_CLASS_CONSOLE,  /* UARTs that can carry the console: class_ops.serial */
	DRIVER_CLASS_OTHER,    /* everything else */
	DRIVER_CLASS_COUNT,
};

/*
 * The seed's driver operations (shared/design/seed-architecture.md section 8). Each returns
 * 0 or a negative errno and is called with the device-model lock held (see above).
 *
 * probe:   take the device: map dev->reg[], program the hardware, request dev->irq[]. On
 *          success it may set dev->driver_data (the core clears it on unbind). On failure it
 *          must leave nothing behind (no interrupt requested, nothing registered): the core
 *          records the error in dev->bind_error and the device stays unbound. -ENODEV means
 *          "not for me after all" (e.g. a PLIC that does not serve the boot CPU).
 * remove:  undo probe: quiesce the hardware, free its interrupts. NULL: the driver cannot be
 *          unbound (driver_unbind() then returns -ENOSYS and the device stays bound). A
 *          remove that fails leaves the device bound.
 * suspend: stop the device, keeping what resume needs; NULL when there is nothing to do.
 * resume:  restart it after suspend; NULL when there is nothing to do.
 */
struct driver_ops {
	int (*probe)(struct plat_device *dev);
	int (*remove)(struct plat_device *dev);
	int (*suspend)(struct plat_device *dev);
	int (*resume)(struct plat_device *dev);
};

struct driver {
	const char *name;
	enum driver_class class;
	const char *const *compatible; /* NULL-terminated; DT compatible strings or ACPI ids */
	const struct driver_ops *ops;
	union {                        /* the class's own interface (may be NULL) */
		const struct irqchip_ops *irqchip;
		const struct serial_ops *serial;
	} class_ops;
};

/* The driver table (drivers/driver_table.c) and its length. */
extern const struct driver driver_table[];
extern const unsigned driver_table_count;

/*
 * The driver of class @class (DRIVER_CLASS_ANY: any) for @dev from @table (@count entries):
 * the first of @dev's compatible ids, most specific first, that a driver lists; among drivers
 * listing the same id, the first in the table. NULL when none does. Pure: reads only.
 */
const struct driver *driver_match_in(const struct driver *table, unsigned count,
				     const struct plat_device *dev, enum driver_class class);

/* driver_match_in() over driver_table[]. */
const struct driver *driver_match(const struct plat_device *dev, enum driver_class class);

/*
 * Bind @drv to @dev: probe, then record. 0; -ENODEV when @dev is not available (status not
 * okay; nothing is called); -EBUSY when @dev already has a driver; -EINVAL when @drv has no
 * probe; or probe's error. After it returns, dev->bind_error holds the result (0 when bound)
 * and dev->driver is @drv exactly when it returned 0.
 */
__must_check int driver_bind(struct plat_device *dev, const struct driver *drv);

/* Unbind @dev: remove, then clear driver and driver_data. 0; -ENODEV when it is unbound;
 * -ENOSYS when its driver has no remove; or remove's error (the device stays bound). */
__must_check int driver_unbind(struct plat_device *dev);

/* Suspend / resume a bound device through its driver (a missing op succeeds). 0; -ENODEV
 * when it is unbound; or the op's error (recorded in bind_error). */
__must_check int driver_suspend(struct plat_device *dev);
__must_check int driver_resume(struct plat_device *dev);

/* The driver bound to @dev, or NULL. */
const struct driver *driver_of(const struct plat_device *dev);

/* Outcome of driver_bind_all(). */
struct driver_bind_stats {
	unsigned bound;      /* probes that succeeded */
	unsigned declined;   /* probes that returned -ENODEV ("not for me") */
	unsigned failed;     /* probes that returned another error (each reported) */
	unsigned disabled;   /* devices a driver matches but whose status is not okay */
	unsigned unmatched;  /* available devices no driver in @table lists */
};

/*
 * Bind every available, unbound device of @p to its driver from @table, class by class
 * (enum driver_class order), within a class the root interrupt controller first and then in
 * device order. Failures are recorded in each device and reported with kprintf; none stops
 * the walk. Fills @stats when not NULL. Boot CPU, thread context.
 */
void driver_bind_all_in(struct platform *p, const struct driver *table, unsigned count,
			struct driver_bind_stats *stats);

/* driver_bind_all_in() over driver_table[], reporting the totals. */
void driver_bind_all(struct platform *p);

/*
 * Interrupt @index of @dev as a number for irq_request(): @dev->irq[@index]'s controller
 * (an index into @p) must be bound to an interrupt-controller driver, whose xlate turns the
 * cells into its number and programs the line's trigger. 0; -ENOENT when @dev has no such
 * interrupt; -ENODEV when the controller is not bound or is not the registered one (it has
 * no xlate); or xlate's error (-EINVAL for cells it does not understand).
 */
__must_check int driver_irq_number(const struct platform *p, const struct plat_device *dev,
				   unsigned index, unsigned *number);

/* ---- Device-tree helpers for early boot, before the description is built --------------- */

/* True when @node's "status" is absent, "okay" or "ok" (devicetree spec 2.3.4). */
bool dt_node_available(const struct fdt *fdt, int node);

/*
 * Entry @index of @node's "reg" as a CPU physical address (fdt_reg() then
 * fdt_translate_address()). 0, or a negative error from either.
 */
int dt_reg(const struct fdt *fdt, int node, unsigned index, paddr_t *base, uint64_t *size);

#endif
