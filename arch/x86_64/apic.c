// SPDX-License-Identifier: MIT
/* x86-64 local APIC, IOAPIC (found through the ACPI MADT) as the irq_chip, and the LAPIC timer. */
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

static void lapic_write(unsigned reg, uint32_t v)
{
	if (lapic_x2)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
	else if (lapic_mmio)
		mmio_write32(lapic_mmio + reg, v);
}

void x86_lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void x86_lapic_error_interrupt(void)
{
	uint32_t esr;

	lapic_write(LAPIC_ESR, 0); /* latch the errors seen so far into the readable register */
	esr = x86_lapic_read(LAPIC_ESR);
	kprintf("x86: local APIC error, ESR %#x\n", esr);
	x86_lapic_eoi();
}

/* The LINTn pin setting the MADT's local APIC NMI entries give this CPU, else masked. */
static uint32_t lint_lvt(const struct acpi_madt *m, unsigned lint, int uid)
{
	for (unsigned i = 0; m && i < m->nr_nmis; i++) {
		const struct acpi_madt_nmi *n = &m->nmis[i];

		if (n->lint != lint || (n->uid != ACPI_MADT_NMI_ALL_CPUS && n->uid != uid))
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
	int uid = -1;

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

	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | X86_VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_LVT_THERMAL, LVT_MASKED);
	lapic_write(LAPIC_LVT_PERF, LVT_MASKED);
	/* LINT0 is where the (masked) 8259 would deliver ExtINT: keep it masked. */
	lapic_write(LAPIC_LVT_LINT0, m ? lint_lvt(m, 0, uid) : LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, m ? lint_lvt(m, 1, uid) : LVT_DELIVERY_NMI);
	lapic_write(LAPIC_LVT_ERROR, X86_VEC_APIC_ERROR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | X86_VEC_SPURIOUS);
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
	.ack = NULL, /* the vector names the GSI: idt.c calls irq_handle() */
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

/* ---- LAPIC timer: TSC-deadline, or one-shot calibrated against the TSC ---- */

#define CALIBRATE_DIVISOR 100 /* measure for 1/100 s */

static enum x86_timer_mode timer_mode;
static uint64_t lapic_timer_hz;     /* one-shot count rate (bus clock / 16) */
static uint64_t tsc_to_count_mult;  /* count = (tsc ticks * mult) >> 32 */
static uint64_t max_tsc_delta;      /* largest delta whose product cannot overflow */
static uint64_t timer_irqs, timer_last_fire;

static bool cpu_has_tsc_deadline(void)
{
	return cpuid(1, 0).ecx & CPUID_1_ECX_TSC_DEADLINE;
}

/* Count how far the LAPIC timer runs down while the TSC advances 1/100 s. */
static int lapic_timer_calibrate(void)
{
	uint64_t tsc_hz = hal_counter_freq(), t0, t1, dt_ns, elapsed;
	uint32_t cur;

	if (!tsc_hz)
		return -EINVAL;
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT | X86_VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
	t0 = rdtsc();
	while (rdtsc() - t0 < tsc_hz / CALIBRATE_DIVISOR)
		cpu_relax();
	cur = x86_lapic_read(LAPIC_TIMER_CUR);
	t1 = rdtsc();
	lapic_write(LAPIC_TIMER_INIT, 0);

	elapsed = 0xffffffffu - cur;
	dt_ns = (t1 - t0) * 1000000000ULL / tsc_hz; /* < 2^64 for any dt below ~1.8 s at 10 GHz */
	if (!elapsed || !dt_ns)
		return -EINVAL;
	lapic_timer_hz = elapsed * 1000000000ULL / dt_ns; /* elapsed < 2^32: no overflow */
	if (!lapic_timer_hz || lapic_timer_hz >= (1ULL << 32))
		return -EINVAL;
	tsc_to_count_mult = (lapic_timer_hz << 32) / tsc_hz;
	if (!tsc_to_count_mult)
		tsc_to_count_mult = 1;
	max_tsc_delta = ~0ULL / tsc_to_count_mult;
	return 0;
}

static void timer_stop(void)
{
	lapic_write(LAPIC_TIMER_INIT, 0);
	if (cpu_has_tsc_deadline())
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
}

int x86_timer_set_mode(enum x86_timer_mode mode)
{
	irqflags_t flags;
	int err = 0;

	if (mode == X86_TIMER_TSC_DEADLINE && !cpu_has_tsc_deadline())
		return -ENOSYS;
	if (!lapic_ready && lapic_init(NULL))
		return -EINVAL;
	flags = hal_irq_save();
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | X86_VEC_TIMER);
	timer_stop();
	timer_mode = X86_TIMER_NONE;
	if (mode == X86_TIMER_TSC_DEADLINE) {
		lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | X86_VEC_TIMER);
		mfence(); /* the LVT write must land before a deadline MSR write (SDM 11.5.4.1) */
		timer_mode = mode;
	} else if (mode == X86_TIMER_ONESHOT) {
		if (!lapic_timer_hz)
			err = lapic_timer_calibrate();
		if (!err) {
			lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
			lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONESHOT | X86_VEC_TIMER);
			timer_mode = mode;
		}
	} else {
		err = -EINVAL;
	}
	hal_irq_restore(flags);
	return err;
}

