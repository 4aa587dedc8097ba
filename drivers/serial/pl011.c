// SPDX-License-Identifier: MIT
/* Arm PL011 UART, polled (boot console on arm64 virt and the Raspberry Pi 4). */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/mmio.h>
#include <kernel/platform.h>

/* Register offsets and bits, from the PL011 TRM (ARM DDI 0183). */
#define UARTDR   0x00
#define UARTFR   0x18
#define UARTCR   0x30
#define UARTIMSC 0x38
#define FR_RXFE  (1u << 4) /* receive FIFO empty */
#define FR_TXFF  (1u << 5) /* transmit FIFO full */
#define CR_UARTEN (1u << 0)
#define CR_TXE   (1u << 8)
#define CR_RXE   (1u << 9)
#define PL011_MMIO_SIZE 0x1000 /* one 4 KiB PrimeCell register page */

static volatile void *reg(const struct pl011 *u, uintptr_t off)
{
	return (volatile void *)(u->base + off);
}

void pl011_init(struct pl011 *u)
{
	mmio_write32(reg(u, UARTIMSC), 0);
	mmio_write32(reg(u, UARTCR), mmio_read32(reg(u, UARTCR)) | CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_putc(struct pl011 *u, char c)
{
	while (mmio_read32(reg(u, UARTFR)) & FR_TXFF)
		;
	mmio_write32(reg(u, UARTDR), (uint8_t)c);
}

int pl011_getc(struct pl011 *u)
{
	if (mmio_read32(reg(u, UARTFR)) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(reg(u, UARTDR)) & 0xff);
}

static void port_putc(struct serial_port *p, char c)
{
	pl011_putc(&p->u.pl011, c);
}

static int port_getc(struct serial_port *p)
{
	return pl011_getc(&p->u.pl011);
}

int pl011_port_init(struct serial_port *p, paddr_t pa)
{
	p->name = "PL011";
	p->node = -1;
	p->pa = pa;
	p->u.pl011.base = (uintptr_t)hal_map_io(pa, PL011_MMIO_SIZE);
	if (!p->u.pl011.base)
		return -EINVAL;
	p->putc = port_putc;
	p->getc = port_getc;
	pl011_init(&p->u.pl011);
	return 0;
}

static int pl011_serial_init(const struct fdt *fdt, const struct plat_device *dev,
			     struct serial_port *p)
{
	int err;

	(void)fdt;
	if (!dev->reg_count)
		return -EINVAL;
	err = pl011_port_init(p, dev->reg[0].base);
	if (!err)
		p->node = dev->fdt_node;
	return err;
}

/* Receive interrupts (PL011 TRM 3.4): RX when the FIFO reaches its trigger level, RT when it
 * holds data nobody has read for 32 bit periods. Both clear as the FIFO is read; ICR clears
 * them outright. */
#define UARTICR  0x44
#define INT_RX   (1u << 4)
#define INT_RT   (1u << 6)

void pl011_set_rx_irq(struct pl011 *u, bool on)
{
	uint32_t imsc = mmio_read32(reg(u, UARTIMSC)) & ~(INT_RX | INT_RT);

	mmio_write32(reg(u, UARTICR), INT_RX | INT_RT);
	mmio_write32(reg(u, UARTIMSC), on ? imsc | INT_RX | INT_RT : imsc);
}

void pl011_rx_irq_ack(struct pl011 *u)
{
	mmio_write32(reg(u, UARTICR), INT_RX | INT_RT);
}

static void pl011_serial_set_rx_irq(struct serial_port *p, bool on)
{
	pl011_set_rx_irq(&p->u.pl011, on);
}

static void pl011_serial_rx_ack(struct serial_port *p)
{
	pl011_rx_irq_ack(&p->u.pl011);
}

const struct serial_ops pl011_serial_ops = {
	.port_init = pl011_serial_init,
	.set_rx_irq = pl011_serial_set_rx_irq,
	.rx_ack = pl011_serial_rx_ack,
};
