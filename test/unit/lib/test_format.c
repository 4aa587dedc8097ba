// SPDX-License-Identifier: MIT
/* Host tests for lib/format.c: conversions, flags, widths, and ksnprintf truncation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <lib/format.h>

/*
 * kfmt() has no format attribute on purpose: the tests feed it conversions the compiler
 * would (rightly) warn about, such as unknown ones.
 */
static char out[512];

static const char *kfmt(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(out, sizeof(out), fmt, ap);
	va_end(ap);
	return out;
}

/* Compare with the host C library for conversions where C's answer is ours too. */
#define SAME_AS_LIBC(fmt, ...)                                          \
	do {                                                            \
		char want[512];                                         \
		snprintf(want, sizeof(want), fmt, __VA_ARGS__);         \
		assert_string_equal(kfmt(fmt, __VA_ARGS__), want);      \
	} while (0)

static void format_prints_plain_text_and_percent(void **state)
{
	(void)state;
	assert_string_equal(kfmt("hello"), "hello");
	assert_string_equal(kfmt("100%%"), "100%");
	assert_string_equal(kfmt(""), "");
}

static void format_signed_decimal_matches_c(void **state)
{
	(void)state;
	SAME_AS_LIBC("%d", 0);
	SAME_AS_LIBC("%d|%i", -42, 42);
	SAME_AS_LIBC("%d", INT_MAX);
	SAME_AS_LIBC("%d", INT_MIN);
	SAME_AS_LIBC("%ld", LONG_MIN);
	SAME_AS_LIBC("%lld", LLONG_MIN);
	SAME_AS_LIBC("%lld", LLONG_MAX);
	/* int arguments cut to the modifier's type (literal: clang -Wformat rejects them) */
	assert_string_equal(kfmt("%hhd|%hd", 200, 70000), "-56|4464");
	SAME_AS_LIBC("%zd", (size_t)-5);
	SAME_AS_LIBC("%td", (ptrdiff_t)-7);
	SAME_AS_LIBC("%jd", (intmax_t)INT64_MIN);
}

static void format_unsigned_and_bases_match_c(void **state)
{
	(void)state;
	SAME_AS_LIBC("%u", UINT_MAX);
	SAME_AS_LIBC("%llu", ULLONG_MAX);
	SAME_AS_LIBC("%x|%X", 0xdeadbeefu, 0xdeadbeefu);
	SAME_AS_LIBC("%llx", 0x0123456789abcdefull);
	SAME_AS_LIBC("%o", 8u);
	SAME_AS_LIBC("%llo", ULLONG_MAX);
	assert_string_equal(kfmt("%hhu|%hu", 257u, 65537u), "1|1");
	SAME_AS_LIBC("%zu|%zx", (size_t)SIZE_MAX, (size_t)SIZE_MAX);
	SAME_AS_LIBC("%ju", (uintmax_t)UINTMAX_MAX);
}

static void format_width_and_left_justify_match_c(void **state)
{
	(void)state;
	SAME_AS_LIBC("[%5d]", 42);
	SAME_AS_LIBC("[%-5d]", 42);
	SAME_AS_LIBC("[%5d]", -42);
	SAME_AS_LIBC("[%1d]", 12345);
	SAME_AS_LIBC("[%*d]", 6, 7);
	SAME_AS_LIBC("[%*d]", -6, 7); /* negative '*' width: left-justified */
	SAME_AS_LIBC("[%-*d]", 6, 7);
	SAME_AS_LIBC("[%10s]", "abc");
	SAME_AS_LIBC("[%-10s]", "abc");
	SAME_AS_LIBC("[%3c]", 'x');
	SAME_AS_LIBC("[%-3c]", 'x');
}

