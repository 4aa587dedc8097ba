// SPDX-License-Identifier: MIT
/* ktest: riscv64 port checks (privilege state, time CSR, self-relocation, SBI). */
#include <arch/csr.h>
#include <arch/riscv.h>
#include <arch/sbi.h>
#include <kernel/bootinfo.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>

#define R_RISCV_RELATIVE 3
#define SBI_VERSION(major, minor) (((unsigned long)(major) << 24) | (minor))

struct elf64_rela {
	uint64_t r_offset, r_info;
	int64_t r_addend;
};

KTEST(riscv_sstatus_sie_follows_irq_save_restore)
{
	/* Reading sstatus at all proves S-mode or above; SIE must track the HAL calls. */
	irqflags_t flags = hal_irq_save();

	KT_EXPECT_EQ(csr_read(sstatus) & SSTATUS_SIE, 0);
	hal_irq_enable(); /* safe: sie (per-source enables) is 0, nothing can be delivered */
	KT_EXPECT(csr_read(sstatus) & SSTATUS_SIE);
	hal_irq_disable();
	KT_EXPECT_EQ(csr_read(sstatus) & SSTATUS_SIE, 0);
	KT_EXPECT_EQ(csr_read(sie), 0);
	hal_irq_restore(flags);
}

KTEST(riscv_time_csr_is_monotonic_with_timebase)
{
	uint64_t a = hal_counter_read(), b;

	for (int i = 0; i < 100; i++)
		(void)hal_counter_read();
	b = hal_counter_read();
	KT_EXPECT(b >= a);
	KT_EXPECT(riscv_timebase_hz > 0);
	KT_EXPECT_EQ(hal_counter_freq(), riscv_timebase_hz);
}

static int reloc_target;
/* volatile keeps the compiler from folding the comparison: the value must come from .data. */
static int *volatile reloc_pointer = &reloc_target;

KTEST(riscv_self_relocation_was_applied)
{
	const struct elf64_rela *r = (const struct elf64_rela *)__rela_start;
	const struct elf64_rela *end = (const struct elf64_rela *)__rela_end;
	unsigned others = 0;

	KT_EXPECT_EQ((uintptr_t)reloc_pointer, (uintptr_t)&reloc_target);
	KT_EXPECT_EQ(kernel_boot_info->kernel_pa, (uintptr_t)__kernel_start);
	/* head.S applies only RELATIVE entries: anything else would be silently skipped. */
	for (; r < end; r++)
		others += r->r_info != R_RISCV_RELATIVE;
	KT_EXPECT_EQ(others, 0);
}

KTEST(riscv_sbi_is_at_least_0_2_with_time)
{
	KT_EXPECT(sbi_info.spec_version >= SBI_VERSION(0, 2));
	KT_EXPECT(sbi_info.has_time);
}

KTEST(riscv_cpu_id_is_the_hart_id_in_tp)
{
	KT_EXPECT(this_hart() == &riscv_boot_hart);
	KT_EXPECT_EQ(hal_cpu_id(), kernel_boot_info->boot_cpu);
}

KTEST(riscv_isa_string_names_whole_extensions_only)
{
	KT_EXPECT(riscv_isa_has_extension("rv64imafdch_zicsr_zifencei_sstc", "sstc"));
	KT_EXPECT(riscv_isa_has_extension("RV64IMAC_Sstc_Zba", "sstc"));
	KT_EXPECT(!riscv_isa_has_extension("rv64imac_sstcx", "sstc"));
	KT_EXPECT(!riscv_isa_has_extension("rv64imac_xsstc", "sstc"));
	KT_EXPECT(!riscv_isa_has_extension("rv64imacsstc", "sstc"));
	KT_EXPECT(!riscv_isa_has_extension("rv64imac_", "sstc"));
}
