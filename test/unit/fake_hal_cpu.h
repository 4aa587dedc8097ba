/* SPDX-License-Identifier: MIT */
/* Test doubles for the CPU, counter and timer HAL used by host tests of core/irq, core/time,
 * core/trace (test/unit/fake_hal_cpu.c). */
#ifndef KEEL_TEST_FAKE_HAL_CPU_H
#define KEEL_TEST_FAKE_HAL_CPU_H

#include <kernel/types.h>

/* hal_counter_read() returns fake_counter, then adds fake_counter_step to it (atomically). */
extern uint64_t fake_counter;
extern uint64_t fake_counter_step;
extern uint64_t fake_counter_hz;

/* What the timer HAL was last told. */
extern uint64_t fake_timer_deadline;
extern bool fake_timer_armed;
extern unsigned fake_timer_set_calls;

/* hal_cpu_idle() counts its calls, notes whether interrupts were on, and runs the hook (the
 * test's stand-in for "an interrupt arrived"). */
extern void (*fake_idle_hook)(void);
extern unsigned fake_idle_calls;
extern bool fake_idle_saw_irqs_on;

/* Everything kprintf()/kputs() printed since the last fake_output_reset(). */
extern char fake_output[65536];
void fake_output_reset(void);

/* Install per_cpu_data[0] as this CPU's block (percpu_init_boot does it too). */
void fake_cpu_reset(void);

/* From now on the (single) host thread runs as CPU @index: per_cpu_data[@index], set up with
 * that index. Needs CONFIG_MAX_CPUS > @index. */
void fake_cpu_switch(unsigned index);

#endif
