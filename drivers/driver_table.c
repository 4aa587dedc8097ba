// SPDX-License-Identifier: MIT
/* The driver table: every driver the kernel can bind, with the compatible ids it handles. */
#include <drivers/serial.h>
#include <kernel/driver.h>

static const char *const pl011_ids[] = { "arm,pl011", "arm,primecell", NULL };
static const char *const bcm2835_aux_ids[] = { "brcm,bcm2835-aux-uart", NULL };
static const char *const ns16550_ids[] = { "ns16550a", "ns16550", "snps,dw-apb-uart", NULL };

/*
 * Order matters only among drivers listing the same id (the first wins); otherwise the
 * device's own list decides (driver_match()). "arm,primecell" is generic (any PrimeCell
 * peripheral claims it), but a PrimeCell that is not a PL011 names itself first, so only a
 * bare "arm,primecell" falls to the PL011 driver.
 */
const struct driver driver_table[] = {
	/* Consoles */
	{ "pl011", DRIVER_CLASS_CONSOLE, pl011_ids, &serial_driver_ops,
	  { .serial = &pl011_serial_ops } },
	{ "bcm2835-aux", DRIVER_CLASS_CONSOLE, bcm2835_aux_ids, &serial_driver_ops,
	  { .serial = &bcm2835_aux_serial_ops } },
	{ "ns16550", DRIVER_CLASS_CONSOLE, ns16550_ids, &serial_driver_ops,
	  { .serial = &ns16550_serial_ops } },
};

const unsigned driver_table_count = sizeof(driver_table) / sizeof(driver_table[0]);
