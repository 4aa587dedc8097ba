// SPDX-License-Identifier: MIT
/* arm64 one-shot timer: the EL1 virtual generic timer (CNTV_*), compared against CNTVCT_EL0. */
#include <arch/arm64.h>
#include <arch/sysreg.h>
#include <kernel/clock.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>

#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK  (1u << 1)

/* The "arm,armv8-timer" node lists secure physical, non-secure physical, virtual and
 * hypervisor timers in that order: the virtual one is the third. */
#define DT_TIMER_VIRT_INDEX 2
/* The virtual timer's interrupt number the Arm Base System Architecture recommends (PPI 11,
 * INTID 27), for a description that does not give it. */
#define TIMER_VIRT_IRQ_DEFAULT 27

static unsigned timer_intid = TIMER_VIRT_IRQ_DEFAULT;

unsigned arm64_timer_irq(void)
{
	return timer_intid;
}

static void timer_irq(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
	/* The line is level-triggered while CVAL <= CNTVCT: stop it first; the clock layer
	 * programs the next deadline (or none). */
	hal_timer_cancel();
	clock_timer_interrupt();
}

/* The virtual timer's interrupt from the description's timer node, translated by the
 * interrupt controller it names (drivers/irqchip/). */
static int find_timer_irq(unsigned *intid)
{
	const struct platform *p = &kernel_platform;

	if (p->timer.device < 0 || (unsigned)p->timer.device >= p->dev_count)
		return -ENOENT;
	return driver_irq_number(p, &p->dev[p->timer.device], DT_TIMER_VIRT_INDEX, intid);
}

void hal_timer_init(void)
{
	unsigned intid;
	int err;

	hal_timer_cancel();
	err = find_timer_irq(&intid);
	if (err == 0)
		timer_intid = intid;
	else
		kprintf("arm64: virtual timer interrupt not in the DTB (%d): using INTID %u\n",
			err, timer_intid);
	err = irq_request(timer_intid, timer_irq, NULL, "timer");
	if (err)
		kprintf("arm64: cannot take the timer interrupt %u (%d): no deadlines\n",
			timer_intid, err);
}

void hal_timer_set_deadline(uint64_t deadline)
{
	write_sysreg(cntv_cval_el0, deadline);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void hal_timer_cancel(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}
