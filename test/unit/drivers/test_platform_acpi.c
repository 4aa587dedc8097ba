// SPDX-License-Identifier: MIT
/* Host tests for drivers/platform/platform_acpi.c on the ACPI fuzz seed (make_acpi_seed.py). */
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/platform.h>
#include <lib/acpi.h>

/* Seed layout (test/fuzz/make_acpi_seed.py): "physical memory" from 0. */
#define SEED_APIC 0x380
#define SEED_SPCR 0x500
#define SEED_MAX  0x1000

void hal_console_putc(char c)
{
	(void)c;
}

void *hal_map_io(paddr_t pa, size_t size)
{
	(void)pa;
	(void)size;
	return NULL; /* only platform_from_acpi() maps; the tests call the _tables() variant */
}

static struct platform plat; /* ~100 KiB: not on the stack */
static uint8_t seed[SEED_MAX];
static size_t seed_len;
static struct boot_info bi;

/* Firmware memory is an exact-size heap buffer of @ctx's length: ASan sees any overread. */
struct memory {
	uint8_t *data;
	size_t size;
};

/* The seed's RSDP sits at its physical 0, which the builder takes for "no RSDP": the tests
 * pass it at RSDP_ALIAS, where the same bytes appear again (as in the PC's BIOS area). */
#define RSDP_ALIAS 0xe0000

static const void *map(void *ctx, uint64_t pa, size_t len)
{
	const struct memory *m = ctx;

	if (pa >= RSDP_ALIAS)
		pa -= RSDP_ALIAS;
	if (pa > m->size || len > m->size - pa)
		return NULL;
	return m->data + pa;
}

static int build(size_t len, uint64_t rsdp)
{
	struct memory m = { malloc(len ? len : 1), len };
	struct acpi_reader r = { .map = map, .ctx = &m };
	int err;

	assert_non_null(m.data);
	memcpy(m.data, seed, len);
	err = platform_from_acpi_tables(&plat, &r, rsdp, &bi);
	free(m.data);
	return err;
}

/* A PC-like map: low RAM, RAM across the SRAT's two domains, firmware and PCI reservations. */
static int setup(void **state)
{
	FILE *f = fopen(TEST_ACPI_SEED, "rb");

	(void)state;
	assert_non_null(f);
	seed_len = fread(seed, 1, sizeof(seed), f);
	fclose(f);
	assert_true(seed_len > SEED_SPCR);
	memset(&bi, 0, sizeof(bi));
	strcpy(bi.model, "pc-q35");
	bootinfo_add_mem(&bi, 0, 0x9fc00, MEM_USABLE);
	bootinfo_add_mem(&bi, 0xf0000, 0x10000, MEM_RESERVED);
	bootinfo_add_mem(&bi, 0x100000, 0x17f00000, MEM_USABLE);
	bootinfo_add_mem(&bi, 0x18000000, 0x20000, MEM_ACPI_RECLAIM);
	bootinfo_add_mem(&bi, 0xb0000000, 0x10000000, MEM_RESERVED);
	/* What boot/pvh.c makes of the seed's SRAT: domain 0 -> node 0, domain 1 -> node 1. */
	bi.numa[0] = (struct boot_numa_range){ 0, 0x10000000, 0 };
	bi.numa[1] = (struct boot_numa_range){ 0x10000000, 0x8000000, 1 };
	bi.numa_count = 2;
	bi.boot_cpu = 0;
	return 0;
}

/* Put a 4-byte signature on the seed's table at @off, keeping its checksum right. */
static void rename_table(size_t off, const char *sig)
{
	int delta = 0;

	for (unsigned i = 0; i < 4; i++) {
		delta += seed[off + i] - (uint8_t)sig[i];
		seed[off + i] = (uint8_t)sig[i];
	}
	seed[off + 9] = (uint8_t)(seed[off + 9] + delta);
}

static int find(const char *compat)
{
	return platform_find_compatible(&plat, PLAT_NONE, compat);
}

