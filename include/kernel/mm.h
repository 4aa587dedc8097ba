/* SPDX-License-Identifier: MIT */
/* Memory-management bring-up: the one call kernel_main() makes (core/mm/mm.c). */
#ifndef KEEL_KERNEL_MM_H
#define KEEL_KERNEL_MM_H

struct boot_info;

/* Set up the page allocator from @bi and the kernel heap on top of it, and print total and
 * free memory per NUMA node. 0, or the page allocator's error (the heap is unusable then). */
int mm_init(const struct boot_info *bi);

#endif
