/* SPDX-License-Identifier: MIT */
/* Kernel console output. Formatting is lib/format.c; this adds the console. */
#ifndef KEEL_KERNEL_KPRINTF_H
#define KEEL_KERNEL_KPRINTF_H

#include <kernel/compiler.h>
#include <kernel/types.h>

/*
 * Print to the console; "\n" becomes "\r\n". Returns the number of characters printed.
 * Any context. One call's output is written whole under the console lock (interrupts masked
 * meanwhile), so output of two CPUs never interleaves within a call; a print nested on the
 * CPU holding the lock (fault, panic) goes straight through.
 */
int kprintf(const char *fmt, ...) __printf(1, 2);
int kvprintf(const char *fmt, va_list ap);

/* Write a string to the console unformatted, under the same lock. */
void kputs(const char *s);

/* From panic(): from now on a print waits only a bounded time for another CPU's print (that
 * CPU may be the one that broke), then writes anyway. */
void kprintf_emergency(void);

/* True while some CPU holds the console lock (tests: released after every print). */
bool kprintf_lock_busy(void);

#endif
