// SPDX-License-Identifier: MIT
/* Buddy allocator of physical page frames with per-CPU single-page caches (kernel/pmm.h). */
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/kprintf.h>
#include <kernel/misuse.h>
#include <kernel/cpu_index.h>
#include <kernel/pmm.h>
#include <kernel/spinlock.h>
#include <lib/list.h>
#include <lib/string.h>

/* What a page descriptor says about its frame. Only block heads are FREE/ALLOC/CACHED. */
enum page_state {
	PG_RESERVED = 0, /* never managed: firmware, kernel, metadata, outside any run */
	PG_FREE,         /* head of a free block on a buddy list */
	PG_ALLOC,        /* head of an allocated block */
	PG_TAIL,         /* inside a block whose head is elsewhere */
	PG_CACHED,       /* free single page held in a per-CPU cache */
	PG_FREEING,      /* claimed by a pmm_free() in progress: on no list yet */
};

struct pmm_page {
	struct list_node link; /* on a free list while PG_FREE */
	uint8_t state;
	uint8_t order;
};

struct pmm_span {
	paddr_t base;          /* first byte, page aligned */
	uint64_t npages;
	unsigned node;
	struct pmm_page *pages; /* one per page, carved from the span itself */
};

struct pmm_node {
	struct list_node free_list[PMM_NR_ORDERS];
	uint64_t free_blocks[PMM_NR_ORDERS];
	uint64_t used_blocks[PMM_NR_ORDERS]; /* through the buddy path (order 0: see pcp) */
	uint64_t buddy_free;                 /* pages on the free lists */
	uint64_t total;
};

struct pmm_range {
	paddr_t start, end; /* page aligned, end exclusive */
};

/* A CPU's cache for one node: only that CPU touches it, with interrupts masked. */
struct pmm_pcp {
	paddr_t pages[PMM_PCP_SIZE];
	unsigned count;
	int64_t used; /* order-0 pages allocated minus freed through this cache */
};

static struct {
	spinlock_t lock; /* the buddy lists, node counters and page states of non-cached pages */
	bool committed;
	unsigned nspans, nreserved, nnodes;
	struct pmm_span spans[PMM_MAX_SPANS];
	struct pmm_range reserved[PMM_MAX_RESERVED];
	struct pmm_node nodes[PMM_MAX_NODES];
	unsigned cpu_node[MM_NR_CPUS];
} pmm;

static struct pmm_pcp pcp[MM_NR_CPUS][PMM_MAX_NODES];

#define PAGE_MASK ((paddr_t)PAGE_SIZE - 1)

/* ---- Lookup ---- */

static struct pmm_span *span_of(paddr_t pa)
{
	for (unsigned i = 0; i < pmm.nspans; i++) {
		struct pmm_span *sp = &pmm.spans[i];

		if (sp->pages && pa >= sp->base && (pa - sp->base) >> PAGE_SHIFT < sp->npages)
			return sp;
	}
	return NULL;
}

static struct pmm_page *page_of(paddr_t pa, struct pmm_span **spp)
{
	struct pmm_span *sp = span_of(pa);

	if (!sp || (pa & PAGE_MASK))
		return NULL;
	if (spp)
		*spp = sp;
	return &sp->pages[(pa - sp->base) >> PAGE_SHIFT];
}

static struct pmm_span *span_of_page(const struct pmm_page *pg)
{
	for (unsigned i = 0; i < pmm.nspans; i++) {
		struct pmm_span *sp = &pmm.spans[i];

		if (sp->pages && pg >= sp->pages && pg < sp->pages + sp->npages)
			return sp;
	}
	return NULL;
}

static paddr_t page_pa(const struct pmm_span *sp, const struct pmm_page *pg)
{
	return sp->base + ((paddr_t)(pg - sp->pages) << PAGE_SHIFT);
}

/* ---- Buddy lists (pmm.lock held) ---- */

static void buddy_insert(struct pmm_span *sp, struct pmm_page *pg, unsigned order)
{
	struct pmm_node *n = &pmm.nodes[sp->node];

	pg->state = PG_FREE;
	pg->order = (uint8_t)order;
	list_add(&n->free_list[order], &pg->link);
	n->free_blocks[order]++;
	n->buddy_free += (uint64_t)1 << order;
}

