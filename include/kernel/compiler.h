/* SPDX-License-Identifier: MIT */
/* Compiler attributes and small helpers used across the kernel. */
#ifndef KEEL_KERNEL_COMPILER_H
#define KEEL_KERNEL_COMPILER_H

#include <stddef.h>

#ifndef noreturn
#define noreturn _Noreturn
#endif
#define __unused       __attribute__((unused))
#define __used         __attribute__((used))
#define __section(s)   __attribute__((section(s)))
#define __aligned(n)   __attribute__((aligned(n)))
#define __printf(a, b) __attribute__((format(printf, a, b)))
/* The caller must look at the result (an error, a mapping, an allocation): dropping it warns,
 * and -Werror makes that a build failure. */
#define __must_check   __attribute__((warn_unused_result))
#define likely(x)      __builtin_expect(!!(x), 1)
#define unlikely(x)    __builtin_expect(!!(x), 0)
#define barrier()      __asm__ __volatile__("" ::: "memory")

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* Kconfig bool helpers: IS_ENABLED(CONFIG_FOO) is 1 when CONFIG_FOO is defined to 1, else 0. */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0, 0)
#define IS_ENABLED(option) __is_defined(option)

#define ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