static void format_pads_zero_after_sign(void **state)
{
	(void)state;
	SAME_AS_LIBC("[%05d]", -42);
	SAME_AS_LIBC("[%+05d]", 42);
	SAME_AS_LIBC("[% 05d]", 42);
	SAME_AS_LIBC("[%#010x]", 0xbeefu);
	assert_string_equal(kfmt("[%-05d]", -42), "[-42  ]"); /* '-' overrides '0' */
	assert_string_equal(kfmt("[%05.3d]", 7), "[  007]"); /* a precision overrides '0' */
	SAME_AS_LIBC("[%08lld]", LLONG_MIN);
	assert_string_equal(kfmt("[%05d]", -42), "[-0042]");
}

static void format_precision_matches_c(void **state)
{
	(void)state;
	SAME_AS_LIBC("[%.3d]", 7);
	SAME_AS_LIBC("[%.3d]", -7);
	SAME_AS_LIBC("[%8.3d]", -7);
	SAME_AS_LIBC("[%-8.3x]", 0xau);
	SAME_AS_LIBC("[%.0d]", 0);   /* precision 0 of zero prints no digits */
	SAME_AS_LIBC("[%.d]", 0);
	SAME_AS_LIBC("[%5.0d]", 0);
	SAME_AS_LIBC("[%.0x]", 0u);
	SAME_AS_LIBC("[%.*d]", 4, 3);
	SAME_AS_LIBC("[%.*d]", -1, 3); /* negative '*' precision: as if omitted */
	SAME_AS_LIBC("[%.2s]", "abcdef");
	SAME_AS_LIBC("[%6.2s]", "abcdef");
	SAME_AS_LIBC("[%.10s]", "abc");
	SAME_AS_LIBC("[%.0s]", "abc");
}

static void format_flags_match_c(void **state)
{
	(void)state;
	SAME_AS_LIBC("[%+d|%+d|%+d]", 5, -5, 0);
	SAME_AS_LIBC("[% d|% d]", 5, -5);
	assert_string_equal(kfmt("[%+ d]", 5), "[+5]"); /* '+' wins over ' ' */
	SAME_AS_LIBC("[%#x|%#X]", 255u, 255u);
	SAME_AS_LIBC("[%#x]", 0u);      /* no 0x for zero */
	SAME_AS_LIBC("[%#.0x]", 0u);
	SAME_AS_LIBC("[%#o|%#o]", 8u, 0u);
	SAME_AS_LIBC("[%#.3o]", 8u);    /* the precision already gives the leading 0 */
	SAME_AS_LIBC("[%#.0o]", 0u);
	/* sign flags apply to signed conversions only (C11 7.21.6.1p6) */
	assert_string_equal(kfmt("[%+u|% u]", 5u, 5u), "[5|5]");
	assert_string_equal(kfmt("[%+x|% o]", 5u, 8u), "[5|10]");
}

static void format_pointer_is_0x_and_full_width(void **state)
{
	(void)state;
	if (sizeof(void *) == 8) {
		assert_string_equal(kfmt("%p", (void *)0x1234), "0x0000000000001234");
		assert_string_equal(kfmt("%p", (void *)NULL), "0x0000000000000000");
		assert_string_equal(kfmt("[%20p]", (void *)0xff), "[  0x00000000000000ff]");
		assert_string_equal(kfmt("[%-20p]", (void *)0xff), "[0x00000000000000ff  ]");
		assert_string_equal(kfmt("[%020p]", (void *)0xff), "[  0x00000000000000ff]");
	} else {
		assert_string_equal(kfmt("%p", (void *)0x1234), "0x00001234");
	}
}

static void format_string_null_prints_null(void **state)
{
	(void)state;
	assert_string_equal(kfmt("%s", (char *)NULL), "(null)");
	assert_string_equal(kfmt("[%8s]", (char *)NULL), "[  (null)]");
	assert_string_equal(kfmt("%s|%s", "", "x"), "|x");
}

