// SPDX-License-Identifier: MIT
/* Kernel faults: the report a fault prints before stopping, and test probes that catch them. */
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/kprintf.h>
#include <kernel/percpu.h>
#include <kernel/run_mode.h>
#include <kernel/trace.h>

/* An armed expectation: where to resume and what was seen (this_cpu()->fault_probe). */
struct fault_probe {
	struct hal_jmpbuf resume;
	struct fault_info seen;
};

#define FAULT_TAIL_EVENTS 16

static volatile int reporting; /* a fault inside the report must not recurse for ever */

const char *fault_kind_name(enum fault_kind kind)
{
	static const char *const names[FAULT_KIND_COUNT] = {
		[FAULT_OTHER] = "other exception",
		[FAULT_BREAKPOINT] = "breakpoint",
		[FAULT_ILLEGAL_INSTRUCTION] = "illegal instruction",
		[FAULT_PAGE] = "page fault",
		[FAULT_ACCESS] = "access fault",
		[FAULT_ALIGNMENT] = "alignment fault",
		[FAULT_GENERAL_PROTECTION] = "general protection fault",
		[FAULT_DOUBLE] = "double fault",
		[FAULT_NMI] = "NMI",
		[FAULT_MACHINE_CHECK] = "machine check",
	};

	return (unsigned)kind < FAULT_KIND_COUNT ? names[kind] : "unknown fault";
}

static void print_pc(const char *label, uintptr_t pc)
{
	uintptr_t off;
	const char *name = ksym_lookup(pc, &off);

	if (name)
		kprintf("%s%s+%#lx (%#lx)", label, name, (unsigned long)off, (unsigned long)pc);
	else
		kprintf("%s%#lx", label, (unsigned long)pc);
}

static noreturn void fault_report(const struct fault_info *fi)
{
	struct per_cpu *pc = this_cpu();

	kprintf("\nKERNEL FAULT: %s (%s)", fault_kind_name(fi->kind), fi->name ? fi->name : "?");
	print_pc(" at pc=", fi->pc);
	if (fi->addr_valid)
		kprintf(" addr=%#lx", (unsigned long)fi->addr);
	else
		kprintf(" addr=none");
	kprintf(" code=%#llx\n", (unsigned long long)fi->code);
	kprintf("  cpu %u (hw id %u), irq depth %u, sp=%#lx\n", pc->index, (unsigned)pc->hw_id,
		pc->irq_depth, (unsigned long)fi->sp);
	if (fi->frame)
		hal_dump_frame(fi->frame);
	backtrace_print(fi->fp, fi->pc);
	trace_print_tail(FAULT_TAIL_EVENTS);
	/* Only the boot CPU runs for now; with SMP this must stop the others with an IPI. */
	if (kernel_run_mode == RUN_MODE_KTEST) {
		kprintf("ktest: aborted by kernel fault\nktest: 0 passed, 1 failed\n");
		hal_test_exit(false);
	}
	kprintf("System halted.\n");
	hal_cpu_halt();
}

noreturn void fault_handle(const struct fault_info *fi)
{
	struct per_cpu *pc = this_cpu();
	struct fault_probe *probe = pc->fault_probe;

	pc->exception_count++;
	trace_event(TRACE_EXCEPTION, (uint64_t)fi->kind, fi->pc, fi->addr, fi->code);
	if (probe) {
		pc->fault_probe = NULL; /* disarm first: a fault in what follows is a real one */
		probe->seen = *fi;
		hal_longjmp(&probe->resume);
	}
	if (reporting++) {
		kprintf("\nKERNEL FAULT while reporting a fault (pc=%#lx); halting\n",
			(unsigned long)fi->pc);
		hal_cpu_halt();
	}
	fault_report(fi);
}

int fault_probe_run(void (*fn)(void *arg), void *arg, struct fault_info *seen)
{
	struct fault_probe probe;
	struct per_cpu *pc = this_cpu();

	if (pc->fault_probe)
		return -EBUSY; /* probes do not nest */
	if (hal_setjmp(&probe.resume) == 0) {
		pc->fault_probe = &probe;
		fn(arg);
		pc->fault_probe = NULL;
		return 0;
	}
	/* Resumed by fault_handle(), which already disarmed the probe. */
	*seen = probe.seen;
	return 1;
}
