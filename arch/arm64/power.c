// SPDX-License-Identifier: MIT
/* arm64 power and test exit: PSCI SYSTEM_OFF, and semihosting SYS_EXIT for QEMU test runs. */
#include <arch/arm64.h>
#include <arch/psci.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/platform.h>

/* Semihosting (Arm IHI 0056): SYS_EXIT with an ADP_Stopped_ApplicationExit block. */
#define SEMIHOST_SYS_EXIT         0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static enum psci_conduit conduit;
volatile bool arm64_semihosting_active;

/*
 * PSCI 0.2+ firmware advertises itself with a /psci node whose "method" says whether
 * calls go to the hypervisor (hvc, QEMU at EL1) or the secure monitor (smc, QEMU with
 * virtualization=on); platform_from_fdt() read it. Boards without PSCI (the Pi 4 under
 * U-Boot) have no such node.
 */
void psci_init(const struct platform *p)
{
	conduit = p->psci == PLAT_PSCI_HVC ? PSCI_CONDUIT_HVC
		: p->psci == PLAT_PSCI_SMC ? PSCI_CONDUIT_SMC : PSCI_CONDUIT_NONE;
}

enum psci_conduit psci_conduit(void)
{
	return conduit;
}

/* SMCCC: arguments in x0-x3, result in x0; x4-x17 may be clobbered by SMCCC 1.0 firmware. */
#define SMCCC_CLOBBERS "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", \
	"x14", "x15", "x16", "x17", "memory"

static int64_t psci_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ __volatile__("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: SMCCC_CLOBBERS);
	return (int64_t)x0;
}

static int64_t psci_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ __volatile__("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: SMCCC_CLOBBERS);
	return (int64_t)x0;
}

int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	switch (conduit) {
	case PSCI_CONDUIT_HVC:
		return psci_hvc(fn, a1, a2, a3);
	case PSCI_CONDUIT_SMC:
		return psci_smc(fn, a1, a2, a3);
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

noreturn void hal_poweroff(void)
{
	hal_irq_disable();
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	kprintf("arm64: PSCI SYSTEM_OFF %s; halting\n",
		conduit == PSCI_CONDUIT_NONE ? "unavailable (no /psci in the DTB)" : "failed");
	hal_cpu_halt();
}

/*
 * Semihosting SYS_EXIT: QEMU exits with @code. The trap is "hlt #0xf000"; if QEMU runs
 * without -semihosting-config it is an undefined instruction, and arm64_bad_exception()
 * sees arm64_semihosting_active and powers off instead of recursing through panic().
 */
static void semihosting_exit(uint64_t code)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, code };
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	arm64_semihosting_active = true;
	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	arm64_semihosting_active = false;
}

noreturn void hal_test_exit(bool pass)
{
	if (IS_ENABLED(CONFIG_ARM64_SEMIHOSTING))
		semihosting_exit(pass ? 0 : 1);
	else
		kprintf("arm64: no semihosting in this build: test result is on the console only\n");
	hal_poweroff();
}
