// SPDX-License-Identifier: MIT
/* Host tests for core/debug/ksyms.c: lookups in a synthetic table laid out as ksyms.py does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/ksyms.h>

/* What scripts/ksyms.py measures offsets from when it patches this test binary
 * (test/unit/ksyms_image.py): first in the file, so the functions below come after it. */
__attribute__((noinline, used)) void ksyms_test_anchor(void);
__attribute__((noinline, used)) void ksyms_test_anchor(void)
{
	__asm__ __volatile__("");
}

static unsigned char blob[1024];

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Table: alpha @0x100 size 0x40, beta @0x140 size 0x10, gamma @0x200 size 0 (unknown). */
static void build(void)
{
	static const char strings[] = "alpha\0beta\0gamma";
	const uint32_t ents[3][3] = { { 0x100, 0x40, 0 }, { 0x140, 0x10, 6 }, { 0x200, 0, 11 } };
	uint32_t str_off = 16 + 3 * 12;

	memset(blob, 0, sizeof(blob));
	put32(blob, KSYMS_MAGIC);
	put32(blob + 4, 3);
	put32(blob + 8, str_off);
	put32(blob + 12, sizeof(strings));
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			put32(blob + 16 + i * 12 + j * 4, ents[i][j]);
	memcpy(blob + str_off, strings, sizeof(strings));
}

static void ksyms_finds_the_containing_function(void **state)
{
	(void)state;
	uintptr_t off = 99;

	build();
	assert_string_equal(ksyms_lookup_in(blob, sizeof(blob), 0x100, &off), "alpha");
	assert_int_equal(off, 0);
	assert_string_equal(ksyms_lookup_in(blob, sizeof(blob), 0x13f, &off), "alpha");
	assert_int_equal(off, 0x3f);
	assert_string_equal(ksyms_lookup_in(blob, sizeof(blob), 0x145, &off), "beta");
	assert_int_equal(off, 5);
	/* A symbol without a size covers everything up to the next one. */
	assert_string_equal(ksyms_lookup_in(blob, sizeof(blob), 0x10000, &off), "gamma");
	assert_int_equal(off, 0x10000 - 0x200);
}

static void ksyms_outside_any_function_is_unknown(void **state)
{
	(void)state;
	uintptr_t off;

	build();
	assert_null(ksyms_lookup_in(blob, sizeof(blob), 0xff, &off));  /* before the first */
	assert_null(ksyms_lookup_in(blob, sizeof(blob), 0x150, &off)); /* past beta's end */
	assert_null(ksyms_lookup_in(blob, sizeof(blob), 0x1ff, &off));
}

static void ksyms_unpatched_blob_finds_nothing(void **state)
{
	(void)state;
	uintptr_t off;

	memset(blob, 0, sizeof(blob));
	assert_null(ksyms_lookup_in(blob, sizeof(blob), 0x100, &off));
	/* The kernel's own blob is zero until scripts/ksyms.py patches the linked image. */
	assert_null(ksyms_lookup_in(ksyms_blob, KSYMS_BLOB_SIZE, 0x100, &off));
}

static void ksyms_rejects_malformed_headers(void **state)
{
	(void)state;
	uintptr_t off;

	build();
	put32(blob + 4, 1000000); /* more entries than fit */
	assert_null(ksyms_lookup_in(blob, sizeof(blob), 0x100, &off));
	build();
	put32(blob + 12, 2000); /* strings past the end */
	assert_null(ksyms_lookup_in(blob, sizeof(blob), 0x100, &off));
	build();
	blob[16 + 3 * 12 + 16] = 'x'; /* last name not NUL-terminated */
	assert_null(ksyms_lookup_in(blob, sizeof(blob), 0x100, &off));
	build();
	put32(blob + 8, 20); /* strings overlap the entries */
	assert_null(ksyms_lookup_in(blob, sizeof(blob), 0x100, &off));
	build();
	assert_null(ksyms_lookup_in(blob, 10, 0x100, &off)); /* truncated */
}

static void ksyms_binary_search_on_a_large_table(void **state)
{
	(void)state;
	static unsigned char big[16 + 500 * 12 + 8];
	uintptr_t off;

	put32(big, KSYMS_MAGIC);
	put32(big + 4, 500);
	put32(big + 8, 16 + 500 * 12);
	put32(big + 12, 2);
	for (uint32_t i = 0; i < 500; i++) {
		put32(big + 16 + i * 12, i * 32);
		put32(big + 20 + i * 12, 32);
		put32(big + 24 + i * 12, 0);
	}
	big[16 + 500 * 12] = 'f';
	for (uint32_t pc = 0; pc < 500 * 32; pc += 7) {
		assert_non_null(ksyms_lookup_in(big, sizeof(big), pc, &off));
		assert_int_equal(off, pc % 32);
	}
	assert_null(ksyms_lookup_in(big, sizeof(big), 500 * 32, &off));
}

static __attribute__((noinline)) uint64_t offset_of(void (*fn)(void **))
{
	return (uint64_t)((uintptr_t)fn - (uintptr_t)ksyms_test_anchor);
}

/* Runs on a copy of this binary whose ksyms_blob scripts/ksyms.py filled in: the script's
 * table names this file's own functions, wherever the (PIE) binary was loaded. */
static void ksyms_py_table_names_functions_of_the_patched_binary(void **state)
{
	(void)state;
	uintptr_t off = 99;
	uint64_t at = offset_of(ksyms_outside_any_function_is_unknown);

	assert_string_equal(ksyms_lookup_in(ksyms_blob, KSYMS_BLOB_SIZE, at, &off),
			    "ksyms_outside_any_function_is_unknown");
	assert_int_equal(off, 0);
	assert_string_equal(ksyms_lookup_in(ksyms_blob, KSYMS_BLOB_SIZE, at + 3, &off),
			    "ksyms_outside_any_function_is_unknown");
	assert_int_equal(off, 3);
	assert_string_equal(ksyms_lookup_in(ksyms_blob, KSYMS_BLOB_SIZE,
					    offset_of(ksyms_rejects_malformed_headers) + 1, &off),
			    "ksyms_rejects_malformed_headers");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest patched[] = {
		cmocka_unit_test(ksyms_py_table_names_functions_of_the_patched_binary),
	};
	if (argc > 1 && strcmp(argv[1], "--patched") == 0)
		return cmocka_run_group_tests(patched, NULL, NULL);

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ksyms_finds_the_containing_function),
		cmocka_unit_test(ksyms_outside_any_function_is_unknown),
		cmocka_unit_test(ksyms_unpatched_blob_finds_nothing),
		cmocka_unit_test(ksyms_rejects_malformed_headers),
		cmocka_unit_test(ksyms_binary_search_on_a_large_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
