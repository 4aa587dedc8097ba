// SPDX-License-Identifier: MIT
/* ktest: the HAL contract as every port must honour it. */
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>

KTEST(hal_irq_save_restore_round_trips)
{
	irqflags_t outer = hal_irq_save();

	KT_EXPECT(!hal_irq_enabled());
	irqflags_t inner = hal_irq_save();
	KT_EXPECT(!hal_irq_enabled());
	hal_irq_restore(inner);
	KT_EXPECT(!hal_irq_enabled()); /* restoring a masked state keeps it masked */
	hal_irq_restore(outer);
	KT_EXPECT_EQ(hal_irq_enabled(), true); /* kernel_main enables interrupts before the tests */
}

KTEST(hal_counter_is_monotonic_with_known_frequency)
{
	uint64_t a = hal_counter_read();
	uint64_t b = 0;

	for (int i = 0; i < 1000; i++)
		b = hal_counter_read();
	KT_EXPECT(b >= a);
	KT_EXPECT(hal_counter_freq() > 0);
}

KTEST(hal_cpu_id_is_the_boot_cpu)
{
	KT_EXPECT_EQ(hal_cpu_id(), kernel_boot_info->boot_cpu);
}

KTEST(hal_send_ipi_reports_missing_smp)
{
	/* Until SMP bring-up, the contract is to refuse loudly rather than pretend. */
	KT_EXPECT_EQ(hal_send_ipi(hal_cpu_id(), 0), -ENOSYS);
}

KTEST(hal_map_io_and_phys_to_virt_agree_on_ram)
{
	const struct boot_info *bi = kernel_boot_info;
	paddr_t pa = 0;

	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == MEM_USABLE && bi->mem[i].size >= 2 * 4096) {
			/* The Pi's RAM starts at 0, which an identity map can only show as NULL. */
			pa = bi->mem[i].base ? bi->mem[i].base : 4096;
			break;
		}
	KT_ASSERT(pa != 0 || bi->mem_count > 0);
	KT_EXPECT(hal_phys_to_virt(pa) != NULL);
	KT_EXPECT(hal_phys_to_virt(bi->kernel_pa) != NULL);
}

/* Port I/O exists only on x86-64, where it reaches the PC serial port's scratch register;
 * elsewhere reads float high and writes go nowhere (hal.h). */
KTEST(hal_pio_reaches_the_io_space_on_x86_only)
{
	const uint16_t scratch = 0x3f8 + 7;
	uint8_t old = hal_pio_read8(scratch);

	hal_pio_write8(scratch, 0x5a);
	KT_EXPECT_EQ(hal_pio_read8(scratch), IS_ENABLED(CONFIG_ARCH_X86_64) ? 0x5a : 0xff);
	hal_pio_write8(scratch, old);
	if (!IS_ENABLED(CONFIG_ARCH_X86_64))
		KT_EXPECT_EQ(hal_pio_read8(0), 0xff);
}
