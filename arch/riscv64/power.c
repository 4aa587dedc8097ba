// SPDX-License-Identifier: MIT
/* riscv64 power-off (SBI SRST) and test exit (the sifive_test device QEMU virt provides). */
#include <arch/riscv.h>
#include <arch/sbi.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/mmio.h>

/* QEMU hw/misc/sifive_test.c: a 32-bit write of code << 16 | FAIL exits QEMU with code. */
#define SIFIVE_TEST_FAIL 0x3333
#define SIFIVE_TEST_PASS 0x5555
#define SIFIVE_TEST_EXIT(code) (((uint32_t)(code) << 16) | SIFIVE_TEST_FAIL)
#define SIFIVE_TEST_SIZE 0x1000

static volatile void *sifive_test;

void riscv_power_probe(const struct fdt *fdt)
{
	int node = fdt_find_compatible(fdt, -1, "sifive,test1");
	uint64_t pa, size;

	/* virt lists "sifive,test1", "sifive,test0", "syscon"; syscon alone is too generic. */
	if (node < 0)
		node = fdt_find_compatible(fdt, -1, "sifive,test0");
	if (node < 0 || fdt_reg(fdt, node, 0, &pa, &size) != 0)
		return;
	sifive_test = hal_map_io(pa, size ? size : SIFIVE_TEST_SIZE);
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
