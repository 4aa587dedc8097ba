// SPDX-License-Identifier: MIT
/* ktest: command-line word and key=value parsing. */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <lib/string.h>

KTEST(cmdline_matches_whole_words_only)
{
	KT_EXPECT(cmdline_has_word("ktest poweroff", "poweroff"));
	KT_EXPECT(cmdline_has_word("  ktest\t", "ktest"));
	KT_EXPECT(!cmdline_has_word("ktests", "ktest"));
	KT_EXPECT(!cmdline_has_word("", "ktest"));
}

KTEST(cmdline_gets_last_value_and_truncates)
{
	char buf[4];

	KT_EXPECT_EQ(cmdline_get("a=1 console=ttyS0 console=hvc0", "console", buf, sizeof(buf)), 4);
	KT_EXPECT(strcmp(buf, "hvc") == 0);
	KT_EXPECT_EQ(cmdline_get("a=1", "b", buf, sizeof(buf)), -ENOENT);
	KT_EXPECT_EQ(cmdline_get("ab=1", "a", buf, sizeof(buf)), -ENOENT);
}
