// SPDX-License-Identifier: MIT
/* Console input: the receive ring filled by the UART interrupt, line editing, the idle shell. */
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/trace.h>
#include <lib/string.h>

#define RX_RING_SIZE 256u /* power of two: indices wrap with a mask */

/* Single producer (the receive interrupt) and single consumer (the reader), both on the boot
 * CPU: free-running indices with acquire/release are enough, no lock. */
static char rx_ring[RX_RING_SIZE];
static uint32_t rx_head; /* written by the producer */
static uint32_t rx_tail; /* written by the consumer */
static uint32_t rx_dropped;
static bool rx_irq_on;

void console_rx_push(char c)
{
	uint32_t head = __atomic_load_n(&rx_head, __ATOMIC_RELAXED);
	uint32_t tail = __atomic_load_n(&rx_tail, __ATOMIC_ACQUIRE);

	trace_event(TRACE_CONSOLE_RX, (unsigned char)c, 0, 0, 0);
	if (head - tail >= RX_RING_SIZE) {
		rx_dropped++;
		return;
	}
	rx_ring[head % RX_RING_SIZE] = c;
	__atomic_store_n(&rx_head, head + 1, __ATOMIC_RELEASE);
}

int console_rx_pop(void)
{
	uint32_t tail = __atomic_load_n(&rx_tail, __ATOMIC_RELAXED);
	unsigned char c;

	if (tail == __atomic_load_n(&rx_head, __ATOMIC_ACQUIRE))
		return -1;
	c = (unsigned char)rx_ring[tail % RX_RING_SIZE];
	__atomic_store_n(&rx_tail, tail + 1, __ATOMIC_RELEASE);
	return c;
}

/* Tell the console whether the UART interrupt feeds the ring (else it polls the UART). */
void console_set_rx_irq(bool on)
{
	rx_irq_on = on;
}

static void wake_up(struct timer_event *t)
{
	(void)t;
}

static bool timer_done(void *arg)
{
	return !timer_pending(arg);
}

/* Takes the next byte into *arg (an int) if there is one; runs with interrupts masked. */
static bool byte_ready(void *arg)
{
	int *c = arg;

	*c = console_rx_pop();
	if (*c < 0)
		*c = hal_console_getc(); /* ring empty: earlier bytes are all consumed */
	return *c >= 0;
}

/* Next byte, sleeping while there is none. Without a receive interrupt nothing would wake us
 * for a byte, so a 20 ms timer drives polling then. */
static int console_getc_wait(void)
{
	static struct timer_event poll = { .fn = wake_up };
	int c;

	if (!rx_irq_on) {
		while (!byte_ready(&c)) {
			/* Only this thread arms it: it is pending or fails to arm only if so. */
			if (!timer_pending(&poll) && timer_arm(&poll, 20000000ull))
				continue;
			cpu_idle_until(timer_done, &poll);
		}
		return c;
	}
	cpu_idle_until(byte_ready, &c);
	return c;
}

size_t console_read_line(char *buf, size_t size)
{
	static bool last_was_cr;
	size_t len = 0;

	for (;;) {
		int c = console_getc_wait();

		if (c == '\n' && last_was_cr) {
			last_was_cr = false; /* the LF of a CR LF pair: already ended the line */
			continue;
		}
		last_was_cr = c == '\r';
		if (c == '\r' || c == '\n')
			break;
		if (c == 0x7f || c == '\b') {
			if (len) {
				len--;
				kputs("\b \b");
			}
			continue;
		}
		if (c < 0x20 || len + 1 >= size)
			continue; /* control characters and overlong lines are not echoed */
		buf[len++] = (char)c;
		hal_console_putc((char)c);
	}
	kputs("\n");
	buf[len] = '\0';
	return len;
}
