/* SPDX-License-Identifier: MIT */
/* Test doubles for the HAL and console used by host tests of core/mm (test/unit/fake_hal.c). */
#ifndef KEEL_TEST_FAKE_HAL_H
#define KEEL_TEST_FAKE_HAL_H

#include <kernel/types.h>

/* Back physical [@pa_base, @pa_base + @size) with a fresh zeroed arena aligned to 4 MiB;
 * hal_phys_to_virt() maps exactly that range, returning NULL elsewhere. */
void fake_hal_arena_init(paddr_t pa_base, size_t size);
void fake_hal_arena_free(void);

/* Make the calling host thread CPU @index (< CONFIG_MAX_CPUS) for this_cpu()/cpu_index();
 * a thread that never calls it is CPU 0. Threads standing for different CPUs can then race
 * the allocators' shared paths while each keeps its own per-CPU cache. */
void fake_hal_set_cpu(unsigned index);

/* Called at the start of every hal_irq_save() (so before every irqsave lock) when set:
 * race tests use it to line two threads up right where a critical section begins. */
extern void (*fake_irq_save_hook)(void);

/* How many times kprintf() was called, and the last message (reports from the allocators). */
extern unsigned fake_kprintf_calls;
extern char fake_kprintf_last[256];

#endif
