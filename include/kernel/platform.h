/* SPDX-License-Identifier: MIT */
/*
 * The platform description: everything the firmware says about the machine, parsed once at
 * boot into one portable shape. The DT ports build it from the device tree
 * (drivers/platform/platform_dt.c), x86-64 from ACPI + the PVH/Multiboot2 memory map
 * (drivers/platform/platform_acpi.c). After platform_init() nothing reads the firmware blob:
 * memory setup, the console, interrupt controllers, timers, CPU bring-up and the device
 * drivers all read kernel_platform.
 *
 * Every table has a fixed bound (no allocation: it is built before the page allocator runs).
 * What does not fit is counted in a *_dropped field and reported, never silently lost; a
 * malformed entry is counted in `rejected` with the reason logged, and left out.
 *
 * Concurrency: built on the boot CPU before any other CPU runs, then read-only except for
 * the binding fields of struct plat_device, which only the device model (drivers/core.c)
 * writes, under its lock.
 */
#ifndef KEEL_KERNEL_PLATFORM_H
#define KEEL_KERNEL_PLATFORM_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct fdt;
struct driver;

#define PLAT_MAX_CPUS      64  /* CPUs past this are counted in cpus_dropped */
#define PLAT_MAX_MEM       64  /* memory + reserved ranges */
#define PLAT_MAX_DEVICES   192 /* device nodes (QEMU virt has ~70, the Pi 4 ~150) */
#define PLAT_DEV_MAX_REGS  6   /* GICv2: distributor, CPU, hypervisor, virtual CPU; PCIe: 3 */
#define PLAT_DEV_MAX_IRQS  8   /* the PCIe host's legacy INTx lines are the most seen */
#define PLAT_IRQ_MAX_CELLS 4   /* an interrupt specifier's cells (GIC: 3, PLIC: 1) */
#define PLAT_NONE          (-1) /* "no device" as an index */
#define PLAT_MAX_NOTES     4   /* rejections whose reason is kept for the boot log */

/* ---- CPUs -------------------------------------------------------------------------------- */

enum plat_cpu_enable {
	PLAT_CPU_ENABLE_NONE,       /* no enable-method: the firmware's own (SBI HSM on RISC-V) */
	PLAT_CPU_ENABLE_PSCI,       /* PSCI CPU_ON (conduit in struct platform.psci) */
	PLAT_CPU_ENABLE_SPIN_TABLE, /* write the entry point to release_addr, then sev */
	PLAT_CPU_ENABLE_SBI_HSM,    /* SBI HSM hart_start */
	PLAT_CPU_ENABLE_APIC_SIPI,  /* x86 INIT-SIPI-SIPI to apic id hwid */
	PLAT_CPU_ENABLE_OTHER,      /* something we do not know; see method_name */
};

struct plat_cpu {
	uint64_t hwid;             /* MPIDR affinity (arm64), hart id (riscv64), APIC id (x86-64) */
	enum plat_cpu_enable enable;
	const char *method_name;   /* the firmware's name for the method (static or in the blob) */
	uint64_t release_addr;     /* spin-table cpu-release-addr; valid when has_release_addr */
	bool has_release_addr;
	bool available;            /* DT status okay / MADT enabled or online-capable */
	bool is_boot;              /* the CPU kernel_main() runs on */
	uint32_t node;             /* NUMA node (DT numa-node-id, SRAT), 0 when unknown */
	uint32_t acpi_uid;         /* MADT processor UID (x86-64), 0 elsewhere */
	int intc;                  /* DT: this CPU's local interrupt controller device, or PLAT_NONE */
	int fdt_node;              /* DT node offset, or PLAT_NONE */
	const char *isa;           /* RISC-V "riscv,isa" (in the blob), NULL elsewhere */
	const char *isa_ext;       /* RISC-V "riscv,isa-extensions" string list, or NULL */
	uint32_t isa_ext_len;      /* its length in bytes (the list is NUL-terminated) */
};

/* ---- Memory -------------------------------------------------------------------------------- */

enum plat_mem_kind {
	PLAT_MEM_RAM = 1,     /* usable RAM */
	PLAT_MEM_RESERVED,    /* RAM that must not be allocated but may be mapped (DT reserved, rsvmap) */
	PLAT_MEM_NOMAP,       /* RAM that must be neither allocated nor mapped (DT no-map) */
	PLAT_MEM_ACPI,        /* ACPI tables (reclaimable) / NVS */
	PLAT_MEM_DEVICE,      /* a device window: never write-back cacheable */
};

struct plat_mem {
	paddr_t base;
	uint64_t size;
	enum plat_mem_kind kind;
	uint32_t node;        /* NUMA node of RAM, 0 when unknown */
};

/* ---- Devices -------------------------------------------------------------------------------- */

struct plat_reg {
	paddr_t base;         /* CPU physical address, after every bus's "ranges" */
	uint64_t size;
};

