/* SPDX-License-Identifier: MIT */
/*
 * Polled UART drivers used as the boot console (drivers/serial/). They are portable: each
 * port's hal_console_init() binds the UART the DTB names (dt_console_init()) or, failing
 * that, sets one up at its Kconfig default address.
 */
#ifndef KEEL_DRIVERS_SERIAL_H
#define KEEL_DRIVERS_SERIAL_H

#include <kernel/types.h>

struct fdt;
struct driver_ops;
struct plat_device;
struct serial_port;

/* ---- NS16550A and compatibles ---- */
struct ns16550 {
	uintptr_t base;   /* virtual MMIO address, or an I/O port number for port-mapped UARTs */
	unsigned shift;   /* register stride = 1 << shift (DTB "reg-shift") */
	unsigned width;   /* MMIO access width in bytes: 1 or 4 (DTB "reg-io-width") */
	/* Register accessors; NULL means MMIO at base + (reg << shift). A port with a separate
	 * I/O space (x86 in/out) supplies its own. */
	uint8_t (*read)(const struct ns16550 *u, unsigned reg);
	void (*write)(const struct ns16550 *u, unsigned reg, uint8_t val);
};

/* Program 8N1, FIFOs on, receive interrupt off. @clock_hz/@baud of 0 keep the firmware's divisor. */
void ns16550_init(struct ns16550 *u, uint32_t clock_hz, uint32_t baud);
void ns16550_putc(struct ns16550 *u, char c);
int ns16550_getc(struct ns16550 *u); /* -1 when nothing is waiting */
/* Turn the receive-data-available interrupt on or off (the port routes the UART line). */
void ns16550_set_rx_irq(struct ns16550 *u, bool on);

/* ---- Arm PL011 ---- */
struct pl011 {
	uintptr_t base; /* virtual MMIO address */
};

/* Enable transmit and receive, keeping the firmware's baud rate and line settings. */
void pl011_init(struct pl011 *u);
void pl011_putc(struct pl011 *u, char c);
int pl011_getc(struct pl011 *u); /* -1 when nothing is waiting */
/* Turn the receive and receive-timeout interrupts on or off (the port routes the line). */
void pl011_set_rx_irq(struct pl011 *u, bool on);
/* Clear both receive interrupts; call before draining the FIFO so a later byte re-raises it. */
void pl011_rx_irq_ack(struct pl011 *u);

/* ---- BCM2835/BCM2711 mini UART (the AUX block's UART1) ---- */
struct bcm2835_aux {
	uintptr_t base; /* virtual address of the AUX_MU_IO register (AUX block + 0x40) */
};

/* Enable transmit and receive; the baud rate stays as firmware set it (it derives from
 * the VPU core clock, which only firmware knows). */
void bcm2835_aux_init(struct bcm2835_aux *u);
void bcm2835_aux_putc(struct bcm2835_aux *u, char c);
int bcm2835_aux_getc(struct bcm2835_aux *u); /* -1 when nothing is waiting */
/* Turn the receive interrupt on or off (the port routes the AUX line). It is level and
 * clears once the receive FIFO is read empty: there is no separate acknowledgement. */
void bcm2835_aux_set_rx_irq(struct bcm2835_aux *u, bool on);

/* ---- Any of the above, as one console port ---- */
struct serial_port {
	const char *name;           /* driver name, for messages */
	int node;                   /* device-tree node it was bound from, or -1 */
	paddr_t pa;                 /* physical base of its registers */
	void (*putc)(struct serial_port *p, char c);
	int (*getc)(struct serial_port *p);
	union {
		struct ns16550 ns16550;
		struct pl011 pl011;
		struct bcm2835_aux aux;
	} u;
};

static inline void serial_putc(struct serial_port *p, char c)
{
	p->putc(p, c);
}

static inline int serial_getc(struct serial_port *p)
{
	return p->getc(p);
}

/* Set @p up as a UART at physical @pa (map it, program it). 0, or -EINVAL when @pa cannot
 * be mapped. For device-tree probes and for a port's Kconfig fallback address. */
int pl011_port_init(struct serial_port *p, paddr_t pa);
int bcm2835_aux_port_init(struct serial_port *p, paddr_t pa);
int ns16550_port_init(struct serial_port *p, paddr_t pa, unsigned shift, unsigned width);
/* Set @p up as a PC 16550 on I/O ports @port.. (x86: hal_pio_*), 1.8432 MHz clock, @baud
 * (0: 115200). 0, or -EINVAL for a port range past 0xffff. */