static const struct plat_mem *mem_at(paddr_t pa)
{
	for (unsigned i = 0; i < plat.mem_count; i++)
		if (pa >= plat.mem[i].base && pa - plat.mem[i].base < plat.mem[i].size)
			return &plat.mem[i];
	return NULL;
}

static void seed_gives_cpus_ioapic_console_hpet(void **state)
{
	const struct plat_device *io, *uart, *hpet;

	(void)state;
	assert_int_equal(build(seed_len, RSDP_ALIAS), 0);
	assert_string_equal(plat.source, "ACPI");
	assert_string_equal(plat.model, "KEEL KEELSEED"); /* the FADT's OEM ids */
	assert_int_equal(plat.rejected, 0);
	/* MADT: local APIC 0 (the boot CPU, SRAT domain 0) and x2APIC 0x100 (UID 1). */
	assert_int_equal(plat.cpu_count, 2);
	assert_int_equal(plat.cpu[0].hwid, 0);
	assert_true(plat.cpu[0].is_boot);
	assert_true(plat.cpu[0].available);
	assert_int_equal(plat.cpu[0].enable, PLAT_CPU_ENABLE_APIC_SIPI);
	assert_int_equal(plat.cpu[1].hwid, 0x100);
	assert_int_equal(plat.cpu[1].acpi_uid, 1);
	assert_false(plat.cpu[1].is_boot);
	/* IOAPIC: a device, the root controller, GSIs from 0. */
	assert_int_not_equal(find("acpi,ioapic"), PLAT_NONE);
	io = &plat.dev[find("acpi,ioapic")];
	assert_int_equal(plat.root_intc, find("acpi,ioapic"));
	assert_true(io->is_intc);
	assert_int_equal(io->bus, PLAT_BUS_ACPI);
	assert_int_equal(io->reg[0].base, 0xfec00000);
	assert_int_equal(io->acpi_gsi_base, 0);
	/* Overrides and NMIs for the IOAPIC driver and the local APIC. */
	assert_int_equal(plat.acpi_intr.lapic_addr, 0xfee00000);
	assert_true(plat.acpi_intr.pcat_compat);
	assert_int_equal(plat.acpi_intr.isa_gsi[0], 2);
	assert_int_equal(plat.acpi_intr.isa_gsi[4], 4);
	assert_int_equal(plat.acpi_intr.isa_flags[4],
			 ACPI_INTI_POLARITY_HIGH | ACPI_INTI_TRIGGER_EDGE);
	assert_int_equal(plat.acpi_intr.nmi_count, 2);
	assert_int_equal(plat.acpi_intr.nmi[0].lint, 1);
	/* SPCR: 16550 on I/O port 0x3f8, ISA IRQ 4, 115200 baud. */
	assert_int_equal(plat.console.device, find("PNP0501"));
	uart = &plat.dev[plat.console.device];
	assert_string_equal(uart->name, "SPCR UART");
	assert_true(uart->reg_io);
	assert_int_equal(uart->reg[0].base, 0x3f8);
	assert_int_equal(plat.console.io_port, 0x3f8);
	assert_int_equal(plat.console.baud, 115200);
	assert_int_equal(uart->irq_count, 1);
	assert_int_equal(uart->irq[0].parent, find("acpi,ioapic"));
	assert_int_equal(uart->irq[0].cells[0], 4);
	/* HPET. */
	assert_int_not_equal(find("PNP0103"), PLAT_NONE);
	hpet = &plat.dev[find("PNP0103")];
	assert_int_equal(hpet->reg[0].base, 0xfed00000);
	assert_int_equal(hpet->acpi_id, 0x8086a201);
}