/*
 * One interrupt a device raises: the controller it goes to and the controller's own
 * specifier (DT interrupts/interrupts-extended cells; for ACPI: cell 0 = GSI, cell 1 = flags).
 * The controller's driver turns cells into its interrupt number (struct irqchip_ops.xlate).
 */
struct plat_irq {
	int parent;                        /* index of the interrupt controller device */
	uint8_t cell_count;
	uint32_t cells[PLAT_IRQ_MAX_CELLS];
};

/* Bus the device was described on (which id space its compatible strings come from). */
enum plat_bus {
	PLAT_BUS_DT = 1,   /* compatible = the DT "compatible" string list */
	PLAT_BUS_ACPI,     /* compatible = an ACPI _HID ("PNP0501") or a table entry id ("acpi,ioapic") */
};

struct plat_device {
	const char *name;          /* DT node name ("uart@9000000") or the ACPI id; static or in the blob */
	/* Compatible strings, most specific first, as a NUL-separated list of compatible_len
	 * bytes (the DT property itself). */
	const char *compatible;
	uint32_t compatible_len;
	enum plat_bus bus;
	int parent;                /* the device node above this one, or PLAT_NONE */
	int fdt_node;              /* DT node offset, or PLAT_NONE */
	uint32_t phandle;          /* 0 when none */
	bool available;            /* DT status okay; false devices are listed but never bound */
	bool is_intc;              /* an interrupt controller (DT interrupt-controller) */
	uint32_t interrupt_cells;  /* #interrupt-cells of a controller */
	uint8_t reg_count;
	uint8_t irq_count;
	bool regs_dropped, irqs_dropped; /* more than the table holds */
	struct plat_reg reg[PLAT_DEV_MAX_REGS];
	struct plat_irq irq[PLAT_DEV_MAX_IRQS];
	bool reg_io;               /* reg[] are x86 I/O ports, not MMIO (a PNP0501 UART on ports) */
	uint32_t acpi_gsi_base;    /* ACPI IOAPIC: first GSI (compatible "acpi,ioapic") */
	uint32_t acpi_id;          /* ACPI IOAPIC id, SPCR interface type, ... */

	/* Binding state, written only by the device model (drivers/core.c). */
	const struct driver *driver;
	void *driver_data;
	int bind_error;            /* last probe's result (0 when bound or never tried) */
};

/* ---- Console, timer, firmware conduits ---------------------------------------------------- */

struct plat_console {
	int device;                /* the UART named by /chosen/stdout-path or SPCR, or PLAT_NONE */
	uint32_t baud;             /* from stdout-path "...:115200n8" or SPCR; 0 = keep firmware's */
	uint16_t io_port;          /* x86 port-mapped UART (SPCR I/O space, or COM1), 0 for MMIO */
};

struct plat_timer {
	const char *kind;          /* "Arm generic timer", "RISC-V timer", "x86 TSC + local APIC" */
	int device;                /* the DT timer node's device, or PLAT_NONE */
	uint64_t freq;             /* clock-frequency / timebase-frequency, 0 when not given */
};

enum plat_psci_conduit { PLAT_PSCI_NONE, PLAT_PSCI_HVC, PLAT_PSCI_SMC };

/*
 * x86-64 interrupt facts from the ACPI MADT that belong to no one device: for the IOAPIC
 * driver (ISA IRQ -> GSI and its polarity/trigger) and the local APIC code (its address, the
 * LINT NMI pins). All zero on DT machines.
 */
#define PLAT_ISA_IRQS      16
#define PLAT_MAX_NMIS      8
struct plat_acpi_intr {
	paddr_t lapic_addr;        /* MADT local APIC address (the 64-bit override applied) */
	bool pcat_compat;          /* dual 8259s present (to be masked) */
	uint32_t isa_gsi[PLAT_ISA_IRQS];   /* ISA IRQ n arrives on GSI isa_gsi[n] */
	uint16_t isa_flags[PLAT_ISA_IRQS]; /* its ACPI INTI flags, "conforms" resolved (edge, high) */
	unsigned nmi_count, nmis_dropped;
	struct plat_acpi_nmi {
		uint32_t uid;      /* processor UID; 0xff (xAPIC) / 0xffffffff (x2APIC): all */
		uint8_t lint;      /* LINT0/1, or 0xff for an IOAPIC input (gsi) */
		uint16_t flags;    /* ACPI INTI polarity/trigger */
		uint32_t gsi;      /* ~0u for a LINT pin */
	} nmi[PLAT_MAX_NMIS];
};

/* ---- The whole description ------------------------------------------------------------------ */

struct platform {
	const char *source;        /* "DTB", "ACPI" (static) */
	char model[64];            /* DT /model, or the ACPI OEM id + table id */

	struct plat_cpu cpu[PLAT_MAX_CPUS];
	unsigned cpu_count, cpus_dropped;

