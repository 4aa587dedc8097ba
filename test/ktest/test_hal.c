// SPDX-License-Identifier: MIT
/* ktest: the HAL contract as every port must honour it. */
#include <kernel/bootinfo.h>
#include <kernel/clock.h>
#include <kernel/cpu_index.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/misuse.h>
#include <kernel/pagetable.h>
#include <kernel/percpu.h>
#include <kernel/pmm.h>
#include <kernel/spinlock.h>

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

static void note_fire(struct timer_event *t)
{
	__atomic_store_n((bool *)t->arg, true, __ATOMIC_RELAXED);
}

/* Called masked, hal_cpu_idle() sleeps until an interrupt, has handled it when it returns,
 * and returns masked again (every port: x86 used to return with interrupts on). */
KTEST(hal_cpu_idle_returns_masked_after_the_interrupt)
{
	bool fired = false;
	struct timer_event t = { .fn = note_fire, .arg = &fired };
	irqflags_t flags = hal_irq_save();
	uint64_t timers = this_cpu()->timer_count;
	unsigned sleeps = 0, unmasked = 0;

	KT_ASSERT(timer_arm(&t, 2000000ull) == 0); /* 2 ms */
	/* Other interrupts (a tick, the UART) may end a sleep first: sleep again until ours. */
	while (!__atomic_load_n(&fired, __ATOMIC_RELAXED) && sleeps < 100000) {
		hal_cpu_idle();
		unmasked += hal_irq_enabled();
		sleeps++;
	}
	KT_EXPECT(fired);
	KT_EXPECT_EQ(unmasked, 0);
	KT_EXPECT(!hal_irq_enabled());
	KT_EXPECT(this_cpu()->timer_count > timers); /* the interrupt was taken inside */
	if (!fired)
		timer_cancel(&t);
	hal_irq_restore(flags);
}

/* this_cpu() is read from the port's per-CPU register (the per-arch ktests compare it with
 * GS base / TPIDR_EL1 / tp) and cpu_index() is its index: the boot CPU's block, index 0. */
KTEST(cpu_index_and_this_cpu_agree_with_the_per_cpu_block)
{
	struct per_cpu *pc = this_cpu();

	KT_ASSERT(pc != NULL);
	KT_EXPECT(pc == &per_cpu_data[0]);
	KT_EXPECT(pc->self == pc);
	KT_EXPECT_EQ(cpu_index(), pc->index);
	KT_EXPECT_EQ(cpu_index(), 0);
	KT_EXPECT_EQ(pc->hw_id, hal_cpu_id());
	KT_EXPECT_EQ(cpus_online(), 1);
}

/*
 * Change a kernel mapping behind the TLB's back (a copy of the kernel's table handle whose
 * flush does nothing), then hal_tlb_flush_range_local(): this CPU must now see the new frame.
 */
KTEST(hal_tlb_flush_range_local_makes_a_changed_mapping_visible)
{
	struct pagetable *k = hal_kernel_pagetable();
	struct pagetable quiet;
	struct pt_ops quiet_ops;
	const unsigned rw = PT_READ | PT_WRITE | PT_GLOBAL;
	volatile uint64_t *va;
	uint64_t *a, *b;
	vaddr_t base;
	size_t size;
	paddr_t pa;

	KT_ASSERT(k != NULL);
	hal_kernel_vmap_window(&base, &size);
	va = (volatile uint64_t *)(base + 16 * PAGE_SIZE);
	KT_ASSERT(!pmm_alloc(1, &pa)); /* two frames: A at pa, B at pa + PAGE_SIZE */
	a = hal_phys_to_virt(pa);
	b = hal_phys_to_virt(pa + PAGE_SIZE);
	KT_ASSERT(a && b);
	a[0] = 0xaaaa;
	b[0] = 0xbbbb;
	KT_ASSERT(KT_EXPECT_EQ(pt_map(k, (vaddr_t)va, pa, PAGE_SIZE, rw), 0));
	KT_EXPECT_EQ(va[0], 0xaaaa); /* the TLB now holds va -> A */
	quiet = *k;
	quiet_ops = *k->ops;
	quiet_ops.flush_tlb = NULL;
	quiet.ops = &quiet_ops;
	KT_EXPECT_EQ(pt_unmap(&quiet, (vaddr_t)va, PAGE_SIZE), 0);
	KT_EXPECT_EQ(pt_map(&quiet, (vaddr_t)va, pa + PAGE_SIZE, PAGE_SIZE, rw), 0);
	hal_tlb_flush_range_local(0, (vaddr_t)va, PAGE_SIZE);
	KT_EXPECT_EQ(va[0], 0xbbbb);
	KT_EXPECT_EQ(pt_unmap(k, (vaddr_t)va, PAGE_SIZE), 0);
	KT_EXPECT_EQ(pmm_free(pa, 1), 0);
}

