/* SPDX-License-Identifier: MIT */
/* Kernel command line: space-separated words, "word" flags and "key=value" options. */
#ifndef KEEL_KERNEL_CMDLINE_H
#define KEEL_KERNEL_CMDLINE_H

#include <kernel/compiler.h>
#include <kernel/types.h>

/* True when @cmdline contains @word as a whole word ("ktest" does not match "ktests"). */
bool cmdline_has_word(const char *cmdline, const char *word);

/* Copy the value of "key=value" into @buf (NUL-terminated, at most @size-1 bytes).
 * Returns the value's full length, or -ENOENT when @key is absent; a result >= @size
 * means the value was truncated. The last occurrence wins, as on Linux. */
__must_check int cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

#endif
