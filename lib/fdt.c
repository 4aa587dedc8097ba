// SPDX-License-Identifier: MIT
/* Bounds-checked flattened device tree reader (devicetree specification v0.4, chapter 5). */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <lib/fdt.h>
#include <lib/string.h>
#include <stdint.h>

/*
 * The blob is untrusted firmware input. Two layers keep every read inside it:
 *  - fdt_init() checks the header and then walks the whole structure block once, so a
 *    blob that gets past it is well formed (balanced, terminated, bounded depth);
 *  - every token is still decoded by read_token(), which checks its own bounds, so a
 *    bad node offset from a caller (or a bug here) yields an error, not a wild read.
 * Walks always move strictly forward, so they terminate on any input.
 */

/* Header layout (spec 5.2): ten big-endian u32 fields. */
#define HDR_MAGIC          0
#define HDR_TOTALSIZE      4
#define HDR_OFF_STRUCT     8
#define HDR_OFF_STRINGS    12
#define HDR_OFF_RSVMAP     16
#define HDR_VERSION        20
#define HDR_LAST_COMP      24
#define HDR_SIZE_STRINGS   32
#define HDR_SIZE_STRUCT    36
#define FDT_HEADER_SIZE    40

/* Version 17 is the first with size_dt_struct, which the bounds checks need. */
#define FDT_MIN_VERSION    17
#define FDT_LAST_COMP_MAX  17

/* Structure block tokens (spec 5.4.1). */
#define FDT_BEGIN_NODE     1u
#define FDT_END_NODE       2u
#define FDT_PROP           3u
#define FDT_NOP            4u
#define FDT_END            9u

#define FDT_TAG_SIZE       4u
#define FDT_PROP_HDR_SIZE  12u  /* tag, len, nameoff */
#define FDT_RSV_ENTRY_SIZE 16u  /* address, size: two u64 (spec 5.3.2) */

/* A decoded token of the structure block. */
struct token {
	uint32_t tag;
	uint32_t next;      /* offset of the following token */
	const char *name;   /* BEGIN_NODE: node name; PROP: property name */
	const void *data;   /* PROP: value */
	uint32_t len;       /* PROP: value length */
};

/* Byte-wise so that a blob at any alignment works (and UBSan stays quiet). */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

uint64_t fdt_read_cells(const void *p, unsigned cells)
{
	const uint8_t *b = p;

	if (cells == 1)
		return be32(b);
	if (cells == 2)
		return be64(b);
	return 0;
}

static uint32_t align4(uint64_t v)
{
	return (uint32_t)((v + 3) & ~(uint64_t)3);
}

