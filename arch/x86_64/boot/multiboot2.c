// SPDX-License-Identifier: MIT
/* x86-64 Multiboot2 entry (GRUB, BIOS or UEFI): the boot information into a struct boot_info. */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/pvh.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <lib/format.h>
#include <lib/multiboot2.h>
#include <lib/string.h>

/* Longest RSDP kept: ACPI's is 36 bytes; a longer one is still found through EFI or the BIOS. */
#define RSDP_COPY_MAX 64

/*
 * The information block lives in RAM the memory map calls usable, which the page allocator
 * hands out later: everything kept is copied into the kernel image.
 */
static char firmware_name[96];
static uint8_t rsdp_copy[RSDP_COPY_MAX] __aligned(16);
static const char *rsdp_source;
static uint64_t efi_systab;
static bool efi_systab_64;

const char *x86_multiboot2_rsdp_source(void)
{
	return rsdp_source;
}

uint64_t x86_multiboot2_efi_systab(bool *is64)
{
	*is64 = efi_systab_64;
	return efi_systab;
}

/* No console yet and nothing to boot with: say so on COM1 and stop. */
static noreturn void bad_boot_info(uint32_t mbi_pa, const char *why, uint32_t offset)
{
	hal_console_init(NULL);
	kprintf("keel: Multiboot2 boot information at %#x rejected: %s (byte %u); halting\n",
		mbi_pa, why, offset);
	hal_cpu_halt();
}

static void read_memmap(struct boot_info *bi, const struct mb2_info *info)
{
	for (uint32_t i = 0; i < info->mmap_count; i++) {
		struct mb2_mmap_entry e;

		mb2_mmap_get(info, i, &e);
		bootinfo_add_mem(bi, e.base, e.length, x86_e820_mem_type(e.type));
	}
}

/* The tag's RSDP copy (into the image), else the one the EFI system table names. */
static void find_rsdp(struct boot_info *bi, const struct mb2_info *info)
{
	struct acpi_reader r = { .map = x86_acpi_map };
	uint64_t pa;

	if (info->rsdp && info->rsdp_len <= sizeof(rsdp_copy)) {
		memcpy(rsdp_copy, info->rsdp, info->rsdp_len);
		bi->acpi_rsdp = (uintptr_t)rsdp_copy - DIRECT_MAP_BASE;
		rsdp_source = info->rsdp_len > 20 ? "ACPI 2.0 tag" : "ACPI 1.0 tag";
		return;
	}
	if (info->efi_systab && mb2_efi_find_rsdp(&r, info->efi_systab, info->efi_systab_64,
						  &pa) == 0) {
		bi->acpi_rsdp = pa;
		rsdp_source = "EFI system table";
		return;
	}
	rsdp_source = "none (BIOS area scan)"; /* x86_find_rsdp() searches 0xE0000-0xFFFFF */
}

void x86_multiboot2_boot_info(struct boot_info *bi, uint32_t magic, uint32_t mbi_pa)
{
	const uint32_t *hdr = hal_map_io(mbi_pa, MB2_INFO_MIN_SIZE);
	struct mb2_info info;
	size_t avail = MB2_INFO_MIN_SIZE;
	const void *mbi;

	if (magic != MB2_BOOTLOADER_MAGIC) {
		hal_console_init(NULL);
		kprintf("keel: entered through the Multiboot2 entry with %%eax = %#x, not the "
			"Multiboot2 loader magic %#x; halting\n", magic, MB2_BOOTLOADER_MAGIC);
		hal_cpu_halt();
	}
	if (!mbi_pa || !hdr)
		bad_boot_info(mbi_pa, "address not readable", 0);
	/* Map what total_size claims when it is plausible; mb2_parse() rejects the rest. */
	if (hdr[0] >= MB2_INFO_MIN_SIZE && hdr[0] <= MB2_INFO_MAX_SIZE)
		avail = hdr[0];
	mbi = hal_map_io(mbi_pa, avail);
	if (!mbi)
		bad_boot_info(mbi_pa, "block not readable", 0);
	if (mb2_parse(mbi, avail, &info))
		bad_boot_info(mbi_pa, info.error, info.error_offset);
	if (!info.mmap_count) /* GRUB always gives one; without it there is no RAM to use */
		bad_boot_info(mbi_pa, "no memory map tag (type 6)", 0);

	ksnprintf(firmware_name, sizeof(firmware_name), "Multiboot2 (%s)",
		  info.loader_name ? info.loader_name : "unnamed loader");
	bi->firmware = firmware_name;
	if (info.cmdline)
		bootinfo_set_cmdline(bi, info.cmdline, strlen(info.cmdline) + 1);
	read_memmap(bi, &info);
	efi_systab = info.efi_systab;
	efi_systab_64 = info.efi_systab_64;
	find_rsdp(bi, &info);
}
