// SPDX-License-Identifier: MIT
/* Host tests for lib/string.c (linked as keel_* next to libc, see include/lib/string.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include <lib/string.h>

static void string_memcpy_copies_exactly_n(void **state)
{
	char dst[8] = "XXXXXXX";

	(void)state;
	assert_ptr_equal(memcpy(dst, "abc", 3), dst);
	assert_memory_equal(dst, "abcXXXX", 8);
	memcpy(dst, "zz", 0);
	assert_int_equal(dst[0], 'a');
}

static void string_memmove_handles_overlap_both_ways(void **state)
{
	char buf[16];

	(void)state;
	memcpy(buf, "0123456789", 11);
	assert_ptr_equal(memmove(buf + 2, buf, 5), buf + 2);
	assert_memory_equal(buf, "0101234789", 11);
	memcpy(buf, "0123456789", 11);
	memmove(buf, buf + 3, 5);
	assert_memory_equal(buf, "3456756789", 11);
	memmove(buf, buf, 10);
	assert_memory_equal(buf, "3456756789", 11);
}

static void string_memset_fills_low_byte(void **state)
{
	unsigned char buf[6] = { 0 };

	(void)state;
	assert_ptr_equal(memset(buf, 0x1ab, 5), buf);
	for (int i = 0; i < 5; i++)
		assert_int_equal(buf[i], 0xab);
	assert_int_equal(buf[5], 0);
}

static void string_memcmp_compares_unsigned_bytes(void **state)
{
	(void)state;
	assert_int_equal(memcmp("abc", "abc", 3), 0);
	assert_true(memcmp("abc", "abd", 3) < 0);
	assert_true(memcmp("\x80", "\x7f", 1) > 0); /* 0x80 > 0x7f as unsigned char */
	assert_int_equal(memcmp("a", "b", 0), 0);
}

static void string_memchr_finds_first_within_n(void **state)
{
	const char *s = "hello";

	(void)state;
	assert_ptr_equal(memchr(s, 'l', 5), s + 2);
	assert_null(memchr(s, 'o', 4));
	assert_ptr_equal(memchr(s, '\0', 6), s + 5);
	assert_non_null(memchr("\xff", 0xff, 1));
	assert_non_null(memchr("\xff", -1, 1)); /* c is converted to unsigned char */
	assert_null(memchr(s, 'h', 0));
}

static void string_strlen_and_strnlen_stop_at_limits(void **state)
{
	char *p = malloc(4); /* unterminated: ASan catches strnlen reading past max */

	(void)state;
	assert_int_equal(strlen(""), 0);
	assert_int_equal(strlen("abc"), 3);
	memcpy(p, "abcd", 4);
	assert_int_equal(strnlen(p, 4), 4);
	assert_int_equal(strnlen(p, 2), 2);
	assert_int_equal(strnlen("ab", 10), 2);
	assert_int_equal(strnlen(p, 0), 0);
	free(p);
}

static void string_strcmp_orders_as_unsigned(void **state)
{
	(void)state;
	assert_int_equal(strcmp("abc", "abc"), 0);
	assert_true(strcmp("abc", "abd") < 0);
	assert_true(strcmp("abd", "abc") > 0);
	assert_true(strcmp("ab", "abc") < 0);
	assert_true(strcmp("abc", "ab") > 0);
	assert_true(strcmp("\xe9", "e") > 0);
	assert_int_equal(strcmp("", ""), 0);
}

static void string_strncmp_stops_at_n_and_nul(void **state)
{
	(void)state;
	assert_int_equal(strncmp("abcX", "abcY", 3), 0);
	assert_true(strncmp("abcX", "abcY", 4) < 0);
	assert_int_equal(strncmp("a", "b", 0), 0);
	assert_int_equal(strncmp("ab", "ab", 100), 0); /* stops at the NUL */
	assert_true(strncmp("ab", "abc", 3) < 0);
	assert_true(strncmp("\x80", "\x01", 1) > 0);
}

static void string_strchr_finds_char_and_terminator(void **state)
{
	const char *s = "a:b:c";

	(void)state;
	assert_ptr_equal(strchr(s, ':'), s + 1);
	assert_ptr_equal(strchr(s, '\0'), s + 5);
	assert_null(strchr(s, 'z'));
}

static void string_strlcpy_truncates_and_returns_source_length(void **state)
{
	char dst[4] = "XXX";

	(void)state;
	assert_int_equal(strlcpy(dst, "hello", sizeof(dst)), 5);
	assert_string_equal(dst, "hel");
	assert_int_equal(strlcpy(dst, "hi", sizeof(dst)), 2);
	assert_string_equal(dst, "hi");
	dst[0] = 'Q';
	assert_int_equal(strlcpy(dst, "abc", 0), 3);
	assert_int_equal(dst[0], 'Q');
	assert_int_equal(strlcpy(dst, "", sizeof(dst)), 0);
	assert_string_equal(dst, "");
}

static void string_starts_with_checks_prefix(void **state)
{
	(void)state;
	assert_true(str_starts_with("console=ttyS0", "console="));
	assert_true(str_starts_with("abc", ""));
	assert_true(str_starts_with("abc", "abc"));
	assert_false(str_starts_with("ab", "abc"));
	assert_false(str_starts_with("", "a"));
	assert_false(str_starts_with("xbc", "abc"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(string_memcpy_copies_exactly_n),
		cmocka_unit_test(string_memmove_handles_overlap_both_ways),
		cmocka_unit_test(string_memset_fills_low_byte),
		cmocka_unit_test(string_memcmp_compares_unsigned_bytes),
		cmocka_unit_test(string_memchr_finds_first_within_n),
		cmocka_unit_test(string_strlen_and_strnlen_stop_at_limits),
		cmocka_unit_test(string_strcmp_orders_as_unsigned),
		cmocka_unit_test(string_strncmp_stops_at_n_and_nul),
		cmocka_unit_test(string_strchr_finds_char_and_terminator),
		cmocka_unit_test(string_strlcpy_truncates_and_returns_source_length),
		cmocka_unit_test(string_starts_with_checks_prefix),
	};

	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
