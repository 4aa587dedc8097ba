// SPDX-License-Identifier: MIT
/* Runtime hardening knobs: per-profile defaults of kernel_config_t. */
#include <kernel/compiler.h>
#include <kernel/config.h>

kernel_config_t kernel_config;

/*
 * Each profile's intent:
 *  DEV       - catch bugs early: every invariant on every operation, checksums on every
 *              message; no watchdog (a debugger would trip it); no scrubber or text hashing.
 *  STANDARD  - production default: cheap header checks and a relaxed watchdog only.
 *  HARDENED  - defence in depth: sampled invariants and checksums (bounded cost keeps
 *              latency predictable), scrubber, text hashing, a tight watchdog.
 */
struct profile_defaults {
	uint32_t scrub_rate;
	uint8_t invariants_sample;
	uint8_t crc_enabled, crc_sample;
	uint8_t watchdog_enabled;
	uint32_t watchdog_ms;
	uint32_t hash_interval_sec;
};

static const struct profile_defaults profile_dev = {
	.scrub_rate = 0, .invariants_sample = 1, .crc_enabled = 1, .crc_sample = 1,
	.watchdog_enabled = 0, .watchdog_ms = 0, .hash_interval_sec = 0,
};
static const struct profile_defaults profile_standard = {
	.scrub_rate = 0, .invariants_sample = 100, .crc_enabled = 0, .crc_sample = 0,
	.watchdog_enabled = 1, .watchdog_ms = 10000, .hash_interval_sec = 0,
};
static const struct profile_defaults profile_hardened = {
	.scrub_rate = 256, .invariants_sample = 10, .crc_enabled = 1, .crc_sample = 8,
	.watchdog_enabled = 1, .watchdog_ms = 2000, .hash_interval_sec = 60,
};

static const struct profile_defaults *current_profile(void)
{
	if (IS_ENABLED(CONFIG_PROFILE_DEV))
		return &profile_dev;
	if (IS_ENABLED(CONFIG_PROFILE_HARDENED))
		return &profile_hardened;
	return &profile_standard;
}

const char *kernel_profile_name(void)
{
	if (IS_ENABLED(CONFIG_PROFILE_DEV))
		return "dev";
	if (IS_ENABLED(CONFIG_PROFILE_HARDENED))
		return "hardened";
	return "standard";
}

void kernel_config_init_defaults(kernel_config_t *cfg)
{
	const struct profile_defaults *p = current_profile();
	const int scrub = IS_ENABLED(CONFIG_ENABLE_RAM_SCRUBBER);
	const int paranoid = IS_ENABLED(CONFIG_ENABLE_PARANOID_CHECKS);
	const int hash = IS_ENABLED(CONFIG_ENABLE_HASH_KERNEL_TEXT);

	*cfg = (kernel_config_t){ .version = KERNEL_CONFIG_VERSION };

	/* A mechanism compiled out must read as off, whatever the profile table says. */
	cfg->ram_scrubber_enabled = scrub && p->scrub_rate;
	cfg->ram_scrubber_rate_pages_per_sec = cfg->ram_scrubber_enabled ? p->scrub_rate : 0;

	cfg->invariants_enabled = (uint8_t)paranoid;
	cfg->invariants_sample_rate = paranoid ? p->invariants_sample : 0;

	cfg->msg_header_checks_enabled = 1; /* always: they guard the kernel itself */
	cfg->msg_payload_crc_enabled = p->crc_enabled;
	cfg->msg_crc_sample_rate = p->crc_enabled ? p->crc_sample : 0;

	cfg->watchdog_enabled = p->watchdog_enabled;
	cfg->watchdog_timeout_ms = p->watchdog_enabled ? p->watchdog_ms : 0;

	cfg->hash_kernel_text_enabled = hash && p->hash_interval_sec;
	cfg->hash_kernel_text_interval_sec = cfg->hash_kernel_text_enabled ? p->hash_interval_sec : 0;
}
