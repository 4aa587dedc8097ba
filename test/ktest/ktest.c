// SPDX-License-Identifier: MIT
/* The ktest runner: walks the .ktest section and reports each test on the console. */
#include <kernel/hal.h>
#include <kernel/ktest.h>
#include <kernel/kprintf.h>
#include <kernel/percpu.h>
#include <kernel/trace.h>

extern const struct ktest __ktest_start[], __ktest_end[];

bool ktest_check(struct ktest_ctx *kt, bool ok, const char *expr, const char *file, int line)
{
	kt->checks++;
	if (!ok) {
		kt->failures++;
		kprintf("ktest:   %s:%d: check failed: %s\n", file, line, expr);
	}
	return ok;
}

bool ktest_check_eq(struct ktest_ctx *kt, uint64_t a, uint64_t b, const char *ea, const char *eb,
		    const char *file, int line)
{
	kt->checks++;
	if (a != b) {
		kt->failures++;
		kprintf("ktest:   %s:%d: expected %s == %s, got %#llx != %#llx\n", file, line, ea, eb,
			(unsigned long long)a, (unsigned long long)b);
		return false;
	}
	return true;
}

unsigned ktest_run_all(void)
{
	unsigned passed = 0, failed = 0;
	unsigned total = (unsigned)(__ktest_end - __ktest_start);

	kprintf("ktest: running %u tests\n", total);
	for (const struct ktest *t = __ktest_start; t < __ktest_end; t++) {
		struct ktest_ctx kt = { .name = t->name };
		uint64_t t0 = hal_counter_read();
		uint64_t index = (uint64_t)(t - __ktest_start);

		uint32_t depth = this_cpu()->irq_depth;
		bool irqs_on = hal_irq_enabled();

		trace_event(TRACE_KTEST, index, 0, 0, 0);
		t->fn(&kt);
		uint64_t ticks = hal_counter_read() - t0;

		/* A test must leave the CPU as it found it: no handler left half-run (a fault
		 * probe that jumped out of one), interrupts masked or unmasked as before. */
		if (this_cpu()->irq_depth != depth || hal_irq_enabled() != irqs_on) {
			kprintf("ktest:   %s left irq_depth %u (was %u), interrupts %s (were %s)\n",
				t->name, this_cpu()->irq_depth, depth,
				hal_irq_enabled() ? "on" : "off", irqs_on ? "on" : "off");
			kt.failures++;
			this_cpu()->irq_depth = depth;
			if (irqs_on)
				hal_irq_enable();
			else
				hal_irq_disable();
		}
		bool ok = kt.failures == 0 && kt.checks > 0;

		trace_event(TRACE_KTEST, index, ok ? 1 : 2, 0, 0);

		if (kt.checks == 0)
			kprintf("ktest:   %s made no checks: a test that cannot fail is a failure\n",
				t->name);
		kprintf("ktest: [%s] %s (%u checks, %llu ticks)\n", ok ? "PASS" : "FAIL", t->name,
			kt.checks, (unsigned long long)ticks);
		if (ok)
			passed++;
		else
			failed++;
	}
	kprintf("ktest: %u passed, %u failed\n", passed, failed);
	return failed;
}
