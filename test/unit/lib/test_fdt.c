// SPDX-License-Identifier: MIT
/* Host tests for lib/fdt.c: QEMU-dumped and dtc-built trees, and every malformation we know of. */
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/errno.h>
#include <lib/fdt.h>

#include "../fdt_fixtures.h"

/* ---- helpers -------------------------------------------------------------------------- */

static int init_builder_blob(const struct fdt_builder *b)
{
	size_t len;
	uint8_t *blob = fb_blob(b, &len);
	struct fdt fdt;
	int rc = fdt_init(&fdt, blob, len);

	free(blob);
	return rc;
}

/* A minimal valid tree: / { compatible = "keel,test"; child { }; }; */
static void build_minimal(struct fdt_builder *b)
{
	fb_init(b);
	fb_begin(b, "");
	fb_prop_str(b, "compatible", "keel,test");
	fb_begin(b, "child");
	fb_end(b);
	fb_end(b);
	fb_finish(b);
}

/* Visit every node and property through the public API; returns the node count. */
static int walk_all(const struct fdt *fdt, int node, int depth)
{
	int count = 1;

	assert_true(depth <= FDT_MAX_DEPTH);
	assert_non_null(fdt_node_name(fdt, node));
	(void)fdt_prop(fdt, node, "reg", NULL);
	(void)fdt_is_compatible(fdt, node, "x");
	for (int c = fdt_first_child(fdt, node); c >= 0; c = fdt_next_sibling(fdt, c)) {
		assert_int_equal(fdt_parent(fdt, c), node);
		count += walk_all(fdt, c, depth + 1);
	}
	return count;
}

/* ---- QEMU virt device trees ------------------------------------------------------------- */

static void fdt_accepts_qemu_arm64_virt(void **state)
{
	struct loaded_dtb l;
	int root;

	(void)state;
	dtb_load(&l, "qemu-arm64-virt.dtb");
	root = fdt_root(&l.fdt);
	assert_true(root >= 0);
	assert_string_equal(fdt_node_name(&l.fdt, root), "");
	assert_int_equal(fdt_parent(&l.fdt, root), -ENOENT);
	assert_int_equal(fdt_next_sibling(&l.fdt, root), -ENOENT);
	assert_int_equal(fdt_address_cells(&l.fdt, root), 2);
	assert_int_equal(fdt_size_cells(&l.fdt, root), 2);
	assert_string_equal(fdt_prop_string(&l.fdt, root, "model"), "linux,dummy-virt");
	assert_int_equal(fdt_total_size(l.blob, l.len), 1u << 20);
	dtb_unload(&l);
}

