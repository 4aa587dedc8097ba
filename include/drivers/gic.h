/* SPDX-License-Identifier: MIT */
/* The Arm GIC driver (drivers/irqchip/gic.c): what tests and diagnostics may ask it. */
#ifndef KEEL_DRIVERS_GIC_H
#define KEEL_DRIVERS_GIC_H

#include <kernel/types.h>

struct driver_ops;
struct irqchip_ops;
struct plat_device;

/* INTIDs: SGIs 0..15, PPIs 16..31, SPIs 32..1019; 1020..1023 are special (spurious). */
#define GIC_PPI_BASE   16
#define GIC_SPI_BASE   32
#define GIC_INTID_SPECIAL 1020

/* The driver table's entries (drivers/driver_table.c): one probe per version, one xlate. */
extern const struct driver_ops gicv2_driver_ops;
extern const struct driver_ops gicv3_driver_ops;
extern const struct irqchip_ops gic_irqchip_ops;

/* Which GIC is bound: 0 none, 2 GICv2 (also GIC-400), 3 GICv3. */
unsigned gic_version(void);

/* The platform device the GIC driver is bound to, or NULL. */
const struct plat_device *gic_device(void);

/* The compatible id that selected the driver (static), or NULL when none is bound. */
const char *gic_compatible(void);

/*
 * Decode a GIC interrupt specifier of @n cells (#interrupt-cells = 3: type, number, flags;
 * type 0 = SPI -> INTID 32 + number, 1 = PPI -> INTID 16 + number; flags bits 0..3:
 * 1/2 edge, 4/8 level). 0, or -EINVAL for anything else (extended SPI/PPI ranges too).
 */
int gic_decode_specifier(const uint32_t *cells, unsigned n, unsigned *intid, bool *edge);

/* Program edge (true) or level (false) triggering for @intid. Ignored for SGIs and where the
 * GIC fixes it (GICv2 PPIs may be read-only). */
void gic_set_trigger(unsigned intid, bool edge);

/* Make PPI or SPI @intid pending by software (GICD/GICR_ISPENDR), as if its device had
 * raised it: for tests of the delivery path. 0 or -EINVAL. */
int gic_set_pending(unsigned intid);

#endif
