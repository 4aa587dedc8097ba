// SPDX-License-Identifier: MIT
/* The console class's driver ops, shared by every UART entry of the driver table: the console
 * UART's receive interrupt, requested through its parent interrupt controller. */
#include <drivers/serial.h>
#include <kernel/console.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>

#define CONSOLE_RX_MAX_PER_IRQ 64 /* PL011 FIFO 32, 16550 16, mini UART 8: bound the loop */

static struct {
	const struct plat_device *dev; /* the console UART while bound */
	const struct serial_ops *ops;
	struct serial_port port;       /* a copy of the console's handle: the ops need only base */
	unsigned irq;
	int status;                    /* 0 while receive is interrupt-driven, else why not */
} rx = { .status = -ENODEV };

/*
 * Clear first (where the UART needs it): a byte arriving after the drain raises the
 * interrupt again. Draining through hal_console_getc() keeps one reader of the UART. A
 * level-triggered line with more than the bound waiting stays up and fires again.
 */
static void console_rx_irq(unsigned irq, void *arg)
{
	int c;

	(void)irq;
	(void)arg;
	if (rx.ops->rx_ack)
		rx.ops->rx_ack(&rx.port);
	for (int i = 0; i < CONSOLE_RX_MAX_PER_IRQ && (c = hal_console_getc()) >= 0; i++)
		console_rx_push((char)c);
}

/* The kernel drives one UART, the console the port brought up from this very device. */
static int console_port_of(const struct plat_device *dev, const struct serial_port **port)
{
	const struct platform *p = &kernel_platform;

	*port = dt_console_bound();
	if (p->console.device < 0 || dev != &p->dev[p->console.device])
		return -ENODEV; /* another UART: left alone */
	if (!*port || (*port)->node != dev->fdt_node)
		return -ENODEV; /* the console runs on a fallback UART, not on this node */
	return 0;
}

static int serial_probe(struct plat_device *dev)
{
	const struct serial_port *port;
	unsigned irq;
	int err = console_port_of(dev, &port);

	if (err)
		return err;
	err = driver_irq_number(&kernel_platform, dev, 0, &irq);
	if (!err)
		err = irq_request(irq, console_rx_irq, NULL, "console-rx");
	rx.status = err;
	if (err)
		return err;
	rx.dev = dev;
	rx.ops = dev->driver->class_ops.serial;
	rx.port = *port;
	rx.irq = irq;
	rx.ops->set_rx_irq(&rx.port, true);
	console_set_rx_irq(true);
	dev->driver_data = &rx;
	kprintf("  console: %s input by interrupt (%u)\n", port->name, irq);
	return 0;
}

/* Back to polled input: the UART's interrupt off, the handler gone. */
static int serial_remove(struct plat_device *dev)
{
	(void)dev;
	console_set_rx_irq(false);
	rx.ops->set_rx_irq(&rx.port, false);
	(void)irq_free(rx.irq);
	rx.dev = NULL;
	rx.status = -ENODEV;
	return 0;
}

static int serial_suspend(struct plat_device *dev)
{
	(void)dev;
	console_set_rx_irq(false);
	rx.ops->set_rx_irq(&rx.port, false);
	return 0;
}

static int serial_resume(struct plat_device *dev)
{
	(void)dev;
	rx.ops->set_rx_irq(&rx.port, true);
	console_set_rx_irq(true);
	return 0;
}

const struct driver_ops serial_driver_ops = {
	.probe = serial_probe,
	.remove = serial_remove,
	.suspend = serial_suspend,
	.resume = serial_resume,
};

int serial_console_rx_status(void)
{
	return rx.status;
}

const struct plat_device *serial_console_rx_device(unsigned *irq)
{
	if (rx.dev && irq)
		*irq = rx.irq;
	return rx.dev;
}
