// SPDX-License-Identifier: MIT
/* arm64 boot console: the PL011 that /chosen/stdout-path names, else the Kconfig fallback. */
#include <arch/arm64.h>
#include <drivers/serial.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <lib/fdt.h>

#define PL011_MMIO_SIZE 0x1000

static struct pl011 uart; /* base 0 until initialised: output is dropped, not faulted */
static paddr_t uart_pa;
static const char *uart_source;

/*
 * Map @addr, an address on the bus @bus, to the address space of @bus's parent through
 * @bus's "ranges" (devicetree spec 2.3.8). An empty "ranges" is the identity; a missing
 * one means the bus is not memory-mapped. Returns 0 or a negative error.
 */
static int ranges_translate(const struct fdt *fdt, int bus, int parent, uint64_t *addr)
{
	uint32_t ac = fdt_address_cells(fdt, bus);
	uint32_t sc = fdt_size_cells(fdt, bus);
	uint32_t pac = fdt_address_cells(fdt, parent);
	uint32_t entry = (ac + pac + sc) * 4;
	const uint8_t *r;
	uint32_t len;

	r = fdt_prop(fdt, bus, "ranges", &len);
	if (!r)
		return -ENOENT;
	if (len == 0)
		return 0;
	if (ac < 1 || ac > 2 || pac < 1 || pac > 2 || sc < 1 || sc > 2)
		return -EINVAL;
	for (uint32_t off = 0; off + entry <= len; off += entry) {
		uint64_t child_base = fdt_read_cells(r + off, ac);
		uint64_t parent_base = fdt_read_cells(r + off + ac * 4, pac);
		uint64_t size = fdt_read_cells(r + off + (ac + pac) * 4, sc);

		if (*addr >= child_base && *addr - child_base < size) {
			*addr = *addr - child_base + parent_base;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * Turn the bus address @addr of @node's "reg" into a CPU physical address by walking up
 * through every ancestor bus (the Pi 4 puts its peripherals at 0x7e000000 on the bus and
 * 0xfe000000 for the CPU). Returns 0 or a negative error.
 * TODO: belongs in lib/fdt.c as fdt_translate_address(); kept here until it exists.
 */
static int translate_reg(const struct fdt *fdt, int node, uint64_t *addr)
{
	int bus = fdt_parent(fdt, node);

	while (bus >= 0) {
		int parent = fdt_parent(fdt, bus);
		int err;

		if (parent < 0)
			return 0; /* @bus is the root: its addresses are CPU addresses */
		err = ranges_translate(fdt, bus, parent, addr);
		if (err)
			return err;
		bus = parent;
	}
	return bus == -ENOENT ? 0 : bus;
}

/* Physical base of the PL011 named by stdout-path, or 0. */
static paddr_t find_stdout_pl011(const struct fdt *fdt)
{
	uint64_t addr, size;
	int node;

	if (!fdt)
		return 0;
	node = fdt_stdout_node(fdt);
	if (node < 0 || !fdt_is_compatible(fdt, node, "arm,pl011"))
		return 0;
	if (fdt_reg(fdt, node, 0, &addr, &size) < 0 || translate_reg(fdt, node, &addr) < 0)
		return 0;
	return addr;
}

static void console_start(paddr_t pa, const char *source)
{
	uart.base = (uintptr_t)hal_map_io(pa, PL011_MMIO_SIZE);
	uart_pa = pa;
	uart_source = source;
	if (uart.base)
		pl011_init(&uart);
}

void hal_console_init(const struct boot_info *bi)
{
	paddr_t pa = find_stdout_pl011(arm64_fdt());

	if (pa)
		console_start(pa, "DTB stdout-path");
	else
		console_start(CONFIG_ARM64_EARLY_UART_BASE, "Kconfig fallback");
	if (IS_ENABLED(CONFIG_ENABLE_LOG_VERBOSE) || !arm64_fdt())
		kprintf("arm64: console PL011 at %#llx (%s)%s\n", (unsigned long long)uart_pa,
			uart_source, arm64_fdt() ? "" : "; no usable DTB from the loader");
}

void arm64_console_emergency(void)
{
	if (!uart.base)
		console_start(CONFIG_ARM64_EARLY_UART_BASE, "Kconfig fallback");
}

void hal_console_putc(char c)
{
	if (uart.base)
		pl011_putc(&uart, c);
}

int hal_console_getc(void)
{
	return uart.base ? pl011_getc(&uart) : -1;
}
