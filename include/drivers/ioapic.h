/* SPDX-License-Identifier: MIT */
/* The x86 IOAPIC driver (drivers/irqchip/ioapic.c): its table entry and what tests may ask. */
#ifndef KEEL_DRIVERS_IOAPIC_H
#define KEEL_DRIVERS_IOAPIC_H

#include <kernel/types.h>

struct driver_ops;
struct irqchip_ops;

extern const struct driver_ops ioapic_driver_ops;
extern const struct irqchip_ops ioapic_irqchip_ops;

/* Number of GSIs the bound IOAPICs provide (0 before any is bound). */
unsigned ioapic_nr_gsis(void);

/* Raw redirection entry of @gsi (for tests), or 0 when no bound IOAPIC has it. */
uint64_t ioapic_read_rte(unsigned gsi);

/* True when the chip has @gsi unmasked (enable() called, disable() not since). */
bool ioapic_gsi_enabled(unsigned gsi);

#endif
