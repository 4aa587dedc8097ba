/* SPDX-License-Identifier: MIT */
/*
 * A small, bounds-checked reader for flattened device trees (DTB, devicetree spec v0.4).
 *
 * Every access is checked against the blob's declared sizes and the caller's @max_size:
 * a malformed blob makes calls return an error (negative) or NULL, never read outside it.
 * Nodes are named by their offset into the structure block (an int >= 0); functions that
 * return a node return a negative error (-ENOENT when there is none, -EINVAL when the blob
 * is malformed at that point).
 */
#ifndef KEEL_LIB_FDT_H
#define KEEL_LIB_FDT_H

#include <kernel/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC     0xd00dfeedu
#define FDT_MAX_DEPTH 32 /* deeper nesting is rejected as malformed */

struct fdt_index;

struct fdt {
	const uint8_t *blob;
	uint32_t total_size;
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap;
	uint32_t version;
	/* Node index built by fdt_index_build(), or NULL: then every lookup walks the blob. */
	const struct fdt_index *index;
};

/*
 * A node index: one entry per node, in document order (so offsets are increasing), built in
 * one pass over the structure block. With it, parent/child/sibling lookups are a binary
 * search and phandle lookups one scan of the table, instead of re-walking the blob from
 * the root (which made path and "reg" lookups O(N^2) on a whole-tree scan).
 * The entries live in an array the caller provides (no allocation: boot code builds it
 * before the page allocator runs).
 */
struct fdt_index_node {
	int32_t offset;        /* the node's offset in the structure block */
	int32_t parent;        /* index of the parent entry, -1 for the root */
	int32_t first_child;   /* index, -1 when none */
	int32_t next_sibling;  /* index, -1 when none */
	uint32_t phandle;      /* "phandle", 0 when absent or not one cell */
	uint32_t linux_phandle; /* "linux,phandle", 0 when absent or not one cell */
	uint32_t depth;        /* root: 0 */
};

struct fdt_index {
	struct fdt_index_node *node;
	uint32_t count;        /* entries filled */
	uint32_t max;          /* room in node[] */
};

/*
 * Index every node of @fdt (already fdt_init()ed) into @nodes (room for @max entries) and
 * attach the index to @fdt (fdt->index = @idx). 0; -ENOSPC when the tree has more than @max
 * nodes and -EINVAL when @fdt is unusable: then nothing is attached and every lookup keeps
 * walking the blob (correct, only slower).
 */
int fdt_index_build(struct fdt *fdt, struct fdt_index *idx, struct fdt_index_node *nodes,
		    uint32_t max);

/* Entry of @node in @fdt's index, or NULL when there is no index or @node is not a node. */
const struct fdt_index_node *fdt_index_lookup(const struct fdt *fdt, int node);

/* Check the header of @blob, of which at most @max_size bytes may be read, and fill @fdt.
 * Also walks the whole structure block once, so that a blob it accepts is well formed:
 * one root, balanced nodes at most FDT_MAX_DEPTH deep, properties before child nodes, every
 * name terminated, FDT_END present, a terminated reservation map. Version >= 17 required.
 * Returns 0, or -EINVAL (then @fdt is unusable: every other call on it fails). */
__must_check int fdt_init(struct fdt *fdt, const void *blob, size_t max_size);

/* Total size the header declares, or 0 when @blob (with @max_size readable) has no valid
 * header. Lets early code learn how much to map/copy before calling fdt_init(). */
uint32_t fdt_total_size(const void *blob, size_t max_size);

/* The root node. */
int fdt_root(const struct fdt *fdt);

/* First child of @node / next sibling of @node; -ENOENT at the end. */
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);

/* Parent of @node (from the index, else found by a scan from the root); -ENOENT for the root. */
int fdt_parent(const struct fdt *fdt, int node);

/* Name of @node including any unit address ("" for the root), or NULL if malformed. */
const char *fdt_node_name(const struct fdt *fdt, int node);

/* Node at absolute @path ("/", "/chosen", "/soc/uart@10000000"). A path component without
 * a unit address matches a node name with one ("memory" matches "memory@40000000") only if
 * it is the sole such match among its siblings in document order: the first one wins. */
int fdt_path(const struct fdt *fdt, const char *path);

/* Raw value of property @name of @node (big-endian as in the blob) and its length in *@len
 * (may be NULL). NULL when absent or malformed. */
const void *fdt_prop(const struct fdt *fdt, int node, const char *name, uint32_t *len);

