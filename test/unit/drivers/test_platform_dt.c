// SPDX-License-Identifier: MIT
/* Host tests for the platform description (drivers/platform/): real QEMU and Pi 4 trees, a
 * dtc fixture for what those lack, malformed and oversize trees. */
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/platform.h>
#include <lib/fdt.h>

#include "../fdt_fixtures.h"

/* ---- HAL stand-ins: the console is a string ---------------------------------------------- */

static char console_out[16384];
static size_t console_len;

void hal_console_putc(char c)
{
	if (console_len + 1 < sizeof(console_out))
		console_out[console_len++] = c;
	console_out[console_len] = '\0';
}

static struct platform plat; /* ~90 KiB: not on the stack */
static struct fdt_index_node index_nodes[1024];

static int reset(void **state)
{
	(void)state;
	console_len = 0;
	console_out[0] = '\0';
	memset(&plat, 0xa5, sizeof(plat)); /* the builder must not rely on a zeroed table */
	return 0;
}

/* Load @name, index it, build the description. */
static void build(struct loaded_dtb *t, const char *name)
{
	static struct fdt_index idx;

	dtb_load(t, name);
	assert_int_equal(fdt_index_build(&t->fdt, &idx, index_nodes, 1024), 0);
	assert_int_equal(platform_from_fdt(&plat, &t->fdt), 0);
}

static int dev(const char *compat)
{
	int d = platform_find_compatible(&plat, PLAT_NONE, compat);

	assert_int_not_equal(d, PLAT_NONE);
	return d;
}

static int dev_named(const char *name)
{
	for (unsigned i = 0; i < plat.dev_count; i++)
		if (plat.dev[i].name && !strcmp(plat.dev[i].name, name))
			return (int)i;
	fail_msg("no device %s", name);
	return PLAT_NONE;
}

static void assert_irq(const struct plat_irq *q, int parent, unsigned n, uint32_t c0, uint32_t c1,
		       uint32_t c2)
{
	assert_int_equal(q->parent, parent);
	assert_int_equal(q->cell_count, n);
	assert_int_equal(q->cells[0], c0);
	if (n > 1)
		assert_int_equal(q->cells[1], c1);
	if (n > 2)
		assert_int_equal(q->cells[2], c2);
}

static void assert_mem(unsigned i, uint64_t base, uint64_t size, enum plat_mem_kind kind,
		       uint32_t node)
{
	assert_true(i < plat.mem_count);
	assert_int_equal(plat.mem[i].base, base);
	assert_int_equal(plat.mem[i].size, size);
	assert_int_equal(plat.mem[i].kind, kind);
	assert_int_equal(plat.mem[i].node, node);
}

/* ---- QEMU virt ------------------------------------------------------------------------- */

static void platform_arm64_virt_uart_interrupt_goes_to_the_gic(void **state)
{
	struct loaded_dtb t;
	int uart, gic;

	(void)state;
	build(&t, "qemu-arm64-virt.dtb");
	assert_string_equal(plat.source, "DTB");
	assert_string_equal(plat.model, "linux,dummy-virt");
	uart = dev("arm,pl011");
	gic = dev("arm,cortex-a15-gic");
	assert_int_equal(plat.dev[uart].reg_count, 1);
	assert_int_equal(plat.dev[uart].reg[0].base, 0x9000000);
	assert_int_equal(plat.dev[uart].reg[0].size, 0x1000);
	assert_int_equal(plat.dev[uart].irq_count, 1);
	assert_irq(&plat.dev[uart].irq[0], gic, 3, 0, 1, 4); /* SPI 1, level high */
	assert_int_equal(plat.root_intc, gic);
	assert_true(plat.dev[gic].is_intc);
	assert_int_equal(plat.dev[gic].interrupt_cells, 3);
	assert_int_equal(plat.dev[gic].reg[0].base, 0x8000000);
	assert_int_equal(plat.dev[gic].reg[1].base, 0x8010000);
	assert_int_equal(plat.console.device, uart);
	assert_int_equal(plat.cpu_count, 1);
	assert_int_equal(plat.cpu[0].hwid, 0);
	/* QEMU writes enable-method = "psci" only with -smp > 1 */
	assert_int_equal(plat.cpu[0].enable, PLAT_CPU_ENABLE_NONE);
	assert_int_equal(plat.psci, PLAT_PSCI_HVC);
	assert_string_equal(plat.timer.kind, "Arm generic timer");
	assert_int_equal(plat.timer.device, dev("arm,armv8-timer"));
	assert_int_equal(plat.dev[plat.timer.device].irq_count, 4);
	assert_int_equal(plat.mem_count, 1);
	assert_mem(0, 0x40000000, 0x10000000, PLAT_MEM_RAM, 0);
	assert_int_equal(plat.rejected, 0);
	assert_int_equal(plat.devs_dropped, 0);
	/* every virtio-mmio transport, in document order, with its interrupt */
	assert_int_equal(platform_find_fdt_node(&plat, fdt_path(&t.fdt, "/pl011@9000000")), uart);
	for (int d = dev("virtio,mmio"), n = 0; d != PLAT_NONE;
	     d = platform_find_compatible(&plat, d, "virtio,mmio"), n++) {
		assert_int_equal(plat.dev[d].irq[0].parent, gic);
		assert_true(n < 32);
	}
	dtb_unload(&t);
}

