// SPDX-License-Identifier: MIT
/* platform_from_acpi() on ports without ACPI support (arm64, riscv64: the DTB describes them). */
#include <kernel/errno.h>
#include <kernel/platform.h>

int platform_from_acpi(struct platform *p, const struct boot_info *bi)
{
	(void)p;
	(void)bi;
	return -ENOSYS; /* platform_init() falls back to platform_from_bootinfo() */
}
