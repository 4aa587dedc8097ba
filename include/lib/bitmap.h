/* SPDX-License-Identifier: MIT */
/*
 * Fixed-size bitmaps over caller-provided storage (page-frame maps, CPU masks, id allocators).
 * Every operation is bounds-checked against the bitmap's size: an index or range outside it
 * returns -ERANGE (or "not found") and changes nothing.
 */
#ifndef KEEL_LIB_BITMAP_H
#define KEEL_LIB_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BITMAP_WORD_BITS 64
#define BITMAP_WORDS(nbits) (((nbits) + BITMAP_WORD_BITS - 1) / BITMAP_WORD_BITS)

struct bitmap {
	uint64_t *words; /* BITMAP_WORDS(nbits) words */
	size_t nbits;
};

/* Attach @words (BITMAP_WORDS(@nbits) of them) and clear every bit. */
void bitmap_init(struct bitmap *bm, uint64_t *words, size_t nbits);

/* Set / clear one bit: 0, or -ERANGE when @bit >= nbits. */
int bitmap_set(struct bitmap *bm, size_t bit);
int bitmap_clear(struct bitmap *bm, size_t bit);

/* Value of one bit; false when @bit is out of range. */
bool bitmap_test(const struct bitmap *bm, size_t bit);

/* Set / clear [@start, @start + @len): 0, or -ERANGE (nothing changed) when it leaves the map. */
int bitmap_set_range(struct bitmap *bm, size_t start, size_t len);
int bitmap_clear_range(struct bitmap *bm, size_t start, size_t len);

/* First set / clear bit at or after @start; nbits when there is none. */
size_t bitmap_next_set(const struct bitmap *bm, size_t start);
size_t bitmap_next_clear(const struct bitmap *bm, size_t start);

/* First run of @len clear bits whose start is a multiple of @align (a power of two, or 0/1 for
 * any); nbits when there is none or the arguments are invalid. */
size_t bitmap_find_clear_run(const struct bitmap *bm, size_t len, size_t align);

/* Number of set bits. */
size_t bitmap_count(const struct bitmap *bm);

#endif
