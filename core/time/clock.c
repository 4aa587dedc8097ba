// SPDX-License-Identifier: MIT
/* The monotonic clock: counter ticks <-> nanoseconds without 128-bit arithmetic. */
#include <kernel/clock.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>

#define NSEC_PER_SEC 1000000000ull
/* Above this the slow paths' 64-bit products (r * 1e9, r * freq) could overflow. */
#define CLOCK_MAX_FREQ (10 * NSEC_PER_SEC)
/* 1e9 << shift must fit in 64 bits: 1e9 < 2^30. */
#define CLOCK_MAX_SHIFT 33

/*
 * mult/shift is the fast path: mult = round(1e9 * 2^shift / freq) with the largest shift that
 * keeps mult in 32 bits. Below max_ticks the product cannot overflow and the rounding error
 * of mult adds up to less than half a nanosecond (ticks <= 2^shift).
 */
int clock_conv_init(struct clock_conv *cv, uint64_t freq_hz)
{
	uint32_t shift = CLOCK_MAX_SHIFT;
	uint64_t mult;

	if (freq_hz == 0 || freq_hz > CLOCK_MAX_FREQ)
		return -EINVAL;
	for (;; shift--) {
		mult = ((NSEC_PER_SEC << shift) + freq_hz / 2) / freq_hz;
		if (mult <= UINT32_MAX || shift == 0)
			break;
	}
	if (mult == 0 || mult > UINT32_MAX)
		return -EINVAL;
	cv->freq_hz = freq_hz;
	cv->mult = (uint32_t)mult;
	cv->shift = shift;
	cv->max_ticks = UINT64_MAX / mult;
	if (shift < 63 && cv->max_ticks > (1ull << shift))
		cv->max_ticks = 1ull << shift;
	return 0;
}

/* Exact floor(ticks * 1e9 / freq), split so no product overflows; saturates. */
static uint64_t ticks_to_ns_slow(const struct clock_conv *cv, uint64_t ticks)
{
	uint64_t secs = ticks / cv->freq_hz;
	uint64_t rem = ticks % cv->freq_hz;
	uint64_t ns = rem * NSEC_PER_SEC / cv->freq_hz;

	if (secs > (UINT64_MAX - ns) / NSEC_PER_SEC)
		return UINT64_MAX;
	return secs * NSEC_PER_SEC + ns;
}

uint64_t clock_conv_ticks_to_ns(const struct clock_conv *cv, uint64_t ticks)
{
	if (ticks < cv->max_ticks)
		return (ticks * cv->mult) >> cv->shift;
	return ticks_to_ns_slow(cv, ticks);
}

/* ceil(ns * freq / 1e9), split the same way; saturates. */
uint64_t clock_conv_ns_to_ticks(const struct clock_conv *cv, uint64_t ns)
{
	uint64_t secs = ns / NSEC_PER_SEC;
	uint64_t rem = ns % NSEC_PER_SEC;
	uint64_t ticks = (rem * cv->freq_hz + NSEC_PER_SEC - 1) / NSEC_PER_SEC;

	if (secs && secs > (UINT64_MAX - ticks) / cv->freq_hz)
		return UINT64_MAX;
	return secs * cv->freq_hz + ticks;
}

struct clock_conv clock_main;
static uint64_t clock_base;

void clock_init(void)
{
	uint64_t freq = hal_counter_freq();

	if (clock_conv_init(&clock_main, freq)) {
		/* Keep going with a nonsense-but-safe 1 GHz so nothing divides by zero. */
		kprintf("  clock: counter frequency %llu Hz unusable, assuming 1 GHz\n",
			(unsigned long long)freq);
		clock_main = (struct clock_conv){ .freq_hz = NSEC_PER_SEC, .mult = 1, .shift = 0,
						  .max_ticks = UINT64_MAX };
	}
	clock_base = hal_counter_read();
	hal_timer_init();
	timer_subsystem_init();
	kprintf("  clock: %llu Hz counter, mult %u shift %u, tick %s\n",
		(unsigned long long)clock_main.freq_hz, clock_main.mult, clock_main.shift,
		CONFIG_TICK_HZ > 0 ? "periodic" : "none (tickless)");
}

uint64_t clock_now_ns(void)
{
	return clock_conv_ticks_to_ns(&clock_main, hal_counter_read() - clock_base);
}
