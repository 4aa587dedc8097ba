// SPDX-License-Identifier: MIT
/* The platform description from a device tree: CPUs, memory, every device, console, timer. */
#include <kernel/errno.h>
#include <kernel/platform.h>
#include <lib/fdt.h>
#include <lib/string.h>

/*
 * One pass over the tree per table. The blob is untrusted: every property length is checked
 * before use, a malformed entry is left out and counted in p->rejected (the first few with
 * their reason in p->note[]), and a full table counts what did not fit in *_dropped. Nothing
 * is printed here: this runs before the console exists (platform_print() reports).
 */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void reject(struct platform *p, const struct fdt *fdt, int node, const char *why)
{
	if (p->rejected < PLAT_MAX_NOTES) {
		const char *name = fdt_node_name(fdt, node);

		p->note[p->rejected].where = name && name[0] ? name : "/";
		p->note[p->rejected].why = why;
	}
	p->rejected++;
}

/* Linux's rule for "status" (of_device_is_available): absent, "okay" or "ok". */
static bool node_available(const struct fdt *fdt, int node)
{
	uint32_t len;
	const char *s = fdt_prop(fdt, node, "status", &len);

	return !s || (len == 5 && !memcmp(s, "okay", 5)) || (len == 3 && !memcmp(s, "ok", 3));
}

/* A one- or two-cell number (timebase-frequency, cpu-release-addr). */
static int prop_u64(const struct fdt *fdt, int node, const char *name, uint64_t *out)
{
	uint32_t len;
	const void *v = fdt_prop(fdt, node, name, &len);

	if (!v)
		return -ENOENT;
	if (len != 4 && len != 8)
		return -EINVAL;
	*out = fdt_read_cells(v, len / 4);
	return 0;
}

static uint32_t u32_or(const struct fdt *fdt, int node, const char *name, uint32_t dflt)
{
	uint32_t v;

	return fdt_prop_u32(fdt, node, name, &v) ? dflt : v;
}

static bool has_prop(const struct fdt *fdt, int node, const char *name)
{
	return fdt_prop(fdt, node, name, NULL) != NULL;
}

/* ---- Memory ------------------------------------------------------------------------------- */

/*
 * Ranges are collected raw (overlapping, unsorted) and then cut at every boundary: each
 * piece takes the strongest kind covering it (no-map > reserved > RAM, the enum's order) and
 * the NUMA node of the RAM under it. Boot CPU only, like the whole builder.
 */
#define RAW_MAX (2 * PLAT_MAX_MEM)

static struct plat_mem raw[RAW_MAX];
static unsigned raw_count;
static paddr_t cuts[2 * RAW_MAX];

static void raw_add(struct platform *p, paddr_t base, uint64_t size, enum plat_mem_kind kind,
		    uint32_t node)
{
	if (size == 0)
		return;
	if (size > UINT64_MAX - base)
		size = UINT64_MAX - base; /* keep the end representable, as bootinfo does */
	if (raw_count == RAW_MAX) {
		p->mem_dropped++;
		return;
	}
	raw[raw_count++] = (struct plat_mem){ .base = base, .size = size, .kind = kind,
					      .node = node };
}

/* Every "reg" entry of @node as @kind; a malformed "reg" is rejected. */
static void raw_add_reg(struct platform *p, const struct fdt *fdt, int node,
			enum plat_mem_kind kind, uint32_t numa)
{
	uint64_t base, size;
	unsigned i;
	int err;

	for (i = 0; (err = fdt_reg(fdt, node, i, &base, &size)) == 0; i++)
		raw_add(p, base, size, kind, numa);
	if (err != -ENOENT)
		reject(p, fdt, node, "memory reg not decodable");
}

