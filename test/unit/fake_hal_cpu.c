// SPDX-License-Identifier: MIT
/* Host stand-ins for this_cpu, the counter, the one-shot timer, irq masking and kprintf. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/percpu.h>
#include "fake_hal_cpu.h"

uint64_t fake_counter;
uint64_t fake_counter_step;
uint64_t fake_counter_hz = 1000000;
uint64_t fake_timer_deadline;
bool fake_timer_armed;
unsigned fake_timer_set_calls;
char fake_output[65536];

static struct per_cpu *current_cpu;
static bool irqs_on = true;

void fake_output_reset(void)
{
	fake_output[0] = '\0';
}

void fake_cpu_reset(void)
{
	memset(&per_cpu_data[0], 0, sizeof(per_cpu_data[0]));
	percpu_init_boot(0);
}

void fake_cpu_switch(unsigned index)
{
	struct per_cpu *pc = &per_cpu_data[index];

	pc->self = pc;
	pc->index = index;
	current_cpu = pc;
}

void hal_percpu_init(struct per_cpu *pc) { current_cpu = pc; }
struct per_cpu *hal_this_cpu(void) { return current_cpu; }

uint64_t hal_counter_read(void)
{
	return __atomic_fetch_add(&fake_counter, fake_counter_step, __ATOMIC_RELAXED);
}

uint64_t hal_counter_freq(void) { return fake_counter_hz; }

void hal_timer_init(void) { fake_timer_armed = false; }

void hal_timer_set_deadline(uint64_t deadline)
{
	fake_timer_deadline = deadline;
	fake_timer_armed = true;
	fake_timer_set_calls++;
}

void hal_timer_cancel(void) { fake_timer_armed = false; }

void (*fake_idle_hook)(void);
unsigned fake_idle_calls;
bool fake_idle_saw_irqs_on;

/* The contract: called and returns with interrupts masked; the hook is the interrupt that
 * the real instruction sequence would take while they are briefly open. */
void hal_cpu_idle(void)
{
	fake_idle_calls++;
	fake_idle_saw_irqs_on = irqs_on;
	if (fake_idle_hook)
		fake_idle_hook();
	irqs_on = false;
}

irqflags_t hal_irq_save(void)
{
	irqflags_t was = irqs_on;

	irqs_on = false;
	return was;
}

void hal_irq_restore(irqflags_t flags) { irqs_on = flags != 0; }

static void append(const char *fmt, va_list ap)
{
	size_t len = strlen(fake_output);

	if (len < sizeof(fake_output) - 1)
		vsnprintf(fake_output + len, sizeof(fake_output) - len, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	append(fmt, ap);
	va_end(ap);
	return 0;
}

int kvprintf(const char *fmt, va_list ap)
{
	append(fmt, ap);
	return 0;
}

void kputs(const char *s)
{
	kprintf("%s", s);
}
