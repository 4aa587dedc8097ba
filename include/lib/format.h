/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting for the kernel, with no libc underneath.
 * Conversions: d i u x X o p s c %, flags - 0 + space #, width and precision (also '*'),
 * length modifiers hh h l ll z t j. %p prints 0x and the full pointer width in hex.
 * A NULL %s prints "(null)". An unknown conversion prints itself verbatim, never reads
 * an argument for it, and so cannot desynchronise the argument list.
 */
#ifndef KEEL_LIB_FORMAT_H
#define KEEL_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink_t)(char c, void *ctx);

/* Format into @sink one character at a time; returns the number of characters produced. */
int kvformat(format_sink_t sink, void *ctx, const char *fmt, va_list ap);

/* Like C's vsnprintf/snprintf: always NUL-terminates when @size > 0, returns the length the
 * full output would have had. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
