// SPDX-License-Identifier: MIT
/* riscv64 boot in C: boot_info from the DTB, then what hal_early_init() learns from DTB and SBI. */
#include <arch/mmu.h>
#include <arch/riscv.h>
#include <arch/sbi.h>
#include <drivers/test_exit.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <lib/format.h>
#include <lib/string.h>


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

/* True when the string list "riscv,isa-extensions" (newer DTBs) of @cpu names @ext. */
static bool isa_list_has_extension(const struct plat_cpu *cpu, const char *ext)
{
	const char *p = cpu->isa_ext;
	const char *end = p ? p + cpu->isa_ext_len : NULL;

	while (p && p < end) {
		size_t n = strnlen(p, (size_t)(end - p));

		if (n == strlen(ext) && !strncmp(p, ext, n))
			return true;
		p += n + 1;
	}
	return false;
}

/* Timebase and Sstc from the boot hart's entry in kernel_platform (riscv,isa). */
static void probe_cpus(const struct platform *p)
{
	const struct plat_cpu *cpu = platform_boot_cpu(p);

	riscv_timebase_hz = p->timer.freq;
	if (!cpu)
		return;
	riscv_has_sstc = (cpu->isa && riscv_isa_has_extension(cpu->isa, "sstc")) ||
			 isa_list_has_extension(cpu, "sstc");
}

void hal_early_init(const struct boot_info *bi)
{
	const struct fdt *fdt = platform_fdt();

	/* sbi_init() already ran in riscv_boot(): SBI putchar is the pre-console output.
	 * platform_init() read the DTB; the PLIC code (still in arch/) gets its indexed tree. */
	(void)bi;
	if (fdt) {
		riscv_fdt = *fdt;
		riscv_fdt_ok = true;
	}
	probe_cpus(&kernel_platform);
	(void)test_exit_bind(&kernel_platform); /* before anything can end a ktest run */
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