static void buddy_remove(struct pmm_span *sp, struct pmm_page *pg, unsigned order)
{
	struct pmm_node *n = &pmm.nodes[sp->node];

	list_del(&pg->link);
	n->free_blocks[order]--;
	n->buddy_free -= (uint64_t)1 << order;
}

/*
 * Put the block at page index @idx of @sp back, merging with its buddy while the buddy is
 * a free block of the same order inside the same span. Buddies are found from the global
 * frame number so blocks stay naturally aligned in physical memory.
 */
static void buddy_free_block(struct pmm_span *sp, uint64_t idx, unsigned order)
{
	uint64_t base_pfn = sp->base >> PAGE_SHIFT;

	while (order < PMM_MAX_ORDER) {
		uint64_t bpfn = (base_pfn + idx) ^ ((uint64_t)1 << order);
		struct pmm_page *buddy;

		if (bpfn < base_pfn || bpfn - base_pfn + ((uint64_t)1 << order) > sp->npages)
			break;
		buddy = &sp->pages[bpfn - base_pfn];
		if (buddy->state != PG_FREE || buddy->order != order)
			break;
		buddy_remove(sp, buddy, order);
		/* Both halves become interior pages; the lower one is the merged head. */
		buddy->state = PG_TAIL;
		sp->pages[idx].state = PG_TAIL;
		idx = MIN(idx, bpfn - base_pfn);
		order++;
	}
	buddy_insert(sp, &sp->pages[idx], order);
}

/* Take a 2^@order block from node @node's lists, splitting a larger one if needed. */
static struct pmm_page *buddy_alloc(unsigned node, unsigned order, struct pmm_span **spp)
{
	struct pmm_node *n = &pmm.nodes[node];
	struct pmm_page *pg;
	struct pmm_span *sp;
	unsigned o = order;

	while (o <= PMM_MAX_ORDER && list_empty(&n->free_list[o]))
		o++;
	if (o > PMM_MAX_ORDER)
		return NULL;
	pg = container_of(list_first(&n->free_list[o]), struct pmm_page, link);
	sp = span_of_page(pg);
	if (!sp)
		return NULL; /* a free-list node outside every span: lists are corrupt */
	buddy_remove(sp, pg, o);
	/* Give back the upper halves until the block has the size asked for. */
	while (o > order) {
		o--;
		buddy_insert(sp, pg + ((size_t)1 << o), o);
	}
	pg->state = PG_ALLOC;
	pg->order = (uint8_t)order;
	*spp = sp;
	return pg;
}

/* ---- Per-CPU caches ---- */

/* Move up to PMM_PCP_BATCH pages of @node from the buddy lists into @c. */
static void pcp_refill(struct pmm_pcp *c, unsigned node)
{
	irqflags_t f = spin_lock_irqsave(&pmm.lock);

	while (c->count < PMM_PCP_BATCH) {
		struct pmm_span *sp;
		struct pmm_page *pg = buddy_alloc(node, 0, &sp);

		if (!pg)
			break;
		pg->state = PG_CACHED;
		c->pages[c->count++] = page_pa(sp, pg);
	}
	spin_unlock_irqrestore(&pmm.lock, f);
}

/* Give the oldest @n cached pages of @c back to the buddy lists. */
static void pcp_drain(struct pmm_pcp *c, unsigned n)
{
	irqflags_t f = spin_lock_irqsave(&pmm.lock);

	n = MIN(n, c->count);
	for (unsigned i = 0; i < n; i++) {
		struct pmm_span *sp = NULL;
		struct pmm_page *pg = page_of(c->pages[i], &sp);

		if (pg && sp) /* always: only pages of a span are ever cached */
			buddy_free_block(sp, (uint64_t)(pg - sp->pages), 0);
	}
	c->count -= n;
	for (unsigned i = 0; i < c->count; i++)
		c->pages[i] = c->pages[i + n];
	spin_unlock_irqrestore(&pmm.lock, f);
}