static void fdt_finds_memory_node_in_qemu_trees(void **state)
{
	static const struct { const char *file; uint64_t base; } cases[] = {
		{ "qemu-arm64-virt.dtb", 0x40000000 },
		{ "qemu-arm64-virt-gicv3.dtb", 0x40000000 },
		{ "qemu-riscv64-virt.dtb", 0x80000000 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct loaded_dtb l;
		uint64_t base, size;
		int mem;

		dtb_load(&l, cases[i].file);
		mem = fdt_find_device_type(&l.fdt, -1, "memory");
		assert_true(mem >= 0);
		assert_int_equal(fdt_path(&l.fdt, "/memory"), mem); /* unit address optional */
		assert_int_equal(fdt_reg(&l.fdt, mem, 0, &base, &size), 0);
		assert_int_equal(base, cases[i].base);
		assert_int_equal(size, 256u << 20);
		assert_int_equal(fdt_reg(&l.fdt, mem, 1, &base, &size), -ENOENT);
		assert_int_equal(fdt_find_device_type(&l.fdt, mem, "memory"), -ENOENT);
		dtb_unload(&l);
	}
}

static void fdt_resolves_stdout_path_arm64_virt(void **state)
{
	struct loaded_dtb l;
	uint64_t base, size;
	int uart;

	(void)state;
	dtb_load(&l, "qemu-arm64-virt.dtb");
	uart = fdt_stdout_node(&l.fdt);
	assert_true(uart >= 0);
	assert_string_equal(fdt_node_name(&l.fdt, uart), "pl011@9000000");
	assert_int_equal(fdt_path(&l.fdt, "/pl011@9000000"), uart);
	assert_true(fdt_is_compatible(&l.fdt, uart, "arm,pl011"));
	assert_true(fdt_is_compatible(&l.fdt, uart, "arm,primecell"));
	assert_false(fdt_is_compatible(&l.fdt, uart, "arm,pl01"));
	assert_int_equal(fdt_find_compatible(&l.fdt, -1, "arm,pl011"), uart);
	assert_int_equal(fdt_reg(&l.fdt, uart, 0, &base, &size), 0);
	assert_int_equal(base, 0x9000000);
	assert_int_equal(size, 0x1000);
	dtb_unload(&l);
}

static void fdt_resolves_stdout_path_riscv64_virt(void **state)
{
	struct loaded_dtb l;
	uint64_t base, size;
	int uart, soc;

	(void)state;
	dtb_load(&l, "qemu-riscv64-virt.dtb");
	uart = fdt_stdout_node(&l.fdt);
	assert_true(uart >= 0);
	assert_string_equal(fdt_node_name(&l.fdt, uart), "serial@10000000");
	soc = fdt_parent(&l.fdt, uart);
	assert_string_equal(fdt_node_name(&l.fdt, soc), "soc");
	assert_int_equal(fdt_path(&l.fdt, "/soc/serial@10000000"), uart);
	assert_int_equal(fdt_path(&l.fdt, "//soc//serial@10000000/"), uart);
	assert_true(fdt_is_compatible(&l.fdt, uart, "ns16550a"));
	assert_int_equal(fdt_reg(&l.fdt, uart, 0, &base, &size), 0);
	assert_int_equal(base, 0x10000000);
	assert_int_equal(size, 0x100);
	dtb_unload(&l);
}

static void fdt_finds_gic_by_compatible(void **state)
{
	struct loaded_dtb v2, v3;

	(void)state;
	dtb_load(&v2, "qemu-arm64-virt.dtb");
	dtb_load(&v3, "qemu-arm64-virt-gicv3.dtb");
	assert_true(fdt_find_compatible(&v2.fdt, -1, "arm,cortex-a15-gic") >= 0);
	assert_int_equal(fdt_find_compatible(&v2.fdt, -1, "arm,gic-v3"), -ENOENT);
	assert_true(fdt_find_compatible(&v3.fdt, -1, "arm,gic-v3") >= 0);
	assert_int_equal(fdt_find_compatible(&v3.fdt, -1, "arm,cortex-a15-gic"), -ENOENT);
	dtb_unload(&v2);
	dtb_unload(&v3);
}

static void fdt_finds_every_virtio_mmio_node_in_order(void **state)
{
	struct loaded_dtb l;
	int n = 0, prev = -1, node;

	(void)state;
	dtb_load(&l, "qemu-arm64-virt.dtb");
	for (node = fdt_find_compatible(&l.fdt, -1, "virtio,mmio"); node >= 0;
	     node = fdt_find_compatible(&l.fdt, node, "virtio,mmio")) {
		assert_true(node > prev);
		prev = node;
		n++;
	}
	assert_int_equal(node, -ENOENT);
	assert_int_equal(n, 32); /* QEMU virt has 32 virtio-mmio transports */
	dtb_unload(&l);
}

static void fdt_looks_up_interrupt_parent_phandle(void **state)
{
	static const struct { const char *file; const char *path; const char *compat; } cases[] = {
		{ "qemu-arm64-virt.dtb", "/", "arm,cortex-a15-gic" },
		{ "qemu-arm64-virt-gicv3.dtb", "/", "arm,gic-v3" },
		{ "qemu-riscv64-virt.dtb", "/soc/serial@10000000", "riscv,plic0" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct loaded_dtb l;
		uint32_t ph;
		int node, intc;

		dtb_load(&l, cases[i].file);
		node = fdt_path(&l.fdt, cases[i].path);
		assert_true(node >= 0);
		assert_int_equal(fdt_prop_u32(&l.fdt, node, "interrupt-parent", &ph), 0);
		intc = fdt_node_by_phandle(&l.fdt, ph);
		assert_true(intc >= 0);
		assert_true(fdt_is_compatible(&l.fdt, intc, cases[i].compat));
		assert_int_equal(fdt_node_by_phandle(&l.fdt, 0), -ENOENT);
		assert_int_equal(fdt_node_by_phandle(&l.fdt, 0xffffffffu), -ENOENT);
		assert_int_equal(fdt_node_by_phandle(&l.fdt, 0x7fff0000u), -ENOENT);
		dtb_unload(&l);
	}
}

/* fdt_interrupt(): specifiers of real trees, decoded against the inherited interrupt parent. */
static void fdt_decodes_interrupts_of_qemu_trees(void **state)
{
	static const struct {
		const char *file, *compat, *intc;
		unsigned index, ncells;
		uint32_t cells[3];
	} cases[] = {
		/* PL011: GIC SPI 1, level high */
		{ "qemu-arm64-virt.dtb", "arm,pl011", "arm,cortex-a15-gic", 0, 3, { 0, 1, 4 } },
		{ "qemu-arm64-virt-gicv3.dtb", "arm,pl011", "arm,gic-v3", 0, 3, { 0, 1, 4 } },
		/* the virtual timer is the third entry: PPI 11 (flags carry a CPU mask on v2) */
		{ "qemu-arm64-virt.dtb", "arm,armv8-timer", "arm,cortex-a15-gic", 2, 3, { 1, 11 } },
		{ "qemu-arm64-virt-gicv3.dtb", "arm,armv8-timer", "arm,gic-v3", 2, 3, { 1, 11, 4 } },
		/* the 16550 on the PLIC: one cell, source 10; parent inherited from /soc */
		{ "qemu-riscv64-virt.dtb", "ns16550a", "riscv,plic0", 0, 1, { 10 } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct loaded_dtb l;
		uint32_t cells[FDT_MAX_INTERRUPT_CELLS] = { 0 };
		unsigned n = 0;
		int node, parent = -1;

		dtb_load(&l, cases[i].file);
		node = fdt_find_compatible(&l.fdt, -1, cases[i].compat);
		assert_true(node >= 0);
		assert_int_equal(fdt_interrupt(&l.fdt, node, cases[i].index, &parent, cells, &n), 0);
		assert_int_equal(parent, fdt_interrupt_parent(&l.fdt, node));
		assert_true(fdt_is_compatible(&l.fdt, parent, cases[i].intc));
		assert_int_equal(n, cases[i].ncells);
		for (unsigned c = 0; c < n && c < 2; c++)
			assert_int_equal(cells[c], cases[i].cells[c]);
		if (cases[i].cells[2] || n == 1)
			assert_int_equal(cells[n - 1], cases[i].cells[n - 1]);
		/* past the last specifier; a node without "interrupts" */
		assert_int_equal(fdt_interrupt(&l.fdt, node, 4, &parent, cells, &n), -ENOENT);
		assert_int_equal(fdt_interrupt(&l.fdt, fdt_root(&l.fdt), 0, &parent, cells, &n),
				 -ENOENT);
		dtb_unload(&l);
	}
}

static void fdt_walk_agrees_with_parent_in_qemu_trees(void **state)
{
	static const char *files[] = {
		"qemu-arm64-virt.dtb", "qemu-arm64-virt-gicv3.dtb", "qemu-riscv64-virt.dtb",
	};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct loaded_dtb l;

		dtb_load(&l, files[i]);
		assert_true(walk_all(&l.fdt, fdt_root(&l.fdt), 1) > 20);
		dtb_unload(&l);
	}
}

static void fdt_reads_chosen_of_qemu_trees(void **state)
{
	struct loaded_dtb l;
	int chosen;

	(void)state;
	dtb_load(&l, "qemu-riscv64-virt.dtb");
	chosen = fdt_path(&l.fdt, "/chosen");
	assert_true(chosen >= 0);
	assert_string_equal(fdt_prop_string(&l.fdt, chosen, "stdout-path"),
			    "/soc/serial@10000000");
	assert_null(fdt_prop(&l.fdt, chosen, "bootargs", NULL));
	assert_int_equal(fdt_rsvmap_entry(&l.fdt, 0, NULL, NULL), -ENOENT);
	dtb_unload(&l);
}

static void fdt_path_rejects_relative_and_missing(void **state)
{
	struct loaded_dtb l;

	(void)state;
	dtb_load(&l, "qemu-arm64-virt.dtb");
	assert_int_equal(fdt_path(&l.fdt, "/"), fdt_root(&l.fdt));
	assert_int_equal(fdt_path(&l.fdt, "chosen"), -EINVAL);
	assert_int_equal(fdt_path(&l.fdt, NULL), -EINVAL);
	assert_int_equal(fdt_path(&l.fdt, "/nonexistent"), -ENOENT);
	assert_int_equal(fdt_path(&l.fdt, "/chosen/nonexistent"), -ENOENT);
	assert_int_equal(fdt_path(&l.fdt, "/pl011@9000001"), -ENOENT);
	assert_int_equal(fdt_path(&l.fdt, "/pl011@"), -ENOENT);
	assert_true(fdt_path(&l.fdt, "/pl011") >= 0);
	dtb_unload(&l);
}

/* ---- dtc-built fixtures ---------------------------------------------------------------- */

static void fdt_stdout_path_through_alias_with_options(void **state)
{
	struct loaded_dtb l;
	int uart;

	(void)state;
	dtb_load(&l, "aliases.dtb");
	uart = fdt_stdout_node(&l.fdt);
	assert_true(uart >= 0);
	assert_int_equal(uart, fdt_path(&l.fdt, "/soc/uart@1000"));
	assert_string_equal(fdt_node_name(&l.fdt, uart), "uart@1000");
	dtb_unload(&l);
}

static void fdt_alias_with_subpath_resolves(void **state)
{
	struct loaded_dtb l;
	int chosen;

	(void)state;
	dtb_load(&l, "aliases.dtb");
	chosen = fdt_path(&l.fdt, "/chosen");
	assert_true(chosen >= 0);
	/* exercised through stdout-path, the only public alias entry point: rewrite it */
	{
		uint32_t len;
		const char *prop = fdt_prop(&l.fdt, chosen, "stdout-path", &len);
		char *sp;

		assert_non_null(prop);
		sp = (char *)l.blob + (prop - (const char *)l.blob); /* the writable copy */
		assert_true(len >= sizeof("soc/uart@2000"));
		memset(sp, 0, len);
		memcpy(sp, "soc/uart@2000", sizeof("soc/uart@2000"));
		assert_int_equal(fdt_stdout_node(&l.fdt), fdt_path(&l.fdt, "/soc/uart@2000"));
		memset(sp, 0, len);
		memcpy(sp, "broken", sizeof("broken")); /* alias to an alias: not followed */
		assert_int_equal(fdt_stdout_node(&l.fdt), -ENOENT);
		memset(sp, 0, len);
		memcpy(sp, "nosuch:9600", sizeof("nosuch:9600"));
		assert_int_equal(fdt_stdout_node(&l.fdt), -ENOENT);
		memset(sp, 0, len);
		memcpy(sp, "serial1", sizeof("serial1"));
		assert_int_equal(fdt_stdout_node(&l.fdt), fdt_path(&l.fdt, "/soc/uart@2000"));
		memset(sp, 0, len); /* empty: no console */
		assert_true(fdt_stdout_node(&l.fdt) < 0);
	}
	dtb_unload(&l);
}

static void fdt_compatible_list_second_entry_matches(void **state)
{
	struct loaded_dtb l;
	int first, second;

	(void)state;
	dtb_load(&l, "aliases.dtb");
	first = fdt_find_compatible(&l.fdt, -1, "ns16550a");
	second = fdt_find_compatible(&l.fdt, first, "ns16550a");
	assert_int_equal(first, fdt_path(&l.fdt, "/soc/uart@1000"));
	assert_int_equal(second, fdt_path(&l.fdt, "/soc/uart@2000"));
	assert_int_equal(fdt_find_compatible(&l.fdt, second, "ns16550a"), -ENOENT);
	assert_int_equal(fdt_find_compatible(&l.fdt, -1, "vendor,uart"), second);
	assert_int_equal(fdt_find_compatible(&l.fdt, -1, "simple-bus"), fdt_path(&l.fdt, "/soc"));
	dtb_unload(&l);
}

static void fdt_reads_memreserve_entries(void **state)
{
	struct loaded_dtb l;
	uint64_t a, s;

	(void)state;
	dtb_load(&l, "memreserve.dtb");
	assert_int_equal(fdt_rsvmap_entry(&l.fdt, 0, &a, &s), 0);
	assert_int_equal(a, 0x80000000);
	assert_int_equal(s, 0x10000);
	assert_int_equal(fdt_rsvmap_entry(&l.fdt, 1, &a, &s), 0);
	assert_int_equal(a, 0x84000000);
	assert_int_equal(s, 0x200000);
	assert_int_equal(fdt_rsvmap_entry(&l.fdt, 2, &a, &s), -ENOENT);
	assert_int_equal(fdt_rsvmap_entry(&l.fdt, 1000000, &a, &s), -ENOENT);
	dtb_unload(&l);
}

static void fdt_memreserve_uses_linux_stdout_path(void **state)
{
	struct loaded_dtb l;

	(void)state;
	dtb_load(&l, "memreserve.dtb");
	assert_int_equal(fdt_stdout_node(&l.fdt), fdt_path(&l.fdt, "/uart@9000000"));
	dtb_unload(&l);
}

static void fdt_decodes_one_cell_reg_entries(void **state)
{
	static const uint64_t want[][2] = {
		{ 0x40000000, 0x1000000 }, { 0x50000000, 0x2000000 }, { 0x60000000, 0x4000000 },
	};
	struct loaded_dtb l;
	uint64_t a, s;
	int mem;

	(void)state;
	dtb_load(&l, "cells1.dtb");
	mem = fdt_path(&l.fdt, "/memory");
	assert_true(mem >= 0);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(fdt_reg(&l.fdt, mem, i, &a, &s), 0);
		assert_int_equal(a, want[i][0]);
		assert_int_equal(s, want[i][1]);
	}
	assert_int_equal(fdt_reg(&l.fdt, mem, 3, &a, &s), -ENOENT);
	assert_int_equal(fdt_reg(&l.fdt, mem, 0xffffffffu, &a, &s), -ENOENT);
	dtb_unload(&l);
}

static void fdt_decodes_zero_size_cells(void **state)
{
	struct loaded_dtb l;
	uint64_t a = 99, s = 99;
	int cpu1;

	(void)state;
	dtb_load(&l, "cells1.dtb");
	cpu1 = fdt_path(&l.fdt, "/cpus/cpu@1");
	assert_true(cpu1 >= 0);
	assert_int_equal(fdt_reg(&l.fdt, cpu1, 0, &a, &s), 0);
	assert_int_equal(a, 1);
	assert_int_equal(s, 0);
	/* "/cpus/cpu" is ambiguous: the first match in document order wins */
	assert_int_equal(fdt_path(&l.fdt, "/cpus/cpu"), fdt_path(&l.fdt, "/cpus/cpu@0"));
	dtb_unload(&l);
}

static void fdt_reg_rejects_length_not_multiple_of_entry(void **state)
{
	struct loaded_dtb l;
	int bad;

	(void)state;
	dtb_load(&l, "cells1.dtb");
	bad = fdt_path(&l.fdt, "/bad-reg");
	assert_true(bad >= 0);
	assert_int_equal(fdt_reg(&l.fdt, bad, 0, NULL, NULL), -EINVAL);
	assert_int_equal(fdt_reg(&l.fdt, fdt_path(&l.fdt, "/chosen"), 0, NULL, NULL), -ENOENT);
	dtb_unload(&l);
}

static void fdt_resolves_label_phandle(void **state)
{
	struct loaded_dtb l;
	uint32_t ph;
	int root;

	(void)state;
	dtb_load(&l, "cells1.dtb");
	root = fdt_root(&l.fdt);
	assert_int_equal(fdt_prop_u32(&l.fdt, root, "interrupt-parent", &ph), 0);
	assert_int_equal(fdt_node_by_phandle(&l.fdt, ph),
			 fdt_path(&l.fdt, "/interrupt-controller@8000000"));
	dtb_unload(&l);
}

/* ---- property accessors on hand-built blobs -------------------------------------------- */

static void fdt_prop_accessors_check_lengths_and_termination(void **state)
{
	static const char unterminated[4] = { 'a', 'b', 'c', 'd' };
	static const char list[] = "one\0two\0thr"; /* last entry unterminated within length */
	struct fdt_builder b;
	struct fdt fdt;
	uint8_t *blob;
	size_t len;
	uint32_t v;
	int root;

	(void)state;
	fb_init(&b);
	fb_begin(&b, "");
	fb_prop(&b, "raw", unterminated, 4);
	fb_prop(&b, "empty", "", 0);
	fb_prop(&b, "long", "\0\0\0\1\0\0\0\2", 8);
	fb_prop(&b, "compatible", list, 11);
	fb_prop_str(&b, "s", "hello");
	fb_end(&b);
	fb_finish(&b);
	blob = fb_blob(&b, &len);
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	root = fdt_root(&fdt);
	assert_null(fdt_prop_string(&fdt, root, "raw"));
	assert_null(fdt_prop_string(&fdt, root, "empty"));
	assert_non_null(fdt_prop(&fdt, root, "empty", &v));
	assert_int_equal(v, 0);
	assert_string_equal(fdt_prop_string(&fdt, root, "s"), "hello");
	assert_int_equal(fdt_prop_u32(&fdt, root, "raw", &v), 0);
	assert_int_equal(v, 0x61626364);
	assert_int_equal(fdt_prop_u32(&fdt, root, "long", &v), -EINVAL);
	assert_int_equal(fdt_prop_u32(&fdt, root, "missing", &v), -ENOENT);
	assert_true(fdt_is_compatible(&fdt, root, "one"));
	assert_true(fdt_is_compatible(&fdt, root, "two"));
	assert_false(fdt_is_compatible(&fdt, root, "thr"));
	assert_false(fdt_is_compatible(&fdt, root, "on"));
	assert_false(fdt_is_compatible(&fdt, root, NULL));
	assert_int_equal(fdt_read_cells("\0\0\0\1\0\0\0\2", 2), 0x100000002ull);
	assert_int_equal(fdt_read_cells("\xff\0\0\1", 1), 0xff000001u);
	assert_int_equal(fdt_read_cells("\0\0\0\1", 3), 0);
	free(blob);
}

/*
 * Any int may be passed as a node. Offsets that do not hold FDT_BEGIN_NODE are refused; a
 * value word that happens to read 0x00000001 looks like a node and is decoded as one (as
 * in libfdt), but every read still stays inside the structure block.
 */
static void fdt_survives_arbitrary_node_offsets(void **state)
{
	struct loaded_dtb l;
	int end;

	(void)state;
	dtb_load(&l, "cells1.dtb");
	end = (int)hdr_get(l.blob, H_SIZE_STRUCT) + 8;
	for (int off = -8; off < end; off++) {
		const uint8_t *w = l.blob + hdr_get(l.blob, H_OFF_STRUCT) + off;
		bool maybe_node = off >= 0 && !(off & 3) && off < end - 8 && hdr_get(w, 0) == 1;
		uint64_t a, s;

		(void)fdt_next_sibling(&l.fdt, off);
		(void)fdt_parent(&l.fdt, off);
		(void)fdt_reg(&l.fdt, off, 0, &a, &s);
		(void)fdt_find_compatible(&l.fdt, off, "ns16550a");
		(void)fdt_find_device_type(&l.fdt, off, "memory");
		(void)fdt_prop_string(&l.fdt, off, "compatible");
		if (maybe_node)
			continue;
		assert_null(fdt_node_name(&l.fdt, off));
		assert_null(fdt_prop(&l.fdt, off, "reg", NULL));
		assert_int_equal(fdt_first_child(&l.fdt, off), -EINVAL);
		assert_int_equal(fdt_next_sibling(&l.fdt, off), -EINVAL);
		assert_true(fdt_parent(&l.fdt, off) < 0);
		assert_int_equal(fdt_reg(&l.fdt, off, 0, NULL, NULL), off < 0 ? -EINVAL : -EINVAL);
		if (off != -1)
			assert_int_equal(fdt_find_compatible(&l.fdt, off, "ns16550a"), -EINVAL);
	}
	assert_null(fdt_node_name(&l.fdt, 0x7ffffffc));
	assert_int_equal(fdt_first_child(&l.fdt, 0x7ffffffc), -EINVAL);
	dtb_unload(&l);
}

static void fdt_failed_init_leaves_handle_unusable(void **state)
{
	struct fdt fdt;
	uint8_t junk[64] = { 0 };

	(void)state;
	assert_int_equal(fdt_init(&fdt, junk, sizeof(junk)), -EINVAL);
	assert_int_equal(fdt_root(&fdt), -EINVAL);
	assert_null(fdt_node_name(&fdt, 0));
	assert_int_equal(fdt_path(&fdt, "/"), -EINVAL);
	assert_int_equal(fdt_stdout_node(&fdt), -EINVAL);
	assert_int_equal(fdt_rsvmap_entry(&fdt, 0, NULL, NULL), -EINVAL);
	assert_int_equal(fdt_find_compatible(&fdt, -1, "x"), -EINVAL);
	assert_int_equal(fdt_init(NULL, junk, sizeof(junk)), -EINVAL);
	assert_int_equal(fdt_init(&fdt, NULL, 1024), -EINVAL);
	assert_int_equal(fdt_total_size(NULL, 1024), 0);
	assert_int_equal(fdt_total_size(junk, sizeof(junk)), 0);
}

/* ---- malformed blobs ------------------------------------------------------------------- */

/* Every prefix of a real tree: with max_size cut short, and with totalsize patched to match. */
static void check_truncations(const char *file)
{
	size_t len;
	uint8_t *full = load_dtb(file, &len);
	uint32_t need = blob_used_end(full);

	for (size_t n = 0; n <= need; n++) {
		uint8_t *p = dup_exact(full, n);
		struct fdt fdt;
		int rc = fdt_init(&fdt, p, n);

		/* the header still claims the full totalsize: never enough */
		assert_int_equal(rc, n >= hdr_get(full, H_TOTALSIZE) ? 0 : -EINVAL);
		if (n >= 40) {
			hdr_set(p, H_TOTALSIZE, (uint32_t)n);
			rc = fdt_init(&fdt, p, n);
			assert_int_equal(rc, n >= need ? 0 : -EINVAL);
			if (rc == 0)
				assert_true(walk_all(&fdt, fdt_root(&fdt), 1) > 1);
		}
		free(p);
	}
	free(full);
}

static void fdt_rejects_truncated_blob(void **state)
{
	(void)state;
	check_truncations("qemu-riscv64-virt.dtb");
	check_truncations("qemu-arm64-virt.dtb");
	check_truncations("memreserve.dtb");
}

/*
 * The structure block cut at every length, header kept consistent. The tree is first laid
 * out with the strings block before the structure block, so that every cut lands inside a
 * token, a node name or a property value while all names stay resolvable.
 */
static void check_struct_cuts(const char *file)
{
	size_t len;
	uint8_t *full = load_dtb(file, &len);
	uint32_t off_struct, total;
	uint8_t *re = relayout_strings_first(full, &off_struct, &total);

	for (uint32_t n = off_struct; n <= total; n++) {
		uint8_t *p = dup_exact(re, n);
		struct fdt fdt;
		int rc;

		hdr_set(p, H_TOTALSIZE, n);
		hdr_set(p, H_SIZE_STRUCT, n - off_struct);
		rc = fdt_init(&fdt, p, n);
		assert_int_equal(rc, n == total ? 0 : -EINVAL);
		if (rc == 0)
			assert_true(walk_all(&fdt, fdt_root(&fdt), 1) > 1);
		free(p);
	}
	free(re);
	free(full);
}

static void fdt_rejects_structure_block_cut_anywhere(void **state)
{
	(void)state;
	check_struct_cuts("qemu-riscv64-virt.dtb");
	check_struct_cuts("qemu-arm64-virt.dtb");
	check_struct_cuts("aliases.dtb");
}

/* Patch header field @field of a copy of the riscv tree to @v; returns fdt_init's verdict. */
static int init_with_header(unsigned field, uint32_t v)
{
	size_t len;
	uint8_t *p = load_dtb("qemu-riscv64-virt.dtb", &len);
	uint32_t max = hdr_get(p, H_TOTALSIZE); /* the file has padding beyond it */
	struct fdt fdt;
	int rc;

	hdr_set(p, field, v);
	rc = fdt_init(&fdt, p, max);
	free(p);
	return rc;
}

static void fdt_rejects_bad_magic(void **state)
{
	(void)state;
	assert_int_equal(init_with_header(H_MAGIC, 0xedfe0dd0), -EINVAL);
	assert_int_equal(init_with_header(H_MAGIC, 0), -EINVAL);
}

static void fdt_rejects_bad_version(void **state)
{
	(void)state;
	assert_int_equal(init_with_header(H_VERSION, 16), -EINVAL);
	assert_int_equal(init_with_header(H_VERSION, 0), -EINVAL);
	assert_int_equal(init_with_header(H_LAST_COMP, 18), -EINVAL);
	assert_int_equal(init_with_header(H_VERSION, 18), 0); /* newer, but compatible */
}

static void fdt_rejects_block_offsets_out_of_range(void **state)
{
	(void)state;
	assert_int_equal(init_with_header(H_TOTALSIZE, 39), -EINVAL);
	assert_int_equal(init_with_header(H_TOTALSIZE, 0), -EINVAL);
	assert_int_equal(init_with_header(H_TOTALSIZE, 0x107e + 1), -EINVAL); /* > max_size */
	assert_int_equal(init_with_header(H_TOTALSIZE, 0xffffffff), -EINVAL);
	assert_int_equal(init_with_header(H_OFF_STRUCT, 0x2000), -EINVAL);
	assert_int_equal(init_with_header(H_OFF_STRUCT, 0xfffffff0), -EINVAL); /* off+size wraps */
	assert_int_equal(init_with_header(H_OFF_STRUCT, 0), -EINVAL);           /* inside header */
	assert_int_equal(init_with_header(H_OFF_STRUCT, 0x3a), -EINVAL);        /* misaligned */
	assert_int_equal(init_with_header(H_SIZE_STRUCT, 0xffffffff), -EINVAL);
	assert_int_equal(init_with_header(H_SIZE_STRUCT, 0), -EINVAL);
	assert_int_equal(init_with_header(H_OFF_STRINGS, 0xfffffff0), -EINVAL);
	assert_int_equal(init_with_header(H_OFF_STRINGS, 0x2000), -EINVAL);
	assert_int_equal(init_with_header(H_SIZE_STRINGS, 0xfffffffc), -EINVAL);
	assert_int_equal(init_with_header(H_OFF_RSVMAP, 0xfffffff8), -EINVAL);
	assert_int_equal(init_with_header(H_OFF_RSVMAP, 0x1078), -EINVAL);
	assert_int_equal(init_with_header(H_OFF_RSVMAP, 0x2c), -EINVAL);        /* misaligned */
	assert_int_equal(init_with_header(H_OFF_RSVMAP, 0), -EINVAL);
}

static void fdt_rejects_blob_larger_than_max_size(void **state)
{
	size_t len;
	uint8_t *p = load_dtb("qemu-riscv64-virt.dtb", &len);
	struct fdt fdt;

	(void)state;
	assert_int_equal(fdt_init(&fdt, p, hdr_get(p, H_TOTALSIZE) - 1), -EINVAL);
	assert_int_equal(fdt_init(&fdt, p, 39), -EINVAL);
	assert_int_equal(fdt_init(&fdt, p, 0), -EINVAL);
	assert_int_equal(fdt_init(&fdt, p, hdr_get(p, H_TOTALSIZE)), 0);
	assert_int_equal(fdt_total_size(p, 39), 0);
	assert_int_equal(fdt_total_size(p, 40), 0x107e);
	free(p);
}

static void fdt_accepts_minimal_built_blob(void **state)
{
	struct fdt_builder b;

	(void)state;
	build_minimal(&b);
	assert_int_equal(init_builder_blob(&b), 0);
}

static void fdt_rejects_unterminated_node_name(void **state)
{
	struct fdt_builder b;

	(void)state;
	fb_init(&b);
	fb_u32(&b, TOK_BEGIN_NODE);
	fb_bytes(&b, "abcd", 4); /* no NUL anywhere in the block */
	assert_int_equal(init_builder_blob(&b), -EINVAL);

	/* a name whose NUL is the last byte, but the padding would run past the block */
	fb_init(&b);
	fb_begin(&b, "");
	fb_end(&b);
	fb_finish(&b);
	fb_u32(&b, TOK_BEGIN_NODE);
	b.st[b.st_len++] = 'x';
	b.st[b.st_len++] = 0;
	assert_int_equal(init_builder_blob(&b), 0); /* junk after FDT_END is not read */

	fb_init(&b);
	fb_u32(&b, TOK_BEGIN_NODE);
	b.st[b.st_len++] = 'x';
	b.st[b.st_len++] = 0;
	assert_int_equal(init_builder_blob(&b), -EINVAL);
}

static void fdt_rejects_property_name_outside_strings(void **state)
{
	struct fdt_builder b;

	(void)state;
	fb_init(&b);
	fb_begin(&b, "");
	fb_u32(&b, TOK_PROP);
	fb_u32(&b, 0);
	fb_u32(&b, 0x1000); /* nameoff past the strings block */
	fb_end(&b);
	fb_finish(&b);
	fb_string(&b, "a");
	assert_int_equal(init_builder_blob(&b), -EINVAL);

	fb_init(&b);
	fb_begin(&b, "");
	fb_u32(&b, TOK_PROP);
	fb_u32(&b, 0);
	fb_u32(&b, 0xffffffff);
	fb_end(&b);
	fb_finish(&b);
	fb_string(&b, "a");
	assert_int_equal(init_builder_blob(&b), -EINVAL);
}

static void fdt_rejects_unterminated_property_name(void **state)
{
	struct fdt_builder b;

	(void)state;
	fb_init(&b);
	fb_begin(&b, "");
	fb_prop(&b, "ok", "", 0);
	fb_u32(&b, TOK_PROP);
	fb_u32(&b, 0);
	fb_u32(&b, 3); /* "ok\0" then "name" with its NUL cut off below */
	fb_end(&b);
	fb_finish(&b);
	memcpy(b.strings + b.strings_len, "name", 4);
	b.strings_len += 4;
	assert_int_equal(init_builder_blob(&b), -EINVAL);
}

static void fdt_rejects_property_running_past_block(void **state)
{
	static const uint32_t lens[] = { 5, 8, 0x1000, 0x7fffffff, 0xfffffffc, 0xffffffff };

	(void)state;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct fdt_builder b;

		fb_init(&b);
		fb_begin(&b, "");
		fb_u32(&b, TOK_PROP);
		fb_u32(&b, lens[i]);
		fb_u32(&b, fb_string(&b, "p"));
		fb_u32(&b, 0);
		fb_end(&b);
		fb_finish(&b);
		/* 5 and 8 fit the block but swallow END_NODE/END: structure then fails */
		assert_int_equal(init_builder_blob(&b), -EINVAL);
	}
}

