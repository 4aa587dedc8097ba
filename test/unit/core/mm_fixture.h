/* SPDX-License-Identifier: MIT */
/* Shared setup for the memory-management host tests: a fake RAM arena handed to the pmm.
 * Include after <cmocka.h>. */
#ifndef KEEL_TEST_MM_FIXTURE_H
#define KEEL_TEST_MM_FIXTURE_H

#include <pthread.h>
#include <time.h>

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

static int mm_race_arrived;
static __thread bool mm_race_lined_up;

/*
 * The first hal_irq_save() of each racer (where a free's critical section begins) waits up
 * to ~1 ms for the other racer to get there too. A free that checks before that point (check
 * then act) has then passed its check in both threads before either acts, so both succeed
 * every round; a free that checks inside the lock cannot be fooled by it.
 */
static void mm_race_line_up(void)
{
	struct timespec t0, t;

	if (mm_race_lined_up)
		return;
	mm_race_lined_up = true;
	__atomic_fetch_add(&mm_race_arrived, 1, __ATOMIC_ACQ_REL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (__atomic_load_n(&mm_race_arrived, __ATOMIC_ACQUIRE) < 2 &&
		 (t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 1000000L);
}

static void *mm_racer_run(void *p)
{
	struct mm_racer *r = p;

	fake_hal_set_cpu(r->cpu);
	pthread_barrier_wait(r->go);
	r->ret = r->fn(r->arg);
	return NULL;
}

/* Call @fn(@arg) from two threads (CPUs 1 and 2), lined up where the critical section
 * starts (mm_race_line_up()); returns how many of the two calls returned 0. */
static inline int mm_race_twice(int (*fn)(void *arg), void *arg)
{
	pthread_barrier_t go;
	struct mm_racer r[2] = { { &go, fn, arg, 1, -1 }, { &go, fn, arg, 2, -1 } };
	pthread_t t[2];

	mm_race_arrived = 0;
	fake_irq_save_hook = mm_race_line_up;
	assert_int_equal(pthread_barrier_init(&go, NULL, 2), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, mm_racer_run, &r[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	pthread_barrier_destroy(&go);
	fake_irq_save_hook = NULL;
	return (r[0].ret == 0) + (r[1].ret == 0);
}

/* Rounds of each race test (each lines the two threads up, so a few suffice). */
#define MM_RACE_ROUNDS 200

#endif
