// SPDX-License-Identifier: MIT
/* TSC frequency: from CPUID when the CPU reports it, else measured against the 8254 PIT. */
#include <arch/cpu.h>
#include <arch/x86.h>

#define CPUID_TSC_LEAF   0x15 /* TSC/crystal ratio and crystal Hz (SDM vol. 2 CPUID) */
#define CPUID_FREQ_LEAF  0x16 /* processor base frequency in MHz */

/* 8254 PIT channel 2, gated through the keyboard controller's port B (port 0x61). */
#define PIT_HZ          1193182
#define PIT_CH2_DATA    0x42
#define PIT_CMD         0x43
#define PIT_CMD_CH2_MODE0 0xB0 /* channel 2, lo/hi byte access, mode 0, binary */
#define PORTB           0x61
#define PORTB_GATE2     0x01   /* channel 2 gate */
#define PORTB_SPEAKER   0x02   /* speaker data enable: keep off */
#define PORTB_OUT2      0x20   /* channel 2 output (read-only) */

#define CALIBRATE_MS    10
#define CALIBRATE_TICKS (PIT_HZ * CALIBRATE_MS / 1000)
/* Give up if OUT2 never rises (no PIT): far more polls than 10 ms can take. */
#define CALIBRATE_MAX_POLLS 10000000UL

static uint64_t tsc_freq_from_cpuid(void)
{
	uint32_t max_leaf = cpuid(0, 0).eax;
	struct cpuid_regs r;

	if (max_leaf >= CPUID_TSC_LEAF) {
		r = cpuid(CPUID_TSC_LEAF, 0);
		/* eax = denominator, ebx = numerator, ecx = crystal Hz (0: not enumerated). */
		if (r.eax && r.ebx && r.ecx)
			return (uint64_t)r.ecx * r.ebx / r.eax;
	}
	if (max_leaf >= CPUID_FREQ_LEAF) {
		r = cpuid(CPUID_FREQ_LEAF, 0);
		if (r.eax & 0xffff)
			return (uint64_t)(r.eax & 0xffff) * 1000000;
	}
	return 0;
}

/* Count TSC ticks while PIT channel 2 counts down CALIBRATE_TICKS in one-shot mode. */
static uint64_t tsc_freq_from_pit(void)
{
	uint8_t portb = inb(PORTB) & ~(PORTB_GATE2 | PORTB_SPEAKER);
	uint64_t start, end;
	unsigned long polls = 0;

	outb(PORTB, portb);                       /* gate low: hold the counter */
	outb(PIT_CMD, PIT_CMD_CH2_MODE0);
	outb(PIT_CH2_DATA, CALIBRATE_TICKS & 0xff);
	outb(PIT_CH2_DATA, CALIBRATE_TICKS >> 8);
	outb(PORTB, portb | PORTB_GATE2);         /* gate high: start counting */

	start = rdtsc();
	while (!(inb(PORTB) & PORTB_OUT2)) {
		if (++polls > CALIBRATE_MAX_POLLS)
			return 0;
	}
	end = rdtsc();
	outb(PORTB, portb);
	if (end <= start)
		return 0;
	return (end - start) * PIT_HZ / CALIBRATE_TICKS;
}

uint64_t x86_tsc_detect_freq(void)
{
	uint64_t hz = tsc_freq_from_cpuid();

	return hz ? hz : tsc_freq_from_pit();
}
