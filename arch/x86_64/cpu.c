// SPDX-License-Identifier: MIT
/* x86-64 HAL: early init, interrupt masking, CPU control, the TSC and the boot direct map. */
#include <arch/cpu.h>
#include <arch/direct_map.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/x86.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/io_window.h>
#include <kernel/percpu.h>

/* 8259A PICs (Intel 8259A data sheet): ports and initialisation words. */
#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1
#define PIC_ICW1_INIT_ICW4 0x11
#define PIC_ICW4_8086      0x01
#define PIC_VECTOR_BASE    X86_VEC_PIC_BASE /* above every IOAPIC vector (traps.c) */
#define PORT_POST_DELAY    0x80 /* unused POST port: a write takes ~1 us */

static uint64_t tsc_freq_hz;
static paddr_t acpi_rsdp_pa;

static void io_delay(void)
{
	outb(PORT_POST_DELAY, 0);
}

/*
 * The BIOS leaves the 8259s delivering IRQ 0-7 on vectors 8-15, on top of the CPU
 * exceptions: the still-running PIT would look like a double fault as soon as interrupts
 * are enabled. Park them at X86_VEC_PIC_BASE, clear of the IOAPIC's vectors, and mask every
 * line; the local APIC (irq.c, which also masks LINT0) + the IOAPIC driver replace them.
 */
static void pic_disable(void)
{
	static const uint8_t init[][2] = {
		{ PIC1_CMD, PIC_ICW1_INIT_ICW4 }, { PIC2_CMD, PIC_ICW1_INIT_ICW4 },
		{ PIC1_DATA, PIC_VECTOR_BASE },   { PIC2_DATA, PIC_VECTOR_BASE + 8 },
		{ PIC1_DATA, 1 << 2 },            { PIC2_DATA, 2 }, /* slave on IRQ 2 */
		{ PIC1_DATA, PIC_ICW4_8086 },     { PIC2_DATA, PIC_ICW4_8086 },
		{ PIC1_DATA, 0xff },              { PIC2_DATA, 0xff }, /* mask all */
	};

	for (size_t i = 0; i < ARRAY_SIZE(init); i++) {
		outb(init[i][0], init[i][1]);
		io_delay();
	}
}

void hal_early_init(const struct boot_info *bi)
{
	acpi_rsdp_pa = bi ? bi->acpi_rsdp : 0;
	pic_disable();
	tsc_freq_hz = x86_tsc_detect_freq();
}

const char *hal_boot_mode(void)
{
	return "long mode (PVH)";
}

paddr_t x86_acpi_rsdp(void)
{
	return acpi_rsdp_pa;
}

/* ---- Interrupt masking: RFLAGS.IF ---- */

void hal_irq_enable(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

void hal_irq_disable(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

irqflags_t hal_irq_save(void)
{
	irqflags_t flags = read_rflags();

	hal_irq_disable();
	return flags;
}

void hal_irq_restore(irqflags_t flags)
{
	/* Only IF is restored: popping the whole RFLAGS could also change DF or AC. */
	if (flags & RFLAGS_IF)
		hal_irq_enable();
	else
		hal_irq_disable();
}

bool hal_irq_enabled(void)
{
	return read_rflags() & RFLAGS_IF;
}

/* ---- CPU ---- */

cpu_id_t hal_cpu_id(void)
{
	/* Initial APIC id: CPUID.01H:EBX[31:24]. Enough for the xAPIC range (< 255 CPUs). */
	return cpuid(1, 0).ebx >> 24;
}

/*
 * Called with interrupts masked. sti takes effect only after the next instruction, so no
 * interrupt can slip in between it and hlt (no lost wake-up); the waking interrupt is taken
 * out of hlt, and cli masks again before we return.
 */
void hal_cpu_idle(void)
{
	__asm__ __volatile__("sti; hlt; cli" : : : "memory");
}

noreturn void hal_cpu_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt" : : : "memory");
}

int hal_send_ipi(cpu_id_t cpu, unsigned vector)
{
	/* Single CPU for now: IPIs arrive with the local APIC driver and SMP bring-up. */
	return -ENOSYS;
}

/* ---- Per-CPU data: GS base ---- */

/*
 * The kernel's GS base points at the CPU's struct per_cpu, whose first member points at
 * itself, so "mov %gs:0" yields this_cpu() in one instruction. There is no user mode yet,
 * so nothing swaps GS: once there is, entry from user mode needs swapgs (with the user's
 * base parked in MSR_KERNEL_GS_BASE) before the first %gs access, and exit the reverse.
 */
void hal_percpu_init(struct per_cpu *pc)
{
	wrmsr(MSR_GS_BASE, (uintptr_t)pc);
}

/*
 * Install the boot CPU's block before kernel_main() runs, so that a fault or a trace point
 * earlier than percpu_init_boot() (which sets the same fields again) still finds a valid
 * this_cpu() instead of whatever GS base 0 would point at.
 */
void x86_percpu_early_init(void)
{
	per_cpu_data[0].self = &per_cpu_data[0];
	hal_percpu_init(&per_cpu_data[0]);
}

struct per_cpu *hal_this_cpu(void)
{
	struct per_cpu *pc;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(pc));
	return pc;
}

/* ---- Time ---- */

uint64_t hal_counter_read(void)
{
	return rdtsc();
}

uint64_t hal_counter_freq(void)
{
	return tsc_freq_hz;
}

/* ---- The direct map (RAM only, write-back) and the I/O window (devices, uncached) ---- */

void *hal_phys_to_virt(paddr_t pa)
{
	if (!x86_direct_map_covers_range(pa, pa))
		return NULL;
	return (void *)(uintptr_t)(DIRECT_MAP_BASE + pa);
}

/* Device memory anywhere in physical space: mapped uncached on demand (KERNEL_IO_BASE, 64 GiB;
 * docs/memory-layout.md), in the boot tables before hal_mmu_init() and replayed there. */
static struct io_window io_window = { .base = KERNEL_IO_BASE, .size = KERNEL_IO_SIZE };

void *hal_map_io(paddr_t pa, size_t size)
{
	struct pagetable *k = hal_kernel_pagetable();
	irqflags_t flags;
	paddr_t last;
	void *ret;

	if (!size)
		size = 1;
	last = pa + (size - 1);
	if (last < pa)
		return NULL;
	/* RAM (ACPI tables in ACPI memory, the boot loader's data): the direct map's write-back
	 * mapping, never a second, uncached alias of the same frames. */
	if (x86_direct_map_covers_range(pa, last))
		return hal_phys_to_virt(pa);
	flags = hal_irq_save();
	/* Before x86_direct_map_init() head.S maps all of 0-4 GiB, which the check above
	 * accepted; after it and before hal_mmu_init() (platform_init() reading ACPI tables in
	 * reserved memory) the boot tables get the same uncached window, carried over later. */
	if (!k)
		ret = x86_direct_map_early_io(&io_window, pa, size);
	else
		ret = io_window_map(&io_window, k, pa, size, false);
	hal_irq_restore(flags);
	return ret;
}

int x86_io_window_replay(struct pagetable *pt)
{
	return io_window_replay(&io_window, pt);
}

const void *x86_acpi_map(void *ctx, uint64_t pa, size_t len)
{
	return hal_map_io(pa, len);
}

/* ---- Port I/O (hal.h): the x86 I/O space ---- */

uint8_t hal_pio_read8(uint16_t port)
{
	return inb(port);
}

void hal_pio_write8(uint16_t port, uint8_t val)
{
	outb(port, val);
}