static void platform_arm64_virt_gicv3_is_the_root_controller(void **state)
{
	struct loaded_dtb t;
	int gic;

	(void)state;
	build(&t, "qemu-arm64-virt-gicv3.dtb");
	gic = dev("arm,gic-v3");
	assert_int_equal(plat.root_intc, gic);
	assert_int_equal(plat.dev[gic].reg[0].base, 0x8000000);
	assert_int_equal(plat.dev[gic].reg[1].base, 0x80a0000);
	assert_int_equal(plat.dev[dev("arm,pl011")].irq[0].parent, gic);
	assert_int_equal(plat.rejected, 0);
	dtb_unload(&t);
}

static void platform_riscv64_virt_plic_harts_and_timer(void **state)
{
	struct loaded_dtb t;
	int uart, plic, hart_intc;

	(void)state;
	build(&t, "qemu-riscv64-virt.dtb");
	uart = dev("ns16550a");
	plic = dev("sifive,plic-1.0.0");
	hart_intc = dev("riscv,cpu-intc");
	assert_int_equal(plat.dev[uart].reg[0].base, 0x10000000);
	assert_irq(&plat.dev[uart].irq[0], plic, 1, 10, 0, 0);
	assert_int_equal(plat.root_intc, plic);
	assert_int_equal(plat.dev[plic].reg[0].base, 0xc000000);
	/* the PLIC's own outputs: S- and M-mode external interrupts of hart 0 */
	assert_int_equal(plat.dev[plic].irq_count, 2);
	assert_irq(&plat.dev[plic].irq[0], hart_intc, 1, 11, 0, 0);
	assert_irq(&plat.dev[plic].irq[1], hart_intc, 1, 9, 0, 0);
	assert_int_equal(plat.console.device, uart);
	assert_int_equal(plat.cpu_count, 1);
	assert_int_equal(plat.cpu[0].enable, PLAT_CPU_ENABLE_SBI_HSM);
	assert_int_equal(plat.cpu[0].intc, hart_intc);
	assert_non_null(strstr(plat.cpu[0].isa, "sstc"));
	assert_string_equal(plat.timer.kind, "RISC-V timer");
	assert_int_equal(plat.timer.freq, 10000000);
	assert_int_equal(plat.psci, PLAT_PSCI_NONE);
	assert_mem(0, 0x80000000, 0x10000000, PLAT_MEM_RAM, 0);
	assert_int_equal(plat.rejected, 0);
	dtb_unload(&t);
}

