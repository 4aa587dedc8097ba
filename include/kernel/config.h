/* SPDX-License-Identifier: MIT */
/*
 * Build profiles and the runtime hardening knobs.
 *
 * Kconfig picks one profile (CONFIG_PROFILE_DEV / _STANDARD / _HARDENED) and derives the
 * CONFIG_ENABLE_* flags from it; the generated autoconf.h is force-included in every file.
 * A flag decides whether a mechanism exists in the binary at all. kernel_config_t then holds
 * how hard each compiled-in mechanism works at run time; a mechanism that is compiled out
 * always reads as disabled here.
 */
#ifndef KEEL_KERNEL_CONFIG_H
#define KEEL_KERNEL_CONFIG_H

#include <kernel/types.h>

#if defined(CONFIG_PROFILE_DEV) + defined(CONFIG_PROFILE_STANDARD) + \
	defined(CONFIG_PROFILE_HARDENED) != 1
#error "exactly one of CONFIG_PROFILE_DEV/STANDARD/HARDENED must be set (run make olddefconfig)"
#endif

#define KERNEL_CONFIG_VERSION 1

typedef struct {
	uint32_t version;

	/* Scrubber: rewrites free pages to catch and clear bit flips. */
	uint8_t  ram_scrubber_enabled;
	uint32_t ram_scrubber_rate_pages_per_sec;

	/* Invariants: expensive consistency checks of kernel structures. */
	uint8_t  invariants_enabled;
	uint8_t  invariants_sample_rate; /* 1 = always, 10 = 1/10 ops */

	/* Messaging: IPC header validation and payload checksums. */
	uint8_t  msg_header_checks_enabled;
	uint8_t  msg_payload_crc_enabled;
	uint8_t  msg_crc_sample_rate;

	/* Watchdog: a CPU that stops scheduling for this long is reported. */
	uint8_t  watchdog_enabled;
	uint32_t watchdog_timeout_ms;

	/* Kernel text verification: periodic hash of .text against the boot-time hash. */
	uint8_t  hash_kernel_text_enabled;
	uint32_t hash_kernel_text_interval_sec;
} kernel_config_t;

/* The live configuration, set up by kernel_main() before anything reads it. */
extern kernel_config_t kernel_config;

/* Fill @cfg with the defaults of the profile this kernel was built with. */
void kernel_config_init_defaults(kernel_config_t *cfg);

/* Name of the build profile: "dev", "standard" or "hardened". */
const char *kernel_profile_name(void);

#endif
