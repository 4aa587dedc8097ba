// SPDX-License-Identifier: MIT
/* x86-64 IDT and trap dispatch: exceptions to fault_handle(), IOAPIC vectors to irq_handle(). */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/x86.h>
#include <kernel/fault.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>

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

/* Exception vectors (SDM vol. 3 table 6-1). */
enum {
	VEC_DE = 0, VEC_DB = 1, VEC_NMI = 2, VEC_BP = 3, VEC_UD = 6, VEC_DF = 8,
	VEC_GP = 13, VEC_PF = 14, VEC_AC = 17, VEC_MC = 18, VEC_EXCEPTIONS = 32,
};

void x86_trap(struct x86_trap_frame *f);

static struct idt_gate idt[IDT_VECTORS] __aligned(16);
static uint64_t unexpected_vectors;

static const char *const exception_names[] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization", "#CP control protection",
};

static void set_gate(unsigned vec, uintptr_t handler, unsigned ist)
{
	idt[vec] = (struct idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = KERNEL_CS,
		.ist = (uint8_t)ist,
		.type_attr = GATE_INTERRUPT_DPL0,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

static unsigned vector_ist(unsigned vec)
{
	switch (vec) {
	case VEC_NMI: return X86_IST_NMI;
	case VEC_DF:  return X86_IST_DF;
	case VEC_MC:  return X86_IST_MC;
	default:      return 0;
	}
}

void x86_idt_init(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	for (unsigned v = 0; v < IDT_VECTORS; v++)
		set_gate(v, (uintptr_t)x86_vector_stubs + v * X86_STUB_SIZE, vector_ist(v));
	__asm__ __volatile__("lidt %0" : : "m"(idtr) : "memory");
}

unsigned x86_idt_gate_ist(unsigned vec)
{
	return vec < IDT_VECTORS ? idt[vec].ist & 7 : 0;
}

static enum fault_kind vector_kind(uint64_t v)
{
	switch (v) {
	case VEC_BP:  return FAULT_BREAKPOINT;
	case VEC_UD:  return FAULT_ILLEGAL_INSTRUCTION;
	case VEC_PF:  return FAULT_PAGE;
	case VEC_GP:  return FAULT_GENERAL_PROTECTION;
	case VEC_DF:  return FAULT_DOUBLE;
	case VEC_NMI: return FAULT_NMI;
	case VEC_MC:  return FAULT_MACHINE_CHECK;
	case VEC_AC:  return FAULT_ALIGNMENT;
	default:      return FAULT_OTHER;
	}
}

/* Exceptions 0-31: describe the fault and hand it to the portable handler. Never returns. */
static noreturn void x86_fault(const struct x86_trap_frame *f)
{
	/* CR2 first, before anything here could take another page fault. */
	struct x86_fault_regs regs = { .tf = f, .cr2 = read_cr2(), .cr3 = read_cr3() };
	struct fault_info fi = {
		.kind = vector_kind(f->vector),
		.name = f->vector < ARRAY_SIZE(exception_names) ? exception_names[f->vector]
								 : "reserved exception",
		.pc = f->rip,
		.sp = f->rsp,
		.fp = f->rbp,
		.addr = f->vector == VEC_PF ? regs.cr2 : 0,
		.addr_valid = f->vector == VEC_PF,
		.code = (f->vector << 32) | (f->error & 0xffffffffULL),
		.frame = &regs,
	};

	fault_handle(&fi);
}

/* Called from x86_trap_common with the frame it built, interrupts masked. */
void x86_trap(struct x86_trap_frame *f)
{
	uint64_t v = f->vector;

	if (v < VEC_EXCEPTIONS)
		x86_fault(f);
	if (v >= X86_VEC_IRQ_BASE && v < X86_VEC_IRQ_LIMIT) {
		const struct irq_chip *chip = irq_chip();

		/* irq_handle() counts a GSI without a handler as spurious and sends the EOI. */
		if (chip && v - X86_VEC_IRQ_BASE < chip->nr_irqs)
			irq_handle((unsigned)(v - X86_VEC_IRQ_BASE));
		else
			x86_lapic_eoi();
		return;
	}
	switch (v) {
	case X86_VEC_TIMER:
		x86_timer_interrupt();
		return;
	case X86_VEC_APIC_ERROR:
		x86_lapic_error_interrupt();
		return;
	case X86_VEC_SPURIOUS:
		/* The local APIC's spurious vector: no EOI (SDM vol. 3 section 11.9). */
		return;
	default:
		break;
	}
	if (v >= X86_VEC_PIC_BASE && v < X86_VEC_PIC_BASE + 16)
		return; /* a masked 8259's spurious IRQ 7/15: needs no EOI at the local APIC */
	/* Nothing should raise this vector; an EOI keeps the local APIC from blocking. */
	if (unexpected_vectors++ < 8)
		kprintf("x86: unexpected interrupt vector %#lx\n", (unsigned long)v);
	x86_lapic_eoi();
}

/* ---- Register dump for fault reports ---- */

void hal_dump_frame(const void *frame)
{
	const struct x86_fault_regs *r = frame;
	const struct x86_trap_frame *f;

	if (!r || !r->tf) {
		kprintf("  (no register frame)\n");
		return;
	}
	f = r->tf;
	kprintf("  vector %lu error %#lx  RIP 0x%016lx  RFLAGS 0x%08lx\n",
		(unsigned long)f->vector, (unsigned long)f->error, (unsigned long)f->rip,
		(unsigned long)f->rflags);
	kprintf("  RAX 0x%016lx RBX 0x%016lx RCX 0x%016lx RDX 0x%016lx\n", (unsigned long)f->rax,
		(unsigned long)f->rbx, (unsigned long)f->rcx, (unsigned long)f->rdx);
	kprintf("  RSI 0x%016lx RDI 0x%016lx RBP 0x%016lx RSP 0x%016lx\n", (unsigned long)f->rsi,
		(unsigned long)f->rdi, (unsigned long)f->rbp, (unsigned long)f->rsp);
	kprintf("  R8  0x%016lx R9  0x%016lx R10 0x%016lx R11 0x%016lx\n", (unsigned long)f->r8,
		(unsigned long)f->r9, (unsigned long)f->r10, (unsigned long)f->r11);
	kprintf("  R12 0x%016lx R13 0x%016lx R14 0x%016lx R15 0x%016lx\n", (unsigned long)f->r12,
		(unsigned long)f->r13, (unsigned long)f->r14, (unsigned long)f->r15);
	kprintf("  CS 0x%04lx SS 0x%04lx  CR2 0x%016lx CR3 0x%016lx\n", (unsigned long)f->cs,
		(unsigned long)f->ss, (unsigned long)r->cr2, (unsigned long)r->cr3);
}