	struct plat_mem mem[PLAT_MAX_MEM];   /* sorted by base, non-overlapping */
	unsigned mem_count, mem_dropped;

	struct plat_device dev[PLAT_MAX_DEVICES];
	unsigned dev_count, devs_dropped;

	int root_intc;             /* the interrupt controller devices route to (GIC/PLIC/IOAPIC) */
	struct plat_console console;
	struct plat_timer timer;
	enum plat_psci_conduit psci;
	paddr_t acpi_rsdp;         /* 0 on DT machines */
	struct plat_acpi_intr acpi_intr; /* x86-64 MADT facts (see above) */

	unsigned rejected;         /* malformed entries left out (the first few noted below) */
	struct plat_note {
		const char *where;     /* the node's name (in the blob) */
		const char *why;       /* static */
	} note[PLAT_MAX_NOTES];    /* the first rejections, for platform_print() */
	/* Left out on purpose, not malformed: counted so that the boot log says so. */
	unsigned irqs_via_map;     /* interrupts routed through an interrupt-map nexus (PCI INTx) */
	unsigned mem_dynamic;      /* /reserved-memory entries with only size/alloc-ranges (no reg):
				    * allocated by an OS driver, which Keel does not have */
};

/* ---- Building it ---------------------------------------------------------------------------- */

/*
 * Fill @p from a validated device tree. Never reads outside the blob; malformed entries are
 * counted in p->rejected and skipped. 0, or -EINVAL when @fdt has no root.
 */
__must_check int platform_from_fdt(struct platform *p, const struct fdt *fdt);

/*
 * The kernel's description, built once by platform_init() from @bi (the DTB, or ACPI and the
 * boot memory map): before mm_init(), the console or the interrupt controller use it.
 */
struct boot_info;

/*
 * Build kernel_platform from @bi: from bi->dtb when there is one (the index and the table
 * are static: no allocation), else from the firmware's other tables (platform_from_acpi()).
 * Boot CPU only, before hal_console_init() and mm_init(); prints nothing (the console may
 * not be up): platform_print() reports it, including what was rejected or dropped.
 */
void platform_init(const struct boot_info *bi);

/* The kernel's description, filled by platform_init(). */
extern struct platform kernel_platform;

/* The indexed device tree kernel_platform was built from, or NULL (no DTB): for a driver
 * that reads its own node's properties (plat_device.fdt_node). */
const struct fdt *platform_fdt(void);

/* A compact listing for the boot log: one line each for CPUs, memory, devices, console,
 * interrupt controller and timer, plus what was rejected or dropped. */
void platform_print(const struct platform *p);

/*
 * x86-64: fill @p from ACPI (MADT, SRAT, SPCR, HPET, FADT) found through bi->acpi_rsdp (or
 * the BIOS area) and @bi's memory map (drivers/platform/platform_acpi.c). 0, or -ENOENT when
 * there is no RSDP; a missing or malformed table is noted in p->rejected and what it would
 * have given is left out. Other ports: -ENOSYS (platform_noacpi.c).
 */
__must_check int platform_from_acpi(struct platform *p, const struct boot_info *bi);

struct acpi_reader;

/* platform_from_acpi() on tables read through @r from the RSDP at @rsdp (host tests). */
__must_check int platform_from_acpi_tables(struct platform *p, struct acpi_reader *r,
					   uint64_t rsdp, const struct boot_info *bi);

/* A minimal description from @bi alone: its memory map (RAM, reserved, ACPI) and the boot
 * CPU. Never fails. */
void platform_from_bootinfo(struct platform *p, const struct boot_info *bi);

/* ---- Reading it ------------------------------------------------------------------------------ */

/* True when @d lists @compat among its compatible strings. */
bool plat_device_is_compatible(const struct plat_device *d, const char *compat);

/* Compatible string @i of @d (0 = most specific), or NULL past the end. */
const char *plat_device_compatible(const struct plat_device *d, unsigned i);

/* Index of the first device after @after (PLAT_NONE: from the start) compatible with
 * @compat, or PLAT_NONE. */
int platform_find_compatible(const struct platform *p, int after, const char *compat);

/* The device whose DT phandle is @phandle, or PLAT_NONE. */
int platform_find_phandle(const struct platform *p, uint32_t phandle);

/* The CPU whose hardware id is @hwid, or NULL. */
const struct plat_cpu *platform_cpu_by_hwid(const struct platform *p, uint64_t hwid);

/* The device described by DT node offset @node, or PLAT_NONE. */
int platform_find_fdt_node(const struct platform *p, int node);

/* The CPU marked is_boot, or NULL. */
const struct plat_cpu *platform_boot_cpu(const struct platform *p);

/* Name of a memory kind ("RAM", "reserved", "no-map", ...). */
const char *plat_mem_kind_name(enum plat_mem_kind kind);

#endif
