/* SPDX-License-Identifier: MIT */
/* x86-64 kernel page tables (arch/x86_64/mm/mmu.c): the 4-level format and the live kernel table. */
#ifndef KEEL_ARCH_X86_64_MMU_H
#define KEEL_ARCH_X86_64_MMU_H

#include <kernel/pagetable.h>
#include <kernel/types.h>

/* Page-table entry bits (Intel SDM vol. 3 section 4.5). */
#define X86_PTE_P    (1ULL << 0)
#define X86_PTE_W    (1ULL << 1)
#define X86_PTE_US   (1ULL << 2)
#define X86_PTE_PWT  (1ULL << 3)
#define X86_PTE_PCD  (1ULL << 4)
#define X86_PTE_A    (1ULL << 5)
#define X86_PTE_D    (1ULL << 6)
#define X86_PTE_PS   (1ULL << 7)
#define X86_PTE_G    (1ULL << 8)
#define X86_PTE_NX   (1ULL << 63)
#define X86_PTE_ADDR 0x000FFFFFFFFFF000ULL

/* #PF error code bits. */
#define X86_PF_P  (1u << 0)
#define X86_PF_W  (1u << 1)
#define X86_PF_ID (1u << 4)

/* Linker symbols (linker.ld), all page-aligned: text, then rodata + notes + ktest, then data. */
extern char __text_end[], __data_start[];
/* Guard pages (never mapped at their kernel-image address): below the boot stack (head.S). */
extern char boot_stack_guard[];

/* The guard page below IST stack @ist (1..X86_IST_COUNT), for tests (gdt.c). */
uintptr_t x86_ist_guard(unsigned ist);

/* Is @va inside one of the guard pages (which fault on any access)? */
bool x86_mmu_is_guard(uintptr_t va);

/* Paging features found by hal_mmu_init(). */
bool x86_mmu_has_nx(void);
bool x86_mmu_has_pcid(void);
bool x86_mmu_has_global(void);
bool x86_mmu_has_1g_pages(void);

/*
 * Boot code, before the page allocator: map physical [@base, @end) (page aligned) at
 * DIRECT_MAP_BASE + pa in the tables CR3 holds now, with the largest leaves that fit; table
 * pages come from @alloc_table(@ctx, &pa) and must be reachable through the low direct map.
 * pt_map()'s errors; all-or-nothing.
 */
int x86_boot_map_direct(paddr_t base, paddr_t end, int (*alloc_table)(void *ctx, paddr_t *pa),
			void *ctx);

/*
 * Boot code, before the page allocator: unmap physical [@base, @end) (page aligned) from the
 * direct map in the tables CR3 holds now, splitting large leaves with pages from @alloc_table.
 * The caller flushes the TLB (a CR3 reload: no global pages before hal_mmu_init()).
 */
int x86_boot_unmap_direct(paddr_t base, paddr_t end,
			  int (*alloc_table)(void *ctx, paddr_t *pa), void *ctx);

struct io_window;

/*
 * Boot code, before hal_mmu_init(): io_window_map() @pa/@size into @w in the tables CR3 holds
 * now, recorded (must_record) so that x86_io_window_replay() can carry it over. Only empty
 * entries are filled: no flush needed.
 */
void *x86_boot_map_io(struct io_window *w, paddr_t pa, size_t size,
		      int (*alloc_table)(void *ctx, paddr_t *pa), void *ctx);

/* Map the I/O window's recorded mappings into @pt (cpu.c; hal_mmu_init()'s build_tables()). */
int x86_io_window_replay(struct pagetable *pt);

#endif
