// SPDX-License-Identifier: MIT
/* Host tests for core/irq/dispatch.c against a fake interrupt controller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>

#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/percpu.h>
#include <kernel/trace.h>
#include "../fake_hal_cpu.h"

#define FAKE_NR 64

static bool enabled[FAKE_NR];
static unsigned eoi_calls[FAKE_NR];
static unsigned pending[8];
static unsigned npending;

static void fake_enable(unsigned irq) { enabled[irq] = true; }
static void fake_disable(unsigned irq) { enabled[irq] = false; }
static int fake_prio(unsigned irq, unsigned prio) { return 0; }
static int fake_route(unsigned irq, cpu_id_t cpu) { return 0; }
static unsigned eoi_out_of_range;
static void fake_eoi(unsigned irq)
{
	if (irq < FAKE_NR)
		eoi_calls[irq]++;
	else
		eoi_out_of_range++;
}

static unsigned fake_ack(void)
{
	return npending ? pending[--npending] : IRQ_NONE;
}

static const struct irq_chip fake_chip = {
	.name = "fake", .nr_irqs = FAKE_NR, .enable = fake_enable, .disable = fake_disable,
	.set_priority = fake_prio, .route = fake_route, .ack = fake_ack, .eoi = fake_eoi,
};

static unsigned handled;
static unsigned last_irq;
static void *last_arg;
static uint32_t depth_seen;

static void handler(unsigned irq, void *arg)
{
	handled++;
	last_irq = irq;
	last_arg = arg;
	depth_seen = this_cpu()->irq_depth;
}

static int setup(void **state)
{
	(void)state;
	fake_cpu_reset();
	for (unsigned i = 0; i < FAKE_NR; i++) {
		irq_free(i);
		enabled[i] = false;
		eoi_calls[i] = 0;
	}
	handled = 0;
	npending = 0;
	return 0;
}

static void irq_request_before_a_chip_is_enoent(void **state)
{
	(void)state;
	/* Runs first: no controller registered yet. */
	assert_int_equal(irq_request(3, handler, NULL, "x"), -ENOENT);
	assert_null(irq_chip());
	irq_register_chip(&fake_chip);
	assert_ptr_equal(irq_chip(), &fake_chip);
}

static void irq_request_rejects_bad_numbers_and_null_handlers(void **state)
{
	(void)state;
	assert_int_equal(irq_request(FAKE_NR, handler, NULL, "x"), -EINVAL);
	assert_int_equal(irq_request(IRQ_LIMIT + 5, handler, NULL, "x"), -EINVAL);
	assert_int_equal(irq_request(IRQ_NONE, handler, NULL, "x"), -EINVAL);
	assert_int_equal(irq_request(4, NULL, NULL, "x"), -EINVAL);
	assert_int_equal(irq_free(FAKE_NR), -ENOENT);
	assert_int_equal(irq_free(5), -ENOENT); /* nothing installed */
}

static void irq_request_unmasks_and_free_masks(void **state)
{
	(void)state;
	assert_int_equal(irq_request(7, handler, NULL, "dev"), 0);
	assert_true(enabled[7]);
	assert_int_equal(irq_request(7, handler, NULL, "dev2"), -EBUSY);
	assert_int_equal(irq_free(7), 0);
	assert_false(enabled[7]);
	assert_int_equal(irq_request(7, handler, NULL, "dev2"), 0);
}

static void irq_handle_runs_handler_counts_and_eois_once(void **state)
{
	(void)state;
	int token;
	uint64_t before = irq_count(9), cpu_before = this_cpu()->irq_count;

	assert_int_equal(irq_request(9, handler, &token, "dev"), 0);
	irq_handle(9);
	assert_int_equal(handled, 1);
	assert_int_equal(last_irq, 9);
	assert_ptr_equal(last_arg, &token);
	assert_int_equal(depth_seen, 1);
	assert_int_equal(this_cpu()->irq_depth, 0);
	assert_int_equal(eoi_calls[9], 1);
	assert_int_equal(irq_count(9), before + 1);
	assert_int_equal(this_cpu()->irq_count, cpu_before + 1);
}