static void fdt_rejects_property_header_cut_short(void **state)
{
	struct fdt_builder b;

	(void)state;
	fb_init(&b);
	fb_begin(&b, "");
	fb_u32(&b, TOK_PROP);
	fb_u32(&b, 0); /* nameoff missing: block ends */
	assert_int_equal(init_builder_blob(&b), -EINVAL);
}

static void fdt_rejects_missing_end_token(void **state)
{
	struct fdt_builder b;

	(void)state;
	fb_init(&b);
	fb_begin(&b, "");
	fb_end(&b);
	assert_int_equal(init_builder_blob(&b), -EINVAL);

	fb_init(&b);
	fb_begin(&b, "");
	fb_end(&b);
	fb_u32(&b, TOK_NOP);
	fb_u32(&b, TOK_NOP);
	assert_int_equal(init_builder_blob(&b), -EINVAL);

	fb_init(&b); /* an empty structure block */
	assert_int_equal(init_builder_blob(&b), -EINVAL);

	fb_init(&b); /* only FDT_END: no root */
	fb_finish(&b);
	assert_int_equal(init_builder_blob(&b), -EINVAL);
}

static void build_nested(struct fdt_builder *b, int depth)
{
	fb_init(b);
	fb_begin(b, "");
	for (int i = 1; i < depth; i++)
		fb_begin(b, "n");
	for (int i = 0; i < depth; i++)
		fb_end(b);
	fb_finish(b);
}

