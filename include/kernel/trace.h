/* SPDX-License-Identifier: MIT */
/*
 * Always-on tracing: per-CPU lock-free rings of fixed-size events (core/trace/).
 *
 * trace_event() is cheap enough to leave in every interrupt, exception and timer path: it
 * writes one 48-byte record into the calling CPU's ring, overwriting the oldest. Nothing is
 * formatted until someone reads: "trace-dump" on the command line or the console's "trace"
 * command prints the rings (docs/tracing.md), and scripts/trace2json.py turns that into
 * Chrome trace-event JSON for ui.perfetto.dev.
 */
#ifndef KEEL_KERNEL_TRACE_H
#define KEEL_KERNEL_TRACE_H

#include <kernel/types.h>

/* Event types. Numbers are part of the dump format: never reuse one. */
enum trace_type {
	TRACE_NONE = 0,
	TRACE_IRQ_ENTER = 1,     /* d0 = irq number */
	TRACE_IRQ_EXIT = 2,      /* d0 = irq number, d1 = 1 if a handler ran */
	TRACE_EXCEPTION = 3,     /* d0 = fault kind, d1 = pc, d2 = address, d3 = arch code */
	TRACE_TIMER_SET = 4,     /* d0 = deadline (counter ticks) */
	TRACE_TIMER_FIRE = 5,    /* d0 = deadline, d1 = lateness in ticks */
	TRACE_CONSOLE_RX = 6,    /* d0 = byte */
	TRACE_KTEST = 7,         /* d0 = test index, d1 = 0 start / 1 pass / 2 fail */
	TRACE_BOOT = 8,          /* d0 = boot stage */
	TRACE_MARK = 9,          /* free-form marker for debugging, d0..d3 as the caller likes */
};

struct trace_event {
	uint64_t timestamp; /* hal_counter_read() */
	uint32_t cpu;       /* logical CPU index */
	uint32_t type;      /* enum trace_type */
	uint64_t data[4];
};

/* Record an event on the calling CPU. Safe in any context, including interrupt handlers
 * that interrupt another trace_event() on the same CPU; never blocks. */
void trace_event(uint32_t type, uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3);

/* Print every CPU's ring in the documented text form (docs/tracing.md). */
void trace_dump(void);

/* Print the last @n events of the calling CPU, newest last (for fault reports). */
void trace_print_tail(unsigned n);

/* Name of an event type for people ("irq-enter"), "?" when unknown. */
const char *trace_type_name(uint32_t type);

/* Ring primitives behind trace_event() and trace_dump(), exposed for the host tests.
 * trace_ring_write() appends to @ring from its owning CPU (nesting-safe); trace_ring_read()
 * copies event number @seq from any CPU and returns false when that slot does not hold it
 * complete (not yet written, being rewritten, or already overwritten by a newer event). */
struct trace_ring;
void trace_ring_write(struct trace_ring *ring, uint32_t cpu, uint32_t type, uint64_t d0,
		      uint64_t d1, uint64_t d2, uint64_t d3);
bool trace_ring_read(const struct trace_ring *ring, uint64_t seq, struct trace_event *out);
/* Number of events ever written to @ring (the next sequence number). */
uint64_t trace_ring_head(const struct trace_ring *ring);

#endif
