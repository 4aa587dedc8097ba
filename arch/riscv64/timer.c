// SPDX-License-Identifier: MIT
/* riscv64 one-shot timer: Sstc's stimecmp when the hart has it enabled, else SBI set_timer. */
#include <arch/csr.h>
#include <arch/riscv.h>
#include <arch/sbi.h>
#include <kernel/clock.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>

#define SBI_TIME_SET_TIMER        0
#define SBI_EXT_LEGACY_SET_TIMER  0x00
#define NO_DEADLINE               (~0ULL)

enum timer_kind { TIMER_NONE, TIMER_SSTC, TIMER_SBI, TIMER_SBI_LEGACY };

static enum timer_kind timer_kind;

static void stimecmp_write(uint64_t v)
{
	csr_write(0x14d, v); /* CSR_STIMECMP; RV64 writes all 64 bits at once */
}

static void read_stimecmp(void *arg)
{
	*(volatile unsigned long *)arg = csr_read(0x14d);
}

/*
 * The DTB may list Sstc while M-mode leaves it off (menvcfg.STCE = 0), and S-mode cannot read
 * menvcfg: then stimecmp is an illegal instruction. Try it under a fault probe.
 */
static bool sstc_usable(void)
{
	unsigned long v = 0;
	struct fault_info seen;

	return fault_probe_run(read_stimecmp, &v, &seen) == 0;
}

static void program(uint64_t deadline)
{
	switch (timer_kind) {
	case TIMER_SSTC:
		stimecmp_write(deadline);
		break;
	case TIMER_SBI:
		/* SBI spec 6.1: also clears the pending timer interrupt. */
		sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, deadline, 0, 0);
		break;
	case TIMER_SBI_LEGACY:
		sbi_legacy_call(SBI_EXT_LEGACY_SET_TIMER, deadline);
		break;
	case TIMER_NONE:
		break;
	}
}

void hal_timer_init(void)
{
	const char *why = "";

	if (timer_kind == TIMER_NONE) {
		if (riscv_has_sstc && sstc_usable()) {
			timer_kind = TIMER_SSTC;
		} else {
			if (riscv_has_sstc)
				why = " (DTB lists Sstc but stimecmp traps: not enabled by firmware)";
			else
				why = " (no Sstc in the DTB)";
			timer_kind = sbi_info.has_time ? TIMER_SBI : TIMER_SBI_LEGACY;
		}
		kprintf("riscv64: timer: %s%s\n",
			timer_kind == TIMER_SSTC ? "Sstc stimecmp" :
			timer_kind == TIMER_SBI ? "SBI TIME set_timer" : "legacy SBI set_timer",
			why);
	}
	program(NO_DEADLINE);
	csr_set(sie, SIE_STIE);
}

void hal_timer_set_deadline(uint64_t deadline)
{
	program(deadline);
}

void hal_timer_cancel(void)
{
	program(NO_DEADLINE);
}

void riscv_timer_interrupt(void)
{
	/* Stop the pending interrupt first (STIP follows stimecmp or is cleared by set_timer);
	 * clock_timer_interrupt() programs the next deadline or leaves it cancelled. */
	program(NO_DEADLINE);
	clock_timer_interrupt();
}

const char *riscv_timer_mode(void)
{
	switch (timer_kind) {
	case TIMER_SSTC:
		return "Sstc";
	case TIMER_SBI:
	case TIMER_SBI_LEGACY:
		return "SBI";
	case TIMER_NONE:
		break;
	}
	return NULL;
}
