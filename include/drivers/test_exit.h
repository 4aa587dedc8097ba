/* SPDX-License-Identifier: MIT */
/*
 * The emulator's test-exit device, when the platform description has one (QEMU virt's
 * sifive_test on riscv64: DT "sifive,test1" / "sifive,test0"). A port's hal_test_exit() and
 * hal_poweroff() try it first: unlike firmware power-off (SBI SRST exits QEMU with 0 whatever
 * the reason), it carries a failure out as QEMU's exit status. drivers/power/sifive_test.c.
 */
#ifndef KEEL_DRIVERS_TEST_EXIT_H
#define KEEL_DRIVERS_TEST_EXIT_H

#include <kernel/types.h>

struct driver_ops;
struct platform;

/* The driver-table entry's operations (drivers/driver_table.c). */
extern const struct driver_ops sifive_test_driver_ops;

/*
 * Bind @p's test-exit device now, ahead of driver_bind_all(), so that a run ending during
 * bring-up (a panic in a ktest boot) still reports its result. Boot CPU, early boot, after
 * platform_init(). 0, -ENOENT when the description has none, or the probe's error.
 */
int test_exit_bind(struct platform *p);

/* End the run: QEMU exits 0 when @pass, else 1. Returns only when no device is bound. */
void test_exit_device_exit(bool pass);

/* Power the emulator off (QEMU exits 0). Returns only when no device is bound. */
void test_exit_device_poweroff(void);

#endif
