// SPDX-License-Identifier: MIT
/* Address-space id allocator (kernel/asid.h): one bitmap, one lock, a rotating cursor. */
#include <kernel/asid.h>
#include <kernel/compiler.h>
#include <kernel/hal.h>
#include <kernel/spinlock.h>
#include <lib/bitmap.h>

static uint64_t words[ASID_MAX / 64];
static struct bitmap ids;
static bool ready;
static size_t cursor = 1;
static unsigned in_use;
static spinlock_t lock = SPINLOCK_INIT;

static size_t id_count(void)
{
	return MIN((size_t)hal_mmu_asid_count(), (size_t)ASID_MAX);
}

unsigned asid_alloc(void)
{
	size_t n = id_count(), id = n;
	irqflags_t flags;

	if (n < 2)
		return 0;
	flags = spin_lock_irqsave(&lock);
	/* The count is fixed on hardware; host tests vary it between runs with no id in use. */
	if (!ready || (ids.nbits != n && !in_use)) {
		bitmap_init(&ids, words, n);
		bitmap_set(&ids, 0);
		cursor = 1;
		ready = true;
	}
	/* Rotate through the ids so a freed one rests before reuse. */
	id = bitmap_next_clear(&ids, cursor);
	if (id >= n)
		id = bitmap_next_clear(&ids, 1);
	if (id < n) {
		bitmap_set(&ids, id);
		cursor = id + 1;
		in_use++;
	}
	spin_unlock_irqrestore(&lock, flags);
	return id < n ? (unsigned)id : 0;
}

void asid_free(unsigned asid)
{
	irqflags_t flags;

	if (!asid || !ready || asid >= id_count())
		return;
	/* The id may have been live on any CPU: none may keep its entries for the next owner. */
	hal_tlb_flush_asid_all(asid);
	flags = spin_lock_irqsave(&lock);
	if (bitmap_test(&ids, asid)) {
		bitmap_clear(&ids, asid);
		in_use--;
	}
	spin_unlock_irqrestore(&lock, flags);
}

unsigned asid_in_use(void)
{
	return in_use;
}