/* One page of @node through this CPU's cache: no shared lock unless it is empty. */
static int pcp_alloc(unsigned node, paddr_t *pa)
{
	irqflags_t f = hal_irq_save();
	struct pmm_pcp *c = &pcp[cpu_index()][node];
	int err = -ENOMEM;

	if (!c->count)
		pcp_refill(c, node);
	if (c->count) {
		struct pmm_page *pg;

		*pa = c->pages[--c->count];
		pg = page_of(*pa, NULL);
		if (pg) { /* always: only pages of a span are ever cached */
			/* Atomic: a pmm_free() of the same page on another CPU reads it under
			 * pmm.lock, which this cache does not take. */
			pg->order = 0;
			__atomic_store_n(&pg->state, PG_ALLOC, __ATOMIC_RELAXED);
			c->used++;
			err = 0;
		}
	}
	hal_irq_restore(f);
	return err;
}

static void pcp_free(struct pmm_span *sp, struct pmm_page *pg)
{
	irqflags_t f = hal_irq_save();
	struct pmm_pcp *c = &pcp[cpu_index()][sp->node];

	__atomic_store_n(&pg->state, PG_CACHED, __ATOMIC_RELAXED);
	c->pages[c->count++] = page_pa(sp, pg);
	c->used--;
	if (c->count == PMM_PCP_SIZE)
		pcp_drain(c, PMM_PCP_BATCH);
	hal_irq_restore(f);
}

void pmm_drain_cpu_cache(unsigned cpu)
{
	if (cpu >= MM_NR_CPUS)
		return;
	for (unsigned n = 0; n < PMM_MAX_NODES; n++)
		pcp_drain(&pcp[cpu][n], PMM_PCP_SIZE);
}

/* ---- Allocation API ---- */

static int alloc_on_node(unsigned order, unsigned node, paddr_t *pa)
{
	struct pmm_span *sp;
	struct pmm_page *pg;
	irqflags_t f;

	if (order == 0)
		return pcp_alloc(node, pa);
	f = spin_lock_irqsave(&pmm.lock);
	pg = buddy_alloc(node, order, &sp);
	if (pg) {
		pmm.nodes[node].used_blocks[order]++;
		*pa = page_pa(sp, pg);
	}
	spin_unlock_irqrestore(&pmm.lock, f);
	return pg ? 0 : -ENOMEM;
}

int pmm_alloc_node(unsigned order, int node, paddr_t *pa)
{
	unsigned first;

	if (order > PMM_MAX_ORDER || node >= (int)PMM_MAX_NODES || node < PMM_NODE_ANY || !pa)
		return -EINVAL;
	if (!pmm.nnodes)
		return -ENOMEM;
	first = node == PMM_NODE_ANY ? pmm_cpu_node(cpu_index()) : (unsigned)node;
	/* Local node first, then the others in id order: no distance table yet (SRAT SLIT). */
	for (unsigned i = 0; i < pmm.nnodes; i++) {
		unsigned n = (first + i) % pmm.nnodes;

		if (alloc_on_node(order, n, pa) == 0)
			return 0;
	}
	return -ENOMEM;
}

int pmm_alloc(unsigned order, paddr_t *pa)
{
	return pmm_alloc_node(order, PMM_NODE_ANY, pa);
}

/* What is wrong with freeing @pg as a block of @order, or NULL when nothing is. */
static const char *free_problem(const struct pmm_page *pg, unsigned order, int *err)
{
	*err = -EFAULT;
	if (!pg)
		return "pmm_free: not memory this allocator manages";
	switch (__atomic_load_n(&pg->state, __ATOMIC_RELAXED)) {
	case PG_ALLOC:
		break;
	case PG_FREE:
	case PG_CACHED:
	case PG_FREEING:
		return "pmm_free: double free";
	case PG_TAIL:
		return "pmm_free: inside a block, not its first page";
	default:
		return "pmm_free: reserved page";
	}
	*err = -EINVAL;
	return pg->order != order ? "pmm_free: order differs from the allocation" : NULL;
}

/*
 * Check that @pa heads an allocated block of @order and claim it for freeing, in one critical
 * section of pmm.lock: of two CPUs freeing the same block, exactly one gets 0 and the other
 * a double-free report. The block is PG_FREEING afterwards, on no list, until the caller
 * puts it back.
 */
