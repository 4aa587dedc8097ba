// SPDX-License-Identifier: MIT
/* The boot console the description names (DT /chosen/stdout-path, ACPI SPCR or the PC serial
 * port: kernel_platform.console), bound by "compatible" or ACPI id. */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/platform.h>
#include <lib/fdt.h>
#include <lib/string.h>

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

int dt_console_bind_device(const struct platform *plat, int dev, struct serial_port *p)
{
	const struct plat_device *d;
	const struct driver *drv;
	int err;

	/* No device tree is fine (x86-64's ACPI description): port_init() then reads only the
	 * description. */
	if (!plat || dev < 0 || (unsigned)dev >= plat->dev_count)
		return -ENOENT;
	d = &plat->dev[dev];
	/* The same table and rule as driver_bind_all(); the address from the description. */
	drv = driver_match(d, DRIVER_CLASS_CONSOLE);
	if (!drv || !drv->class_ops.serial || !d->available || d->reg_count == 0)
		return -ENODEV;
	err = drv->class_ops.serial->port_init(platform_fdt(), d, p);
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

int serial_port_init_by_id(struct serial_port *p, const char *id, paddr_t pa, bool io_space)
{
	struct plat_device dev = { .name = id, .compatible = id, .parent = PLAT_NONE,
				   .fdt_node = PLAT_NONE, .available = true, .reg_count = 1 };
	const struct driver *drv;

	dev.compatible_len = id ? (uint32_t)strlen(id) + 1 : 0;
	dev.reg[0].base = pa;
	dev.reg_io = io_space;
	drv = driver_match(&dev, DRIVER_CLASS_CONSOLE);
	if (!drv || !drv->class_ops.serial)
		return -ENODEV;
	return drv->class_ops.serial->port_init(NULL, &dev, p);
}

void serial_console_register(const struct serial_port *p)
{
	bound = p;
}

const struct serial_port *dt_console_bound(void)
{
	return bound;
}
