// SPDX-License-Identifier: MIT
/* arm64 interrupt-driven console input: the stdout PL011's GIC line feeds console_rx_push(). */
#include <arch/arm64.h>
#include <arch/gic.h>
#include <drivers/serial.h>
#include <kernel/console.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <lib/fdt.h>
#include <lib/string.h>

#define CONSOLE_RX_MAX_PER_IRQ 64 /* the PL011 FIFO holds 32; bound the loop anyway */

static struct pl011 rx_uart; /* a copy of the console's handle: the driver only needs base */

static void console_rx_irq(unsigned irq, void *arg)
{
	int c;

	(void)irq;
	(void)arg;
	/* Clear first: a byte arriving after the drain raises the interrupt again. */
	pl011_rx_irq_ack(&rx_uart);
	for (int i = 0; i < CONSOLE_RX_MAX_PER_IRQ && (c = hal_console_getc()) >= 0; i++)
		console_rx_push((char)c);
}

int hal_console_rx_irq_enable(void)
{
	const struct serial_port *p = dt_console_bound();
	const struct fdt *fdt = arm64_fdt();
	unsigned intid;
	int err;

	if (!p || p->node < 0 || !fdt) {
		kprintf("arm64: console input stays polled: the console is the Kconfig fallback "
			"UART, which has no known interrupt\n");
		return -ENODEV;
	}
	if (strcmp(p->name, "PL011") != 0) {
		/* The Pi's mini UART interrupts through the shared AUX line: not done yet. */
		kprintf("arm64: console input stays polled: no receive interrupt support for "
			"%s\n", p->name);
		return -ENOSYS;
	}
	err = gic_dt_irq(fdt, p->node, 0, &intid);
	if (!err)
		err = irq_request(intid, console_rx_irq, NULL, "console-rx");
	if (err) {
		kprintf("arm64: console input stays polled: no usable GIC interrupt for the UART "
			"(error %d)\n", err);
		return err;
	}
	rx_uart = p->u.pl011;
	pl011_set_rx_irq(&rx_uart, true);
	kprintf("arm64: console input by interrupt (INTID %u)\n", intid);
	return 0;
}