/* True when [off, off + len) lies within a region of @size bytes (no overflow possible). */
static bool in_range(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* Header checks that need no knowledge of how much of the blob is readable. */
static bool header_ok(const uint8_t *h)
{
	return be32(h + HDR_MAGIC) == FDT_MAGIC &&
	       be32(h + HDR_TOTALSIZE) >= FDT_HEADER_SIZE &&
	       be32(h + HDR_VERSION) >= FDT_MIN_VERSION &&
	       be32(h + HDR_LAST_COMP) <= FDT_LAST_COMP_MAX;
}

uint32_t fdt_total_size(const void *blob, size_t max_size)
{
	if (!blob || max_size < FDT_HEADER_SIZE || !header_ok(blob))
		return 0;
	return be32((const uint8_t *)blob + HDR_TOTALSIZE);
}

static const uint8_t *struct_base(const struct fdt *fdt)
{
	return fdt->blob + fdt->off_struct;
}

/* Decode the token at @off of the structure block. 0, or -EINVAL when it is malformed. */
static int read_token(const struct fdt *fdt, uint64_t off, struct token *t)
{
	const uint8_t *base = struct_base(fdt);
	uint32_t size = fdt->size_struct;
	uint64_t end;

	if ((off & 3) || !in_range(off, FDT_TAG_SIZE, size))
		return -EINVAL;
	t->tag = be32(base + off);
	t->name = NULL;
	t->data = NULL;
	t->len = 0;
	end = off + FDT_TAG_SIZE;

	switch (t->tag) {
	case FDT_BEGIN_NODE: {
		/* The name must end with a NUL inside the block. */
		size_t n = strnlen((const char *)base + end, size - end);

		if (n == size - end)
			return -EINVAL;
		t->name = (const char *)base + end;
		end += n + 1;
		break;
	}
	case FDT_PROP: {
		uint32_t nameoff;
		size_t n;

		if (!in_range(off, FDT_PROP_HDR_SIZE, size))
			return -EINVAL;
		t->len = be32(base + off + 4);
		nameoff = be32(base + off + 8);
		end = off + FDT_PROP_HDR_SIZE;
		if (!in_range(end, t->len, size))
			return -EINVAL;
		t->data = base + end;
		end += t->len;
		/* The name lives in the strings block and must end there too. */
		if (nameoff >= fdt->size_strings)
			return -EINVAL;
		t->name = (const char *)fdt->blob + fdt->off_strings + nameoff;
		n = strnlen(t->name, fdt->size_strings - nameoff);
		if (n == fdt->size_strings - nameoff)
			return -EINVAL;
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return -EINVAL;
	}
	/* Padding to the next token must itself be inside the block (FDT_END excepted). */
	if (align4(end) > size && t->tag != FDT_END)
		return -EINVAL;
	t->next = align4(end);
	return 0;
}

/* Read the token at @node and insist that it starts a node. */
static int read_node(const struct fdt *fdt, int node, struct token *t)
{
	if (!fdt || !fdt->blob || node < 0)
		return -EINVAL;
	if (read_token(fdt, (uint32_t)node, t) || t->tag != FDT_BEGIN_NODE)
		return -EINVAL;
	return 0;
}

/*
 * One pass over the structure block: NOPs, then exactly one root node whose subtree is
 * balanced and no deeper than FDT_MAX_DEPTH, then NOPs and FDT_END. Properties must come
 * before a node's children (spec 5.4.2), which lets fdt_prop() stop at the first child.
 */
static int validate_struct(const struct fdt *fdt)
{
	struct token t;
	uint64_t off = 0;
	int depth = 0;
	bool seen_root = false, seen_child = false;

	for (;;) {
		if (read_token(fdt, off, &t))
			return -EINVAL;
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0 && seen_root)
				return -EINVAL; /* a second root */
			if (++depth > FDT_MAX_DEPTH)
				return -EINVAL;
			seen_root = true;
			seen_child = false;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return -EINVAL;
			depth--;
			seen_child = true; /* the parent is now past one of its children */
			break;
		case FDT_PROP:
			if (depth == 0 || seen_child)
				return -EINVAL;
			break;
		case FDT_END:
			return (seen_root && depth == 0) ? 0 : -EINVAL;
		default: /* FDT_NOP */
			break;
		}
		off = t.next;
	}
}

/* The reservation map ends with a zero entry inside the blob (spec 5.3). */
static int validate_rsvmap(const struct fdt *fdt)
{
	uint64_t off = fdt->off_rsvmap;

	for (;;) {
		const uint8_t *e;

		if (!in_range(off, FDT_RSV_ENTRY_SIZE, fdt->total_size))
			return -EINVAL;
		e = fdt->blob + off;
		if (be64(e) == 0 && be64(e + 8) == 0)
			return 0;
		off += FDT_RSV_ENTRY_SIZE;
	}
}

/* Every block must sit after the header and inside totalsize. */
static int check_layout(const struct fdt *fdt)
{
	if (fdt->off_struct < FDT_HEADER_SIZE || (fdt->off_struct & 3) ||
	    !in_range(fdt->off_struct, fdt->size_struct, fdt->total_size))
		return -EINVAL;
	if (fdt->off_strings < FDT_HEADER_SIZE ||
	    !in_range(fdt->off_strings, fdt->size_strings, fdt->total_size))
		return -EINVAL;
	if (fdt->off_rsvmap < FDT_HEADER_SIZE || (fdt->off_rsvmap & 7))
		return -EINVAL;
	return 0;
}

int fdt_init(struct fdt *fdt, const void *blob, size_t max_size)
{
	const uint8_t *h = blob;
	struct fdt f;

	if (!fdt)
		return -EINVAL;
	fdt->blob = NULL; /* a failed init leaves nothing usable behind */
	if (!blob || max_size < FDT_HEADER_SIZE || !header_ok(h))
		return -EINVAL;
	f.blob = h;
	f.total_size = be32(h + HDR_TOTALSIZE);
	f.off_struct = be32(h + HDR_OFF_STRUCT);
	f.size_struct = be32(h + HDR_SIZE_STRUCT);
	f.off_strings = be32(h + HDR_OFF_STRINGS);
	f.size_strings = be32(h + HDR_SIZE_STRINGS);
	f.off_rsvmap = be32(h + HDR_OFF_RSVMAP);
	f.version = be32(h + HDR_VERSION);
	f.index = NULL;
	if (f.total_size > max_size)
		return -EINVAL;
	if (check_layout(&f) || validate_rsvmap(&f) || validate_struct(&f))
		return -EINVAL;
	*fdt = f;
	return 0;
}