static void fdt_rejects_nesting_deeper_than_max_depth(void **state)
{
	struct fdt_builder b;
	struct fdt fdt;
	uint8_t *blob;
	size_t len;
	int node;

	(void)state;
	build_nested(&b, FDT_MAX_DEPTH + 1);
	assert_int_equal(init_builder_blob(&b), -EINVAL);
	build_nested(&b, 500);
	assert_int_equal(init_builder_blob(&b), -EINVAL);

	/* exactly FDT_MAX_DEPTH levels is fine, and the deepest node knows its parent */
	build_nested(&b, FDT_MAX_DEPTH);
	blob = fb_blob(&b, &len);
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	node = fdt_root(&fdt);
	for (int i = 1; i < FDT_MAX_DEPTH; i++) {
		int child = fdt_first_child(&fdt, node);

		assert_true(child > node);
		assert_int_equal(fdt_parent(&fdt, child), node);
		node = child;
	}
	assert_int_equal(fdt_first_child(&fdt, node), -ENOENT);
	assert_int_equal(walk_all(&fdt, fdt_root(&fdt), 1), FDT_MAX_DEPTH);
	free(blob);
}

static void fdt_rejects_unbalanced_end_node(void **state)
{
	struct fdt_builder b;

	(void)state;
	fb_init(&b); /* one END_NODE too many */
	fb_begin(&b, "");
	fb_end(&b);
	fb_end(&b);
	fb_finish(&b);
	assert_int_equal(init_builder_blob(&b), -EINVAL);

	fb_init(&b); /* one too few */
	fb_begin(&b, "");
	fb_begin(&b, "a");
	fb_end(&b);
	fb_finish(&b);
	assert_int_equal(init_builder_blob(&b), -EINVAL);

	fb_init(&b); /* END_NODE before any node */
	fb_end(&b);
	fb_begin(&b, "");
	fb_end(&b);
	fb_finish(&b);
	assert_int_equal(init_builder_blob(&b), -EINVAL);
}

