// SPDX-License-Identifier: MIT
/* The boot console the device tree names: /chosen/stdout-path (kernel_platform.console) bound
 * by "compatible". */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/platform.h>
#include <lib/fdt.h>

static const struct serial_port *bound;

int dt_console_bind(const struct fdt *fdt, int node, struct serial_port *p)
{
	const struct dt_driver *drv;
	struct dt_device dev;
	int err;

	if (!fdt || node < 0)
		return -ENOENT;
	drv = dt_match(fdt, node, DT_CLASS_SERIAL);
	if (!drv || !dt_node_available(fdt, node))
		return -ENODEV;
	/* A reg that cannot be turned into a CPU address is not a console we can reach. */
	if (dt_device_init(&dev, fdt, node))
		return -ENODEV;
	err = drv->probe.serial(&dev, p);
	if (err)
		return err;
	bound = p;
	return 0;
}

int dt_console_bind_device(const struct platform *plat, int dev, struct serial_port *p)
{
	const struct fdt *fdt = platform_fdt();
	const struct plat_device *d;
	const struct dt_driver *drv;
	struct dt_device dd;
	int err;

	if (!plat || dev < 0 || (unsigned)dev >= plat->dev_count || !fdt)
		return -ENOENT;
	d = &plat->dev[dev];
	/* The driver table still matches on the node (drivers/dt.c); address from the table. */
	drv = dt_match(fdt, d->fdt_node, DT_CLASS_SERIAL);
	if (!drv || !d->available || d->reg_count == 0)
		return -ENODEV;
	dd = (struct dt_device){ .fdt = fdt, .node = d->fdt_node, .base = d->reg[0].base,
				 .size = d->reg[0].size };
	err = drv->probe.serial(&dd, p);
	if (err)
		return err;
	bound = p;
	return 0;
}

int dt_console_init_platform(const struct platform *plat, struct serial_port *p)
{
	return dt_console_bind_device(plat, plat ? plat->console.device : PLAT_NONE, p);
}

int dt_console_init(const struct fdt *fdt, struct serial_port *p)
{
	return dt_console_bind(fdt, fdt ? fdt_stdout_node(fdt) : -ENOENT, p);
}

const struct serial_port *dt_console_bound(void)
{
	return bound;
}
