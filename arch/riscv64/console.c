// SPDX-License-Identifier: MIT
/* riscv64 boot console: the DTB's NS16550A, else the Kconfig address, else SBI putchar. */
#include <arch/riscv.h>
#include <arch/sbi.h>
#include <drivers/serial.h>
#include <kernel/errno.h>
#include <kernel/hal.h>

enum console_kind {
	CONSOLE_EARLY,		/* before hal_console_init(): SBI legacy putchar when offered */
	CONSOLE_UART,
	CONSOLE_SBI_DBCN,
	CONSOLE_SBI_LEGACY,
	CONSOLE_NONE,
};

static enum console_kind console;
static struct ns16550 uart;

static bool is_16550(const struct fdt *fdt, int node)
{
	return fdt_is_compatible(fdt, node, "ns16550a") || fdt_is_compatible(fdt, node, "ns16550");
}

/* The NS16550A /chosen/stdout-path names, or the first one in the tree. */
static int uart_from_dtb(const struct fdt *fdt, struct ns16550 *u)
{
	int node = fdt_stdout_node(fdt);
	uint64_t pa, size;
	uint32_t shift = 0, width = 1;

	if (node < 0 || !is_16550(fdt, node))
		node = fdt_find_compatible(fdt, -1, "ns16550a");
	if (node < 0)
		return node;
	if (fdt_reg(fdt, node, 0, &pa, &size) != 0)
		return -EINVAL;
	/* Both optional (bindings/serial/8250.yaml): defaults byte registers, byte access. */
	fdt_prop_u32(fdt, node, "reg-shift", &shift);
	fdt_prop_u32(fdt, node, "reg-io-width", &width);
	if (shift > 4 || (width != 1 && width != 4))
		return -EINVAL;
	u->base = (uintptr_t)hal_map_io(pa, size ? size : 8u << shift);
	u->shift = shift;
	u->width = width;
	return u->base ? 0 : -EINVAL;
}

/*
 * Without a device tree we cannot know the board: trust the Kconfig address. With a tree
 * that names no 16550, the address would be a guess, so prefer the firmware console.
 */
static bool uart_from_kconfig(struct ns16550 *u)
{
	if (riscv_fdt_ok || !CONFIG_RISCV_EARLY_UART_BASE)
		return false;
	u->base = (uintptr_t)hal_map_io(CONFIG_RISCV_EARLY_UART_BASE, 8);
	u->shift = 0;
	u->width = 1;
	return u->base != 0;
}

void hal_console_init(const struct boot_info *bi)
{
	(void)bi; /* the port parsed bi->dtb into riscv_fdt in hal_early_init() */
	if ((riscv_fdt_ok && uart_from_dtb(&riscv_fdt, &uart) == 0) || uart_from_kconfig(&uart)) {
		/* Keep the firmware's divisor: it knows the input clock, we do not need to. */
		ns16550_init(&uart, 0, 0);
		console = CONSOLE_UART;
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
		ns16550_putc(&uart, c);
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
		return ns16550_getc(&uart);
	if (console == CONSOLE_NONE || !sbi_info.has_legacy_getchar)
		return -1;
	/* Legacy getchar (SBI spec 5.3) returns -1 when nothing is waiting. */
	c = sbi_legacy_call(SBI_EXT_LEGACY_GETCHAR, 0);
	return c < 0 ? -1 : (int)(c & 0xff);
}
