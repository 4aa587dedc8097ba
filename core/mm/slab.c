// SPDX-License-Identifier: MIT
/* Slab caches with per-CPU magazines, carved from page-allocator blocks (kernel/slab.h). */
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/misuse.h>
#include <kernel/pmm.h>
#include <kernel/slab.h>
#include <lib/string.h>

#define SLAB_MAGIC 0x51ab51abu
/* Second word of a free object: this XOR its address marks "free" (double-free check). */
#define SLAB_FREE_TAG ((uintptr_t)0x5a5a0f0ff0f0a5a5ull)

/* The header at the start of every slab. */
struct slab {
	uint32_t magic;
	uint32_t inuse;
	struct kmem_cache *cache;
	struct list_node link;  /* on cache->partial or cache->full */
	void *freelist;         /* free objects, linked through their first word */
};

/* A free object's first two words. */
struct free_obj {
	void *next;
	uintptr_t tag;
};

static bool poison_on(void)
{
	return IS_ENABLED(CONFIG_MM_POISON);
}

static size_t slab_bytes(const struct kmem_cache *c)
{
	return PAGE_SIZE << c->order;
}

/* Misuse of @c: counted against the cache too, so a test can tell which cache saw it. */
static int slab_misuse(struct kmem_cache *c, int err, const char *what, const void *obj)
{
	__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
	return misuse_report(MISUSE_SLAB, err, what, (uintptr_t)obj);
}

int kmem_cache_init(struct kmem_cache *c, const char *name, size_t size, size_t align)
{
	size_t rz = poison_on() ? SLAB_REDZONE : 0;

	align = align ? align : 8;
	if ((align & (align - 1)) || align > PAGE_SIZE || !size || size > PAGE_SIZE << SLAB_MAX_ORDER)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->obj_size = size;
	c->stride = ALIGN_UP(MAX(size + rz, sizeof(struct free_obj)), align);
	c->first = ALIGN_UP(sizeof(struct slab), align);
	for (c->order = 0; c->order <= SLAB_MAX_ORDER; c->order++) {
		c->per_slab = (unsigned)((slab_bytes(c) - c->first) / c->stride);
		if (c->per_slab >= SLAB_MIN_OBJECTS)
			break;
	}
	if (c->order > SLAB_MAX_ORDER) {
		c->order = SLAB_MAX_ORDER;
		if (c->per_slab == 0)
			return -EINVAL;
	}
	spin_init(&c->lock);
	list_init(&c->partial);
	list_init(&c->full);
	return 0;
}

static void mark_free(struct kmem_cache *c, void *obj)
{
	struct free_obj *f = obj;

	if (poison_on()) {
		memset(obj, SLAB_POISON_FREE, c->obj_size);
		memset((char *)obj + c->obj_size, SLAB_POISON_RED, c->stride - c->obj_size);
	}
	__atomic_store_n(&f->tag, SLAB_FREE_TAG ^ (uintptr_t)obj, __ATOMIC_RELAXED);
}

/* DEV: a free object's bytes past its two link words must still be poison. */
static bool poison_intact(const struct kmem_cache *c, const void *obj)
{
	const uint8_t *p = obj;

	for (size_t i = sizeof(struct free_obj); i < c->obj_size; i++)
		if (p[i] != SLAB_POISON_FREE)
			return false;
	return true;
}

/* A new slab with every object free, on the partial list. Cache lock held. */
static struct slab *slab_grow(struct kmem_cache *c)
{
	paddr_t pa;
	struct slab *s;
	char *obj;

	if (pmm_alloc(c->order, &pa))
		return NULL;
	s = hal_phys_to_virt(pa);
	/* Objects find their slab by alignment: the mapping must keep the block aligned. */
	if (!s || ((uintptr_t)s & (slab_bytes(c) - 1))) {
		pmm_free(pa, c->order);
		return NULL;
	}
	s->magic = SLAB_MAGIC;
	s->inuse = 0;
	s->cache = c;
	s->freelist = NULL;
	obj = (char *)s + c->first + (size_t)(c->per_slab - 1) * c->stride;
	for (unsigned i = 0; i < c->per_slab; i++, obj -= c->stride) {
		mark_free(c, obj);
		((struct free_obj *)obj)->next = s->freelist;
		s->freelist = obj;
	}
	list_add(&c->partial, &s->link);
	c->slabs++;
	return s;
}

/* Take one object from the slabs. Cache lock held. */
static void *slab_take(struct kmem_cache *c)
{
	struct list_node *n = list_first(&c->partial);
	struct slab *s = n ? container_of(n, struct slab, link) : slab_grow(c);
	struct free_obj *f;

	if (!s)
		return NULL;
	f = s->freelist;
	s->freelist = f->next;
	s->inuse++;
	c->inuse++;
	if (!s->freelist) {
		list_del(&s->link);
		list_add(&c->full, &s->link);
	}
	return f;
}

/* Put @obj back in its slab, releasing the slab when it becomes empty. Cache lock held. */
static void slab_put(struct kmem_cache *c, void *obj)
{
	struct slab *s = (struct slab *)ALIGN_DOWN((uintptr_t)obj, slab_bytes(c));
	paddr_t pa;

	if (!s->freelist) {
		list_del(&s->link);
		list_add(&c->partial, &s->link);
	}
	((struct free_obj *)obj)->next = s->freelist;
	s->freelist = obj;
	s->inuse--;
	c->inuse--;
	if (s->inuse == 0 && pmm_virt_to_phys(s, &pa) == 0) {
		list_del(&s->link);
		s->magic = 0;
		c->slabs--;
		pmm_free(pa, c->order);
	}
}