static void memory_split_by_node_with_device_windows(void **state)
{
	(void)state;
	assert_int_equal(build(seed_len, RSDP_ALIAS), 0);
	for (unsigned i = 1; i < plat.mem_count; i++) /* sorted, disjoint */
		assert_true(plat.mem[i - 1].base + plat.mem[i - 1].size <= plat.mem[i].base);
	assert_int_equal(mem_at(0x100000)->kind, PLAT_MEM_RAM);
	assert_int_equal(mem_at(0x100000)->node, 0);
	assert_int_equal(mem_at(0x100000)->base + mem_at(0x100000)->size, 0x10000000);
	assert_int_equal(mem_at(0x10000000)->kind, PLAT_MEM_RAM);
	assert_int_equal(mem_at(0x10000000)->node, 1);
	assert_int_equal(mem_at(0x18000000)->kind, PLAT_MEM_ACPI);
	assert_int_equal(mem_at(0xf0000)->kind, PLAT_MEM_NOMAP);   /* E820 reserved */
	assert_int_equal(mem_at(0xb0000000)->kind, PLAT_MEM_NOMAP);
	assert_int_equal(mem_at(0xfec00000)->kind, PLAT_MEM_DEVICE); /* IOAPIC, LAPIC, HPET */
	assert_int_equal(mem_at(0xfee00000)->kind, PLAT_MEM_DEVICE);
	assert_int_equal(mem_at(0xfed00000)->kind, PLAT_MEM_DEVICE);
	assert_null(mem_at(0xc0000000)); /* the PCI hole: nothing said, nothing mapped */
}

/* No SPCR: the legacy COM1 on port 0x3f8, IRQ 4 through the overrides to its GSI. */
static void without_spcr_com1_is_the_console(void **state)
{
	const struct plat_device *uart;

	(void)state;
	rename_table(SEED_SPCR, "XPCR");
	assert_int_equal(build(seed_len, RSDP_ALIAS), 0);
	assert_int_equal(plat.rejected, 0);
	assert_int_not_equal(plat.console.device, PLAT_NONE);
	uart = &plat.dev[plat.console.device];
	assert_string_equal(uart->name, "COM1");
	assert_true(plat_device_is_compatible(uart, "PNP0501"));
	assert_true(uart->reg_io);
	assert_int_equal(uart->reg[0].base, 0x3f8);
	assert_int_equal(plat.console.baud, 0);
	assert_int_equal(uart->irq[0].cells[0], 4);
}

/* A bad MADT is noted: the boot CPU alone, no IOAPIC, a console without interrupt. */
static void bad_madt_is_noted_boot_cpu_kept(void **state)
{
	(void)state;
	seed[SEED_APIC + 9] ^= 0x5a; /* checksum */
	assert_int_equal(build(seed_len, RSDP_ALIAS), 0);
	assert_true(plat.rejected >= 1);
	assert_string_equal(plat.note[0].where, "MADT");
	assert_int_equal(plat.cpu_count, 1);
	assert_true(plat.cpu[0].is_boot);
	assert_int_equal(plat.root_intc, PLAT_NONE);
	assert_int_equal(find("acpi,ioapic"), PLAT_NONE);
	assert_int_not_equal(plat.console.device, PLAT_NONE);
	assert_int_equal(plat.dev[plat.console.device].irq_count, 0);
}

static void no_rsdp_is_enoent_with_memory(void **state)
{
	struct acpi_reader r = { .map = map };

	(void)state;
	assert_int_equal(platform_from_acpi_tables(&plat, &r, 0, &bi), -ENOENT);
	assert_true(plat.mem_count >= 5);
	assert_int_equal(plat.cpu_count, 0);
}

/* Every truncation of the tables: a description or notes, never a read out of bounds. */
static void truncated_tables_are_safe(void **state)
{
	(void)state;
	for (size_t n = 0; n <= seed_len; n += 7) {
		assert_int_equal(build(n, RSDP_ALIAS), 0);
		assert_non_null(platform_boot_cpu(&plat));
		assert_int_not_equal(plat.console.device, PLAT_NONE);
	}
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(seed_gives_cpus_ioapic_console_hpet),
		T(memory_split_by_node_with_device_windows),
		T(without_spcr_com1_is_the_console),
		T(bad_madt_is_noted_boot_cpu_kept),
		T(no_rsdp_is_enoent_with_memory),
		T(truncated_tables_are_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
