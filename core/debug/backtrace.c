// SPDX-License-Identifier: MIT
/* Frame-pointer backtraces with symbol names from the kernel's own .ksyms table. */
#include <kernel/fault.h>
#include <kernel/kprintf.h>

#define BACKTRACE_MAX_FRAMES 32

static void print_frame(unsigned depth, uintptr_t pc)
{
	uintptr_t off;
	const char *name = ksym_lookup(pc, &off);

	if (name)
		kprintf("    #%-2u %#018lx %s+%#lx\n", depth, (unsigned long)pc, name,
			(unsigned long)off);
	else
		kprintf("    #%-2u %#018lx ?\n", depth, (unsigned long)pc);
}

void backtrace_print(uintptr_t fp, uintptr_t pc)
{
	unsigned depth = 0;

	kprintf("  backtrace:\n");
	print_frame(depth++, pc);
	/* Return addresses point after the call: report pc - 1 so the name is the caller's
	 * even when the call was the function's last instruction. */
	while (depth < BACKTRACE_MAX_FRAMES && hal_unwind(&fp, &pc) && pc)
		print_frame(depth++, pc - 1);
	if (depth == BACKTRACE_MAX_FRAMES)
		kprintf("    ... (truncated)\n");
}
