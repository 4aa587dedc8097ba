// SPDX-License-Identifier: MIT
/* ktest: the device model in the running kernel: a test-only driver is bound, suspended,
 * resumed, unbound and bound again on a hand-made device, under the real lock. */
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/platform.h>

static struct {
	unsigned probes, removes, suspends, resumes;
	bool running;
} kt_dev_state;

static int kt_probe(struct plat_device *dev)
{
	kt_dev_state.probes++;
	kt_dev_state.running = true;
	dev->driver_data = &kt_dev_state;
	return 0;
}

static int kt_remove(struct plat_device *dev)
{
	kt_dev_state.removes++;
	kt_dev_state.running = false;
	return dev->driver_data == &kt_dev_state ? 0 : -EINVAL;
}

static int kt_suspend(struct plat_device *dev)
{
	(void)dev;
	kt_dev_state.suspends++;
	kt_dev_state.running = false;
	return 0;
}

static int kt_resume(struct plat_device *dev)
{
	(void)dev;
	kt_dev_state.resumes++;
	kt_dev_state.running = true;
	return 0;
}

static const struct driver_ops kt_ops = { kt_probe, kt_remove, kt_suspend, kt_resume };
static const char *const kt_ids[] = { "keel,ktest-device", NULL };
static const struct driver kt_driver = { "ktest", DRIVER_CLASS_OTHER, kt_ids, &kt_ops, { 0 } };
static const char kt_compat[] = "keel,ktest-device";

KTEST(driver_test_device_binds_unbinds_and_rebinds)
{
	struct plat_device dev = { .name = "ktest", .compatible = kt_compat,
				   .compatible_len = sizeof(kt_compat), .available = true,
				   .parent = PLAT_NONE, .fdt_node = PLAT_NONE };

	kt_dev_state = (typeof(kt_dev_state)){ 0 };
	/* not in the kernel's table: the table is the list of real drivers */
	KT_EXPECT(driver_match(&dev, DRIVER_CLASS_ANY) == NULL);
	KT_EXPECT(driver_match_in(&kt_driver, 1, &dev, DRIVER_CLASS_ANY) == &kt_driver);
	KT_ASSERT(driver_bind(&dev, &kt_driver) == 0);
	KT_EXPECT(driver_of(&dev) == &kt_driver && kt_dev_state.running);
	KT_EXPECT(driver_bind(&dev, &kt_driver) == -EBUSY);
	KT_EXPECT(driver_suspend(&dev) == 0 && !kt_dev_state.running);
	KT_EXPECT(driver_resume(&dev) == 0 && kt_dev_state.running);
	KT_ASSERT(driver_unbind(&dev) == 0);
	KT_EXPECT(driver_of(&dev) == NULL && dev.driver_data == NULL && !kt_dev_state.running);
	KT_EXPECT(driver_unbind(&dev) == -ENODEV);
	KT_ASSERT(driver_bind(&dev, &kt_driver) == 0);
	KT_EXPECT(kt_dev_state.probes == 2 && kt_dev_state.removes == 1);
	KT_EXPECT(kt_dev_state.suspends == 1 && kt_dev_state.resumes == 1);
	KT_EXPECT(driver_unbind(&dev) == 0);
	dev.available = false; /* status "disabled": never probed */
	KT_EXPECT(driver_bind(&dev, &kt_driver) == -ENODEV && kt_dev_state.probes == 2);
}

KTEST(driver_table_is_well_formed)
{
	for (unsigned i = 0; i < driver_table_count; i++) {
		const struct driver *d = &driver_table[i];

		KT_EXPECT(d->name && d->compatible && d->compatible[0]);
		KT_EXPECT(d->ops && d->ops->probe);
		KT_EXPECT(d->class > DRIVER_CLASS_ANY && d->class < DRIVER_CLASS_COUNT);
	}
}
