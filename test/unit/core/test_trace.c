// SPDX-License-Identifier: MIT
/* Host tests for core/trace/trace.c: wrap-around, sequence numbers, the dump format, and a
 * concurrent writer/reader that must never see a torn record. Built with a 64-entry ring. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/percpu.h>
#include <kernel/trace.h>
#include "../fake_hal_cpu.h"

#define N CONFIG_TRACE_RING_ENTRIES

static int setup(void **state)
{
	(void)state;
	fake_cpu_reset();
	fake_counter = 1000;
	fake_counter_step = 10;
	fake_output_reset();
	return 0;
}

static void trace_event_records_fields_in_order(void **state)
{
	(void)state;
	struct trace_ring *ring = &this_cpu()->trace;
	struct trace_event ev, prev;

	for (uint64_t i = 0; i < 5; i++)
		trace_event(TRACE_MARK, i, i + 1, i + 2, i + 3);
	assert_int_equal(trace_ring_head(ring), 5);
	for (uint64_t i = 0; i < 5; i++) {
		assert_true(trace_ring_read(ring, i, &ev));
		assert_int_equal(ev.type, TRACE_MARK);
		assert_int_equal(ev.cpu, 0);
		assert_int_equal(ev.data[0], i);
		assert_int_equal(ev.data[3], i + 3);
		if (i)
			assert_true(ev.timestamp > prev.timestamp);
		prev = ev;
	}
	assert_false(trace_ring_read(ring, 5, &ev)); /* not written yet */
}

static void trace_ring_wraps_and_forgets_the_oldest(void **state)
{
	(void)state;
	struct trace_ring *ring = &this_cpu()->trace;
	struct trace_event ev;
	uint64_t total = 3 * N + 7;

	for (uint64_t i = 0; i < total; i++)
		trace_event(TRACE_MARK, i, 0, 0, 0);
	assert_int_equal(trace_ring_head(ring), total);
	for (uint64_t seq = 0; seq < total - N; seq++)
		assert_false(trace_ring_read(ring, seq, &ev)); /* overwritten */
	for (uint64_t seq = total - N; seq < total; seq++) {
		assert_true(trace_ring_read(ring, seq, &ev));
		assert_int_equal(ev.data[0], seq);
	}
}

static void trace_event_before_percpu_init_is_dropped(void **state)
{
	(void)state;
	percpu_ready = false;
	trace_event(TRACE_MARK, 1, 2, 3, 4); /* must not touch this_cpu() */
	percpu_ready = true;
	assert_int_equal(trace_ring_head(&this_cpu()->trace), 0);
}

static void trace_dump_prints_header_events_and_end(void **state)
{
	(void)state;
	unsigned lines = 0;
	char want[128];

	for (uint64_t i = 0; i < N + 3; i++)
		trace_event(TRACE_TIMER_FIRE, 0xabc, i, 0, 0);
	trace_dump();
	assert_non_null(strstr(fake_output, "TRACE BEGIN v1 freq_hz=1000000 cpus=1"));
	snprintf(want, sizeof(want), "TRACE END events=%u lost=0", N);
	assert_non_null(strstr(fake_output, want));
	for (const char *p = fake_output; (p = strstr(p, "\nT ")); p++)
		lines++;
	assert_int_equal(lines, N);
	/* The oldest kept event is number 3 (hex), type 5, payload d0=abc d1=3. */
	assert_non_null(strstr(fake_output, "\nT 0 3 "));
	assert_non_null(strstr(fake_output, " 5 abc 3 0 0\n"));
}

static void trace_print_tail_shows_the_last_events(void **state)
{
	(void)state;
	for (uint64_t i = 0; i < 40; i++)
		trace_event(TRACE_IRQ_ENTER, i, 0, 0, 0);
	trace_print_tail(4);
	assert_non_null(strstr(fake_output, "#39"));
	assert_non_null(strstr(fake_output, "#36"));
	assert_null(strstr(fake_output, "#35"));
	assert_non_null(strstr(fake_output, "irq-enter"));
}

/* ---- one writer thread, one reader thread, on a ring nobody else uses ---------------- */

static struct trace_ring shared_ring;
static volatile bool writer_done;
#define WRITES 2000000ull

static void *writer(void *arg)
{
	(void)arg;
	for (uint64_t i = 0; i < WRITES; i++)
		trace_ring_write(&shared_ring, 3, (uint32_t)(i % 9) + 1, i, ~i, i * 7, i ^ 0x5555);
	writer_done = true;
	return NULL;
}

static bool consistent(const struct trace_event *ev, uint64_t seq)
{
	return ev->cpu == 3 && ev->type == (seq % 9) + 1 && ev->data[0] == seq &&
	       ev->data[1] == ~seq && ev->data[2] == seq * 7 && ev->data[3] == (seq ^ 0x5555);
}

static void trace_concurrent_reader_never_accepts_a_torn_record(void **state)
{
	(void)state;
	pthread_t t;
	uint64_t accepted = 0, rejected = 0, bad = 0;
	struct trace_event ev;

	fake_counter_step = 1;
	assert_int_equal(pthread_create(&t, NULL, writer, NULL), 0);
	while (!writer_done) {
		uint64_t head = trace_ring_head(&shared_ring);
		/* The oldest slots are the ones being overwritten right now. */
		uint64_t first = head > N ? head - N : 0;

		for (uint64_t seq = first; seq < first + 8 && seq < head; seq++) {
			if (!trace_ring_read(&shared_ring, seq, &ev)) {
				rejected++;
				continue;
			}
			accepted++;
			if (!consistent(&ev, seq))
				bad++;
		}
	}
	pthread_join(t, NULL);
	print_message("concurrent: %llu accepted, %llu rejected, %llu torn accepted\n",
		      (unsigned long long)accepted, (unsigned long long)rejected,
		      (unsigned long long)bad);
	assert_int_equal(bad, 0);
	assert_true(accepted > 0);
	assert_int_equal(trace_ring_head(&shared_ring), WRITES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(trace_event_records_fields_in_order, setup),
		cmocka_unit_test_setup(trace_ring_wraps_and_forgets_the_oldest, setup),
		cmocka_unit_test_setup(trace_event_before_percpu_init_is_dropped, setup),
		cmocka_unit_test_setup(trace_dump_prints_header_events_and_end, setup),
		cmocka_unit_test_setup(trace_print_tail_shows_the_last_events, setup),
		cmocka_unit_test_setup(trace_concurrent_reader_never_accepts_a_torn_record, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
