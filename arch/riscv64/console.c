// SPDX-License-Identifier: MIT
/* riscv64 boot console: the DTB's stdout UART, else the Kconfig fallback UART, else SBI putchar. */
#include <arch/riscv.h>
#include <arch/sbi.h>
#include <drivers/serial.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/platform.h>

enum console_kind {
	CONSOLE_EARLY,		/* before hal_console_init(): SBI legacy putchar when offered */
	CONSOLE_UART,
	CONSOLE_SBI_DBCN,
	CONSOLE_SBI_LEGACY,
	CONSOLE_NONE,
};

static enum console_kind console;
static struct serial_port uart;

/* The UART /chosen/stdout-path names, or else the first of the Kconfig kind in the tree. */
static int uart_from_dtb(const struct platform *p, struct serial_port *u)
{
	if (dt_console_init_platform(p, u) == 0)
		return 0;
	return dt_console_bind_device(p, platform_find_compatible(p, PLAT_NONE,
								CONFIG_RISCV_EARLY_UART_COMPAT), u);
}

/*
 * Without a device tree we cannot know the board: trust the Kconfig address. With a tree
 * that names no such UART, the address would be a guess, so prefer the firmware console.
 */
static bool uart_from_kconfig(struct serial_port *u)
{
	if (riscv_fdt_ok || !CONFIG_RISCV_EARLY_UART_BASE)
		return false;
	return serial_port_init_by_id(u, CONFIG_RISCV_EARLY_UART_COMPAT,
				      CONFIG_RISCV_EARLY_UART_BASE, false) == 0;
}

void hal_console_init(const struct boot_info *bi)
{
	(void)bi; /* platform_init() read bi->dtb into kernel_platform */
	if ((riscv_fdt_ok && uart_from_dtb(&kernel_platform, &uart) == 0) ||
	    uart_from_kconfig(&uart)) {
		console = CONSOLE_UART; /* the drivers keep the firmware's baud divisor */
	} else if (sbi_info.has_dbcn) {
		console = CONSOLE_SBI_DBCN;
	} else if (sbi_info.has_legacy_putchar) {
		console = CONSOLE_SBI_LEGACY;
	} else {
		console = CONSOLE_NONE;
	}
}

void hal_console_putc(char c)
{
	switch (console) {
	case CONSOLE_UART:
		serial_putc(&uart, c);
		break;
	case CONSOLE_SBI_DBCN:
		sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (unsigned char)c, 0, 0);
		break;
	case CONSOLE_EARLY:
	case CONSOLE_SBI_LEGACY:
		/* Early output matters most when something broke before the console came up. */
		if (sbi_info.has_legacy_putchar)
			sbi_legacy_call(SBI_EXT_LEGACY_PUTCHAR, (unsigned char)c);
		break;
	case CONSOLE_NONE:
		break;
	}
}

int hal_console_getc(void)
{
	long c;

	if (console == CONSOLE_UART)
		return serial_getc(&uart);
	if (console == CONSOLE_NONE || !sbi_info.has_legacy_getchar)
		return -1;
	/* Legacy getchar (SBI spec 5.3) returns -1 when nothing is waiting. */
	c = sbi_legacy_call(SBI_EXT_LEGACY_GETCHAR, 0);
	return c < 0 ? -1 : (int)(c & 0xff);
}

/* The console UART's driver (drivers/serial/console.c) switched receive interrupts on when
 * driver_bind_all() bound it; this only reports the outcome (-ENODEV under the SBI console). */
int hal_console_rx_irq_enable(void)
{
	return serial_console_rx_status();
}
