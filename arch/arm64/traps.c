// SPDX-License-Identifier: MIT
/* arm64 boot exception reporting: every vector lands here, says what happened, and panics. */
#include <arch/arm64.h>
#include <arch/sysreg.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>

#define ESR_EC_UNKNOWN 0x00 /* includes an undefined "hlt" when semihosting is off */

static const char *const vector_names[16] = {
	"sync (EL1, SP0)", "IRQ (EL1, SP0)", "FIQ (EL1, SP0)", "SError (EL1, SP0)",
	"sync (EL1)", "IRQ (EL1)", "FIQ (EL1)", "SError (EL1)",
	"sync (EL0, A64)", "IRQ (EL0, A64)", "FIQ (EL0, A64)", "SError (EL0, A64)",
	"sync (EL0, A32)", "IRQ (EL0, A32)", "FIQ (EL0, A32)", "SError (EL0, A32)",
};

static volatile int nesting;

noreturn void arm64_bad_exception(uint64_t idx, uint64_t esr, uint64_t elr, uint64_t far,
				  uint64_t spsr, uint64_t sp)
{
	/* A fault while reporting a fault (a broken console): stop rather than loop. */
	if (nesting++)
		hal_cpu_halt();
	arm64_console_emergency();
	if (arm64_semihosting_active && ESR_EC(esr) == ESR_EC_UNKNOWN) {
		kprintf("arm64: semihosting trap not handled (QEMU needs "
			"-semihosting-config enable=on,target=native); powering off instead\n");
		hal_poweroff();
	}
	kprintf("\narm64: unexpected exception: %s\n", vector_names[idx & 15]);
	kprintf("  ESR_EL1 %#018llx (EC %#llx)  ELR_EL1 %#018llx\n", (unsigned long long)esr,
		(unsigned long long)ESR_EC(esr), (unsigned long long)elr);
	kprintf("  FAR_EL1 %#018llx  SPSR_EL1 %#018llx  SP %#018llx\n", (unsigned long long)far,
		(unsigned long long)spsr, (unsigned long long)sp);
	panic("unhandled exception at %#llx", (unsigned long long)elr);
}
