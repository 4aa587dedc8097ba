// SPDX-License-Identifier: MIT
/* ktest: faults caught by probes, timer deadlines, interrupt delivery, trace order, this_cpu. */
#include <kernel/bootinfo.h>
#include <kernel/clock.h>
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/trace.h>

#define NS_PER_MS 1000000ull
/*
 * TCG on a loaded host runs far slower than hardware: a deadline may fire this late. The bound
 * only catches a timer that is broken (fires at some unrelated later event); lateness itself
 * is printed, not judged: timing is for benchmarks, not for pass/fail.
 */
#define TIMER_TOLERANCE_MS 500
#define WAIT_LIMIT_MS 2000

struct trigger_req {
	int kind;
	int ret; /* hal_trigger_fault()'s return, when it returned at all */
};

static void trigger(void *arg)
{
	struct trigger_req *req = arg;

	req->ret = hal_trigger_fault(req->kind);
}

/* Run hal_trigger_fault(@kind) under a probe: 1 caught, 0 not raised (the port said
 * -ENOSYS or the instruction did not fault). *@seen describes the fault. */
static int probe(int kind, struct fault_info *seen, int *ret)
{
	struct trigger_req req = { .kind = kind, .ret = 1 };
	int r = fault_probe_run(trigger, &req, seen);

	*ret = req.ret;
	return r;
}

/* The fault @kind is caught, reported as @want, and execution resumes with state intact. */
static void expect_caught(struct ktest_ctx *kt, int kind, int want)
{
	struct fault_info seen = { 0 };
	uint64_t exc = this_cpu()->exception_count;
	bool irqs = hal_irq_enabled();
	int ret, r = probe(kind, &seen, &ret);

	KT_EXPECT_EQ(r, 1);
	KT_EXPECT_EQ(seen.kind, want);
	KT_EXPECT(seen.pc != 0);
	KT_EXPECT_EQ(this_cpu()->exception_count, exc + 1);
	KT_EXPECT_EQ(this_cpu()->fault_probe, NULL);       /* disarmed */
	KT_EXPECT_EQ(hal_irq_enabled(), irqs);              /* interrupt state restored */
	kprintf("ktest:   %s caught as %s (%s) at pc %#lx\n", fault_kind_name(kind),
		fault_kind_name(seen.kind), seen.name ? seen.name : "?", (unsigned long)seen.pc);
}

KTEST(fault_probe_catches_breakpoint_and_resumes)
{
	expect_caught(kt, FAULT_BREAKPOINT, FAULT_BREAKPOINT);
}

KTEST(fault_probe_catches_illegal_instruction_and_resumes)
{
	expect_caught(kt, FAULT_ILLEGAL_INSTRUCTION, FAULT_ILLEGAL_INSTRUCTION);
}

KTEST(fault_probe_catches_page_or_access_fault_and_resumes)
{
	struct fault_info seen;
	int ret;

	/* Paging on: a page fault. MMU off (arm64, riscv64 before memory management) there are
	 * no pages, and the port raises an access fault instead. */
	if (probe(FAULT_PAGE, &seen, &ret) == 1) {
		KT_EXPECT_EQ(seen.kind, FAULT_PAGE);
		KT_EXPECT(seen.addr_valid);
		kprintf("ktest:   page fault caught (%s) at addr %#lx\n",
			seen.name ? seen.name : "?", (unsigned long)seen.addr);
		return;
	}
	KT_EXPECT_EQ(ret, -ENOSYS); /* not raised: only acceptable if the port says why */
	expect_caught(kt, FAULT_ACCESS, FAULT_ACCESS);
}

static void no_fault(void *arg)
{
	(*(int *)arg)++;
}

KTEST(fault_probe_returns_0_when_nothing_faults)
{
	struct fault_info seen;
	int calls = 0;

	KT_EXPECT_EQ(fault_probe_run(no_fault, &calls, &seen), 0);
	KT_EXPECT_EQ(calls, 1);
	KT_EXPECT_EQ(this_cpu()->fault_probe, NULL);
}

