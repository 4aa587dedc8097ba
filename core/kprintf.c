// SPDX-License-Identifier: MIT
/* Console output: lib/format.c formatting, written through the HAL console under one lock. */
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/spinlock.h>
#include <lib/format.h>

/*
 * One kprintf() call is written whole under this lock, with interrupts masked, so lines from
 * two CPUs (or from a thread and an interrupt handler) never interleave. A CPU that already
 * holds it (a fault or a panic in the middle of a print) prints through without it: the
 * owner check makes nesting safe instead of a self-deadlock. After kprintf_emergency() (a
 * panic), a CPU waits only a bounded time for another CPU's print before writing anyway.
 */
static spinlock_t console_lock = SPINLOCK_INIT;
static bool emergency;

/* Spins on a held lock before an emergency print gives up waiting. */
#define EMERGENCY_SPINS 10000000u

static bool lock_console(void)
{
	if (spin_holding(&console_lock))
		return false;
	if (!__atomic_load_n(&emergency, __ATOMIC_RELAXED)) {
		spin_lock(&console_lock);
		return true;
	}
	for (unsigned i = 0; i < EMERGENCY_SPINS; i++)
		if (spin_trylock(&console_lock))
			return true;
	return false;
}

static void unlock_console(bool taken)
{
	if (taken)
		spin_unlock(&console_lock);
}

void kprintf_emergency(void)
{
	__atomic_store_n(&emergency, true, __ATOMIC_RELAXED);
}

bool kprintf_lock_busy(void)
{
	return spin_is_locked(&console_lock);
}

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	if (c == '\n')
		hal_console_putc('\r');
	hal_console_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
	irqflags_t flags = hal_irq_save();
	bool taken = lock_console();
	int n = kvformat(console_sink, NULL, fmt, ap);

	unlock_console(taken);
	hal_irq_restore(flags);
	return n;
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

void kputs(const char *s)
{
	irqflags_t flags = hal_irq_save();
	bool taken = lock_console();

	while (*s)
		console_sink(*s++, NULL);
	unlock_console(taken);
	hal_irq_restore(flags);
}
