// SPDX-License-Identifier: MIT
/* Host tests for device binding (drivers/dt.c), the DT console and platform discovery. */
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <drivers/serial.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/platform.h>
#include <lib/fdt.h>

#include "../fdt_fixtures.h"

/* ---- HAL stand-ins: UART registers live in a buffer, the console in a string ---------- */

static _Alignas(16) uint8_t fake_mmio[0x1000];
static paddr_t mapped_pa;
static size_t mapped_size;
static char console_out[8192];
static size_t console_len;

void *hal_map_io(paddr_t pa, size_t size)
{
	if (size > sizeof(fake_mmio))
		return NULL;
	mapped_pa = pa;
	mapped_size = size;
	return fake_mmio;
}

uint64_t hal_counter_freq(void)
{
	return 54000000;
}

void hal_console_putc(char c)
{
	if (console_len + 1 < sizeof(console_out))
		console_out[console_len++] = c;
	console_out[console_len] = '\0';
}

/* kprintf's console lock: one host thread, so one CPU with nothing to mask. */
irqflags_t hal_irq_save(void) { return 0; }
void hal_irq_restore(irqflags_t flags) { (void)flags; }
struct per_cpu *hal_this_cpu(void) { return NULL; }

static int reset(void **state)
{
	(void)state;
	memset(fake_mmio, 0, sizeof(fake_mmio));
	mapped_pa = 0;
	mapped_size = 0;
	console_len = 0;
	console_out[0] = '\0';
	return 0;
}

/* ---- loading trees -------------------------------------------------------------------- */

/* The Raspberry Pi 4 tree from Debian's kernel package, when the build names one (it is not
 * ours to commit). False, after telling why, when there is none. */