static void platform_riscv64_numa_nodes_of_memory_and_harts(void **state)
{
	struct loaded_dtb t;
	int plic1;

	(void)state;
	build(&t, "qemu-riscv64-virt-numa.dtb");
	assert_int_equal(plat.cpu_count, 2);
	assert_int_equal(plat.cpu[1].hwid, 1);
	assert_int_equal(plat.cpu[1].node, 1);
	assert_int_equal(plat.mem_count, 2);
	assert_mem(0, 0x80000000, 0x10000000, PLAT_MEM_RAM, 0);
	assert_mem(1, 0x90000000, 0x10000000, PLAT_MEM_RAM, 1);
	/* one PLIC per socket, each wired to its own hart's controller */
	plic1 = platform_find_compatible(&plat, dev("sifive,plic-1.0.0"), "sifive,plic-1.0.0");
	assert_int_not_equal(plic1, PLAT_NONE);
	assert_int_equal(plat.dev[plic1].irq[0].parent, plat.cpu[1].intc);
	assert_int_equal(plat.rejected, 0);
	dtb_unload(&t);
}

/* ---- the dtc fixture -------------------------------------------------------------------- */

static void platform_memory_is_sorted_and_reservations_carve_ram(void **state)
{
	struct loaded_dtb t;

	(void)state;
	build(&t, "platform.dtb");
	assert_int_equal(plat.mem_count, 8);
	assert_mem(0, 0x40000000, 0x1000, PLAT_MEM_RESERVED, 0);        /* /memreserve/ */
	assert_mem(1, 0x40001000, 0x7fff000, PLAT_MEM_RAM, 0);
	assert_mem(2, 0x48000000, 0x100000, PLAT_MEM_NOMAP, 0);
	assert_mem(3, 0x48100000, 0xf00000, PLAT_MEM_RAM, 0);
	assert_mem(4, 0x49000000, 0x200000, PLAT_MEM_RESERVED, 0);
	assert_mem(5, 0x49200000, 0x6d00000, PLAT_MEM_RAM, 0);
	assert_mem(6, 0x4ff00000, 0x200000, PLAT_MEM_NOMAP, 0);          /* past RAM's end too */
	assert_mem(7, 0x80000000, 0x10000000, PLAT_MEM_RAM, 1);
	assert_int_equal(plat.mem_dynamic, 1); /* the size-only CMA pool */
	assert_int_equal(plat.mem_dropped, 0);
	for (unsigned i = 1; i < plat.mem_count; i++)
		assert_true(plat.mem[i - 1].base + plat.mem[i - 1].size <= plat.mem[i].base);
	dtb_unload(&t);
}

static void platform_resolves_extended_and_cascaded_interrupts(void **state)
{
	struct loaded_dtb t;
	int gic, sub, ext, subdev, uart;

	(void)state;
	build(&t, "platform.dtb");
	gic = dev("arm,gic-400");
	sub = dev("vendor,sub-intc");
	ext = dev("vendor,ext");
	subdev = dev("vendor,subdev");
	uart = dev("arm,pl011");
	assert_int_equal(plat.root_intc, gic);
	assert_int_equal(plat.dev[gic].reg[0].base, 0x10000000); /* through /soc ranges */
	assert_int_equal(plat.dev[gic].reg[1].base, 0x10002000);
	assert_int_equal(plat.dev[ext].irq_count, 2);
	assert_irq(&plat.dev[ext].irq[0], gic, 3, 0, 7, 4);
	assert_irq(&plat.dev[ext].irq[1], sub, 1, 3, 0, 0);
	assert_irq(&plat.dev[sub].irq[0], gic, 3, 0, 9, 4);
	assert_int_equal(plat.dev[subdev].irq_count, 2);
	assert_irq(&plat.dev[subdev].irq[1], sub, 1, 4, 0, 0);
	assert_int_equal(plat.dev[subdev].parent, dev("simple-bus"));
	assert_int_equal(plat.console.device, uart);
	assert_int_equal(plat.console.baud, 9600);
	assert_int_equal(plat.psci, PLAT_PSCI_SMC);
	assert_int_equal(plat.timer.freq, 19200000);
	assert_int_equal(plat.timer.device, dev("arm,armv7-timer"));
	assert_false(plat.dev[dev("vendor,off")].available);
	assert_int_equal(plat.cpu[0].node, 1);
	assert_true(plat_device_is_compatible(&plat.dev[uart], "arm,primecell"));
	assert_string_equal(plat_device_compatible(&plat.dev[uart], 1), "arm,primecell");
	assert_null(plat_device_compatible(&plat.dev[uart], 2));
	dtb_unload(&t);
}

