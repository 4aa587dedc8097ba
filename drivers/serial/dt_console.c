// SPDX-License-Identifier: MIT
/* The boot console: the DT's /chosen/stdout-path, or the description's console device (ACPI). */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/platform.h>
#include <lib/fdt.h>

static const struct serial_port *bound;

/*
 * The console comes up before the platform description is built, so it describes its node
 * itself, as the description will: compatible list, status, reg[0] in CPU addresses.
 */
static int describe_node(const struct fdt *fdt, int node, struct plat_device *dev)
{
	uint32_t len;
	const char *compat = fdt_prop(fdt, node, "compatible", &len);

	*dev = (struct plat_device){ .fdt_node = node, .parent = PLAT_NONE, .bus = PLAT_BUS_DT };
	dev->name = fdt_node_name(fdt, node);
	dev->compatible = compat;
	dev->compatible_len = compat ? len : 0;
	dev->available = dt_node_available(fdt, node);
	if (dt_reg(fdt, node, 0, &dev->reg[0].base, &dev->reg[0].size))
		return -ENODEV; /* a reg we cannot turn into a CPU address is out of reach */
	dev->reg_count = 1;
	return 0;
}

int dt_console_bind(const struct fdt *fdt, int node, struct serial_port *p)
{
	const struct driver *drv;
	struct plat_device dev;
	int err;

	if (!fdt || node < 0)
		return -ENOENT;
	if (describe_node(fdt, node, &dev))
		return -ENODEV;
	drv = driver_match(&dev, DRIVER_CLASS_CONSOLE);
	if (!drv || !dev.available || !drv->class_ops.serial)
		return -ENODEV;
	err = drv->class_ops.serial->port_init(fdt, &dev, p);
	if (err)
		return err;
	bound = p;
	return 0;
}

int platform_console_bind(const struct platform *plat, struct serial_port *p)
{
	const struct plat_device *dev;
	const struct driver *drv;
	int err;

	if (plat->console.device < 0 || (unsigned)plat->console.device >= plat->dev_count)
		return -ENOENT;
	dev = &plat->dev[plat->console.device];
	drv = driver_match(dev, DRIVER_CLASS_CONSOLE);
	if (!drv || !dev->available || !drv->class_ops.serial)
		return -ENODEV;
	err = drv->class_ops.serial->port_init(NULL, dev, p);
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
