/* SPDX-License-Identifier: MIT */
/* Kernel console output. Formatting is lib/format.c; this adds the console. */
#ifndef KEEL_KERNEL_KPRINTF_H
#define KEEL_KERNEL_KPRINTF_H

#include <kernel/compiler.h>
#include <kernel/types.h>

/* Print to the console; "\n" becomes "\r\n". Returns the number of characters printed. */
int kprintf(const char *fmt, ...) __printf(1, 2);
int kvprintf(const char *fmt, va_list ap);

/* Write a string to the console unformatted. */
void kputs(const char *s);

#endif
