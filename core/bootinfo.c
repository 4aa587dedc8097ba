// SPDX-License-Identifier: MIT
/* struct boot_info helpers and the device-tree half of filling it (arm64, riscv64). */
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <lib/fdt.h>
#include <lib/string.h>

/*
 * bootinfo_from_fdt() is given no size, so it trusts the header's totalsize (after
 * validating it) for how much is mapped; BOOT_FDT_MAX_SIZE (bootinfo.h) bounds the damage
 * a corrupt header can do.
 */

/* Just enough of the header to read totalsize: see fdt_total_size(). */
#define FDT_HEADER_BYTES 40

void bootinfo_add_mem(struct boot_info *bi, paddr_t base, uint64_t size, uint32_t type)
{
	struct mem_region *r;

	if (size == 0)
		return;
	/* Keep base + size representable: consumers compute the end without overflow checks. */
	if (size > UINT64_MAX - base)
		size = UINT64_MAX - base;
	if (size == 0)
		return;
	if (bi->mem_count >= BOOT_MAX_MEM_REGIONS) {
		bi->mem_dropped++;
		return;
	}
	r = &bi->mem[bi->mem_count++];
	r->base = base;
	r->size = size;
	r->type = type;
}

void bootinfo_set_cmdline(struct boot_info *bi, const char *src, size_t max)
{
	size_t len = src ? strnlen(src, max) : 0;

	/* No NUL within @max bytes means we never saw the end of it: also truncated. */
	bi->cmdline_truncated = (src && len == max && max > 0) || len >= BOOT_CMDLINE_MAX;
	if (len >= BOOT_CMDLINE_MAX)
		len = BOOT_CMDLINE_MAX - 1;
	if (len)
		memcpy(bi->cmdline, src, len);
	bi->cmdline[len] = '\0';
}

uint64_t bootinfo_usable_bytes(const struct boot_info *bi)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < bi->mem_count && i < BOOT_MAX_MEM_REGIONS; i++) {
		if (bi->mem[i].type != MEM_USABLE)
			continue;
		/* Saturate rather than wrap on absurd firmware tables. */
		if (bi->mem[i].size > UINT64_MAX - total)
			return UINT64_MAX;
		total += bi->mem[i].size;
	}
	return total;
}

/* Linux's rule for "status" (of_device_is_available): absent, "okay" or "ok". */
static bool node_available(const struct fdt *fdt, int node)
{
	const char *status;

	if (!fdt_prop(fdt, node, "status", NULL))
		return true;
	status = fdt_prop_string(fdt, node, "status");
	return status && (!strcmp(status, "okay") || !strcmp(status, "ok"));
}

/*
 * Add every "reg" entry of @node as a region of @type. With @bi NULL only check that
 * they decode, so that the caller can reject a blob before changing anything.
 */
static int add_reg_entries(struct boot_info *bi, const struct fdt *fdt, int node, uint32_t type)
{
	uint64_t base, size;
	unsigned i;
	int err;

	for (i = 0; (err = fdt_reg(fdt, node, i, &base, &size)) == 0; i++)
		if (bi)
			bootinfo_add_mem(bi, base, size, type);
	/* -ENOENT: past the last entry (or no "reg" at all, e.g. a dynamic reservation). */
	return err == -ENOENT ? 0 : err;
}

/* RAM: every available node whose device_type is "memory". */
static int scan_memory(struct boot_info *bi, const struct fdt *fdt)
{
	int node, err;

	for (node = fdt_find_device_type(fdt, -1, "memory"); node >= 0;
	     node = fdt_find_device_type(fdt, node, "memory")) {
		if (!node_available(fdt, node))
			continue;
		err = add_reg_entries(bi, fdt, node, MEM_USABLE);
		if (err)
			return err;
	}
	return node == -ENOENT ? 0 : node;
}

/* Firmware-owned RAM: the /memreserve/ list and the children of /reserved-memory. */
static int scan_reserved(struct boot_info *bi, const struct fdt *fdt)
{
	uint64_t base, size;
	unsigned i;
	int node, err;

	for (i = 0; (err = fdt_rsvmap_entry(fdt, i, &base, &size)) == 0; i++)
		if (bi)
			bootinfo_add_mem(bi, base, size, MEM_RESERVED);
	if (err != -ENOENT)
		return err;

	node = fdt_path(fdt, "/reserved-memory");
	if (node == -ENOENT)
		return 0;
	for (node = fdt_first_child(fdt, node); node >= 0; node = fdt_next_sibling(fdt, node)) {
		if (!node_available(fdt, node))
			continue;
		err = add_reg_entries(bi, fdt, node, MEM_RESERVED);
		if (err)
			return err;
	}
	return node == -ENOENT ? 0 : node;
}

/* /chosen "bootargs", if any, becomes the command line. */
static void read_bootargs(struct boot_info *bi, const struct fdt *fdt)
{
	int chosen = fdt_path(fdt, "/chosen");
	const char *args;
	uint32_t len;

	if (chosen < 0)
		return;
	args = fdt_prop(fdt, chosen, "bootargs", &len);
	if (args && fdt_prop_string(fdt, chosen, "bootargs"))
		bootinfo_set_cmdline(bi, args, len);
}

/*
 * Memory regions come out in this order, and all of it is decided here:
 *  1. MEM_RESERVED: /memreserve/ entries, /reserved-memory children with a "reg" (also
 *     "reusable" ones: the kernel has no driver that could give them back), and the DTB
 *     itself, since bi->dtb keeps pointing at it;
 *  2. MEM_USABLE: the "reg" entries of every available memory node, as the firmware gave
 *     them.
 * Reserved regions overlap usable ones and take precedence: the memory manager must carve
 * them out (bootinfo_usable_bytes() reports the firmware's RAM, before that). They come
 * first because a full table drops the last regions, and losing some RAM is safe where
 * losing a reservation is not.
 */
int bootinfo_from_fdt(struct boot_info *bi, const void *dtb, paddr_t dtb_pa)
{
	struct fdt fdt;
	uint32_t size = fdt_total_size(dtb, FDT_HEADER_BYTES);
	int root;

	/* Decode: reject a bad blob before bi changes (scans with NULL only validate). */
	if (size == 0 || size > BOOT_FDT_MAX_SIZE || fdt_init(&fdt, dtb, size))
		goto bad;
	root = fdt_root(&fdt);
	if (root < 0 || scan_reserved(NULL, &fdt) || scan_memory(NULL, &fdt))
		goto bad;

	/* Invoke: nothing below can fail. */
	bi->firmware = "DTB";
	bi->dtb = dtb;
	bi->dtb_pa = dtb_pa;
	scan_reserved(bi, &fdt);
	if (dtb_pa)
		bootinfo_add_mem(bi, dtb_pa, size, MEM_RESERVED);
	scan_memory(bi, &fdt);
	read_bootargs(bi, &fdt);
	if (fdt_prop_string(&fdt, root, "model"))
		strlcpy(bi->model, fdt_prop_string(&fdt, root, "model"), sizeof(bi->model));
	return 0;
bad:
	bi->dtb = NULL;
	bi->dtb_pa = 0;
	return -EINVAL;
}
