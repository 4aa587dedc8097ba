// SPDX-License-Identifier: MIT
/* ktest: lib/string.c on the target (alignment, overlap). */
#include <kernel/ktest.h>
#include <lib/string.h>

KTEST(string_memmove_handles_overlap)
{
	char buf[16] = "abcdefgh";

	memmove(buf + 2, buf, 6);
	KT_EXPECT(memcmp(buf, "ababcdef", 8) == 0);
	memmove(buf, buf + 3, 5);
	KT_EXPECT(memcmp(buf, "bcdefdef", 8) == 0);
}

KTEST(string_basic_functions)
{
	char dst[8];

	memset(dst, 'x', sizeof(dst));
	KT_EXPECT_EQ(strlcpy(dst, "keelkernel", sizeof(dst)), 10);
	KT_EXPECT(strcmp(dst, "keelker") == 0);
	KT_EXPECT_EQ(strlen(""), 0);
	KT_EXPECT_EQ(strnlen("abcdef", 3), 3);
	KT_EXPECT(strcmp("a", "b") < 0 && strcmp("b", "a") > 0 && strcmp("ab", "ab") == 0);
	KT_EXPECT(strncmp("abcX", "abcY", 3) == 0);
	KT_EXPECT(strchr("hello", 'l') != NULL && *strchr("hello", 'l') == 'l');
	KT_EXPECT(strchr("hello", 'z') == NULL);
	KT_EXPECT(str_starts_with("ktest=1", "ktest") && !str_starts_with("kt", "ktest"));
}