static void platform_rejects_and_counts_malformed_entries(void **state)
{
	struct loaded_dtb t;
	bool seen_cycle = false, seen_cpu = false;
	int pci;

	(void)state;
	build(&t, "platform.dtb");
	/* cpu-bad (no reg), badreg (length), dangling (phandle), the loop (once) */
	assert_int_equal(plat.rejected, 4);
	assert_int_equal(plat.cpu_count, 2);
	assert_int_equal(plat.dev[dev("vendor,badreg")].reg_count, 0);
	assert_int_equal(plat.dev[dev("vendor,dangling")].irq_count, 0);
	assert_int_equal(plat.dev[dev("vendor,dangling")].reg_count, 1);
	assert_int_equal(plat.dev[dev_named("loop-a")].irq_count, 0);
	assert_int_equal(plat.irqs_via_map, 1);
	assert_int_equal(plat.dev[dev("vendor,viamap")].irq_count, 0);
	/* PCI's three-cell addresses are not MMIO: left out quietly */
	pci = dev_named("dev@0");
	assert_int_equal(plat.dev[pci].reg_count, 0);
	assert_int_equal(plat.dev[pci].parent, dev("vendor,pcie"));
	for (unsigned i = 0; i < PLAT_MAX_NOTES; i++) {
		seen_cycle |= !strcmp(plat.note[i].why, "interrupt-parent cycle");
		seen_cpu |= !strcmp(plat.note[i].where, "cpu-bad");
	}
	assert_true(seen_cycle);
	assert_true(seen_cpu);
	dtb_unload(&t);
}

/* A property whose name is already at @nameoff of the strings block (fb_prop() adds the
 * name again each time, and hundreds of them would not fit). */
static void prop_at(struct fdt_builder *b, uint32_t nameoff, const void *val, uint32_t len)
{
	fb_u32(b, TOK_PROP);
	fb_u32(b, len);
	fb_u32(b, nameoff);
	fb_bytes(b, val, len);
}

/* Too many CPUs, devices and memory ranges for the tables: the rest is counted. */
static void platform_counts_what_does_not_fit(void **state)
{
	static struct fdt_builder b;
	static uint32_t reg[3 * 140];
	char name[32];
	struct fdt fdt;
	uint8_t *blob;
	size_t len;

	(void)state;
	uint32_t type_off, reg_off, compat_off, one;

	fb_init(&b);
	type_off = fb_string(&b, "device_type");
	reg_off = fb_string(&b, "reg");
	compat_off = fb_string(&b, "compatible");
	fb_begin(&b, "");
	fb_prop_u32(&b, "#address-cells", 2);
	fb_prop_u32(&b, "#size-cells", 1);
	fb_begin(&b, "cpus");
	fb_prop_u32(&b, "#address-cells", 1);
	fb_prop_u32(&b, "#size-cells", 0);
	for (unsigned i = 0; i < PLAT_MAX_CPUS + 6; i++) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		fb_begin(&b, name);
		prop_at(&b, type_off, "cpu", 4);
		put_be32((uint8_t *)&one, i);
		prop_at(&b, reg_off, &one, 4);
		fb_end(&b);
	}
	fb_end(&b);
	fb_begin(&b, "memory@0");
	fb_prop_str(&b, "device_type", "memory");
	for (unsigned i = 0; i < 140; i++) { /* disjoint: nothing merges */
		uint32_t v[3] = { 0, i * 0x200000u, 0x100000 };

		for (unsigned k = 0; k < 3; k++)
			put_be32((uint8_t *)&reg[3 * i + k], v[k]);
	}
	fb_prop(&b, "reg", reg, sizeof(reg));
	fb_end(&b);
	for (unsigned i = 0; i < PLAT_MAX_DEVICES + 10; i++) {
		snprintf(name, sizeof(name), "d%u", i);
		fb_begin(&b, name);
		prop_at(&b, compat_off, "x", 2);
		fb_end(&b);
	}
	fb_end(&b);
	fb_finish(&b);
	blob = fb_blob(&b, &len);
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	assert_int_equal(platform_from_fdt(&plat, &fdt), 0);
	assert_int_equal(plat.cpu_count, PLAT_MAX_CPUS);
	assert_int_equal(plat.cpus_dropped, 6);
	assert_int_equal(plat.dev_count, PLAT_MAX_DEVICES);
	assert_int_equal(plat.devs_dropped, 10);
	assert_int_equal(plat.mem_count, PLAT_MAX_MEM);
	assert_int_equal(plat.mem_dropped, (140 - 2 * PLAT_MAX_MEM) + PLAT_MAX_MEM);
	assert_int_equal(plat.rejected, 0);
	platform_print(&plat);
	assert_non_null(strstr(console_out, "6 more not listed"));
	assert_non_null(strstr(console_out, "10 more not listed (table full)"));
	free(blob);
}

