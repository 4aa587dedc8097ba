// SPDX-License-Identifier: MIT
/* riscv64 interrupt-driven console input: the stdout UART's PLIC line feeds console_rx_push(). */
#include <arch/riscv.h>
#include <drivers/serial.h>
#include <kernel/console.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <lib/string.h>

#define CONSOLE_RX_MAX_PER_IRQ 64 /* the 16550 FIFO holds 16; bound the loop anyway */

/* The interrupt parent of @node: its own or its nearest ancestor's "interrupt-parent". */
static int interrupt_parent(const struct fdt *fdt, int node)
{
	uint32_t ph;

	for (int n = node; n >= 0; n = fdt_parent(fdt, n))
		if (fdt_prop_u32(fdt, n, "interrupt-parent", &ph) == 0)
			return fdt_node_by_phandle(fdt, ph);
	return -ENOENT;
}

/* The PLIC source of @node's first interrupt, from "interrupts" (one cell on the PLIC) or
 * "interrupts-extended" (<&plic source>). */
static int uart_plic_source(const struct fdt *fdt, int node, unsigned *src)
{
	uint32_t len;
	const uint8_t *p = fdt_prop(fdt, node, "interrupts-extended", &len);
	int plic = riscv_plic_node();

	if (p && len >= 8) {
		if (fdt_node_by_phandle(fdt, (uint32_t)fdt_read_cells(p, 1)) != plic)
			return -ENODEV;
		*src = (unsigned)fdt_read_cells(p + 4, 1);
		return 0;
	}
	p = fdt_prop(fdt, node, "interrupts", &len);
	if (!p || len < 4)
		return -ENOENT;
	if (interrupt_parent(fdt, node) != plic)
		return -ENODEV;
	*src = (unsigned)fdt_read_cells(p, 1);
	return 0;
}

static void console_rx_irq(unsigned irq, void *arg)
{
	int c;

	(void)irq;
	(void)arg;
	/* Reading RBR until empty also clears the 16550's receive interrupt. */
	for (int i = 0; i < CONSOLE_RX_MAX_PER_IRQ && (c = hal_console_getc()) >= 0; i++)
		console_rx_push((char)c);
}

int hal_console_rx_irq_enable(void)
{
	const struct serial_port *p = dt_console_bound();
	struct ns16550 u;
	unsigned src;
	int err;

	if (!p || p->node < 0 || !riscv_fdt_ok) {
		kprintf("riscv64: console input stays polled: the console is not a device-tree "
			"UART (SBI or Kconfig fallback), so it has no interrupt\n");
		return -ENOSYS;
	}
	if (strcmp(p->name, "NS16550") != 0) {
		kprintf("riscv64: console input stays polled: no receive interrupt support for "
			"%s\n", p->name);
		return -ENOSYS;
	}
	err = riscv_plic_context() < 0 ? -ENODEV : uart_plic_source(&riscv_fdt, p->node, &src);
	if (!err)
		err = irq_request(src, console_rx_irq, NULL, "console-rx");
	if (err) {
		kprintf("riscv64: console input stays polled: no usable PLIC interrupt for the "
			"UART (error %d)\n", err);
		return err;
	}
	/* The driver only touches the registers: a copy of the handle is as good. */
	u = p->u.ns16550;
	ns16550_set_rx_irq(&u, true);
	kprintf("riscv64: console input by interrupt (PLIC source %u)\n", src);
	return 0;
}