static void fdt_rejects_unknown_token(void **state)
{
	static const uint32_t toks[] = { 0, 5, 6, 7, 8, 10, 0x01000000, 0xffffffff };

	(void)state;
	for (size_t i = 0; i < sizeof(toks) / sizeof(toks[0]); i++) {
		struct fdt_builder b;

		fb_init(&b);
		fb_begin(&b, "");
		fb_u32(&b, toks[i]);
		fb_end(&b);
		fb_finish(&b);
		assert_int_equal(init_builder_blob(&b), -EINVAL);
	}
}

static void fdt_rejects_second_root_and_stray_properties(void **state)
{
	struct fdt_builder b;

	(void)state;
	fb_init(&b); /* two roots */
	fb_begin(&b, "");
	fb_end(&b);
	fb_begin(&b, "");
	fb_end(&b);
	fb_finish(&b);
	assert_int_equal(init_builder_blob(&b), -EINVAL);

	fb_init(&b); /* property outside any node */
	fb_prop_u32(&b, "x", 1);
	fb_begin(&b, "");
	fb_end(&b);
	fb_finish(&b);
	assert_int_equal(init_builder_blob(&b), -EINVAL);

	fb_init(&b); /* property after a child node (spec 5.4.2: properties come first) */
	fb_begin(&b, "");
	fb_begin(&b, "child");
	fb_end(&b);
	fb_prop_u32(&b, "late", 1);
	fb_end(&b);
	fb_finish(&b);
	assert_int_equal(init_builder_blob(&b), -EINVAL);
}

