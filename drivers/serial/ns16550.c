// SPDX-License-Identifier: MIT
/* NS16550A UART and compatibles (DesignWare APB UART, the PC's PNP0501 on I/O ports). */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/mmio.h>
#include <kernel/platform.h>
#include <lib/fdt.h>

/* Register numbers (before shifting), from the PC16550D data sheet. */
enum {
	UART_RBR = 0, UART_THR = 0, UART_DLL = 0,
	UART_IER = 1, UART_DLM = 1,
	UART_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
};
#define LCR_8N1  0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20
#define IER_RX_AVAILABLE 0x01
#define NS16550_NR_REGS   8 /* RBR..SCR */
#define NS16550_MAX_SHIFT 4 /* a 16-byte stride is the widest any binding uses */
#define NS16550_PC_CLOCK_HZ 1843200 /* the PC serial port's crystal (PNP0501) */
#define NS16550_PC_BAUD     115200  /* when the description keeps the firmware's (0) */

static uint8_t reg_read(const struct ns16550 *u, unsigned reg)
{
	uintptr_t addr = u->base + ((uintptr_t)reg << u->shift);

	if (u->read)
		return u->read(u, reg);
	if (u->width == 4)
		return (uint8_t)mmio_read32((const volatile void *)addr);
	return mmio_read8((const volatile void *)addr);
}

static void reg_write(const struct ns16550 *u, unsigned reg, uint8_t val)
{
	uintptr_t addr = u->base + ((uintptr_t)reg << u->shift);

	if (u->write) {
		u->write(u, reg, val);
		return;
	}
	if (u->width == 4)
		mmio_write32((volatile void *)addr, val);
	else
		mmio_write8((volatile void *)addr, val);
}

void ns16550_init(struct ns16550 *u, uint32_t clock_hz, uint32_t baud)
{
	reg_write(u, UART_IER, 0);
	if (clock_hz && baud) {
		uint32_t div = clock_hz / (16 * baud);

		reg_write(u, UART_LCR, LCR_DLAB);
		reg_write(u, UART_DLL, div & 0xff);
		reg_write(u, UART_DLM, (div >> 8) & 0xff);
	}
	reg_write(u, UART_LCR, LCR_8N1);
	reg_write(u, UART_FCR, FCR_ENABLE_CLEAR);
	reg_write(u, UART_MCR, MCR_DTR_RTS_OUT2);
}

void ns16550_putc(struct ns16550 *u, char c)
{
	while (!(reg_read(u, UART_LSR) & LSR_THR_EMPTY))
		;
	reg_write(u, UART_THR, (uint8_t)c);
}

int ns16550_getc(struct ns16550 *u)
{
	if (!(reg_read(u, UART_LSR) & LSR_DATA_READY))
		return -1;
	return reg_read(u, UART_RBR);
}

static void port_putc(struct serial_port *p, char c)
{
	ns16550_putc(&p->u.ns16550, c);
}

static int port_getc(struct serial_port *p)
{
	return ns16550_getc(&p->u.ns16550);
}

int ns16550_port_init(struct serial_port *p, paddr_t pa, unsigned shift, unsigned width)
{
	struct ns16550 *u = &p->u.ns16550;

	if (shift > NS16550_MAX_SHIFT || (width != 1 && width != 4))
		return -EINVAL;
	p->name = "NS16550";
	p->node = -1;
	p->pa = pa;
	u->base = (uintptr_t)hal_map_io(pa, (size_t)NS16550_NR_REGS << shift);
	u->shift = shift;
	u->width = width;
	u->read = NULL;
	u->write = NULL;
	if (!u->base)
		return -EINVAL;
	p->putc = port_putc;
	p->getc = port_getc;
	/* Keep the firmware's divisor: it knows the input clock, we do not need to. */
	ns16550_init(u, 0, 0);
	return 0;
}

/* Registers in the x86 I/O space: base is the port number (hal_pio_*; other ports read 0xff). */
static uint8_t pio_read(const struct ns16550 *u, unsigned reg)
{
	return hal_pio_read8((uint16_t)(u->base + reg));
}

static void pio_write(const struct ns16550 *u, unsigned reg, uint8_t val)
{
	hal_pio_write8((uint16_t)(u->base + reg), val);
}

int ns16550_port_init_io(struct serial_port *p, uint16_t port, uint32_t baud)
{
	struct ns16550 *u = &p->u.ns16550;

	if (!port || port > 0xffff - NS16550_NR_REGS)
		return -EINVAL;
	p->name = "NS16550 (I/O ports)";
	p->node = -1;
	p->pa = port;
	*u = (struct ns16550){ .base = port, .shift = 0, .width = 1, .read = pio_read,
			       .write = pio_write };
	p->putc = port_putc;
	p->getc = port_getc;
	ns16550_init(u, NS16550_PC_CLOCK_HZ, baud ? baud : NS16550_PC_BAUD);
	return 0;
}

/* "reg-shift" and "reg-io-width" are optional (bindings/serial/8250.yaml): byte registers
 * with byte access by default; the DesignWare UART uses 2 and 4. */
static int ns16550_serial_init(const struct fdt *fdt, const struct plat_device *dev,
			       struct serial_port *p)
{
	uint32_t shift = 0, width = 1;
	int err;

	if (!dev->reg_count)
		return -EINVAL;
	if (dev->reg_io) /* an ACPI PNP0501 on ports: the PC's clock, the description's baud */
		return ns16550_port_init_io(p, (uint16_t)dev->reg[0].base, kernel_platform.console.baud);
	if (fdt && dev->fdt_node >= 0 &&
	    (fdt_prop_u32(fdt, dev->fdt_node, "reg-shift", &shift) == -EINVAL ||
	     fdt_prop_u32(fdt, dev->fdt_node, "reg-io-width", &width) == -EINVAL))
		return -EINVAL;
	err = ns16550_port_init(p, dev->reg[0].base, shift, width);
	if (!err)
		p->node = dev->fdt_node;
	return err;
}

/* Receive-data-available interrupt (IER bit 0) on or off; the other IER bits are kept. */
void ns16550_set_rx_irq(struct ns16550 *u, bool on)
{
	uint8_t ier = reg_read(u, UART_IER);

	if (on)
		ier |= IER_RX_AVAILABLE;
	else
		ier &= (uint8_t)~IER_RX_AVAILABLE;
	reg_write(u, UART_IER, ier);
}

static void ns16550_serial_set_rx_irq(struct serial_port *p, bool on)
{
	ns16550_set_rx_irq(&p->u.ns16550, on);
}

/* Reading RBR until empty clears the receive interrupt: no rx_ack. */
const struct serial_ops ns16550_serial_ops = {
	.port_init = ns16550_serial_init,
	.set_rx_irq = ns16550_serial_set_rx_irq,
};
