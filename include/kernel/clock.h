/* SPDX-License-Identifier: MIT */
/*
 * Time: a monotonic nanosecond clock over the HAL counter, and one-shot deadlines per CPU
 * (core/time/). Tickless: the hardware timer is programmed only for the earliest pending
 * deadline; a periodic tick exists only when CONFIG_TICK_HZ > 0.
 */
#ifndef KEEL_KERNEL_CLOCK_H
#define KEEL_KERNEL_CLOCK_H

#include <kernel/compiler.h>
#include <kernel/types.h>

#ifndef CONFIG_TICK_HZ
#define CONFIG_TICK_HZ 0
#endif

/* Conversion between counter ticks and nanoseconds without 128-bit arithmetic:
 * ns = (ticks * mult) >> shift, exact to within 1 ns per conversion and overflow-free for
 * any tick count below max_ticks (larger values are converted in pieces). */
struct clock_conv {
	uint64_t freq_hz;
	uint32_t mult;
	uint32_t shift;
	uint64_t max_ticks;
};

/* Fill @cv for a counter running at @freq_hz (> 0). Returns 0 or -EINVAL. */
__must_check int clock_conv_init(struct clock_conv *cv, uint64_t freq_hz);
uint64_t clock_conv_ticks_to_ns(const struct clock_conv *cv, uint64_t ticks);
uint64_t clock_conv_ns_to_ticks(const struct clock_conv *cv, uint64_t ns); /* rounds up */

/* Set up the clock from hal_counter_freq() and the boot CPU's timer (hal_timer_init()). */
void clock_init(void);

/* Nanoseconds since clock_init(). */
uint64_t clock_now_ns(void);

/* The conversion for hal_counter_read(), set by clock_init(). */
extern struct clock_conv clock_main;

struct timer_queue;

/* A one-shot timer event. The owner keeps the storage alive until it fires or is cancelled. */
struct timer_event {
	uint64_t deadline;                 /* counter ticks */
	void (*fn)(struct timer_event *t); /* runs in interrupt context on the arming CPU */
	void *arg;
	struct timer_event *next;          /* pending list, owned by core/time */
	struct timer_queue *queue;         /* the CPU queue it is pending on, or NULL */
};

/* True while @t is armed and has not fired or been cancelled. Any context; the answer can
 * change at once unless interrupts are masked on the CPU @t is pending on. */
static inline bool timer_pending(const struct timer_event *t)
{
	return __atomic_load_n(&t->queue, __ATOMIC_ACQUIRE) != NULL;
}

/* Arm @t to fire @ns_from_now nanoseconds from now on this CPU (its handler runs here).
 * Any context. 0 or -EBUSY if pending (on any CPU). */
__must_check int timer_arm(struct timer_event *t, uint64_t ns_from_now);
/* Arm @t for an absolute @deadline in counter ticks. 0 or -EBUSY if pending. */
__must_check int timer_arm_at(struct timer_event *t, uint64_t deadline);
/* Disarm @t if pending, whichever CPU armed it (takes that CPU's queue lock). Any context.
 * Returns true when it was pending: its handler then has not run and will not. False when
 * it was not pending (never armed, already cancelled, or its handler has started). */
bool timer_cancel(struct timer_event *t);

/* Called by the port's timer interrupt handler: runs every expired event, reprograms the
 * hardware for the next one (or cancels it). */
void clock_timer_interrupt(void);

/* Start the timer layer on the boot CPU (called by clock_init(); starts the periodic tick
 * when CONFIG_TICK_HZ > 0). */
void timer_subsystem_init(void);

/* Periodic ticks seen so far (0 when tickless). */
uint64_t timer_tick_count(void);

/* Sleep in hal_cpu_idle() until @ready(@arg) is true. @ready is evaluated with interrupts
 * masked and hal_cpu_idle() enables them and waits atomically, so an interrupt that lands
 * between the check and the sleep still ends the sleep. Thread context (it sleeps until an
 * interrupt: call with interrupts enabled, or only for conditions an interrupt makes true);
 * @ready runs with interrupts masked. Returns with the caller's interrupt state. */
void cpu_idle_until(bool (*ready)(void *arg), void *arg);

#endif
