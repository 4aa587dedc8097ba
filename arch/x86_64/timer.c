// SPDX-License-Identifier: MIT
/* x86-64 time: the TSC as the counter (its frequency from CPUID or the 8254 PIT) and the local
 * APIC timer as this CPU's one-shot deadline timer (TSC-deadline, or one-shot calibrated). */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/x86.h>
#include <kernel/bootinfo.h>
#include <kernel/clock.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/percpu.h>

#define LAPIC_LVT_TIMER  0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3E0
#define LVT_MASKED       (1u << 16)
#define LVT_TIMER_ONESHOT      (0u << 17)
#define LVT_TIMER_TSC_DEADLINE (2u << 17)
#define TIMER_DIV_16     0x3

/* ---- TSC frequency ---- */
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

/* ---- LAPIC timer: TSC-deadline, or one-shot calibrated against the TSC ---- */

#define CALIBRATE_DIVISOR 100 /* measure for 1/100 s */

static enum x86_timer_mode timer_mode;
static uint64_t lapic_timer_hz;     /* one-shot count rate (bus clock / 16) */
static uint64_t tsc_to_count_mult;  /* count = (tsc ticks * mult) >> 32 */
static uint64_t max_tsc_delta;      /* largest delta whose product cannot overflow */
static uint64_t timer_irqs, timer_last_fire;

static bool cpu_has_tsc_deadline(void)
{
	return cpuid(1, 0).ecx & CPUID_1_ECX_TSC_DEADLINE;
}

/* Count how far the LAPIC timer runs down while the TSC advances 1/100 s. */
static int lapic_timer_calibrate(void)
{
	uint64_t tsc_hz = hal_counter_freq(), t0, t1, dt_ns, elapsed;
	uint32_t cur;

	if (!tsc_hz)
		return -EINVAL;
	x86_lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	x86_lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT | X86_VEC_TIMER);
	x86_lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
	t0 = rdtsc();
	while (rdtsc() - t0 < tsc_hz / CALIBRATE_DIVISOR)
		cpu_relax();
	cur = x86_lapic_read(LAPIC_TIMER_CUR);
	t1 = rdtsc();
	x86_lapic_write(LAPIC_TIMER_INIT, 0);

	elapsed = 0xffffffffu - cur;
	dt_ns = (t1 - t0) * 1000000000ULL / tsc_hz; /* < 2^64 for any dt below ~1.8 s at 10 GHz */
	if (!elapsed || !dt_ns)
		return -EINVAL;
	lapic_timer_hz = elapsed * 1000000000ULL / dt_ns; /* elapsed < 2^32: no overflow */
	if (!lapic_timer_hz || lapic_timer_hz >= (1ULL << 32))
		return -EINVAL;
	tsc_to_count_mult = (lapic_timer_hz << 32) / tsc_hz;
	if (!tsc_to_count_mult)
		tsc_to_count_mult = 1;
	max_tsc_delta = ~0ULL / tsc_to_count_mult;
	return 0;
}

static void timer_stop(void)
{
	x86_lapic_write(LAPIC_TIMER_INIT, 0);
	if (cpu_has_tsc_deadline())
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
}

int x86_timer_set_mode(enum x86_timer_mode mode)
{
	irqflags_t flags;
	int err = 0;

	if (mode == X86_TIMER_TSC_DEADLINE && !cpu_has_tsc_deadline())
		return -ENOSYS;
	if (x86_lapic_ensure())
		return -EINVAL;
	flags = hal_irq_save();
	x86_lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | X86_VEC_TIMER);
	timer_stop();
	timer_mode = X86_TIMER_NONE;
	if (mode == X86_TIMER_TSC_DEADLINE) {
		x86_lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | X86_VEC_TIMER);
		mfence(); /* the LVT write must land before a deadline MSR write (SDM 11.5.4.1) */
		timer_mode = mode;
	} else if (mode == X86_TIMER_ONESHOT) {
		if (!lapic_timer_hz)
			err = lapic_timer_calibrate();
		if (!err) {
			x86_lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
			x86_lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONESHOT | X86_VEC_TIMER);
			timer_mode = mode;
		}
	} else {
		err = -EINVAL;
	}
	hal_irq_restore(flags);
	return err;
}

void hal_timer_init(void)
{
	int err;

	if (cpu_has_tsc_deadline() &&
	    !(kernel_boot_info && cmdline_has_word(kernel_boot_info->cmdline, "x86.timer=oneshot")))
		err = x86_timer_set_mode(X86_TIMER_TSC_DEADLINE);
	else
		err = x86_timer_set_mode(X86_TIMER_ONESHOT);
	if (err)
		kprintf("x86: no usable local APIC timer (%d): deadlines will not fire\n", err);
	else
		kprintf("  timer: local APIC, %s mode%s\n", x86_timer_mode_name(timer_mode),
			timer_mode == X86_TIMER_ONESHOT ? "" : " (counter = TSC)");
	if (timer_mode == X86_TIMER_ONESHOT)
		kprintf("  timer: LAPIC timer %llu Hz (bus clock / 16, calibrated against the TSC)\n",
			(unsigned long long)lapic_timer_hz);
}

void hal_timer_set_deadline(uint64_t deadline)
{
	uint64_t now, delta, count;

	switch (timer_mode) {
	case X86_TIMER_TSC_DEADLINE:
		/* 0 would disarm it: any passed deadline fires at once. */
		wrmsr(MSR_IA32_TSC_DEADLINE, deadline ? deadline : 1);
		return;
	case X86_TIMER_ONESHOT:
		now = rdtsc();
		delta = deadline > now ? deadline - now : 0;
		if (delta > max_tsc_delta)
			delta = max_tsc_delta;
		/* Round up so the interrupt never comes before the deadline; a deadline too far
		 * for 32 bits fires early and clock_timer_interrupt() programs the rest. */
		count = ((delta * tsc_to_count_mult) >> 32) + 1;
		if (count > 0xffffffffu)
			count = 0xffffffffu;
		x86_lapic_write(LAPIC_TIMER_INIT, (uint32_t)count);
		return;
	case X86_TIMER_NONE:
		return;
	}
}

void hal_timer_cancel(void)
{
	if (timer_mode == X86_TIMER_TSC_DEADLINE)
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	else if (timer_mode == X86_TIMER_ONESHOT)
		x86_lapic_write(LAPIC_TIMER_INIT, 0);
}

void x86_timer_interrupt(void)
{
	struct per_cpu *pc = this_cpu();

	timer_irqs++;
	timer_last_fire = rdtsc();
	pc->irq_depth++;
	clock_timer_interrupt();
	pc->irq_depth--;
	x86_lapic_eoi();
}

enum x86_timer_mode x86_timer_mode(void)
{
	return timer_mode;
}

const char *x86_timer_mode_name(enum x86_timer_mode mode)
{
	switch (mode) {
	case X86_TIMER_TSC_DEADLINE: return "TSC-deadline";
	case X86_TIMER_ONESHOT:      return "one-shot";
	default:                     return "none";
	}
}

uint64_t x86_timer_irq_count(void)
{
	return timer_irqs;
}

uint64_t x86_timer_last_fire_tsc(void)
{
	return timer_last_fire;
}

uint64_t x86_lapic_timer_hz(void)
{
	return lapic_timer_hz;
}
