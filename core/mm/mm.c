// SPDX-License-Identifier: MIT
/* mm_init(): bring up the page allocator and the heap, report memory per NUMA node. */
#include <kernel/asid.h>
#include <kernel/bootinfo.h>
#include <kernel/hal.h>
#include <kernel/kmalloc.h>
#include <kernel/kprintf.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/pagetable.h>
#include <kernel/platform.h>
#include <kernel/pmm.h>
#include <kernel/vm_space.h>

static unsigned long long pages_to_kib(uint64_t pages)
{
	return (unsigned long long)(pages * (PAGE_SIZE >> 10));
}

int mm_init(const struct boot_info *bi)
{
	struct pmm_node_stats st;
	/* DT ports: the platform description. x86-64 keeps boot_info (E820 + SRAT ranges) until
	 * its ACPI description carries the NUMA nodes too. */
	int err = platform_fdt() ? pmm_init_from_platform(&kernel_platform, bi)
				 : pmm_init_from_bootinfo(bi);

	if (err)
		panic("mm: page allocator failed to start (error %d)", err);
	err = kmalloc_init();
	if (err)
		panic("mm: kmalloc size classes not set up (error %d)", err);
	/* The kernel's own tables: W^X, direct map, guard pages. Without them the kernel would
	 * run on the boot mappings (writable text, no guards): stop instead. */
	err = hal_mmu_init();
	if (err)
		panic("mm: hal_mmu_init failed (error %d): no W^X kernel page tables", err);
	/* RAM is what the firmware gave (as far as we can map it); free excludes firmware
	 * reservations, the kernel image, the DTB and the allocator's own page descriptors. */
	for (unsigned n = 0; n < pmm_node_count(); n++) {
		pmm_get_stats(n, &st);
		kprintf("  memory node %u: %llu KiB total, %llu KiB free\n", n,
			pages_to_kib(st.ram_pages), pages_to_kib(st.free_pages));
	}
	return 0;
}

void mm_print_stats(void)
{
	const struct pagetable *k = hal_kernel_pagetable();

	pmm_print_stats();
	if (!k) {
		kprintf("  mmu: the kernel has no page tables of its own on this port\n");
		return;
	}
	kprintf("  mmu: %s, kernel root at %#llx, %u address-space ids (%u in use), "
		"current space %s\n", k->fmt->name, (unsigned long long)k->root,
		hal_mmu_asid_count(), asid_in_use(), vm_space_current() ? "a user space" : "none");
}
