/* SPDX-License-Identifier: MIT */
/*
 * Polled UART drivers used as the boot console (drivers/serial/). They are portable: each
 * port's hal_console_init() finds the UART (DTB or Kconfig default) and calls these.
 */
#ifndef KEEL_DRIVERS_SERIAL_H
#define KEEL_DRIVERS_SERIAL_H

#include <kernel/types.h>

/* ---- NS16550A and compatibles ---- */
struct ns16550 {
	uintptr_t base;   /* virtual MMIO address, or an I/O port number for port-mapped UARTs */
	unsigned shift;   /* register stride = 1 << shift (DTB "reg-shift") */
	unsigned width;   /* MMIO access width in bytes: 1 or 4 (DTB "reg-io-width") */
	/* Register accessors; NULL means MMIO at base + (reg << shift). A port with a separate
	 * I/O space (x86 in/out) supplies its own. */
	uint8_t (*read)(const struct ns16550 *u, unsigned reg);
	void (*write)(const struct ns16550 *u, unsigned reg, uint8_t val);
};

/* Program 8N1, FIFOs on, receive interrupt off. @clock_hz/@baud of 0 keep the firmware's divisor. */
void ns16550_init(struct ns16550 *u, uint32_t clock_hz, uint32_t baud);
void ns16550_putc(struct ns16550 *u, char c);
int ns16550_getc(struct ns16550 *u); /* -1 when nothing is waiting */
/* Turn the receive-data-available interrupt on or off (the port routes the UART line). */
void ns16550_set_rx_irq(struct ns16550 *u, bool on);

/* ---- Arm PL011 ---- */
struct pl011 {
	uintptr_t base; /* virtual MMIO address */
};

/* Enable transmit and receive, keeping the firmware's baud rate and line settings. */
void pl011_init(struct pl011 *u);
void pl011_putc(struct pl011 *u, char c);
int pl011_getc(struct pl011 *u); /* -1 when nothing is waiting */

#endif
