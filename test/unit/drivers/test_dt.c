// SPDX-License-Identifier: MIT
/* Host tests for device binding (drivers/dt.c) and the DT console. */
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
#include <kernel/bootinfo.h>
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

static int node(const struct loaded_dtb *t, const char *path)
{
	int n = fdt_path(&t->fdt, path);

	assert_true(n >= 0);
	return n;
}

/* @path as the description would list it (compatible list only), matched as a console. */
static const char *driver_name(const struct loaded_dtb *t, const char *path)
{
	struct plat_device dev = { .bus = PLAT_BUS_DT };
	uint32_t len;
	const struct driver *d;

	dev.compatible = fdt_prop(&t->fdt, node(t, path), "compatible", &len);
	dev.compatible_len = dev.compatible ? len : 0;
	d = driver_match(&dev, DRIVER_CLASS_CONSOLE);
	return d ? d->name : NULL;
}

/* ---- the driver table ----------------------------------------------------------------- */

static bool lists(const struct driver *d, const char *compat)
{
	for (const char *const *c = d->compatible; *c; c++)
		if (!strcmp(*c, compat))
			return true;
	return false;
}

static void driver_table_entries_are_complete_and_unambiguous(void **state)
{
	(void)state;
	assert_true(driver_table_count >= 3);
	for (unsigned i = 0; i < driver_table_count; i++) {
		const struct driver *d = &driver_table[i];

		assert_non_null(d->name);
		assert_non_null(d->compatible);
		assert_non_null(d->compatible[0]);
		assert_true(d->class > DRIVER_CLASS_ANY && d->class < DRIVER_CLASS_COUNT);
		assert_non_null(d->ops);
		assert_non_null(d->ops->probe);
		if (d->class == DRIVER_CLASS_CONSOLE) {
			assert_non_null(d->class_ops.serial);
			assert_non_null(d->class_ops.serial->port_init);
			assert_non_null(d->class_ops.serial->set_rx_irq);
		}
		/* one compatible string, one driver per class */
		for (const char *const *c = d->compatible; *c; c++)
			for (unsigned j = i + 1; j < driver_table_count; j++)
				assert_false(driver_table[j].class == d->class &&
					     lists(&driver_table[j], *c));
	}
}

/* ---- matching ------------------------------------------------------------------------- */

static void driver_match_binds_dt_nodes_by_compatible(void **state)
{
	struct loaded_dtb t;
	struct plat_device none = { .bus = PLAT_BUS_DT };

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
	assert_null(driver_match(&none, DRIVER_CLASS_CONSOLE)); /* no compatible at all */
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

/* A port's Kconfig fallback names its UART by a compatible id; the table picks the driver. */
static void serial_port_init_by_id_picks_the_driver_from_the_table(void **state)
{
	struct serial_port p;

	(void)state;
	assert_int_equal(serial_port_init_by_id(&p, "arm,pl011", 0x9000000, false), 0);
	assert_string_equal(p.name, "PL011");
	assert_int_equal(p.pa, 0x9000000);
	assert_int_equal(p.node, -1);
	assert_int_equal(mapped_pa, 0x9000000);
	assert_int_equal(serial_port_init_by_id(&p, "ns16550a", 0x10000000, false), 0);
	assert_string_equal(p.name, "NS16550");
	assert_int_equal(p.u.ns16550.shift, 0);
	assert_int_equal(p.u.ns16550.width, 1);
	assert_int_equal(mapped_pa, 0x10000000);
	assert_int_equal(serial_port_init_by_id(&p, "brcm,bcm2835-aux-uart", 0xfe215040, false), 0);
	assert_int_equal(mapped_pa, 0xfe215040);
	assert_int_equal(serial_port_init_by_id(&p, "acme,no-such-uart", 0x1000, false), -ENODEV);
	assert_int_equal(serial_port_init_by_id(&p, NULL, 0x1000, false), -ENODEV);
	assert_int_equal(mapped_pa, 0xfe215040); /* nothing mapped for a refusal */
	/* x86-64's early port: a PC serial port on I/O ports, never mapped as memory. */
	assert_int_equal(serial_port_init_by_id(&p, "PNP0501", 0x3f8, true), 0);
	assert_string_equal(p.name, "NS16550 (I/O ports)");
	assert_int_equal(p.u.ns16550.base, 0x3f8);
	assert_non_null(p.u.ns16550.read);
	assert_int_equal(mapped_pa, 0xfe215040);
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

/* ---- the kernel's console: kernel_platform's stdout-path device ----------------------- */

static void dt_console_binds_the_platform_console(void **state)
{
	static struct boot_info bi;
	struct serial_port p;
	struct loaded_dtb t;

	(void)state;
	dtb_load(&t, "binding.dtb");
	memset(&bi, 0, sizeof(bi));
	bi.dtb = t.blob;
	platform_init(&bi);
	assert_non_null(platform_fdt());
	assert_non_null(platform_fdt()->index); /* indexed once, at platform_init() */
	assert_int_equal(dt_console_init_platform(&kernel_platform, &p), 0);
	assert_int_equal(p.node, node(&t, "/soc/serial@7e215040"));
	assert_int_equal(p.pa, 0xfe215040);
	assert_ptr_equal(dt_console_bound(), &p);
	/* the disabled 16550 and an index past the table are refused */
	assert_int_equal(dt_console_bind_device(&kernel_platform,
		platform_find_fdt_node(&kernel_platform, node(&t, "/soc/serial@7e700000")), &p),
		-ENODEV);
	assert_int_equal(dt_console_bind_device(&kernel_platform, PLAT_MAX_DEVICES, &p), -ENOENT);
	assert_int_equal(dt_console_bind_device(&kernel_platform, PLAT_NONE, &p), -ENOENT);
	dtb_unload(&t);
}

/* ---- Raspberry Pi 4 (Debian's bcm2711-rpi-4-b.dtb) ------------------------------------ */

static void rpi4_console_is_the_mini_uart_at_its_cpu_address(void **state)
{
	struct serial_port p;
	struct loaded_dtb t;

	(void)state;
	if (!dtb_load_rpi4(&t)) {
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(driver_table_entries_are_complete_and_unambiguous, reset),
		cmocka_unit_test_setup(driver_match_binds_dt_nodes_by_compatible, reset),
		cmocka_unit_test_setup(dt_node_available_reads_status, reset),
		cmocka_unit_test_setup(dt_console_binds_stdout_path_behind_ranges, reset),
		cmocka_unit_test_setup(dt_console_binds_each_uart_kind, reset),
		cmocka_unit_test_setup(serial_port_init_by_id_picks_the_driver_from_the_table, reset),
		cmocka_unit_test_setup(dt_console_refuses_what_it_cannot_drive, reset),
		cmocka_unit_test_setup(dt_console_without_stdout_path_is_enoent, reset),
		cmocka_unit_test_setup(dt_console_on_qemu_virt_trees, reset),
		cmocka_unit_test_setup(dt_console_binds_the_platform_console, reset),
		cmocka_unit_test_setup(rpi4_console_is_the_mini_uart_at_its_cpu_address, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
