// SPDX-License-Identifier: MIT
/* x86-64 boot console: the COM1 16550 through the portable driver, with port I/O accessors. */
#include <arch/x86.h>
#include <drivers/serial.h>
#include <kernel/hal.h>

#define COM_CLOCK_HZ 1843200 /* the PC UART crystal */
#define COM_BAUD     115200

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