static int claim_free(paddr_t pa, unsigned order, struct pmm_span **spp, struct pmm_page **pgp)
{
	irqflags_t f = spin_lock_irqsave(&pmm.lock);
	struct pmm_page *pg = page_of(pa, spp);
	int err;
	const char *what = free_problem(pg, order, &err);

	if (what)
		err = misuse_report(MISUSE_PMM, err, what, pa);
	else
		__atomic_store_n(&pg->state, PG_FREEING, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&pmm.lock, f);
	*pgp = pg;
	return what ? err : 0;
}

int pmm_free(paddr_t pa, unsigned order)
{
	struct pmm_span *sp = NULL;
	struct pmm_page *pg = NULL;
	irqflags_t f;
	int err = claim_free(pa, order, &sp, &pg);

	if (err)
		return err;
	/* HARDENED: nothing of the previous owner survives into the next allocation. */
	if (IS_ENABLED(CONFIG_MM_ZERO_ON_FREE))
		memset(hal_phys_to_virt(pa), 0, PAGE_SIZE << order);
	if (order == 0) {
		pcp_free(sp, pg);
		return 0;
	}
	f = spin_lock_irqsave(&pmm.lock);
	pmm.nodes[sp->node].used_blocks[order]--;
	buddy_free_block(sp, (uint64_t)(pg - sp->pages), order);
	spin_unlock_irqrestore(&pmm.lock, f);
	return 0;
}

/* ---- Setup ---- */

void pmm_reset(void)
{
	memset(&pmm, 0, sizeof(pmm));
	memset(pcp, 0, sizeof(pcp));
	spin_init(&pmm.lock);
	for (unsigned n = 0; n < PMM_MAX_NODES; n++)
		for (unsigned o = 0; o < PMM_NR_ORDERS; o++)
			list_init(&pmm.nodes[n].free_list[o]);
}

static bool ranges_overlap(paddr_t a0, paddr_t a1, paddr_t b0, paddr_t b1)
{
	return a0 < b1 && b0 < a1;
}

int pmm_add_range(paddr_t base, uint64_t size, unsigned node)
{
	paddr_t start, end;

	if (pmm.committed)
		return -EBUSY;
	if (node >= PMM_MAX_NODES)
		return -EINVAL;
	if (size > UINT64_MAX - base)
		size = UINT64_MAX - base;
	start = ALIGN_UP(base, (paddr_t)PAGE_SIZE);
	end = ALIGN_DOWN(base + size, (paddr_t)PAGE_SIZE);
	/*
	 * Page 0 is never handed out, so leave it out of every span: with an identity boot
	 * mapping (arm64, riscv64, RAM at 0 on a Raspberry Pi) its virtual address is NULL,
	 * which hal_phys_to_virt() cannot return for a mapped page.
	 */
	if (start == 0)
		start = PAGE_SIZE;
	if (start < base || end <= start)
		return 0; /* less than a page: nothing to manage */
	for (unsigned i = 0; i < pmm.nspans; i++) {
		struct pmm_span *sp = &pmm.spans[i];

		if (ranges_overlap(start, end, sp->base, sp->base + (sp->npages << PAGE_SHIFT)))
			return -EEXIST;
	}
	if (pmm.nspans == PMM_MAX_SPANS)
		return -ENOSPC;
	pmm.spans[pmm.nspans++] = (struct pmm_span){ start, (end - start) >> PAGE_SHIFT, node, NULL };
	return 0;
}

int pmm_reserve(paddr_t base, uint64_t size)
{
	paddr_t end;

	if (pmm.committed)
		return -EBUSY;
	if (size == 0)
		return 0;
	if (size > UINT64_MAX - base)
		size = UINT64_MAX - base;
	end = base + size;
	/* Round outwards: a partly reserved page is reserved. Saturate at the top. */
	end = end > UINT64_MAX - PAGE_MASK ? ALIGN_DOWN(UINT64_MAX, (paddr_t)PAGE_SIZE)
					   : ALIGN_UP(end, (paddr_t)PAGE_SIZE);
	if (pmm.nreserved == PMM_MAX_RESERVED)
		return -ENOSPC;
	pmm.reserved[pmm.nreserved++] = (struct pmm_range){ ALIGN_DOWN(base, (paddr_t)PAGE_SIZE), end };
	return 0;
}

