// SPDX-License-Identifier: MIT
/* The boot console the device tree names: /chosen/stdout-path bound by "compatible". */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
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

int dt_console_init(const struct fdt *fdt, struct serial_port *p)
{
	return dt_console_bind(fdt, fdt ? fdt_stdout_node(fdt) : -ENOENT, p);
}

const struct serial_port *dt_console_bound(void)
{
	return bound;
}