static void scan_memory_nodes(struct platform *p, const struct fdt *fdt)
{
	for (int n = fdt_find_device_type(fdt, -1, "memory"); n >= 0;
	     n = fdt_find_device_type(fdt, n, "memory"))
		if (node_available(fdt, n))
			raw_add_reg(p, fdt, n, PLAT_MEM_RAM, u32_or(fdt, n, "numa-node-id", 0));
}

/* /reserved-memory children (reserved-memory.yaml) and the /memreserve/ block. */
static void scan_reserved(struct platform *p, const struct fdt *fdt)
{
	int rm = fdt_path(fdt, "/reserved-memory");
	uint64_t base, size;

	for (unsigned i = 0; fdt_rsvmap_entry(fdt, i, &base, &size) == 0; i++)
		raw_add(p, base, size, PLAT_MEM_RESERVED, 0);
	if (rm < 0)
		return;
	for (int n = fdt_first_child(fdt, rm); n >= 0; n = fdt_next_sibling(fdt, n)) {
		enum plat_mem_kind kind = has_prop(fdt, n, "no-map") ? PLAT_MEM_NOMAP
								     : PLAT_MEM_RESERVED;

		if (!node_available(fdt, n))
			continue;
		if (!has_prop(fdt, n, "reg")) {
			/* "size" (+ "alloc-ranges"): placed by an OS allocator; nothing fixed here */
			if (has_prop(fdt, n, "size"))
				p->mem_dynamic++;
			else
				reject(p, fdt, n, "reserved-memory entry with neither reg nor size");
			continue;
		}
		raw_add_reg(p, fdt, n, kind, 0);
	}
}

static void sort_cuts(unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
			paddr_t t = cuts[j];

			cuts[j] = cuts[j - 1];
			cuts[j - 1] = t;
		}
}

/* Kind and node of [@a, @b) (wholly inside or outside each raw range): 0 when uncovered. */
static enum plat_mem_kind piece_kind(paddr_t a, paddr_t b, uint32_t *node)
{
	enum plat_mem_kind kind = 0;

	*node = 0;
	for (unsigned i = 0; i < raw_count; i++) {
		const struct plat_mem *r = &raw[i];

		if (r->base > a || r->base + r->size < b)
			continue;
		if (r->kind > kind)
			kind = r->kind;
		if (r->kind == PLAT_MEM_RAM)
			*node = r->node;
	}
	return kind;
}

static void mem_append(struct platform *p, paddr_t a, paddr_t b, enum plat_mem_kind kind,
		       uint32_t node)
{
	struct plat_mem *last = p->mem_count ? &p->mem[p->mem_count - 1] : NULL;

	if (last && last->kind == kind && last->node == node && last->base + last->size == a) {
		last->size += b - a;
		return;
	}
	if (p->mem_count == PLAT_MAX_MEM) {
		p->mem_dropped++;
		return;
	}
	p->mem[p->mem_count++] = (struct plat_mem){ .base = a, .size = b - a, .kind = kind,
						    .node = node };
}

/* p->mem: sorted, non-overlapping, adjacent pieces of one kind and node merged. */
static void build_mem(struct platform *p)
{
	unsigned n = 0, u = 0;

	for (unsigned i = 0; i < raw_count; i++) {
		cuts[n++] = raw[i].base;
		cuts[n++] = raw[i].base + raw[i].size;
	}
	sort_cuts(n);
	for (unsigned i = 0; i < n; i++)
		if (u == 0 || cuts[u - 1] != cuts[i])
			cuts[u++] = cuts[i];
	for (unsigned i = 0; i + 1 < u; i++) {
		uint32_t node;
		enum plat_mem_kind kind = piece_kind(cuts[i], cuts[i + 1], &node);

		if (kind)
			mem_append(p, cuts[i], cuts[i + 1], kind, node);
	}
}

/* ---- CPUs ---------------------------------------------------------------------------------- */

