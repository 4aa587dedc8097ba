// SPDX-License-Identifier: MIT
/* x86-64 boot console: the description's serial port through drivers/serial, else the early port. */
#include <drivers/serial.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>

/*
 * platform_init() has built kernel_platform before hal_console_init(): the console is the
 * device it names (drivers/platform/platform_acpi.c: the ACPI SPCR's UART, else the PC's
 * legacy serial port), brought up by its driver (drivers/serial/ns16550.c on I/O ports via
 * hal_pio_*), and its receive interrupt is requested by the console driver when
 * driver_bind_all() binds it (drivers/serial/console.c). CONFIG_X86_EARLY_UART_PORT is used
 * only when there is no description or its console cannot be driven: with no firmware table
 * at all, a fixed port is the one thing left that can say what went wrong.
 */
static struct serial_port uart;

void hal_console_init(const struct boot_info *bi)
{
	int err = bi ? dt_console_init_platform(&kernel_platform, &uart) : -ENOENT;

	if (!err)
		return;
	(void)serial_port_init_by_id(&uart, CONFIG_X86_EARLY_UART_COMPAT, CONFIG_X86_EARLY_UART_PORT,
				     true);
	if (bi)
		kprintf("x86: the described console cannot be driven (%d); output on I/O port %#x\n",
			err, CONFIG_X86_EARLY_UART_PORT);
}

void hal_console_putc(char c)
{
	if (uart.putc)
		serial_putc(&uart, c);
}

int hal_console_getc(void)
{
	return uart.getc ? serial_getc(&uart) : -1;
}

/* The console UART's driver switched receive interrupts on when driver_bind_all() bound it;
 * this only reports the outcome. */
int hal_console_rx_irq_enable(void)
{
	return serial_console_rx_status();
}
