// SPDX-License-Identifier: MIT
/* x86-64 console: the description's 16550 on I/O ports through the portable driver. */
#include <arch/cpu.h>
#include <arch/x86.h>
#include <drivers/serial.h>
#include <kernel/console.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>

/*
 * Which UART, at which port, raising which interrupt, comes from kernel_platform
 * (drivers/platform/platform_acpi.c: the SPCR's, else the PC's legacy serial port), built
 * before hal_console_init(). CONFIG_X86_EARLY_UART_PORT is only for output with no
 * description at all (a bad PVH start info, reported before halting).
 */
#define UART_CLOCK_HZ 1843200 /* the PC UART crystal */
#define UART_BAUD     115200  /* when the description keeps the firmware's (0) */

static uint8_t pio_read(const struct ns16550 *u, unsigned reg)
{
	return inb((uint16_t)(u->base + reg));
}

static void pio_write(const struct ns16550 *u, unsigned reg, uint8_t val)
{
	outb((uint16_t)(u->base + reg), val);
}

static struct ns16550 uart = {
	.base = CONFIG_X86_EARLY_UART_PORT,
	.shift = 0,
	.width = 1,
	.read = pio_read,
	.write = pio_write,
};

/* The description's console, when it is a UART on I/O ports; else NULL. */
static const struct plat_device *console_device(void)
{
	const struct platform *p = &kernel_platform;
	const struct plat_device *d;

	if (p->console.device < 0 || (unsigned)p->console.device >= p->dev_count)
		return NULL;
	d = &p->dev[p->console.device];
	return d->reg_io && d->reg_count ? d : NULL;
}

void hal_console_init(const struct boot_info *bi)
{
	const struct plat_device *d = bi ? console_device() : NULL;
	uint32_t baud = kernel_platform.console.baud;

	if (d)
		uart.base = (uintptr_t)d->reg[0].base;
	ns16550_init(&uart, UART_CLOCK_HZ, baud ? baud : UART_BAUD);
	if (bi && !d && kernel_platform.console.device >= 0)
		kprintf("x86: the console UART is memory-mapped, which this port cannot drive yet; "
			"using I/O port %#x\n", CONFIG_X86_EARLY_UART_PORT);
}

void hal_console_putc(char c)
{
	ns16550_putc(&uart, c);
}

int hal_console_getc(void)
{
	return ns16550_getc(&uart);
}

/* Receive interrupt: take everything the FIFO holds, which also drops the line. */
static void uart_rx_interrupt(unsigned irq, void *arg)
{
	int c;

	(void)irq;
	(void)arg;
	while ((c = ns16550_getc(&uart)) >= 0)
		console_rx_push((char)c);
}

/* The interrupt the description gives the console device, through its IOAPIC's xlate. */
int hal_console_rx_irq_enable(void)
{
	const struct plat_device *d = console_device();
	unsigned irq;
	int err;

	if (!d || !d->irq_count)
		return -ENODEV;
	err = driver_irq_number(&kernel_platform, d, 0, &irq);
	err = err ? err : irq_request(irq, uart_rx_interrupt, NULL, "uart-rx");
	if (err) {
		kprintf("x86: console receive interrupt unavailable: %d\n", err);
		return err;
	}
	ns16550_set_rx_irq(&uart, true);
	return 0;
}
