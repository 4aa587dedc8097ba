// SPDX-License-Identifier: MIT
/* riscv64 boot in C: boot_info from the DTB, then what hal_early_init() learns from DTB and SBI. */
#include <arch/mmu.h>
#include <arch/riscv.h>
#include <arch/sbi.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/percpu.h>
#include <lib/format.h>
#include <lib/string.h>

#define DTB_HEADER_SIZE 40          /* devicetree spec 5.2: ten big-endian u32 fields */
#define DTB_MAX_SIZE    (2u << 20)  /* sanity bound on a DTB we are asked to trust */

struct fdt riscv_fdt;
bool riscv_fdt_ok;
bool riscv_has_sstc;

static struct boot_info boot_info;

static const char *firmware_name(bool have_dtb)
{
	if (!have_dtb)
		return "none (no usable DTB)";
	return sbi_info.impl_id == SBI_IMPL_OPENSBI ? "DTB via OpenSBI" : "DTB via SBI";
}

/*
 * C entry from head.S on the boot hart: relocated, .bss clear, stack, tp and stvec set, and
 * (unless riscv_mmu_early() said no) running at the high address with the boot page tables.
 * Fill the portable boot_info and hand over to kernel_main().
 */
noreturn void riscv_boot(unsigned long hartid, unsigned long dtb_pa)
{
	struct boot_info *bi = &boot_info;
	bool have_dtb = false;

	/* Nothing runs at the physical address any more: drop the boot identity map. */
	riscv_mmu_after_switch();
	/* tp already points at per_cpu_data[0] (head.S): make hal_cpu_id() and the trap
	 * entry's stack checks work before anything else can trap. */
	riscv_percpu_setup(&per_cpu_data[0], hartid);
	/* Before the console is up, SBI putchar is the only output: probe it first. */
	sbi_init();

	if (dtb_pa)
		have_dtb = bootinfo_from_fdt(bi, hal_phys_to_virt(dtb_pa), dtb_pa) == 0;
	bi->firmware = firmware_name(have_dtb);
	if (!bi->model[0])
		strlcpy(bi->model, CONFIG_BOARD, sizeof(bi->model));
	bi->kernel_pa = riscv_kernel_pa;
	bi->boot_cpu = (cpu_id_t)hartid;
	kernel_main(bi);
}

/* A property holding one number of 1 or 2 cells (timebase-frequency may be either). */
static bool dt_number(const struct fdt *fdt, int node, const char *name, uint64_t *out)
{
	uint32_t len;
	const void *p = fdt_prop(fdt, node, name, &len);

	if (!p || (len != 4 && len != 8))
		return false;
	*out = fdt_read_cells(p, len / 4);
	return true;
}

/* The /cpus child for @hartid: its "reg" is the hart id in #address-cells of /cpus. */
int riscv_find_cpu_node(const struct fdt *fdt, unsigned long hartid)
{
	int cpus = fdt_path(fdt, "/cpus");
	uint32_t cells;

	if (cpus < 0)
		return cpus;
	cells = fdt_address_cells(fdt, cpus);

	if (cells != 1 && cells != 2)
		return -EINVAL;
	for (int node = fdt_first_child(fdt, cpus); node >= 0; node = fdt_next_sibling(fdt, node)) {
		uint32_t len;
		const void *reg = fdt_prop(fdt, node, "reg", &len);

		if (reg && len >= cells * 4 && fdt_read_cells(reg, cells) == hartid)
			return node;
	}
	return -ENOENT;
}

/* True when the token at @tok is @ext (@n chars), ignoring case: riscv,isa is case-insensitive. */
static bool isa_token_is(const char *tok, const char *ext, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((tok[i] | 0x20) != ext[i]) /* | 0x20 lower-cases letters, keeps digits */
			return false;
	return tok[n] == '_' || tok[n] == '\0';
}

