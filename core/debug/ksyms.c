// SPDX-License-Identifier: MIT
/* Symbol lookup in the table scripts/ksyms.py patches into the kernel image after linking. */
#include <kernel/fault.h>
#include <kernel/ksyms.h>

#define KSYMS_HEADER 16u
#define KSYMS_ENTRY 12u

/* Zero until patched; scripts/ksyms.py finds it through the ELF symbol table. */
__attribute__((section(".rodata.ksyms"), aligned(8), used))
const unsigned char ksyms_blob[KSYMS_BLOB_SIZE] = { 0 };

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The header describes a table that fits in the blob. */
static bool table_sane(const unsigned char *blob, size_t size, uint32_t *count)
{
	uint32_t n, str_off, str_size;

	if (size < KSYMS_HEADER || get32(blob) != KSYMS_MAGIC)
		return false;
	n = get32(blob + 4);
	str_off = get32(blob + 8);
	str_size = get32(blob + 12);
	if (n > (size - KSYMS_HEADER) / KSYMS_ENTRY || str_off < KSYMS_HEADER + n * KSYMS_ENTRY)
		return false;
	if (str_off > size || str_size > size - str_off || str_size == 0)
		return false;
	if (blob[str_off + str_size - 1] != '\0')
		return false; /* then every name below is NUL-terminated inside the blob */
	*count = n;
	return true;
}

const char *ksyms_lookup_in(const unsigned char *blob, size_t size, uint64_t offset,
			    uintptr_t *within)
{
	uint32_t count, lo = 0, hi;
	const unsigned char *e;

	if (!table_sane(blob, size, &count) || count == 0)
		return NULL;
	/* Binary search for the last entry starting at or before @offset. */
	hi = count;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (get32(blob + KSYMS_HEADER + mid * KSYMS_ENTRY) <= offset)
			lo = mid;
		else
			hi = mid;
	}
	e = blob + KSYMS_HEADER + lo * KSYMS_ENTRY;
	if (get32(e) > offset)
		return NULL; /* before the first function */
	if (get32(e + 4) && offset - get32(e) >= get32(e + 4))
		return NULL; /* past the end of the closest function: not code we know */
	if (get32(e + 8) >= get32(blob + 12))
		return NULL;
	if (within)
		*within = (uintptr_t)(offset - get32(e));
	return (const char *)blob + get32(blob + 8) + get32(e + 8);
}

#ifndef KEEL_HOST_TEST
extern const char __kernel_start[];

const char *ksym_lookup(uintptr_t pc, uintptr_t *offset)
{
	const unsigned char *blob = ksyms_blob;
	uintptr_t base = (uintptr_t)__kernel_start;

	/* The blob is const and zero as far as the compiler knows: hide it so loads are real. */
	__asm__("" : "+r"(blob));
	if (pc < base)
		return NULL;
	return ksyms_lookup_in(blob, KSYMS_BLOB_SIZE, pc - base, offset);
}
#endif