/* Indexed or walked, the description is the same. */
static void platform_same_with_and_without_index(void **state)
{
	static struct platform walked;
	static const char *const files[] = { "qemu-arm64-virt.dtb", "qemu-riscv64-virt.dtb",
					     "platform.dtb", "binding.dtb" };

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		static struct fdt_index idx;
		struct loaded_dtb t;

		dtb_load(&t, files[i]);
		assert_int_equal(platform_from_fdt(&walked, &t.fdt), 0);
		assert_int_equal(fdt_index_build(&t.fdt, &idx, index_nodes, 1024), 0);
		assert_int_equal(platform_from_fdt(&plat, &t.fdt), 0);
		assert_memory_equal(&walked, &plat, sizeof(plat));
		dtb_unload(&t);
	}
}

static void platform_refuses_a_tree_without_root(void **state)
{
	struct fdt fdt = { 0 };

	(void)state;
	assert_int_equal(platform_from_fdt(&plat, NULL), -EINVAL);
	assert_int_equal(platform_from_fdt(&plat, &fdt), -EINVAL);
	assert_int_equal(plat.dev_count, 0);
	assert_int_equal(plat.root_intc, PLAT_NONE);
}

static void platform_print_is_short(void **state)
{
	struct loaded_dtb t;
	unsigned lines = 0;

	(void)state;
	build(&t, "platform.dtb");
	platform_print(&plat);
	for (const char *c = console_out; *c; c++)
		lines += *c == '\n';
	assert_true(lines <= 16);
	assert_non_null(strstr(console_out, "keel,test-platform"));
	assert_non_null(strstr(console_out, "no-map"));
	assert_non_null(strstr(console_out, "intc: interrupt-controller@0 (arm,gic-400) at 0x10000000"));
	assert_non_null(strstr(console_out, "console: uart@1000 (arm,pl011) at 0x10001000, 9600 baud"));
	assert_non_null(strstr(console_out, "4 malformed entries left out"));
	assert_non_null(strstr(console_out, "1 interrupts through interrupt-map"));
	dtb_unload(&t);
}

static void platform_from_bootinfo_keeps_the_memory_map(void **state)
{
	static struct boot_info bi;

	(void)state;
	memset(&bi, 0, sizeof(bi));
	bootinfo_add_mem(&bi, 0, 0x9fc00, MEM_USABLE);
	bootinfo_add_mem(&bi, 0xf0000, 0x10000, MEM_RESERVED);
	bootinfo_add_mem(&bi, 0x7fe0000, 0x20000, MEM_ACPI_RECLAIM);
	bi.boot_cpu = 3;
	platform_from_bootinfo(&plat, &bi);
	assert_int_equal(plat.mem_count, 3);
	assert_int_equal(plat.mem[0].kind, PLAT_MEM_RAM);
	assert_int_equal(plat.mem[1].kind, PLAT_MEM_RESERVED);
	assert_int_equal(plat.mem[2].kind, PLAT_MEM_ACPI);
	assert_int_equal(plat.cpu_count, 1);
	assert_true(plat.cpu[0].is_boot);
	assert_int_equal(plat.cpu[0].hwid, 3);
	assert_int_equal(plat.dev_count, 0);
}

