// SPDX-License-Identifier: MIT
/* Host tests for core/cmdline.c: whole-word flags and key=value options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <lib/string.h>

static void cmdline_has_word_matches_whole_words(void **state)
{
	(void)state;
	assert_true(cmdline_has_word("ktest", "ktest"));
	assert_true(cmdline_has_word("console=ttyS0 ktest  poweroff", "poweroff"));
	assert_true(cmdline_has_word("\tktest\n", "ktest"));
	assert_false(cmdline_has_word("ktests", "ktest"));
	assert_false(cmdline_has_word("xktest", "ktest"));
	assert_false(cmdline_has_word("ktest=1", "ktest"));
	assert_false(cmdline_has_word("", "ktest"));
	assert_false(cmdline_has_word("   ", "ktest"));
}

static void cmdline_get_returns_last_value(void **state)
{
	(void)state;
	char buf[16];

	assert_int_equal(cmdline_get("a=1 b=22 a=333", "a", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "333");
	assert_int_equal(cmdline_get("b=22", "b", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "22");
	assert_int_equal(cmdline_get("empty=", "empty", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void cmdline_get_rejects_prefixes_and_missing_keys(void **state)
{
	(void)state;
	char buf[16] = "unchanged";

	assert_int_equal(cmdline_get("ab=1", "a", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(cmdline_get("a", "a", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(cmdline_get("", "a", buf, sizeof(buf)), -ENOENT);
}

static void cmdline_get_truncates_and_terminates(void **state)
{
	(void)state;
	char buf[4];

	assert_int_equal(cmdline_get("root=/dev/vda1", "root", buf, sizeof(buf)), 9);
	assert_string_equal(buf, "/de");
	assert_int_equal(cmdline_get("root=/dev/vda1", "root", NULL, 0), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cmdline_has_word_matches_whole_words),
		cmocka_unit_test(cmdline_get_returns_last_value),
		cmocka_unit_test(cmdline_get_rejects_prefixes_and_missing_keys),
		cmocka_unit_test(cmdline_get_truncates_and_terminates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
