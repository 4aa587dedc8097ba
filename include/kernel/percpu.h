/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data. Each CPU owns one struct per_cpu; only that CPU writes it (other CPUs may
 * read the parts documented as shared, such as the trace ring). this_cpu() reaches it in
 * O(1) through a register the port reserves for it (GS base on x86-64, TPIDR_EL1 on arm64,
 * tp on riscv64), so it is safe in interrupt context and needs no lock.
 */
#ifndef KEEL_KERNEL_PERCPU_H
#define KEEL_KERNEL_PERCPU_H

#include <kernel/hal.h>
#include <kernel/trace.h>
#include <kernel/types.h>

#ifndef CONFIG_MAX_CPUS
#define CONFIG_MAX_CPUS 1
#endif
#ifndef CONFIG_TRACE_RING_ENTRIES
#define CONFIG_TRACE_RING_ENTRIES 1024
#endif

struct fault_probe;
struct vm_space;

/* One CPU's trace ring. head counts every event ever reserved; slot = seq % entries.
 * Each slot carries the sequence number it holds, written last, so a reader on another CPU
 * can tell a complete record from one being overwritten. */
struct trace_ring {
	uint64_t head;
	uint64_t seq[CONFIG_TRACE_RING_ENTRIES];
	struct trace_event ev[CONFIG_TRACE_RING_ENTRIES];
};

struct per_cpu {
	struct per_cpu *self;        /* first member: lets entry code load this_cpu in one step */
	uint32_t index;              /* logical CPU index, 0 = boot CPU */
	cpu_id_t hw_id;              /* hardware id: APIC id, MPIDR affinity, hart id */
	void *current;               /* running thread (NULL until the scheduler exists) */
	void *run_queue;             /* this CPU's run queue (placeholder until the scheduler) */
	struct vm_space *vm_space;   /* address space loaded on this CPU (holds a ref), or NULL */
	uintptr_t kernel_stack_top;  /* top of this CPU's kernel stack */
	uint32_t irq_depth;          /* > 0 while an interrupt handler runs */
	uint64_t irq_count;          /* interrupts handled on this CPU */
	uint64_t exception_count;    /* exceptions taken on this CPU */
	uint64_t timer_count;        /* timer interrupts on this CPU */
	struct fault_probe *fault_probe; /* armed ktest fault expectation, or NULL */
	uintptr_t arch[8];           /* owned by the port (e.g. trap-entry scratch) */
	struct trace_ring trace;     /* this CPU's trace buffer */
};

extern struct per_cpu per_cpu_data[CONFIG_MAX_CPUS];

/* The calling CPU's block. */
static inline struct per_cpu *this_cpu(void)
{
	return hal_this_cpu();
}

/* Set up the boot CPU's block (index 0, @hw_id) and install it with hal_percpu_init().
 * Called by kernel_main() before anything that may trace or fault. */
void percpu_init_boot(cpu_id_t hw_id);

/* True once percpu_init_boot() has installed the boot CPU's block (this_cpu() works). */
extern bool percpu_ready;

/* Number of CPUs whose block is set up (1 until SMP bring-up). */
unsigned percpu_online_count(void);

/*
 * How many CPUs run kernel code now: 1 from percpu_init_boot() until SMP bring-up marks
 * more with percpu_mark_online(). Any context. Code that is only correct on one CPU (a TLB
 * flush without shootdown) checks it and refuses loudly instead of going quietly wrong.
 */
unsigned cpus_online(void);

/* Count CPU @index as running (SMP bring-up, on that CPU, before it takes interrupts). */
void percpu_mark_online(unsigned index);

#endif
