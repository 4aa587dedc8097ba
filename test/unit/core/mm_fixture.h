/* SPDX-License-Identifier: MIT */
/* Shared setup for the memory-management host tests: a fake RAM arena handed to the pmm.
 * Include after <cmocka.h>. */
#ifndef KEEL_TEST_MM_FIXTURE_H
#define KEEL_TEST_MM_FIXTURE_H

#include <pthread.h>

#include <kernel/pmm.h>
#include "../fake_hal.h"

/* Back physical [0, @size) with a fresh arena and give all of it to a reset pmm (node 0). */
static inline void mm_fixture_up(size_t size)
{
	fake_hal_arena_init(0, size);
	pmm_reset();
	assert_int_equal(pmm_add_range(0, size, 0), 0);
	assert_int_equal(pmm_commit(), 0);
}

/* One side of a race: a host thread standing for CPU @cpu that calls @fn(@arg) once the
 * barrier opens. */
struct mm_racer {
	pthread_barrier_t *go;
	int (*fn)(void *arg);
	void *arg;
	unsigned cpu;
	int ret;
};

static void *mm_racer_run(void *p)
{
	struct mm_racer *r = p;

	fake_hal_set_cpu(r->cpu);
	pthread_barrier_wait(r->go);
	r->ret = r->fn(r->arg);
	return NULL;
}

/* Call @fn(@arg) from two threads (CPUs 1 and 2) released at the same instant; returns how
 * many of the two calls returned 0. A double-free check that is not in the same critical
 * section as the free lets both succeed now and then. */
static inline int mm_race_twice(int (*fn)(void *arg), void *arg)
{
	pthread_barrier_t go;
	struct mm_racer r[2] = { { &go, fn, arg, 1, -1 }, { &go, fn, arg, 2, -1 } };
	pthread_t t[2];

	assert_int_equal(pthread_barrier_init(&go, NULL, 2), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, mm_racer_run, &r[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	pthread_barrier_destroy(&go);
	return (r[0].ret == 0) + (r[1].ret == 0);
}

/* Rounds of each race test: enough for the two threads to overlap many times on 2 cores. */
#define MM_RACE_ROUNDS 400

#endif