void hal_timer_init(void)
{
	int err;

	if (cpu_has_tsc_deadline() &&
	    !(kernel_boot_info && cmdline_has_word(kernel_boot_info->cmdline, "x86.timer=oneshot")))
		err = x86_timer_set_mode(X86_TIMER_TSC_DEADLINE);
	else
		err = x86_timer_set_mode(X86_TIMER_ONESHOT);
	if (err)
		kprintf("x86: no usable local APIC timer (%d): deadlines will not fire\n", err);
	else
		kprintf("  timer: local APIC, %s mode%s\n", x86_timer_mode_name(timer_mode),
			timer_mode == X86_TIMER_ONESHOT ? "" : " (counter = TSC)");
	if (timer_mode == X86_TIMER_ONESHOT)
		kprintf("  timer: LAPIC timer %llu Hz (bus clock / 16, calibrated against the TSC)\n",
			(unsigned long long)lapic_timer_hz);
}

void hal_timer_set_deadline(uint64_t deadline)
{
	uint64_t now, delta, count;

	switch (timer_mode) {
	case X86_TIMER_TSC_DEADLINE:
		/* 0 would disarm it: any passed deadline fires at once. */
		wrmsr(MSR_IA32_TSC_DEADLINE, deadline ? deadline : 1);
		return;
	case X86_TIMER_ONESHOT:
		now = rdtsc();
		delta = deadline > now ? deadline - now : 0;
		if (delta > max_tsc_delta)
			delta = max_tsc_delta;
		/* Round up so the interrupt never comes before the deadline; a deadline too far
		 * for 32 bits fires early and clock_timer_interrupt() programs the rest. */
		count = ((delta * tsc_to_count_mult) >> 32) + 1;
		if (count > 0xffffffffu)
			count = 0xffffffffu;
		lapic_write(LAPIC_TIMER_INIT, (uint32_t)count);
		return;
	case X86_TIMER_NONE:
		return;
	}
}

void hal_timer_cancel(void)
{
	if (timer_mode == X86_TIMER_TSC_DEADLINE)
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	else if (timer_mode == X86_TIMER_ONESHOT)
		lapic_write(LAPIC_TIMER_INIT, 0);
}

void x86_timer_interrupt(void)
{
	struct per_cpu *pc = this_cpu();

	timer_irqs++;
	timer_last_fire = rdtsc();
	pc->irq_depth++;
	clock_timer_interrupt();
	pc->irq_depth--;
	x86_lapic_eoi();
}

enum x86_timer_mode x86_timer_mode(void)
{
	return timer_mode;
}

const char *x86_timer_mode_name(enum x86_timer_mode mode)
{
	switch (mode) {
	case X86_TIMER_TSC_DEADLINE: return "TSC-deadline";
	case X86_TIMER_ONESHOT:      return "one-shot";
	default:                     return "none";
	}
}

uint64_t x86_timer_irq_count(void)
{
	return timer_irqs;
}

uint64_t x86_timer_last_fire_tsc(void)
{
	return timer_last_fire;
}

uint64_t x86_lapic_timer_hz(void)
{
	return lapic_timer_hz;
}
