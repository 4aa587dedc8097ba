// SPDX-License-Identifier: MIT
/* ACPI tables with fixed layouts: SPCR (serial console), HPET, and the OEM ids of any header. */
#include <kernel/errno.h>
#include <lib/acpi.h>
#include "acpi_internal.h"

#define SDT_HDR_LEN        36
#define SDT_OFF_OEM_ID     10
#define SDT_OEM_ID_LEN     6
#define SDT_OFF_OEM_TABLE  16
#define SDT_OEM_TABLE_LEN  8

/* Generic Address Structure (ACPI 6.5 section 5.2.3.2): space, width, offset, size, address. */
#define GAS_OFF_SPACE      0
#define GAS_OFF_WIDTH      1
#define GAS_OFF_ADDRESS    4
#define IO_PORT_MAX        0xffff

/* SPCR (Microsoft "Serial Port Console Redirection Table", revisions 1-4). */
#define SPCR_MIN_LEN       80
#define SPCR_OFF_INTERFACE 36
#define SPCR_OFF_BASE      40
#define SPCR_OFF_IRQ_TYPE  52
#define SPCR_OFF_IRQ       53
#define SPCR_OFF_GSI       54
#define SPCR_OFF_BAUD      58

/* HPET description table (IA-PC HPET 1.0a section 3.2.4). */
#define HPET_LEN           56
#define HPET_OFF_BLOCK_ID  36
#define HPET_OFF_BASE      40
#define HPET_OFF_NUMBER    52
#define HPET_OFF_MIN_TICK  53

/* SPCR "configured baud rate" codes 3, 4, 6, 7; the rest (0 = as is, reserved) mean 0. */
static uint32_t spcr_baud(uint8_t code)
{
	switch (code) {
	case 3: return 9600;
	case 4: return 19200;
	case 6: return 57600;
	case 7: return 115200;
	default: return 0;
	}
}

int acpi_parse_spcr(const uint8_t *table, uint32_t len, struct acpi_spcr *out, const char **why)
{
	const uint8_t *gas = table + SPCR_OFF_BASE;

	*out = (struct acpi_spcr){ 0 };
	if (why)
		*why = NULL;
	if (len < SPCR_MIN_LEN)
		return acpi_bad(why, "SPCR shorter than its revision 1 fields");
	out->interface = table[SPCR_OFF_INTERFACE];
	out->space = gas[GAS_OFF_SPACE];
	out->bit_width = gas[GAS_OFF_WIDTH];
	out->address = acpi_le(gas + GAS_OFF_ADDRESS, 8);
	out->irq_type = table[SPCR_OFF_IRQ_TYPE];
	out->irq = table[SPCR_OFF_IRQ];
	out->gsi = (uint32_t)acpi_le(table + SPCR_OFF_GSI, 4);
	out->baud = spcr_baud(table[SPCR_OFF_BAUD]);
	if (!out->address)
		return acpi_bad(why, "SPCR base address is 0");
	if (out->space != ACPI_GAS_MEMORY && out->space != ACPI_GAS_IO)
		return acpi_bad(why, "SPCR UART neither in memory nor in I/O space");
	if (out->space == ACPI_GAS_IO && out->address > IO_PORT_MAX)
		return acpi_bad(why, "SPCR I/O port above 0xffff");
	return 0;
}

int acpi_get_spcr(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_spcr *out)
{
	const uint8_t *t;
	uint32_t len;
	int err;

	r->error = NULL;
	err = acpi_find_table(r, rsdp_pa, "SPCR", &t, &len);
	return err ? err : acpi_parse_spcr(t, len, out, &r->error);
}

int acpi_parse_hpet(const uint8_t *table, uint32_t len, struct acpi_hpet *out, const char **why)
{
	const uint8_t *gas = table + HPET_OFF_BASE;

	*out = (struct acpi_hpet){ 0 };
	if (why)
		*why = NULL;
	if (len < HPET_LEN)
		return acpi_bad(why, "HPET table shorter than 56 bytes");
	if (gas[GAS_OFF_SPACE] != ACPI_GAS_MEMORY)
		return acpi_bad(why, "HPET registers not in system memory");
	out->block_id = (uint32_t)acpi_le(table + HPET_OFF_BLOCK_ID, 4);
	out->address = acpi_le(gas + GAS_OFF_ADDRESS, 8);
	out->number = table[HPET_OFF_NUMBER];
	out->min_tick = (uint16_t)acpi_le(table + HPET_OFF_MIN_TICK, 2);
	if (!out->address)
		return acpi_bad(why, "HPET base address is 0");
	return 0;
}

int acpi_get_hpet(struct acpi_reader *r, uint64_t rsdp_pa, struct acpi_hpet *out)
{
	const uint8_t *t;
	uint32_t len;
	int err;

	r->error = NULL;
	err = acpi_find_table(r, rsdp_pa, "HPET", &t, &len);
	return err ? err : acpi_parse_hpet(t, len, out, &r->error);
}

/* Append the @n-byte space-padded id at @id to @out[*@pos], keeping room for the NUL. */
static void append_id(char *out, size_t size, size_t *pos, const uint8_t *id, size_t n)
{
	while (n && (id[n - 1] == ' ' || id[n - 1] == 0))
		n--;
	for (size_t i = 0; i < n && *pos + 1 < size; i++)
		out[(*pos)++] = id[i] >= 0x20 && id[i] < 0x7f ? (char)id[i] : '?';
}

int acpi_table_oem(const uint8_t *table, uint32_t len, char *out, size_t size)
{
	size_t pos = 0;

	if (!size)
		return -EINVAL;
	out[0] = 0;
	if (len < SDT_HDR_LEN)
		return -EINVAL;
	append_id(out, size, &pos, table + SDT_OFF_OEM_ID, SDT_OEM_ID_LEN);
	if (pos && pos + 1 < size)
		out[pos++] = ' ';
	append_id(out, size, &pos, table + SDT_OFF_OEM_TABLE, SDT_OEM_TABLE_LEN);
	while (pos && out[pos - 1] == ' ')
		pos--;
	out[pos] = 0;
	return 0;
}
