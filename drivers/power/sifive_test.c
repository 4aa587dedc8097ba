// SPDX-License-Identifier: MIT
/* QEMU's sifive_test device: the emulator's power-off and test-exit register (test_exit.h). */
#include <drivers/test_exit.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/mmio.h>
#include <kernel/platform.h>

/* QEMU hw/misc/sifive_test.c: a 32-bit write of code << 16 | FAIL exits QEMU with code. */
#define SIFIVE_TEST_FAIL 0x3333
#define SIFIVE_TEST_PASS 0x5555
#define SIFIVE_TEST_EXIT(code) (((uint32_t)(code) << 16) | SIFIVE_TEST_FAIL)
#define SIFIVE_TEST_SIZE 0x1000

static volatile void *regs; /* the bound device's register, NULL when none is bound */

static int sifive_test_probe(struct plat_device *dev)
{
	void *r;

	if (dev->reg_count == 0)
		return -EINVAL;
	r = hal_map_io(dev->reg[0].base, dev->reg[0].size ? dev->reg[0].size : SIFIVE_TEST_SIZE);
	if (!r)
		return -ENOMEM;
	if (regs)
		return -EBUSY; /* one exit register is enough: the first bound one is used */
	regs = r;
	dev->driver_data = r;
	return 0;
}

static int sifive_test_remove(struct plat_device *dev)
{
	if (dev->driver_data && regs == dev->driver_data)
		regs = NULL;
	return 0;
}

const struct driver_ops sifive_test_driver_ops = {
	.probe = sifive_test_probe,
	.remove = sifive_test_remove,
};

int test_exit_bind(struct platform *p)
{
	int err = -ENOENT;

	for (unsigned i = 0; i < p->dev_count && !regs; i++) {
		const struct driver *drv = driver_match(&p->dev[i], DRIVER_CLASS_OTHER);

		if (drv && drv->ops == &sifive_test_driver_ops && p->dev[i].available)
			err = driver_bind(&p->dev[i], drv);
	}
	return regs ? 0 : err;
}

void test_exit_device_exit(bool pass)
{
	if (regs)
		mmio_write32(regs, pass ? SIFIVE_TEST_PASS : SIFIVE_TEST_EXIT(1));
}

void test_exit_device_poweroff(void)
{
	if (regs)
		mmio_write32(regs, SIFIVE_TEST_PASS);
}
