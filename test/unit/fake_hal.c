// SPDX-License-Identifier: MIT
/* Host stand-ins for hal_phys_to_virt(), interrupt masking, kprintf() and the image symbols. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/percpu.h>
#include "fake_hal.h"

#define ARENA_ALIGN ((size_t)4 << 20) /* like a direct map: keeps buddy blocks aligned */

static unsigned char *arena;
static paddr_t arena_pa;
static size_t arena_size;

unsigned fake_kprintf_calls;
char fake_kprintf_last[256];

/* A fake loaded image of exactly two pages: pmm_boot.c reserves [kernel_pa, + end - start),
 * so both symbols must bracket one object, as the linker scripts make them do. */
__asm__(".data\n.balign 16\n.globl __kernel_start\n__kernel_start:\n.skip 8192\n"
	".globl __kernel_end\n__kernel_end:\n.skip 16\n.text\n");

void fake_hal_arena_init(paddr_t pa_base, size_t size)
{
	fake_hal_arena_free();
	arena = aligned_alloc(ARENA_ALIGN, (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1));
	if (!arena)
		abort();
	for (size_t i = 0; i < size; i++)
		arena[i] = 0;
	arena_pa = pa_base;
	arena_size = size;
}

void fake_hal_arena_free(void)
{
	free(arena);
	arena = NULL;
	arena_size = 0;
}

void *hal_phys_to_virt(paddr_t pa)
{
	if (!arena || pa < arena_pa || pa - arena_pa >= arena_size)
		return NULL;
	return arena + (pa - arena_pa);
}

/* Each host thread is one CPU: index 0 until it calls fake_hal_set_cpu(). */
static struct per_cpu fake_cpus[CONFIG_MAX_CPUS];
static __thread struct per_cpu *thread_cpu;

void fake_hal_set_cpu(unsigned index)
{
	struct per_cpu *pc = &fake_cpus[index % CONFIG_MAX_CPUS];

	pc->self = pc;
	pc->index = index % CONFIG_MAX_CPUS;
	thread_cpu = pc;
}

/* Weak: a test with its own per-CPU double (test_pagetable.c) overrides it. */
__attribute__((weak)) struct per_cpu *hal_this_cpu(void)
{
	if (!thread_cpu)
		fake_hal_set_cpu(0);
	return thread_cpu;
}

void (*fake_irq_save_hook)(void);

irqflags_t hal_irq_save(void)
{
	if (fake_irq_save_hook)
		fake_irq_save_hook();
	return 0;
}

void hal_irq_restore(irqflags_t flags)
{
	(void)flags;
}

int kvprintf(const char *fmt, va_list ap)
{
	fake_kprintf_calls++;
	return vsnprintf(fake_kprintf_last, sizeof(fake_kprintf_last), fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
