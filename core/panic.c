// SPDX-License-Identifier: MIT
/* panic(): report and stop. In a ktest run, stop by failing the run so the host sees it. */
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/run_mode.h>

static volatile int panicking;

noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	hal_irq_disable();
	if (panicking++) {
		/* A panic while panicking (the console itself may be broken): stop quietly. */
		hal_cpu_halt();
	}
	kprintf_emergency();
	kprintf("\nPANIC on cpu %u: ", (unsigned)hal_cpu_id());
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n  caller %p\n", __builtin_return_address(0));
	if (kernel_run_mode == RUN_MODE_KTEST) {
		kprintf("ktest: aborted by panic\nktest: 0 passed, 1 failed\n");
		hal_test_exit(false);
	}
	kprintf("System halted.\n");
	hal_cpu_halt();
}