int fdt_root(const struct fdt *fdt)
{
	struct token t;
	uint64_t off = 0;

	if (!fdt || !fdt->blob)
		return -EINVAL;
	for (;;) {
		if (read_token(fdt, off, &t))
			return -EINVAL;
		if (t.tag == FDT_BEGIN_NODE)
			return (int)off;
		if (t.tag != FDT_NOP)
			return -EINVAL;
		off = t.next;
	}
}


/* ---- Node index ------------------------------------------------------------------------ */

/* Record @t, a property of @n, when it is a one-cell phandle (spec 2.3.3). */
static void index_note_phandle(struct fdt_index_node *n, const struct token *t)
{
	if (t->len != 4)
		return;
	if (!strcmp(t->name, "phandle"))
		n->phandle = be32(t->data);
	else if (!strcmp(t->name, "linux,phandle"))
		n->linux_phandle = be32(t->data);
}

/* Append the node at @off below entry @parent (-1: the root); @last is the parent's last
 * child so far (-1 when none), updated to the new entry. */
static void index_add(struct fdt_index *idx, uint64_t off, int32_t parent, uint32_t depth,
		      int32_t *last)
{
	int32_t i = (int32_t)idx->count++;
	struct fdt_index_node *n = &idx->node[i];

	n->offset = (int32_t)off;
	n->parent = parent;
	n->first_child = -1;
	n->next_sibling = -1;
	n->phandle = 0;
	n->linux_phandle = 0;
	n->depth = depth;
	if (!last)
		return;
	if (*last < 0)
		idx->node[parent].first_child = i;
	else
		idx->node[*last].next_sibling = i;
	*last = i;
}

int fdt_index_build(struct fdt *fdt, struct fdt_index *idx, struct fdt_index_node *nodes,
		    uint32_t max)
{
	int32_t open[FDT_MAX_DEPTH], last[FDT_MAX_DEPTH]; /* per depth: node, its last child */
	struct token t;
	uint64_t off = 0;
	uint32_t depth = 0;

	if (!fdt || !fdt->blob || !idx || !nodes)
		return -EINVAL;
	fdt->index = NULL;
	idx->node = nodes;
	idx->count = 0;
	idx->max = max;
	for (;; off = t.next) {
		if (read_token(fdt, off, &t))
			return -EINVAL;
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			if (depth >= FDT_MAX_DEPTH || (depth == 0 && idx->count))
				return -EINVAL;
			if (idx->count >= max || off > INT32_MAX)
				return -ENOSPC;
			index_add(idx, off, depth ? open[depth - 1] : -1, depth,
				  depth ? &last[depth - 1] : NULL);
			open[depth] = (int32_t)idx->count - 1;
			last[depth++] = -1;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return -EINVAL;
			depth--;
			break;
		case FDT_PROP:
			if (depth == 0)
				return -EINVAL;
			index_note_phandle(&nodes[open[depth - 1]], &t);
			break;
		case FDT_END:
			if (depth || !idx->count)
				return -EINVAL;
			fdt->index = idx;
			return 0;
		default: /* FDT_NOP */
			break;
		}
	}
}

