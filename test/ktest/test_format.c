// SPDX-License-Identifier: MIT
/* ktest: lib/format.c as built for the target (ABI of va_list, 64-bit arithmetic). */
#include <kernel/ktest.h>
#include <lib/format.h>
#include <lib/string.h>

static bool formats_as(const char *expect, const char *fmt, ...)
{
	char buf[96];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strcmp(buf, expect) == 0;
}

KTEST(format_integers_and_flags)
{
	KT_EXPECT(formats_as("42|-42|+7| 7", "%d|%i|%+d|% d", 42, -42, 7, 7));
	KT_EXPECT(formats_as("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1)));
	KT_EXPECT(formats_as("18446744073709551615", "%llu", 18446744073709551615ULL));
	KT_EXPECT(formats_as("0x00ff|FF|377", "%#06x|%X|%o", 255u, 255u, 255u));
	KT_EXPECT(formats_as("  -05|-5   |00042", "%5.2d|%-5d|%05d", -5, -5, 42));
	KT_EXPECT(formats_as("7|7", "%zu|%hhu", (size_t)7, 263));
}

KTEST(format_strings_pointers_and_truncation)
{
	char small[6];

	KT_EXPECT(formats_as("[  abc][ab   ][(null)]", "[%5s][%-5.2s][%s]", "abc", "abc", (char *)0));
	KT_EXPECT(formats_as("0x0000000000001000", "%p", (void *)0x1000));
	KT_EXPECT(formats_as("%|%y", "%%|%y"));
	KT_EXPECT_EQ(ksnprintf(small, sizeof(small), "%s", "truncated"), 9);
	KT_EXPECT(strcmp(small, "trunc") == 0);
}
