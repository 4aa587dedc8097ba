// SPDX-License-Identifier: MIT
/* Per-CPU blocks: storage for every CPU and the boot CPU's set-up. */
#include <kernel/percpu.h>

struct per_cpu per_cpu_data[CONFIG_MAX_CPUS];

/* Set once the boot CPU's block is installed: trace points before that have nowhere to go. */
bool percpu_ready;

static uint32_t online[CONFIG_MAX_CPUS]; /* 4-byte: riscv64 GCC has no inline 1-byte xchg */
static unsigned online_count;

void percpu_mark_online(unsigned index)
{
	if (index < CONFIG_MAX_CPUS && !__atomic_exchange_n(&online[index], 1, __ATOMIC_ACQ_REL))
		__atomic_fetch_add(&online_count, 1, __ATOMIC_RELEASE);
}

unsigned cpus_online(void)
{
	return __atomic_load_n(&online_count, __ATOMIC_ACQUIRE);
}

void percpu_init_boot(cpu_id_t hw_id)
{
	struct per_cpu *pc = &per_cpu_data[0];

	pc->self = pc;
	pc->index = 0;
	pc->hw_id = hw_id;
	hal_percpu_init(pc);
	percpu_mark_online(0);
	__atomic_store_n(&percpu_ready, true, __ATOMIC_RELEASE);
}

unsigned percpu_online_count(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < CONFIG_MAX_CPUS; i++)
		if (per_cpu_data[i].self)
			n++;
	return n;
}
