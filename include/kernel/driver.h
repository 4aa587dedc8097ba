/* SPDX-License-Identifier: MIT */
/*
 * Device binding by device-tree "compatible" string. Every driver the kernel can bind is one
 * entry of a static table in drivers/dt.c (no linker-section registration: the table is the
 * list, readable at a glance). A driver names the compatible strings it handles and a probe
 * function typed for its class; dt_match() picks the driver for a node the way the devicetree
 * spec asks (2.3.1): the node's most specific compatible string that some driver knows wins.
 */
#ifndef KEEL_KERNEL_DRIVER_H
#define KEEL_KERNEL_DRIVER_H

#include <kernel/types.h>

struct fdt;
struct serial_port;

enum dt_class {
	DT_CLASS_SERIAL = 1, /* console UARTs: probe.serial */
};

/* A node being bound: the tree, the node, and its first "reg" entry in CPU addresses. */
struct dt_device {
	const struct fdt *fdt;
	int node;
	paddr_t base;  /* "reg" entry 0 after every ancestor's "ranges" */
	uint64_t size; /* its size (0 when the bus has #size-cells = 0) */
};

struct dt_driver {
	const char *name;
	enum dt_class class;
	const char *const *compatible; /* NULL-terminated */
	union {
		/* Bring the UART up as @port; 0 or a negative error (then @port is unusable). */
		int (*serial)(const struct dt_device *dev, struct serial_port *port);
	} probe;
};

/* The driver table (drivers/dt.c) and its length, for tests and diagnostics. */
extern const struct dt_driver dt_drivers[];
extern const unsigned dt_driver_count;

/*
 * The driver of class @class for @node: the first of @node's compatible strings (most
 * specific first) that a driver of that class lists. NULL when none does.
 */
const struct dt_driver *dt_match(const struct fdt *fdt, int node, enum dt_class class);

/* True when @node's "status" is absent, "okay" or "ok" (devicetree spec 2.3.4). */
bool dt_node_available(const struct fdt *fdt, int node);

/*
 * Entry @index of @node's "reg" as a CPU physical address (fdt_reg() then
 * fdt_translate_address()). 0, or a negative error from either.
 */
int dt_reg(const struct fdt *fdt, int node, unsigned index, paddr_t *base, uint64_t *size);

/* Fill @dev for @node: its first "reg" entry, translated. 0 or a negative error. */
int dt_device_init(struct dt_device *dev, const struct fdt *fdt, int node);

#endif
