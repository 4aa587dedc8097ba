// SPDX-License-Identifier: MIT
/* Host tests for the device model (drivers/core.c): matching order, bind/unbind/suspend/resume
 * state and errors, class-ordered binding of a whole description, interrupt translation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <drivers/irqchip.h>
#include <drivers/test_exit.h>
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/platform.h>

/* ---- HAL stand-ins (the UART drivers of the real table are linked, never probed) ------- */

/* The test-exit device's register, at a made-up physical address; nothing else maps. */
#define FAKE_EXIT_PA 0x100000
static uint32_t fake_exit_reg;

void *hal_map_io(paddr_t pa, size_t size)
{
	(void)size;
	return pa == FAKE_EXIT_PA ? &fake_exit_reg : NULL;
}

void hal_console_putc(char c)
{
	(void)c;
}

/* ---- A test driver table whose ops log what they are asked ----------------------------- */

static int call_log[32];       /* device index << 4 | op, in call order */
static unsigned calls;
static int probe_result[PLAT_MAX_DEVICES];
static int remove_result, suspend_result, resume_result;
static struct platform plat;
static int data_word;

enum { OP_PROBE = 1, OP_REMOVE, OP_SUSPEND, OP_RESUME };

static int logged(struct plat_device *dev, int op)
{
	int i = (int)(dev - plat.dev);

	if (calls < 32)
		call_log[calls++] = i << 4 | op;
	return i;
}

static int t_probe(struct plat_device *dev)
{
	int i = logged(dev, OP_PROBE);

	dev->driver_data = &data_word; /* even a failing probe: the core must clear it */
	return probe_result[i];
}

static int t_remove(struct plat_device *dev)
{
	logged(dev, OP_REMOVE);
	return remove_result;
}

static int t_suspend(struct plat_device *dev)
{
	logged(dev, OP_SUSPEND);
	return suspend_result;
}

static int t_resume(struct plat_device *dev)
{
	logged(dev, OP_RESUME);
	return resume_result;
}

static unsigned trigger_calls;
static enum irq_trigger last_trigger;

/* Cell 0 is the line; 32 is added so the test can tell a translated number from the cell. */
static int t_xlate(const struct plat_device *chip, const struct plat_irq *irq,
		   unsigned *number, enum irq_trigger *trigger)
{
	(void)chip;
	if (irq->cell_count != 2 || irq->cells[0] > 100)
		return -EINVAL;
	*number = irq->cells[0] + 32;
	*trigger = irq->cells[1] ? IRQ_TRIGGER_EDGE : IRQ_TRIGGER_KEEP;
	return 0;
}

static int t_set_trigger(const struct plat_device *chip, unsigned number,
			 enum irq_trigger trigger)
{
	(void)chip;
	(void)number;
	trigger_calls++;
	last_trigger = trigger;
	return 0;
}

static const struct driver_ops full_ops = { t_probe, t_remove, t_suspend, t_resume };
static const struct driver_ops probe_only_ops = { .probe = t_probe };
static const struct irqchip_ops t_irqchip = { t_xlate, t_set_trigger };

static const char *const generic_ids[] = { "acme,generic", NULL };
static const char *const exact_ids[] = { "acme,uart-2000", NULL };
static const char *const intc_ids[] = { "acme,intc", "PNP0C99", NULL };
static const char *const other_ids[] = { "acme,gadget", NULL };
static const char *const fixed_ids[] = { "acme,fixed", NULL };

/* The generic driver is first on purpose: the device's own order must win, not the table's. */
static const struct driver table[] = {
	{ "generic", DRIVER_CLASS_CONSOLE, generic_ids, &full_ops, { 0 } },
	{ "exact", DRIVER_CLASS_CONSOLE, exact_ids, &full_ops, { 0 } },
	{ "intc", DRIVER_CLASS_IRQCHIP, intc_ids, &full_ops, { .irqchip = &t_irqchip } },
	{ "gadget", DRIVER_CLASS_OTHER, other_ids, &full_ops, { 0 } },
	{ "fixed", DRIVER_CLASS_OTHER, fixed_ids, &probe_only_ops, { 0 } },
};
#define TABLE_LEN (sizeof(table) / sizeof(table[0]))

/* A device with @compat (a NUL-separated list, sizeof including the final NUL). */
#define COMPAT(s) .compatible = (s), .compatible_len = sizeof(s)

static struct plat_device *add(struct plat_device d)
{
	struct plat_device *slot = &plat.dev[plat.dev_count++];

	d.parent = PLAT_NONE;
	d.fdt_node = PLAT_NONE;
	*slot = d;
	return slot;
}