static void fdt_accepts_nops_anywhere(void **state)
{
	struct fdt_builder b;
	struct fdt fdt;
	uint8_t *blob;
	size_t len;
	int root, a;

	(void)state;
	fb_init(&b);
	fb_u32(&b, TOK_NOP);
	fb_begin(&b, "");
	fb_u32(&b, TOK_NOP);
	fb_prop_u32(&b, "#address-cells", 1);
	fb_u32(&b, TOK_NOP);
	fb_prop_u32(&b, "#size-cells", 1);
	fb_begin(&b, "a@10");
	fb_prop(&b, "reg", "\0\0\0\x10\0\0\0\x20", 8);
	fb_end(&b);
	fb_u32(&b, TOK_NOP);
	fb_begin(&b, "b");
	fb_end(&b);
	fb_end(&b);
	fb_u32(&b, TOK_NOP);
	fb_finish(&b);
	blob = fb_blob(&b, &len);
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	root = fdt_root(&fdt);
	assert_int_equal(root, 4);
	assert_int_equal(fdt_address_cells(&fdt, root), 1);
	a = fdt_path(&fdt, "/a");
	assert_true(a > root);
	assert_int_equal(fdt_next_sibling(&fdt, a), fdt_path(&fdt, "/b"));
	assert_int_equal(fdt_next_sibling(&fdt, fdt_path(&fdt, "/b")), -ENOENT);
	{
		uint64_t addr, size;

		assert_int_equal(fdt_reg(&fdt, a, 0, &addr, &size), 0);
		assert_int_equal(addr, 0x10);
		assert_int_equal(size, 0x20);
	}
	free(blob);
}

static void fdt_reg_rejects_unsupported_cell_counts(void **state)
{
	static const uint32_t bad[][2] = { { 0, 1 }, { 3, 1 }, { 2, 3 }, { 0xffffffff, 1 } };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fdt_builder b;
		struct fdt fdt;
		uint8_t *blob;
		size_t len;
		uint8_t reg[64] = { 0 };

		fb_init(&b);
		fb_begin(&b, "");
		fb_prop_u32(&b, "#address-cells", bad[i][0]);
		fb_prop_u32(&b, "#size-cells", bad[i][1]);
		fb_begin(&b, "dev");
		fb_prop(&b, "reg", reg, sizeof(reg));
		fb_end(&b);
		fb_end(&b);
		fb_finish(&b);
		blob = fb_blob(&b, &len);
		assert_int_equal(fdt_init(&fdt, blob, len), 0);
		assert_int_equal(fdt_reg(&fdt, fdt_path(&fdt, "/dev"), 0, NULL, NULL), -EINVAL);
		free(blob);
	}
}

static void fdt_rejects_rsvmap_without_terminator(void **state)
{
	struct fdt_builder b;
	uint8_t *blob;
	size_t len;
	struct fdt fdt;

	(void)state;
	/* No zero entry: the map runs into the structure block and then out of the blob. */
	build_minimal(&b);
	b.no_rsv_terminator = 1;
	fb_rsv(&b, 0x1000, 0x1000);
	blob = fb_blob(&b, &len);
	/* point the map at the last 8 bytes so no full entry fits */
	hdr_set(blob, H_OFF_RSVMAP, (uint32_t)(len - 8) & ~7u);
	assert_int_equal(fdt_init(&fdt, blob, len), -EINVAL);
	free(blob);
}

/* ---- address translation through "ranges" ----------------------------------------- */

/* Translate entry @index of @path's "reg"; returns fdt_translate_address()'s result. */
static int translate_reg(const struct fdt *fdt, const char *path, unsigned index,
			 uint64_t *addr)
{
	int node = fdt_path(fdt, path);

	assert_true(node >= 0);
	assert_int_equal(fdt_reg(fdt, node, index, addr, NULL), 0);
	return fdt_translate_address(fdt, node, addr);
}

static void fdt_translate_maps_bus_addresses_through_ranges(void **state)
{
	struct loaded_dtb l;
	uint64_t a;

	(void)state;
	dtb_load(&l, "ranges.dtb");
	assert_int_equal(translate_reg(&l.fdt, "/soc/serial@7e201000", 0, &a), 0);
	assert_int_equal(a, 0xfe201000);
	/* the second range of /soc, and the second reg entry */
	assert_int_equal(translate_reg(&l.fdt, "/soc/intc@40041000", 0, &a), 0);
	assert_int_equal(a, 0xff841000);
	assert_int_equal(translate_reg(&l.fdt, "/soc/intc@40041000", 1, &a), 0);
	assert_int_equal(a, 0xff842000);
	/* two-cell child addresses */
	assert_int_equal(translate_reg(&l.fdt, "/bus2/mmc@7e340000", 0, &a), 0);
	assert_int_equal(a, 0xfe340000);
	dtb_unload(&l);
}

static void fdt_translate_walks_every_ancestor_bus(void **state)
{
	struct loaded_dtb l;
	uint64_t a;

	(void)state;
	dtb_load(&l, "ranges.dtb");
	/* empty "ranges" inside a translating bus: identity, then /soc's mapping */
	assert_int_equal(translate_reg(&l.fdt, "/soc/sub/dev@7e300000", 0, &a), 0);
	assert_int_equal(a, 0xfe300000);
	/* two translating buses: aux 0x40 -> soc 0x7e215040 -> CPU 0xfe215040 */
	assert_int_equal(translate_reg(&l.fdt, "/soc/aux/serial@40", 0, &a), 0);
	assert_int_equal(a, 0xfe215040);
	assert_int_equal(translate_reg(&l.fdt, "/soc/aux/last@ff", 0, &a), 0);
	assert_int_equal(a, 0xfe2150ff);
	dtb_unload(&l);
}

static void fdt_translate_identity_for_root_children(void **state)
{
	struct loaded_dtb l;
	uint64_t a = 0x09000000;
	int uart;

	(void)state;
	dtb_load(&l, "qemu-arm64-virt.dtb");
	uart = fdt_stdout_node(&l.fdt);
	assert_true(uart >= 0);
	assert_int_equal(fdt_translate_address(&l.fdt, uart, &a), 0);
	assert_int_equal(a, 0x09000000);
	a = 1234;
	assert_int_equal(fdt_translate_address(&l.fdt, fdt_root(&l.fdt), &a), 0);
	assert_int_equal(a, 1234);
	dtb_unload(&l);

	/* riscv64 virt: /soc has an empty "ranges" */
	dtb_load(&l, "qemu-riscv64-virt.dtb");
	uart = fdt_stdout_node(&l.fdt);
	assert_true(uart >= 0);
	assert_int_equal(fdt_reg(&l.fdt, uart, 0, &a, NULL), 0);
	assert_int_equal(fdt_translate_address(&l.fdt, uart, &a), 0);
	assert_int_equal(a, 0x10000000);
	dtb_unload(&l);
}

static void fdt_translate_fails_without_a_mapping(void **state)
{
	struct loaded_dtb l;
	uint64_t a;

	(void)state;
	dtb_load(&l, "ranges.dtb");
	/* bus without "ranges" */
	assert_int_equal(translate_reg(&l.fdt, "/soc/private/dev@0", 0, &a), -ENOENT);
	assert_int_equal(a, 0); /* untouched on failure */
	/* address outside every range, and one past the end of a range */
	assert_int_equal(translate_reg(&l.fdt, "/soc/outside@10000000", 0, &a), -ENOENT);
	assert_int_equal(a, 0x10000000);
	assert_int_equal(translate_reg(&l.fdt, "/soc/aux/past@100", 0, &a), -ENOENT);
	assert_int_equal(fdt_translate_address(&l.fdt, fdt_path(&l.fdt, "/soc"), NULL), -EINVAL);
	dtb_unload(&l);
}

