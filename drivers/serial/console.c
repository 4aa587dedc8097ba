// SPDX-License-Identifier: MIT
/* The console class's driver ops, shared by every UART entry of the driver table. */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/platform.h>

/*
 * The kernel drives one UART, the console, which the port brought up before the description
 * existed (dt_console_init()). Binding it through the table (receive interrupt) is not wired
 * yet: every UART declines (-ENODEV), which driver_bind_all() counts as "declined".
 */
static int serial_probe(struct plat_device *dev)
{
	(void)dev;
	return -ENODEV;
}

const struct driver_ops serial_driver_ops = {
	.probe = serial_probe,
};