static void irq_without_handler_is_spurious_but_acknowledged(void **state)
{
	(void)state;
	uint64_t sp = irq_spurious_count();

	irq_handle(11);
	assert_int_equal(handled, 0);
	assert_int_equal(irq_spurious_count(), sp + 1);
	assert_int_equal(eoi_calls[11], 1);
	eoi_out_of_range = 0;
	irq_handle(FAKE_NR + 1); /* no slot for it: counted as spurious, still ended */
	irq_handle(IRQ_LIMIT + 7);
	assert_int_equal(irq_spurious_count(), sp + 3);
	assert_int_equal(eoi_out_of_range, 2);
	assert_int_equal(handled, 0);
}

static volatile bool in_slow, release_slow, slow_done;

static void slow_handler(unsigned irq, void *arg)
{
	in_slow = true;
	while (!release_slow)
		;
	slow_done = true;
}

static void *run_irq(void *arg)
{
	irq_handle((unsigned)(uintptr_t)arg);
	return NULL;
}

static void *release_later(void *arg)
{
	(void)arg;
	usleep(30000);
	release_slow = true;
	return NULL;
}

/* One thread is inside the handler (another CPU taking the interrupt) when irq_free() is
 * called: irq_free() returns only after the handler has finished. */
static void irq_free_waits_for_a_running_handler(void **state)
{
	(void)state;
	pthread_t cpu1, releaser;

	in_slow = release_slow = slow_done = false;
	assert_int_equal(irq_request(13, slow_handler, NULL, "slow"), 0);
	assert_int_equal(pthread_create(&cpu1, NULL, run_irq, (void *)(uintptr_t)13), 0);
	while (!in_slow)
		;
	assert_int_equal(pthread_create(&releaser, NULL, release_later, NULL), 0);
	assert_int_equal(irq_free(13), 0);
	assert_true(slow_done);
	assert_false(enabled[13]);
	assert_int_equal(pthread_join(cpu1, NULL), 0);
	assert_int_equal(pthread_join(releaser, NULL), 0);
	irq_handle(13); /* after the free: spurious, the handler does not run */
	assert_int_equal(irq_count(13), 1);
}

static void irq_dispatch_pending_drains_the_controller(void **state)
{
	(void)state;
	assert_int_equal(irq_request(2, handler, NULL, "a"), 0);
	assert_int_equal(irq_request(3, handler, NULL, "b"), 0);
	pending[npending++] = 3;
	pending[npending++] = 2;
	pending[npending++] = 2;
	irq_dispatch_pending();
	assert_int_equal(handled, 3);
	assert_int_equal(npending, 0);
	assert_int_equal(eoi_calls[2], 2);
	assert_int_equal(eoi_calls[3], 1);
}

static void irq_handle_traces_enter_and_exit(void **state)
{
	(void)state;
	struct trace_ring *ring = &this_cpu()->trace;
	uint64_t head;
	struct trace_event ev;

	assert_int_equal(irq_request(5, handler, NULL, "t"), 0);
	head = trace_ring_head(ring);
	irq_handle(5);
	assert_int_equal(trace_ring_head(ring), head + 2);
	assert_true(trace_ring_read(ring, head, &ev));
	assert_int_equal(ev.type, TRACE_IRQ_ENTER);
	assert_int_equal(ev.data[0], 5);
	assert_true(trace_ring_read(ring, head + 1, &ev));
	assert_int_equal(ev.type, TRACE_IRQ_EXIT);
	assert_int_equal(ev.data[1], 1);
}

static void irq_print_stats_lists_named_lines(void **state)
{
	(void)state;
	assert_int_equal(irq_request(6, handler, NULL, "uart"), 0);
	irq_handle(6);
	fake_output_reset();
	irq_print_stats();
	assert_non_null(strstr(fake_output, "uart"));
	assert_non_null(strstr(fake_output, "fake"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(irq_request_before_a_chip_is_enoent, setup),
		cmocka_unit_test_setup(irq_request_rejects_bad_numbers_and_null_handlers, setup),
		cmocka_unit_test_setup(irq_request_unmasks_and_free_masks, setup),
		cmocka_unit_test_setup(irq_handle_runs_handler_counts_and_eois_once, setup),
		cmocka_unit_test_setup(irq_without_handler_is_spurious_but_acknowledged, setup),
		cmocka_unit_test_setup(irq_dispatch_pending_drains_the_controller, setup),
		cmocka_unit_test_setup(irq_free_waits_for_a_running_handler, setup),
		cmocka_unit_test_setup(irq_handle_traces_enter_and_exit, setup),
		cmocka_unit_test_setup(irq_print_stats_lists_named_lines, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
