// SPDX-License-Identifier: MIT
/* Minimal x86-64 IDT: every vector reports where it happened and panics, so no fault hangs. */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/x86.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>

/* 64-bit interrupt gate (SDM vol. 3 figure 6-8). */
struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

#define IDT_VECTORS 256
#define GATE_INTERRUPT_DPL0 0x8E /* present, DPL 0, 64-bit interrupt gate (IF cleared) */

/* Where idt_entry.S's stubs land after the 8259 PICs are remapped (cpu.c). */
#define PIC_VECTOR_BASE 0x20
#define PIC_SPURIOUS_VECTOR (PIC_VECTOR_BASE + 7)

/* Saved by idt_entry.S, lowest address first. */
struct x86_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

void x86_trap(struct x86_trap_frame *f);

static struct idt_gate idt[IDT_VECTORS] __aligned(16);

static const char *const exception_names[] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization", "#CP control protection",
};

static void set_gate(unsigned vec, uintptr_t handler)
{
	idt[vec] = (struct idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = KERNEL_CS,
		.ist = 0,
		.type_attr = GATE_INTERRUPT_DPL0,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

void x86_idt_init(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	for (unsigned v = 0; v < IDT_VECTORS; v++)
		set_gate(v, (uintptr_t)x86_vector_stubs + v * X86_STUB_SIZE);
	__asm__ __volatile__("lidt %0" : : "m"(idtr) : "memory");
}

static const char *vector_name(uint64_t v)
{
	if (v < ARRAY_SIZE(exception_names))
		return exception_names[v];
	if (v < 32)
		return "reserved";
	return "interrupt";
}

/* Called from x86_trap_common with the frame it built. Returns only for spurious IRQs. */
void x86_trap(struct x86_trap_frame *f)
{
	/*
	 * A fully masked master 8259 can still raise its spurious IRQ 7, which needs no EOI.
	 * (The slave cannot: its cascade input on the master is masked too.)
	 */
	if (f->vector == PIC_SPURIOUS_VECTOR)
		return;

	kprintf("x86 exception %lu (%s) at RIP=%#lx, error code %#lx, CR2=%#lx\n",
		(unsigned long)f->vector, vector_name(f->vector), (unsigned long)f->rip,
		(unsigned long)f->error, (unsigned long)read_cr2());
	kprintf("  rax=%#lx rbx=%#lx rcx=%#lx rdx=%#lx\n", (unsigned long)f->rax,
		(unsigned long)f->rbx, (unsigned long)f->rcx, (unsigned long)f->rdx);
	kprintf("  rsi=%#lx rdi=%#lx rbp=%#lx rsp=%#lx rflags=%#lx\n", (unsigned long)f->rsi,
		(unsigned long)f->rdi, (unsigned long)f->rbp, (unsigned long)f->rsp,
		(unsigned long)f->rflags);
	panic("unhandled x86 exception %lu", (unsigned long)f->vector);
}
