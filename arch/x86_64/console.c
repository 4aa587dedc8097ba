// SPDX-License-Identifier: MIT
/* x86-64 console: the COM1 16550 through the portable driver (port I/O), receive by interrupt. */
#include <arch/cpu.h>
#include <arch/x86.h>
#include <drivers/serial.h>
#include <kernel/console.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>

#define COM_CLOCK_HZ 1843200 /* the PC UART crystal */
#define COM_BAUD     115200
#define COM1_ISA_IRQ 4       /* routed to a GSI by the MADT's overrides, if any */

static uint8_t pio_read(const struct ns16550 *u, unsigned reg)
{
	return inb((uint16_t)(u->base + reg));
}

static void pio_write(const struct ns16550 *u, unsigned reg, uint8_t val)
{
	outb((uint16_t)(u->base + reg), val);
}

static struct ns16550 com1 = {
	.base = CONFIG_X86_COM1_PORT,
	.shift = 0,
	.width = 1,
	.read = pio_read,
	.write = pio_write,
};

void hal_console_init(const struct boot_info *bi)
{
	/* The port comes from Kconfig: PCs have no firmware table naming the console. */
	ns16550_init(&com1, COM_CLOCK_HZ, COM_BAUD);
}

void hal_console_putc(char c)
{
	ns16550_putc(&com1, c);
}

int hal_console_getc(void)
{
	return ns16550_getc(&com1);
}

/* COM1 receive interrupt: take everything the FIFO holds, which also drops the line. */
static void com1_rx_interrupt(unsigned irq, void *arg)
{
	int c;

	while ((c = ns16550_getc(&com1)) >= 0)
		console_rx_push((char)c);
}

int hal_console_rx_irq_enable(void)
{
	unsigned gsi = x86_isa_irq_to_gsi(COM1_ISA_IRQ);
	int err;

	err = irq_request(gsi, com1_rx_interrupt, NULL, "com1");
	if (err) {
		kprintf("x86: COM1 receive interrupt (GSI %u) unavailable: %d\n", gsi, err);
		return err;
	}
	ns16550_set_rx_irq(&com1, true);
	return 0;
}