bool riscv_isa_has_extension(const char *isa, const char *ext)
{
	size_t n = strlen(ext);

	/* The first token is the base and the single-letter extensions; multi-letter ones
	 * follow, each after a '_' (ISA manual, "ISA Extension Naming Conventions"). */
	for (const char *p = strchr(isa, '_'); p; p = strchr(p, '_')) {
		p++;
		if (isa_token_is(p, ext, n))
			return true;
	}
	return false;
}

/* True when the string list "riscv,isa-extensions" (newer DTBs) names @ext. */
static bool isa_list_has_extension(const struct fdt *fdt, int cpu, const char *ext)
{
	uint32_t len;
	const char *p = fdt_prop(fdt, cpu, "riscv,isa-extensions", &len);
	const char *end = p ? p + len : NULL;

	while (p && p < end) {
		size_t n = strnlen(p, (size_t)(end - p));

		if (n == strlen(ext) && !strncmp(p, ext, n))
			return true;
		p += n + 1;
	}
	return false;
}

static void probe_cpus(const struct fdt *fdt, unsigned long hartid)
{
	int cpus = fdt_path(fdt, "/cpus");
	int cpu;
	uint64_t hz = 0;
	const char *isa;

	if (cpus < 0)
		return;
	cpu = riscv_find_cpu_node(fdt, hartid);
	/* The binding puts timebase-frequency in /cpus; some boards put it in each cpu. */
	if (!dt_number(fdt, cpus, "timebase-frequency", &hz) && cpu >= 0)
		dt_number(fdt, cpu, "timebase-frequency", &hz);
	riscv_timebase_hz = hz;
	if (cpu < 0)
		return;
	isa = fdt_prop_string(fdt, cpu, "riscv,isa");
	riscv_has_sstc = (isa && riscv_isa_has_extension(isa, "sstc")) ||
			 isa_list_has_extension(fdt, cpu, "sstc");
}

void hal_early_init(const struct boot_info *bi)
{
	const void *dtb = bi->dtb;
	uint32_t size;

	/* sbi_init() already ran in riscv_boot(): SBI putchar is the pre-console output. */
	if (!dtb)
		return;
	size = fdt_total_size(dtb, DTB_HEADER_SIZE);
	if (!size || size > DTB_MAX_SIZE || fdt_init(&riscv_fdt, dtb, size) != 0)
		return;
	riscv_fdt_ok = true;
	probe_cpus(&riscv_fdt, hal_cpu_id());
	riscv_power_probe(&riscv_fdt);
}

static const char *sbi_impl_name(unsigned long id)
{
	/* SBI spec 4.9, implementation ids. */
	static const char *const names[] = {
		"BBL", "OpenSBI", "Xvisor", "KVM", "RustSBI", "Diosix", "Coffer",
	};

	return id < ARRAY_SIZE(names) ? names[id] : NULL;
}

const char *hal_boot_mode(void)
{
	static char buf[64];
	unsigned long spec = sbi_info.spec_version;
	const char *impl = sbi_impl_name(sbi_info.impl_id);

	if (spec == 1)
		return "S-mode (legacy SBI 0.1)";
	if (impl && sbi_info.impl_id == SBI_IMPL_OPENSBI)
		/* OpenSBI encodes its version as major << 16 | minor. */
		ksnprintf(buf, sizeof(buf), "S-mode (SBI %lu.%lu, OpenSBI %lu.%lu)",
			  SBI_SPEC_MAJOR(spec), SBI_SPEC_MINOR(spec),
			  sbi_info.impl_version >> 16, sbi_info.impl_version & 0xffff);
	else if (impl)
		ksnprintf(buf, sizeof(buf), "S-mode (SBI %lu.%lu, %s %#lx)",
			  SBI_SPEC_MAJOR(spec), SBI_SPEC_MINOR(spec), impl, sbi_info.impl_version);
	else
		ksnprintf(buf, sizeof(buf), "S-mode (SBI %lu.%lu, impl %lu version %#lx)",
			  SBI_SPEC_MAJOR(spec), SBI_SPEC_MINOR(spec), sbi_info.impl_id,
			  sbi_info.impl_version);
	return buf;
}
