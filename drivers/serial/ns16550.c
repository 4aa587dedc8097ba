// SPDX-License-Identifier: MIT
/* NS16550A UART, polled (boot console on x86-64 and riscv64 virt). */
#include <drivers/serial.h>
#include <kernel/mmio.h>

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
