// SPDX-License-Identifier: MIT
/* Host tests for core/time: tick/ns conversion at real counter rates, and timer ordering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/clock.h>
#include <kernel/errno.h>
#include <kernel/percpu.h>
#include <kernel/trace.h>
#include "../fake_hal_cpu.h"

/* Counter rates of real machines: x86 TSCs, the arm64 generic timer (QEMU 62.5 MHz, Pi 54 MHz,
 * many SoCs 24 MHz), RISC-V QEMU virt 10 MHz, 1 MHz boards. */
static const uint64_t rates[] = { 1000000, 10000000, 24000000, 54000000, 62500000,
				  1000000000, 3000000000ull };

/* Exact floor(t * 1e9 / f) with the host's 128-bit integers (the kernel has none). */
static uint64_t ref_ns(uint64_t t, uint64_t f)
{
	unsigned __int128 v = (unsigned __int128)t * 1000000000u / f;

	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

static uint64_t ref_ticks_up(uint64_t ns, uint64_t f)
{
	unsigned __int128 v = ((unsigned __int128)ns * f + 999999999u) / 1000000000u;

	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

static void assert_close(uint64_t got, uint64_t want, uint64_t f, uint64_t t)
{
	uint64_t diff = got > want ? got - want : want - got;

	if (diff > 1)
		fail_msg("freq %llu ticks %llu: got %llu ns, exact %llu", (unsigned long long)f,
			 (unsigned long long)t, (unsigned long long)got, (unsigned long long)want);
}

static void clock_conv_rejects_zero_and_absurd_rates(void **state)
{
	(void)state;
	struct clock_conv cv;

	assert_int_equal(clock_conv_init(&cv, 0), -EINVAL);
	assert_int_equal(clock_conv_init(&cv, 100000000000ull), -EINVAL);
	assert_int_equal(clock_conv_init(&cv, 1), 0);
}

static void clock_conv_is_within_1ns_at_real_rates(void **state)
{
	(void)state;
	for (size_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++) {
		struct clock_conv cv;
		uint64_t f = rates[r];

		assert_int_equal(clock_conv_init(&cv, f), 0);
		assert_true(cv.max_ticks >= f); /* a second's worth takes the fast path */
		const uint64_t probes[] = { 0, 1, 2, 3, 999, f - 1, f, f + 1, cv.max_ticks - 1,
					    cv.max_ticks, cv.max_ticks + 1, 3600 * f + 12345,
					    86400ull * 365 * f + 77 };
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			assert_close(clock_conv_ticks_to_ns(&cv, probes[i]), ref_ns(probes[i], f),
				     f, probes[i]);
		for (uint64_t t = 1; t < 100000000000ull; t = t * 3 + 1)
			assert_close(clock_conv_ticks_to_ns(&cv, t), ref_ns(t, f), f, t);
	}
}

static void clock_conv_saturates_at_huge_tick_counts(void **state)
{
	(void)state;
	for (size_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++) {
		struct clock_conv cv;
		uint64_t f = rates[r];

		assert_int_equal(clock_conv_init(&cv, f), 0);
		/* The largest count whose ns value still fits is exact; beyond, saturate. */
		assert_int_equal(clock_conv_ticks_to_ns(&cv, UINT64_MAX), ref_ns(UINT64_MAX, f));
		assert_int_equal(clock_conv_ticks_to_ns(&cv, UINT64_MAX / 2),
				 ref_ns(UINT64_MAX / 2, f));
		assert_int_equal(clock_conv_ns_to_ticks(&cv, UINT64_MAX),
				 ref_ticks_up(UINT64_MAX, f));
	}
}

static void clock_ns_to_ticks_rounds_up(void **state)
{
	(void)state;
	for (size_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++) {
		struct clock_conv cv;
		uint64_t f = rates[r];

		assert_int_equal(clock_conv_init(&cv, f), 0);
		for (uint64_t ns = 0; ns < 50000000000000ull; ns = ns * 5 + 3) {
			uint64_t t = clock_conv_ns_to_ticks(&cv, ns);

			assert_int_equal(t, ref_ticks_up(ns, f));
			/* Never early: converting back is at least the request. */
			assert_true(ref_ns(t, f) >= ns);
		}
		/* Never zero for a nonzero wait. */
		assert_true(clock_conv_ns_to_ticks(&cv, 1) >= 1);
	}
}

/* ---- timers against the fake one-shot timer -------------------------------------------- */

static unsigned order[8];
static unsigned fired;

static void record(struct timer_event *t)
{
	order[fired++] = (unsigned)(uintptr_t)t->arg;
}

static int timer_setup(void **state)
{
	(void)state;
	fake_cpu_reset();
	fake_counter = 1000;
	fake_counter_step = 0;
	fake_counter_hz = 1000000; /* 1 tick = 1 us */
	clock_init();
	fired = 0;
	return 0;
}

static void timers_fire_in_deadline_order_and_reprogram(void **state)
{
	(void)state;
	struct timer_event a = { .fn = record, .arg = (void *)1 };
	struct timer_event b = { .fn = record, .arg = (void *)2 };
	struct timer_event c = { .fn = record, .arg = (void *)3 };

	assert_int_equal(timer_arm(&a, 30000), 0); /* 30 us -> deadline 1030 */
	assert_int_equal(fake_timer_deadline, 1030);
	assert_int_equal(timer_arm(&b, 10000), 0);
	assert_int_equal(fake_timer_deadline, 1010); /* earlier head: hardware moved */
	assert_int_equal(timer_arm(&c, 20000), 0);
	assert_int_equal(fake_timer_deadline, 1010);
	assert_int_equal(timer_arm(&c, 5), -EBUSY);

	fake_counter = 1020; /* b and c expired, a not yet */
	clock_timer_interrupt();
	assert_int_equal(fired, 2);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 3);
	assert_true(fake_timer_armed);
	assert_int_equal(fake_timer_deadline, 1030);
	assert_false(timer_pending(&b));
	assert_true(timer_pending(&a));

	fake_counter = 1100;
	clock_timer_interrupt();
	assert_int_equal(fired, 3);
	assert_false(fake_timer_armed); /* nothing pending: tickless */
	assert_int_equal(this_cpu()->timer_count, 2);
}

static void timer_cancel_removes_and_moves_the_hardware(void **state)
{
	(void)state;
	struct timer_event a = { .fn = record };
	struct timer_event b = { .fn = record };

	assert_int_equal(timer_arm(&a, 10000), 0);
	assert_int_equal(timer_arm(&b, 20000), 0);
	assert_true(timer_cancel(&a));
	assert_false(timer_cancel(&a));
	assert_int_equal(fake_timer_deadline, 1020);
	assert_true(timer_cancel(&b));
	assert_false(fake_timer_armed);
	fake_counter = 5000;
	clock_timer_interrupt();
	assert_int_equal(fired, 0);
}

static void timer_equal_deadlines_fire_in_arming_order(void **state)
{
	(void)state;
	struct timer_event t[4];

	for (unsigned i = 0; i < 4; i++) {
		t[i] = (struct timer_event){ .fn = record, .arg = (void *)(uintptr_t)i };
		assert_int_equal(timer_arm_at(&t[i], 2000), 0);
	}
	fake_counter = 2000;
	clock_timer_interrupt();
	assert_int_equal(fired, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(order[i], i);
}

static void timer_fire_is_traced_with_lateness(void **state)
{
	(void)state;
	struct timer_event a = { .fn = record };
	struct trace_ring *ring = &this_cpu()->trace;
	struct trace_event ev;
	bool seen = false;

	assert_int_equal(timer_arm_at(&a, 1500), 0);
	fake_counter = 1540;
	clock_timer_interrupt();
	for (uint64_t s = 0; s < trace_ring_head(ring); s++)
		if (trace_ring_read(ring, s, &ev) && ev.type == TRACE_TIMER_FIRE) {
			assert_int_equal(ev.data[0], 1500);
			assert_int_equal(ev.data[1], 40);
			seen = true;
		}
	assert_true(seen);
}

static void clock_now_ns_counts_from_clock_init(void **state)
{
	(void)state;
	fake_counter = 1000 + 2500000; /* 2.5 s at 1 MHz */
	assert_int_equal(clock_now_ns(), 2500000000ull);
}

/* The hardware timer "fires": time jumps to its deadline and the interrupt runs. */
static void fire_pending_timer(void)
{
	if (fake_timer_armed && fake_counter < fake_timer_deadline)
		fake_counter = fake_timer_deadline;
	if (fake_timer_armed)
		clock_timer_interrupt();
}

static bool not_pending(void *arg)
{
	return !timer_pending(arg);
}

static void cpu_idle_until_sleeps_masked_until_ready(void **state)
{
	(void)state;
	struct timer_event a = { .fn = record };

	fake_idle_hook = fire_pending_timer;
	fake_idle_calls = 0;
	assert_int_equal(timer_arm(&a, 50000), 0);
	cpu_idle_until(not_pending, &a);
	assert_int_equal(fired, 1);
	assert_int_equal(fake_idle_calls, 1);
	/* Checked and slept with interrupts masked: the wake-up cannot slip in between. */
	assert_false(fake_idle_saw_irqs_on);
	cpu_idle_until(not_pending, &a); /* already ready: no sleep */
	assert_int_equal(fake_idle_calls, 1);
	fake_idle_hook = NULL;
}

/* A timer armed on CPU 1 is pending everywhere, and CPU 0 can cancel it: the cancel takes
 * CPU 1's queue lock, leaves CPU 0's hardware deadline alone, and CPU 1 never fires it. */
static void timer_cancel_finds_a_timer_armed_on_another_cpu(void **state)
{
	(void)state;
	struct timer_event a = { .fn = record }, b = { .fn = record };

	fake_cpu_switch(1);
	assert_int_equal(timer_arm_at(&a, 2000), 0);
	fake_cpu_switch(0);
	assert_int_equal(timer_arm_at(&b, 3000), 0);
	assert_true(timer_pending(&a));
	assert_int_equal(timer_arm_at(&a, 100), -EBUSY); /* pending on CPU 1 */
	assert_true(timer_cancel(&a));
	assert_false(timer_pending(&a));
	assert_false(timer_cancel(&a));
	assert_int_equal(fake_timer_deadline, 3000); /* CPU 0 still armed for b */
	fake_counter = 5000;
	fake_cpu_switch(1);
	clock_timer_interrupt();
	assert_int_equal(fired, 0);
	fake_cpu_switch(0);
	clock_timer_interrupt();
	assert_int_equal(fired, 1);
	assert_false(timer_pending(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clock_conv_rejects_zero_and_absurd_rates),
		cmocka_unit_test(clock_conv_is_within_1ns_at_real_rates),
		cmocka_unit_test(clock_conv_saturates_at_huge_tick_counts),
		cmocka_unit_test(clock_ns_to_ticks_rounds_up),
		cmocka_unit_test_setup(timers_fire_in_deadline_order_and_reprogram, timer_setup),
		cmocka_unit_test_setup(timer_cancel_removes_and_moves_the_hardware, timer_setup),
		cmocka_unit_test_setup(timer_equal_deadlines_fire_in_arming_order, timer_setup),
		cmocka_unit_test_setup(timer_fire_is_traced_with_lateness, timer_setup),
		cmocka_unit_test_setup(clock_now_ns_counts_from_clock_init, timer_setup),
		cmocka_unit_test_setup(cpu_idle_until_sleeps_masked_until_ready, timer_setup),
		cmocka_unit_test_setup(timer_cancel_finds_a_timer_armed_on_another_cpu,
				       timer_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
