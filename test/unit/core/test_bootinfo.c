// SPDX-License-Identifier: MIT
/* Host tests for core/bootinfo.c: the memory table helpers and filling boot_info from a DTB. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/compiler.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>

#include "../fdt_fixtures.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static struct boot_info *new_bi(void)
{
	struct boot_info *bi = calloc(1, sizeof(*bi));

	assert_non_null(bi);
	return bi;
}

static const struct mem_region *find_region(const struct boot_info *bi, uint64_t base,
					    uint32_t type)
{
	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].base == base && bi->mem[i].type == type)
			return &bi->mem[i];
	return NULL;
}

/* ---- table helpers --------------------------------------------------------------------- */

static void bootinfo_add_mem_appends_in_order(void **state)
{
	struct boot_info *bi = new_bi();

	(void)state;
	bootinfo_add_mem(bi, 0x1000, 0x2000, MEM_USABLE);
	bootinfo_add_mem(bi, 0x8000, 0x1000, MEM_RESERVED);
	assert_int_equal(bi->mem_count, 2);
	assert_int_equal(bi->mem[0].base, 0x1000);
	assert_int_equal(bi->mem[0].size, 0x2000);
	assert_int_equal(bi->mem[0].type, MEM_USABLE);
	assert_int_equal(bi->mem[1].type, MEM_RESERVED);
	free(bi);
}

static void bootinfo_add_mem_ignores_empty_regions(void **state)
{
	struct boot_info *bi = new_bi();

	(void)state;
	bootinfo_add_mem(bi, 0x1000, 0, MEM_USABLE);
	bootinfo_add_mem(bi, UINT64_MAX, 5, MEM_USABLE); /* nothing left below 2^64 - 1 */
	assert_int_equal(bi->mem_count, 0);
	assert_int_equal(bi->mem_dropped, 0);
	free(bi);
}

static void bootinfo_add_mem_clamps_regions_that_wrap(void **state)
{
	struct boot_info *bi = new_bi();

	(void)state;
	bootinfo_add_mem(bi, 0xfffffffffffff000ull, 0x2000, MEM_USABLE);
	assert_int_equal(bi->mem_count, 1);
	assert_true(bi->mem[0].base + bi->mem[0].size > bi->mem[0].base);
	assert_int_equal(bi->mem[0].size, 0xfff);
	free(bi);
}

static void bootinfo_add_mem_counts_dropped_when_full(void **state)
{
	struct boot_info *bi = new_bi();

	(void)state;
	for (unsigned i = 0; i < BOOT_MAX_MEM_REGIONS + 5; i++)
		bootinfo_add_mem(bi, (uint64_t)i << 20, MiB, MEM_USABLE);
	assert_int_equal(bi->mem_count, BOOT_MAX_MEM_REGIONS);
	assert_int_equal(bi->mem_dropped, 5);
	assert_int_equal(bootinfo_usable_bytes(bi), BOOT_MAX_MEM_REGIONS * MiB);
	free(bi);
}

static void bootinfo_usable_bytes_counts_only_usable(void **state)
{
	struct boot_info *bi = new_bi();

	(void)state;
	assert_int_equal(bootinfo_usable_bytes(bi), 0);
	bootinfo_add_mem(bi, 0, 640 * 1024, MEM_USABLE);
	bootinfo_add_mem(bi, 0xa0000, 0x60000, MEM_RESERVED);
	bootinfo_add_mem(bi, MiB, 127 * MiB, MEM_USABLE);
	bootinfo_add_mem(bi, 128 * MiB, MiB, MEM_ACPI_RECLAIM);
	bootinfo_add_mem(bi, 129 * MiB, MiB, MEM_ACPI_NVS);
	bootinfo_add_mem(bi, 130 * MiB, MiB, MEM_BAD);
	assert_int_equal(bootinfo_usable_bytes(bi), 640 * 1024 + 127 * MiB);
	free(bi);
}

static void bootinfo_usable_bytes_saturates(void **state)
{
	struct boot_info *bi = new_bi();

	(void)state;
	bootinfo_add_mem(bi, 0, UINT64_MAX - 1, MEM_USABLE);
	bootinfo_add_mem(bi, 0, UINT64_MAX - 1, MEM_USABLE);
	assert_int_equal(bootinfo_usable_bytes(bi), UINT64_MAX);
	free(bi);
}