static void fdt_translate_rejects_malformed_ranges(void **state)
{
	static const char *const bad[] = {
		"/malformed/short-ranges/dev@0",  /* length not a whole number of entries */
		"/malformed/wrap-parent/dev@0",   /* parent range past 2^64 */
		"/malformed/wrap-child/dev@0",    /* child range past 2^64 */
		"/malformed/bad-second/dev@0",    /* a bad entry after the matching one */
	};
	struct loaded_dtb l;
	uint64_t a;
	int node;

	(void)state;
	dtb_load(&l, "ranges.dtb");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		node = fdt_path(&l.fdt, bad[i]);
		assert_true(node >= 0);
		a = 0;
		assert_int_equal(fdt_translate_address(&l.fdt, node, &a), -EINVAL);
		assert_int_equal(a, 0);
	}
	/* three address cells (PCI) do not fit a u64 */
	node = fdt_path(&l.fdt, "/malformed/three-cells/dev@0");
	assert_true(node >= 0);
	a = 0;
	assert_int_equal(fdt_translate_address(&l.fdt, node, &a), -EINVAL);
	/* bad node offsets and an unusable handle are errors, not reads */
	assert_true(fdt_translate_address(&l.fdt, 3, &a) < 0);
	assert_true(fdt_translate_address(&l.fdt, -1, &a) < 0);
	assert_true(fdt_translate_address(&l.fdt, 0x7ffffff0, &a) < 0);
	dtb_unload(&l);
}

/* A hand-built tree where "ranges" is cut short: the last entry lacks its size cell. */
static void fdt_translate_rejects_truncated_ranges_entry(void **state)
{
	struct fdt_builder b;
	uint8_t ranges[12], *blob;
	struct fdt fdt;
	uint64_t a = 0x10;
	size_t len;
	int node;

	(void)state;
	put_be32(ranges, 0);
	put_be32(ranges + 4, 0);
	put_be32(ranges + 8, 0x1000); /* child, parent hi, parent lo: no size */
	fb_init(&b);
	fb_begin(&b, "");
	fb_begin(&b, "bus");
	fb_prop_u32(&b, "#address-cells", 1);
	fb_prop_u32(&b, "#size-cells", 1);
	fb_prop(&b, "ranges", ranges, sizeof(ranges));
	fb_begin(&b, "dev@10");
	fb_end(&b);
	fb_end(&b);
	fb_end(&b);
	fb_finish(&b);
	blob = fb_blob(&b, &len);
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	node = fdt_path(&fdt, "/bus/dev@10");
	assert_true(node >= 0);
	assert_int_equal(fdt_translate_address(&fdt, node, &a), -EINVAL);
	assert_int_equal(a, 0x10);
	free(blob);
}

static void fdt_string_index_walks_compatible_list(void **state)
{
	struct loaded_dtb l;
	int node;

	(void)state;
	dtb_load(&l, "ranges.dtb");
	node = fdt_path(&l.fdt, "/soc/serial@7e201000");
	assert_string_equal(fdt_prop_string_index(&l.fdt, node, "compatible", 0), "arm,pl011");
	assert_string_equal(fdt_prop_string_index(&l.fdt, node, "compatible", 1),
			    "arm,primecell");
	assert_null(fdt_prop_string_index(&l.fdt, node, "compatible", 2));
	assert_null(fdt_prop_string_index(&l.fdt, node, "no-such-prop", 0));
	assert_null(fdt_prop_string_index(&l.fdt, -1, "compatible", 0));
	dtb_unload(&l);
}

static void fdt_string_index_stops_at_unterminated_tail(void **state)
{
	static const char list[] = { 'a', 0, 'b', 'c' }; /* "a", then "bc" without its NUL */
	struct fdt_builder b;
	struct fdt fdt;
	uint8_t *blob;
	size_t len;

	(void)state;
	fb_init(&b);
	fb_begin(&b, "");
	fb_prop(&b, "compatible", list, sizeof(list));
	fb_end(&b);
	fb_finish(&b);
	blob = fb_blob(&b, &len);
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	assert_string_equal(fdt_prop_string_index(&fdt, fdt_root(&fdt), "compatible", 0), "a");
	assert_null(fdt_prop_string_index(&fdt, fdt_root(&fdt), "compatible", 1));
	free(blob);
}

/* ---- the node index ------------------------------------------------------------------------ */

#define INDEX_ROOM 1024

/* Document order through the walker's first_child/next_sibling: offsets into @out. */
static unsigned collect_nodes(const struct fdt *fdt, int node, int *out, unsigned n)
{
	assert_true(n < INDEX_ROOM);
	out[n++] = node;
	for (int c = fdt_first_child(fdt, node); c >= 0; c = fdt_next_sibling(fdt, c))
		n = collect_nodes(fdt, c, out, n);
	return n;
}

/* Every lookup the index answers gives the walker's answer, on every node of @l. */
static void check_index_agrees(struct loaded_dtb *l)
{
	static struct fdt_index_node nodes[INDEX_ROOM];
	static int order[INDEX_ROOM];
	struct fdt_index idx;
	struct fdt walked = l->fdt, indexed = l->fdt;
	unsigned count;

	assert_int_equal(fdt_index_build(&indexed, &idx, nodes, INDEX_ROOM), 0);
	assert_ptr_equal(indexed.index, &idx);
	assert_null(walked.index);
	count = collect_nodes(&walked, fdt_root(&walked), order, 0);
	assert_int_equal(count, idx.count);
	for (unsigned i = 0; i < count; i++) {
		int n = order[i];
		const struct fdt_index_node *e = fdt_index_lookup(&indexed, n);
		uint32_t ph;

		assert_non_null(e);
		assert_int_equal(e->offset, n);
		assert_int_equal(fdt_parent(&indexed, n), fdt_parent(&walked, n));
		assert_int_equal(fdt_first_child(&indexed, n), fdt_first_child(&walked, n));
		assert_int_equal(fdt_next_sibling(&indexed, n), fdt_next_sibling(&walked, n));
		if (fdt_prop_u32(&walked, n, "phandle", &ph) == 0)
			assert_int_equal(fdt_node_by_phandle(&indexed, ph),
					 fdt_node_by_phandle(&walked, ph));
		if (fdt_prop(&walked, n, "interrupts", NULL))
			assert_int_equal(fdt_interrupt_parent(&indexed, n),
					 fdt_interrupt_parent(&walked, n));
		/* document order: the index's "next node" is the walker's */
		if (fdt_prop(&walked, n, "compatible", NULL))
			assert_int_equal(fdt_find_compatible(&indexed, -1,
							     fdt_prop_string(&walked, n, "compatible")),
					 fdt_find_compatible(&walked, -1,
							     fdt_prop_string(&walked, n, "compatible")));
	}
	assert_int_equal(fdt_stdout_node(&indexed), fdt_stdout_node(&walked));
	assert_int_equal(fdt_path(&indexed, "/chosen"), fdt_path(&walked, "/chosen"));
	assert_int_equal(fdt_path(&indexed, "/memory"), fdt_path(&walked, "/memory"));
	assert_int_equal(fdt_find_device_type(&indexed, -1, "cpu"),
			 fdt_find_device_type(&walked, -1, "cpu"));
	assert_int_equal(fdt_node_by_phandle(&indexed, 0xfffe), fdt_node_by_phandle(&walked, 0xfffe));
	/* Offsets that are not nodes are refused the same way. */
	for (int off = -1; off < 256; off++)
		assert_int_equal(fdt_parent(&indexed, off), fdt_parent(&walked, off));
}

