// SPDX-License-Identifier: MIT
/* In-kernel tests of the PC serial port (PNP0501 on I/O ports) as the console driver. */
#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>
#include <kernel/platform.h>

/* The description's console is a PNP0501 on ports, the ns16550 driver runs it, its receive
 * interrupt is the one the description gives (ISA IRQ 4 through the overrides). */
KTEST(pnp0501_console_is_bound_from_the_description)
{
	const struct platform *p = &kernel_platform;
	const struct plat_device *d;
	const struct serial_port *port = dt_console_bound();
	unsigned irq = ~0u;

	KT_ASSERT(p->console.device >= 0);
	d = &p->dev[p->console.device];
	KT_EXPECT(plat_device_is_compatible(d, "PNP0501"));
	KT_EXPECT(d->reg_io);
	KT_ASSERT(port != NULL);
	KT_EXPECT_EQ(port->pa, d->reg[0].base);
	KT_ASSERT(driver_of(d) != NULL);
	KT_EXPECT(driver_of(d)->class_ops.serial == &ns16550_serial_ops);
	KT_EXPECT_EQ(serial_console_rx_status(), 0);
	KT_EXPECT(serial_console_rx_device(&irq) == d);
	KT_EXPECT_EQ(irq, p->acpi_intr.isa_gsi[4]);
}

/* Port I/O reaches the UART: its scratch register (7) keeps what is written. */
KTEST(pnp0501_scratch_register_round_trips_through_hal_pio)
{
	const struct platform *p = &kernel_platform;
	uint16_t base;
	uint8_t old;

	KT_ASSERT(p->console.device >= 0 && p->dev[p->console.device].reg_io);
	base = (uint16_t)p->dev[p->console.device].reg[0].base;
	old = hal_pio_read8((uint16_t)(base + 7));
	hal_pio_write8((uint16_t)(base + 7), 0x5a);
	KT_EXPECT_EQ(hal_pio_read8((uint16_t)(base + 7)), 0x5a);
	hal_pio_write8((uint16_t)(base + 7), 0xa5);
	KT_EXPECT_EQ(hal_pio_read8((uint16_t)(base + 7)), 0xa5);
	hal_pio_write8((uint16_t)(base + 7), old);
}
