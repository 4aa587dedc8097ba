/* SPDX-License-Identifier: MIT */
/*
 * In-kernel tests (ktest). A test is a function registered with KTEST(name) anywhere in the
 * kernel (by convention test/ktest/ for portable tests, arch/<arch>/ktest_*.c for port tests).
 * Booting with "ktest" on the command line runs them all, prints one line per test and a final
 * "ktest: N passed, N failed" line, then ends the run with hal_test_exit().
 *
 * Linker scripts must collect the descriptors:
 *     .ktest : { __ktest_start = .; KEEP(*(.ktest)) __ktest_end = .; }
 */
#ifndef KEEL_KERNEL_KTEST_H
#define KEEL_KERNEL_KTEST_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct ktest_ctx {
	const char *name;
	unsigned checks;
	unsigned failures;
};

struct ktest {
	const char *name;
	void (*fn)(struct ktest_ctx *kt);
};

#define KTEST(tname)                                                                   \
	static void ktest_fn_##tname(struct ktest_ctx *kt);                                   \
	static const struct ktest ktest_desc_##tname __used __section(".ktest")               \
		__aligned(sizeof(void *)) = { #tname, ktest_fn_##tname };                         \
	static void ktest_fn_##tname(struct ktest_ctx *kt)

/* Record a check; prints the expression and location when it fails. Returns @ok. */
bool ktest_check(struct ktest_ctx *kt, bool ok, const char *expr, const char *file, int line);
/* Record an equality check of two integers, printing both values on failure. */
bool ktest_check_eq(struct ktest_ctx *kt, uint64_t a, uint64_t b, const char *ea, const char *eb,
		    const char *file, int line);

#define KT_EXPECT(cond) ktest_check(kt, (cond), #cond, __FILE__, __LINE__)
#define KT_EXPECT_EQ(a, b) \
	ktest_check_eq(kt, (uint64_t)(a), (uint64_t)(b), #a, #b, __FILE__, __LINE__)
/* Stop this test at the first failure (later checks would only cascade). */
#define KT_ASSERT(cond) do { if (!KT_EXPECT(cond)) return; } while (0)

/* Run every registered test; returns the number of failed tests. */
unsigned ktest_run_all(void);

#endif