/* Property as a NUL-terminated string (the first one of a string list); NULL when absent,
 * zero-length, or not terminated within its length (a value of just "\0" gives ""). */
const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name);

/* Property as one big-endian u32: 0, -ENOENT, or -EINVAL when its length is not 4. */
int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out);

/* True when the string-list property "compatible" of @node contains @compat. */
bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat);

/* Next node after @after (pass -1 to start at the root) in document order whose
 * "compatible" contains @compat; -ENOENT when none. */
int fdt_find_compatible(const struct fdt *fdt, int after, const char *compat);

/* Next node after @after (-1 to start) whose "device_type" property equals @type. */
int fdt_find_device_type(const struct fdt *fdt, int after, const char *type);

/* #address-cells / #size-cells that @node declares for its children (defaults 2 and 1). */
uint32_t fdt_address_cells(const struct fdt *fdt, int node);
uint32_t fdt_size_cells(const struct fdt *fdt, int node);

/* Entry @index of @node's "reg", decoded with its parent's cell counts (1 or 2 address
 * cells, 0 to 2 size cells; a size of 0 cells reads as 0; the root uses the defaults 2/1).
 * 0, -ENOENT past the last entry or without "reg", -EINVAL when malformed. */
__must_check
int fdt_reg(const struct fdt *fdt, int node, unsigned index, uint64_t *addr, uint64_t *size);

/*
 * Turn @*addr, an address in @node's "reg" (that is, in the address space of @node's parent
 * bus), into a CPU physical address by applying the "ranges" of every ancestor bus up to the
 * root (devicetree spec 2.3.8). An empty "ranges" is the identity; a bus without "ranges" is
 * not memory-mapped. Entries use the bus's #address-cells, its parent's #address-cells and the
 * bus's #size-cells, each 1 or 2. @*addr is changed only on success.
 * 0; -ENOENT when some bus has no "ranges" or no range holds the address; -EINVAL when a
 * "ranges" is malformed (length not a whole number of entries, unsupported cell counts, a
 * range that wraps around the address space).
 */
__must_check int fdt_translate_address(const struct fdt *fdt, int node, uint64_t *addr);

/* String @index (0-based) of the string-list property @name of @node ("compatible"), or NULL
 * when absent, past the last string, or not terminated within the property. */
const char *fdt_prop_string_index(const struct fdt *fdt, int node, const char *name,
				  unsigned index);

/* Node whose "phandle" (or "linux,phandle") is @phandle; -ENOENT when none. */
int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle);

/* The console node named by /chosen "stdout-path" (or "linux,stdout-path"): the part before
 * any ':' options, resolved through /aliases when it does not start with '/' ("serial0",
 * "serial0/sub/node"); an alias must name an absolute path (aliases of aliases are not
 * followed). */
int fdt_stdout_node(const struct fdt *fdt);

/* Memory reservation block entry @index (the "/memreserve/" list): 0, or -ENOENT past the
 * end (the terminating zero entry), -EINVAL when the block runs outside the blob. */
__must_check
int fdt_rsvmap_entry(const struct fdt *fdt, unsigned index, uint64_t *addr, uint64_t *size);

/* Read @cells (1 or 2) big-endian 32-bit cells at @p as one number. */
uint64_t fdt_read_cells(const void *p, unsigned cells);

/* ---- Interrupts (devicetree spec 2.4) ---- */

#define FDT_MAX_INTERRUPT_CELLS 4 /* longest specifier fdt_interrupt() decodes */

/* The interrupt controller @node's interrupts go to: the node its own "interrupt-parent" names,
 * else its nearest ancestor's. -ENOENT when none names one or the phandle resolves nowhere. */
int fdt_interrupt_parent(const struct fdt *fdt, int node);

/*
 * Specifier @index of @node's "interrupts": the controller in *@parent, its #interrupt-cells
 * in *@ncells and the cells, converted to CPU order, in @cells (room for
 * FDT_MAX_INTERRUPT_CELLS). The controller's own meaning (GIC: type, number, flags; PLIC:
 * source) is for its driver to decode. ("interrupts-extended" is not read.)
 * 0; -ENOENT without "interrupts", past its last entry, or without an interrupt parent;
 * -EINVAL when the parent's #interrupt-cells is missing, 0 or above the maximum, or the
 * property is not a whole number of specifiers.
 */
__must_check int fdt_interrupt(const struct fdt *fdt, int node, unsigned index, int *parent,
		  uint32_t cells[FDT_MAX_INTERRUPT_CELLS], unsigned *ncells);

#endif
