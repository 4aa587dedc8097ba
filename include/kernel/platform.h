/* SPDX-License-Identifier: MIT */
/*
 * What the device tree says about the board's core devices: the interrupt controller, the
 * timer and how each CPU is started. Discovery and reporting only (drivers/platform_dt.c);
 * the interrupt-controller, timer and SMP code that uses it comes with later issues.
 */
#ifndef KEEL_KERNEL_PLATFORM_H
#define KEEL_KERNEL_PLATFORM_H

#include <kernel/types.h>

struct boot_info;
struct fdt;

#define PLATFORM_MAX_CPUS     16 /* CPUs past this are counted in cpus_dropped */
#define PLATFORM_MAX_INTC_REG 4  /* GICv2: distributor, CPU, hypervisor, virtual CPU */

struct platform_reg {
	paddr_t base; /* CPU physical address (after every bus's "ranges") */
	uint64_t size;
};

struct platform_intc {
	int node;               /* -ENOENT when none was found */
	const char *compatible; /* the compatible string we recognised (static) */
	const char *kind;       /* "GICv2", "GICv3", "PLIC" (static) */
	unsigned reg_count;     /* translated entries in reg[] */
	bool reg_bad;           /* a reg entry could not be decoded or translated */
	struct platform_reg reg[PLATFORM_MAX_INTC_REG];
};

struct platform_timer {
	int node;               /* -ENOENT when none was found */
	const char *kind;       /* "Arm generic timer", "RISC-V timer" (static) */
	const char *compatible; /* the compatible string we recognised, or NULL (/cpus) */
	uint64_t dt_freq;       /* clock-frequency / timebase-frequency, 0 when absent */
};

enum cpu_enable_method {
	CPU_ENABLE_NONE,       /* no enable-method: firmware-specific (SBI HSM on RISC-V) */
	CPU_ENABLE_PSCI,       /* PSCI CPU_ON */
	CPU_ENABLE_SPIN_TABLE, /* write the entry point to cpu-release-addr, then sev */
	CPU_ENABLE_OTHER,      /* something we do not know; see method_name */
};

struct platform_cpu {
	int node;
	uint64_t hwid;            /* "reg": MPIDR affinity (arm64) or hart id (riscv64) */
	enum cpu_enable_method method;
	const char *method_name;  /* the property's string (points into the DTB), or NULL */
	uint64_t release_addr;    /* spin-table cpu-release-addr; 0 when absent */
	bool release_addr_ok;     /* cpu-release-addr present and 1 or 2 cells long */
	bool available;           /* status absent or "okay" */
};

struct platform_info {
	bool from_dt;             /* false: no device tree (PVH/ACPI), nothing below is set */
	struct platform_intc intc;
	struct platform_timer timer;
	struct platform_cpu cpu[PLATFORM_MAX_CPUS];
	unsigned cpu_count;
	unsigned cpus_dropped;
};

/* Fill @pi from @fdt. Never fails: what is missing is recorded as missing. */
void platform_discover(const struct fdt *fdt, struct platform_info *pi);

/* Print @pi, one line per device, after the banner's memory map. */
void platform_print(const struct platform_info *pi);

/* kernel_main(): discover from @bi's DTB (when there is one) into the kernel's copy, print. */
void platform_init(const struct boot_info *bi);

/* The kernel's copy, filled by platform_init() (for tests and, later, the drivers). */
extern struct platform_info kernel_platform;

#endif
