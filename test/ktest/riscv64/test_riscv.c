// SPDX-License-Identifier: MIT
/* ktest: riscv64 port checks (privilege state, time CSR, self-relocation, SBI, per-CPU data in
 * tp, trap entry, timer mode, fault codes, unwinding); the PLIC driver's tests are
 * test/ktest/drivers/test_plic.c. */
#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/riscv.h>
#include <arch/sbi.h>
#include <drivers/plic.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/clock.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <lib/string.h>

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
	hal_irq_enable(); /* whatever is pending now is handled, as it would be anyway */
	KT_EXPECT(csr_read(sstatus) & SSTATUS_SIE);
	hal_irq_disable();
	KT_EXPECT_EQ(csr_read(sstatus) & SSTATUS_SIE, 0);
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
	KT_EXPECT_EQ(kernel_boot_info->kernel_pa, riscv_kernel_pa);
	/* Relocated twice: for the load address, then for the high address paging runs it at. */
	if (riscv_mmu_kernel_satp())
		KT_EXPECT_EQ((uintptr_t)__kernel_start, riscv_layout.image_va);
	else
		KT_EXPECT_EQ((uintptr_t)__kernel_start, riscv_kernel_pa);
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

KTEST(riscv_tp_is_this_cpu_and_holds_the_hart_id)
{
	struct per_cpu *pc = this_cpu();

	KT_EXPECT(riscv_tp() == pc);
	KT_EXPECT(pc >= per_cpu_data && pc < per_cpu_data + CONFIG_MAX_CPUS);
	KT_EXPECT_EQ(hal_cpu_id(), kernel_boot_info->boot_cpu);
	KT_EXPECT_EQ(pc->arch[PCA_HARTID], kernel_boot_info->boot_cpu);
	if (percpu_ready) {
		KT_EXPECT(pc->self == pc);
		KT_EXPECT_EQ(pc->hw_id, hal_cpu_id());
	}
	/* The trap entry's stack bounds: we run on the boot stack, inside them. */
	KT_EXPECT(pc->arch[PCA_STACK_LO] < (uintptr_t)&pc && (uintptr_t)&pc < pc->arch[PCA_STACK_HI]);
	KT_EXPECT_EQ(pc->arch[PCA_TRAP_STACK_HI] - pc->arch[PCA_TRAP_STACK_LO], TRAP_STACK_SIZE);
}

KTEST(riscv_stvec_points_at_the_trap_entry)
{
	/* Direct mode (low bits 0): every trap enters riscv_trap_entry. */
	KT_EXPECT_EQ(csr_read(stvec), (uintptr_t)riscv_trap_entry);
}

/* The PLIC driver bound (test/ktest/drivers/test_plic.c) had the port let the hart take its
 * external interrupt (hal_irq_external_enable()). */
KTEST(riscv_plic_bound_enables_supervisor_external_interrupts)
{
	KT_ASSERT(plic_context() >= 0);
	KT_EXPECT(csr_read(sie) & SIE_SEIE);
}

struct timer_probe {
	struct timer_event ev;
	volatile uint64_t fired_at;
};

static void timer_probe_fn(struct timer_event *t)
{
	struct timer_probe *p = container_of(t, struct timer_probe, ev);

	p->fired_at = hal_counter_read();
}

/* Lateness tolerated under TCG on a loaded shared host (typically < 1 ms). */
#define TIMER_TOLERANCE_NS 500000000ULL /* catches a broken timer, not TCG jitter */

KTEST(riscv_timer_mode_is_reported_and_fires)
{
	const char *mode = riscv_timer_mode();
	struct timer_probe p = { .ev = { .fn = timer_probe_fn }, .fired_at = 0 };
	uint64_t freq = hal_counter_freq(), start, deadline, limit;
	irqflags_t flags;

	KT_ASSERT(mode != NULL);
	kprintf("    timer mode: %s (DTB %s Sstc)\n", mode, riscv_has_sstc ? "lists" : "does not list");
	if (!strcmp(mode, "Sstc"))
		KT_EXPECT(riscv_has_sstc);
	KT_EXPECT(csr_read(sie) & SIE_STIE);
	KT_ASSERT(freq > 0);
	start = hal_counter_read();
	deadline = start + freq / 500; /* 2 ms */
	limit = deadline + freq; /* give up after a second */
	KT_ASSERT(timer_arm_at(&p.ev, deadline) == 0);
	flags = hal_irq_save();
	hal_irq_enable();
	/* Poll rather than wfi: an interrupt landing between the check and a wfi would leave
	 * the hart asleep with nothing left to wake it (tickless), hanging the run. */
	while (!p.fired_at && hal_counter_read() < limit)
		__asm__ __volatile__("" ::: "memory");
	hal_irq_restore(flags);
	if (!p.fired_at)
		timer_cancel(&p.ev);
	KT_ASSERT(p.fired_at != 0);
	KT_EXPECT(p.fired_at >= deadline);
	KT_EXPECT((p.fired_at - deadline) * 1000000000ULL / freq < TIMER_TOLERANCE_NS);
	kprintf("    fired %llu ticks after the deadline\n",
		(unsigned long long)(p.fired_at - deadline));
}

