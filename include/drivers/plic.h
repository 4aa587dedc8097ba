/* SPDX-License-Identifier: MIT */
/* The RISC-V PLIC driver (drivers/irqchip/plic.c): its table entry and what tests may ask. */
#ifndef KEEL_DRIVERS_PLIC_H
#define KEEL_DRIVERS_PLIC_H

struct driver_ops;
struct irqchip_ops;
struct plat_device;

extern const struct driver_ops plic_driver_ops;
extern const struct irqchip_ops plic_irqchip_ops;

/* The boot hart's S-mode context on the bound PLIC; -1 when no PLIC is bound. */
int plic_context(void);

/* The hart that context belongs to (the boot hart). */
unsigned long plic_context_hart(void);

/* The PLIC device bound (the one listing the boot hart), or NULL. */
const struct plat_device *plic_device(void);

#endif