static enum plat_cpu_enable enable_of(const char *method, bool riscv)
{
	if (!method)
		return riscv ? PLAT_CPU_ENABLE_SBI_HSM : PLAT_CPU_ENABLE_NONE;
	if (!strcmp(method, "psci"))
		return PLAT_CPU_ENABLE_PSCI;
	if (!strcmp(method, "spin-table"))
		return PLAT_CPU_ENABLE_SPIN_TABLE;
	return PLAT_CPU_ENABLE_OTHER;
}

static void add_cpu(struct platform *p, const struct fdt *fdt, int cpus, int node)
{
	struct plat_cpu *c;
	uint64_t hwid;

	if (fdt_reg(fdt, node, 0, &hwid, NULL)) {
		reject(p, fdt, node, "cpu without a usable reg (hardware id)");
		return;
	}
	if (p->cpu_count == PLAT_MAX_CPUS) {
		p->cpus_dropped++;
		return;
	}
	c = &p->cpu[p->cpu_count++];
	c->hwid = hwid;
	c->fdt_node = node;
	c->intc = PLAT_NONE;
	c->available = node_available(fdt, node);
	c->node = u32_or(fdt, node, "numa-node-id", 0);
	c->isa = fdt_prop_string(fdt, node, "riscv,isa");
	c->isa_ext = fdt_prop(fdt, node, "riscv,isa-extensions", &c->isa_ext_len);
	if (c->isa_ext && (c->isa_ext_len == 0 || c->isa_ext[c->isa_ext_len - 1] != '\0'))
		c->isa_ext = NULL; /* not a terminated string list: not read */
	/* Per CPU (cpus.yaml); a /cpus-wide one is the 32-bit Arm style, used as a default. */
	c->method_name = fdt_prop_string(fdt, node, "enable-method");
	if (!c->method_name)
		c->method_name = fdt_prop_string(fdt, cpus, "enable-method");
	c->enable = enable_of(c->method_name, c->isa || fdt_is_compatible(fdt, node, "riscv"));
	if (c->enable != PLAT_CPU_ENABLE_SPIN_TABLE)
		return;
	c->has_release_addr = prop_u64(fdt, node, "cpu-release-addr", &c->release_addr) == 0;
	if (!c->has_release_addr)
		reject(p, fdt, node, "spin-table cpu without a usable cpu-release-addr");
}

static bool is_cpu_node(const struct fdt *fdt, int node)
{
	const char *type = fdt_prop_string(fdt, node, "device_type");

	return type && !strcmp(type, "cpu");
}

static void scan_cpus(struct platform *p, const struct fdt *fdt)
{
	int cpus = fdt_path(fdt, "/cpus");

	if (cpus < 0)
		return;
	for (int n = fdt_first_child(fdt, cpus); n >= 0; n = fdt_next_sibling(fdt, n))
		if (is_cpu_node(fdt, n))
			add_cpu(p, fdt, cpus, n); /* not cpu-map, l2-cache, ... */
}

/* Each CPU's local interrupt controller: its child with "interrupt-controller". */
static void link_cpu_intcs(struct platform *p, const struct fdt *fdt)
{
	for (unsigned i = 0; i < p->cpu_count; i++) {
		struct plat_cpu *c = &p->cpu[i];

		for (int n = fdt_first_child(fdt, c->fdt_node); n >= 0;
		     n = fdt_next_sibling(fdt, n))
			if (has_prop(fdt, n, "interrupt-controller"))
				c->intc = platform_find_fdt_node(p, n);
	}
}

/* ---- Devices ------------------------------------------------------------------------------ */

/* Regs on a bus whose addresses are not CPU addresses (PCI's 3 cells, i2c's #size-cells 0)
 * are left out quietly: they are not MMIO, and the bus's driver reads them itself. */
static void read_regs(struct platform *p, const struct fdt *fdt, int node, int bus,
		      struct plat_device *d)
{
	uint32_t ac = fdt_address_cells(fdt, bus), sc = fdt_size_cells(fdt, bus), len;
	uint64_t base, size;

