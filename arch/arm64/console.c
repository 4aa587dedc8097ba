// SPDX-License-Identifier: MIT
/* arm64 boot console: the UART /chosen/stdout-path names, else the Kconfig fallback UART. */
#include <arch/arm64.h>
#include <drivers/serial.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>

static struct serial_port uart;
static bool uart_up; /* false until initialised: output is dropped, not faulted */
static const char *uart_source;

/* The Kconfig address is a guess about the board: used only when the DTB names no UART
 * we can drive (or there is no DTB at all). */
static void console_fallback(void)
{
	uart_up = serial_port_init_by_id(&uart, CONFIG_ARM64_EARLY_UART_COMPAT,
					 CONFIG_ARM64_EARLY_UART_BASE, false) == 0;
	uart_source = "Kconfig fallback";
}

void hal_console_init(const struct boot_info *bi)
{
	int err = dt_console_init_platform(&kernel_platform, &uart);

	if (err == 0) {
		uart_up = true;
		uart_source = "DTB stdout-path";
	} else {
		console_fallback();
	}
	if (IS_ENABLED(CONFIG_ENABLE_LOG_VERBOSE) || err)
		kprintf("arm64: console %s at %#llx (%s)%s\n", uart.name,
			(unsigned long long)uart.pa, uart_source,
			!platform_fdt() ? "; no usable DTB from the loader" :
			err ? "; the DTB's stdout-path names no UART we drive" : "");
}

void arm64_console_emergency(void)
{
	if (!uart_up)
		console_fallback();
}

void hal_console_putc(char c)
{
	if (uart_up)
		serial_putc(&uart, c);
}

int hal_console_getc(void)
{
	return uart_up ? serial_getc(&uart) : -1;
}

/* The console UART's driver (drivers/serial/console.c) switched receive interrupts on when
 * driver_bind_all() bound it; this only reports the outcome. */
int hal_console_rx_irq_enable(void)
{
	return serial_console_rx_status();
}
