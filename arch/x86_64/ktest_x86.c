// SPDX-License-Identifier: MIT
/* In-kernel tests of the x86-64 port: direct map, interrupt flag, TSC, IDT stubs, ACPI. */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/x86.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>
#include <lib/acpi.h>

#define LAPIC_PA 0xFEE00000UL

KTEST(x86_direct_map_translates_kernel_and_mmio)
{
	paddr_t kernel_pa = (uintptr_t)__kernel_start - DIRECT_MAP_BASE;

	KT_EXPECT_EQ(kernel_pa, KERNEL_PHYS_BASE);
	KT_EXPECT(hal_phys_to_virt(kernel_pa) == (void *)__kernel_start);
	KT_EXPECT_EQ((uintptr_t)hal_map_io(LAPIC_PA, 4096), DIRECT_MAP_BASE + LAPIC_PA);
	KT_EXPECT(hal_phys_to_virt(DIRECT_MAP_SIZE) == NULL);
	KT_EXPECT(hal_map_io(DIRECT_MAP_SIZE - 4096, 8192) == NULL);
	KT_EXPECT(hal_map_io(DIRECT_MAP_SIZE - 4096, (size_t)-1) == NULL);
}

KTEST(x86_direct_map_reads_same_memory_as_kernel_address)
{
	static volatile uint64_t probe = 0x6b65656c;
	volatile uint64_t *alias = hal_phys_to_virt((uintptr_t)&probe - DIRECT_MAP_BASE);

	KT_ASSERT(alias != NULL);
	KT_EXPECT_EQ(*alias, 0x6b65656c);
}

KTEST(x86_irq_save_restore_round_trips_if)
{
	irqflags_t outer = hal_irq_save();
	irqflags_t inner;

	KT_EXPECT(!hal_irq_enabled());
	hal_irq_enable();
	KT_EXPECT(hal_irq_enabled());
	inner = hal_irq_save();
	KT_EXPECT(inner & RFLAGS_IF);
	KT_EXPECT(!hal_irq_enabled());
	hal_irq_restore(inner);
	KT_EXPECT(hal_irq_enabled());
	hal_irq_disable();
	hal_irq_restore(outer);
	KT_EXPECT_EQ(hal_irq_enabled(), !!(outer & RFLAGS_IF));
}

KTEST(x86_tsc_is_monotonic_with_known_frequency)
{
	uint64_t freq = hal_counter_freq();
	uint64_t prev = hal_counter_read(), now = prev;

	/* Anything from 100 MHz to 10 GHz is a believable TSC. */
	KT_EXPECT(freq >= 100000000ULL && freq <= 10000000000ULL);
	for (int i = 0; i < 1000; i++) {
		now = hal_counter_read();
		if (!KT_EXPECT(now >= prev))
			break;
		prev = now;
	}
}

KTEST(x86_idt_stubs_are_evenly_spaced)
{
	KT_EXPECT_EQ(x86_vector_stubs_end - x86_vector_stubs, 256 * X86_STUB_SIZE);
}

KTEST(x86_acpi_tables_give_s5)
{
	struct acpi_reader r = { .map = x86_acpi_map };
	struct acpi_s5 s5;

	KT_ASSERT(x86_acpi_rsdp() != 0);
	KT_EXPECT_EQ(acpi_get_s5(&r, x86_acpi_rsdp(), &s5), 0);
	KT_EXPECT(s5.pm1a_cnt != 0);
}

KTEST(x86_send_ipi_is_not_yet_supported)
{
	KT_EXPECT_EQ(hal_send_ipi(hal_cpu_id(), 0xf0), -ENOSYS);
}