/* What a timer callback saw, in interrupt context. */
struct fire_record {
	volatile bool fired;
	uint64_t at;
	struct per_cpu *cpu;
	struct per_cpu *self;
	uint32_t index;
	cpu_id_t hw_id;
	cpu_id_t hal_id;
	bool irqs_on;
};

static void record_fire(struct timer_event *t)
{
	struct fire_record *r = t->arg;

	r->at = hal_counter_read();
	r->cpu = this_cpu();
	r->self = this_cpu()->self;
	r->index = this_cpu()->index;
	r->hw_id = this_cpu()->hw_id;
	r->hal_id = hal_cpu_id();
	r->irqs_on = hal_irq_enabled();
	r->fired = true;
}

struct wait {
	struct fire_record *r;
	uint64_t limit;
};

static bool fired_or_too_late(void *arg)
{
	struct wait *w = arg;

	return w->r->fired || hal_counter_read() >= w->limit;
}

static void wake_up(struct timer_event *t)
{
	(void)t;
}

/* Arm @ms from now and sleep until it fires (or WAIT_LIMIT_MS passes: a backstop timer
 * wakes the sleep then, so a timer that never fires fails the test instead of hanging it). */
static bool wait_fire(struct timer_event *t, struct fire_record *r, uint64_t ms)
{
	struct timer_event backstop = { .fn = wake_up };
	struct wait w = { .r = r };

	*r = (struct fire_record){ 0 };
	*t = (struct timer_event){ .fn = record_fire, .arg = r };
	if (timer_arm(t, ms * NS_PER_MS))
		return false;
	if (timer_arm(&backstop, WAIT_LIMIT_MS * NS_PER_MS)) {
		timer_cancel(t);
		return false;
	}
	w.limit = backstop.deadline;
	cpu_idle_until(fired_or_too_late, &w);
	timer_cancel(&backstop);
	if (!r->fired)
		timer_cancel(t);
	return r->fired;
}

KTEST(timer_fires_at_the_deadline_within_tolerance)
{
	struct timer_event t;
	struct fire_record r;
	uint64_t late_ns;

	KT_ASSERT(hal_irq_enabled());
	KT_ASSERT(wait_fire(&t, &r, 2));
	KT_EXPECT(r.at >= t.deadline); /* never early */
	late_ns = clock_conv_ticks_to_ns(&clock_main, r.at - t.deadline);
	kprintf("ktest:   2 ms deadline fired %llu us late (tolerance %u ms)\n",
		(unsigned long long)(late_ns / 1000), TIMER_TOLERANCE_MS);
	KT_EXPECT(late_ns <= TIMER_TOLERANCE_MS * NS_PER_MS);
	KT_EXPECT(!timer_pending(&t));
}

KTEST(timer_cancel_stops_a_deadline)
{
	struct timer_event t = { .fn = record_fire };
	struct fire_record r = { 0 };
	uint64_t until;
	irqflags_t flags;

	t.arg = &r;
	/* Masked, so a host that stalls QEMU for 3 ms cannot let the deadline fire first. */
	flags = hal_irq_save();
	KT_ASSERT(timer_arm(&t, 3 * NS_PER_MS) == 0);
	KT_EXPECT_EQ(timer_arm(&t, NS_PER_MS), -EBUSY);
	KT_EXPECT(timer_cancel(&t));
	hal_irq_restore(flags);
	until = hal_counter_read() + clock_conv_ns_to_ticks(&clock_main, 10 * NS_PER_MS);
	while (hal_counter_read() < until)
		;
	KT_EXPECT(!r.fired);
}

static uint64_t dispatched_total(void)
{
	const struct irq_chip *chip = irq_chip();
	uint64_t n = 0;

	for (unsigned i = 0; chip && i < chip->nr_irqs && i < IRQ_LIMIT; i++)
		n += irq_count(i);
	return n;
}

