// SPDX-License-Identifier: MIT
/* The driver table and device-tree binding helpers (see include/kernel/driver.h). */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <lib/fdt.h>
#include <lib/string.h>

static const char *const pl011_compatible[] = { "arm,pl011", "arm,primecell", NULL };
static const char *const bcm2835_aux_compatible[] = { "brcm,bcm2835-aux-uart", NULL };
static const char *const ns16550_compatible[] = {
	"ns16550a", "ns16550", "snps,dw-apb-uart", NULL,
};

/*
 * Every driver the kernel can bind from a device tree. "arm,primecell" is generic (any
 * PrimeCell peripheral claims it) but dt_match() tries the node's own list in order, so a
 * PrimeCell that is not a PL011 says so first and only a bare "arm,primecell" falls to us.
 */
const struct dt_driver dt_drivers[] = {
	{ "pl011", DT_CLASS_SERIAL, pl011_compatible, { .serial = pl011_dt_probe } },
	{ "bcm2835-aux", DT_CLASS_SERIAL, bcm2835_aux_compatible,
	  { .serial = bcm2835_aux_dt_probe } },
	{ "ns16550", DT_CLASS_SERIAL, ns16550_compatible, { .serial = ns16550_dt_probe } },
};

const unsigned dt_driver_count = sizeof(dt_drivers) / sizeof(dt_drivers[0]);

/* The driver of @class listing @compat, or NULL. */
static const struct dt_driver *driver_for(const char *compat, enum dt_class class)
{
	for (unsigned i = 0; i < dt_driver_count; i++) {
		const struct dt_driver *d = &dt_drivers[i];

		if (d->class != class)
			continue;
		for (const char *const *c = d->compatible; *c; c++)
			if (!strcmp(*c, compat))
				return d;
	}
	return NULL;
}

const struct dt_driver *dt_match(const struct fdt *fdt, int node, enum dt_class class)
{
	const char *compat;

	/* The node lists its compatibles most specific first (devicetree spec 2.3.1). */
	for (unsigned i = 0; (compat = fdt_prop_string_index(fdt, node, "compatible", i)); i++) {
		const struct dt_driver *d = driver_for(compat, class);

		if (d)
			return d;
	}
	return NULL;
}

bool dt_node_available(const struct fdt *fdt, int node)
{
	uint32_t len;
	const char *status = fdt_prop(fdt, node, "status", &len);

	if (!status)
		return true;
	/* Compare the whole value so that "okayish" or an unterminated "okay" is not okay. */
	return (len == 5 && !memcmp(status, "okay", 5)) || (len == 3 && !memcmp(status, "ok", 3));
}

int dt_reg(const struct fdt *fdt, int node, unsigned index, paddr_t *base, uint64_t *size)
{
	uint64_t addr, sz;
	int err = fdt_reg(fdt, node, index, &addr, &sz);

	if (!err)
		err = fdt_translate_address(fdt, node, &addr);
	if (err)
		return err;
	if (base)
		*base = addr;
	if (size)
		*size = sz;
	return 0;
}

int dt_device_init(struct dt_device *dev, const struct fdt *fdt, int node)
{
	dev->fdt = fdt;
	dev->node = node;
	return dt_reg(fdt, node, 0, &dev->base, &dev->size);
}