static int reset(void **state)
{
	(void)state;
	memset(&plat, 0, sizeof(plat));
	plat.root_intc = PLAT_NONE;
	memset(probe_result, 0, sizeof(probe_result));
	remove_result = suspend_result = resume_result = 0;
	calls = 0;
	trigger_calls = 0;
	last_trigger = IRQ_TRIGGER_KEEP;
	return 0;
}

static const char *match_name(const struct plat_device *d, enum driver_class class)
{
	const struct driver *drv = driver_match_in(table, TABLE_LEN, d, class);

	return drv ? drv->name : NULL;
}

/* ---- The test-exit device (drivers/power/sifive_test.c, from the real table) ----------- */

/* Bound ahead of the others by test_exit_bind(), it carries pass and fail out as the codes
 * QEMU's sifive_test turns into its exit status; unbound, it writes nothing. */
static void test_exit_device_binds_early_and_writes_the_exit_code(void **state)
{
	struct plat_device *dev;

	(void)state;
	add((struct plat_device){ COMPAT("syscon"), .available = true }); /* too generic: no */
	assert_int_equal(test_exit_bind(&plat), -ENOENT);
	dev = add((struct plat_device){ COMPAT("sifive,test1\0sifive,test0\0syscon"),
					.available = true, .reg_count = 1 });
	dev->reg[0].base = FAKE_EXIT_PA;
	dev->reg[0].size = 0x1000;
	assert_int_equal(test_exit_bind(&plat), 0);
	assert_non_null(dev->driver);
	assert_string_equal(dev->driver->name, "sifive-test");
	assert_null(plat.dev[0].driver);
	test_exit_device_exit(false);
	assert_int_equal(fake_exit_reg, 0x13333); /* code 1 << 16 | FAIL */
	test_exit_device_exit(true);
	assert_int_equal(fake_exit_reg, 0x5555);
	fake_exit_reg = 0;
	test_exit_device_poweroff();
	assert_int_equal(fake_exit_reg, 0x5555);
	assert_int_equal(driver_unbind(dev), 0);
	fake_exit_reg = 0;
	test_exit_device_exit(false);
	assert_int_equal(fake_exit_reg, 0); /* nothing bound: nothing written */
}

/* ---- Matching -------------------------------------------------------------------------- */

static void match_prefers_the_most_specific_compatible(void **state)
{
	struct plat_device *both = add((struct plat_device){
		COMPAT("acme,uart-2000\0acme,generic"), .bus = PLAT_BUS_DT });
	struct plat_device *generic = add((struct plat_device){ COMPAT("acme,generic") });
	struct plat_device *unknown_first = add((struct plat_device){
		COMPAT("other,thing\0acme,uart-2000") });

	(void)state;
	assert_string_equal(match_name(both, DRIVER_CLASS_ANY), "exact");
	assert_string_equal(match_name(both, DRIVER_CLASS_CONSOLE), "exact");
	assert_string_equal(match_name(generic, DRIVER_CLASS_ANY), "generic");
	assert_string_equal(match_name(unknown_first, DRIVER_CLASS_ANY), "exact");
}

static void match_filters_by_class_and_knows_acpi_ids(void **state)
{
	struct plat_device *intc = add((struct plat_device){ COMPAT("PNP0C99"),
							     .bus = PLAT_BUS_ACPI });

	(void)state;
	assert_string_equal(match_name(intc, DRIVER_CLASS_ANY), "intc");
	assert_string_equal(match_name(intc, DRIVER_CLASS_IRQCHIP), "intc");
	assert_null(match_name(intc, DRIVER_CLASS_CONSOLE));
}

static void match_never_reads_past_an_unterminated_list(void **state)
{
	/* "acme,generic" is present but not NUL-terminated within compatible_len. */
	static const char raw[] = "x\0acme,generic";
	struct plat_device *d = add((struct plat_device){ .compatible = raw,
							  .compatible_len = sizeof(raw) - 1 });
	struct plat_device *empty = add((struct plat_device){ .compatible = NULL });

	(void)state;
	assert_null(match_name(d, DRIVER_CLASS_ANY));
	assert_null(match_name(empty, DRIVER_CLASS_ANY));
}

/* ---- Bind / unbind ----------------------------------------------------------------------- */

static void bind_records_driver_data_and_refuses_a_second_bind(void **state)
{
	struct plat_device *d = add((struct plat_device){ COMPAT("acme,gadget"),
							  .available = true });

	(void)state;
	assert_int_equal(driver_bind(d, &table[3]), 0);
	assert_ptr_equal(driver_of(d), &table[3]);
	assert_ptr_equal(d->driver_data, &data_word);
	assert_int_equal(d->bind_error, 0);
	assert_int_equal(driver_bind(d, &table[3]), -EBUSY);
	assert_int_equal(calls, 1); /* the second bind never reached probe */
	assert_ptr_equal(driver_of(d), &table[3]);
	assert_int_equal(d->bind_error, 0);
}

