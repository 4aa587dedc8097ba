/* SPDX-License-Identifier: MIT */
/*
 * Console input (core/console/): the port's UART receive interrupt pushes bytes into a ring;
 * readers take whole lines with echo and simple editing. The idle console ("keel> ") uses it.
 */
#ifndef KEEL_KERNEL_CONSOLE_H
#define KEEL_KERNEL_CONSOLE_H

#include <kernel/compiler.h>
#include <kernel/types.h>

/* Called from the UART receive interrupt with each byte received. Never blocks; drops and
 * counts bytes when the ring is full. */
void console_rx_push(char c);

/* Next received byte, or -1 when none is waiting. */
int console_rx_pop(void);

/* Read one line into @buf (NUL-terminated, at most @size-1 bytes), echoing as it is typed,
 * sleeping (hal_cpu_idle) between interrupts. Returns the length. Interrupts must be on. */
size_t console_read_line(char *buf, size_t size);

/* Record whether the UART receive interrupt feeds the ring (kernel_main, after
 * hal_console_rx_irq_enable()); without it console_read_line() polls the UART. */
void console_set_rx_irq(bool on);

/* The interactive console: prompt, read, run a command (help lists them). Never returns. */
noreturn void console_run(void);

#endif
