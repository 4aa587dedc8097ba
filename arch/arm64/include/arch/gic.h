/* SPDX-License-Identifier: MIT */
/* The arm64 GIC driver's port-local interface (gic.c): found from the DTB at hal_irq_init(). */
#ifndef KEEL_ARCH_ARM64_GIC_H
#define KEEL_ARCH_ARM64_GIC_H

#include <kernel/types.h>

struct fdt;

/* INTIDs: SGIs 0..15, PPIs 16..31, SPIs 32..1019; 1020..1023 are special (spurious). */
#define GIC_PPI_BASE   16
#define GIC_SPI_BASE   32
#define GIC_INTID_SPECIAL 1020

/* Which GIC hal_irq_init() found: 0 none, 2 GICv2 (also GIC-400), 3 GICv3. */
unsigned gic_version(void);

/* The DTB node of the GIC in use (the root's interrupt-parent), or a negative error. */
int gic_node(void);

/* The "compatible" string that selected the driver (static), or NULL when none. */
const char *gic_compatible(void);

/*
 * Decode a GIC interrupt specifier of @n cells (#interrupt-cells = 3: type, number, flags;
 * type 0 = SPI -> INTID 32 + number, 1 = PPI -> INTID 16 + number; flags bits 0..3:
 * 1/2 edge, 4/8 level). 0, or -EINVAL for anything else (extended SPI/PPI ranges too).
 */
int gic_decode_specifier(const uint32_t *cells, unsigned n, unsigned *intid, bool *edge);

/* The INTID of interrupt @index of DTB @node, which must be wired to the GIC in use; sets its
 * trigger (edge or level) as the DTB says. 0, or a negative error. */
int gic_dt_irq(const struct fdt *fdt, int node, unsigned index, unsigned *intid);

/* Program edge (true) or level (false) triggering for @intid. Ignored for SGIs and where the
 * GIC fixes it (GICv2 PPIs may be read-only). */
void gic_set_trigger(unsigned intid, bool edge);

/* Make PPI or SPI @intid pending by software (GICD/GICR_ISPENDR), as if its device had
 * raised it: for tests of the delivery path. 0 or -EINVAL. */
int gic_set_pending(unsigned intid);

#endif