/* Position of @node in the index (binary search: entries are in document order), or -1. */
static int32_t index_pos(const struct fdt_index *idx, int node)
{
	uint32_t lo = 0, hi = idx->count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (idx->node[mid].offset == node)
			return (int32_t)mid;
		if (idx->node[mid].offset < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const struct fdt_index_node *fdt_index_lookup(const struct fdt *fdt, int node)
{
	int32_t i;

	if (!fdt || !fdt->blob || !fdt->index || node < 0)
		return NULL;
	i = index_pos(fdt->index, node);
	return i < 0 ? NULL : &fdt->index->node[i];
}

/* Offset of entry @i of @fdt's index, or -ENOENT when @i is -1 (no such relative). */
static int index_offset(const struct fdt *fdt, int32_t i)
{
	return i < 0 ? -ENOENT : fdt->index->node[i].offset;
}

/* True when @fdt has an index attached: the lookups below use it instead of walking. */
#define INDEXED(fdt) ((fdt) && (fdt)->blob && (fdt)->index)

/*
 * The next node after @node in document order. *@depth is updated by the nesting change
 * (+1 for a child, 0 for a sibling, negative when the walk climbed out of @node's parent).
 * -ENOENT at the end of the tree.
 */
static int next_node(const struct fdt *fdt, int node, int *depth)
{
	struct token t;
	uint64_t off;

	if (read_node(fdt, node, &t))
		return -EINVAL;
	for (off = t.next;; off = t.next) {
		if (read_token(fdt, off, &t))
			return -EINVAL;
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			(*depth)++;
			return (int)off;
		case FDT_END_NODE:
			(*depth)--;
			break;
		case FDT_END:
			return -ENOENT;
		default: /* FDT_PROP, FDT_NOP */
			break;
		}
	}
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	int depth = 0;
	int next;

	if (INDEXED(fdt)) {
		const struct fdt_index_node *e = fdt_index_lookup(fdt, node);

		return e ? index_offset(fdt, e->first_child) : -EINVAL;
	}
	next = next_node(fdt, node, &depth);

	if (next < 0)
		return next;
	return depth == 1 ? next : -ENOENT;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	int depth = 0;
	int next = node;

	if (INDEXED(fdt)) {
		const struct fdt_index_node *e = fdt_index_lookup(fdt, node);

		return e ? index_offset(fdt, e->next_sibling) : -EINVAL;
	}
	do {
		next = next_node(fdt, next, &depth);
		if (next < 0)
			return next;
	} while (depth > 0);
	return depth == 0 ? next : -ENOENT;
}

int fdt_parent(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH]; /* stack[d] is the open node at depth d (root: 0) */
	int depth = 0;
	int cur;

	if (INDEXED(fdt)) {
		const struct fdt_index_node *e = fdt_index_lookup(fdt, node);

		return e ? index_offset(fdt, e->parent) : -EINVAL;
	}
	cur = fdt_root(fdt);
	if (cur < 0)
		return cur;
	stack[0] = cur;
	while (cur != node) {
		cur = next_node(fdt, cur, &depth);
		if (cur < 0)
			return cur == -ENOENT ? -EINVAL : cur; /* @node is not a node */
		if (depth < 0 || depth >= FDT_MAX_DEPTH)
			return -EINVAL;
		stack[depth] = cur;
		if (cur > node)
			return -EINVAL; /* walked past it: @node is not a node offset */
	}
	return depth == 0 ? -ENOENT : stack[depth - 1];
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
	struct token t;

	return read_node(fdt, node, &t) ? NULL : t.name;
}

/* Find property @name (of @name_len bytes) among @node's properties. */
static int find_prop(const struct fdt *fdt, int node, const char *name, size_t name_len,
		     struct token *t)
{
	uint64_t off;

	if (read_node(fdt, node, t))
		return -EINVAL;
	for (off = t->next;; off = t->next) {
		if (read_token(fdt, off, t))
			return -EINVAL;
		if (t->tag == FDT_NOP)
			continue;
		if (t->tag != FDT_PROP)
			return -ENOENT; /* properties precede children: no more to see */
		if (!strncmp(t->name, name, name_len) && t->name[name_len] == '\0')
			return 0;
	}
}

const void *fdt_prop(const struct fdt *fdt, int node, const char *name, uint32_t *len)
{
	struct token t;

	if (!name || find_prop(fdt, node, name, strlen(name), &t))
		return NULL;
	if (len)
		*len = t.len;
	return t.data;
}

/* @data of @len bytes is a non-empty string list whose last string is terminated. */
static bool is_string(const void *data, uint32_t len)
{
	return data && len > 0 && memchr(data, '\0', len) != NULL;
}

const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name)
{
	uint32_t len;
	const char *s = fdt_prop(fdt, node, name, &len);

	return is_string(s, len) ? s : NULL;
}

int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out)
{
	uint32_t len;
	const void *p = fdt_prop(fdt, node, name, &len);

	if (!p)
		return -ENOENT;
	if (len != 4)
		return -EINVAL;
	if (out)
		*out = be32(p);
	return 0;
}

