// SPDX-License-Identifier: MIT
/* kernel_main(): the portable boot sequence every port jumps into. */
#include <kernel/bootinfo.h>
#include <kernel/clock.h>
#include <kernel/cmdline.h>
#include <kernel/config.h>
#include <kernel/console.h>
#include <kernel/driver.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <kernel/run_mode.h>
#include <kernel/trace.h>
#include <lib/string.h>

enum run_mode kernel_run_mode = RUN_MODE_IDLE;
const struct boot_info *kernel_boot_info;

static const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case MEM_USABLE: return "usable";
	case MEM_RESERVED: return "reserved";
	case MEM_ACPI_RECLAIM: return "ACPI data";
	case MEM_ACPI_NVS: return "ACPI NVS";
	case MEM_BAD: return "bad";
	default: return "unknown";
	}
}

static const char *on_off(int enabled)
{
	return enabled ? "on" : "off";
}

static void print_memory_map(const struct boot_info *bi)
{
	uint64_t usable = bootinfo_usable_bytes(bi);

	kprintf("  memory map (%s):\n", bi->firmware);
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const struct mem_region *r = &bi->mem[i];

		kprintf("    [0x%016llx-0x%016llx] %-9s %8llu KiB\n",
			(unsigned long long)r->base, (unsigned long long)(r->base + r->size - 1),
			mem_type_name(r->type), (unsigned long long)(r->size >> 10));
	}
	if (bi->mem_dropped)
		kprintf("    (%u more regions did not fit the boot table)\n", bi->mem_dropped);
	kprintf("  memory: %llu MiB usable\n", (unsigned long long)(usable >> 20));
}

static void print_banner(const struct boot_info *bi)
{
	kprintf("\nKeel %s (%s, board %s, profile %s, %s)\n", KEEL_VERSION, CONFIG_ARCH,
		CONFIG_BOARD, kernel_profile_name(), KEEL_COMPILER);
	kprintf("  machine: %s; boot cpu %u in %s\n", bi->model[0] ? bi->model : "unknown",
		(unsigned)bi->boot_cpu, hal_boot_mode());
	kprintf("  cmdline: \"%s\"%s\n", bi->cmdline, bi->cmdline_truncated ? " (truncated)" : "");
	/* Only mechanisms with code behind them are shown on/off; a selected one that is not
	 * built yet is named as such, never claimed (issue 14 makes them real). */
	kprintf("  hardening: asserts=%s verbose-log=%s; selected, not implemented yet:%s%s%s%s\n",
		on_off(IS_ENABLED(CONFIG_ENABLE_DEBUG_ASSERTS)),
		on_off(IS_ENABLED(CONFIG_ENABLE_LOG_VERBOSE)),
		IS_ENABLED(CONFIG_ENABLE_PARANOID_CHECKS) ? " paranoid" : "",
		IS_ENABLED(CONFIG_ENABLE_RAM_SCRUBBER) ? " ram-scrubber" : "",
		IS_ENABLED(CONFIG_ENABLE_HASH_KERNEL_TEXT) ? " text-hash" : "",
		IS_ENABLED(CONFIG_ENABLE_PARANOID_CHECKS) || IS_ENABLED(CONFIG_ENABLE_RAM_SCRUBBER) ||
		IS_ENABLED(CONFIG_ENABLE_HASH_KERNEL_TEXT) ? "" : " none");
	kprintf("  counter: %llu Hz\n", (unsigned long long)hal_counter_freq());
	print_memory_map(bi);
}

static enum run_mode parse_run_mode(const char *cmdline)
{
	if (cmdline_has_word(cmdline, "ktest"))
		return RUN_MODE_KTEST;
	if (cmdline_has_word(cmdline, "poweroff"))
		return RUN_MODE_POWEROFF;
	return RUN_MODE_IDLE;
}

static noreturn void run_ktests(void)
{
	unsigned failed;

	if (!IS_ENABLED(CONFIG_KTEST)) {
		kprintf("ktest: this kernel was built without CONFIG_KTEST; nothing to run\n");
		kprintf("ktest: 0 passed, 1 failed\n");
		hal_test_exit(false);
	}
	failed = ktest_run_all();
	if (cmdline_has_word(kernel_boot_info->cmdline, "trace-dump"))
		trace_dump();
	hal_test_exit(failed == 0);
}

/* Interrupt controller and the other drivers, clock and timer, console input; then
 * interrupts on. */
static void interrupts_init(const struct boot_info *bi)
{
	int err;

	hal_irq_init(bi);
	/* Interrupt controllers first, then the console UART's receive interrupt (and the
	 * rest): the timer below takes its interrupt from the controller bound here. */
	driver_bind_all(&kernel_platform);
	clock_init();
	err = hal_console_rx_irq_enable();
	console_set_rx_irq(err == 0);
	if (err)
		kprintf("  console: no receive interrupt (error %d); input is polled\n", err);
	trace_event(TRACE_BOOT, 1, 0, 0, 0);
	hal_irq_enable();
}

noreturn void kernel_main(struct boot_info *bi)
{
	kernel_boot_info = bi;
	if (!bi->cmdline[0] && CONFIG_CMDLINE[0])
		bootinfo_set_cmdline(bi, CONFIG_CMDLINE, sizeof(CONFIG_CMDLINE));
	/* Known before anything can fail, so a panic during bring-up ends a ktest run as failed. */
	kernel_run_mode = parse_run_mode(bi->cmdline);
	/* First: trap entry, tracing and fault reports all reach this CPU's block. */
	percpu_init_boot(bi->boot_cpu);
	/* The one reading of the firmware tables: everything below reads kernel_platform. */
	platform_init(bi);
	hal_early_init(bi);
	hal_console_init(bi);
	kernel_config_init_defaults(&kernel_config);

	print_banner(bi);
	platform_print(&kernel_platform);
	if (mm_init(bi)) /* page allocator, heap, W^X page tables; panics itself on failure */
		panic("mm_init failed");
	interrupts_init(bi);
	if (cmdline_has_word(bi->cmdline, "crash"))
		crash_selftest();
	switch (kernel_run_mode) {
	case RUN_MODE_KTEST:
		run_ktests();
	case RUN_MODE_POWEROFF:
		kprintf("keel: powering off as asked by the command line\n");
		hal_poweroff();
	case RUN_MODE_IDLE:
		break;
	}
	if (cmdline_has_word(bi->cmdline, "trace-dump"))
		trace_dump();
	kprintf("keel: idle (no 'ktest' or 'poweroff' on the command line); "
		"in QEMU quit with Ctrl-A X\n");
	console_run();
}
