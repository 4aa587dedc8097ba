// SPDX-License-Identifier: MIT
/* arm64 exceptions: ESR decoding into struct fault_info, the IRQ path, frame dumps, unwinding. */
#include <arch/arm64.h>
#include <arch/frame.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <kernel/errno.h>
#include <kernel/fault.h>
#include <kernel/hal.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/pagetable.h>
#include <kernel/percpu.h>
#include <kernel/pmm.h>

/* ESR_EL1 exception classes (Arm ARM D17.2.37). */
#define EC_UNKNOWN      0x00 /* undefined instruction (also "hlt" with semihosting off) */
#define EC_FP_ACCESS    0x07
#define EC_ILLEGAL_STATE 0x0e
#define EC_SVC64        0x15
#define EC_SYSREG       0x18
#define EC_IABT_LOWER   0x20
#define EC_IABT_CUR     0x21
#define EC_PC_ALIGN     0x22
#define EC_DABT_LOWER   0x24
#define EC_DABT_CUR     0x25
#define EC_SP_ALIGN     0x26
#define EC_SERROR       0x2f
#define EC_BREAKPT_LOWER 0x30
#define EC_BREAKPT_CUR  0x31
#define EC_BRK64        0x3c

#define ESR_ISS_FNV     (1u << 10) /* aborts: FAR not valid */
#define ESR_FSC(esr)    ((unsigned)(esr) & 0x3f)

/* Vector slots (entry.S order). */
#define VEC_SYNC_EL1H   4
#define VEC_FIQ_EL1H    6
#define VEC_SERROR_EL1H 7

static const char *const vector_names[16] = {
	"sync (EL1, SP0)", "IRQ (EL1, SP0)", "FIQ (EL1, SP0)", "SError (EL1, SP0)",
	"sync (EL1)", "IRQ (EL1)", "FIQ (EL1)", "SError (EL1)",
	"sync (EL0, A64)", "IRQ (EL0, A64)", "FIQ (EL0, A64)", "SError (EL0, A64)",
	"sync (EL0, A32)", "IRQ (EL0, A32)", "FIQ (EL0, A32)", "SError (EL0, A32)",
};

/* Data/instruction abort status codes (DFSC/IFSC) -> fault kind, and a name for reports. */
enum abort_type { AB_SIZE, AB_TRANSLATION, AB_ACCESS_FLAG, AB_PERMISSION, AB_EXTERNAL,
		  AB_ALIGNMENT, AB_OTHER, AB_COUNT };

static const char *const abort_names[2][AB_COUNT] = {
	{ "data abort: address size", "data abort: translation", "data abort: access flag",
	  "data abort: permission", "data abort: external", "data abort: alignment",
	  "data abort" },
	{ "instruction abort: address size", "instruction abort: translation",
	  "instruction abort: access flag", "instruction abort: permission",
	  "instruction abort: external", "instruction abort: alignment", "instruction abort" },
};

static enum abort_type abort_type(unsigned fsc)
{
	if (fsc <= 0x03)
		return AB_SIZE;
	if (fsc <= 0x0f)
		return fsc < 0x08 ? AB_TRANSLATION : fsc < 0x0c ? AB_ACCESS_FLAG : AB_PERMISSION;
	if (fsc == 0x10 || (fsc >= 0x13 && fsc <= 0x18) || (fsc >= 0x1b && fsc <= 0x1f))
		return AB_EXTERNAL; /* synchronous external abort / parity, incl. on a walk */
	if (fsc == 0x21)
		return AB_ALIGNMENT;
	return AB_OTHER;
}

static const enum fault_kind abort_kinds[AB_COUNT] = {
	[AB_SIZE] = FAULT_ACCESS, [AB_TRANSLATION] = FAULT_PAGE, [AB_ACCESS_FLAG] = FAULT_PAGE,
	[AB_PERMISSION] = FAULT_PAGE, [AB_EXTERNAL] = FAULT_ACCESS,
	[AB_ALIGNMENT] = FAULT_ALIGNMENT, [AB_OTHER] = FAULT_OTHER,
};

