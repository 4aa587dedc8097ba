// SPDX-License-Identifier: MIT
/* libFuzzer target: arbitrary bytes through fdt_init, a full tree walk, the node index,
 * platform_from_fdt (walked and indexed) and bootinfo_from_fdt. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/compiler.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/platform.h>
#include <lib/fdt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* platform_print()'s output goes nowhere. */
void hal_console_putc(char c)
{
	(void)c;
}

static const char *const props[] = {
	"compatible", "reg", "status", "device_type", "#address-cells", "#size-cells",
	"phandle", "interrupt-parent", "model", "bootargs", "stdout-path", "ranges",
};

/* Touch every property lookup on @node the kernel might make. */
static void poke_node(const struct fdt *fdt, int node)
{
	uint64_t a, s;
	uint32_t v, len;

	(void)fdt_node_name(fdt, node);
	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		(void)fdt_prop(fdt, node, props[i], &len);
		(void)fdt_prop_string(fdt, node, props[i]);
		(void)fdt_prop_u32(fdt, node, props[i], &v);
	}
	(void)fdt_is_compatible(fdt, node, "ns16550a");
	(void)fdt_address_cells(fdt, node);
	(void)fdt_size_cells(fdt, node);
	for (unsigned i = 0; i < 4 && fdt_reg(fdt, node, i, &a, &s) == 0; i++)
		(void)fdt_translate_address(fdt, node, &a);
	for (unsigned i = 0; fdt_prop_string_index(fdt, node, "compatible", i); i++)
		;
	if (fdt_prop_u32(fdt, node, "interrupt-parent", &v) == 0)
		(void)fdt_node_by_phandle(fdt, v);
}

/* The indexed tree answers every structural lookup as the walker does (or the index
 * overflowed and was not attached). */
static void check_index(const struct fdt *walked, int node)
{
	static struct fdt_index_node nodes[256];
	static struct fdt_index idx;
	static bool built; /* the index of this input (built at its root) is usable */
	struct fdt indexed = *walked;

	if (node == fdt_root(walked)) {
		int err = fdt_index_build(&indexed, &idx, nodes, 256);

		if (err && (err != -ENOSPC || indexed.index))
			abort(); /* fdt_init accepted it: only overflow may stop the index */
		built = err == 0;
	}
	if (!built)
		return;
	indexed.index = &idx;
	if (fdt_parent(&indexed, node) != fdt_parent(walked, node) ||
	    fdt_first_child(&indexed, node) != fdt_first_child(walked, node) ||
	    fdt_next_sibling(&indexed, node) != fdt_next_sibling(walked, node))
		abort();
}

/* Depth-first walk through first_child/next_sibling; fdt_init bounds the depth. */
static void walk(const struct fdt *fdt, int node, int depth)
{
	if (depth > FDT_MAX_DEPTH)
		abort(); /* fdt_init let through a tree deeper than it promised */
	poke_node(fdt, node);
	check_index(fdt, node);
	for (int c = fdt_first_child(fdt, node); c >= 0; c = fdt_next_sibling(fdt, c)) {
		if (c <= node || fdt_parent(fdt, c) != node)
			abort(); /* children come after their parent and know it */
		walk(fdt, c, depth + 1);
	}
}

/* What the description promises whatever the input: sorted disjoint memory, indices that
 * name table entries, counts within the tables. */
static void check_platform(const struct platform *p)
{
	if (p->mem_count > PLAT_MAX_MEM || p->dev_count > PLAT_MAX_DEVICES ||
	    p->cpu_count > PLAT_MAX_CPUS)
		abort();
	for (unsigned i = 1; i < p->mem_count; i++)
		if (p->mem[i - 1].base + p->mem[i - 1].size > p->mem[i].base)
			abort();
	for (unsigned i = 0; i < p->dev_count; i++) {
		const struct plat_device *d = &p->dev[i];

		if (d->parent >= (int)p->dev_count || d->reg_count > PLAT_DEV_MAX_REGS ||
		    d->irq_count > PLAT_DEV_MAX_IRQS)
			abort();
		for (unsigned k = 0; k < d->irq_count; k++)
			if (d->irq[k].parent < 0 || d->irq[k].parent >= (int)p->dev_count ||
			    !p->dev[d->irq[k].parent].is_intc ||
			    d->irq[k].cell_count > PLAT_IRQ_MAX_CELLS)
				abort();
		for (unsigned k = 0; plat_device_compatible(d, k); k++)
			;
	}
	if (p->root_intc >= (int)p->dev_count || p->console.device >= (int)p->dev_count)
		abort();
}

/* platform_from_fdt() on the walked and on the indexed tree: the same description. */
static void use_platform(const struct fdt *walked)
{
	static struct platform a, b;
	static struct fdt_index_node nodes[512];
	struct fdt_index idx;
	struct fdt indexed = *walked;

	if (platform_from_fdt(&a, walked))
		abort(); /* fdt_init accepted the tree: it has a root */
	check_platform(&a);
	platform_print(&a);
	if (fdt_index_build(&indexed, &idx, nodes, 512))
		return;
	if (platform_from_fdt(&b, &indexed) || memcmp(&a, &b, sizeof(a)))
		abort();
}

static void use_tree(const uint8_t *blob, size_t size)
{
	struct fdt fdt;
	uint64_t a, s;

	if (fdt_init(&fdt, blob, size))
		return;
	walk(&fdt, fdt_root(&fdt), 1);
	use_platform(&fdt);
	(void)fdt_stdout_node(&fdt);
	(void)fdt_path(&fdt, "/chosen");
	(void)fdt_path(&fdt, "/soc/serial@10000000");
	(void)fdt_find_compatible(&fdt, -1, "arm,pl011");
	for (int n = fdt_find_device_type(&fdt, -1, "memory"); n >= 0;
	     n = fdt_find_device_type(&fdt, n, "memory"))
		;
	for (unsigned i = 0; fdt_rsvmap_entry(&fdt, i, &a, &s) == 0; i++)
		;
}

/*
 * bootinfo_from_fdt() takes no size: its contract is that the caller mapped the header
 * and then totalsize bytes. Honour that, from an exactly-sized copy so ASan sees any
 * read past what the header declares.
 */
static void use_bootinfo(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	uint32_t total = fdt_total_size(data, size);
	size_t n = total > 40 ? total : 40;
	uint8_t *copy;

	if (size < 40 || n > size)
		return;
	copy = malloc(n);
	if (!copy)
		return;
	memcpy(copy, data, n);
	memset(&bi, 0, sizeof(bi));
	if (bootinfo_from_fdt(&bi, copy, 0x80000000) == 0 && bi.mem_count > BOOT_MAX_MEM_REGIONS)
		abort();
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size); /* exact size: nothing past it is addressable */
	use_tree(copy, size);
	free(copy);
	use_bootinfo(data, size);
	return 0;
}