static void bootinfo_set_cmdline_copies_and_terminates(void **state)
{
	struct boot_info *bi = new_bi();

	(void)state;
	bootinfo_set_cmdline(bi, "console=ttyS0 ktest", 64);
	assert_string_equal(bi->cmdline, "console=ttyS0 ktest");
	assert_false(bi->cmdline_truncated);
	bootinfo_set_cmdline(bi, "", 1);
	assert_string_equal(bi->cmdline, "");
	assert_false(bi->cmdline_truncated);
	bootinfo_set_cmdline(bi, NULL, 100);
	assert_string_equal(bi->cmdline, "");
	assert_false(bi->cmdline_truncated);
	free(bi);
}

static void bootinfo_set_cmdline_truncates_long_lines(void **state)
{
	struct boot_info *bi = new_bi();
	char *big = malloc(1000);

	(void)state;
	memset(big, 'a', 999);
	big[999] = '\0';
	bootinfo_set_cmdline(bi, big, 1000);
	assert_int_equal(strlen(bi->cmdline), BOOT_CMDLINE_MAX - 1);
	assert_true(bi->cmdline_truncated);

	/* exactly BOOT_CMDLINE_MAX - 1 characters fit */
	big[BOOT_CMDLINE_MAX - 1] = '\0';
	bootinfo_set_cmdline(bi, big, 1000);
	assert_int_equal(strlen(bi->cmdline), BOOT_CMDLINE_MAX - 1);
	assert_false(bi->cmdline_truncated);
	free(big);
	free(bi);
}

static void bootinfo_set_cmdline_reads_no_more_than_max(void **state)
{
	struct boot_info *bi = new_bi();
	char *src = malloc(10); /* no NUL: ASan would catch a read at src[10] */

	(void)state;
	memcpy(src, "0123456789", 10);
	bootinfo_set_cmdline(bi, src, 10);
	assert_string_equal(bi->cmdline, "0123456789");
	assert_true(bi->cmdline_truncated); /* its end was never seen */
	bootinfo_set_cmdline(bi, src, 4);
	assert_string_equal(bi->cmdline, "0123");
	bootinfo_set_cmdline(bi, src, 0);
	assert_string_equal(bi->cmdline, "");
	free(src);
	free(bi);
}

/* ---- bootinfo_from_fdt ----------------------------------------------------------------- */

static void bootinfo_reads_qemu_arm64_virt(void **state)
{
	struct boot_info *bi = new_bi();
	size_t len;
	uint8_t *dtb = load_dtb("qemu-arm64-virt.dtb", &len);
	const struct mem_region *r;

	(void)state;
	assert_int_equal(bootinfo_from_fdt(bi, dtb, 0x40000000), 0);
	assert_string_equal(bi->firmware, "DTB");
	assert_ptr_equal(bi->dtb, dtb);
	assert_int_equal(bi->dtb_pa, 0x40000000);
	assert_string_equal(bi->model, "linux,dummy-virt");
	assert_string_equal(bi->cmdline, ""); /* QEMU without -append: no bootargs */
	r = find_region(bi, 0x40000000, MEM_USABLE);
	assert_non_null(r);
	assert_int_equal(r->size, 256 * MiB);
	assert_int_equal(bootinfo_usable_bytes(bi), 256 * MiB);
	/* the DTB itself is reserved, its whole declared size */
	r = find_region(bi, 0x40000000, MEM_RESERVED);
	assert_non_null(r);
	assert_int_equal(r->size, MiB);
	assert_int_equal(bi->mem_count, 2);
	free(dtb);
	free(bi);
}

static void bootinfo_reads_qemu_riscv64_virt(void **state)
{
	struct boot_info *bi = new_bi();
	size_t len;
	uint8_t *dtb = load_dtb("qemu-riscv64-virt.dtb", &len);

	(void)state;
	assert_int_equal(bootinfo_from_fdt(bi, dtb, 0), 0); /* pa unknown: not reserved */
	assert_string_equal(bi->model, "riscv-virtio,qemu");
	assert_int_equal(bi->mem_count, 1);
	assert_int_equal(bi->mem[0].base, 0x80000000);
	assert_int_equal(bi->mem[0].size, 256 * MiB);
	assert_int_equal(bi->mem[0].type, MEM_USABLE);
	free(dtb);
	free(bi);
}

