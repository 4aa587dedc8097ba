/* SPDX-License-Identifier: MIT */
/*
 * The kernel's symbol table, for backtraces (core/debug/ksyms.c). The image carries a fixed-size
 * zero-filled blob, ksyms_blob, in .rodata.ksyms; after linking, scripts/ksyms.py reads the
 * ELF symbol table and writes the function symbols into that blob in place:
 *
 *   header  u32 magic (KSYMS_MAGIC), u32 count, u32 strings offset, u32 strings size
 *   entries count x { u32 offset from __kernel_start, u32 size, u32 name offset }, by offset
 *   strings NUL-terminated names
 *
 * All words little-endian (every Keel target is). Offsets rather than addresses keep the table
 * right for a position-independent image running somewhere other than where it was linked.
 */
#ifndef KEEL_KERNEL_KSYMS_H
#define KEEL_KERNEL_KSYMS_H

#include <kernel/types.h>

#define KSYMS_MAGIC 0x4d59534bu /* "KSYM" */
#ifndef KSYMS_BLOB_SIZE
#define KSYMS_BLOB_SIZE (32u * 1024u) /* ~1000 functions with room to grow */
#endif

extern const unsigned char ksyms_blob[KSYMS_BLOB_SIZE];

/* Look @offset (from the image start) up in the table @blob of @size bytes: the name of the
 * function containing it, its offset into that function in *@within; NULL if none or if the
 * table is missing or malformed. */
const char *ksyms_lookup_in(const unsigned char *blob, size_t size, uint64_t offset,
			    uintptr_t *within);

#endif
