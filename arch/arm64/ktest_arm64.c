// SPDX-License-Identifier: MIT
/* ktest: arm64 port checks (exception level, counter, DAIF, self-relocation, vectors). */
#include <arch/arm64.h>
#include <arch/sysreg.h>
#include <kernel/bootinfo.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>
#include <lib/fdt.h>

KTEST(arm64_runs_at_el1)
{
	KT_EXPECT_EQ(CURRENTEL_EL(read_sysreg(CurrentEL)), 1);
	/* The MMU stays off until the memory-management issue. */
	KT_EXPECT_EQ(read_sysreg(sctlr_el1) & 1, 0);
}

KTEST(arm64_counter_advances_at_cntfrq)
{
	uint64_t a = hal_counter_read();
	uint64_t b;

	KT_EXPECT(hal_counter_freq() != 0);
	KT_EXPECT_EQ(hal_counter_freq(), read_sysreg(cntfrq_el0) & 0xffffffffu);
	do
		b = hal_counter_read();
	while (b == a);
	KT_EXPECT(b > a);
}

KTEST(arm64_daif_save_restore_round_trips)
{
	uint64_t before = read_sysreg(daif);
	irqflags_t flags = hal_irq_save();

	KT_EXPECT(read_sysreg(daif) & DAIF_I);
	KT_EXPECT(read_sysreg(daif) & DAIF_F);
	hal_irq_restore(flags);
	KT_EXPECT_EQ(read_sysreg(daif), before);
}

/*
 * The pointer lives in .data and was written by the linker as link address (0-based) plus
 * R_AARCH64_RELATIVE; only head.S's relocation loop makes it equal the runtime address,
 * which &target computes PC-relative. volatile stops the compiler folding the load.
 */
static int reloc_target;
static int *volatile reloc_pointer = &reloc_target;

KTEST(arm64_self_relocation_applied)
{
	KT_EXPECT_EQ((uintptr_t)reloc_pointer, (uintptr_t)&reloc_target);
	KT_EXPECT((uintptr_t)__rela_end >= (uintptr_t)__rela_start);
	KT_EXPECT_EQ(kernel_boot_info->kernel_pa, (uintptr_t)_head);
	KT_EXPECT(kernel_boot_info->kernel_pa % 4096 == 0);
}

KTEST(arm64_vectors_installed)
{
	KT_EXPECT_EQ(read_sysreg(vbar_el1), (uintptr_t)arm64_vectors);
	KT_EXPECT_EQ((uintptr_t)arm64_vectors % 2048, 0);
}

/*
 * The CPU's GICv3 system-register interface (ID_AA64PFR0_EL1.GIC) must agree with the
 * DTB's interrupt controller, and after an EL2 entry head.S must have let EL1 use it:
 * reading ICC_SRE_EL1 would otherwise trap to EL2, where nothing handles it. (QEMU 7.2
 * makes ICC_SRE_EL2.{SRE,Enable} read-as-one, so there only the DTB check has teeth.)
 */
KTEST(arm64_gicv3_sysregs_match_dtb_and_are_reachable)
{
	bool cpu_v3 = (read_sysreg(id_aa64pfr0_el1) >> ID_AA64PFR0_GIC_SHIFT) & 0xf;
	const struct fdt *fdt = arm64_fdt();

	KT_ASSERT(fdt != NULL);
	KT_EXPECT_EQ(cpu_v3, fdt_find_compatible(fdt, -1, "arm,gic-v3") >= 0);
	if (cpu_v3)
		KT_EXPECT(read_sysreg(icc_sre_el1) & 1); /* SRE: system registers in use */
}
