// SPDX-License-Identifier: MIT
/*
 * x86-64 interrupt registers the architecture defines: the local APIC (enable, LVTs, EOI,
 * errors) and the HAL calls for the IOAPIC driver. The IOAPICs themselves are board devices:
 * drivers/irqchip/ioapic.c, bound to the "acpi,ioapic" devices of kernel_platform.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/mmio.h>
#include <kernel/platform.h>
#include <lib/acpi.h>

/* ---- Local APIC (SDM vol. 3 chapter 11), xAPIC MMIO or x2APIC MSRs ---- */

#define LAPIC_DEFAULT_PA 0xFEE00000UL
#define LAPIC_MMIO_SIZE  0x1000
#define LAPIC_ID         0x020
#define LAPIC_VERSION    0x030
#define LAPIC_TPR        0x080
#define LAPIC_EOI        0x0B0
#define LAPIC_SVR        0x0F0
#define LAPIC_ESR        0x280
#define LAPIC_LVT_TIMER  0x320
#define LAPIC_LVT_THERMAL 0x330
#define LAPIC_LVT_PERF   0x340
#define LAPIC_LVT_LINT0  0x350
#define LAPIC_LVT_LINT1  0x360
#define LAPIC_LVT_ERROR  0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3E0
#define X2APIC_MSR_BASE  0x800 /* x2APIC register = 0x800 + (xAPIC offset >> 4) */

#define SVR_APIC_ENABLE  (1u << 8)
#define LVT_MASKED       (1u << 16)
#define LVT_DELIVERY_NMI (4u << 8)
#define LVT_ACTIVE_LOW   (1u << 13)
#define LVT_LEVEL        (1u << 15)
#define LVT_TIMER_ONESHOT      (0u << 17)
#define LVT_TIMER_TSC_DEADLINE (2u << 17)
#define TIMER_DIV_16     0x3

static volatile uint8_t *lapic_mmio;
static bool lapic_x2;
static bool lapic_ready;
static uint32_t boot_apic_id;

uint32_t x86_lapic_read(unsigned reg)
{
	if (lapic_x2)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	if (!lapic_mmio)
		return 0;
	return mmio_read32(lapic_mmio + reg);
}

void x86_lapic_write(unsigned reg, uint32_t v)
{
	if (lapic_x2)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
	else if (lapic_mmio)
		mmio_write32(lapic_mmio + reg, v);
}

void x86_lapic_eoi(void)
{
	x86_lapic_write(LAPIC_EOI, 0);
}

void x86_lapic_error_interrupt(void)
{
	uint32_t esr;

	x86_lapic_write(LAPIC_ESR, 0); /* latch the errors seen so far into the readable register */
	esr = x86_lapic_read(LAPIC_ESR);
	kprintf("x86: local APIC error, ESR %#x\n", esr);
	x86_lapic_eoi();
}

/* The LINTn pin setting the MADT's local APIC NMI entries (kernel_platform.acpi_intr) give
 * the CPU with ACPI UID @uid (-1: unknown), else masked. */