static void failed_probe_is_recorded_and_leaves_the_device_unbound(void **state)
{
	struct plat_device *d = add((struct plat_device){ COMPAT("acme,gadget"),
							  .available = true });

	(void)state;
	probe_result[0] = -EIO;
	assert_int_equal(driver_bind(d, &table[3]), -EIO);
	assert_null(driver_of(d));
	assert_null(d->driver_data);
	assert_int_equal(d->bind_error, -EIO);
	/* a later successful bind clears the record */
	probe_result[0] = 0;
	assert_int_equal(driver_bind(d, &table[3]), 0);
	assert_int_equal(d->bind_error, 0);
}

static void disabled_device_is_never_probed(void **state)
{
	struct plat_device *d = add((struct plat_device){ COMPAT("acme,gadget"),
							  .available = false });

	(void)state;
	assert_int_equal(driver_bind(d, &table[3]), -ENODEV);
	assert_int_equal(calls, 0);
	assert_null(driver_of(d));
}

static void unbind_removes_and_clears(void **state)
{
	struct plat_device *d = add((struct plat_device){ COMPAT("acme,gadget"),
							  .available = true });

	(void)state;
	assert_int_equal(driver_unbind(d), -ENODEV); /* nothing bound yet */
	assert_int_equal(driver_bind(d, &table[3]), 0);
	remove_result = -EBUSY;
	assert_int_equal(driver_unbind(d), -EBUSY);
	assert_ptr_equal(driver_of(d), &table[3]); /* a failed remove keeps the binding */
	remove_result = 0;
	assert_int_equal(driver_unbind(d), 0);
	assert_null(driver_of(d));
	assert_null(d->driver_data);
	assert_int_equal(call_log[0], 0 << 4 | OP_PROBE);
	assert_int_equal(call_log[1], 0 << 4 | OP_REMOVE);
	assert_int_equal(call_log[2], 0 << 4 | OP_REMOVE);
	/* and it can be bound again */
	assert_int_equal(driver_bind(d, &table[3]), 0);
	assert_int_equal(call_log[3], 0 << 4 | OP_PROBE);
}

static void driver_without_remove_cannot_be_unbound(void **state)
{
	struct plat_device *d = add((struct plat_device){ COMPAT("acme,fixed"),
							  .available = true });

	(void)state;
	assert_int_equal(driver_bind(d, &table[4]), 0);
	assert_int_equal(driver_unbind(d), -ENOSYS);
	assert_ptr_equal(driver_of(d), &table[4]);
	/* no suspend/resume ops: both succeed without a call */
	assert_int_equal(driver_suspend(d), 0);
	assert_int_equal(driver_resume(d), 0);
	assert_int_equal(calls, 1);
}

static void suspend_and_resume_reach_the_driver_and_record_errors(void **state)
{
	struct plat_device *d = add((struct plat_device){ COMPAT("acme,gadget"),
							  .available = true });

	(void)state;
	assert_int_equal(driver_suspend(d), -ENODEV);
	assert_int_equal(driver_resume(d), -ENODEV);
	assert_int_equal(calls, 0);
	assert_int_equal(driver_bind(d, &table[3]), 0);
	assert_int_equal(driver_suspend(d), 0);
	assert_int_equal(driver_resume(d), 0);
	assert_int_equal(call_log[1], OP_SUSPEND);
	assert_int_equal(call_log[2], OP_RESUME);
	resume_result = -EIO;
	assert_int_equal(driver_resume(d), -EIO);
	assert_int_equal(d->bind_error, -EIO);
	assert_ptr_equal(driver_of(d), &table[3]); /* still bound: the driver decides recovery */
}

/* ---- A whole description ------------------------------------------------------------------ */

