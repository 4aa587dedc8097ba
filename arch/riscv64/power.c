// SPDX-License-Identifier: MIT
/* riscv64 power-off (SBI SRST) and test exit (the sifive_test device QEMU virt provides). */
#include <arch/riscv.h>
#include <arch/sbi.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/mmio.h>
#include <kernel/platform.h>

/* QEMU hw/misc/sifive_test.c: a 32-bit write of code << 16 | FAIL exits QEMU with code. */
#define SIFIVE_TEST_FAIL 0x3333
#define SIFIVE_TEST_PASS 0x5555
#define SIFIVE_TEST_EXIT(code) (((uint32_t)(code) << 16) | SIFIVE_TEST_FAIL)
#define SIFIVE_TEST_SIZE 0x1000

static volatile void *sifive_test;

void riscv_power_probe(const struct platform *p)
{
	int d = platform_find_compatible(p, PLAT_NONE, "sifive,test1");
	const struct plat_reg *r;

	/* virt lists "sifive,test1", "sifive,test0", "syscon"; syscon alone is too generic. */
	if (d == PLAT_NONE)
		d = platform_find_compatible(p, PLAT_NONE, "sifive,test0");
	if (d == PLAT_NONE || p->dev[d].reg_count == 0)
		return;
	r = &p->dev[d].reg[0];
	sifive_test = hal_map_io(r->base, r->size ? r->size : SIFIVE_TEST_SIZE);
}

noreturn void hal_poweroff(void)
{
	sbi_shutdown(SBI_SRST_REASON_NONE);
	/* The firmware cannot power off: on QEMU the test device can still end the run. */
	if (sifive_test)
		mmio_write32(sifive_test, SIFIVE_TEST_PASS);
	kprintf("riscv64: no way to power off (no SBI SRST or sifive_test); halting\n");
	hal_cpu_halt();
}

noreturn void hal_test_exit(bool pass)
{
	if (sifive_test)
		mmio_write32(sifive_test, pass ? SIFIVE_TEST_PASS : SIFIVE_TEST_EXIT(1));
	/* SRST exits QEMU with 0 whatever the reason: the serial result line is the verdict. */
	kprintf("riscv64: no sifive_test device; the exit status does not carry the result\n");
	sbi_shutdown(pass ? SBI_SRST_REASON_NONE : SBI_SRST_REASON_FAILURE);
	kprintf("riscv64: the firmware cannot power off either; halting\n");
	hal_cpu_halt();
}