/* True when the string list @list (@len bytes) holds @s; an unterminated tail never matches. */
static bool strlist_contains(const char *list, uint32_t len, const char *s)
{
	size_t want = strlen(s) + 1;

	while (len > 0) {
		size_t n = strnlen(list, len);

		if (n == len)
			return false;
		if (n + 1 == want && !memcmp(list, s, want))
			return true;
		list += n + 1;
		len -= (uint32_t)(n + 1);
	}
	return false;
}

bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	uint32_t len;
	const char *list = fdt_prop(fdt, node, "compatible", &len);

	return list && compat && strlist_contains(list, len, compat);
}

/* The node after @after in document order, or the root when @after is -1. */
static int walk_from(const struct fdt *fdt, int after)
{
	int depth = 0;

	if (after == -1)
		return fdt_root(fdt);
	if (INDEXED(fdt)) {
		int32_t i = after >= 0 ? index_pos(fdt->index, after) : -1;

		if (i < 0)
			return -EINVAL;
		return (uint32_t)i + 1 < fdt->index->count ? fdt->index->node[i + 1].offset : -ENOENT;
	}
	return next_node(fdt, after, &depth);
}

int fdt_find_compatible(const struct fdt *fdt, int after, const char *compat)
{
	int node;

	for (node = walk_from(fdt, after); node >= 0; node = walk_from(fdt, node))
		if (fdt_is_compatible(fdt, node, compat))
			return node;
	return node;
}

int fdt_find_device_type(const struct fdt *fdt, int after, const char *type)
{
	int node;

	if (!type)
		return -EINVAL;
	for (node = walk_from(fdt, after); node >= 0; node = walk_from(fdt, node)) {
		const char *t = fdt_prop_string(fdt, node, "device_type");

		if (t && !strcmp(t, type))
			return node;
	}
	return node;
}

static uint32_t cells_or(const struct fdt *fdt, int node, const char *name, uint32_t dflt)
{
	uint32_t v;

	return fdt_prop_u32(fdt, node, name, &v) ? dflt : v;
}

uint32_t fdt_address_cells(const struct fdt *fdt, int node)
{
	return cells_or(fdt, node, "#address-cells", 2);
}

uint32_t fdt_size_cells(const struct fdt *fdt, int node)
{
	return cells_or(fdt, node, "#size-cells", 1);
}

int fdt_reg(const struct fdt *fdt, int node, unsigned index, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent(fdt, node);
	uint32_t ac = 2, sc = 1, len; /* the root has no parent: spec defaults (2.3.5) */
	const uint8_t *reg;
	uint64_t entry;

	if (parent >= 0) {
		ac = fdt_address_cells(fdt, parent);
		sc = fdt_size_cells(fdt, parent);
	} else if (parent != -ENOENT) {
		return parent;
	}
	/* Wider numbers (PCI's 3 address cells) do not fit a u64 and are not memory. */
	if (ac < 1 || ac > 2 || sc > 2)
		return -EINVAL;
	reg = fdt_prop(fdt, node, "reg", &len);
	if (!reg)
		return -ENOENT;
	entry = (uint64_t)(ac + sc) * 4;
	if (len % entry)
		return -EINVAL;
	if (index >= len / entry)
		return -ENOENT;
	reg += index * entry;
	if (addr)
		*addr = fdt_read_cells(reg, ac);
	if (size)
		*size = sc ? fdt_read_cells(reg + ac * 4, sc) : 0;
	return 0;
}

/* Cell counts a "ranges" entry may use: numbers that fit a u64 and describe a size. */
static bool ranges_cells_ok(uint32_t cells)
{
	return cells == 1 || cells == 2;
}

/*
 * Map @*addr from @bus's address space into @parent's through @bus's "ranges".
 * 0, -ENOENT (no "ranges", or no entry holds @*addr) or -EINVAL (malformed).
 */
