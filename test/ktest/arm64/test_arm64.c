// SPDX-License-Identifier: MIT
/* ktest: arm64 port checks (EL, counter, DAIF, relocation, vectors, per-CPU, GICv3 CPU interface,
 * timer, faults); the GIC driver's own tests are test/ktest/drivers/test_gic.c. */
#include <arch/arm64.h>
#include <drivers/gic.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <kernel/bootinfo.h>
#include <kernel/clock.h>
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/platform.h>
#include <lib/fdt.h>
#include <lib/string.h>

KTEST(arm64_runs_at_el1)
{
	KT_EXPECT_EQ(CURRENTEL_EL(read_sysreg(CurrentEL)), 1);
	KT_EXPECT_EQ(read_sysreg(sctlr_el1) & SCTLR_EL1_M, SCTLR_EL1_M); /* MMU on */
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
 * R_AARCH64_RELATIVE; only head.S's second relocation pass (for the high address) makes it
 * equal the runtime address, which &target computes PC-relative. volatile stops the
 * compiler folding the load.
 */
static int reloc_target;
static int *volatile reloc_pointer = &reloc_target;

KTEST(arm64_self_relocation_applied)
{
	KT_EXPECT_EQ((uintptr_t)reloc_pointer, (uintptr_t)&reloc_target);
	KT_EXPECT((uintptr_t)__rela_end >= (uintptr_t)__rela_start);
	KT_EXPECT_EQ((uintptr_t)_head, KERNEL_IMAGE_VA);
	KT_EXPECT_EQ(kernel_boot_info->kernel_pa, arm64_kernel_pa);
	KT_EXPECT_EQ(arm64_image_pa(_head), kernel_boot_info->kernel_pa);
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

/* ---- Issue 4: per-CPU data, exceptions, GIC, timer ---- */

KTEST(arm64_tpidr_el1_is_this_cpu)
{
	KT_ASSERT(percpu_ready);
	KT_EXPECT_EQ(read_sysreg(tpidr_el1), (uintptr_t)this_cpu());
	KT_EXPECT_EQ((uintptr_t)this_cpu(), (uintptr_t)&per_cpu_data[0]);
	KT_EXPECT_EQ(this_cpu()->self, this_cpu());
	KT_EXPECT_EQ(this_cpu()->hw_id, hal_cpu_id());
}

KTEST(arm64_vbar_is_the_exception_vectors)
{
	uintptr_t vbar = read_sysreg(vbar_el1);

	KT_EXPECT_EQ(vbar, (uintptr_t)arm64_vectors);
	/* The IRQ (EL1h) slot is a real entry now, not the old panic stub. */
	KT_EXPECT(vbar >= (uintptr_t)__kernel_start && vbar < (uintptr_t)__kernel_end);
}

/* The virtual timer is the third interrupt of the DTB's timer node: PPI 11, INTID 27. */
KTEST(arm64_timer_is_the_virtual_timer_ppi)
{
	const struct fdt *fdt = arm64_fdt();
	uint32_t cells[FDT_MAX_INTERRUPT_CELLS];
	unsigned n, intid;
	bool edge;
	int parent, node;

	KT_ASSERT(fdt != NULL);
	node = fdt_find_compatible(fdt, -1, "arm,armv8-timer");
	KT_ASSERT(node >= 0);
	KT_ASSERT(fdt_interrupt(fdt, node, 2, &parent, cells, &n) == 0);
	KT_ASSERT(gic_device() != NULL);
	KT_EXPECT_EQ(parent, gic_device()->fdt_node);
	KT_EXPECT_EQ(n, 3u);
	KT_ASSERT(gic_decode_specifier(cells, n, &intid, &edge) == 0);
	KT_EXPECT_EQ(intid, 27u);
	KT_EXPECT_EQ(arm64_timer_irq(), intid);
}

struct timer_wait {
	struct timer_event ev;
	volatile bool fired;
	uint64_t fired_at;
};

static void timer_wait_fn(struct timer_event *t)
{
	struct timer_wait *w = (struct timer_wait *)t;

	w->fired_at = hal_counter_read();
	w->fired = true;
}

/* A 2 ms deadline fires through the GIC no earlier than asked and within 500 ms of it
 * (TCG on a loaded host is slow to deliver; the bound catches a dead timer, not jitter). */
KTEST(arm64_virtual_timer_fires_at_deadline)
{
	struct timer_wait w = { .ev = { .fn = timer_wait_fn } };
	uint64_t freq = hal_counter_freq();
	uint64_t start, deadline, before = irq_count(arm64_timer_irq());
	irqflags_t flags = hal_irq_save();

	hal_irq_enable();
	start = hal_counter_read();
	deadline = start + freq / 500;
	KT_ASSERT(timer_arm_at(&w.ev, deadline) == 0);
	/* Poll rather than wfi: an interrupt landing between the check and a wfi would leave
	 * the CPU asleep with nothing left to wake it (tickless), hanging the run. */
	while (!w.fired && hal_counter_read() - start < freq)
		__asm__ __volatile__("isb" ::: "memory");
	if (!w.fired)
		timer_cancel(&w.ev);
	hal_irq_restore(flags);
	KT_ASSERT(w.fired);
	KT_EXPECT(w.fired_at >= deadline);
	KT_EXPECT(w.fired_at - deadline < freq / 2);
	KT_EXPECT(irq_count(arm64_timer_irq()) > before);
}

static void trigger(void *arg)
{
	hal_trigger_fault((int)(uintptr_t)arg);
}

/* Each deliberate fault comes back through fault_handle() with the kind and details the ESR
 * decoding promises, and execution resumes in the probe with interrupts as they were. */
KTEST(arm64_faults_are_decoded_and_resumed)
{
	struct fault_info fi;
	uint64_t daif = read_sysreg(daif);
	uint64_t count = this_cpu()->exception_count;

	KT_EXPECT_EQ(fault_probe_run(trigger, (void *)(uintptr_t)FAULT_BREAKPOINT, &fi), 1);
	KT_EXPECT_EQ(fi.kind, FAULT_BREAKPOINT);
	KT_EXPECT_EQ(fi.code >> 26, 0x3cu);
	KT_EXPECT_EQ(*(const uint32_t *)fi.pc, 0xd4200000u); /* brk #0 */
	KT_EXPECT_EQ(read_sysreg(daif), daif);

	KT_EXPECT_EQ(fault_probe_run(trigger, (void *)(uintptr_t)FAULT_ILLEGAL_INSTRUCTION, &fi),
		     1);
	KT_EXPECT_EQ(fi.kind, FAULT_ILLEGAL_INSTRUCTION);
	KT_EXPECT_EQ(*(const uint32_t *)fi.pc, 0u); /* udf #0 */

	/* MMU on: an unmapped load is a translation fault, with FAR in fault_info.addr. */
	KT_ASSERT(read_sysreg(sctlr_el1) & SCTLR_EL1_M);
	KT_EXPECT_EQ(fault_probe_run(trigger, (void *)(uintptr_t)FAULT_PAGE, &fi), 1);
	KT_EXPECT_EQ(fi.kind, FAULT_PAGE);
	KT_EXPECT(fi.addr_valid);
	KT_EXPECT_EQ(fi.addr, KERNEL_HALF_BASE);
	KT_EXPECT_EQ(fi.code >> 26, 0x25u); /* data abort, same EL */
	KT_EXPECT_EQ(fi.code & 0x3c, 0x04u); /* DFSC: translation fault, some level */

	KT_EXPECT_EQ(hal_trigger_fault(FAULT_ACCESS), -ENOSYS); /* MMU on: ask for FAULT_PAGE */
	KT_EXPECT_EQ(hal_trigger_fault(FAULT_ALIGNMENT), -ENOSYS);
	KT_EXPECT_EQ(this_cpu()->exception_count, count + 3);
	KT_EXPECT_EQ(read_sysreg(daif), daif);
	KT_EXPECT(fi.frame != NULL);
	KT_EXPECT(fi.sp != 0 && fi.sp % 16 == 0);
}

static struct hal_jmpbuf jb;

static __attribute__((noinline)) void jump_back(void)
{
	hal_longjmp(&jb);
}

KTEST(arm64_setjmp_longjmp_restore_daif)
{
	volatile int passes = 0;
	irqflags_t flags = hal_irq_save(); /* saved with I and F masked */

	if (hal_setjmp(&jb) == 0) {
		passes++;
		hal_irq_enable();
		jump_back();
	}
	passes++;
	KT_EXPECT_EQ(passes, 2);
	KT_EXPECT(!hal_irq_enabled());
	hal_irq_restore(flags);
}

/* One unwind step from our own frame lands in the ktest runner, never faulting after. */
KTEST(arm64_unwind_walks_frame_records)
{
	uintptr_t fp = hal_current_fp(), pc = 0;
	unsigned depth = 0;

	KT_EXPECT_EQ(fp, (uintptr_t)__builtin_frame_address(0));
	KT_ASSERT(hal_unwind(&fp, &pc));
	KT_EXPECT(pc >= (uintptr_t)__kernel_start && pc < (uintptr_t)__kernel_end);
	while (depth < 64 && hal_unwind(&fp, &pc))
		depth++;
	KT_EXPECT(depth > 0 && depth < 64);
	fp = 0x10; /* nonsense frame pointers stop the walk */
	KT_EXPECT(!hal_unwind(&fp, &pc));
	fp = (uintptr_t)__kernel_start + 4;
	KT_EXPECT(!hal_unwind(&fp, &pc));
}