static void bootinfo_records_reservations_before_ram(void **state)
{
	struct boot_info *bi = new_bi();
	size_t len;
	uint8_t *dtb = load_dtb("memreserve.dtb", &len);
	static const struct mem_region want[] = {
		{ 0x80000000, 0x10000, MEM_RESERVED },  /* /memreserve/ */
		{ 0x84000000, 0x200000, MEM_RESERVED }, /* /memreserve/ */
		{ 0x80200000, 0x20000, MEM_RESERVED },  /* /reserved-memory/firmware */
		{ 0x80000000, GiB, MEM_USABLE },
		{ 0x100000000ull, GiB, MEM_USABLE },
		/* memory@200000000 is status = "disabled"; dma-pool has no reg */
	};

	(void)state;
	assert_int_equal(bootinfo_from_fdt(bi, dtb, 0), 0);
	assert_int_equal(bi->mem_count, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(bi->mem[i].base, want[i].base);
		assert_int_equal(bi->mem[i].size, want[i].size);
		assert_int_equal(bi->mem[i].type, want[i].type);
	}
	assert_int_equal(bootinfo_usable_bytes(bi), 2 * GiB);
	assert_string_equal(bi->model, "keel,test-memreserve");
	free(dtb);
	free(bi);
}

static void bootinfo_takes_bootargs_and_one_cell_memory(void **state)
{
	struct boot_info *bi = new_bi();
	size_t len;
	uint8_t *dtb = load_dtb("aliases.dtb", &len);
	uint8_t *dtb1 = load_dtb("cells1.dtb", &len);

	(void)state;
	assert_int_equal(bootinfo_from_fdt(bi, dtb, 0), 0);
	assert_string_equal(bi->cmdline, "console=ttyS0 ktest");
	assert_false(bi->cmdline_truncated);
	assert_int_equal(bootinfo_usable_bytes(bi), 128 * MiB);

	memset(bi, 0, sizeof(*bi));
	assert_int_equal(bootinfo_from_fdt(bi, dtb1, 0), 0);
	assert_int_equal(bi->mem_count, 3);
	assert_int_equal(bi->mem[2].base, 0x60000000);
	assert_int_equal(bootinfo_usable_bytes(bi), (16 + 32 + 64) * MiB);
	assert_string_equal(bi->cmdline, ""); /* no bootargs: left alone */
	free(dtb);
	free(dtb1);
	free(bi);
}

/* A tree whose memory node has a "reg" that does not decode. */
static uint8_t *build_bad_memory_blob(size_t *len)
{
	struct fdt_builder b;

	fb_init(&b);
	fb_begin(&b, "");
	fb_prop_str(&b, "model", "bad");
	fb_begin(&b, "memory@0");
	fb_prop_str(&b, "device_type", "memory");
	fb_prop(&b, "reg", "\0\0\0\0\0\0\0\0\0\0\0\1", 12); /* 2+1 cells: one entry is 12 */
	fb_end(&b);
	fb_begin(&b, "memory@1");
	fb_prop_str(&b, "device_type", "memory");
	fb_prop(&b, "reg", "\0\0\0\0\0\0\0\0\0\0", 10);
	fb_end(&b);
	fb_end(&b);
	fb_finish(&b);
	return fb_blob(&b, len);
}

static void assert_bi_unchanged(const struct boot_info *before, const struct boot_info *after)
{
	assert_ptr_equal(after->dtb, NULL);
	assert_int_equal(after->dtb_pa, 0);
	assert_ptr_equal(after->firmware, before->firmware);
	assert_int_equal(after->mem_count, before->mem_count);
	assert_int_equal(after->mem_dropped, before->mem_dropped);
	assert_memory_equal(after->mem, before->mem, sizeof(before->mem));
	assert_string_equal(after->cmdline, before->cmdline);
	assert_string_equal(after->model, before->model);
}

static void bootinfo_rejects_undecodable_memory_without_changes(void **state)
{
	struct boot_info *bi = new_bi(), *before = new_bi();
	size_t len;
	uint8_t *blob = build_bad_memory_blob(&len);

	(void)state;
	bootinfo_add_mem(bi, 0x1000, 0x1000, MEM_RESERVED);
	bootinfo_set_cmdline(bi, "keep", 5);
	memcpy(before, bi, sizeof(*bi));
	assert_int_equal(bootinfo_from_fdt(bi, blob, 0x1234), -EINVAL);
	assert_bi_unchanged(before, bi);
	free(blob);
	free(bi);
	free(before);
}

