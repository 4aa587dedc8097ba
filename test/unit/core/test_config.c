// SPDX-License-Identifier: MIT
/* Host tests for core/config.c, built once per profile (see test/unit/meson.build). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/compiler.h>
#include <kernel/config.h>

/* The exact defaults each profile must produce with its Kconfig-default mechanisms. */
static const kernel_config_t want_dev = {
	.version = KERNEL_CONFIG_VERSION,
	.ram_scrubber_enabled = 0, .ram_scrubber_rate_pages_per_sec = 0,
	.invariants_enabled = 1, .invariants_sample_rate = 1,
	.msg_header_checks_enabled = 1, .msg_payload_crc_enabled = 1, .msg_crc_sample_rate = 1,
	.watchdog_enabled = 0, .watchdog_timeout_ms = 0,
	.hash_kernel_text_enabled = 0, .hash_kernel_text_interval_sec = 0,
};

static const kernel_config_t want_standard = {
	.version = KERNEL_CONFIG_VERSION,
	.ram_scrubber_enabled = 0, .ram_scrubber_rate_pages_per_sec = 0,
	.invariants_enabled = 0, .invariants_sample_rate = 0, /* paranoid checks compiled out */
	.msg_header_checks_enabled = 1, .msg_payload_crc_enabled = 0, .msg_crc_sample_rate = 0,
	.watchdog_enabled = 1, .watchdog_timeout_ms = 10000,
	.hash_kernel_text_enabled = 0, .hash_kernel_text_interval_sec = 0,
};

static const kernel_config_t want_hardened = {
	.version = KERNEL_CONFIG_VERSION,
	.ram_scrubber_enabled = 1, .ram_scrubber_rate_pages_per_sec = 256,
	.invariants_enabled = 1, .invariants_sample_rate = 10,
	.msg_header_checks_enabled = 1, .msg_payload_crc_enabled = 1, .msg_crc_sample_rate = 8,
	.watchdog_enabled = 1, .watchdog_timeout_ms = 2000,
	.hash_kernel_text_enabled = 1, .hash_kernel_text_interval_sec = 60,
};

static const kernel_config_t *expected(void)
{
	if (IS_ENABLED(CONFIG_PROFILE_DEV))
		return &want_dev;
	if (IS_ENABLED(CONFIG_PROFILE_HARDENED))
		return &want_hardened;
	return &want_standard;
}

static void assert_config_equal(const kernel_config_t *got, const kernel_config_t *want)
{
	assert_int_equal(got->version, want->version);
	assert_int_equal(got->ram_scrubber_enabled, want->ram_scrubber_enabled);
	assert_int_equal(got->ram_scrubber_rate_pages_per_sec,
			 want->ram_scrubber_rate_pages_per_sec);
	assert_int_equal(got->invariants_enabled, want->invariants_enabled);
	assert_int_equal(got->invariants_sample_rate, want->invariants_sample_rate);
	assert_int_equal(got->msg_header_checks_enabled, want->msg_header_checks_enabled);
	assert_int_equal(got->msg_payload_crc_enabled, want->msg_payload_crc_enabled);
	assert_int_equal(got->msg_crc_sample_rate, want->msg_crc_sample_rate);
	assert_int_equal(got->watchdog_enabled, want->watchdog_enabled);
	assert_int_equal(got->watchdog_timeout_ms, want->watchdog_timeout_ms);
	assert_int_equal(got->hash_kernel_text_enabled, want->hash_kernel_text_enabled);
	assert_int_equal(got->hash_kernel_text_interval_sec, want->hash_kernel_text_interval_sec);
}

static void config_defaults_match_profile_table(void **state)
{
	kernel_config_t cfg;

	(void)state;
	memset(&cfg, 0xa5, sizeof(cfg)); /* every field must be written */
	kernel_config_init_defaults(&cfg);
	assert_config_equal(&cfg, expected());
}

static void config_profile_name_matches_build(void **state)
{
	const char *want = IS_ENABLED(CONFIG_PROFILE_DEV) ? "dev" :
			   IS_ENABLED(CONFIG_PROFILE_HARDENED) ? "hardened" : "standard";

	(void)state;
	assert_string_equal(kernel_profile_name(), want);
}

/* Whatever the profile, a mechanism that is not in the binary reads as off, rate 0. */
static void config_compiled_out_mechanism_reads_disabled(void **state)
{
	kernel_config_t cfg;

	(void)state;
	kernel_config_init_defaults(&cfg);
	if (!IS_ENABLED(CONFIG_ENABLE_RAM_SCRUBBER)) {
		assert_int_equal(cfg.ram_scrubber_enabled, 0);
		assert_int_equal(cfg.ram_scrubber_rate_pages_per_sec, 0);
	}
	if (!IS_ENABLED(CONFIG_ENABLE_PARANOID_CHECKS)) {
		assert_int_equal(cfg.invariants_enabled, 0);
		assert_int_equal(cfg.invariants_sample_rate, 0);
	}
	if (!IS_ENABLED(CONFIG_ENABLE_HASH_KERNEL_TEXT)) {
		assert_int_equal(cfg.hash_kernel_text_enabled, 0);
		assert_int_equal(cfg.hash_kernel_text_interval_sec, 0);
	}
}