/* Fill @fi's kind, name and address from a synchronous exception's ESR/FAR. */
static void decode_sync(const struct arm64_frame *f, struct fault_info *fi)
{
	unsigned ec = (unsigned)ESR_EC(f->esr);
	bool insn = ec == EC_IABT_LOWER || ec == EC_IABT_CUR;
	enum abort_type type;

	fi->kind = FAULT_OTHER;
	switch (ec) {
	case EC_UNKNOWN:
		fi->kind = FAULT_ILLEGAL_INSTRUCTION;
		fi->name = "undefined instruction";
		break;
	case EC_ILLEGAL_STATE:
		fi->kind = FAULT_ILLEGAL_INSTRUCTION;
		fi->name = "illegal execution state";
		break;
	case EC_BRK64:
		fi->kind = FAULT_BREAKPOINT;
		fi->name = "brk";
		break;
	case EC_BREAKPT_LOWER:
	case EC_BREAKPT_CUR:
		fi->kind = FAULT_BREAKPOINT;
		fi->name = "hardware breakpoint";
		break;
	case EC_PC_ALIGN:
		fi->kind = FAULT_ALIGNMENT;
		fi->name = "PC alignment fault";
		fi->addr = f->far;
		fi->addr_valid = true;
		break;
	case EC_SP_ALIGN:
		fi->kind = FAULT_ALIGNMENT;
		fi->name = "SP alignment fault";
		break;
	case EC_IABT_LOWER:
	case EC_IABT_CUR:
	case EC_DABT_LOWER:
	case EC_DABT_CUR:
		type = abort_type(ESR_FSC(f->esr));
		fi->kind = abort_kinds[type];
		fi->name = abort_names[insn][type];
		fi->addr_valid = !(f->esr & ESR_ISS_FNV);
		fi->addr = fi->addr_valid ? f->far : 0;
		break;
	case EC_FP_ACCESS:
		fi->name = "FP/SIMD access trap";
		break;
	case EC_SYSREG:
		fi->name = "system register access trap";
		break;
	case EC_SVC64:
		fi->name = "svc";
		break;
	default:
		fi->name = "synchronous exception";
		break;
	}
}

/* A fault before per-CPU data exists (or when it cannot be trusted): print and stop. */
static noreturn void early_report(const struct arm64_frame *f, uint64_t idx)
{
	static volatile int nesting;

	if (nesting++)
		hal_cpu_halt();
	kprintf("\narm64: exception before per-CPU data: %s\n", vector_names[idx & 15]);
	hal_dump_frame(f);
	panic("unhandled exception at %#llx", (unsigned long long)f->elr);
}

noreturn void arm64_exception(struct arm64_frame *f, uint64_t idx)
{
	struct fault_info fi = {
		.pc = f->elr,
		.sp = f->sp,
		.fp = f->x[29],
		.code = f->esr,
		.frame = f,
	};

	/* Make sure whatever follows can be seen, even if the console never came up. */
	arm64_console_emergency();
	if (idx == VEC_SYNC_EL1H && arm64_semihosting_active && ESR_EC(f->esr) == EC_UNKNOWN) {
		kprintf("arm64: semihosting trap not handled (QEMU needs "
			"-semihosting-config enable=on,target=native); powering off instead\n");
		hal_poweroff();
	}
	if (!percpu_ready || hal_this_cpu() != &per_cpu_data[0])
		early_report(f, idx); /* SMP: compare against this CPU's block instead */
	if (idx == VEC_SYNC_EL1H) {
		decode_sync(f, &fi);
	} else if (idx == VEC_FIQ_EL1H) {
		fi.name = "FIQ";
		fi.code = idx; /* ESR says nothing about an interrupt */
	} else if (idx == VEC_SERROR_EL1H) {
		fi.name = "SError";
	} else {
		fi.name = vector_names[idx & 15]; /* no EL0 and no SP_EL0 use: never expected */
		fi.code = (idx << 32) | (f->esr & 0xffffffffu);
	}
	fault_handle(&fi);
}

void arm64_irq(struct arm64_frame *f)
{
	(void)f;
	irq_dispatch_pending();
}

