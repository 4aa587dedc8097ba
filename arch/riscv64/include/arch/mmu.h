/* SPDX-License-Identifier: MIT */
/*
 * riscv64 paging (priv. spec v1.12, 4.3-4.5): satp modes, the PTE format, the kernel's virtual
 * layout for Sv48 and Sv39 (docs/memory-layout.md) and what arch/riscv64/mm/mmu.c exports to
 * the boot code and the tests.
 */
#ifndef KEEL_ARCH_RISCV64_MMU_H
#define KEEL_ARCH_RISCV64_MMU_H

#ifdef __ASSEMBLER__
#define RV_UL(x) x
#else
#define RV_UL(x) x##UL
#endif

/* satp (4.1.11): MODE in 63:60, ASID in 59:44, root PPN in 43:0. */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE  RV_UL(0)
#define SATP_MODE_SV39  RV_UL(8)
#define SATP_MODE_SV48  RV_UL(9)
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK  RV_UL(0xFFFF)
#define SATP_PPN_MASK   ((RV_UL(1) << 44) - 1)

/* sstatus bits the MMU cares about: kept clear (no kernel access to user pages, no MXR). */
#define SSTATUS_SUM (RV_UL(1) << 18)
#define SSTATUS_MXR (RV_UL(1) << 19)

/* PTE bits (4.3.1). RSW bit 8 remembers PT_DEVICE: without Svpbmt the PMAs decide caching. */
#define PTE_V    (RV_UL(1) << 0)
#define PTE_R    (RV_UL(1) << 1)
#define PTE_W    (RV_UL(1) << 2)
#define PTE_X    (RV_UL(1) << 3)
#define PTE_U    (RV_UL(1) << 4)
#define PTE_G    (RV_UL(1) << 5)
#define PTE_A    (RV_UL(1) << 6)
#define PTE_D    (RV_UL(1) << 7)
#define PTE_SW_DEVICE (RV_UL(1) << 8)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK  ((RV_UL(1) << 44) - 1)

/*
 * Kernel layout: the kernel half starts at KHALF (root entry 256 in both modes). The image
 * (linked at 0, a PIE) runs at KHALF + 1 MiB; device mappings made by hal_map_io() go to the
 * I/O window at KHALF + 4 GiB; the direct map and the free run-time window depend on the mode.
 */
#define RV_KHALF_SV48      RV_UL(0xFFFF800000000000)
#define RV_KHALF_SV39      RV_UL(0xFFFFFFC000000000)
#define RV_IMAGE_OFFSET    RV_UL(0x100000)
#define RV_IO_OFFSET       RV_UL(0x100000000)
#define RV_IO_SIZE         RV_UL(0x100000000)
/* Sv48: direct map 32 TiB at 0xFFFFA00000000000, vmap window 512 GiB at 0xFFFFC00000000000. */
#define RV_DMAP_SV48       RV_UL(0xFFFFA00000000000)
#define RV_DMAP_SIZE_SV48  RV_UL(0x200000000000)
#define RV_VMAP_SV48       RV_UL(0xFFFFC00000000000)
#define RV_VMAP_SIZE_SV48  RV_UL(0x8000000000)
/* Sv39: vmap window 64 GiB at 0xFFFFFFD000000000, direct map 124 GiB at 0xFFFFFFE000000000. */
#define RV_VMAP_SV39       RV_UL(0xFFFFFFD000000000)
#define RV_VMAP_SIZE_SV39  RV_UL(0x1000000000)
#define RV_DMAP_SV39       RV_UL(0xFFFFFFE000000000)
#define RV_DMAP_SIZE_SV39  RV_UL(0x1F00000000)

#ifndef __ASSEMBLER__
#include <kernel/types.h>

struct pagetable;

/* What riscv_mmu_early() (C, satp = Bare) tells head.S: the satp value to load (0: stay
 * with satp = Bare at the load address) and the virtual address to relocate the image for. */
struct riscv_mmu_entry {
	unsigned long satp;
	unsigned long image_va;
};

/* The layout chosen at boot (all zero while satp = Bare). */
struct riscv_layout {
	unsigned long mode;       /* SATP_MODE_SV39 / SV48, or 0 */
	unsigned levels;          /* 3 or 4 */
	uintptr_t khalf;          /* first kernel-half address */
	uintptr_t image_va;       /* where __kernel_start runs */
	uintptr_t io_base, io_size;
	uintptr_t vmap_base, vmap_size;
	uintptr_t dmap_base, dmap_size;
	paddr_t dmap_pa_base;     /* physical address at dmap_base (1 GiB aligned) */
};

extern struct riscv_layout riscv_layout;
/* Physical address the image was loaded at. */
extern paddr_t riscv_kernel_pa;

/* Called by head.S before relocating for the high half (boot/head.S). */
struct riscv_mmu_entry riscv_mmu_early(unsigned long hartid, unsigned long dtb_pa);
/* First thing on the high side: drop the boot identity map. */
void riscv_mmu_after_switch(void);

/* The satp value in use by the kernel tables (boot or final); 0 with satp = Bare. */
unsigned long riscv_mmu_kernel_satp(void);
/* The ASID bits probed through satp in hal_mmu_init() (0 before). */
unsigned riscv_mmu_asid_bits(void);
/* Why the boot tables were not built, or NULL (shown by hal_mmu_init()). */
const char *riscv_mmu_boot_error(void);
/* True when @va is in one of the stack guard pages (the unwinder must not read there). */
bool riscv_mmu_is_guard(uintptr_t va);

/* The boot stack and its guard (head.S); the trap stacks and their guards (cpu.c). */
extern char boot_stack_guard[];
uintptr_t riscv_trap_stack_guard(unsigned cpu);
#endif

#endif
