/* SPDX-License-Identifier: MIT */
/*
 * cpu_index(): the dense index (0..MM_NR_CPUS-1) of the calling CPU that keys the memory
 * allocators' per-CPU caches and magazines.
 *
 * For now it is always 0: only the boot CPU runs. It becomes this_cpu()->index
 * (kernel/percpu.h) once every port implements hal_this_cpu() and kernel_main() sets the
 * per-CPU block up before mm_init(); callers need not change.
 */
#ifndef KEEL_KERNEL_CPU_INDEX_H
#define KEEL_KERNEL_CPU_INDEX_H

#ifdef CONFIG_MAX_CPUS
#define MM_NR_CPUS CONFIG_MAX_CPUS
#else
#define MM_NR_CPUS 8
#endif

/* Callers must not migrate while using the result: they mask interrupts (and, later,
 * preemption) around per-CPU accesses. */
static inline unsigned cpu_index(void)
{
	return 0;
}

#endif
