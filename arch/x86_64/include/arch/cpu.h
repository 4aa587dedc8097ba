/* SPDX-License-Identifier: MIT */
/* Functions shared between the x86-64 port's own files (not part of the HAL contract). */
#ifndef KEEL_ARCH_X86_64_CPU_H
#define KEEL_ARCH_X86_64_CPU_H

#include <kernel/compiler.h>
#include <kernel/types.h>

/* C entry from boot/head.S: running in the higher half on the boot stack. @entry is
 * PVH_START_MAGIC after the PVH entry, else the Multiboot2 loader's %eax; @info_pa its %ebx. */
noreturn void x86_boot_main(uint32_t entry, uint32_t info_pa);

/* Load the kernel's GDT with the TSS and its IST stacks (gdt.c). Before x86_idt_init(). */
void x86_gdt_init(void);

/* Top of IST stack @ist (1..X86_IST_COUNT) as the TSS holds it, or 0 (gdt.c). */
uintptr_t x86_ist_stack_top(unsigned ist);

/* True when [@addr, @addr + @len) lies in one of the IST stacks. */
bool x86_addr_on_ist_stack(uintptr_t addr, size_t len);

/* Install the IDT: exceptions go to fault_handle(), IRQ vectors to irq_handle() (traps.c). */
void x86_idt_init(void);

/* Point GS base at the boot CPU's per-CPU block before kernel_main() (cpu.c). */
void x86_percpu_early_init(void);

/* The IDT's IST index of vector @vec (for tests). */
unsigned x86_idt_gate_ist(unsigned vec);

/* Saved by entry.S, lowest address first. */
struct x86_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* What fault_info.frame points to on x86-64: the trap frame and the control registers. */
struct x86_fault_regs {
	const struct x86_trap_frame *tf;
	uint64_t cr2, cr3;
};

/* ---- Local APIC (irq.c; the IOAPICs are drivers/irqchip/ioapic.c) ---- */

/* Signal end of interrupt to the local APIC. */
void x86_lapic_eoi(void);

/* Local APIC error vector: read and report the error status. */
void x86_lapic_error_interrupt(void);

/* Local APIC register @reg (byte offset): read (also for tests) and write. */
uint32_t x86_lapic_read(unsigned reg);
void x86_lapic_write(unsigned reg, uint32_t v);

/* Enable this CPU's local APIC if hal_irq_init() has not yet (no MADT needed): 0 or -EINVAL. */
int x86_lapic_ensure(void);

/* ---- LAPIC timer and TSC (timer.c) ---- */

enum x86_timer_mode {
	X86_TIMER_NONE = 0,
	X86_TIMER_TSC_DEADLINE,
	X86_TIMER_ONESHOT,
};

/* Timer vector handler: clock_timer_interrupt(), then EOI. */
void x86_timer_interrupt(void);

/* The mode hal_timer_init() chose; name for messages. */
enum x86_timer_mode x86_timer_mode(void);
const char *x86_timer_mode_name(enum x86_timer_mode mode);

/* Re-initialise the timer in @mode (tests switch to one-shot to cover the fallback). 0 or
 * -ENOSYS when the CPU lacks TSC-deadline. Leaves no deadline pending. */
int x86_timer_set_mode(enum x86_timer_mode mode);

/* Timer interrupts taken, and the TSC at the last one (for tests). */
uint64_t x86_timer_irq_count(void);
uint64_t x86_timer_last_fire_tsc(void);

/* LAPIC timer ticks per second in one-shot mode (0 before calibration). */
uint64_t x86_lapic_timer_hz(void);

/* Determine the TSC frequency in Hz (timer.c); 0 when it cannot be measured. */
uint64_t x86_tsc_detect_freq(void);

/* Physical address of the ACPI RSDP recorded by hal_early_init(), or 0. */
paddr_t x86_acpi_rsdp(void);

/* The RSDP from the loader, else found in the BIOS area (power.c); 0 when there is none. */
paddr_t x86_find_rsdp(void);

/* Readable pointer to @len bytes of physical memory in the boot direct map, or NULL. */
const void *x86_acpi_map(void *ctx, uint64_t pa, size_t len);

/* The IDT entry stubs (entry.S): 256 stubs of X86_STUB_SIZE bytes each. */
#define X86_STUB_SIZE 16
extern const char x86_vector_stubs[], x86_vector_stubs_end[];

/* Linker-script symbols (linker.ld). */
extern char __kernel_start[], __kernel_end[], __bss_start[], __bss_end[];

#endif
