// SPDX-License-Identifier: MIT
/* kmalloc/kfree: power-of-two size classes on slab caches, page blocks for large sizes. */
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kmalloc.h>
#include <kernel/kprintf.h>
#include <kernel/misuse.h>
#include <kernel/pmm.h>
#include <kernel/slab.h>
#include <lib/string.h>

#define KMALLOC_MAGIC   0x6b6d616cu /* "kmal" */
#define KMALLOC_LARGE   0xff        /* class of a page-block allocation */
#define KMALLOC_CLASSES (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)
/* DEV: at most this many bytes past the request are checked on large allocations. */
#define KMALLOC_LARGE_RZ 64

struct kmalloc_hdr {
	uint32_t magic;
	uint8_t cls;    /* size class, or KMALLOC_LARGE */
	uint8_t order;  /* page order of a large allocation */
	uint16_t pad;
	uint64_t size;  /* bytes requested */
};

_Static_assert(sizeof(struct kmalloc_hdr) == KMALLOC_HDR_SIZE, "kmalloc header size");

static struct kmem_cache classes[KMALLOC_CLASSES];
static const char *const class_names[KMALLOC_CLASSES] = {
	"kmalloc-32", "kmalloc-64", "kmalloc-128", "kmalloc-256",
	"kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};

_Static_assert(ARRAY_SIZE(class_names) == KMALLOC_CLASSES, "one name per class");

int kmalloc_init(void)
{
	for (unsigned i = 0; i < KMALLOC_CLASSES; i++) {
		int err = kmem_cache_init(&classes[i], class_names[i],
					  (size_t)1 << (KMALLOC_MIN_SHIFT + i), KMALLOC_HDR_SIZE);

		if (err)
			return err;
	}
	return 0;
}

static unsigned class_of(size_t total)
{
	unsigned cls = 0;

	while (((size_t)1 << (KMALLOC_MIN_SHIFT + cls)) < total)
		cls++;
	return cls;
}

static size_t block_bytes(const struct kmalloc_hdr *h)
{
	return h->cls == KMALLOC_LARGE ? PAGE_SIZE << h->order
				       : (size_t)1 << (KMALLOC_MIN_SHIFT + h->cls);
}

/* Bytes after the request that DEV fills with a pattern and checks at free. */
static size_t tail_rz(const struct kmalloc_hdr *h)
{
	size_t slack = block_bytes(h) - KMALLOC_HDR_SIZE - h->size;

	if (!IS_ENABLED(CONFIG_MM_POISON))
		return 0;
	return h->cls == KMALLOC_LARGE ? MIN(slack, (size_t)KMALLOC_LARGE_RZ) : slack;
}

static struct kmalloc_hdr *alloc_large(size_t total)
{
	struct kmalloc_hdr *h;
	unsigned order = 0;
	paddr_t pa;

	while ((PAGE_SIZE << order) < total && order <= PMM_MAX_ORDER)
		order++;
	if (order > PMM_MAX_ORDER || pmm_alloc(order, &pa))
		return NULL;
	h = hal_phys_to_virt(pa);

	h->cls = KMALLOC_LARGE;
	h->order = (uint8_t)order;
	return h;
}

void *kmalloc(size_t size)
{
	struct kmalloc_hdr *h;
	size_t total = size + KMALLOC_HDR_SIZE;

	if (!size || total < size)
		return NULL;
	if (total <= KMALLOC_MAX_SMALL) {
		unsigned cls = class_of(total);

		h = kmem_cache_alloc(&classes[cls]);
		if (h)
			h->cls = (uint8_t)cls;
	} else {
		h = alloc_large(total);
	}
	if (!h)
		return NULL;
	h->magic = KMALLOC_MAGIC;
	h->pad = 0;
	h->size = size;
	memset((char *)(h + 1) + size, SLAB_POISON_RED, tail_rz(h));
	return h + 1;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

static int kfree_misuse(int err, const char *what, const void *p)
{
	return misuse_report(MISUSE_KMALLOC, err, what, (uintptr_t)p);
}

/* A claimed header: class known, size plausible, tail redzone untouched. Changes nothing. */
static int check_hdr(const struct kmalloc_hdr *h, const void *p)
{
	const uint8_t *tail = (const uint8_t *)p + h->size;

	if (h->cls >= KMALLOC_CLASSES && h->cls != KMALLOC_LARGE)
		return kfree_misuse(-EFAULT, "kfree: corrupt header (size class)", p);
	if (h->size > block_bytes(h) - KMALLOC_HDR_SIZE)
		return kfree_misuse(-EFAULT, "kfree: corrupt header", p);
	for (size_t i = 0; i < tail_rz(h); i++)
		if (tail[i] != SLAB_POISON_RED)
			return kfree_misuse(-EOVERFLOW, "kfree: written past the end", p);
	return 0;
}

/*
 * Take the header's magic away in one atomic step before trusting anything else in it: of
 * two CPUs freeing the same pointer, exactly one swaps KMALLOC_MAGIC for 0 and the other is
 * reported as a double free. A block whose header then fails its checks stays claimed
 * (quarantined: never handed out again).
 */
static int claim_hdr(struct kmalloc_hdr *h, const void *p)
{
	uint32_t magic = KMALLOC_MAGIC;

	if ((uintptr_t)p % KMALLOC_HDR_SIZE ||
	    !__atomic_compare_exchange_n(&h->magic, &magic, 0, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_RELAXED))
		return kfree_misuse(-EFAULT, "kfree: not a live kmalloc pointer (double free?)", p);
	return check_hdr(h, p);
}

int kfree(void *p)
{
	struct kmalloc_hdr *h;
	unsigned order;
	paddr_t pa;
	int err;

	if (!p)
		return 0;
	h = (struct kmalloc_hdr *)p - 1;
	err = claim_hdr(h, p);
	if (err)
		return err;
	if (h->cls != KMALLOC_LARGE)
		return kmem_cache_free(&classes[h->cls], h);
	if (pmm_virt_to_phys(h, &pa))
		return kfree_misuse(-EFAULT, "kfree: large block outside managed memory", p);
	order = h->order;
	if (IS_ENABLED(CONFIG_MM_POISON))
		memset(h, SLAB_POISON_FREE, KMALLOC_HDR_SIZE + h->size);
	return pmm_free(pa, order);
}

size_t kmalloc_usable_size(const void *p)
{
	const struct kmalloc_hdr *h;

	if (!p)
		return 0;
	h = (const struct kmalloc_hdr *)p - 1;
	return h->magic == KMALLOC_MAGIC ? h->size : 0;
}

void kmalloc_drain(void)
{
	for (unsigned i = 0; i < KMALLOC_CLASSES; i++)
		kmem_cache_drain(&classes[i]);
}

uint64_t kmalloc_error_count(void)
{
	return misuse_count(MISUSE_KMALLOC);
}
