// SPDX-License-Identifier: MIT
/* In-kernel tests of the x86-64 boot protocols: what PVH or Multiboot2 (GRUB) handed over. */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/pvh.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/hal.h>
#include <kernel/ktest.h>
#include <lib/acpi.h>
#include <lib/multiboot2.h>
#include <lib/string.h>

/* Less RAM than any configuration the boot matrix runs (QEMU -m 256M and up). */
#define MIN_USABLE_BYTES (64ull << 20)
#define RSDP_V1_LEN 20

static bool booted_by_multiboot2(const struct boot_info *bi)
{
	return strncmp(bi->firmware, "Multiboot2 (", 12) == 0;
}

KTEST(x86_boot_info_names_its_entry_protocol)
{
	const struct boot_info *bi = kernel_boot_info;

	KT_ASSERT(bi != NULL && bi->firmware != NULL);
	KT_EXPECT(strcmp(bi->firmware, "PVH") == 0 || booted_by_multiboot2(bi));
	/* boot/multiboot2.c ran exactly when the firmware name says so. */
	KT_EXPECT_EQ(x86_multiboot2_rsdp_source() != NULL, booted_by_multiboot2(bi));
	/* The run mode came from the loader's command line (PVH start info or Multiboot2 tag). */
	KT_EXPECT(cmdline_has_word(bi->cmdline, "ktest"));
}

static bool overlaps(const struct mem_region *a, const struct mem_region *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

/* Whichever loader ran: usable RAM that does not overlap itself, holding the whole kernel. */
KTEST(x86_boot_memory_map_is_sane)
{
	const struct boot_info *bi = kernel_boot_info;
	paddr_t k0 = bi->kernel_pa, k1 = k0 + (uintptr_t)(__kernel_end - __kernel_start);
	bool kernel_in_ram = false;

	KT_ASSERT(bi->mem_count > 0);
	KT_EXPECT(bootinfo_usable_bytes(bi) >= MIN_USABLE_BYTES);
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const struct mem_region *r = &bi->mem[i];

		KT_EXPECT(r->size > 0 && r->base + r->size > r->base);
		KT_EXPECT(r->type >= MEM_USABLE && r->type <= MEM_BAD);
		if (r->type != MEM_USABLE)
			continue;
		if (r->base <= k0 && k1 <= r->base + r->size)
			kernel_in_ram = true;
		for (uint32_t j = i + 1; j < bi->mem_count; j++)
			if (bi->mem[j].type == MEM_USABLE && !KT_EXPECT(!overlaps(r, &bi->mem[j])))
				break;
	}
	KT_EXPECT(kernel_in_ram);
}

/*
 * Booted by GRUB: the RSDP came from a Multiboot2 ACPI tag or the EFI system table (not the
 * BIOS-area scan, which finds nothing under UEFI), it is a valid RSDP, the port uses it, and
 * the tables behind it give S5. Booted by PVH: boot/multiboot2.c never ran.
 */
KTEST(x86_multiboot2_rsdp_from_loader_gives_s5)
{
	const struct boot_info *bi = kernel_boot_info;
	struct acpi_reader r = { .map = x86_acpi_map };
	const char *src = x86_multiboot2_rsdp_source();
	const uint8_t *rsdp;
	struct acpi_s5 s5;

	if (!booted_by_multiboot2(bi)) {
		KT_EXPECT(src == NULL);
		return;
	}
	KT_ASSERT(src != NULL);
	KT_EXPECT(strcmp(src, "ACPI 2.0 tag") == 0 || strcmp(src, "ACPI 1.0 tag") == 0 ||
		  strcmp(src, "EFI system table") == 0);
	KT_ASSERT(bi->acpi_rsdp != 0);
	KT_EXPECT_EQ(x86_acpi_rsdp(), bi->acpi_rsdp);
	rsdp = hal_map_io(bi->acpi_rsdp, RSDP_V1_LEN);
	KT_ASSERT(rsdp != NULL);
	KT_EXPECT(memcmp(rsdp, "RSD PTR ", 8) == 0);
	KT_EXPECT(acpi_checksum_ok(rsdp, RSDP_V1_LEN));
	KT_EXPECT_EQ(acpi_get_s5(&r, bi->acpi_rsdp, &s5), 0);
	KT_EXPECT(s5.pm1a_cnt != 0);
}

/*
 * Booted by GRUB under UEFI: the real firmware's system table, walked by the fallback
 * mb2_efi_find_rsdp() uses when a loader gives no ACPI tag, names the same RSDP as GRUB's
 * copy (same revision, OEM id and root table address). Nothing to walk under a BIOS.
 */
KTEST(x86_multiboot2_efi_system_table_names_the_same_rsdp)
{
	const struct boot_info *bi = kernel_boot_info;
	struct acpi_reader r = { .map = x86_acpi_map };
	bool is64 = false;
	uint64_t systab = x86_multiboot2_efi_systab(&is64), pa = 0;
	const uint8_t *copy, *fw;

	if (!booted_by_multiboot2(bi) || !systab) {
		KT_EXPECT(!booted_by_multiboot2(bi) || !is64);
		return;
	}
	KT_EXPECT(is64); /* GRUB x86_64-efi gives the EFI64 tag */
	KT_ASSERT(mb2_efi_find_rsdp(&r, systab, is64, &pa) == 0);
	KT_ASSERT(pa != 0 && bi->acpi_rsdp != 0);
	copy = hal_map_io(bi->acpi_rsdp, RSDP_V1_LEN);
	fw = hal_map_io(pa, RSDP_V1_LEN);
	KT_ASSERT(copy != NULL && fw != NULL);
	KT_EXPECT(memcmp(fw, "RSD PTR ", 8) == 0);
	KT_EXPECT(memcmp(copy + 9, fw + 9, RSDP_V1_LEN - 9) == 0); /* OEM id, revision, RSDT */
}