KTEST(riscv_software_interrupt_is_taken_and_cleared)
{
	struct per_cpu *pc = this_cpu();
	uintptr_t before = pc->arch[PCA_SOFT_IRQS];
	irqflags_t flags = hal_irq_save();

	KT_ASSERT(csr_read(sie) & SIE_SSIE);
	csr_set(sip, SIP_SSIP); /* S-mode may raise its own software interrupt */
	hal_irq_enable();
	for (int i = 0; i < 1000 && pc->arch[PCA_SOFT_IRQS] == before; i++)
		__asm__ __volatile__("nop");
	hal_irq_restore(flags);
	KT_EXPECT_EQ(pc->arch[PCA_SOFT_IRQS], before + 1);
	KT_EXPECT_EQ(csr_read(sip) & SIP_SSIP, 0);
}

static void trigger(void *arg)
{
	(void)hal_trigger_fault((int)(uintptr_t)arg);
}

KTEST(riscv_faults_report_scause_and_stval)
{
	struct fault_info fi;
	bool irqs_on = hal_irq_enabled();

	KT_ASSERT(fault_probe_run(trigger, (void *)(uintptr_t)FAULT_BREAKPOINT, &fi) == 1);
	KT_EXPECT_EQ(fi.kind, FAULT_BREAKPOINT);
	KT_EXPECT_EQ(fi.code, EXC_BREAKPOINT);
	KT_EXPECT((uintptr_t)fi.pc >= (uintptr_t)hal_trigger_fault);
	KT_ASSERT(fault_probe_run(trigger, (void *)(uintptr_t)FAULT_ILLEGAL_INSTRUCTION, &fi) == 1);
	KT_EXPECT_EQ(fi.kind, FAULT_ILLEGAL_INSTRUCTION);
	KT_EXPECT_EQ(fi.code, EXC_ILLEGAL_INST);
	KT_ASSERT(fault_probe_run(trigger, (void *)(uintptr_t)FAULT_ACCESS, &fi) == 1);
	KT_EXPECT_EQ(fi.kind, FAULT_ACCESS);
	KT_EXPECT_EQ(fi.code, EXC_LOAD_ACCESS);
	KT_EXPECT(fi.addr_valid);
	KT_EXPECT_EQ(fi.addr, riscv_access_fault_addr()); /* stval: the virtual address */
	if (riscv_mmu_kernel_satp()) {
		KT_ASSERT(fault_probe_run(trigger, (void *)(uintptr_t)FAULT_PAGE, &fi) == 1);
		KT_EXPECT_EQ(fi.kind, FAULT_PAGE);
		KT_EXPECT_EQ(fi.code, EXC_LOAD_PAGE);
		KT_EXPECT(fi.addr_valid);
		KT_EXPECT_EQ(fi.addr, riscv_layout.khalf);
	} else {
		KT_EXPECT_EQ(hal_trigger_fault(FAULT_PAGE), -ENOSYS); /* satp = Bare */
	}
	/* The probe resumed with interrupts as they were before it. */
	KT_EXPECT_EQ(hal_irq_enabled(), irqs_on);
}

/* Fault with sp 32 bytes above the bottom of the kernel stack: no room for a frame there. */
static void fault_on_exhausted_stack(void *arg)
{
	uintptr_t sp = this_cpu()->arch[PCA_STACK_LO] + 32;

	(void)arg;
	__asm__ __volatile__("mv t0, sp\n\tmv sp, %0\n\tebreak\n\tmv sp, t0"
			     :: "r"(sp) : "t0", "memory");
}

KTEST(riscv_stack_overflow_traps_onto_the_trap_stack)
{
	const struct per_cpu *pc = this_cpu();
	struct fault_info fi;
	uintptr_t frame;

	KT_ASSERT(pc->arch[PCA_STACK_LO] != 0);
	KT_ASSERT(fault_probe_run(fault_on_exhausted_stack, NULL, &fi) == 1);
	frame = (uintptr_t)fi.frame;
	KT_EXPECT_EQ(fi.kind, FAULT_BREAKPOINT);
	KT_EXPECT_EQ(fi.sp, pc->arch[PCA_STACK_LO] + 32);
	KT_EXPECT(frame >= pc->arch[PCA_TRAP_STACK_LO] && frame < pc->arch[PCA_TRAP_STACK_HI]);
}

KTEST(riscv_unwind_walks_frames_and_rejects_bad_pointers)
{
	uintptr_t fp = hal_current_fp(), pc = 0, off = 0;
	uintptr_t bad[] = { 0, 8, 1UL << 55, (uintptr_t)__kernel_start + 4 };

	KT_ASSERT(hal_unwind(&fp, &pc));
	/* Our return address: inside the ktest runner, which the symbol table names. */
	KT_EXPECT(pc > (uintptr_t)__kernel_start && pc < (uintptr_t)__kernel_end);
	KT_EXPECT(ksym_lookup(pc - 1, &off) != NULL);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		uintptr_t f = bad[i], p = 0;

		KT_EXPECT(!hal_unwind(&f, &p));
	}
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