/*
 * The first run of unreserved pages in [@from, @end): its bounds in *@rs, *@re.
 * False when there is none.
 */
static bool next_free_run(paddr_t from, paddr_t end, paddr_t *rs, paddr_t *re)
{
	paddr_t s = from, e = end;
	bool moved = true;

	/* Step past every reservation covering s until none does. */
	while (moved && s < end) {
		moved = false;
		for (unsigned i = 0; i < pmm.nreserved; i++) {
			const struct pmm_range *r = &pmm.reserved[i];

			if (r->start <= s && s < r->end) {
				s = r->end;
				moved = true;
			}
		}
	}
	if (s >= end)
		return false;
	for (unsigned i = 0; i < pmm.nreserved; i++)
		if (pmm.reserved[i].start > s && pmm.reserved[i].start < e)
			e = pmm.reserved[i].start;
	*rs = s;
	*re = e;
	return true;
}

/* True when page @pa is reachable through hal_phys_to_virt() contiguously from @base. */
static bool mapped_from(paddr_t base, paddr_t pa)
{
	uint8_t *vb = hal_phys_to_virt(base), *vp = hal_phys_to_virt(pa);

	return vb && vp && (uintptr_t)vp - (uintptr_t)vb == pa - base;
}

/* Trim @sp to the prefix hal_phys_to_virt() maps (RAM a port left out of its direct map). */
static void trim_to_mapped(struct pmm_span *sp)
{
	uint64_t lo = 0, hi = sp->npages; /* invariant: page lo mapped, page hi not (or end) */

	if (!mapped_from(sp->base, sp->base)) {
		sp->npages = 0;
		return;
	}
	if (mapped_from(sp->base, sp->base + ((sp->npages - 1) << PAGE_SHIFT)))
		return;
	hi = sp->npages - 1;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (mapped_from(sp->base, sp->base + (mid << PAGE_SHIFT)))
			lo = mid;
		else
			hi = mid;
	}
	sp->npages = lo + 1;
}

/* Find room for @sp's descriptors inside @sp, reserve it and point sp->pages at it. */
static int carve_metadata(struct pmm_span *sp)
{
	uint64_t bytes = sp->npages * sizeof(struct pmm_page);
	paddr_t need = ALIGN_UP(bytes, (paddr_t)PAGE_SIZE);
	paddr_t end = sp->base + (sp->npages << PAGE_SHIFT), s, e, from = sp->base;

	while (next_free_run(from, end, &s, &e)) {
		if (e - s >= need) {
			if (pmm_reserve(s, need))
				return -ENOSPC;
			sp->pages = hal_phys_to_virt(s);
			return 0;
		}
		from = e;
	}
	return -ENOMEM;
}

/* Hand the unreserved pages of @sp to the buddy lists as maximal aligned blocks. */
static void release_span(struct pmm_span *sp)
{
	paddr_t end = sp->base + (sp->npages << PAGE_SHIFT), s, e, from = sp->base;
	struct pmm_node *n = &pmm.nodes[sp->node];

	memset(sp->pages, 0, sp->npages * sizeof(struct pmm_page)); /* all PG_RESERVED */
	while (next_free_run(from, end, &s, &e)) {
		uint64_t idx = (s - sp->base) >> PAGE_SHIFT, last = (e - sp->base) >> PAGE_SHIFT;

		for (uint64_t i = idx; i < last; i++)
			sp->pages[i].state = PG_TAIL;
		n->total += last - idx;
		while (idx < last) {
			unsigned order = 0;
			uint64_t pfn = (sp->base >> PAGE_SHIFT) + idx;

			while (order < PMM_MAX_ORDER && !(pfn & (((uint64_t)2 << order) - 1)) &&
			       idx + ((uint64_t)2 << order) <= last)
				order++;
			buddy_free_block(sp, idx, order);
			idx += (uint64_t)1 << order;
		}
		from = e;
	}
}