static void bootinfo_rejects_malformed_blobs_without_changes(void **state)
{
	struct boot_info *bi = new_bi(), *before = new_bi();
	uint8_t zeros[64] = { 0 };
	size_t len;
	uint8_t *dtb = load_dtb("qemu-riscv64-virt.dtb", &len);

	(void)state;
	strcpy(bi->model, "board");
	memcpy(before, bi, sizeof(*bi));
	assert_int_equal(bootinfo_from_fdt(bi, NULL, 0), -EINVAL);
	assert_bi_unchanged(before, bi);
	assert_int_equal(bootinfo_from_fdt(bi, zeros, 0), -EINVAL);
	assert_bi_unchanged(before, bi);
	hdr_set(dtb, H_TOTALSIZE, 3u << 20); /* beyond the 2 MiB cap: not even looked at */
	assert_int_equal(bootinfo_from_fdt(bi, dtb, 0), -EINVAL);
	assert_bi_unchanged(before, bi);
	hdr_set(dtb, H_TOTALSIZE, 0x107e);
	hdr_set(dtb, H_SIZE_STRUCT, 0x10000);
	assert_int_equal(bootinfo_from_fdt(bi, dtb, 0), -EINVAL);
	assert_bi_unchanged(before, bi);
	free(dtb);
	free(bi);
	free(before);
}

/* Every prefix of a real tree, with totalsize claiming just that much, read from an
 * exactly-sized buffer: only the complete ones parse, and nothing reads past the end. */
static void bootinfo_rejects_truncated_blob(void **state)
{
	static const char *files[] = { "qemu-riscv64-virt.dtb", "memreserve.dtb" };

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		size_t len;
		uint8_t *full = load_dtb(files[f], &len);
		uint32_t need = blob_used_end(full);

		for (uint32_t n = 40; n <= need; n++) {
			struct boot_info *bi = new_bi();
			uint8_t *p = dup_exact(full, n);

			hdr_set(p, H_TOTALSIZE, n);
			assert_int_equal(bootinfo_from_fdt(bi, p, 0), n >= need ? 0 : -EINVAL);
			assert_true(n >= need || bi->mem_count == 0);
			free(p);
			free(bi);
		}
		free(full);
	}
}

static void bootinfo_reads_nothing_past_header_of_garbage(void **state)
{
	struct boot_info *bi = new_bi();
	uint8_t *hdr = malloc(40);

	(void)state;
	/* a valid-looking header claiming far more than is there is only rejected after the
	 * caller mapped totalsize; with a bad magic only the header may be read */
	memset(hdr, 0xff, 40);
	assert_int_equal(bootinfo_from_fdt(bi, hdr, 0), -EINVAL);
	free(hdr);
	free(bi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bootinfo_add_mem_appends_in_order),
		cmocka_unit_test(bootinfo_add_mem_ignores_empty_regions),
		cmocka_unit_test(bootinfo_add_mem_clamps_regions_that_wrap),
		cmocka_unit_test(bootinfo_add_mem_counts_dropped_when_full),
		cmocka_unit_test(bootinfo_usable_bytes_counts_only_usable),
		cmocka_unit_test(bootinfo_usable_bytes_saturates),
		cmocka_unit_test(bootinfo_set_cmdline_copies_and_terminates),
		cmocka_unit_test(bootinfo_set_cmdline_truncates_long_lines),
		cmocka_unit_test(bootinfo_set_cmdline_reads_no_more_than_max),
		cmocka_unit_test(bootinfo_reads_qemu_arm64_virt),
		cmocka_unit_test(bootinfo_reads_qemu_riscv64_virt),
		cmocka_unit_test(bootinfo_records_reservations_before_ram),
		cmocka_unit_test(bootinfo_takes_bootargs_and_one_cell_memory),
		cmocka_unit_test(bootinfo_rejects_undecodable_memory_without_changes),
		cmocka_unit_test(bootinfo_rejects_malformed_blobs_without_changes),
		cmocka_unit_test(bootinfo_rejects_truncated_blob),
		cmocka_unit_test(bootinfo_reads_nothing_past_header_of_garbage),
	};

	return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
