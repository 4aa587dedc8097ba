/* SPDX-License-Identifier: MIT */
/*
 * Kernel faults (core/fault/). Every port's exception entry turns a fault it does not handle
 * itself into a struct fault_info and calls fault_handle(), which reports it — registers,
 * faulting address, symbolized backtrace, CPU, trace tail — and stops the machine. In tests a
 * fault can be expected instead: fault_probe_run() runs a function and catches its fault.
 */
#ifndef KEEL_KERNEL_FAULT_H
#define KEEL_KERNEL_FAULT_H

#include <kernel/compiler.h>
#include <kernel/hal.h>
#include <kernel/types.h>

enum fault_kind {
	FAULT_OTHER = 0,
	FAULT_BREAKPOINT,          /* int3, brk, ebreak */
	FAULT_ILLEGAL_INSTRUCTION, /* ud2, undefined encoding, illegal instruction */
	FAULT_PAGE,                /* translation or permission fault (MMU on) */
	FAULT_ACCESS,              /* bus error / external abort / access fault (no device there) */
	FAULT_ALIGNMENT,
	FAULT_GENERAL_PROTECTION,  /* x86 #GP and the like */
	FAULT_DOUBLE,              /* x86 double fault */
	FAULT_NMI,
	FAULT_MACHINE_CHECK,
	FAULT_KIND_COUNT
};

struct fault_info {
	enum fault_kind kind;
	const char *name;    /* the port's name for it, e.g. "#PF page fault", "data abort" */
	uintptr_t pc;        /* faulting instruction */
	uintptr_t sp;
	uintptr_t fp;        /* frame pointer at the fault, for the backtrace */
	uintptr_t addr;      /* faulting data address when the CPU reports one (CR2/FAR/stval) */
	bool addr_valid;
	uint64_t code;       /* raw cause: vector + error code, ESR, scause */
	const void *frame;   /* the port's saved register frame, for hal_dump_frame() */
};

/* Report and stop, or hand the fault to an armed probe. Called with interrupts masked.
 * Returns only to the port's caller when... never: a probe resumes through hal_longjmp(). */
noreturn void fault_handle(const struct fault_info *fi);

/* Human-readable name of a fault kind. */
const char *fault_kind_name(enum fault_kind kind);

/* Run @fn(@arg) on this CPU with a fault probe armed. Returns 0 if @fn returned normally,
 * 1 if it faulted — then *@seen describes the fault and execution resumed here (interrupt
 * state as it was before the call). Probes do not nest. */
int fault_probe_run(void (*fn)(void *arg), void *arg, struct fault_info *seen);

/* Fault on purpose (an illegal instruction) three calls deep: the "crash" boot word. Returns
 * only if the port could not raise the fault. */
void crash_selftest(void);

/* Print a frame-pointer backtrace starting at @fp/@pc with symbol names (core/debug/). */
void backtrace_print(uintptr_t fp, uintptr_t pc);

/* Name of the kernel function containing @pc and the offset into it; NULL if unknown. */
const char *ksym_lookup(uintptr_t pc, uintptr_t *offset);

#endif