int pmm_commit(void)
{
	unsigned usable = 0;

	int err;

	if (pmm.committed)
		return -EBUSY;
	err = pmm_reserve(0, PAGE_SIZE); /* page 0 doubles as the "no page" value */
	if (err)
		return err;
	for (unsigned i = 0; i < pmm.nspans; i++) {
		struct pmm_span *sp = &pmm.spans[i];

		trim_to_mapped(sp);
		if (!sp->npages || carve_metadata(sp)) {
			kprintf("pmm: ignoring RAM at %#llx: %s\n", (unsigned long long)sp->base,
				sp->npages ? "no room for its page descriptors" : "not mapped");
			sp->npages = 0;
			continue;
		}
		usable++;
	}
	for (unsigned i = 0; i < pmm.nspans; i++) {
		if (!pmm.spans[i].pages)
			continue;
		release_span(&pmm.spans[i]);
		pmm.nnodes = MAX(pmm.nnodes, pmm.spans[i].node + 1);
	}
	pmm.committed = true;
	return usable ? 0 : -ENOMEM;
}

/* ---- NUMA, statistics ---- */

void pmm_set_cpu_node(unsigned cpu, unsigned node)
{
	if (cpu < MM_NR_CPUS && node < PMM_MAX_NODES)
		pmm.cpu_node[cpu] = node;
}

unsigned pmm_cpu_node(unsigned cpu)
{
	unsigned n = cpu < MM_NR_CPUS ? pmm.cpu_node[cpu] : 0;

	return n < pmm.nnodes ? n : 0;
}

int pmm_virt_to_phys(const void *va, paddr_t *pa)
{
	uintptr_t v = (uintptr_t)va;

	for (unsigned i = 0; i < pmm.nspans; i++) {
		const struct pmm_span *sp = &pmm.spans[i];
		uintptr_t vbase = sp->pages ? (uintptr_t)hal_phys_to_virt(sp->base) : 0;

		if (vbase && v >= vbase && (v - vbase) >> PAGE_SHIFT < sp->npages) {
			*pa = sp->base + (v - vbase);
			return 0;
		}
	}
	return -ENOENT;
}

int pmm_node_of(paddr_t pa)
{
	struct pmm_span *sp = span_of(pa);

	return sp ? (int)sp->node : -ENOENT;
}

unsigned pmm_node_count(void)
{
	return pmm.nnodes;
}

void pmm_get_stats(unsigned node, struct pmm_node_stats *out)
{
	irqflags_t f;
	const struct pmm_node *n;

	memset(out, 0, sizeof(*out));
	if (node >= PMM_MAX_NODES)
		return;
	n = &pmm.nodes[node];
	f = spin_lock_irqsave(&pmm.lock);
	out->total_pages = n->total;
	for (unsigned i = 0; i < pmm.nspans; i++)
		if (pmm.spans[i].pages && pmm.spans[i].node == node)
			out->ram_pages += pmm.spans[i].npages;
	out->free_pages = n->buddy_free;
	for (unsigned o = 0; o < PMM_NR_ORDERS; o++) {
		out->free_blocks[o] = n->free_blocks[o];
		out->used_blocks[o] = n->used_blocks[o];
	}
	/* Other CPUs' cache counters are read racily: statistics, not accounting. */
	for (unsigned cpu = 0; cpu < MM_NR_CPUS; cpu++) {
		out->cached_pages += pcp[cpu][node].count;
		out->used_blocks[0] += (uint64_t)pcp[cpu][node].used;
	}
	spin_unlock_irqrestore(&pmm.lock, f);
	out->free_pages += out->cached_pages;
}

uint64_t pmm_free_pages(void)
{
	struct pmm_node_stats st;
	uint64_t sum = 0;

	for (unsigned n = 0; n < pmm.nnodes; n++) {
		pmm_get_stats(n, &st);
		sum += st.free_pages;
	}
	return sum;
}

uint64_t pmm_total_pages(void)
{
	uint64_t sum = 0;

	for (unsigned n = 0; n < pmm.nnodes; n++)
		sum += pmm.nodes[n].total;
	return sum;
}

uint64_t pmm_error_count(void)
{
	return misuse_count(MISUSE_PMM);
}
