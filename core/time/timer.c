// SPDX-License-Identifier: MIT
/* One-shot timer events: a sorted pending list per CPU, the hardware armed for its head. */
#include <kernel/clock.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/percpu.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>

/* One CPU's pending timers. The lock (taken with interrupts masked: the timer interrupt takes
 * it) lets another CPU's timer_cancel() remove an event from this queue. */
struct timer_queue {
	spinlock_t lock;
	struct timer_event *head; /* sorted by deadline, earliest first */
};

static struct timer_queue queues[CONFIG_MAX_CPUS];

static struct timer_queue *my_queue(void)
{
	return &queues[this_cpu()->index];
}

/* Program this CPU's hardware for the earliest pending deadline, or switch it off.
 * @q is this CPU's queue, lock held. */
static void reprogram(struct timer_queue *q)
{
	if (q->head) {
		trace_event(TRACE_TIMER_SET, q->head->deadline, 0, 0, 0);
		hal_timer_set_deadline(q->head->deadline);
	} else {
		hal_timer_cancel();
	}
}

/* @q locked. */
static void queue_insert(struct timer_queue *q, struct timer_event *t)
{
	struct timer_event **pp = &q->head;

	/* Equal deadlines keep arming order: walk past them. */
	while (*pp && (*pp)->deadline <= t->deadline)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	__atomic_store_n(&t->queue, q, __ATOMIC_RELEASE);
}

/* @q locked; @t is on @q. */
static void queue_remove(struct timer_queue *q, struct timer_event *t)
{
	for (struct timer_event **pp = &q->head; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
	__atomic_store_n(&t->queue, NULL, __ATOMIC_RELEASE);
}

int timer_arm_at(struct timer_event *t, uint64_t deadline)
{
	irqflags_t flags = hal_irq_save();
	struct timer_queue *q = my_queue();
	int err = 0;

	spin_lock(&q->lock);
	if (timer_pending(t)) {
		err = -EBUSY;
	} else {
		t->deadline = deadline;
		queue_insert(q, t);
		if (q->head == t)
			reprogram(q);
	}
	spin_unlock(&q->lock);
	hal_irq_restore(flags);
	return err;
}

int timer_arm(struct timer_event *t, uint64_t ns_from_now)
{
	uint64_t now = hal_counter_read();
	uint64_t delta = clock_conv_ns_to_ticks(&clock_main, ns_from_now);

	return timer_arm_at(t, delta > UINT64_MAX - now ? UINT64_MAX : now + delta);
}

/*
 * Lock the queue @t is on and return it (interrupts already masked), or NULL when @t is on
 * none. Loops because @t may fire or move between reading t->queue and locking it.
 */
static struct timer_queue *lock_queue_of(struct timer_event *t)
{
	for (;;) {
		struct timer_queue *q = __atomic_load_n(&t->queue, __ATOMIC_ACQUIRE);

		if (!q)
			return NULL;
		spin_lock(&q->lock);
		if (__atomic_load_n(&t->queue, __ATOMIC_RELAXED) == q)
			return q;
		spin_unlock(&q->lock);
	}
}

bool timer_cancel(struct timer_event *t)
{
	irqflags_t flags = hal_irq_save();
	struct timer_queue *q = lock_queue_of(t);
	bool was_head;

	if (!q) {
		hal_irq_restore(flags);
		return false;
	}
	was_head = q->head == t;
	queue_remove(q, t);
	/* Another CPU's hardware stays armed for the old head: it wakes once, finds nothing
	 * due and reprograms itself. Ours we reprogram now. */
	if (was_head && q == &queues[this_cpu()->index])
		reprogram(q);
	spin_unlock(&q->lock);
	hal_irq_restore(flags);
	return true;
}

/* Runs with interrupts masked, from the port's timer interrupt. Handlers run without the
 * queue lock, so they may re-arm (or cancel) timers. */
void clock_timer_interrupt(void)
{
	struct timer_queue *q = my_queue();
	uint64_t now = hal_counter_read();
	struct timer_event *t;

	this_cpu()->timer_count++;
	spin_lock(&q->lock);
	/* A handler may re-arm itself; a deadline still in the past fires in this same loop. */
	while ((t = q->head) && t->deadline <= now) {
		queue_remove(q, t);
		spin_unlock(&q->lock);
		trace_event(TRACE_TIMER_FIRE, t->deadline, now - t->deadline, 0, 0);
		t->fn(t);
		now = hal_counter_read();
		spin_lock(&q->lock);
	}
	reprogram(q);
	spin_unlock(&q->lock);
}

static struct timer_event tick_event;
static uint64_t tick_period;
static uint64_t ticks_seen;

/* Re-arm from the previous deadline, not from now, so the tick does not drift. */
static void tick_fire(struct timer_event *t)
{
	ticks_seen++;
	/* It just fired, so it is not pending: arming cannot be refused. */
	if (timer_arm_at(t, t->deadline + tick_period))
		kprintf("tick: re-arm refused; the periodic tick stops\n");
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
	if (timer_arm_at(&tick_event, hal_counter_read() + tick_period))
		kprintf("  clock: periodic tick already armed\n");
}

void cpu_idle_until(bool (*ready)(void *arg), void *arg)
{
	irqflags_t flags = hal_irq_save();

	/* hal_cpu_idle() opens interrupts only while it waits, and has taken the one that
	 * woke us by the time it returns (masked again): check, sleep, check. */
	while (!ready(arg))
		hal_cpu_idle();
	hal_irq_restore(flags);
}
