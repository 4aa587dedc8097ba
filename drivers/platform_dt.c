// SPDX-License-Identifier: MIT
/* Platform discovery from the device tree: interrupt controller, timer, CPU enable methods. */
#include <kernel/bootinfo.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>
#include <lib/fdt.h>
#include <lib/string.h>

struct platform_info kernel_platform;

struct compat_kind {
	const char *compatible;
	const char *kind;
};

/* Interrupt controllers the kernel will drive (the interrupts issue); bindings in Linux's
 * Documentation/devicetree/bindings/interrupt-controller/. */
static const struct compat_kind intc_kinds[] = {
	{ "arm,gic-400", "GICv2" },
	{ "arm,cortex-a15-gic", "GICv2" },
	{ "arm,gic-v3", "GICv3" },
	{ "sifive,plic-1.0.0", "PLIC" },
	{ "riscv,plic0", "PLIC" },
};

static const char riscv_timer[] = "RISC-V timer";

static const struct compat_kind timer_kinds[] = {
	{ "arm,armv8-timer", "Arm generic timer" },
	{ "arm,armv7-timer", "Arm generic timer" },
	{ "riscv,timer", riscv_timer },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The entry of @kinds naming the first of @node's compatibles that it lists, or NULL. */
static const struct compat_kind *match_kind(const struct fdt *fdt, int node,
					    const struct compat_kind *kinds, size_t n)
{
	const char *c;

	for (unsigned i = 0; (c = fdt_prop_string_index(fdt, node, "compatible", i)); i++)
		for (size_t k = 0; k < n; k++)
			if (!strcmp(kinds[k].compatible, c))
				return &kinds[k];
	return NULL;
}

/* First node in document order that one of @kinds matches; -ENOENT when none. */
static int find_kind(const struct fdt *fdt, const struct compat_kind *kinds, size_t n)
{
	int best = -ENOENT;

	/* Document order across all kinds: an unused GICv3 node after the real one loses. */
	for (size_t k = 0; k < n; k++) {
		int node = fdt_find_compatible(fdt, -1, kinds[k].compatible);

		if (node >= 0 && (best < 0 || node < best))
			best = node;
	}
	return best;
}

/*
 * The root's interrupt-parent is the controller every device without its own inherits
 * (devicetree spec 2.4.1): on arm64 boards the GIC. The RISC-V virt tree has none at the
 * root, so then the first controller of a kind we know stands in.
 */
static void discover_intc(const struct fdt *fdt, struct platform_intc *ic)
{
	const struct compat_kind *k = NULL;
	uint32_t phandle;
	int node = -ENOENT;

	if (fdt_prop_u32(fdt, fdt_root(fdt), "interrupt-parent", &phandle) == 0)
		node = fdt_node_by_phandle(fdt, phandle);
	if (node < 0)
		node = find_kind(fdt, intc_kinds, ARRAY_LEN(intc_kinds));
	ic->node = node;
	if (node < 0)
		return;
	k = match_kind(fdt, node, intc_kinds, ARRAY_LEN(intc_kinds));
	ic->compatible = k ? k->compatible : fdt_prop_string(fdt, node, "compatible");
	ic->kind = k ? k->kind : "unknown";
	for (unsigned i = 0; i < PLATFORM_MAX_INTC_REG; i++) {
		int err = dt_reg(fdt, node, i, &ic->reg[i].base, &ic->reg[i].size);

		if (err) {
			ic->reg_bad = err != -ENOENT;
			break;
		}
		ic->reg_count++;
	}
}

/* A one- or two-cell number property (timebase-frequency, cpu-release-addr). */
static int prop_u64(const struct fdt *fdt, int node, const char *name, uint64_t *out)
{
	uint32_t len;
	const void *p = fdt_prop(fdt, node, name, &len);

	if (!p)
		return -ENOENT;
	if (len != 4 && len != 8)
		return -EINVAL;
	*out = fdt_read_cells(p, len / 4);
	return 0;
}

/*
 * The Arm generic timer node (its clock-frequency is only there when firmware failed to set
 * CNTFRQ), else the RISC-V timer: the time CSR, whose rate is /cpus timebase-frequency with
 * or without a "riscv,timer" node.
 */
static void discover_timer(const struct fdt *fdt, struct platform_timer *t)
{
	int node = find_kind(fdt, timer_kinds, ARRAY_LEN(timer_kinds));
	const struct compat_kind *k = NULL;
	int cpus = fdt_path(fdt, "/cpus");
	uint64_t freq;

	if (node >= 0)
		k = match_kind(fdt, node, timer_kinds, ARRAY_LEN(timer_kinds));
	if (k) {
		t->node = node;
		t->kind = k->kind;
		t->compatible = k->compatible;
		if (prop_u64(fdt, node, "clock-frequency", &freq) == 0)
			t->dt_freq = freq;
		if (k->kind != riscv_timer)
			return;
	}
	if (cpus < 0 || prop_u64(fdt, cpus, "timebase-frequency", &freq))
		return;
	if (!k) {
		t->node = cpus;
		t->kind = riscv_timer;
	}
	t->dt_freq = freq;
}

static enum cpu_enable_method method_of(const char *name)
{
	if (!name)
		return CPU_ENABLE_NONE;
	if (!strcmp(name, "psci"))
		return CPU_ENABLE_PSCI;
	if (!strcmp(name, "spin-table"))
		return CPU_ENABLE_SPIN_TABLE;
	return CPU_ENABLE_OTHER;
}

static void discover_cpu(const struct fdt *fdt, int cpus, int node, struct platform_cpu *c)
{
	c->node = node;
	c->available = dt_node_available(fdt, node);
	if (fdt_reg(fdt, node, 0, &c->hwid, NULL))
		c->hwid = UINT64_MAX; /* shown as such: a CPU without a usable id */
	/* Per CPU (cpus.yaml); a /cpus-wide one is the 32-bit Arm style, used as a default. */
	c->method_name = fdt_prop_string(fdt, node, "enable-method");
	if (!c->method_name)
		c->method_name = fdt_prop_string(fdt, cpus, "enable-method");
	c->method = method_of(c->method_name);
	c->release_addr_ok = prop_u64(fdt, node, "cpu-release-addr", &c->release_addr) == 0;
}

static void discover_cpus(const struct fdt *fdt, struct platform_info *pi)
{
	int cpus = fdt_path(fdt, "/cpus");

	if (cpus < 0)
		return;
	for (int n = fdt_first_child(fdt, cpus); n >= 0; n = fdt_next_sibling(fdt, n)) {
		const char *type = fdt_prop_string(fdt, n, "device_type");

		if (!type || strcmp(type, "cpu"))
			continue; /* cpu-map, l2-cache, ... */
		if (pi->cpu_count == PLATFORM_MAX_CPUS) {
			pi->cpus_dropped++;
			continue;
		}
		discover_cpu(fdt, cpus, n, &pi->cpu[pi->cpu_count++]);
	}
}

void platform_discover(const struct fdt *fdt, struct platform_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->intc.node = -ENOENT;
	pi->timer.node = -ENOENT;
	if (!fdt || fdt_root(fdt) < 0)
		return;
	pi->from_dt = true;
	discover_intc(fdt, &pi->intc);
	discover_timer(fdt, &pi->timer);
	discover_cpus(fdt, pi);
}

static void print_intc(const struct platform_intc *ic)
{
	if (ic->node < 0) {
		kprintf("  interrupt controller: none found in the DTB\n");
		return;
	}
	kprintf("  interrupt controller: %s (%s)", ic->kind, ic->compatible ? ic->compatible : "?");
	for (unsigned i = 0; i < ic->reg_count; i++)
		kprintf(" %#llx+%#llx", (unsigned long long)ic->reg[i].base,
			(unsigned long long)ic->reg[i].size);
	kprintf("%s\n", ic->reg_bad ? " (reg not translatable)" : "");
}

static void print_timer(const struct platform_timer *t)
{
	unsigned long long counter = hal_counter_freq();

	if (t->node < 0) {
		kprintf("  timer: none found in the DTB; counter %llu Hz\n", counter);
		return;
	}
	kprintf("  timer: %s (%s), DTB frequency ", t->kind,
		t->compatible ? t->compatible : "/cpus");
	if (t->dt_freq)
		kprintf("%llu Hz", (unsigned long long)t->dt_freq);
	else
		kprintf("not given");
	kprintf("; counter %llu Hz\n", counter);
}

static void print_cpu(unsigned i, const struct platform_cpu *c)
{
	kprintf("  cpu%u: hwid %#llx, enable-method %s", i, (unsigned long long)c->hwid,
		c->method_name ? c->method_name : "none");
	if (c->method == CPU_ENABLE_SPIN_TABLE) {
		if (c->release_addr_ok)
			kprintf(", release-addr %#llx", (unsigned long long)c->release_addr);
		else
			kprintf(", no usable cpu-release-addr");
	}
	kprintf("%s\n", c->available ? "" : " (disabled)");
}

void platform_print(const struct platform_info *pi)
{
	if (!pi->from_dt)
		return; /* no device tree: the firmware's own tables describe the board */
	print_intc(&pi->intc);
	print_timer(&pi->timer);
	for (unsigned i = 0; i < pi->cpu_count; i++)
		print_cpu(i, &pi->cpu[i]);
	if (pi->cpus_dropped)
		kprintf("  (%u more CPUs not listed)\n", pi->cpus_dropped);
}

void platform_init(const struct boot_info *bi)
{
	struct fdt fdt;
	/* The port's bootinfo_from_fdt() accepted this blob: its header's size is checked. */
	bool ok = bi->dtb &&
		  fdt_init(&fdt, bi->dtb, fdt_total_size(bi->dtb, BOOT_FDT_MAX_SIZE)) == 0;

	platform_discover(ok ? &fdt : NULL, &kernel_platform);
	platform_print(&kernel_platform);
}
