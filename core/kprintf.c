// SPDX-License-Identifier: MIT
/* Console output: lib/format.c formatting, written through the HAL console. */
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <lib/format.h>

/*
 * One CPU runs kernel code for now. When SMP arrives this needs a console lock (taken with
 * interrupts saved) so lines from different CPUs do not interleave.
 */
static void console_sink(char c, void *ctx)
{
	(void)ctx;
	if (c == '\n')
		hal_console_putc('\r');
	hal_console_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
	return kvformat(console_sink, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

void kputs(const char *s)
{
	while (*s)
		console_sink(*s++, NULL);
}