static int ranges_apply(const struct fdt *fdt, int bus, int parent, uint64_t *addr)
{
	uint32_t ac = fdt_address_cells(fdt, bus);
	uint32_t pac = fdt_address_cells(fdt, parent);
	uint32_t sc = fdt_size_cells(fdt, bus);
	const uint8_t *r;
	uint32_t len, entry, off;

	r = fdt_prop(fdt, bus, "ranges", &len);
	if (!r)
		return -ENOENT;
	if (len == 0)
		return 0; /* "ranges;": the child and parent address spaces are the same */
	if (!ranges_cells_ok(ac) || !ranges_cells_ok(pac) || !ranges_cells_ok(sc))
		return -EINVAL;
	entry = (ac + pac + sc) * 4;
	if (len % entry)
		return -EINVAL;
	/* Check every entry, not only up to a match: a blob is well formed or it is not. */
	for (off = 0; off < len; off += entry) {
		uint64_t child = fdt_read_cells(r + off, ac);
		uint64_t phys = fdt_read_cells(r + off + ac * 4, pac);
		uint64_t size = fdt_read_cells(r + off + (ac + pac) * 4, sc);

		if (size && (size - 1 > UINT64_MAX - child || size - 1 > UINT64_MAX - phys))
			return -EINVAL;
	}
	for (off = 0; off < len; off += entry) {
		uint64_t child = fdt_read_cells(r + off, ac);
		uint64_t phys = fdt_read_cells(r + off + ac * 4, pac);
		uint64_t size = fdt_read_cells(r + off + (ac + pac) * 4, sc);

		if (*addr >= child && *addr - child < size) {
			*addr = *addr - child + phys; /* <= phys + size - 1: checked above */
			return 0;
		}
	}
	return -ENOENT;
}

int fdt_translate_address(const struct fdt *fdt, int node, uint64_t *addr)
{
	uint64_t a;
	int bus, err;

	if (!addr)
		return -EINVAL;
	a = *addr;
	bus = fdt_parent(fdt, node);
	if (bus == -ENOENT)
		return 0; /* the root's own "reg" is already in CPU addresses */
	/* Each step maps from @bus's space to its parent's; the root's space is the CPU's. */
	while (bus >= 0) {
		int parent = fdt_parent(fdt, bus);

		if (parent == -ENOENT)
			break;
		if (parent < 0)
			return parent;
		err = ranges_apply(fdt, bus, parent, &a);
		if (err)
			return err;
		bus = parent;
	}
	if (bus < 0)
		return bus;
	*addr = a;
	return 0;
}

const char *fdt_prop_string_index(const struct fdt *fdt, int node, const char *name,
				  unsigned index)
{
	uint32_t len;
	const char *s = fdt_prop(fdt, node, name, &len);

	while (s && len > 0) {
		size_t n = strnlen(s, len);

		if (n == len)
			return NULL; /* unterminated tail */
		if (index-- == 0)
			return s;
		s += n + 1;
		len -= (uint32_t)(n + 1);
	}
	return NULL;
}

int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle)
{
	int node;

	/* 0 and ~0 are never valid phandles (spec 2.3.3). */
	if (phandle == 0 || phandle == UINT32_MAX)
		return -ENOENT;
	if (INDEXED(fdt)) {
		for (uint32_t i = 0; i < fdt->index->count; i++) {
			const struct fdt_index_node *e = &fdt->index->node[i];

			if (e->phandle == phandle || e->linux_phandle == phandle)
				return e->offset;
		}
		return -ENOENT;
	}
	for (node = walk_from(fdt, -1); node >= 0; node = walk_from(fdt, node)) {
		uint32_t v;

		if (!fdt_prop_u32(fdt, node, "phandle", &v) && v == phandle)
			return node;
		if (!fdt_prop_u32(fdt, node, "linux,phandle", &v) && v == phandle)
			return node;
	}
	return node;
}

/* The child of @parent named @name (@len bytes, not NUL-terminated). */
static int find_child(const struct fdt *fdt, int parent, const char *name, size_t len)
{
	bool want_unit = memchr(name, '@', len) != NULL;
	int loose = -ENOENT;
	int node;

	for (node = fdt_first_child(fdt, parent); node >= 0; node = fdt_next_sibling(fdt, node)) {
		const char *n = fdt_node_name(fdt, node);

		if (!n || strncmp(n, name, len))
			continue;
		if (n[len] == '\0')
			return node;
		/* "memory" matches "memory@40000000"; the first such sibling wins. */
		if (!want_unit && n[len] == '@' && loose < 0)
			loose = node;
	}
	return node == -ENOENT ? loose : node;
}

/* Walk the '/'-separated components of @path (@len bytes) down from @node. */
static int walk_path(const struct fdt *fdt, int node, const char *path, size_t len)
{
	size_t i = 0;

	while (node >= 0 && i < len) {
		size_t start;

		if (path[i] == '/') {
			i++;
			continue;
		}
		start = i;
		while (i < len && path[i] != '/')
			i++;
		node = find_child(fdt, node, path + start, i - start);
	}
	return node;
}

