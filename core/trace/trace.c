// SPDX-License-Identifier: MIT
/* Always-on tracing: lock-free per-CPU rings, the text dump and the fault-report tail. */
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/percpu.h>
#include <kernel/trace.h>

#define RING_ENTRIES ((uint64_t)CONFIG_TRACE_RING_ENTRIES)
#define SEQ_BUSY 0 /* slot marker while a record is being (re)written; complete = seq + 1 */

/*
 * Reserve with a fetch-add so an interrupt that traces while we are half-way through gets its
 * own slot instead of sharing ours. The slot's sequence word is cleared first and set last with
 * release order: a reader that sees it set sees the whole record (seqlock-style).
 */
void trace_ring_write(struct trace_ring *ring, uint32_t cpu, uint32_t type, uint64_t d0,
		      uint64_t d1, uint64_t d2, uint64_t d3)
{
	uint64_t seq = __atomic_fetch_add(&ring->head, 1, __ATOMIC_RELAXED);
	uint64_t slot = seq % RING_ENTRIES;
	struct trace_event *ev = &ring->ev[slot];

	__atomic_store_n(&ring->seq[slot], SEQ_BUSY, __ATOMIC_RELAXED);
	/* Orders the BUSY marker before the data stores for readers on other CPUs. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&ev->timestamp, hal_counter_read(), __ATOMIC_RELAXED);
	__atomic_store_n(&ev->cpu, cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&ev->type, type, __ATOMIC_RELAXED);
	__atomic_store_n(&ev->data[0], d0, __ATOMIC_RELAXED);
	__atomic_store_n(&ev->data[1], d1, __ATOMIC_RELAXED);
	__atomic_store_n(&ev->data[2], d2, __ATOMIC_RELAXED);
	__atomic_store_n(&ev->data[3], d3, __ATOMIC_RELAXED);
	__atomic_store_n(&ring->seq[slot], seq + 1, __ATOMIC_RELEASE);
}

bool trace_ring_read(const struct trace_ring *ring, uint64_t seq, struct trace_event *out)
{
	uint64_t slot = seq % RING_ENTRIES;
	const struct trace_event *ev = &ring->ev[slot];

	if (__atomic_load_n(&ring->seq[slot], __ATOMIC_ACQUIRE) != seq + 1)
		return false;
	out->timestamp = __atomic_load_n(&ev->timestamp, __ATOMIC_RELAXED);
	out->cpu = __atomic_load_n(&ev->cpu, __ATOMIC_RELAXED);
	out->type = __atomic_load_n(&ev->type, __ATOMIC_RELAXED);
	for (int i = 0; i < 4; i++)
		out->data[i] = __atomic_load_n(&ev->data[i], __ATOMIC_RELAXED);
	/* If any load above saw a newer writer's data, this re-read sees its BUSY marker. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&ring->seq[slot], __ATOMIC_RELAXED) == seq + 1;
}

uint64_t trace_ring_head(const struct trace_ring *ring)
{
	return __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
}

void trace_event(uint32_t type, uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	struct per_cpu *pc;

	if (!__atomic_load_n(&percpu_ready, __ATOMIC_ACQUIRE))
		return; /* before percpu_init_boot(): no ring to write to */
	pc = this_cpu();
	trace_ring_write(&pc->trace, pc->index, type, d0, d1, d2, d3);
}

const char *trace_type_name(uint32_t type)
{
	static const char *const names[] = {
		[TRACE_NONE] = "none",           [TRACE_IRQ_ENTER] = "irq-enter",
		[TRACE_IRQ_EXIT] = "irq-exit",   [TRACE_EXCEPTION] = "exception",
		[TRACE_TIMER_SET] = "timer-set", [TRACE_TIMER_FIRE] = "timer-fire",
		[TRACE_CONSOLE_RX] = "console-rx", [TRACE_KTEST] = "ktest",
		[TRACE_BOOT] = "boot",           [TRACE_MARK] = "mark",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "?";
}

/* Oldest sequence number the ring can still hold. */
static uint64_t ring_first(uint64_t head, uint64_t want)
{
	uint64_t n = want < RING_ENTRIES ? want : RING_ENTRIES;

	return head > n ? head - n : 0;
}

static void dump_ring(const struct trace_ring *ring, uint64_t *events, uint64_t *lost)
{
	uint64_t head = trace_ring_head(ring);
	struct trace_event ev;

	for (uint64_t seq = ring_first(head, RING_ENTRIES); seq < head; seq++) {
		if (!trace_ring_read(ring, seq, &ev)) {
			(*lost)++; /* overwritten while we printed, or still being written */
			continue;
		}
		kprintf("T %x %llx %llx %x %llx %llx %llx %llx\n", ev.cpu,
			(unsigned long long)seq, (unsigned long long)ev.timestamp, ev.type,
			(unsigned long long)ev.data[0], (unsigned long long)ev.data[1],
			(unsigned long long)ev.data[2], (unsigned long long)ev.data[3]);
		(*events)++;
	}
}

void trace_dump(void)
{
	uint64_t events = 0, lost = 0;

	kprintf("TRACE BEGIN v1 freq_hz=%llu cpus=%u entries=%u\n",
		(unsigned long long)hal_counter_freq(), percpu_online_count(),
		(unsigned)RING_ENTRIES);
	for (unsigned i = 0; i < CONFIG_MAX_CPUS; i++)
		if (per_cpu_data[i].self)
			dump_ring(&per_cpu_data[i].trace, &events, &lost);
	kprintf("TRACE END events=%llu lost=%llu\n", (unsigned long long)events,
		(unsigned long long)lost);
}

void trace_print_tail(unsigned n)
{
	const struct trace_ring *ring;
	uint64_t head;
	struct trace_event ev;

	if (!__atomic_load_n(&percpu_ready, __ATOMIC_ACQUIRE))
		return;
	ring = &this_cpu()->trace;
	head = trace_ring_head(ring);
	kprintf("  trace tail (cpu %u, last %u of %llu events, counter ticks):\n",
		this_cpu()->index, n, (unsigned long long)head);
	for (uint64_t seq = ring_first(head, n); seq < head; seq++) {
		if (!trace_ring_read(ring, seq, &ev))
			continue;
		kprintf("    #%llu t=%llu %-10s %llx %llx %llx %llx\n", (unsigned long long)seq,
			(unsigned long long)ev.timestamp, trace_type_name(ev.type),
			(unsigned long long)ev.data[0], (unsigned long long)ev.data[1],
			(unsigned long long)ev.data[2], (unsigned long long)ev.data[3]);
	}
}
