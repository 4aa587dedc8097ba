// SPDX-License-Identifier: MIT
/* The idle console's commands ("keel> "). */
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/trace.h>
#include <lib/string.h>

#define LINE_MAX 128

struct command {
	const char *name;
	const char *help;
	void (*run)(const char *args);
};

static void cmd_help(const char *args);

static void cmd_uptime(const char *args)
{
	uint64_t ns = clock_now_ns();

	kprintf("up %llu.%06llu s (%llu ns)\n", (unsigned long long)(ns / 1000000000ull),
		(unsigned long long)(ns / 1000 % 1000000), (unsigned long long)ns);
}

static void cmd_irqs(const char *args)
{
	irq_print_stats();
}

static void cmd_trace(const char *args)
{
	trace_dump();
}

static void cmd_ticks(const char *args)
{
	kprintf("timer interrupts %llu, periodic ticks %llu (CONFIG_TICK_HZ=%d), uptime %llu ms\n",
		(unsigned long long)this_cpu()->timer_count,
		(unsigned long long)timer_tick_count(), CONFIG_TICK_HZ,
		(unsigned long long)(clock_now_ns() / 1000000));
}

static unsigned long parse_ulong(const char *s, bool *ok)
{
	unsigned long v = 0;

	*ok = *s >= '0' && *s <= '9';
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned long)(*s++ - '0');
	if (*s)
		*ok = false;
	return v;
}

static void sleep_done(struct timer_event *t)
{
	__atomic_store_n((bool *)t->arg, true, __ATOMIC_RELEASE);
}

static bool flag_set(void *arg)
{
	return __atomic_load_n((bool *)arg, __ATOMIC_ACQUIRE);
}

/* One one-shot deadline, waited for in hal_cpu_idle(): shows the tickless timer working. */
static void cmd_sleep(const char *args)
{
	bool ok, fired = false;
	unsigned long ms = parse_ulong(args, &ok);
	struct timer_event t = { .fn = sleep_done, .arg = &fired };
	uint64_t start, deadline;

	if (!ok || ms > 60000) {
		kprintf("usage: sleep <milliseconds, at most 60000>\n");
		return;
	}
	start = clock_now_ns();
	if (timer_arm(&t, (uint64_t)ms * 1000000ull)) {
		kprintf("sleep: timer could not be armed\n");
		return;
	}
	deadline = t.deadline;
	cpu_idle_until(flag_set, &fired);
	kprintf("slept %llu us (asked %lu ms; fired %llu ticks after the deadline)\n",
		(unsigned long long)((clock_now_ns() - start) / 1000), ms,
		(unsigned long long)(hal_counter_read() - deadline));
}

static void cmd_mem(const char *args)
{
	(void)args;
	mm_print_stats();
}

static void cmd_poweroff(const char *args)
{
	kprintf("powering off\n");
	hal_poweroff();
}

static const struct command commands[] = {
	{ "help", "list the commands", cmd_help },
	{ "uptime", "time since the clock started", cmd_uptime },
	{ "irqs", "interrupt counts per line", cmd_irqs },
	{ "trace", "dump the trace rings (docs/tracing.md)", cmd_trace },
	{ "ticks", "timer interrupt and periodic tick counts", cmd_ticks },
	{ "sleep", "sleep <ms>: wait for a one-shot timer deadline", cmd_sleep },
	{ "mem", "memory per NUMA node and order, page tables, address-space ids", cmd_mem },
	{ "poweroff", "power the machine off", cmd_poweroff },
};

static void cmd_help(const char *args)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		kprintf("  %-9s %s\n", commands[i].name, commands[i].help);
}

/* Split "name args" and run the command called name. */
static void run_line(char *line)
{
	char *args = line;

	while (*args && *args != ' ')
		args++;
	if (*args)
		*args++ = '\0';
	while (*args == ' ')
		args++;
	if (!line[0])
		return;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, line) == 0) {
			commands[i].run(args);
			return;
		}
	}
	kprintf("unknown command '%s' (try help)\n", line);
}

noreturn void console_run(void)
{
	char line[LINE_MAX];

	kprintf("keel: console ready; type help\n");
	for (;;) {
		kputs("keel> ");
		console_read_line(line, sizeof(line));
		run_line(line);
	}
}
