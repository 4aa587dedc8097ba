// SPDX-License-Identifier: MIT
/* kernel_platform: built once at boot (platform_init), listed (platform_print), looked up. */
#include <kernel/bootinfo.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>
#include <lib/fdt.h>
#include <lib/string.h>

struct platform kernel_platform;

/* Room for the node index: QEMU virt has ~60 nodes, the Pi 4 ~250. More is still correct
 * (the walker takes over), only slower; platform_print() says so. */
#define PLAT_FDT_INDEX_NODES 1024

static struct fdt kernel_fdt;
static bool kernel_fdt_ok;
static struct fdt_index fdt_index;
static struct fdt_index_node fdt_index_nodes[PLAT_FDT_INDEX_NODES];
static int fdt_index_err;

const struct fdt *platform_fdt(void)
{
	return kernel_fdt_ok ? &kernel_fdt : NULL;
}

/*
 * arm64 reports the boot CPU as MPIDR Aff0-2 with Aff3 packed at bit 24 (hal_cpu_id());
 * the DT "reg" has Aff3 at bit 32. An exact match wins, else the low 24 bits.
 */
static void mark_boot_cpu(struct platform *p, cpu_id_t hwid)
{
	struct plat_cpu *loose = NULL;

	for (unsigned i = 0; i < p->cpu_count; i++) {
		if (p->cpu[i].hwid == (uint64_t)hwid) {
			p->cpu[i].is_boot = true;
			return;
		}
		if (!loose && (p->cpu[i].hwid & 0xffffff) == ((uint64_t)hwid & 0xffffff))
			loose = &p->cpu[i];
	}
	if (loose)
		loose->is_boot = true;
}

static bool from_dtb(struct platform *p, const struct boot_info *bi)
{
	const void *dtb = bi->dtb;

	if (!dtb || fdt_init(&kernel_fdt, dtb, fdt_total_size(dtb, BOOT_FDT_MAX_SIZE)))
		return false;
	fdt_index_err = fdt_index_build(&kernel_fdt, &fdt_index, fdt_index_nodes,
					PLAT_FDT_INDEX_NODES);
	if (platform_from_fdt(p, &kernel_fdt))
		return false;
	kernel_fdt_ok = true;
	return true;
}

void platform_init(const struct boot_info *bi)
{
	struct platform *p = &kernel_platform;

	if (from_dtb(p, bi)) {
		mark_boot_cpu(p, bi->boot_cpu);
		return;
	}
	/* No DTB: the PC's tables. A DTB that bootinfo accepted but we cannot read: bootinfo. */
	if (bi->dtb || platform_from_acpi(p, bi))
		platform_from_bootinfo(p, bi);
}

/* ---- Lookups --------------------------------------------------------------------------- */

const char *plat_device_compatible(const struct plat_device *d, unsigned i)
{
	const char *s = d->compatible;
	uint32_t left = d->compatible_len;

	while (s && left > 0) {
		size_t n = strnlen(s, left);

		if (n == left)
			return NULL; /* unterminated tail (the builders refuse one) */
		if (i-- == 0)
			return s;
		s += n + 1;
		left -= (uint32_t)(n + 1);
	}
	return NULL;
}

bool plat_device_is_compatible(const struct plat_device *d, const char *compat)
{
	const char *c;

	for (unsigned i = 0; compat && (c = plat_device_compatible(d, i)); i++)
		if (!strcmp(c, compat))
			return true;
	return false;
}

int platform_find_compatible(const struct platform *p, int after, const char *compat)
{
	for (unsigned i = after < 0 ? 0 : (unsigned)after + 1; i < p->dev_count; i++)
		if (plat_device_is_compatible(&p->dev[i], compat))
			return (int)i;
	return PLAT_NONE;
}

int platform_find_phandle(const struct platform *p, uint32_t phandle)
{
	if (phandle == 0 || phandle == UINT32_MAX)
		return PLAT_NONE; /* never valid (devicetree spec 2.3.3) */
	for (unsigned i = 0; i < p->dev_count; i++)
		if (p->dev[i].phandle == phandle)
			return (int)i;
	return PLAT_NONE;
}

int platform_find_fdt_node(const struct platform *p, int node)
{
	for (unsigned i = 0; node >= 0 && i < p->dev_count; i++)
		if (p->dev[i].fdt_node == node)
			return (int)i;
	return PLAT_NONE;
}

const struct plat_cpu *platform_cpu_by_hwid(const struct platform *p, uint64_t hwid)
{
	for (unsigned i = 0; i < p->cpu_count; i++)
		if (p->cpu[i].hwid == hwid)
			return &p->cpu[i];
	return NULL;
}

const struct plat_cpu *platform_boot_cpu(const struct platform *p)
{
	for (unsigned i = 0; i < p->cpu_count; i++)
		if (p->cpu[i].is_boot)
			return &p->cpu[i];
	return NULL;
}