static void fdt_index_agrees_with_walker_on_every_fixture(void **state)
{
	static const char *const files[] = {
		"qemu-arm64-virt.dtb", "qemu-arm64-virt-gicv3.dtb", "qemu-riscv64-virt.dtb",
		"aliases.dtb", "memreserve.dtb", "cells1.dtb", "ranges.dtb", "binding.dtb",
	};
	struct loaded_dtb rpi4;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct loaded_dtb l;

		dtb_load(&l, files[i]);
		check_index_agrees(&l);
		dtb_unload(&l);
	}
	if (dtb_load_rpi4(&rpi4)) {
		check_index_agrees(&rpi4);
		dtb_unload(&rpi4);
	}
}

static void fdt_index_overflow_leaves_the_walker_in_charge(void **state)
{
	struct fdt_index_node nodes[4];
	struct fdt_index idx;
	struct loaded_dtb l;
	int uart;

	(void)state;
	dtb_load(&l, "qemu-arm64-virt.dtb");
	assert_int_equal(fdt_index_build(&l.fdt, &idx, nodes, 4), -ENOSPC);
	assert_null(l.fdt.index);
	uart = fdt_path(&l.fdt, "/pl011@9000000");
	assert_true(uart > 0);
	assert_int_equal(fdt_parent(&l.fdt, uart), fdt_root(&l.fdt));
	assert_int_equal(fdt_index_build(&l.fdt, &idx, nodes, 0), -ENOSPC);
	assert_int_equal(fdt_index_build(&l.fdt, NULL, nodes, 4), -EINVAL);
	dtb_unload(&l);
}

static void fdt_index_refuses_an_unusable_tree(void **state)
{
	struct fdt_index_node nodes[8];
	struct fdt_index idx;
	struct fdt fdt;
	uint8_t junk[64] = { 0 };

	(void)state;
	assert_int_equal(fdt_init(&fdt, junk, sizeof(junk)), -EINVAL);
	assert_int_equal(fdt_index_build(&fdt, &idx, nodes, 8), -EINVAL);
	assert_null(fdt_index_lookup(&fdt, 0));
	assert_int_equal(fdt_index_build(NULL, &idx, nodes, 8), -EINVAL);
}

/* The index records the tree's shape: depth and parent links of a hand-built tree. */
static void fdt_index_records_depth_parent_and_phandles(void **state)
{
	struct fdt_index_node nodes[8];
	struct fdt_index idx;
	struct fdt_builder b;
	struct fdt fdt;
	uint8_t *blob;
	size_t len;

	(void)state;
	fb_init(&b);
	fb_begin(&b, "");
	fb_begin(&b, "a");
	fb_prop_u32(&b, "phandle", 7);
	fb_begin(&b, "b");
	fb_prop_u32(&b, "linux,phandle", 9);
	fb_end(&b);
	fb_end(&b);
	fb_begin(&b, "c");
	fb_end(&b);
	fb_end(&b);
	fb_finish(&b);
	blob = fb_blob(&b, &len);
	assert_int_equal(fdt_init(&fdt, blob, len), 0);
	assert_int_equal(fdt_index_build(&fdt, &idx, nodes, 8), 0);
	assert_int_equal(idx.count, 4);
	assert_int_equal(nodes[0].depth, 0);
	assert_int_equal(nodes[0].parent, -1);
	assert_int_equal(nodes[0].first_child, 1);
	assert_int_equal(nodes[1].next_sibling, 3);
	assert_int_equal(nodes[1].phandle, 7);
	assert_int_equal(nodes[2].depth, 2);
	assert_int_equal(nodes[2].parent, 1);
	assert_int_equal(nodes[2].linux_phandle, 9);
	assert_int_equal(nodes[3].parent, 0);
	assert_int_equal(fdt_node_by_phandle(&fdt, 9), nodes[2].offset);
	assert_int_equal(fdt_path(&fdt, "/a/b"), nodes[2].offset);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fdt_index_agrees_with_walker_on_every_fixture),
		cmocka_unit_test(fdt_index_overflow_leaves_the_walker_in_charge),
		cmocka_unit_test(fdt_index_refuses_an_unusable_tree),
		cmocka_unit_test(fdt_index_records_depth_parent_and_phandles),
		cmocka_unit_test(fdt_translate_maps_bus_addresses_through_ranges),
		cmocka_unit_test(fdt_translate_walks_every_ancestor_bus),
		cmocka_unit_test(fdt_translate_identity_for_root_children),
		cmocka_unit_test(fdt_translate_fails_without_a_mapping),
		cmocka_unit_test(fdt_translate_rejects_malformed_ranges),
		cmocka_unit_test(fdt_translate_rejects_truncated_ranges_entry),
		cmocka_unit_test(fdt_string_index_walks_compatible_list),
		cmocka_unit_test(fdt_string_index_stops_at_unterminated_tail),
		cmocka_unit_test(fdt_accepts_qemu_arm64_virt),
		cmocka_unit_test(fdt_finds_memory_node_in_qemu_trees),
		cmocka_unit_test(fdt_resolves_stdout_path_arm64_virt),
		cmocka_unit_test(fdt_resolves_stdout_path_riscv64_virt),
		cmocka_unit_test(fdt_finds_gic_by_compatible),
		cmocka_unit_test(fdt_finds_every_virtio_mmio_node_in_order),
		cmocka_unit_test(fdt_looks_up_interrupt_parent_phandle),
		cmocka_unit_test(fdt_walk_agrees_with_parent_in_qemu_trees),
		cmocka_unit_test(fdt_decodes_interrupts_of_qemu_trees),
		cmocka_unit_test(fdt_reads_chosen_of_qemu_trees),
		cmocka_unit_test(fdt_path_rejects_relative_and_missing),
		cmocka_unit_test(fdt_stdout_path_through_alias_with_options),
		cmocka_unit_test(fdt_alias_with_subpath_resolves),
		cmocka_unit_test(fdt_compatible_list_second_entry_matches),
		cmocka_unit_test(fdt_reads_memreserve_entries),
		cmocka_unit_test(fdt_memreserve_uses_linux_stdout_path),
		cmocka_unit_test(fdt_decodes_one_cell_reg_entries),
		cmocka_unit_test(fdt_decodes_zero_size_cells),
		cmocka_unit_test(fdt_reg_rejects_length_not_multiple_of_entry),
		cmocka_unit_test(fdt_resolves_label_phandle),
		cmocka_unit_test(fdt_prop_accessors_check_lengths_and_termination),
		cmocka_unit_test(fdt_survives_arbitrary_node_offsets),
		cmocka_unit_test(fdt_failed_init_leaves_handle_unusable),
		cmocka_unit_test(fdt_rejects_truncated_blob),
		cmocka_unit_test(fdt_rejects_structure_block_cut_anywhere),
		cmocka_unit_test(fdt_rejects_bad_magic),
		cmocka_unit_test(fdt_rejects_bad_version),
		cmocka_unit_test(fdt_rejects_block_offsets_out_of_range),
		cmocka_unit_test(fdt_rejects_blob_larger_than_max_size),
		cmocka_unit_test(fdt_accepts_minimal_built_blob),
		cmocka_unit_test(fdt_rejects_unterminated_node_name),
		cmocka_unit_test(fdt_rejects_property_name_outside_strings),
		cmocka_unit_test(fdt_rejects_unterminated_property_name),
		cmocka_unit_test(fdt_rejects_property_running_past_block),
		cmocka_unit_test(fdt_rejects_property_header_cut_short),
		cmocka_unit_test(fdt_rejects_missing_end_token),
		cmocka_unit_test(fdt_rejects_nesting_deeper_than_max_depth),
		cmocka_unit_test(fdt_rejects_unbalanced_end_node),
		cmocka_unit_test(fdt_rejects_unknown_token),
		cmocka_unit_test(fdt_rejects_second_root_and_stray_properties),
		cmocka_unit_test(fdt_accepts_nops_anywhere),
		cmocka_unit_test(fdt_reg_rejects_unsupported_cell_counts),
		cmocka_unit_test(fdt_rejects_rsvmap_without_terminator),
	};

	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
