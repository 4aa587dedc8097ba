/* SPDX-License-Identifier: MIT */
/* Memory-management bring-up: the one call kernel_main() makes (core/mm/mm.c). */
#ifndef KEEL_KERNEL_MM_H
#define KEEL_KERNEL_MM_H

struct boot_info;

/* Set up the page allocator from @bi and the kernel heap on top of it, and print total and
 * free memory per NUMA node. 0, or the page allocator's error (the heap is unusable then). */
int mm_init(const struct boot_info *bi);

/* Print memory statistics: per node and per order (pmm), the kernel's page tables and
 * address-space ids. The console's "mem" command. */
void mm_print_stats(void);

#endif