const char *plat_mem_kind_name(enum plat_mem_kind kind)
{
	switch (kind) {
	case PLAT_MEM_RAM: return "RAM";
	case PLAT_MEM_RESERVED: return "reserved";
	case PLAT_MEM_NOMAP: return "no-map";
	case PLAT_MEM_ACPI: return "ACPI";
	case PLAT_MEM_DEVICE: return "device";
	}
	return "unknown";
}

/* ---- The boot listing ------------------------------------------------------------------ */

static const char *enable_name(const struct plat_cpu *c)
{
	static const char *const names[] = { "none", "psci", "spin-table", "sbi-hsm", "sipi" };

	if (c->enable < sizeof(names) / sizeof(names[0]))
		return names[c->enable];
	return c->method_name ? c->method_name : "unknown";
}

/* "cpus: 4, enable spin-table, hwid 0x0*@0xd8 0x1@0xe0 ..." (* = boot CPU, @ = release) */
static void print_cpus(const struct platform *p)
{
	kprintf("  cpus: %u, enable %s, hwid", p->cpu_count,
		p->cpu_count ? enable_name(&p->cpu[0]) : "-");
	for (unsigned i = 0; i < p->cpu_count && i < 8; i++) {
		const struct plat_cpu *c = &p->cpu[i];

		kprintf(" %#llx%s", (unsigned long long)c->hwid, c->is_boot ? "*" : "");
		if (c->has_release_addr)
			kprintf("@%#llx", (unsigned long long)c->release_addr);
	}
	kprintf("%s", p->cpu_count > 8 ? " ..." : "");
	if (p->cpus_dropped)
		kprintf(", %u more not listed", p->cpus_dropped);
	kprintf("\n");
}

static void print_mem(const struct platform *p)
{
	for (unsigned i = 0; i < p->mem_count; i++) {
		const struct plat_mem *m = &p->mem[i];

		kprintf("  mem: [%#llx-%#llx] %s node %u\n", (unsigned long long)m->base,
			(unsigned long long)(m->base + m->size - 1), plat_mem_kind_name(m->kind),
			m->node);
	}
	if (p->mem_dropped || p->mem_dynamic)
		kprintf("  mem: %u ranges dropped (table full), %u dynamic reservations skipped\n",
			p->mem_dropped, p->mem_dynamic);
}

/* "name (first compatible) base" of device @i, or "none". */
static void print_dev(const struct platform *p, const char *what, int i)
{
	const struct plat_device *d;

	if (i == PLAT_NONE) {
		kprintf("  %s: none", what);
		return;
	}
	d = &p->dev[i];
	kprintf("  %s: %s (%s)", what, d->name ? d->name : "?",
		plat_device_compatible(d, 0) ? plat_device_compatible(d, 0) : "-");
	if (d->reg_count)
		kprintf(" at %#llx", (unsigned long long)d->reg[0].base);
}

static void print_devices(const struct platform *p)
{
	unsigned off = 0, intc = 0;

	for (unsigned i = 0; i < p->dev_count; i++) {
		off += !p->dev[i].available;
		intc += p->dev[i].is_intc;
	}
	kprintf("  devices: %u (%u disabled, %u interrupt controllers)", p->dev_count, off, intc);
	if (p->devs_dropped)
		kprintf(", %u more not listed (table full)", p->devs_dropped);
	if (p->irqs_via_map)
		kprintf(", %u interrupts through interrupt-map not resolved", p->irqs_via_map);
	kprintf("\n");
	print_dev(p, "intc", p->root_intc);
	kprintf("\n");
	print_dev(p, "console", p->console.device);
	if (p->console.baud)
		kprintf(", %u baud", p->console.baud);
	kprintf("\n");
}

static void print_rejected(const struct platform *p)
{
	if (!p->rejected)
		return;
	kprintf("  platform: %u malformed entries left out:", p->rejected);
	for (unsigned i = 0; i < p->rejected && i < PLAT_MAX_NOTES; i++)
		kprintf(" [%s: %s]", p->note[i].where, p->note[i].why);
	kprintf("%s\n", p->rejected > PLAT_MAX_NOTES ? " ..." : "");
}

void platform_print(const struct platform *p)
{
	kprintf("  platform (%s): %s\n", p->source ? p->source : "none",
		p->model[0] ? p->model : "no model");
	if (p == &kernel_platform && kernel_fdt_ok && fdt_index_err)
		kprintf("  platform: device tree not indexed (%d): lookups walk the blob\n",
			fdt_index_err);
	print_cpus(p);
	print_mem(p);
	print_devices(p);
	kprintf("  timer: %s, %llu Hz from firmware tables; psci %s\n",
		p->timer.kind ? p->timer.kind : "none", (unsigned long long)p->timer.freq,
		p->psci == PLAT_PSCI_HVC ? "hvc" : p->psci == PLAT_PSCI_SMC ? "smc" : "none");
	print_rejected(p);
}
