// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: arbitrary bytes as a machine's physical memory holding ACPI tables. The
 * input's first bytes are the RSDP (at "physical" 0); every table the readers follow
 * (XSDT/RSDT, FADT, DSDT, MADT, SRAT, SPCR, HPET) is reached through a map callback that refuses
 * any range outside the input. Also feeds the raw bytes to the MADT, SRAT, SPCR, HPET, OEM-id
 * and \_S5 AML parsers directly.
 */
#include <stddef.h>
#include <stdint.h>

#include <lib/acpi.h>

#include "fuzz_memory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_memory mem = { data, size };
	struct acpi_reader r = { .map = fuzz_memory_map, .ctx = &mem };
	struct acpi_madt madt;
	struct acpi_srat srat;
	struct acpi_s5 s5;
	struct acpi_spcr spcr;
	struct acpi_hpet hpet;
	const char *why;
	char oem[24];
	uint8_t a, b;

	(void)acpi_get_madt(&r, 0, &madt);
	(void)acpi_get_srat(&r, 0, &srat);
	(void)acpi_get_s5(&r, 0, &s5);
	(void)acpi_get_spcr(&r, 0, &spcr);
	(void)acpi_get_hpet(&r, 0, &hpet);
	(void)acpi_parse_spcr(data, (uint32_t)size, &spcr, &why);
	(void)acpi_parse_hpet(data, (uint32_t)size, &hpet, &why);
	(void)acpi_table_oem(data, (uint32_t)size, oem, sizeof(oem));
	(void)acpi_table_oem(data, (uint32_t)size, oem, 5); /* cut short */
	(void)acpi_parse_madt(data, (uint32_t)size, &madt, &why);
	if (acpi_parse_srat(data, (uint32_t)size, &srat, &why) == 0)
		for (uint32_t d = 0; d < 4; d++)
			(void)acpi_srat_node_of_domain(&srat, d, 4);
	(void)acpi_parse_s5_aml(data, size, &a, &b);
	return 0;
}
