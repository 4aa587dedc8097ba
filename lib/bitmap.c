// SPDX-License-Identifier: MIT
/* Bounds-checked bitmaps (see include/lib/bitmap.h). */
#include <kernel/errno.h>
#include <lib/bitmap.h>

static uint64_t bit_mask(size_t bit)
{
	return (uint64_t)1 << (bit % BITMAP_WORD_BITS);
}

/*
 * Bit tricks written out: the compilers' __builtin_ctzll/popcountll become libgcc calls
 * (__ctzdi2, __popcountdi2) on targets without the instruction, and the kernel has no libgcc.
 */
static unsigned lowest_set(uint64_t w) /* w != 0 */
{
	unsigned n = 0;

	for (unsigned shift = 32; shift; shift >>= 1) {
		if (!(w & (((uint64_t)1 << shift) - 1))) {
			w >>= shift;
			n += shift;
		}
	}
	return n;
}

static unsigned popcount(uint64_t w)
{
	w = w - ((w >> 1) & 0x5555555555555555ull);
	w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((w * 0x0101010101010101ull) >> 56);
}

/* True when [start, start + len) lies inside the map, without overflowing. */
static bool range_ok(const struct bitmap *bm, size_t start, size_t len)
{
	return start <= bm->nbits && len <= bm->nbits - start;
}

void bitmap_init(struct bitmap *bm, uint64_t *words, size_t nbits)
{
	bm->words = words;
	bm->nbits = nbits;
	for (size_t i = 0; i < BITMAP_WORDS(nbits); i++)
		words[i] = 0;
}

int bitmap_set(struct bitmap *bm, size_t bit)
{
	if (bit >= bm->nbits)
		return -ERANGE;
	bm->words[bit / BITMAP_WORD_BITS] |= bit_mask(bit);
	return 0;
}

int bitmap_clear(struct bitmap *bm, size_t bit)
{
	if (bit >= bm->nbits)
		return -ERANGE;
	bm->words[bit / BITMAP_WORD_BITS] &= ~bit_mask(bit);
	return 0;
}

bool bitmap_test(const struct bitmap *bm, size_t bit)
{
	return bit < bm->nbits && (bm->words[bit / BITMAP_WORD_BITS] & bit_mask(bit));
}

int bitmap_set_range(struct bitmap *bm, size_t start, size_t len)
{
	if (!range_ok(bm, start, len))
		return -ERANGE;
	for (size_t b = start; b < start + len; b++)
		bm->words[b / BITMAP_WORD_BITS] |= bit_mask(b);
	return 0;
}

int bitmap_clear_range(struct bitmap *bm, size_t start, size_t len)
{
	if (!range_ok(bm, start, len))
		return -ERANGE;
	for (size_t b = start; b < start + len; b++)
		bm->words[b / BITMAP_WORD_BITS] &= ~bit_mask(b);
	return 0;
}

/* Scan for the first bit equal to @value at or after @start, a word at a time. */
static size_t next_with_value(const struct bitmap *bm, size_t start, bool value)
{
	size_t b = start;

	while (b < bm->nbits) {
		uint64_t w = bm->words[b / BITMAP_WORD_BITS];

		if (!value)
			w = ~w;
		w &= ~(bit_mask(b) - 1); /* ignore bits below b in this word */
		if (w) {
			size_t found = (b & ~(size_t)(BITMAP_WORD_BITS - 1)) +
				       lowest_set(w);
			return found < bm->nbits ? found : bm->nbits;
		}
		b = (b | (BITMAP_WORD_BITS - 1)) + 1;
	}
	return bm->nbits;
}

size_t bitmap_next_set(const struct bitmap *bm, size_t start)
{
	return next_with_value(bm, start, true);
}

size_t bitmap_next_clear(const struct bitmap *bm, size_t start)
{
	return next_with_value(bm, start, false);
}

size_t bitmap_find_clear_run(const struct bitmap *bm, size_t len, size_t align)
{
	if (align == 0)
		align = 1;
	if (len == 0 || len > bm->nbits || (align & (align - 1)))
		return bm->nbits;
	for (size_t s = bitmap_next_clear(bm, 0); s < bm->nbits;) {
		s = (s + align - 1) & ~(align - 1);
		if (!range_ok(bm, s, len))
			break;
		size_t set = bitmap_next_set(bm, s);
		if (set >= s + len)
			return s;
		s = bitmap_next_clear(bm, set);
	}
	return bm->nbits;
}

size_t bitmap_count(const struct bitmap *bm)
{
	size_t n = 0;

	for (size_t i = 0; i < BITMAP_WORDS(bm->nbits); i++) {
		uint64_t w = bm->words[i];

		if (i == bm->nbits / BITMAP_WORD_BITS) /* partial last word: bits past nbits */
			w &= bit_mask(bm->nbits) - 1;
		n += popcount(w);
	}
	return n;
}