int ns16550_port_init_io(struct serial_port *p, uint16_t port, uint32_t baud);

/*
 * The console class of the device model (DRIVER_CLASS_CONSOLE): what each UART driver in the
 * driver table (drivers/driver_table.c) offers through driver.class_ops.serial.
 */
struct serial_ops {
	/*
	 * Bring @dev (its reg[0]) up as @p: map and program it. Properties the description does
	 * not carry (reg-shift, reg-io-width) are read from @fdt at dev->fdt_node when @fdt is not
	 * NULL. 0 or a negative error; on failure @p is unusable. Boot context.
	 */
	int (*port_init)(const struct fdt *fdt, const struct plat_device *dev,
			 struct serial_port *p);
	/* Receive interrupt on or off. */
	void (*set_rx_irq)(struct serial_port *p, bool on);
	/* Clear the receive interrupt before draining the FIFO, so that a byte arriving after
	 * the drain raises it again. NULL when draining is the acknowledgement. */
	void (*rx_ack)(struct serial_port *p);
};

extern const struct serial_ops pl011_serial_ops;
extern const struct serial_ops bcm2835_aux_serial_ops;
extern const struct serial_ops ns16550_serial_ops;

/*
 * The driver ops every UART entry of the table shares (drivers/serial/console.c). Only the
 * console UART (kernel_platform.console.device, when the port's console runs on it) is
 * driven: probe requests its receive interrupt (dev->irq[0] through the parent controller's
 * xlate) and switches the console to interrupt-driven input; remove goes back to polling;
 * suspend/resume switch the UART's receive interrupt off/on. Every other UART declines
 * (-ENODEV) and is left alone.
 */
extern const struct driver_ops serial_driver_ops;

/* 0 while console input is interrupt-driven; else why not (-ENODEV: no console UART bound,
 * or the error its probe returned). For the ports' hal_console_rx_irq_enable(). */
int serial_console_rx_status(void);

/* The console UART bound for receive and its interrupt number (in *@irq), or NULL. */
const struct plat_device *serial_console_rx_device(unsigned *irq);

/* ---- The device-tree console (drivers/serial/dt_console.c) ---- */

/*
 * Bind the UART that /chosen/stdout-path names to the driver its "compatible" asks for and
 * bring it up as @p. 0; -ENOENT when there is no stdout-path or it names no node; -ENODEV
 * when no driver handles the node, it is disabled, or its "reg" cannot be translated; or
 * the probe's error. On failure @p is unusable and the caller picks its own fallback.
 */
int dt_console_init(const struct fdt *fdt, struct serial_port *p);

/* The same for a given @node (a port's second choice, e.g. the first 16550 in the tree). */
int dt_console_bind(const struct fdt *fdt, int node, struct serial_port *p);

/*
 * The kernel's way: bring up device @dev of @plat as @p, with the address from the
 * description (and properties from platform_fdt() when there is a tree; none on x86-64's ACPI
 * description); dt_console_init_platform() takes @plat's console device. Errors as
 * dt_console_init() (-ENOENT: no such device).
 */
struct platform;
int dt_console_bind_device(const struct platform *plat, int dev, struct serial_port *p);
int dt_console_init_platform(const struct platform *plat, struct serial_port *p);

/*
 * Bring up @p as a UART of the kind @id names (a compatible id some console driver of the
 * table lists) at physical @pa — an I/O port number when @io_space (x86 port I/O through
 * hal_pio_*) — for a port's Kconfig fallback: the port names no driver.
 * 0; -ENODEV when no driver lists @id; or the driver's error.
 */
int serial_port_init_by_id(struct serial_port *p, const char *id, paddr_t pa, bool io_space);

/* The port the last successful dt_console_*() call brought up (or serial_console_register()
 * recorded), or NULL. */
const struct serial_port *dt_console_bound(void);

/*
 * For a port whose console UART is not brought up by dt_console_*() (x86-64's COM port, set up
 * from SPCR or the legacy address): record @p as the console's port, so that when
 * driver_bind_all() reaches kernel_platform.console.device (a plat_device with the same
 * fdt_node as p->node, -1 for ACPI devices) its driver takes the receive interrupt. Boot CPU,
 * before driver_bind_all().
 */
void serial_console_register(const struct serial_port *p);

#endif
