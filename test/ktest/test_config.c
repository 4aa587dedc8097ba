// SPDX-License-Identifier: MIT
/* ktest: the live kernel_config matches the profile this kernel was built with. */
#include <kernel/config.h>
#include <kernel/ktest.h>
#include <lib/string.h>

KTEST(config_defaults_follow_profile)
{
	kernel_config_t fresh;

	kernel_config_init_defaults(&fresh);
	KT_EXPECT(memcmp(&fresh, &kernel_config, sizeof(fresh)) == 0);
	KT_EXPECT_EQ(kernel_config.version, KERNEL_CONFIG_VERSION);
	KT_EXPECT(strcmp(kernel_profile_name(), CONFIG_PROFILE) == 0);
	KT_EXPECT_EQ(kernel_config.ram_scrubber_enabled, IS_ENABLED(CONFIG_ENABLE_RAM_SCRUBBER));
	KT_EXPECT_EQ(kernel_config.invariants_enabled, IS_ENABLED(CONFIG_ENABLE_PARANOID_CHECKS));
	KT_EXPECT_EQ(kernel_config.hash_kernel_text_enabled,
		     IS_ENABLED(CONFIG_ENABLE_HASH_KERNEL_TEXT));
	KT_EXPECT(kernel_config.msg_header_checks_enabled);
}
