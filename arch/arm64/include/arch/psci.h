/* SPDX-License-Identifier: MIT */
/* PSCI firmware calls (Arm DEN 0022) through the conduit the device tree names. */
#ifndef KEEL_ARCH_ARM64_PSCI_H
#define KEEL_ARCH_ARM64_PSCI_H

#include <kernel/types.h>

struct fdt;

/* Function IDs, SMC32 calling convention (DEN 0022 section 5). */
#define PSCI_VERSION    0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u

#define PSCI_NOT_SUPPORTED (-1)

enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC };

/* Take the conduit from @p->psci (PLAT_PSCI_NONE: no PSCI). */
struct platform;
void psci_init(const struct platform *p);

enum psci_conduit psci_conduit(void);

/* Call PSCI function @fn; returns x0, or PSCI_NOT_SUPPORTED when there is no conduit. */
int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

#endif