/* Every print takes and releases the console lock. */
KTEST(kprintf_releases_its_lock_after_a_print)
{
	KT_EXPECT(!kprintf_lock_busy());
	kprintf("ktest:   (a line printed under the console lock)\n");
	KT_EXPECT(!kprintf_lock_busy());
	kputs("ktest:   (and one through kputs)\n");
	KT_EXPECT(!kprintf_lock_busy());
}

/* spin_lock_irqsave() masks and records this CPU as owner; the restore gives back exactly
 * the state before, masked or not. */
KTEST(spinlock_irqsave_masks_owns_and_restores)
{
	spinlock_t l = SPINLOCK_INIT;
	irqflags_t outer, f;

	KT_ASSERT(hal_irq_enabled());
	f = spin_lock_irqsave(&l);
	KT_EXPECT(!hal_irq_enabled());
	KT_EXPECT(spin_is_locked(&l));
	KT_EXPECT(spin_holding(&l));
	spin_unlock_irqrestore(&l, f);
	KT_EXPECT(hal_irq_enabled());
	KT_EXPECT(!spin_is_locked(&l));
	KT_EXPECT(!spin_holding(&l));

	outer = hal_irq_save();
	f = spin_lock_irqsave(&l);
	spin_unlock_irqrestore(&l, f);
	KT_EXPECT(!hal_irq_enabled()); /* was masked: stays masked */
	hal_irq_restore(outer);
	KT_EXPECT(spin_trylock(&l));
	KT_EXPECT(!spin_trylock(&l)); /* held: a second try fails */
	spin_unlock(&l);
	KT_EXPECT(!spin_is_locked(&l));
}

/* A lock held by another CPU is not ours; with debug asserts, releasing it (or a lock
 * nobody holds) is refused and reported through misuse_report(), the lock left alone. */
KTEST(spinlock_misuse_is_caught_and_reported)
{
	spinlock_t l = SPINLOCK_INIT;
	uint64_t before = misuse_count(MISUSE_LOCK);

	l.locked = 1;
	/* "Another CPU": the last block, or none at all when there is only ours. */
	l.owner = CONFIG_MAX_CPUS > 1 ? &per_cpu_data[CONFIG_MAX_CPUS - 1] : NULL;
	KT_EXPECT(!spin_holding(&l));
	if (!IS_ENABLED(CONFIG_ENABLE_DEBUG_ASSERTS)) {
		kprintf("ktest:   lock owner checks compiled out (CONFIG_ENABLE_DEBUG_ASSERTS=n): "
			"only holding() checked\n");
		return;
	}
	spin_unlock(&l); /* "another CPU's" lock */
	KT_EXPECT(spin_is_locked(&l));
	KT_EXPECT_EQ(misuse_count(MISUSE_LOCK), before + 1);
	l.locked = 0;
	spin_unlock(&l); /* nobody's */
	KT_EXPECT(!spin_is_locked(&l));
	KT_EXPECT_EQ(misuse_count(MISUSE_LOCK), before + 2);
	spin_lock(&l);
	spin_assert_held(&l);
	spin_unlock(&l);
	KT_EXPECT_EQ(misuse_count(MISUSE_LOCK), before + 2); /* correct use: nothing reported */
}
