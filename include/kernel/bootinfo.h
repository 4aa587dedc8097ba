/* SPDX-License-Identifier: MIT */
/*
 * What the firmware told us, in one portable shape. Each port's entry code fills a
 * struct boot_info (from PVH start info on x86-64, from the DTB on arm64 and riscv64)
 * and hands it to kernel_main(). Nothing here points into memory the kernel may reuse
 * before the memory manager reserves it.
 */
#ifndef KEEL_KERNEL_BOOTINFO_H
#define KEEL_KERNEL_BOOTINFO_H

#include <kernel/compiler.h>
#include <kernel/types.h>

#define BOOT_MAX_MEM_REGIONS 32
#define BOOT_CMDLINE_MAX     256
/* Largest device tree the kernel reads (Linux's arm64 MAX_FDT_SIZE): bounds what a corrupt
 * header's totalsize can make us touch. */
#define BOOT_FDT_MAX_SIZE    (2u << 20)

enum mem_region_type {
	MEM_USABLE = 1,   /* ordinary RAM */
	MEM_RESERVED,     /* firmware / device / unknown: never touch */
	MEM_ACPI_RECLAIM, /* ACPI tables, reusable after parsing */
	MEM_ACPI_NVS,     /* ACPI non-volatile storage */
	MEM_BAD,          /* reported defective */
};

struct mem_region {
	paddr_t base;
	uint64_t size;
	uint32_t type; /* enum mem_region_type */
};

/*
 * NUMA layout a port read from its own firmware tables (x86-64: the ACPI SRAT). Node ids are
 * already dense (0, 1, ... < PMM_MAX_NODES): the port maps the firmware's proximity domains.
 * The DT ports leave numa_count 0; pmm_boot.c reads "numa-node-id" from the DTB itself.
 */
#define BOOT_MAX_NUMA_RANGES 32

struct boot_numa_range {
	paddr_t base;
	uint64_t size;
	uint32_t node;
};

struct boot_info {
	const char *firmware;       /* "PVH", "DTB", ... (static string) */
	char cmdline[BOOT_CMDLINE_MAX];
	bool cmdline_truncated;

	struct mem_region mem[BOOT_MAX_MEM_REGIONS];
	uint32_t mem_count;
	uint32_t mem_dropped;       /* regions that did not fit in mem[] */

	const void *dtb;            /* virtual address of the flattened device tree, or NULL */
	paddr_t dtb_pa;
	paddr_t acpi_rsdp;          /* physical address of the ACPI RSDP, or 0 */
	char model[64];             /* DTB /model, or the board name from Kconfig */

	/* Memory affinity, sorted by base, disjoint (see above). RAM outside every range is on
	 * node 0. numa_nodes = 0: no NUMA information, everything on node 0. */
	struct boot_numa_range numa[BOOT_MAX_NUMA_RANGES];
	uint32_t numa_count;
	uint32_t numa_nodes;        /* distinct nodes the firmware described */
	uint32_t boot_cpu_node;     /* node of the boot CPU (0 when unknown) */

	paddr_t kernel_pa;          /* where the image was loaded */
	cpu_id_t boot_cpu;          /* hardware id of the boot CPU */
};

/* Append a memory region; counts it in mem_dropped when the table is full. */
void bootinfo_add_mem(struct boot_info *bi, paddr_t base, uint64_t size, uint32_t type);

/* Copy a NUL-terminated command line of at most @max bytes, noting truncation. */
void bootinfo_set_cmdline(struct boot_info *bi, const char *src, size_t max);

/*
 * Fill @bi from the device tree at @dtb (memory nodes, /chosen/bootargs, /model).
 * Returns 0, or a negative error when the blob is malformed (then @bi holds no DTB data).
 */
__must_check int bootinfo_from_fdt(struct boot_info *bi, const void *dtb, paddr_t dtb_pa);

/* Total bytes of MEM_USABLE regions. */
uint64_t bootinfo_usable_bytes(const struct boot_info *bi);

/* The boot information kernel_main() was started with (for tests and diagnostics). */
extern const struct boot_info *kernel_boot_info;

/* The portable kernel entry, called by each port's early C code on the boot CPU. */
noreturn void kernel_main(struct boot_info *bi);

#endif
