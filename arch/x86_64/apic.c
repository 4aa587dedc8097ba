// SPDX-License-Identifier: MIT
/* x86-64 local APIC (enable, EOI, errors) and the IOAPICs found through the ACPI MADT as the irq_chip. */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/bootinfo.h>
#include <kernel/clock.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/mmio.h>
#include <kernel/percpu.h>
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

/* The LINTn pin setting the MADT's local APIC NMI entries give this CPU, else masked. */
static uint32_t lint_lvt(const struct acpi_madt *m, unsigned lint, int64_t uid)
{
	for (unsigned i = 0; m && i < m->nr_nmis; i++) {
		const struct acpi_madt_nmi *n = &m->nmis[i];
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

static int lapic_init(const struct acpi_madt *m)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	paddr_t pa = m ? m->lapic_addr : (base & ~0xfffULL);
	int64_t uid = -1;

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_x2 = base & APIC_BASE_X2APIC;
	if (!lapic_x2) {
		lapic_mmio = hal_map_io(pa ? pa : LAPIC_DEFAULT_PA, LAPIC_MMIO_SIZE);
		if (!lapic_mmio) {
			kprintf("x86: local APIC at %#llx is outside the boot mapping\n",
				(unsigned long long)pa);
			return -EINVAL;
		}
	}
	boot_apic_id = lapic_x2 ? x86_lapic_read(LAPIC_ID) : x86_lapic_read(LAPIC_ID) >> 24;
	for (unsigned i = 0; m && i < m->nr_cpus; i++)
		if (m->cpus[i].apic_id == boot_apic_id)
			uid = m->cpus[i].uid;

	x86_lapic_write(LAPIC_TPR, 0);
	x86_lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | X86_VEC_TIMER);
	x86_lapic_write(LAPIC_TIMER_INIT, 0);
	x86_lapic_write(LAPIC_LVT_THERMAL, LVT_MASKED);
	x86_lapic_write(LAPIC_LVT_PERF, LVT_MASKED);
	/* LINT0 is where the (masked) 8259 would deliver ExtINT: keep it masked. */
	x86_lapic_write(LAPIC_LVT_LINT0, m ? lint_lvt(m, 0, uid) : LVT_MASKED);
	x86_lapic_write(LAPIC_LVT_LINT1, m ? lint_lvt(m, 1, uid) : LVT_DELIVERY_NMI);
	x86_lapic_write(LAPIC_LVT_ERROR, X86_VEC_APIC_ERROR);
	x86_lapic_write(LAPIC_ESR, 0);
	x86_lapic_write(LAPIC_ESR, 0);
	x86_lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | X86_VEC_SPURIOUS);
	x86_lapic_eoi(); /* drop anything the firmware left in service */
	lapic_ready = true;
	return 0;
}

/* ---- IOAPIC (82093AA data sheet) ---- */

#define IOAPIC_DEFAULT_PA 0xFEC00000UL
#define IOAPIC_MMIO_SIZE 0x20
#define IOREGSEL         0x00
#define IOWIN            0x10
#define IOAPIC_REG_VER   0x01
#define IOAPIC_REG_RTE   0x10 /* entry n: 0x10 + 2n (low), 0x11 + 2n (high) */

#define RTE_ACTIVE_LOW   (1ULL << 13)
#define RTE_LEVEL        (1ULL << 15)
#define RTE_MASKED       (1ULL << 16)
#define RTE_DEST_SHIFT   56

#define MAX_GSIS (X86_VEC_IRQ_LIMIT - X86_VEC_IRQ_BASE)

struct ioapic {
	volatile uint8_t *mmio;
	uint32_t gsi_base;
	unsigned nr_pins;
};

static struct ioapic ioapics[ACPI_MADT_MAX_IOAPICS];
static unsigned nr_ioapics;
static unsigned nr_gsis;
static uint8_t gsi_enabled[MAX_GSIS];
static struct acpi_madt madt;
static bool have_madt;

static uint32_t ioapic_read(const struct ioapic *io, uint32_t reg)
{
	mmio_write32(io->mmio + IOREGSEL, reg);
	return mmio_read32(io->mmio + IOWIN);
}