	if (!fdt_prop(fdt, node, "reg", &len) || ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return;
	if (len % ((ac + sc) * 4)) {
		reject(p, fdt, node, "reg length is not a whole number of entries");
		return;
	}
	for (unsigned i = 0; fdt_reg(fdt, node, i, &base, &size) == 0; i++) {
		int err = fdt_translate_address(fdt, node, &base);

		if (err == -ENOENT)
			return; /* behind a bus without "ranges": not memory-mapped */
		if (err) {
			reject(p, fdt, node, "reg behind a malformed ranges");
			return;
		}
		if (d->reg_count == PLAT_DEV_MAX_REGS) {
			d->regs_dropped = true;
			return;
		}
		d->reg[d->reg_count++] = (struct plat_reg){ .base = base, .size = size };
	}
}

static void read_compatible(struct platform *p, const struct fdt *fdt, int node,
			    struct plat_device *d)
{
	uint32_t len;
	const char *c = fdt_prop(fdt, node, "compatible", &len);

	if (!c)
		return;
	if (len == 0 || c[len - 1] != '\0') {
		reject(p, fdt, node, "compatible is not a terminated string list");
		return;
	}
	d->compatible = c;
	d->compatible_len = len;
}

static bool is_device_node(const struct fdt *fdt, int node)
{
	return has_prop(fdt, node, "compatible") || has_prop(fdt, node, "reg") ||
	       has_prop(fdt, node, "interrupts") || has_prop(fdt, node, "interrupts-extended") ||
	       has_prop(fdt, node, "interrupt-controller");
}

/* Add @node (below @bus, whose device is @parent) to p->dev; its index or PLAT_NONE. */
static int add_device(struct platform *p, const struct fdt *fdt, int node, int bus, int parent)
{
	struct plat_device *d;
	uint32_t ph;

	if (p->dev_count == PLAT_MAX_DEVICES) {
		p->devs_dropped++;
		return PLAT_NONE;
	}
	d = &p->dev[p->dev_count];
	memset(d, 0, sizeof(*d));
	d->name = fdt_node_name(fdt, node);
	d->bus = PLAT_BUS_DT;
	d->parent = parent;
	d->fdt_node = node;
	if (fdt_prop_u32(fdt, node, "phandle", &ph) == 0 ||
	    fdt_prop_u32(fdt, node, "linux,phandle", &ph) == 0)
		d->phandle = ph;
	d->available = node_available(fdt, node);
	d->is_intc = has_prop(fdt, node, "interrupt-controller");
	d->interrupt_cells = u32_or(fdt, node, "#interrupt-cells", 0);
	read_compatible(p, fdt, node, d);
	read_regs(p, fdt, node, bus, d);
	return (int)p->dev_count++;
}

/* Root children that describe no device (chosen.yaml, aliases, memory, reserved-memory). */
static bool is_info_node(const struct fdt *fdt, int node)
{
	static const char *const names[] = { "chosen", "aliases", "reserved-memory",
					     "__symbols__", "__overrides__", "cpus" };
	const char *name = fdt_node_name(fdt, node);
	const char *type = fdt_prop_string(fdt, node, "device_type");

	if (!name || (type && !strcmp(type, "memory")))
		return true;
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* Depth-first over @bus's children (fdt_init() bounds the depth). */
static void scan_devices(struct platform *p, const struct fdt *fdt, int bus, int parent)
{
	for (int n = fdt_first_child(fdt, bus); n >= 0; n = fdt_next_sibling(fdt, n)) {
		int here = parent;

		if (bus == fdt_root(fdt) && is_info_node(fdt, n))
			continue;
		if (is_device_node(fdt, n))
			here = add_device(p, fdt, n, bus, parent);
		scan_devices(p, fdt, n, here);
	}
}

/* The CPUs' own interrupt controllers (riscv,cpu-intc) are devices too: the PLIC and the
 * CLINT name them in interrupts-extended. */
static void scan_cpu_intcs(struct platform *p, const struct fdt *fdt)
{
	int cpus = fdt_path(fdt, "/cpus");

	if (cpus < 0)
		return;
	for (int c = fdt_first_child(fdt, cpus); c >= 0; c = fdt_next_sibling(fdt, c))
		for (int n = fdt_first_child(fdt, c); n >= 0; n = fdt_next_sibling(fdt, n))
			if (is_cpu_node(fdt, c) && has_prop(fdt, n, "interrupt-controller"))
				add_device(p, fdt, n, c, PLAT_NONE);
}

/* ---- Interrupts ----------------------------------------------------------------------------- */

/* The phandle in "interrupt-parent" of @node or its nearest ancestor (spec 2.4.1); 0. */
static uint32_t parent_phandle(const struct fdt *fdt, int node)
{
	uint32_t ph;

	for (int n = node; n >= 0; n = fdt_parent(fdt, n))
		if (fdt_prop_u32(fdt, n, "interrupt-parent", &ph) == 0)
			return ph;
	return 0;
}

/*
 * The controller device @phandle names for @d's interrupts, or PLAT_NONE after counting why:
 * a nexus (interrupt-map, PCI) is left out on purpose; anything else is a dangling phandle.
 */
static int irq_controller(struct platform *p, const struct fdt *fdt, int node, uint32_t phandle,
			  unsigned count)
{
	int ic = platform_find_phandle(p, phandle);
	int target = ic != PLAT_NONE ? p->dev[ic].fdt_node : fdt_node_by_phandle(fdt, phandle);

	if (ic != PLAT_NONE && p->dev[ic].is_intc)
		return ic;
	if (target >= 0 && has_prop(fdt, target, "interrupt-map")) {
		p->irqs_via_map += count;
		return PLAT_NONE;
	}
	reject(p, fdt, node, ic == PLAT_NONE ? "interrupt parent phandle resolves nowhere"
					     : "interrupt parent is not a controller");
	return PLAT_NONE;
}

static void irq_append(struct plat_device *d, int ic, const uint8_t *cells, uint32_t n)
{
	struct plat_irq *q;

	if (d->irq_count == PLAT_DEV_MAX_IRQS) {
		d->irqs_dropped = true;
		return;
	}
	q = &d->irq[d->irq_count++];
	q->parent = ic;
	q->cell_count = (uint8_t)n;
	for (uint32_t i = 0; i < n; i++)
		q->cells[i] = (uint32_t)fdt_read_cells(cells + 4 * i, 1);
}

/* #interrupt-cells of controller @ic, checked: 0 when unusable (then rejected). */
static uint32_t ic_cells(struct platform *p, const struct fdt *fdt, int node, int ic)
{
	uint32_t n = p->dev[ic].interrupt_cells;

	if (n == 0 || n > PLAT_IRQ_MAX_CELLS) {
		reject(p, fdt, node, "interrupt controller #interrupt-cells missing or too large");
		return 0;
	}
	return n;
}

/* "interrupts" through the inherited interrupt-parent. */
static void read_interrupts(struct platform *p, const struct fdt *fdt, struct plat_device *d)
{
	uint32_t len, n;
	const uint8_t *v = fdt_prop(fdt, d->fdt_node, "interrupts", &len);
	int ic;

	if (!v || len == 0)
		return;
	ic = irq_controller(p, fdt, d->fdt_node, parent_phandle(fdt, d->fdt_node), 1);
	if (ic == PLAT_NONE || (n = ic_cells(p, fdt, d->fdt_node, ic)) == 0)
		return;
	if (len % (n * 4)) {
		reject(p, fdt, d->fdt_node, "interrupts is not a whole number of specifiers");
		return;
	}
	for (uint32_t off = 0; off < len; off += n * 4)
		irq_append(d, ic, v + off, n);
}

/* "interrupts-extended": <phandle cells...> pairs, each to its own controller. */
static void read_interrupts_extended(struct platform *p, const struct fdt *fdt,
				     struct plat_device *d)
{
	uint32_t len, off = 0;
	const uint8_t *v = fdt_prop(fdt, d->fdt_node, "interrupts-extended", &len);

	while (v && len - off >= 4) {
		int ic = irq_controller(p, fdt, d->fdt_node, (uint32_t)fdt_read_cells(v + off, 1), 1);
		uint32_t n = ic == PLAT_NONE ? 0 : ic_cells(p, fdt, d->fdt_node, ic);

		if (n == 0)
			return; /* the next specifier's start is unknown: stop */
		if (len - off - 4 < n * 4) {
			reject(p, fdt, d->fdt_node, "interrupts-extended cut short");
			return;
		}
		irq_append(d, ic, v + off + 4, n);
		off += 4 + n * 4;
	}
	if (v && off != len)
		reject(p, fdt, d->fdt_node, "interrupts-extended cut short");
}

/* The controller @ic's own interrupts go to (cascade), or PLAT_NONE at a root controller. */
static int upstream(const struct platform *p, int ic)
{
	const struct plat_device *d = &p->dev[ic];

	return d->irq_count && d->irq[0].parent != ic ? d->irq[0].parent : PLAT_NONE;
}

/* A cascade that loops (A's interrupts go to B, B's to A) has no root: cut it. */
static void break_cycles(struct platform *p, const struct fdt *fdt)
{
	for (unsigned i = 0; i < p->dev_count; i++) {
		int cur = (int)i;
		unsigned steps = 0;

		if (!p->dev[i].is_intc)
			continue;
		while (cur != PLAT_NONE && steps++ <= p->dev_count)
			cur = upstream(p, cur);
		if (cur == PLAT_NONE)
			continue;
		reject(p, fdt, p->dev[i].fdt_node, "interrupt-parent cycle");
		p->dev[i].irq_count = 0;
	}
}

static void resolve_interrupts(struct platform *p, const struct fdt *fdt)
{
	for (unsigned i = 0; i < p->dev_count; i++) {
		struct plat_device *d = &p->dev[i];

		if (has_prop(fdt, d->fdt_node, "interrupts-extended"))
			read_interrupts_extended(p, fdt, d); /* wins over "interrupts" (spec 2.4.1) */
		else
			read_interrupts(p, fdt, d);
	}
	break_cycles(p, fdt);
}

/*
 * The controller devices route to: the root's interrupt-parent (arm64 boards: the GIC),
 * else the controller most devices' first interrupt goes to (RISC-V virt: the PLIC).
 */
static int find_root_intc(const struct platform *p, const struct fdt *fdt)
{
	int ic = platform_find_phandle(p, u32_or(fdt, fdt_root(fdt), "interrupt-parent", 0));
	unsigned best = 0;

	if (ic != PLAT_NONE && p->dev[ic].is_intc)
		return ic;
	ic = PLAT_NONE;
	for (unsigned c = 0; c < p->dev_count; c++) {
		unsigned users = 0;

		if (!p->dev[c].is_intc)
			continue;
		for (unsigned i = 0; i < p->dev_count; i++)
			users += !p->dev[i].is_intc && p->dev[i].irq_count &&
				 p->dev[i].irq[0].parent == (int)c;
		if (users > best) {
			best = users;
			ic = (int)c;
		}
	}
	return ic;
}

/* ---- Console, timer, PSCI ------------------------------------------------------------------ */

/* "serial0:115200n8": the digits after ':' are the baud rate (chosen.yaml). */
static uint32_t stdout_baud(const struct fdt *fdt)
{
	int chosen = fdt_path(fdt, "/chosen");
	const char *s = chosen < 0 ? NULL : fdt_prop_string(fdt, chosen, "stdout-path");
	uint32_t baud = 0;

	if (!s && chosen >= 0)
		s = fdt_prop_string(fdt, chosen, "linux,stdout-path");
	s = s ? strchr(s, ':') : NULL;
	if (!s)
		return 0;
	for (s++; *s >= '0' && *s <= '9' && baud < 100000000u; s++)
		baud = baud * 10 + (uint32_t)(*s - '0');
	return baud;
}

static void find_console(struct platform *p, const struct fdt *fdt)
{
	int node = fdt_stdout_node(fdt);

	p->console.device = node >= 0 ? platform_find_fdt_node(p, node) : PLAT_NONE;
	p->console.baud = p->console.device != PLAT_NONE ? stdout_baud(fdt) : 0;
}

/*
 * The Arm generic timer node (its clock-frequency is only there when firmware failed to set
 * CNTFRQ), else the RISC-V timer: the time CSR, whose rate is /cpus timebase-frequency.
 */
static void find_timer(struct platform *p, const struct fdt *fdt)
{
	int d = platform_find_compatible(p, PLAT_NONE, "arm,armv8-timer");
	int cpus = fdt_path(fdt, "/cpus");
	uint64_t freq;

	if (d == PLAT_NONE)
		d = platform_find_compatible(p, PLAT_NONE, "arm,armv7-timer");
	if (d != PLAT_NONE) {
		p->timer.kind = "Arm generic timer";
		p->timer.device = d;
		if (prop_u64(fdt, p->dev[d].fdt_node, "clock-frequency", &freq) == 0)
			p->timer.freq = freq;
		return;
	}
	if (cpus < 0)
		return;
	/* The binding puts timebase-frequency in /cpus; some boards put it in each cpu. */
	if (prop_u64(fdt, cpus, "timebase-frequency", &freq) &&
	    (!p->cpu_count || prop_u64(fdt, p->cpu[0].fdt_node, "timebase-frequency", &freq)))
		return;
	p->timer.kind = "RISC-V timer";
	p->timer.device = platform_find_compatible(p, PLAT_NONE, "riscv,timer");
	p->timer.freq = freq;
}

/* PSCI 0.2+ (arm,psci.yaml): "method" says hvc (QEMU at EL1) or smc (secure monitor). */
static void find_psci(struct platform *p, const struct fdt *fdt)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
	const char *method = NULL;

	for (size_t i = 0; i < ARRAY_LEN(compat) && !method; i++) {
		int d = platform_find_compatible(p, PLAT_NONE, compat[i]);

		if (d != PLAT_NONE && p->dev[d].available)
			method = fdt_prop_string(fdt, p->dev[d].fdt_node, "method");
	}
	if (method && !strcmp(method, "hvc"))
		p->psci = PLAT_PSCI_HVC;
	else if (method && !strcmp(method, "smc"))
		p->psci = PLAT_PSCI_SMC;
}

static void reset(struct platform *p)
{
	memset(p, 0, sizeof(*p));
	p->source = "DTB";
	p->root_intc = PLAT_NONE;
	p->console.device = PLAT_NONE;
	p->timer.device = PLAT_NONE;
	raw_count = 0;
}

int platform_from_fdt(struct platform *p, const struct fdt *fdt)
{
	int root = fdt ? fdt_root(fdt) : -EINVAL;
	const char *model;

	reset(p);
	if (root < 0)
		return -EINVAL;
	model = fdt_prop_string(fdt, root, "model");
	if (model)
		strlcpy(p->model, model, sizeof(p->model));
	scan_memory_nodes(p, fdt);
	scan_reserved(p, fdt);
	build_mem(p);
	scan_cpu_intcs(p, fdt);
	scan_devices(p, fdt, root, PLAT_NONE);
	scan_cpus(p, fdt);
	link_cpu_intcs(p, fdt);
	resolve_interrupts(p, fdt);
	p->root_intc = find_root_intc(p, fdt);
	find_console(p, fdt);
	find_timer(p, fdt);
	find_psci(p, fdt);
	return 0;
}
