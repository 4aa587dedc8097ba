// SPDX-License-Identifier: MIT
/* The driver table: every driver the kernel can bind, with the compatible ids it handles. */
#include <drivers/gic.h>
#include <drivers/ioapic.h>
#include <drivers/irqchip.h>
#include <drivers/plic.h>
#include <drivers/serial.h>
#include <drivers/test_exit.h>
#include <kernel/driver.h>

/* bindings/interrupt-controller/arm,gic.yaml and arm,gic-v3.yaml; sifive,plic-1.0.0.yaml. */
static const char *const gicv2_ids[] = {
	"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,cortex-a7-gic", NULL,
};
static const char *const gicv3_ids[] = { "arm,gic-v3", NULL };
static const char *const plic_ids[] = { "sifive,plic-1.0.0", "riscv,plic0", NULL };
/* ACPI MADT IOAPIC entries (no _HID exists for them): drivers/platform/platform_acpi.c. */
static const char *const ioapic_ids[] = { "acpi,ioapic", NULL };
static const char *const pl011_ids[] = { "arm,pl011", "arm,primecell", NULL };
static const char *const bcm2835_aux_ids[] = { "brcm,bcm2835-aux-uart", NULL };
/* PNP0501: the ACPI id of a 16550-compatible PC serial port (drivers/platform/platform_acpi.c). */
/* QEMU virt's test device; "syscon", also listed there, is far too generic to claim. */
static const char *const sifive_test_ids[] = { "sifive,test1", "sifive,test0", NULL };
static const char *const ns16550_ids[] = {
	"ns16550a", "ns16550", "snps,dw-apb-uart", "PNP0501", NULL,
};

/*
 * Order matters only among drivers listing the same id (the first wins); otherwise the
 * device's own list decides (driver_match()). "arm,primecell" is generic (any PrimeCell
 * peripheral claims it), but a PrimeCell that is not a PL011 names itself first, so only a
 * bare "arm,primecell" falls to the PL011 driver.
 */
const struct driver driver_table[] = {
	/* Interrupt controllers */
	{ "gicv2", DRIVER_CLASS_IRQCHIP, gicv2_ids, &gicv2_driver_ops,
	  { .irqchip = &gic_irqchip_ops } },
	{ "gicv3", DRIVER_CLASS_IRQCHIP, gicv3_ids, &gicv3_driver_ops,
	  { .irqchip = &gic_irqchip_ops } },
	{ "plic", DRIVER_CLASS_IRQCHIP, plic_ids, &plic_driver_ops,
	  { .irqchip = &plic_irqchip_ops } },
	{ "ioapic", DRIVER_CLASS_IRQCHIP, ioapic_ids, &ioapic_driver_ops,
	  { .irqchip = &ioapic_irqchip_ops } },
	/* Consoles */
	{ "pl011", DRIVER_CLASS_CONSOLE, pl011_ids, &serial_driver_ops,
	  { .serial = &pl011_serial_ops } },
	{ "bcm2835-aux", DRIVER_CLASS_CONSOLE, bcm2835_aux_ids, &serial_driver_ops,
	  { .serial = &bcm2835_aux_serial_ops } },
	{ "ns16550", DRIVER_CLASS_CONSOLE, ns16550_ids, &serial_driver_ops,
	  { .serial = &ns16550_serial_ops } },
	/* Everything else */
	{ "sifive-test", DRIVER_CLASS_OTHER, sifive_test_ids, &sifive_test_driver_ops, { NULL } },
};

const unsigned driver_table_count = sizeof(driver_table) / sizeof(driver_table[0]);
