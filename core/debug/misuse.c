// SPDX-License-Identifier: MIT
/* misuse_report(): the one place detected misuse is counted and logged (kernel/misuse.h). */
#include <kernel/kprintf.h>
#include <kernel/misuse.h>

static uint64_t counts[MISUSE_NR];

static const char *const names[MISUSE_NR] = {
	[MISUSE_PMM] = "pmm",
	[MISUSE_SLAB] = "slab",
	[MISUSE_KMALLOC] = "kmalloc",
	[MISUSE_KOBJECT] = "kobject",
	[MISUSE_LOCK] = "lock",
};

const char *misuse_subsys_name(enum misuse_subsys subsys)
{
	return (unsigned)subsys < MISUSE_NR ? names[subsys] : "?";
}

int misuse_report(enum misuse_subsys subsys, int err, const char *what, uintptr_t addr)
{
	if ((unsigned)subsys < MISUSE_NR)
		__atomic_fetch_add(&counts[subsys], 1, __ATOMIC_RELAXED);
	kprintf("misuse: %s: %s at %#llx\n", misuse_subsys_name(subsys), what,
		(unsigned long long)addr);
	return err;
}

uint64_t misuse_count(enum misuse_subsys subsys)
{
	return (unsigned)subsys < MISUSE_NR ? __atomic_load_n(&counts[subsys], __ATOMIC_RELAXED)
					    : 0;
}