static void format_char_including_nul(void **state)
{
	char buf[8];

	(void)state;
	assert_string_equal(kfmt("%c%c%c", 'a', 'b', 'c'), "abc");
	assert_int_equal(ksnprintf(buf, sizeof(buf), "a%cb", 0), 3);
	assert_memory_equal(buf, "a\0b", 4);
	assert_int_equal(ksnprintf(buf, sizeof(buf), "[%3c]", 0), 5);
	assert_memory_equal(buf, "[  \0]", 6);
}

static void format_unknown_conversion_prints_itself(void **state)
{
	(void)state;
	assert_string_equal(kfmt("%k"), "%k");
	assert_string_equal(kfmt("a%5kb"), "a%5kb");
	assert_string_equal(kfmt("%-08.3lk"), "%-08.3lk");
	assert_string_equal(kfmt("%y%d", 7), "%y7"); /* the argument stays with %d */
	assert_string_equal(kfmt("%*k%d", 3), "%*k3"); /* even a '*' reads nothing */
	assert_string_equal(kfmt("%.*k%s", "s"), "%.*ks");
	assert_string_equal(kfmt("end%"), "end%");
	assert_string_equal(kfmt("end%5"), "end%5");
	assert_string_equal(kfmt("end%l"), "end%l");
}

static void format_snprintf_returns_full_length_and_terminates(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%s", "hello world"), 11);
	assert_string_equal(buf, "hello w");
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%d", 1234567), 7);
	assert_string_equal(buf, "1234567");
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%d", 12345678), 8);
	assert_string_equal(buf, "1234567");
	assert_int_equal(ksnprintf(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
	buf[0] = 'X';
	assert_int_equal(ksnprintf(buf, 0, "abc"), 3); /* size 0: nothing written */
	assert_int_equal(buf[0], 'X');
	assert_int_equal(ksnprintf(NULL, 0, "%d", -100), 4);
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%s", ""), 0);
	assert_string_equal(buf, "");
}

static void format_snprintf_never_writes_past_size(void **state)
{
	char buf[32];

	(void)state;
	for (size_t size = 0; size <= 16; size++) {
		memset(buf, '#', sizeof(buf));
		int n = ksnprintf(buf, size, "%08x-%s", 0xabcdu, "tail");

		assert_int_equal(n, 13);
		if (size)
			assert_int_equal(strlen(buf), size - 1 < 13 ? size - 1 : 13);
		for (size_t i = size; i < sizeof(buf); i++)
			assert_int_equal(buf[i], '#');
	}
}

struct count_sink {
	char buf[64];
	int n;
};

static void collect(char c, void *ctx)
{
	struct count_sink *s = ctx;

	if (s->n < (int)sizeof(s->buf) - 1)
		s->buf[s->n] = c;
	s->n++;
}

static int via_sink(struct count_sink *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvformat(collect, s, fmt, ap);
	va_end(ap);
	return n;
}

static void format_sink_sees_every_character(void **state)
{
	struct count_sink s = { .n = 0 };

	(void)state;
	assert_int_equal(via_sink(&s, "%s=%d", "x", -1), 4);
	assert_int_equal(s.n, 4);
	assert_memory_equal(s.buf, "x=-1", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_prints_plain_text_and_percent),
		cmocka_unit_test(format_signed_decimal_matches_c),
		cmocka_unit_test(format_unsigned_and_bases_match_c),
		cmocka_unit_test(format_width_and_left_justify_match_c),
		cmocka_unit_test(format_pads_zero_after_sign),
		cmocka_unit_test(format_precision_matches_c),
		cmocka_unit_test(format_flags_match_c),
		cmocka_unit_test(format_pointer_is_0x_and_full_width),
		cmocka_unit_test(format_string_null_prints_null),
		cmocka_unit_test(format_char_including_nul),
		cmocka_unit_test(format_unknown_conversion_prints_itself),
		cmocka_unit_test(format_snprintf_returns_full_length_and_terminates),
		cmocka_unit_test(format_snprintf_never_writes_past_size),
		cmocka_unit_test(format_sink_sees_every_character),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
