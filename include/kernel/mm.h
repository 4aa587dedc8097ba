/* SPDX-License-Identifier: MIT */
/* Memory-management bring-up: the one call kernel_main() makes (core/mm/mm.c). */
#ifndef KEEL_KERNEL_MM_H
#define KEEL_KERNEL_MM_H

#include <kernel/compiler.h>

struct boot_info;

/* Set up the page allocator from @bi, the kernel heap on top of it and the kernel's own page
 * tables (hal_mmu_init()), and print total and free memory per NUMA node. Boot CPU, once,
 * after percpu_init_boot(). Returns 0; a failed step panics, naming the step and the error
 * (a kernel without W^X tables or a heap must not go on). */
__must_check int mm_init(const struct boot_info *bi);

/* Print memory statistics: per node and per order (pmm), the kernel's page tables and
 * address-space ids. The console's "mem" command. */
void mm_print_stats(void);

#endif
