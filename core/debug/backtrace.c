// SPDX-License-Identifier: MIT
/* Frame-pointer backtraces with symbol names from the kernel's own .ksyms table. */
#include <kernel/fault.h>
#include <kernel/kprintf.h>

#define BACKTRACE_MAX_FRAMES 32

/* @where is the address to name: a return address minus one names the call, not what follows. */
static void print_frame(unsigned depth, uintptr_t pc, uintptr_t where)
{
	uintptr_t off;
	const char *name = ksym_lookup(where, &off);

	if (name)
		kprintf("    #%-2u %#018lx %s+%#lx\n", depth, (unsigned long)pc, name,
			(unsigned long)(off + (pc - where)));
	else
		kprintf("    #%-2u %#018lx ?\n", depth, (unsigned long)pc);
}

void backtrace_print(uintptr_t fp, uintptr_t pc)
{
	unsigned depth = 0;

	kprintf("  backtrace:\n");
	print_frame(depth++, pc, pc);
	while (depth < BACKTRACE_MAX_FRAMES && hal_unwind(&fp, &pc) && pc)
		print_frame(depth++, pc, pc - 1);
	if (depth == BACKTRACE_MAX_FRAMES)
		kprintf("    ... (truncated)\n");
}
