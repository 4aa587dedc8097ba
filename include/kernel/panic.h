/* SPDX-License-Identifier: MIT */
/* panic() and assertions. */
#ifndef KEEL_KERNEL_PANIC_H
#define KEEL_KERNEL_PANIC_H

#include <kernel/compiler.h>

/* Print "PANIC: ..." with the CPU and the caller, then stop: in a ktest run the machine
 * exits with the test-failure status, otherwise every path ends in hal_cpu_halt(). */
noreturn void panic(const char *fmt, ...) __printf(1, 2);

/* Always-on check: cheap conditions whose failure means memory is already corrupt. */
#define BUG_ON(cond) \
	do { if (unlikely(cond)) panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); } while (0)

/* Debug assertion: compiled in only with CONFIG_ENABLE_DEBUG_ASSERTS (DEV, HARDENED). */
#define ASSERT(cond) \
	do { if (IS_ENABLED(CONFIG_ENABLE_DEBUG_ASSERTS) && unlikely(!(cond))) \
		panic("ASSERT(%s) failed at %s:%d", #cond, __FILE__, __LINE__); } while (0)

#endif
