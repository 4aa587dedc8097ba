/* SPDX-License-Identifier: MIT */
/*
 * cpu_index(): the dense index (0..MM_NR_CPUS-1) of the calling CPU that keys the memory
 * allocators' per-CPU caches and magazines: this_cpu()->index, read through the per-CPU
 * register the port reserves (GS base, TPIDR_EL1, tp). kernel_main() installs the boot CPU's
 * block (percpu_init_boot()) before mm_init(), so every allocator call finds it.
 */
#ifndef KEEL_KERNEL_CPU_INDEX_H
#define KEEL_KERNEL_CPU_INDEX_H

#include <kernel/percpu.h>

#define MM_NR_CPUS CONFIG_MAX_CPUS

/* Callers must not migrate while using the result: they mask interrupts (and, later,
 * preemption) around per-CPU accesses. */
static inline unsigned cpu_index(void)
{
	return this_cpu()->index;
}

#endif
