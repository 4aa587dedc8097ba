// SPDX-License-Identifier: MIT
/* Test helpers: DTB fixture loading and a hand-rolled blob builder (see fdt_fixtures.h). */
#include "fdt_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc(n ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

uint8_t *load_dtb(const char *name, size_t *len)
{
	char path[1024];
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
	buf = read_file(path, len);
	if (buf)
		return buf;
	snprintf(path, sizeof(path), "%s/%s", TEST_BUILD_DATA_DIR, name);
	buf = read_file(path, len);
	if (!buf) {
		fprintf(stderr, "cannot read fixture %s\n", name);
		abort();
	}
	return buf;
}

uint8_t *dup_exact(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	if (!p)
		abort();
	if (len)
		memcpy(p, src, len);
	return p;
}

void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint32_t hdr_get(const uint8_t *blob, unsigned field_off)
{
	const uint8_t *p = blob + field_off;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void hdr_set(uint8_t *blob, unsigned field_off, uint32_t v)
{
	put_be32(blob + field_off, v);
}

uint32_t blob_used_end(const uint8_t *blob)
{
	uint32_t end = hdr_get(blob, H_OFF_STRUCT) + hdr_get(blob, H_SIZE_STRUCT);
	uint32_t s = hdr_get(blob, H_OFF_STRINGS) + hdr_get(blob, H_SIZE_STRINGS);
	uint32_t r = hdr_get(blob, H_OFF_RSVMAP);
	uint64_t a, sz;

	/* the reservation map runs up to and including its zero entry */
	do {
		a = (uint64_t)hdr_get(blob, r) << 32 | hdr_get(blob, r + 4);
		sz = (uint64_t)hdr_get(blob, r + 8) << 32 | hdr_get(blob, r + 12);
		r += 16;
	} while (a || sz);
	if (s > end)
		end = s;
	return r > end ? r : end;
}

uint8_t *relayout_strings_first(const uint8_t *blob, uint32_t *off_struct, uint32_t *total)
{
	uint32_t rsv = hdr_get(blob, H_OFF_RSVMAP), rsv_len = 0;
	uint32_t ss = hdr_get(blob, H_SIZE_STRINGS), st = hdr_get(blob, H_SIZE_STRUCT);
	uint32_t off_rsv = 40, off_strings;
	uint8_t *p;

	while (hdr_get(blob, rsv + rsv_len) | hdr_get(blob, rsv + rsv_len + 4) |
	       hdr_get(blob, rsv + rsv_len + 8) | hdr_get(blob, rsv + rsv_len + 12))
		rsv_len += 16;
	rsv_len += 16; /* the terminator */
	off_strings = off_rsv + rsv_len;
	*off_struct = (off_strings + ss + 3) & ~3u;
	*total = *off_struct + st;
	p = calloc(1, *total);
	if (!p)
		abort();
	memcpy(p, blob, 40);
	memcpy(p + off_rsv, blob + rsv, rsv_len);
	memcpy(p + off_strings, blob + hdr_get(blob, H_OFF_STRINGS), ss);
	memcpy(p + *off_struct, blob + hdr_get(blob, H_OFF_STRUCT), st);
	hdr_set(p, H_TOTALSIZE, *total);
	hdr_set(p, H_OFF_RSVMAP, off_rsv);
	hdr_set(p, H_OFF_STRINGS, off_strings);
	hdr_set(p, H_OFF_STRUCT, *off_struct);
	return p;
}

void fb_init(struct fdt_builder *b)
{
	memset(b, 0, sizeof(*b));
}

void fb_u32(struct fdt_builder *b, uint32_t v)
{
	if (b->st_len + 4 > sizeof(b->st))
		abort();
	put_be32(b->st + b->st_len, v);
	b->st_len += 4;
}

void fb_bytes(struct fdt_builder *b, const void *p, size_t n)
{
	if (b->st_len + n + 3 > sizeof(b->st))
		abort();
	memcpy(b->st + b->st_len, p, n);
	b->st_len += n;
	while (b->st_len & 3)
		b->st[b->st_len++] = 0;
}

void fb_begin(struct fdt_builder *b, const char *name)
{
	fb_u32(b, TOK_BEGIN_NODE);
	fb_bytes(b, name, strlen(name) + 1);
}

void fb_end(struct fdt_builder *b)
{
	fb_u32(b, TOK_END_NODE);
}

uint32_t fb_string(struct fdt_builder *b, const char *name)
{
	size_t n = strlen(name) + 1;
	uint32_t off = (uint32_t)b->strings_len;

	if (b->strings_len + n > sizeof(b->strings))
		abort();
	memcpy(b->strings + b->strings_len, name, n);
	b->strings_len += n;
	return off;
}

void fb_prop(struct fdt_builder *b, const char *name, const void *val, uint32_t len)
{
	fb_u32(b, TOK_PROP);
	fb_u32(b, len);
	fb_u32(b, fb_string(b, name));
	fb_bytes(b, val, len);
}

void fb_prop_str(struct fdt_builder *b, const char *name, const char *s)
{
	fb_prop(b, name, s, (uint32_t)strlen(s) + 1);
}

void fb_prop_u32(struct fdt_builder *b, const char *name, uint32_t v)
{
	uint8_t be[4];

	put_be32(be, v);
	fb_prop(b, name, be, 4);
}

void fb_finish(struct fdt_builder *b)
{
	fb_u32(b, TOK_END);
}

void fb_rsv(struct fdt_builder *b, uint64_t addr, uint64_t size)
{
	if (b->rsv_count >= 8)
		abort();
	b->rsv[b->rsv_count][0] = addr;
	b->rsv[b->rsv_count][1] = size;
	b->rsv_count++;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

uint8_t *fb_blob(const struct fdt_builder *b, size_t *len)
{
	uint32_t rsv_entries = b->rsv_count + (b->no_rsv_terminator ? 0 : 1);
	uint32_t off_rsv = 40;
	uint32_t off_struct = off_rsv + 16 * rsv_entries;
	uint32_t off_strings = off_struct + (uint32_t)b->st_len;
	uint32_t total = off_strings + (uint32_t)b->strings_len;
	uint8_t *p = calloc(1, total);

	if (!p)
		abort();
	hdr_set(p, H_MAGIC, 0xd00dfeed);
	hdr_set(p, H_TOTALSIZE, total);
	hdr_set(p, H_OFF_STRUCT, off_struct);
	hdr_set(p, H_OFF_STRINGS, off_strings);
	hdr_set(p, H_OFF_RSVMAP, off_rsv);
	hdr_set(p, H_VERSION, 17);
	hdr_set(p, H_LAST_COMP, 16);
	hdr_set(p, H_SIZE_STRINGS, (uint32_t)b->strings_len);
	hdr_set(p, H_SIZE_STRUCT, (uint32_t)b->st_len);
	for (unsigned i = 0; i < b->rsv_count; i++) {
		put_be64(p + off_rsv + 16 * i, b->rsv[i][0]);
		put_be64(p + off_rsv + 16 * i + 8, b->rsv[i][1]);
	}
	memcpy(p + off_struct, b->st, b->st_len);
	memcpy(p + off_strings, b->strings, b->strings_len);
	*len = total;
	return p;
}

void dtb_load(struct loaded_dtb *l, const char *name)
{
	l->blob = load_dtb(name, &l->len);
	assert_int_equal(fdt_init(&l->fdt, l->blob, l->len), 0);
}

void dtb_unload(struct loaded_dtb *l)
{
	free(l->blob);
}

/* The Raspberry Pi 4 tree from Debian's kernel package, when the build names one (it is not
 * ours to commit). False, after telling why, when there is none. */
bool dtb_load_rpi4(struct loaded_dtb *t)
{
	const char *path = getenv("KEEL_RPI4_DTB");
	FILE *f;
	long n;

	if (!path || !*path) {
		print_message("KEEL_RPI4_DTB is not set: no bcm2711-rpi-4-b.dtb to test against\n");
		return false;
	}
	f = fopen(path, "rb");
	if (!f) {
		print_message("KEEL_RPI4_DTB=%s cannot be read\n", path);
		return false;
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	t->blob = malloc((size_t)n);
	assert_non_null(t->blob);
	assert_int_equal(fread(t->blob, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	t->len = (size_t)n;
	assert_int_equal(fdt_init(&t->fdt, t->blob, t->len), 0);
	return true;
}