/* A disabled mechanism never carries a rate, and an enabled one always has one. */
static void config_rates_follow_enable_flags(void **state)
{
	kernel_config_t cfg;

	(void)state;
	kernel_config_init_defaults(&cfg);
	assert_int_equal(cfg.ram_scrubber_enabled, cfg.ram_scrubber_rate_pages_per_sec != 0);
	assert_int_equal(cfg.invariants_enabled, cfg.invariants_sample_rate != 0);
	assert_int_equal(cfg.msg_payload_crc_enabled, cfg.msg_crc_sample_rate != 0);
	assert_int_equal(cfg.watchdog_enabled, cfg.watchdog_timeout_ms != 0);
	assert_int_equal(cfg.hash_kernel_text_enabled, cfg.hash_kernel_text_interval_sec != 0);
	assert_int_equal(cfg.msg_header_checks_enabled, 1);
}

static void config_hardened_enables_scrubber(void **state)
{
	kernel_config_t cfg;

	(void)state;
	kernel_config_init_defaults(&cfg);
	assert_int_equal(cfg.ram_scrubber_enabled, 1);
	assert_int_equal(cfg.ram_scrubber_rate_pages_per_sec, 256);
	assert_int_equal(cfg.hash_kernel_text_enabled, 1);
}

static void config_dev_checks_every_operation(void **state)
{
	kernel_config_t cfg;

	(void)state;
	kernel_config_init_defaults(&cfg);
	assert_int_equal(cfg.invariants_sample_rate, 1);
	assert_int_equal(cfg.msg_crc_sample_rate, 1);
	assert_int_equal(cfg.watchdog_enabled, 0);
}

/* Variants built with a profile's mechanisms turned off in menuconfig. */
static void config_hardened_without_scrubber_or_hash_reads_disabled(void **state)
{
	kernel_config_t cfg;

	(void)state;
	kernel_config_init_defaults(&cfg);
	assert_int_equal(cfg.ram_scrubber_enabled, 0);
	assert_int_equal(cfg.ram_scrubber_rate_pages_per_sec, 0);
	assert_int_equal(cfg.hash_kernel_text_enabled, 0);
	assert_int_equal(cfg.hash_kernel_text_interval_sec, 0);
	assert_int_equal(cfg.invariants_enabled, 0);
	assert_int_equal(cfg.watchdog_timeout_ms, 2000); /* not a compiled mechanism */
}

static void config_dev_without_paranoid_reads_disabled(void **state)
{
	kernel_config_t cfg;

	(void)state;
	kernel_config_init_defaults(&cfg);
	assert_int_equal(cfg.invariants_enabled, 0);
	assert_int_equal(cfg.invariants_sample_rate, 0);
	assert_int_equal(cfg.msg_payload_crc_enabled, 1);
}

int main(void)
{
	const struct CMUnitTest common[] = {
		cmocka_unit_test(config_profile_name_matches_build),
		cmocka_unit_test(config_compiled_out_mechanism_reads_disabled),
		cmocka_unit_test(config_rates_follow_enable_flags),
	};
	const struct CMUnitTest defaults[] = {
		cmocka_unit_test(config_defaults_match_profile_table),
	};
	const struct CMUnitTest hardened[] = {
		cmocka_unit_test(config_hardened_enables_scrubber),
	};
	const struct CMUnitTest dev[] = {
		cmocka_unit_test(config_dev_checks_every_operation),
	};
	const struct CMUnitTest hardened_out[] = {
		cmocka_unit_test(config_hardened_without_scrubber_or_hash_reads_disabled),
	};
	const struct CMUnitTest dev_out[] = {
		cmocka_unit_test(config_dev_without_paranoid_reads_disabled),
	};
	int failed = cmocka_run_group_tests_name("config_common", common, NULL, NULL);

	/* TEST_VARIANT_COMPILED_OUT: a profile with some of its mechanisms configured off */
	if (!IS_ENABLED(TEST_VARIANT_COMPILED_OUT)) {
		failed += cmocka_run_group_tests_name("config_defaults", defaults, NULL, NULL);
		if (IS_ENABLED(CONFIG_PROFILE_HARDENED))
			failed += cmocka_run_group_tests_name("config_hardened", hardened, NULL, NULL);
		if (IS_ENABLED(CONFIG_PROFILE_DEV))
			failed += cmocka_run_group_tests_name("config_dev", dev, NULL, NULL);
	} else {
		if (IS_ENABLED(CONFIG_PROFILE_HARDENED))
			failed += cmocka_run_group_tests_name("config_hardened_out", hardened_out,
							      NULL, NULL);
		if (IS_ENABLED(CONFIG_PROFILE_DEV))
			failed += cmocka_run_group_tests_name("config_dev_out", dev_out, NULL, NULL);
	}
	return failed;
}
