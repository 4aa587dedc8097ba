// SPDX-License-Identifier: MIT
/* "crash" on the command line: fault on purpose through a known call chain, so a boot test can
 * check that the fault report names these functions in its backtrace. */
#include <kernel/fault.h>
#include <kernel/kprintf.h>

/* Stores after each call keep the compiler from turning the calls into tail calls, which
 * would drop the callers from the frame chain this exists to show. */
static volatile int crash_sink;

static __attribute__((noinline)) void crash_level3(void)
{
	crash_sink = hal_trigger_fault(FAULT_ILLEGAL_INSTRUCTION);
	crash_sink++;
}

static __attribute__((noinline)) void crash_level2(void)
{
	crash_level3();
	crash_sink++;
}

void crash_selftest(void)
{
	kprintf("keel: crashing on purpose (\"crash\" on the command line): "
		"crash_selftest -> crash_level2 -> crash_level3 -> illegal instruction\n");
	crash_level2();
	crash_sink++;
	kprintf("keel: crash_selftest: the illegal instruction did not fault (%d)\n", crash_sink);
}
