/* SPDX-License-Identifier: MIT */
/* Test helpers: load DTB fixtures from disk, and build small (possibly broken) blobs by hand. */
#ifndef KEEL_TEST_FDT_FIXTURES_H
#define KEEL_TEST_FDT_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lib/fdt.h>

/* Read a committed fixture (test/unit/data/@name) or a dtc-built one (build dir). The buffer
 * is malloc()ed to exactly the file size, so ASan flags any read past it. */
uint8_t *load_dtb(const char *name, size_t *len);

/* A fixture loaded and checked with fdt_init(), for tests that read a whole tree. */
struct loaded_dtb {
	uint8_t *blob;
	size_t len;
	struct fdt fdt;
};

/* Load fixture @name and fdt_init() it, failing the current test if it does not parse. */
void dtb_load(struct loaded_dtb *l, const char *name);
void dtb_unload(struct loaded_dtb *l);

/* The Raspberry Pi 4 tree KEEL_RPI4_DTB names (Debian's, not ours to commit), loaded and
 * fdt_init()ed; false, after printing why, when there is none. Free with dtb_unload(). */
bool dtb_load_rpi4(struct loaded_dtb *t);

/* Copy the first @len bytes of @src into a fresh exactly-sized allocation. */
uint8_t *dup_exact(const uint8_t *src, size_t len);

/* Big-endian header field access, for corrupting blobs on purpose. */
uint32_t hdr_get(const uint8_t *blob, unsigned field_off);
void hdr_set(uint8_t *blob, unsigned field_off, uint32_t v);
void put_be32(uint8_t *p, uint32_t v);

#define H_MAGIC 0
#define H_TOTALSIZE 4
#define H_OFF_STRUCT 8
#define H_OFF_STRINGS 12
#define H_OFF_RSVMAP 16
#define H_VERSION 20
#define H_LAST_COMP 24
#define H_SIZE_STRINGS 32
#define H_SIZE_STRUCT 36

/* Offset just past the last byte any block of @blob uses. */
uint32_t blob_used_end(const uint8_t *blob);

/* A copy of @blob with its blocks in the order header, rsvmap, strings, structure (which
 * ends the blob); *@off_struct and *@total give the layout. */
uint8_t *relayout_strings_first(const uint8_t *blob, uint32_t *off_struct, uint32_t *total);

/*
 * A tiny blob builder. Tokens go in as written, with no checking, so tests can produce
 * exactly the malformation they want. fb_blob() lays out header, memory reservation map,
 * structure block and strings block back to back.
 */
struct fdt_builder {
	uint8_t st[16384];
	size_t st_len;
	char strings[1024];
	size_t strings_len;
	uint64_t rsv[8][2];
	unsigned rsv_count;
	int no_rsv_terminator;
};

void fb_init(struct fdt_builder *b);
void fb_u32(struct fdt_builder *b, uint32_t v);          /* raw big-endian word */
void fb_bytes(struct fdt_builder *b, const void *p, size_t n); /* raw bytes, then pad to 4 */
void fb_begin(struct fdt_builder *b, const char *name);
void fb_end(struct fdt_builder *b);                      /* FDT_END_NODE */
void fb_prop(struct fdt_builder *b, const char *name, const void *val, uint32_t len);
void fb_prop_str(struct fdt_builder *b, const char *name, const char *s);
void fb_prop_u32(struct fdt_builder *b, const char *name, uint32_t v);
void fb_finish(struct fdt_builder *b);                   /* FDT_END */
uint32_t fb_string(struct fdt_builder *b, const char *name); /* strings block offset */
void fb_rsv(struct fdt_builder *b, uint64_t addr, uint64_t size);

/* Assemble into a malloc()ed buffer of exactly the total size; *@len gets that size. */
uint8_t *fb_blob(const struct fdt_builder *b, size_t *len);

#define TOK_BEGIN_NODE 1u
#define TOK_END_NODE 2u
#define TOK_PROP 3u
#define TOK_NOP 4u
#define TOK_END 9u

#endif
