// SPDX-License-Identifier: MIT
/* arm64 interrupt-driven console input: the stdout UART's GIC line feeds console_rx_push(). */
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

#define CONSOLE_RX_MAX_PER_IRQ 64 /* the PL011 FIFO holds 32, the mini UART's 8; bound it */

/* Copies of the console's handle: the drivers only need base. */
static struct pl011 rx_uart;
static struct bcm2835_aux rx_aux;

static void console_rx_drain(void)
{
	int c;

	for (int i = 0; i < CONSOLE_RX_MAX_PER_IRQ && (c = hal_console_getc()) >= 0; i++)
		console_rx_push((char)c);
}

static void console_rx_irq(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
	/* Clear first: a byte arriving after the drain raises the interrupt again. */
	pl011_rx_irq_ack(&rx_uart);
	console_rx_drain();
}

/*
 * The mini UART's receive interrupt is level and drops once the FIFO is empty: draining is
 * the acknowledgement. More than the bound left waiting keeps the line up, so it fires again.
 * Its GIC line (SPI 93 on the BCM2711) is shared with the two AUX SPI masters; Keel has no
 * driver for them and never enables them, so every interrupt on it is taken as the UART's.
 */
static void console_rx_irq_aux(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
	console_rx_drain();
}

int hal_console_rx_irq_enable(void)
{
	const struct serial_port *p = dt_console_bound();
	const struct fdt *fdt = arm64_fdt();
	unsigned intid;
	bool aux;
	int err;

	if (!p || p->node < 0 || !fdt) {
		kprintf("arm64: console input stays polled: the console is the Kconfig fallback "
			"UART, which has no known interrupt\n");
		return -ENODEV;
	}
	aux = strcmp(p->name, "BCM2835 mini UART") == 0;
	if (!aux && strcmp(p->name, "PL011") != 0) {
		kprintf("arm64: console input stays polled: no receive interrupt support for "
			"%s\n", p->name);
		return -ENOSYS;
	}
	/* The Pi 4 DTB gives the mini UART node its own GIC SPI (the AUX line), as the PL011. */
	err = gic_dt_irq(fdt, p->node, 0, &intid);
	if (!err)
		err = irq_request(intid, aux ? console_rx_irq_aux : console_rx_irq, NULL,
				  "console-rx");
	if (err) {
		kprintf("arm64: console input stays polled: no usable GIC interrupt for the UART "
			"(error %d)\n", err);
		return err;
	}
	if (aux) {
		rx_aux = p->u.aux;
		bcm2835_aux_set_rx_irq(&rx_aux, true);
	} else {
		rx_uart = p->u.pl011;
		pl011_set_rx_irq(&rx_uart, true);
	}
	kprintf("arm64: console input by interrupt (INTID %u)\n", intid);
	return 0;
}
