// SPDX-License-Identifier: MIT
/* BCM2835/BCM2711 mini UART (AUX UART1), the Pi 4's default console: polled or IRQ receive. */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/mmio.h>
#include <kernel/platform.h>

/*
 * Registers, relative to AUX_MU_IO_REG ("BCM2711 ARM Peripherals" 2.2; the same block as the
 * BCM2835's). The DTB's uart1 node ("brcm,bcm2835-aux-uart") has exactly this block as its
 * reg: 0x7e215040 on the bus, 0xfe215040 for the CPU in low-peripheral mode.
 */
#define AUX_MU_IO    0x00 /* data (with DLAB clear) */
#define AUX_MU_IER   0x04 /* interrupt enables */
#define AUX_MU_LSR   0x14 /* line status */
#define AUX_MU_CNTL  0x20 /* extra control: receiver/transmitter enable */
#define AUX_MU_SIZE  0x40

#define LSR_DATA_READY (1u << 0) /* the receive FIFO holds at least one byte */
#define LSR_TX_EMPTY   (1u << 5) /* the transmit FIFO can take at least one byte */
#define CNTL_RX_ENABLE (1u << 0)
#define CNTL_TX_ENABLE (1u << 1)

/*
 * AUX_MU_IER. The BCM2835 datasheet's table names bit 0 "transmit" and bit 1 "receive", but
 * the hardware (and its published errata) has them the other way round: bit 0 is the
 * receive interrupt, bit 1 the transmit one. The errata also say bits 3:2, listed as
 * reserved, must be set for the UART to raise interrupts at all; setting them is harmless
 * where they do nothing. The receive interrupt is level: it stays pending while the receive
 * FIFO holds a byte, so reading the FIFO empty is the acknowledgement (AUX_MU_IIR's write
 * bits clear FIFOs, not interrupts, and are not touched).
 */
#define IER_RX_IRQ     (1u << 0)
#define IER_IRQ_GATE   (3u << 2)

/* The MU registers sit 0x40 into the AUX block (after AUX_IRQ/AUX_ENABLES). */
#define AUX_MU_OFFSET 0x40
#define AUX_BLOCK_ALIGN 0x100

static volatile void *reg(const struct bcm2835_aux *u, uintptr_t off)
{
	return (volatile void *)(u->base + off);
}

/*
 * Only the enables: the divisor (AUX_MU_BAUD) counts VPU core-clock cycles, and the core
 * clock is the firmware's to choose (it changes with enable_uart and core_freq), so
 * whatever firmware or U-Boot programmed is the only value known to be right.
 * The UART itself must already be switched on in AUX_ENABLES: an unset divisor would give
 * garbage anyway, so turning it on here would not give a working console.
 */
void bcm2835_aux_init(struct bcm2835_aux *u)
{
	mmio_write32(reg(u, AUX_MU_IER), 0); /* polled: no interrupts */
	mmio_write32(reg(u, AUX_MU_CNTL),
		     mmio_read32(reg(u, AUX_MU_CNTL)) | CNTL_RX_ENABLE | CNTL_TX_ENABLE);
}

void bcm2835_aux_putc(struct bcm2835_aux *u, char c)
{
	while (!(mmio_read32(reg(u, AUX_MU_LSR)) & LSR_TX_EMPTY))
		;
	mmio_write32(reg(u, AUX_MU_IO), (uint8_t)c);
}

int bcm2835_aux_getc(struct bcm2835_aux *u)
{
	if (!(mmio_read32(reg(u, AUX_MU_LSR)) & LSR_DATA_READY))
		return -1;
	return (int)(mmio_read32(reg(u, AUX_MU_IO)) & 0xff);
}

void bcm2835_aux_set_rx_irq(struct bcm2835_aux *u, bool on)
{
	/* The transmit interrupt stays off: output is polled. */
	mmio_write32(reg(u, AUX_MU_IER), on ? IER_RX_IRQ | IER_IRQ_GATE : 0);
}

static void port_putc(struct serial_port *p, char c)
{
	bcm2835_aux_putc(&p->u.aux, c);
}

static int port_getc(struct serial_port *p)
{
	return bcm2835_aux_getc(&p->u.aux);
}

/* @pa is AUX_MU_IO_REG's physical address. */
int bcm2835_aux_port_init(struct serial_port *p, paddr_t pa)
{
	p->name = "BCM2835 mini UART";
	p->node = -1;
	p->pa = pa;
	p->u.aux.base = (uintptr_t)hal_map_io(pa, AUX_MU_SIZE);
	if (!p->u.aux.base)
		return -EINVAL;
	p->putc = port_putc;
	p->getc = port_getc;
	bcm2835_aux_init(&p->u.aux);
	return 0;
}

/*
 * The binding gives the MU registers as the node's reg. A tree that gives the whole AUX block
 * instead (base on a 0x100 boundary, as the AUX block is and the MU block is not) still works:
 * the MU registers are then 0x40 into it.
 */
static int bcm2835_aux_serial_init(const struct fdt *fdt, const struct plat_device *dev,
				   struct serial_port *p)
{
	paddr_t pa;
	int err;

	(void)fdt;
	if (!dev->reg_count)
		return -EINVAL;
	pa = dev->reg[0].base;
	if (pa % AUX_BLOCK_ALIGN == 0)
		pa += AUX_MU_OFFSET;
	err = bcm2835_aux_port_init(p, pa);
	if (!err)
		p->node = dev->fdt_node;
	return err;
}

static void bcm2835_aux_serial_set_rx_irq(struct serial_port *p, bool on)
{
	bcm2835_aux_set_rx_irq(&p->u.aux, on);
}

/* The receive interrupt is level and drops once the FIFO is read empty: draining is the
 * acknowledgement, so there is no rx_ack. */
const struct serial_ops bcm2835_aux_serial_ops = {
	.port_init = bcm2835_aux_serial_init,
	.set_rx_irq = bcm2835_aux_serial_set_rx_irq,
};