static void bind_all_goes_class_by_class_root_controller_first(void **state)
{
	struct driver_bind_stats st;

	(void)state;
	add((struct plat_device){ COMPAT("acme,generic"), .available = true });   /* 0 console */
	add((struct plat_device){ COMPAT("acme,gadget"), .available = true });    /* 1 other */
	add((struct plat_device){ COMPAT("acme,intc"), .available = true });      /* 2 irqchip */
	add((struct plat_device){ COMPAT("acme,intc"), .available = true });      /* 3 root */
	add((struct plat_device){ COMPAT("acme,gadget"), .available = false });   /* 4 disabled */
	add((struct plat_device){ COMPAT("acme,nothing"), .available = true });   /* 5 unmatched */
	add((struct plat_device){ COMPAT("acme,gadget"), .available = true });    /* 6 declines */
	add((struct plat_device){ COMPAT("acme,gadget"), .available = true });    /* 7 fails */
	plat.root_intc = 3;
	probe_result[6] = -ENODEV;
	probe_result[7] = -EIO;
	driver_bind_all_in(&plat, table, TABLE_LEN, &st);

	assert_int_equal(calls, 6);
	assert_int_equal(call_log[0], 3 << 4 | OP_PROBE);
	assert_int_equal(call_log[1], 2 << 4 | OP_PROBE);
	assert_int_equal(call_log[2], 0 << 4 | OP_PROBE);
	assert_int_equal(call_log[3], 1 << 4 | OP_PROBE);
	assert_int_equal(call_log[4], 6 << 4 | OP_PROBE);
	assert_int_equal(call_log[5], 7 << 4 | OP_PROBE);
	assert_int_equal(st.bound, 4);
	assert_int_equal(st.declined, 1);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.disabled, 1);
	assert_int_equal(st.unmatched, 1);
	assert_null(plat.dev[4].driver);
	assert_int_equal(plat.dev[7].bind_error, -EIO);
	assert_int_equal(plat.dev[6].bind_error, -ENODEV);

	/* A second walk binds nothing new and probes nothing already bound. */
	probe_result[6] = 0;
	driver_bind_all_in(&plat, table, TABLE_LEN, &st);
	assert_int_equal(st.bound, 1);                 /* only the device that declined before */
	assert_int_equal(call_log[calls - 1], 7 << 4 | OP_PROBE);
	assert_int_equal(calls, 8);
}

/* ---- Interrupt translation ---------------------------------------------------------------- */

static void irq_number_goes_through_the_parent_controller(void **state)
{
	struct plat_device *uart;
	unsigned nr = 0;

	(void)state;
	add((struct plat_device){ COMPAT("acme,intc"), .available = true, .is_intc = true });
	uart = add((struct plat_device){ COMPAT("acme,gadget"), .available = true });
	uart->irq_count = 3;
	uart->irq[0] = (struct plat_irq){ .parent = 0, .cell_count = 2, .cells = { 5, 1 } };
	uart->irq[1] = (struct plat_irq){ .parent = 0, .cell_count = 1, .cells = { 5 } };
	uart->irq[2] = (struct plat_irq){ .parent = 9, .cell_count = 2 };

	/* the controller is not bound yet: nobody can say what the cells mean */
	assert_int_equal(driver_irq_number(&plat, uart, 0, &nr), -ENODEV);
	assert_int_equal(driver_bind(&plat.dev[0], &table[2]), 0);
	assert_int_equal(driver_irq_number(&plat, uart, 0, &nr), 0);
	assert_int_equal(nr, 37);
	assert_int_equal(trigger_calls, 1);
	assert_int_equal(last_trigger, IRQ_TRIGGER_EDGE);
	assert_int_equal(driver_irq_number(&plat, uart, 1, &nr), -EINVAL); /* xlate refuses */
	assert_int_equal(driver_irq_number(&plat, uart, 2, &nr), -ENODEV); /* parent out of range */
	assert_int_equal(driver_irq_number(&plat, uart, 3, &nr), -ENOENT); /* no such interrupt */
	/* a parent bound to a driver that is no interrupt controller */
	uart->irq[2].parent = 1;
	assert_int_equal(driver_bind(uart, &table[3]), 0);
	assert_int_equal(driver_irq_number(&plat, uart, 2, &nr), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(match_prefers_the_most_specific_compatible, reset),
		cmocka_unit_test_setup(match_filters_by_class_and_knows_acpi_ids, reset),
		cmocka_unit_test_setup(match_never_reads_past_an_unterminated_list, reset),
		cmocka_unit_test_setup(bind_records_driver_data_and_refuses_a_second_bind, reset),
		cmocka_unit_test_setup(failed_probe_is_recorded_and_leaves_the_device_unbound,
				       reset),
		cmocka_unit_test_setup(disabled_device_is_never_probed, reset),
		cmocka_unit_test_setup(unbind_removes_and_clears, reset),
		cmocka_unit_test_setup(driver_without_remove_cannot_be_unbound, reset),
		cmocka_unit_test_setup(suspend_and_resume_reach_the_driver_and_record_errors, reset),
		cmocka_unit_test_setup(bind_all_goes_class_by_class_root_controller_first, reset),
		cmocka_unit_test_setup(irq_number_goes_through_the_parent_controller, reset),
		cmocka_unit_test_setup(test_exit_device_binds_early_and_writes_the_exit_code, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