void hal_dump_frame(const void *frame)
{
	const struct arm64_frame *f = frame;

	for (unsigned i = 0; i < 31; i += 3) {
		kprintf("  ");
		for (unsigned j = i; j < i + 3 && j < 31; j++)
			kprintf("x%-2u 0x%016llx  ", j, (unsigned long long)f->x[j]);
		kprintf("\n");
	}
	kprintf("  sp  0x%016llx  elr 0x%016llx  spsr 0x%016llx\n", (unsigned long long)f->sp,
		(unsigned long long)f->elr, (unsigned long long)f->spsr);
	kprintf("  esr 0x%016llx (EC %#llx)  far 0x%016llx\n", (unsigned long long)f->esr,
		(unsigned long long)ESR_EC(f->esr), (unsigned long long)f->far);
}

/* ---- Unwinding ---- */

#define ARM64_STACK_SPAN (64u * 1024u) /* how far below kernel_stack_top a frame may lie */

static bool within(uintptr_t fp, const char *lo, const char *hi)
{
	return fp >= (uintptr_t)lo && fp + 16 <= (uintptr_t)hi;
}

/* The page holding @va is mapped in the kernel half right now and is not a stack guard. */
static bool mapped(uintptr_t va)
{
	if (arm64_is_stack_guard(va))
		return false;
	return pt_query(arm64_current_kernel_pt(), va & ~(uintptr_t)(PAGE_SIZE - 1), NULL, NULL,
			NULL) == 0;
}

/* Frame records live on a kernel stack: the boot and exception stacks in the image's .bss
 * (their guard pages are outside them), or a CPU's own stack below its kernel_stack_top,
 * which is checked against the live tables so the walk never touches an unmapped page. */
static bool frame_ok(uintptr_t fp)
{
	uintptr_t top;

	if (fp % 8)
		return false;
	if (within(fp, boot_stack, boot_stack_top) ||
	    within(fp, arm64_exception_stack, arm64_exception_stack_top))
		return true;
	if (!percpu_ready || !(read_sysreg(sctlr_el1) & SCTLR_EL1_M))
		return false;
	top = hal_this_cpu()->kernel_stack_top;
	if (!top || fp >= top || fp + 16 > top || fp < top - ARM64_STACK_SPAN)
		return false;
	return mapped(fp) && mapped(fp + 15);
}

/* AAPCS64 frame record at fp: [fp] = caller's x29, [fp + 8] = return address (no PAC). */
bool hal_unwind(uintptr_t *fp, uintptr_t *pc)
{
	const uintptr_t *rec;

	if (!*fp || !frame_ok(*fp))
		return false;
	rec = (const uintptr_t *)*fp;
	if (rec[0] == *fp)
		return false; /* a record pointing at itself would loop */
	*pc = rec[1];
	*fp = rec[0];
	return true;
}

/* ---- Deliberate faults for tests ---- */

/*
 * With the MMU off: a physical address nothing decodes at, above the 44-bit physical
 * address range of the Cortex-A72 (QEMU virt's default CPU and the Pi 4's), so the load
 * takes an address size fault; a CPU with a wider range gets an external abort instead.
 * Both decode as FAULT_ACCESS.
 */
#define ARM64_NOWHERE_PA (UL(1) << 46)

int hal_trigger_fault(int kind)
{
	bool mmu = read_sysreg(sctlr_el1) & SCTLR_EL1_M;

	switch (kind) {
	case FAULT_BREAKPOINT:
		__asm__ __volatile__("brk #0" ::: "memory");
		return 0;
	case FAULT_ILLEGAL_INSTRUCTION:
		__asm__ __volatile__("udf #0" ::: "memory");
		return 0;
	case FAULT_PAGE:
		if (!mmu)
			return -ENOSYS; /* no pages with the MMU off */
		/* The first 1 MiB of the kernel half is never mapped: a translation fault. */
		(void)*(volatile uint64_t *)(uintptr_t)KERNEL_HALF_BASE;
		return 0;
	case FAULT_ACCESS:
		/* With the MMU on an unmapped load is a page fault (ask for FAULT_PAGE). */
		if (mmu)
			return -ENOSYS;
		(void)*(volatile uint64_t *)(uintptr_t)ARM64_NOWHERE_PA;
		return 0;
	default:
		/* Alignment: Normal memory allows unaligned accesses (SCTLR_EL1.A is 0), and
		 * setting A for one access would outlive a fault that skips the reset. */
		return -ENOSYS;
	}
}