/* Fill half of this CPU's magazine from the slabs. */
static void mag_refill(struct kmem_cache *c, struct slab_magazine *m)
{
	irqflags_t f = spin_lock_irqsave(&c->lock);

	while (m->count < SLAB_MAG_SIZE / 2) {
		void *obj = slab_take(c);

		if (!obj)
			break;
		m->objs[m->count++] = obj;
	}
	spin_unlock_irqrestore(&c->lock, f);
}

/* Return the oldest @n objects of @m to their slabs. */
static void mag_flush(struct kmem_cache *c, struct slab_magazine *m, unsigned n)
{
	irqflags_t f = spin_lock_irqsave(&c->lock);

	n = MIN(n, m->count);
	for (unsigned i = 0; i < n; i++)
		slab_put(c, m->objs[i]);
	m->count -= n;
	for (unsigned i = 0; i < m->count; i++)
		m->objs[i] = m->objs[i + n];
	spin_unlock_irqrestore(&c->lock, f);
}

/* Hand out @obj: check it was left alone while free, then clear the free marks. */
static bool obj_claim(struct kmem_cache *c, void *obj)
{
	struct free_obj *fo = obj;

	if (poison_on() && !poison_intact(c, obj)) {
		slab_misuse(c, 0, "write after free (poison changed); object quarantined", obj);
		return false;
	}
	/* Atomic: a kmem_cache_free() of @obj on another CPU reads the tag under the lock. */
	__atomic_store_n(&fo->tag, 0, __ATOMIC_RELAXED);
	if (poison_on())
		fo->next = (void *)(uintptr_t)(SLAB_POISON_FREE * 0x0101010101010101ull);
	return true;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	for (;;) {
		irqflags_t f = hal_irq_save();
		struct slab_magazine *m = &c->mag[cpu_index()];
		void *obj = NULL;

		if (!m->count)
			mag_refill(c, m);
		if (m->count)
			obj = m->objs[--m->count];
		hal_irq_restore(f);
		/* A quarantined object stays counted as in use: its slab is never reused. */
		if (!obj || obj_claim(c, obj))
			return obj;
	}
}

/* Is @obj the start of an allocated object of @c? 0 or the misuse report's error. Cache
 * lock held, so the answer still holds when the caller marks the object free. */
static int check_obj(struct kmem_cache *c, void *obj)
{
	const struct slab *s = (const struct slab *)ALIGN_DOWN((uintptr_t)obj, slab_bytes(c));
	uintptr_t off = (uintptr_t)obj - (uintptr_t)s;
	const uint8_t *rz = (const uint8_t *)obj + c->obj_size;

	if (s->magic != SLAB_MAGIC || s->cache != c || off < c->first ||
	    (off - c->first) % c->stride || (off - c->first) / c->stride >= c->per_slab)
		return slab_misuse(c, -EFAULT, "not an object of this cache", obj);
	if (__atomic_load_n(&((struct free_obj *)obj)->tag, __ATOMIC_RELAXED) ==
	    (SLAB_FREE_TAG ^ (uintptr_t)obj))
		return slab_misuse(c, -EFAULT, "double free", obj);
	for (size_t i = 0; poison_on() && i < c->stride - c->obj_size; i++)
		if (rz[i] != SLAB_POISON_RED)
			return slab_misuse(c, -EOVERFLOW, "redzone overwritten (overflow)", obj);
	return 0;
}

/* Check @obj and mark it free in one critical section of the cache lock: of two CPUs
 * freeing the same object, exactly one succeeds and the other gets a double-free report. */
static int claim_free(struct kmem_cache *c, void *obj)
{
	irqflags_t f = spin_lock_irqsave(&c->lock);
	int err = check_obj(c, obj);

	if (!err) {
		if (IS_ENABLED(CONFIG_MM_ZERO_ON_FREE))
			memset(obj, 0, c->obj_size);
		mark_free(c, obj);
	}
	spin_unlock_irqrestore(&c->lock, f);
	return err;
}

int kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct slab_magazine *m;
	irqflags_t f;
	int err;

	if (!obj)
		return 0;
	err = claim_free(c, obj);
	if (err)
		return err;
	f = hal_irq_save();
	m = &c->mag[cpu_index()];
	if (m->count == SLAB_MAG_SIZE)
		mag_flush(c, m, SLAB_MAG_SIZE / 2);
	m->objs[m->count++] = obj;
	hal_irq_restore(f);
	return 0;
}

void kmem_cache_drain(struct kmem_cache *c)
{
	for (unsigned cpu = 0; cpu < MM_NR_CPUS; cpu++)
		mag_flush(c, &c->mag[cpu], SLAB_MAG_SIZE);
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	kmem_cache_drain(c);
	if (c->inuse)
		return -EBUSY;
	c->name = NULL;
	return 0;
}

uint64_t slab_error_count(void)
{
	return misuse_count(MISUSE_SLAB);
}
