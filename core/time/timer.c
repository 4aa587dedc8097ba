// SPDX-License-Identifier: MIT
/* One-shot timer events: a sorted pending list per CPU, the hardware armed for its head. */
#include <kernel/clock.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/percpu.h>
#include <kernel/trace.h>

struct timer_queue {
	struct timer_event *head; /* sorted by deadline, earliest first */
};

static struct timer_queue queues[CONFIG_MAX_CPUS];

static struct timer_queue *my_queue(void)
{
	return &queues[this_cpu()->index];
}

/* Program the hardware for the earliest pending deadline, or switch it off. */
static void reprogram(struct timer_queue *q)
{
	if (q->head) {
		trace_event(TRACE_TIMER_SET, q->head->deadline, 0, 0, 0);
		hal_timer_set_deadline(q->head->deadline);
	} else {
		hal_timer_cancel();
	}
}

static void queue_insert(struct timer_queue *q, struct timer_event *t)
{
	struct timer_event **pp = &q->head;

	/* Equal deadlines keep arming order: walk past them. */
	while (*pp && (*pp)->deadline <= t->deadline)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->pending = true;
}

static bool queue_remove(struct timer_queue *q, struct timer_event *t)
{
	for (struct timer_event **pp = &q->head; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			t->next = NULL;
			t->pending = false;
			return true;
		}
	}
	return false;
}

int timer_arm_at(struct timer_event *t, uint64_t deadline)
{
	irqflags_t flags = hal_irq_save();
	struct timer_queue *q = my_queue();
	int err = 0;

	if (t->pending) {
		err = -EBUSY;
	} else {
		t->deadline = deadline;
		queue_insert(q, t);
		if (q->head == t)
			reprogram(q);
	}
	hal_irq_restore(flags);
	return err;
}

int timer_arm(struct timer_event *t, uint64_t ns_from_now)
{
	uint64_t now = hal_counter_read();
	uint64_t delta = clock_conv_ns_to_ticks(&clock_main, ns_from_now);

	return timer_arm_at(t, delta > UINT64_MAX - now ? UINT64_MAX : now + delta);
}

bool timer_cancel(struct timer_event *t)
{
	irqflags_t flags = hal_irq_save();
	struct timer_queue *q = my_queue();
	bool was_head = q->head == t;
	bool removed = t->pending && queue_remove(q, t);

	if (removed && was_head)
		reprogram(q);
	hal_irq_restore(flags);
	return removed;
}

/* Runs with interrupts masked, from the port's timer interrupt. */
void clock_timer_interrupt(void)
{
	struct timer_queue *q = my_queue();
	uint64_t now = hal_counter_read();
	struct timer_event *t;

	this_cpu()->timer_count++;
	/* A handler may re-arm itself; a deadline still in the past fires in this same loop. */
	while ((t = q->head) && t->deadline <= now) {
		q->head = t->next;
		t->next = NULL;
		t->pending = false;
		trace_event(TRACE_TIMER_FIRE, t->deadline, now - t->deadline, 0, 0);
		t->fn(t);
		now = hal_counter_read();
	}
	reprogram(q);
}

static struct timer_event tick_event;
static uint64_t tick_period;
static uint64_t ticks_seen;

/* Re-arm from the previous deadline, not from now, so the tick does not drift. */
static void tick_fire(struct timer_event *t)
{
	ticks_seen++;
	timer_arm_at(t, t->deadline + tick_period);
}

uint64_t timer_tick_count(void)
{
	return ticks_seen;
}

/* MAX() keeps GCC from warning about the division when the tick is configured out. */
#define TICK_PERIOD_NS (1000000000ull / MAX(CONFIG_TICK_HZ, 1))

void timer_subsystem_init(void)
{
	if (CONFIG_TICK_HZ <= 0)
		return;
	tick_period = clock_conv_ns_to_ticks(&clock_main, TICK_PERIOD_NS);
	tick_event.fn = tick_fire;
	timer_arm_at(&tick_event, hal_counter_read() + tick_period);
}

void cpu_idle_until(bool (*ready)(void *arg), void *arg)
{
	irqflags_t flags = hal_irq_save();

	while (!ready(arg)) {
		hal_cpu_idle();
		/* On wfi ports the interrupt that woke us is still pending: take it now. */
		hal_irq_restore(flags);
		flags = hal_irq_save();
	}
	hal_irq_restore(flags);
}