/* The absolute path that /aliases gives for @alias (@len bytes), or NULL. */
static const char *alias_target(const struct fdt *fdt, const char *alias, size_t len)
{
	int aliases = walk_path(fdt, fdt_root(fdt), "/aliases", 8);
	struct token t;

	if (aliases < 0 || find_prop(fdt, aliases, alias, len, &t) || !is_string(t.data, t.len))
		return NULL;
	/* Only absolute targets: no alias-to-alias chains, so resolution cannot loop. */
	return ((const char *)t.data)[0] == '/' ? t.data : NULL;
}

/* Resolve @path (@len bytes): absolute, or "alias[/rest]" through /aliases. */
static int resolve_path(const struct fdt *fdt, const char *path, size_t len)
{
	const char *target;
	size_t alias_len = 0;
	int node;

	if (len > 0 && path[0] == '/')
		return walk_path(fdt, fdt_root(fdt), path, len);
	while (alias_len < len && path[alias_len] != '/')
		alias_len++;
	if (alias_len == 0)
		return -ENOENT;
	target = alias_target(fdt, path, alias_len);
	if (!target)
		return -ENOENT;
	node = walk_path(fdt, fdt_root(fdt), target, strlen(target));
	return walk_path(fdt, node, path + alias_len, len - alias_len);
}

int fdt_path(const struct fdt *fdt, const char *path)
{
	if (!path || path[0] != '/')
		return -EINVAL;
	return resolve_path(fdt, path, strlen(path));
}

int fdt_stdout_node(const struct fdt *fdt)
{
	int chosen = fdt_path(fdt, "/chosen");
	const char *s, *colon;

	if (chosen < 0)
		return chosen;
	s = fdt_prop_string(fdt, chosen, "stdout-path");
	if (!s)
		s = fdt_prop_string(fdt, chosen, "linux,stdout-path");
	if (!s)
		return -ENOENT;
	/* "serial0:115200n8": the options after ':' are the driver's business. */
	colon = strchr(s, ':');
	return resolve_path(fdt, s, colon ? (size_t)(colon - s) : strlen(s));
}

int fdt_rsvmap_entry(const struct fdt *fdt, unsigned index, uint64_t *addr, uint64_t *size)
{
	uint64_t off;
	unsigned i;

	if (!fdt || !fdt->blob)
		return -EINVAL;
	/* Walk from the start: an index past the terminating entry must not read beyond it. */
	for (i = 0, off = fdt->off_rsvmap;; i++, off += FDT_RSV_ENTRY_SIZE) {
		const uint8_t *e;
		uint64_t a, s;

		if (!in_range(off, FDT_RSV_ENTRY_SIZE, fdt->total_size))
			return -EINVAL;
		e = fdt->blob + off;
		a = be64(e);
		s = be64(e + 8);
		if (a == 0 && s == 0)
			return -ENOENT;
		if (i == index) {
			if (addr)
				*addr = a;
			if (size)
				*size = s;
			return 0;
		}
	}
}

int fdt_interrupt_parent(const struct fdt *fdt, int node)
{
	uint32_t ph;

	for (int n = node; n >= 0; n = fdt_parent(fdt, n)) {
		int err = fdt_prop_u32(fdt, n, "interrupt-parent", &ph);

		if (err == 0)
			return fdt_node_by_phandle(fdt, ph);
		if (err != -ENOENT)
			return err;
	}
	return -ENOENT;
}

int fdt_interrupt(const struct fdt *fdt, int node, unsigned index, int *parent,
		  uint32_t cells[FDT_MAX_INTERRUPT_CELLS], unsigned *ncells)
{
	uint32_t len, n;
	const uint8_t *p = fdt_prop(fdt, node, "interrupts", &len);
	int ic;

	if (!p)
		return -ENOENT;
	ic = fdt_interrupt_parent(fdt, node);
	if (ic < 0)
		return ic;
	if (fdt_prop_u32(fdt, ic, "#interrupt-cells", &n) != 0 || n == 0 ||
	    n > FDT_MAX_INTERRUPT_CELLS || len % (n * 4) != 0)
		return -EINVAL;
	if (index >= len / (n * 4))
		return -ENOENT;
	p += (size_t)index * n * 4;
	for (uint32_t i = 0; i < n; i++)
		cells[i] = be32(p + i * 4);
	*parent = ic;
	*ncells = n;
	return 0;
}