static uint32_t lint_lvt(const struct plat_acpi_intr *a, unsigned lint, int64_t uid)
{
	for (unsigned i = 0; a && i < a->nmi_count; i++) {
		const struct plat_acpi_nmi *n = &a->nmi[i];
		bool all = n->uid == ACPI_MADT_NMI_ALL_CPUS || n->uid == ACPI_MADT_X2NMI_ALL_CPUS;

		if (n->lint != lint || (!all && (int64_t)n->uid != uid))
			continue;
		/* NMIs are always edge-triggered; only the polarity comes from the flags. */
		return LVT_DELIVERY_NMI |
		       ((n->flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_POLARITY_LOW ?
				LVT_ACTIVE_LOW : 0);
	}
	return LVT_MASKED;
}

/* @a: the MADT's facts, or NULL to go without (the MSR's address, LINT1 as NMI). */
static int lapic_init(const struct plat_acpi_intr *a)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	paddr_t pa = a && a->lapic_addr ? a->lapic_addr : (base & ~0xfffULL);
	const struct plat_cpu *cpu;
	int64_t uid = -1;

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_x2 = base & APIC_BASE_X2APIC;
	if (!lapic_x2) {
		lapic_mmio = hal_map_io(pa ? pa : LAPIC_DEFAULT_PA, LAPIC_MMIO_SIZE);
		if (!lapic_mmio) {
			kprintf("x86: local APIC at %#llx cannot be mapped\n",
				(unsigned long long)pa);
			return -EINVAL;
		}
	}
	boot_apic_id = lapic_x2 ? x86_lapic_read(LAPIC_ID) : x86_lapic_read(LAPIC_ID) >> 24;
	cpu = platform_cpu_by_hwid(&kernel_platform, boot_apic_id);
	if (cpu && a)
		uid = cpu->acpi_uid;

	x86_lapic_write(LAPIC_TPR, 0);
	x86_lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | X86_VEC_TIMER);
	x86_lapic_write(LAPIC_TIMER_INIT, 0);
	x86_lapic_write(LAPIC_LVT_THERMAL, LVT_MASKED);
	x86_lapic_write(LAPIC_LVT_PERF, LVT_MASKED);
	/* LINT0 is where the (masked) 8259 would deliver ExtINT: keep it masked. */
	x86_lapic_write(LAPIC_LVT_LINT0, a ? lint_lvt(a, 0, uid) : LVT_MASKED);
	x86_lapic_write(LAPIC_LVT_LINT1, a ? lint_lvt(a, 1, uid) : LVT_DELIVERY_NMI);
	x86_lapic_write(LAPIC_LVT_ERROR, X86_VEC_APIC_ERROR);
	x86_lapic_write(LAPIC_ESR, 0);
	x86_lapic_write(LAPIC_ESR, 0);
	x86_lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | X86_VEC_SPURIOUS);
	x86_lapic_eoi(); /* drop anything the firmware left in service */
	lapic_ready = true;
	return 0;
}

/* ---- The HAL ---- */

void hal_irq_init(const struct boot_info *bi)
{
	const struct platform *p = &kernel_platform;
	/* The MADT's facts when platform_acpi.c read a MADT (a LAPIC address is mandatory). */
	const struct plat_acpi_intr *a = p->acpi_intr.lapic_addr ? &p->acpi_intr : NULL;

	(void)bi;
	if (!a)
		kprintf("x86: no ACPI MADT in the platform description; local APIC from its MSR\n");
	/* The 8259s were remapped to X86_VEC_PIC_BASE and masked by hal_early_init(). */
	if (lapic_init(a))
		return;
	kprintf("  interrupts: local APIC %u (%s); IOAPICs are drivers (vectors %#x-%#x)\n",
		(unsigned)boot_apic_id, lapic_x2 ? "x2APIC" : "xAPIC", X86_VEC_IRQ_BASE,
		X86_VEC_IRQ_LIMIT - 1);
}

/* Bring the local APIC up without the MADT (a timer set up before hal_irq_init()). */
int x86_lapic_ensure(void)
{
	return lapic_ready ? 0 : lapic_init(NULL);
}

int hal_lapic_irq_vector(unsigned irq)
{
	if (irq >= X86_VEC_IRQ_LIMIT - X86_VEC_IRQ_BASE)
		return -ERANGE;
	return (int)(X86_VEC_IRQ_BASE + irq);
}

void hal_lapic_eoi(void)
{
	x86_lapic_eoi();
}

int hal_irq_external_enable(void)
{
	/* the local APIC gates external interrupts; RFLAGS.IF is hal_irq_enable() */
	return -ENOSYS;
}

/* No GICv3 on x86. */
int hal_gicv3_cpuif_init(uint8_t pmr)
{
	(void)pmr;
	return -ENOSYS;
}

uint32_t hal_gicv3_cpuif_ack(void)
{
	return 1023; /* "nothing pending" */
}

void hal_gicv3_cpuif_eoi(uint32_t intid)
{
	(void)intid;
}