static bool load_rpi4(struct loaded_dtb *t)
{
	const char *path = getenv("KEEL_RPI4_DTB");
	FILE *f;
	long n;

	if (!path || !*path) {
		print_message("KEEL_RPI4_DTB is not set: no bcm2711-rpi-4-b.dtb to test against\n");
		return false;
	}
	f = fopen(path, "rb");
	if (!f) {
		print_message("KEEL_RPI4_DTB=%s cannot be read\n", path);
		return false;
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	t->blob = malloc((size_t)n);
	assert_non_null(t->blob);
	assert_int_equal(fread(t->blob, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	t->len = (size_t)n;
	assert_int_equal(fdt_init(&t->fdt, t->blob, t->len), 0);
	return true;
}

static int node(const struct loaded_dtb *t, const char *path)
{
	int n = fdt_path(&t->fdt, path);

	assert_true(n >= 0);
	return n;
}

static const char *driver_name(const struct loaded_dtb *t, const char *path)
{
	const struct dt_driver *d = dt_match(&t->fdt, node(t, path), DT_CLASS_SERIAL);

	return d ? d->name : NULL;
}

/* ---- the driver table ----------------------------------------------------------------- */

static bool lists(const struct dt_driver *d, const char *compat)
{
	for (const char *const *c = d->compatible; *c; c++)
		if (!strcmp(*c, compat))
			return true;
	return false;
}

static void dt_table_entries_are_complete_and_unambiguous(void **state)
{
	(void)state;
	assert_true(dt_driver_count >= 3);
	for (unsigned i = 0; i < dt_driver_count; i++) {
		const struct dt_driver *d = &dt_drivers[i];

		assert_non_null(d->name);
		assert_non_null(d->compatible);
		assert_non_null(d->compatible[0]);
		assert_int_equal(d->class, DT_CLASS_SERIAL);
		assert_non_null(d->probe.serial);
		/* one compatible string, one driver per class */
		for (const char *const *c = d->compatible; *c; c++)
			for (unsigned j = i + 1; j < dt_driver_count; j++)
				assert_false(dt_drivers[j].class == d->class &&
					     lists(&dt_drivers[j], *c));
	}
}

/* ---- matching ------------------------------------------------------------------------- */

static void dt_match_binds_by_compatible(void **state)
{
	struct loaded_dtb t;

	(void)state;
	dtb_load(&t, "binding.dtb");
	assert_string_equal(driver_name(&t, "/soc/serial@7e201000"), "pl011");
	assert_string_equal(driver_name(&t, "/soc/serial@7e215040"), "bcm2835-aux");
	assert_string_equal(driver_name(&t, "/soc/serial@7e500000"), "ns16550");
	/* an unknown specific compatible falls through to the generic one */
	assert_string_equal(driver_name(&t, "/soc/serial@7e400000"), "ns16550");
	assert_string_equal(driver_name(&t, "/soc/serial@7e900000"), "pl011");
	assert_null(driver_name(&t, "/soc/serial@7e800000"));
	assert_null(driver_name(&t, "/soc/interrupt-controller@40041000"));
	assert_null(dt_match(&t.fdt, -1, DT_CLASS_SERIAL));
	dtb_unload(&t);
}

static void dt_node_available_reads_status(void **state)
{
	struct loaded_dtb t;

	(void)state;
	dtb_load(&t, "binding.dtb");
	assert_true(dt_node_available(&t.fdt, node(&t, "/soc/serial@7e201000"))); /* "okay" */
	assert_true(dt_node_available(&t.fdt, node(&t, "/soc/serial@7e215040"))); /* absent */
	assert_false(dt_node_available(&t.fdt, node(&t, "/soc/serial@7e700000")));
	dtb_unload(&t);
}

/* ---- the console ---------------------------------------------------------------------- */

static void dt_console_binds_stdout_path_behind_ranges(void **state)
{
	struct serial_port p;
	struct loaded_dtb t;

	(void)state;
	dtb_load(&t, "binding.dtb");
	fake_mmio[0x20] = 0; /* AUX_MU_CNTL: receiver and transmitter off */
	assert_int_equal(dt_console_init(&t.fdt, &p), 0);
	assert_int_equal(p.node, fdt_stdout_node(&t.fdt));
	assert_int_equal(p.node, node(&t, "/soc/serial@7e215040"));
	assert_string_equal(p.name, "BCM2835 mini UART");
	assert_int_equal(p.pa, 0xfe215040);
	assert_int_equal(mapped_pa, 0xfe215040);
	assert_ptr_equal(dt_console_bound(), &p);
	/* init enabled both directions and masked interrupts, and left the baud alone */
	assert_int_equal(fake_mmio[0x20] & 3, 3);
	assert_int_equal(fake_mmio[0x04], 0);
	/* putc waits for LSR "transmitter empty", then writes AUX_MU_IO */
	fake_mmio[0x14] = 0x20;
	serial_putc(&p, 'K');
	assert_int_equal(fake_mmio[0x00], 'K');
	assert_int_equal(serial_getc(&p), -1);
	fake_mmio[0x14] = 0x21;
	assert_int_equal(serial_getc(&p), 'K');
	dtb_unload(&t);
}

static void dt_console_binds_each_uart_kind(void **state)
{
	struct serial_port p;
	struct loaded_dtb t;

	(void)state;
	dtb_load(&t, "binding.dtb");
	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@7e201000"), &p), 0);
	assert_string_equal(p.name, "PL011");
	assert_int_equal(p.pa, 0xfe201000);
	assert_int_equal(p.u.pl011.base, (uintptr_t)fake_mmio);

	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@7e216000"), &p), 0);
	assert_int_equal(p.pa, 0xfe216040); /* the AUX block's MU registers */

	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@7e500000"), &p), 0);
	assert_string_equal(p.name, "NS16550");
	assert_int_equal(p.pa, 0xfe500000);
	assert_int_equal(p.u.ns16550.shift, 2);
	assert_int_equal(p.u.ns16550.width, 4);
	assert_int_equal(mapped_size, 8u << 2);

	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@7e400000"), &p), 0);
	assert_int_equal(p.u.ns16550.shift, 0);
	assert_int_equal(p.u.ns16550.width, 1);
	dtb_unload(&t);
}

static void dt_console_refuses_what_it_cannot_drive(void **state)
{
	const struct serial_port *before;
	struct serial_port p;
	struct loaded_dtb t;

	(void)state;
	dtb_load(&t, "binding.dtb");
	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@7e201000"), &p), 0);
	before = dt_console_bound();
	/* no driver, disabled, reg outside every range, unsupported reg-io-width / reg-shift */
	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@7e800000"), &p), -ENODEV);
	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@7e700000"), &p), -ENODEV);
	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@10000000"), &p), -ENODEV);
	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@7e600000"), &p), -EINVAL);
	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@7ea00000"), &p), -EINVAL);
	assert_int_equal(dt_console_bind(&t.fdt, -ENOENT, &p), -ENOENT);
	assert_int_equal(dt_console_init(NULL, &p), -ENOENT);
	assert_ptr_equal(dt_console_bound(), before); /* failures leave the record alone */
	dtb_unload(&t);
}

static void dt_console_without_stdout_path_is_enoent(void **state)
{
	struct fdt_builder b;
	struct serial_port p;
	struct fdt fdt;
	uint8_t *blob;
	size_t len;

	(void)state;
	fb_init(&b);
	fb_begin(&b, "");
	fb_begin(&b, "chosen");
	fb_end(&b);
	fb_end(&b);
	fb_finish(&b);
	blob = fb_blob(&b, &len);
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	assert_int_equal(dt_console_init(&fdt, &p), -ENOENT);
	free(blob);
}

/* QEMU's own trees, as dumped: the console each port's hal_console_init() will get. */
static void dt_console_on_qemu_virt_trees(void **state)
{
	struct serial_port p;
	struct loaded_dtb t;

	(void)state;
	dtb_load(&t, "qemu-arm64-virt.dtb");
	assert_int_equal(dt_console_init(&t.fdt, &p), 0);
	assert_string_equal(p.name, "PL011");
	assert_int_equal(p.pa, 0x09000000);
	assert_int_equal(p.node, fdt_stdout_node(&t.fdt));
	dtb_unload(&t);

	dtb_load(&t, "qemu-arm64-virt-gicv3.dtb");
	assert_int_equal(dt_console_init(&t.fdt, &p), 0);
	assert_int_equal(p.pa, 0x09000000);
	dtb_unload(&t);

	dtb_load(&t, "qemu-riscv64-virt.dtb");
	assert_int_equal(dt_console_init(&t.fdt, &p), 0);
	assert_string_equal(p.name, "NS16550");
	assert_int_equal(p.pa, 0x10000000);
	assert_int_equal(p.u.ns16550.shift, 0);
	assert_int_equal(p.u.ns16550.width, 1);
	dtb_unload(&t);
}

/* ---- platform discovery --------------------------------------------------------------- */

static void platform_discovers_qemu_arm64_virt(void **state)
{
	struct platform_info pi;
	struct loaded_dtb t;

	(void)state;
	dtb_load(&t, "qemu-arm64-virt.dtb");
	platform_discover(&t.fdt, &pi);
	assert_true(pi.from_dt);
	assert_string_equal(pi.intc.kind, "GICv2");
	assert_string_equal(pi.intc.compatible, "arm,cortex-a15-gic");
	assert_int_equal(pi.intc.reg[0].base, 0x08000000);
	assert_int_equal(pi.intc.reg[1].base, 0x08010000);
	assert_false(pi.intc.reg_bad);
	assert_string_equal(pi.timer.compatible, "arm,armv8-timer");
	assert_int_equal(pi.timer.dt_freq, 0);
	assert_int_equal(pi.cpu_count, 1);
	assert_int_equal(pi.cpu[0].hwid, 0);
	dtb_unload(&t);

	dtb_load(&t, "qemu-arm64-virt-gicv3.dtb");
	platform_discover(&t.fdt, &pi);
	assert_string_equal(pi.intc.kind, "GICv3");
	assert_int_equal(pi.intc.reg[0].base, 0x08000000);
	assert_int_equal(pi.intc.reg[1].base, 0x080a0000);
	dtb_unload(&t);
}

static void platform_discovers_qemu_riscv64_virt(void **state)
{
	struct platform_info pi;
	struct loaded_dtb t;

	(void)state;
	dtb_load(&t, "qemu-riscv64-virt.dtb");
	platform_discover(&t.fdt, &pi);
	/* no interrupt-parent at the root: the first PLIC stands in */
	assert_string_equal(pi.intc.kind, "PLIC");
	assert_string_equal(pi.intc.compatible, "sifive,plic-1.0.0");
	assert_int_equal(pi.intc.reg_count, 1);
	assert_int_equal(pi.intc.reg[0].base, 0x0c000000);
	assert_string_equal(pi.timer.kind, "RISC-V timer");
	assert_int_equal(pi.timer.node, fdt_path(&t.fdt, "/cpus"));
	assert_int_equal(pi.timer.dt_freq, 10000000);
	assert_int_equal(pi.cpu_count, 1);
	assert_int_equal(pi.cpu[0].method, CPU_ENABLE_NONE);
	dtb_unload(&t);
}

static void platform_reads_enable_methods_and_release_addresses(void **state)
{
	struct platform_info pi;
	struct loaded_dtb t;

	(void)state;
	dtb_load(&t, "binding.dtb");
	platform_discover(&t.fdt, &pi);
	assert_int_equal(pi.intc.node, node(&t, "/soc/interrupt-controller@40041000"));
	assert_int_equal(pi.intc.reg_count, 2);
	assert_int_equal(pi.intc.reg[1].base, 0xff842000);
	assert_int_equal(pi.intc.reg[1].size, 0x2000);
	assert_int_equal(pi.timer.dt_freq, 54000000);
	assert_int_equal(pi.cpu_count, 4); /* l2-cache is not a CPU */
	assert_int_equal(pi.cpu[0].method, CPU_ENABLE_PSCI);
	assert_int_equal(pi.cpu[1].method, CPU_ENABLE_SPIN_TABLE);
	assert_true(pi.cpu[1].release_addr_ok);
	assert_int_equal(pi.cpu[1].release_addr, 0xe0);
	assert_false(pi.cpu[2].release_addr_ok);
	assert_int_equal(pi.cpu[3].hwid, 0x100);
	assert_int_equal(pi.cpu[3].method, CPU_ENABLE_OTHER);
	assert_false(pi.cpu[3].available);

	platform_print(&pi);
	assert_non_null(strstr(console_out, "GICv2 (arm,gic-400) 0xff841000+0x1000"));
	assert_non_null(strstr(console_out, "DTB frequency 54000000 Hz"));
	assert_non_null(strstr(console_out, "cpu1: hwid 0x1, enable-method spin-table, "
					    "release-addr 0xe0\r\n"));
	assert_non_null(strstr(console_out, "no usable cpu-release-addr"));
	assert_non_null(strstr(console_out, "enable-method vendor,magic (disabled)"));
	dtb_unload(&t);
}

static void platform_without_tree_reports_nothing(void **state)
{
	struct platform_info pi;

	(void)state;
	platform_discover(NULL, &pi);
	assert_false(pi.from_dt);
	assert_int_equal(pi.intc.node, -ENOENT);
	assert_int_equal(pi.timer.node, -ENOENT);
	platform_print(&pi);
	assert_int_equal(console_len, 0);
}

/* ---- Raspberry Pi 4 (Debian's bcm2711-rpi-4-b.dtb) ------------------------------------ */

static void rpi4_console_is_the_mini_uart_at_its_cpu_address(void **state)
{
	struct serial_port p;
	struct loaded_dtb t;

	(void)state;
	if (!load_rpi4(&t)) {
		skip();
		return;
	}
	/* stdout-path = "serial1:115200n8" -> /soc/serial@7e215040 -> 0xfe215040 */
	assert_int_equal(dt_console_init(&t.fdt, &p), 0);
	assert_int_equal(p.node, node(&t, "/soc/serial@7e215040"));
	assert_string_equal(p.name, "BCM2835 mini UART");
	assert_int_equal(p.pa, 0xfe215040);
	/* with dtoverlay=disable-bt, firmware points it at serial0: the PL011 */
	assert_int_equal(dt_console_bind(&t.fdt, node(&t, "/soc/serial@7e201000"), &p), 0);
	assert_string_equal(p.name, "PL011");
	assert_int_equal(p.pa, 0xfe201000);
	dtb_unload(&t);
}

static void rpi4_platform_gic400_timer_and_spin_tables(void **state)
{
	static const uint64_t release[4] = { 0xd8, 0xe0, 0xe8, 0xf0 };
	struct platform_info pi;
	struct loaded_dtb t;

	(void)state;
	if (!load_rpi4(&t)) {
		skip();
		return;
	}
	platform_discover(&t.fdt, &pi);
	assert_string_equal(pi.intc.compatible, "arm,gic-400");
	assert_string_equal(pi.intc.kind, "GICv2");
	assert_int_equal(pi.intc.reg_count, 4);
	assert_int_equal(pi.intc.reg[0].base, 0xff841000); /* distributor */
	assert_int_equal(pi.intc.reg[1].base, 0xff842000); /* CPU interface */
	assert_string_equal(pi.timer.compatible, "arm,armv8-timer");
	assert_int_equal(pi.cpu_count, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(pi.cpu[i].hwid, i);
		assert_int_equal(pi.cpu[i].method, CPU_ENABLE_SPIN_TABLE);
		assert_true(pi.cpu[i].release_addr_ok);
		assert_int_equal(pi.cpu[i].release_addr, release[i]);
	}
	platform_print(&pi);
	assert_non_null(strstr(console_out, "counter 54000000 Hz"));
	assert_non_null(strstr(console_out, "cpu3: hwid 0x3, enable-method spin-table, "
					    "release-addr 0xf0"));
	dtb_unload(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(dt_table_entries_are_complete_and_unambiguous, reset),
		cmocka_unit_test_setup(dt_match_binds_by_compatible, reset),
		cmocka_unit_test_setup(dt_node_available_reads_status, reset),
		cmocka_unit_test_setup(dt_console_binds_stdout_path_behind_ranges, reset),
		cmocka_unit_test_setup(dt_console_binds_each_uart_kind, reset),
		cmocka_unit_test_setup(dt_console_refuses_what_it_cannot_drive, reset),
		cmocka_unit_test_setup(dt_console_without_stdout_path_is_enoent, reset),
		cmocka_unit_test_setup(dt_console_on_qemu_virt_trees, reset),
		cmocka_unit_test_setup(platform_discovers_qemu_arm64_virt, reset),
		cmocka_unit_test_setup(platform_discovers_qemu_riscv64_virt, reset),
		cmocka_unit_test_setup(platform_reads_enable_methods_and_release_addresses, reset),
		cmocka_unit_test_setup(platform_without_tree_reports_nothing, reset),
		cmocka_unit_test_setup(rpi4_console_is_the_mini_uart_at_its_cpu_address, reset),
		cmocka_unit_test_setup(rpi4_platform_gic400_timer_and_spin_tables, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