KTEST(timer_interrupts_are_delivered_and_acknowledged)
{
	struct timer_event t;
	struct fire_record r;
	uint64_t timers = this_cpu()->timer_count, spurious = irq_spurious_count();
	uint64_t dispatched = dispatched_total(), ticks = timer_tick_count();

	KT_ASSERT(irq_chip() != NULL);
	for (int i = 0; i < 3; i++)
		KT_EXPECT(wait_fire(&t, &r, 1));
	/* Delivered: each deadline took an interrupt. Acknowledged: a line left asserted would
	 * interrupt back-to-back (thousands in a millisecond), so only a few extra ones are
	 * allowed: periodic ticks, and reprogrammed early fires of a calibrated one-shot timer. */
	KT_EXPECT(this_cpu()->timer_count >= timers + 3);
	KT_EXPECT(this_cpu()->timer_count <= timers + 20 + (timer_tick_count() - ticks));
	KT_EXPECT_EQ(irq_spurious_count(), spurious);
	kprintf("ktest:   timer interrupts +%llu, through the dispatcher +%llu, spurious +0\n",
		(unsigned long long)(this_cpu()->timer_count - timers),
		(unsigned long long)(dispatched_total() - dispatched));
}

KTEST(this_cpu_is_consistent_in_interrupt_context)
{
	struct timer_event t;
	struct fire_record r;

	KT_EXPECT(this_cpu() == &per_cpu_data[0]);
	KT_EXPECT(this_cpu()->self == this_cpu());
	KT_ASSERT(wait_fire(&t, &r, 1));
	KT_EXPECT(r.cpu == &per_cpu_data[0]);
	KT_EXPECT(r.self == r.cpu);
	KT_EXPECT_EQ(r.index, 0);
	KT_EXPECT_EQ(r.hw_id, kernel_boot_info->boot_cpu);
	KT_EXPECT_EQ(r.hal_id, r.hw_id);
	KT_EXPECT(!r.irqs_on); /* handlers run masked */
	KT_EXPECT_EQ(this_cpu()->irq_depth, 0);
}

KTEST(trace_events_appear_in_order_with_increasing_timestamps)
{
	const struct trace_ring *ring = &this_cpu()->trace;
	irqflags_t flags = hal_irq_save(); /* nothing may interleave with the marks */
	uint64_t head = trace_ring_head(ring);
	struct trace_event ev, prev = { 0 };

	for (uint64_t i = 0; i < 8; i++)
		trace_event(TRACE_MARK, 0x7e57, i, 0, 0);
	hal_irq_restore(flags);
	for (uint64_t i = 0; i < 8; i++) {
		KT_ASSERT(trace_ring_read(ring, head + i, &ev));
		KT_EXPECT_EQ(ev.type, TRACE_MARK);
		KT_EXPECT_EQ(ev.data[1], i);
		KT_EXPECT_EQ(ev.cpu, 0);
		if (i)
			KT_EXPECT(ev.timestamp >= prev.timestamp);
		prev = ev;
	}
}

KTEST(trace_records_timer_set_then_fire)
{
	const struct trace_ring *ring = &this_cpu()->trace;
	uint64_t head = trace_ring_head(ring), set_seq = 0, fire_seq = 0;
	struct timer_event t;
	struct fire_record r;
	struct trace_event ev;

	KT_ASSERT(wait_fire(&t, &r, 1));
	for (uint64_t s = head; s < trace_ring_head(ring); s++) {
		if (!trace_ring_read(ring, s, &ev) || ev.data[0] != t.deadline)
			continue;
		if (ev.type == TRACE_TIMER_SET && !set_seq)
			set_seq = s;
		if (ev.type == TRACE_TIMER_FIRE)
			fire_seq = s;
	}
	KT_EXPECT(set_seq != 0);
	KT_EXPECT(fire_seq > set_seq);
}