static void ioapic_write(const struct ioapic *io, uint32_t reg, uint32_t v)
{
	mmio_write32(io->mmio + IOREGSEL, reg);
	mmio_write32(io->mmio + IOWIN, v);
}

static const struct ioapic *gsi_ioapic(unsigned gsi, unsigned *pin)
{
	for (unsigned i = 0; i < nr_ioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

static uint64_t rte_read(const struct ioapic *io, unsigned pin)
{
	uint32_t lo = ioapic_read(io, IOAPIC_REG_RTE + 2 * pin);
	uint32_t hi = ioapic_read(io, IOAPIC_REG_RTE + 2 * pin + 1);

	return ((uint64_t)hi << 32) | lo;
}

/* Write the high half first while masked, so the entry never fires half-written. */
static void rte_write(const struct ioapic *io, unsigned pin, uint64_t rte)
{
	ioapic_write(io, IOAPIC_REG_RTE + 2 * pin, (uint32_t)rte | (uint32_t)RTE_MASKED);
	ioapic_write(io, IOAPIC_REG_RTE + 2 * pin + 1, (uint32_t)(rte >> 32));
	if (!(rte & RTE_MASKED))
		ioapic_write(io, IOAPIC_REG_RTE + 2 * pin, (uint32_t)rte);
}

/* Polarity and trigger of @gsi: ISA defaults (edge, high) below 16, PCI (level, low) above,
 * or what an interrupt source override says about the ISA IRQ routed to it. */
static uint64_t gsi_mode(unsigned gsi)
{
	uint16_t flags = gsi < 16 ? ACPI_INTI_POLARITY_HIGH | ACPI_INTI_TRIGGER_EDGE
				  : ACPI_INTI_POLARITY_LOW | ACPI_INTI_TRIGGER_LEVEL;
	uint64_t mode = 0;

	for (unsigned i = 0; have_madt && i < madt.nr_overrides; i++) {
		if (madt.overrides[i].gsi == gsi) {
			(void)acpi_madt_isa_gsi(&madt, madt.overrides[i].isa_irq, &flags);
			break;
		}
	}
	if ((flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_POLARITY_LOW)
		mode |= RTE_ACTIVE_LOW;
	if ((flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_TRIGGER_LEVEL)
		mode |= RTE_LEVEL;
	return mode;
}

static void ioapic_set_mask(unsigned gsi, bool masked)
{
	const struct ioapic *io;
	unsigned pin;
	uint64_t rte;

	io = gsi_ioapic(gsi, &pin);
	if (!io || gsi >= nr_gsis)
		return;
	rte = rte_read(io, pin);
	rte = masked ? rte | RTE_MASKED : rte & ~RTE_MASKED;
	rte_write(io, pin, rte);
	gsi_enabled[gsi] = !masked;
}

static void ioapic_enable(unsigned gsi)
{
	ioapic_set_mask(gsi, false);
}

static void ioapic_disable(unsigned gsi)
{
	ioapic_set_mask(gsi, true);
}

/* The vector, and so the priority class, is fixed at 0x20 + GSI. */
static int ioapic_set_priority(unsigned gsi, unsigned prio)
{
	return -EINVAL;
}

static int ioapic_route(unsigned gsi, cpu_id_t cpu)
{
	const struct ioapic *io;
	unsigned pin;
	uint64_t rte;

	io = gsi_ioapic(gsi, &pin);
	if (!io || gsi >= nr_gsis || cpu > 0xff) /* physical destination: 8-bit APIC id */
		return -EINVAL;
	rte = rte_read(io, pin) & ~(0xffULL << RTE_DEST_SHIFT);
	rte_write(io, pin, rte | ((uint64_t)cpu << RTE_DEST_SHIFT));
	return 0;
}

static void ioapic_eoi(unsigned gsi)
{
	x86_lapic_eoi(); /* level-triggered entries are cleared by the broadcast EOI */
}

static struct irq_chip ioapic_chip = {
	.name = "ioapic",
	.enable = ioapic_enable,
	.disable = ioapic_disable,
	.set_priority = ioapic_set_priority,
	.route = ioapic_route,
	.ack = NULL, /* the vector names the GSI: traps.c calls irq_handle() */
	.eoi = ioapic_eoi,
};

static void ioapic_add(uint32_t pa, uint32_t gsi_base)
{
	struct ioapic *io = &ioapics[nr_ioapics];
	uint32_t ver;

	io->mmio = hal_map_io(pa, IOAPIC_MMIO_SIZE);
	if (!io->mmio) {
		kprintf("x86: IOAPIC at %#x is outside the boot mapping; ignored\n", pa);
		return;
	}
	ver = ioapic_read(io, IOAPIC_REG_VER);
	io->gsi_base = gsi_base;
	io->nr_pins = ((ver >> 16) & 0xff) + 1;
	nr_ioapics++;

	for (unsigned pin = 0; pin < io->nr_pins; pin++) {
		unsigned gsi = gsi_base + pin;
		uint64_t rte = RTE_MASKED;

		if (gsi < MAX_GSIS) {
			rte |= (uint64_t)(X86_VEC_IRQ_BASE + gsi) | gsi_mode(gsi) |
			       ((uint64_t)boot_apic_id << RTE_DEST_SHIFT);
			if (gsi + 1 > nr_gsis)
				nr_gsis = gsi + 1;
		}
		rte_write(io, pin, rte); /* fixed delivery, physical destination, masked */
	}
}

static void ioapics_init(void)
{
	if (!have_madt) {
		kprintf("x86: assuming one IOAPIC at %#lx\n", IOAPIC_DEFAULT_PA);
		ioapic_add(IOAPIC_DEFAULT_PA, 0);
		return;
	}
	for (unsigned i = 0; i < madt.nr_ioapics; i++)
		ioapic_add(madt.ioapics[i].addr, madt.ioapics[i].gsi_base);
	if (nr_gsis < madt.nr_ioapics)
		kprintf("x86: IOAPICs give no usable GSI\n");
}

unsigned x86_nr_gsis(void)
{
	return nr_gsis;
}

unsigned x86_isa_irq_to_gsi(unsigned isa_irq)
{
	return have_madt ? acpi_madt_isa_gsi(&madt, isa_irq, NULL) : isa_irq;
}

uint64_t x86_ioapic_read_rte(unsigned gsi)
{
	const struct ioapic *io;
	irqflags_t flags;
	unsigned pin = 0;
	uint64_t rte;

	io = gsi_ioapic(gsi, &pin);
	if (!io)
		return 0;
	flags = hal_irq_save();
	rte = rte_read(io, pin);
	hal_irq_restore(flags);
	return rte;
}

bool x86_ioapic_gsi_enabled(unsigned gsi)
{
	return gsi < nr_gsis && gsi_enabled[gsi];
}

void hal_irq_init(const struct boot_info *bi)
{
	struct acpi_reader r = { .map = x86_acpi_map };
	paddr_t rsdp = bi && bi->acpi_rsdp ? bi->acpi_rsdp : x86_find_rsdp();
	int err;

	err = rsdp ? acpi_get_madt(&r, rsdp, &madt) : -ENOENT;
	have_madt = err == 0;
	if (!have_madt)
		kprintf("x86: no usable ACPI MADT (%s); assuming a standard PC\n",
			r.error ? r.error : "no RSDP");
	if (have_madt && madt.dropped)
		kprintf("x86: %u MADT entries did not fit the tables; ignored\n", madt.dropped);
	/* The 8259s were remapped to X86_VEC_PIC_BASE and masked by hal_early_init(). */
	if (lapic_init(have_madt ? &madt : NULL))
		return;
	ioapics_init();
	ioapic_chip.nr_irqs = nr_gsis;
	kprintf("  interrupts: local APIC %u (%s), %u IOAPIC(s), %u GSIs on vectors %#x-%#x\n",
		(unsigned)boot_apic_id, lapic_x2 ? "x2APIC" : "xAPIC", nr_ioapics, nr_gsis,
		X86_VEC_IRQ_BASE, X86_VEC_IRQ_BASE + (nr_gsis ? nr_gsis - 1 : 0));
	irq_register_chip(&ioapic_chip);
}

/* Bring the local APIC up without the MADT (a timer set up before hal_irq_init()). */
int x86_lapic_ensure(void)
{
	return lapic_ready ? 0 : lapic_init(NULL);
}
