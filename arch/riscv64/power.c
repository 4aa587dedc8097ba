// SPDX-License-Identifier: MIT
/* riscv64 power-off (SBI SRST) and test exit (the platform's test-exit device, else SRST). */
#include <arch/sbi.h>
#include <drivers/test_exit.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>

noreturn void hal_poweroff(void)
{
	sbi_shutdown(SBI_SRST_REASON_NONE);
	/* The firmware cannot power off: on QEMU the test-exit device can still end the run. */
	test_exit_device_poweroff();
	kprintf("riscv64: no way to power off (no SBI SRST or test-exit device); halting\n");
	hal_cpu_halt();
}

noreturn void hal_test_exit(bool pass)
{
	test_exit_device_exit(pass);
	/* SRST exits QEMU with 0 whatever the reason: the serial result line is the verdict. */
	kprintf("riscv64: no test-exit device; the exit status does not carry the result\n");
	sbi_shutdown(pass ? SBI_SRST_REASON_NONE : SBI_SRST_REASON_FAILURE);
	kprintf("riscv64: the firmware cannot power off either; halting\n");
	hal_cpu_halt();
}
