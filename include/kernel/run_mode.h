/* SPDX-License-Identifier: MIT */
/* What this boot was asked to do, from the command line. */
#ifndef KEEL_KERNEL_RUN_MODE_H
#define KEEL_KERNEL_RUN_MODE_H

enum run_mode {
	RUN_MODE_IDLE,     /* no request: print the banner and idle */
	RUN_MODE_KTEST,    /* "ktest": run the in-kernel tests, exit with their verdict */
	RUN_MODE_POWEROFF, /* "poweroff": power off cleanly after boot */
};

extern enum run_mode kernel_run_mode;

#endif
