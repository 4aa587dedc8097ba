// SPDX-License-Identifier: MIT
/* Host stand-ins for the kernel functions the driver table's drivers call (interrupt core,
 * console input, the arch's interrupt registers), for unit tests that link the real table
 * but never bind its drivers: each one fails the test if it is reached. */
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kernel/console.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>

#define UNREACHED() fail_msg("%s reached from a host test", __func__)

int irq_request(unsigned irq, irq_handler_t fn, void *arg, const char *name)
{
	(void)irq, (void)fn, (void)arg, (void)name;
	UNREACHED();
	return -ENOSYS;
}

int irq_free(unsigned irq)
{
	(void)irq;
	UNREACHED();
	return -ENOSYS;
}

void irq_register_chip(const struct irq_chip *chip)
{
	(void)chip;
	UNREACHED();
}

void console_rx_push(char c)
{
	(void)c;
	UNREACHED();
}

void console_set_rx_irq(bool on)
{
	(void)on;
	UNREACHED();
}

int hal_console_getc(void)
{
	UNREACHED();
	return -1;
}

cpu_id_t hal_cpu_id(void)
{
	UNREACHED();
	return 0;
}

int hal_irq_external_enable(void)
{
	UNREACHED();
	return -ENOSYS;
}

int hal_gicv3_cpuif_init(uint8_t pmr)
{
	(void)pmr;
	UNREACHED();
	return -ENOSYS;
}

uint32_t hal_gicv3_cpuif_ack(void)
{
	UNREACHED();
	return 1023;
}

void hal_gicv3_cpuif_eoi(uint32_t intid)
{
	(void)intid;
	UNREACHED();
}

/* No local APIC on the host: the IOAPIC driver declines (-ENODEV). */
int hal_lapic_irq_vector(unsigned irq)
{
	(void)irq;
	return -ENOSYS;
}

void hal_lapic_eoi(void)
{
}

/* No I/O space on the host (hal.h: reads float high). */
uint8_t hal_pio_read8(uint16_t port)
{
	(void)port;
	return 0xff;
}

void hal_pio_write8(uint16_t port, uint8_t val)
{
	(void)port;
	(void)val;
}
