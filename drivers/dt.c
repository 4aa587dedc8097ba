// SPDX-License-Identifier: MIT
/* Device-tree helpers for early boot, before the platform description exists (driver.h). */
#include <kernel/driver.h>
#include <kernel/errno.h>
#include <lib/fdt.h>
#include <lib/string.h>

bool dt_node_available(const struct fdt *fdt, int node)
{
	uint32_t len;
	const char *status = fdt_prop(fdt, node, "status", &len);

	if (!status)
		return true;
	/* Compare the whole value so that "okayish" or an unterminated "okay" is not okay. */
	return (len == 5 && !memcmp(status, "okay", 5)) || (len == 3 && !memcmp(status, "ok", 3));
}

int dt_reg(const struct fdt *fdt, int node, unsigned index, paddr_t *base, uint64_t *size)
{
	uint64_t addr, sz;
	int err = fdt_reg(fdt, node, index, &addr, &sz);

	if (!err)
		err = fdt_translate_address(fdt, node, &addr);
	if (err)
		return err;
	if (base)
		*base = addr;
	if (size)
		*size = sz;
	return 0;
}