/* ---- Raspberry Pi 4 (Debian's bcm2711-rpi-4-b.dtb, KEEL_RPI4_DTB) ----------------------- */

static bool build_rpi4(struct loaded_dtb *t)
{
	static struct fdt_index idx;

	if (!dtb_load_rpi4(t))
		return false;
	assert_int_equal(fdt_index_build(&t->fdt, &idx, index_nodes, 1024), 0);
	assert_int_equal(platform_from_fdt(&plat, &t->fdt), 0);
	return true;
}

static void platform_rpi4_spin_tables_gic400_and_mini_uart(void **state)
{
	static const uint64_t release[4] = { 0xd8, 0xe0, 0xe8, 0xf0 };
	struct loaded_dtb t;
	int gic, con;

	(void)state;
	if (!build_rpi4(&t)) {
		skip();
		return;
	}
	assert_int_equal(plat.cpu_count, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(plat.cpu[i].hwid, i);
		assert_int_equal(plat.cpu[i].enable, PLAT_CPU_ENABLE_SPIN_TABLE);
		assert_true(plat.cpu[i].has_release_addr);
		assert_int_equal(plat.cpu[i].release_addr, release[i]);
	}
	gic = dev("arm,gic-400");
	assert_int_equal(plat.root_intc, gic);
	assert_int_equal(plat.dev[gic].reg[0].base, 0xff841000);
	assert_int_equal(plat.dev[gic].reg[1].base, 0xff842000);
	con = plat.console.device;
	assert_int_not_equal(con, PLAT_NONE);
	assert_string_equal(plat.dev[con].name, "serial@7e215040");
	assert_int_equal(plat.dev[con].reg[0].base, 0xfe215040);
	assert_int_equal(plat.console.baud, 115200);
	assert_int_equal(plat.dev[con].irq[0].parent, gic);
	assert_mem(0, 0, 0x1000, PLAT_MEM_RESERVED, 0); /* /memreserve/: the spin tables */
	/* memory@0 has a zero-sized reg: the firmware (or QEMU) fills it in */
	assert_int_equal(plat.mem_count, 1);
	assert_true(plat.mem_dynamic >= 1); /* linux,cma: size + alloc-ranges */
	assert_int_equal(plat.psci, PLAT_PSCI_NONE);
	assert_int_equal(plat.devs_dropped, 0);
	assert_string_equal(plat.timer.kind, "Arm generic timer");
	print_message("Pi 4: %u devices, %u rejected, %u irqs via interrupt-map\n", plat.dev_count,
		      plat.rejected, plat.irqs_via_map);
	dtb_unload(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(platform_arm64_virt_uart_interrupt_goes_to_the_gic, reset),
		cmocka_unit_test_setup(platform_arm64_virt_gicv3_is_the_root_controller, reset),
		cmocka_unit_test_setup(platform_riscv64_virt_plic_harts_and_timer, reset),
		cmocka_unit_test_setup(platform_riscv64_numa_nodes_of_memory_and_harts, reset),
		cmocka_unit_test_setup(platform_memory_is_sorted_and_reservations_carve_ram, reset),
		cmocka_unit_test_setup(platform_resolves_extended_and_cascaded_interrupts, reset),
		cmocka_unit_test_setup(platform_rejects_and_counts_malformed_entries, reset),
		cmocka_unit_test_setup(platform_counts_what_does_not_fit, reset),
		cmocka_unit_test_setup(platform_same_with_and_without_index, reset),
		cmocka_unit_test_setup(platform_refuses_a_tree_without_root, reset),
		cmocka_unit_test_setup(platform_print_is_short, reset),
		cmocka_unit_test_setup(platform_from_bootinfo_keeps_the_memory_map, reset),
		cmocka_unit_test_setup(platform_rpi4_spin_tables_gic400_and_mini_uart, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
