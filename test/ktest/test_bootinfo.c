// SPDX-License-Identifier: MIT
/* ktest: what the firmware handed over was parsed into something sane. */
#include <kernel/bootinfo.h>
#include <kernel/ktest.h>
#include <lib/fdt.h>

KTEST(bootinfo_has_usable_memory_containing_the_kernel)
{
	const struct boot_info *bi = kernel_boot_info;
	bool kernel_in_ram = false;

	KT_EXPECT(bi->mem_count > 0);
	KT_EXPECT(bootinfo_usable_bytes(bi) >= (16ull << 20));
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const struct mem_region *r = &bi->mem[i];

		KT_EXPECT(r->size > 0);
		KT_EXPECT(r->base + r->size > r->base); /* no wrap-around */
		if (r->type == MEM_USABLE && bi->kernel_pa >= r->base &&
		    bi->kernel_pa < r->base + r->size)
			kernel_in_ram = true;
	}
	KT_EXPECT(kernel_in_ram);
}

KTEST(bootinfo_live_dtb_is_valid_when_present)
{
	const struct boot_info *bi = kernel_boot_info;
	struct fdt fdt;

	if (!bi->dtb) {
		/* PVH (x86-64) passes no device tree: the check is that firmware said which. */
		KT_EXPECT(bi->firmware != NULL);
		return;
	}
	KT_ASSERT(fdt_init(&fdt, bi->dtb, fdt_total_size(bi->dtb, 1u << 20)) == 0);
	KT_EXPECT(fdt_root(&fdt) >= 0);
	KT_EXPECT(fdt_find_device_type(&fdt, -1, "memory") >= 0);
	KT_EXPECT(fdt_path(&fdt, "/chosen") >= 0);
}
