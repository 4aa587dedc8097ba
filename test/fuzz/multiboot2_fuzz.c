// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: arbitrary bytes as a Multiboot2 boot information block at "physical" 0,
 * which is also the memory an EFI system table tag points into. Every accepted block's memory
 * map is read back, and the EFI system table it names (or one at byte 8) is searched for the
 * ACPI RSDP through a map callback that refuses any range outside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lib/multiboot2.h>

#include "fuzz_memory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size heap copy: 8-byte aligned as the parser requires, and ASan-bounded. */
	uint8_t *copy = malloc(size ? size : 1);
	struct fuzz_memory mem = { copy, size };
	struct acpi_reader r = { .map = fuzz_memory_map, .ctx = &mem };
	struct mb2_info info;
	uint64_t rsdp;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (mb2_parse(copy, size, &info) == 0) {
		for (uint32_t i = 0; i < info.mmap_count; i++) {
			struct mb2_mmap_entry e;

			mb2_mmap_get(&info, i, &e);
		}
		if (info.efi_systab)
			(void)mb2_efi_find_rsdp(&r, info.efi_systab, info.efi_systab_64, &rsdp);
	}
	(void)mb2_efi_find_rsdp(&r, 8, true, &rsdp);
	(void)mb2_efi_find_rsdp(&r, 8, false, &rsdp);
	free(copy);
	return 0;
}
