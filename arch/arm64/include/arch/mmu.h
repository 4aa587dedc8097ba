/* SPDX-License-Identifier: MIT */
/*
 * arm64 virtual memory layout and stage 1 translation bits (4 KiB granule, 48-bit VAs,
 * TTBR0_EL1 for the user half, TTBR1_EL1 for the kernel half). docs/memory-layout.md has
 * the table; mm/mmu.c builds it.
 */
#ifndef KEEL_ARCH_ARM64_MMU_H
#define KEEL_ARCH_ARM64_MMU_H

#include <arch/sysreg.h>

/* ---- Kernel half layout (all with bit 47 set, as core/mm/pagetable.c's canonical() wants) */
#define KERNEL_HALF_BASE   UL(0xFFFF800000000000) /* first 1 MiB: never mapped */
#define KERNEL_IMAGE_VA    UL(0xFFFF800000100000) /* __kernel_start runs here */
#define KERNEL_IO_BASE     UL(0xFFFF800100000000) /* hal_map_io() device mappings */
#define KERNEL_IO_SIZE     UL(0x100000000)        /* 4 GiB */
#define KERNEL_VMAP_BASE   UL(0xFFFF800200000000) /* hal_kernel_vmap_window(): left empty */
#define KERNEL_VMAP_SIZE   UL(0x1000000000)       /* 64 GiB */
#define DIRECT_MAP_BASE    UL(0xFFFF900000000000) /* physical 0 in the direct map */
#define DIRECT_MAP_SIZE    (UL(1) << 46)          /* physical addresses below 64 TiB */

/* ---- MAIR_EL1 attribute indexes (AttrIndx of a leaf) ---- */
#define MAIR_IDX_DEVICE_nGnRnE 0
#define MAIR_IDX_NORMAL        1
#define MAIR_IDX_DEVICE_nGnRE  2
#define MAIR_IDX_NORMAL_NC     3
#define MAIR_VALUE (UL(0x00) << (8 * MAIR_IDX_DEVICE_nGnRnE) | \
		    UL(0xff) << (8 * MAIR_IDX_NORMAL) |        /* inner/outer WB RW-allocate */ \
		    UL(0x04) << (8 * MAIR_IDX_DEVICE_nGnRE) |  \
		    UL(0x44) << (8 * MAIR_IDX_NORMAL_NC))

/* ---- Descriptor bits (Arm ARM D8.3) ---- */
#define PTE_VALID      (UL(1) << 0)
#define PTE_TABLE      (UL(1) << 1)  /* table at levels 0-2, page at level 3; 0: block */
#define PTE_ATTRIDX(i) (UL(i) << 2)
#define PTE_ATTRIDX_MASK (UL(7) << 2)
#define PTE_AP_EL0     (UL(1) << 6)  /* AP[1]: EL0 may access */
#define PTE_AP_RO      (UL(1) << 7)  /* AP[2]: read-only */
#define PTE_SH_INNER   (UL(3) << 8)
#define PTE_AF         (UL(1) << 10)
#define PTE_NG         (UL(1) << 11)
#define PTE_PXN        (UL(1) << 53)
#define PTE_UXN        (UL(1) << 54)
#define PTE_ADDR_MASK  UL(0x0000FFFFFFFFF000)

/* ---- TCR_EL1 ---- */
#define TCR_T0SZ(n)     (UL(n) << 0)
#define TCR_EPD0        (UL(1) << 7)
#define TCR_IRGN0_WBWA  (UL(1) << 8)
#define TCR_ORGN0_WBWA  (UL(1) << 10)
#define TCR_SH0_INNER   (UL(3) << 12)
#define TCR_TG0_4K      (UL(0) << 14)
#define TCR_T1SZ(n)     (UL(n) << 16)
#define TCR_A1          (UL(1) << 22)
#define TCR_EPD1        (UL(1) << 23)
#define TCR_IRGN1_WBWA  (UL(1) << 24)
#define TCR_ORGN1_WBWA  (UL(1) << 26)
#define TCR_SH1_INNER   (UL(3) << 28)
#define TCR_TG1_4K      (UL(2) << 30)
#define TCR_IPS_SHIFT   32
#define TCR_AS          (UL(1) << 36)

/* ---- SCTLR_EL1 bits set with the MMU on (beyond SCTLR_EL1_RES1 | SCTLR_EL1_I) ---- */
#define SCTLR_EL1_M    (UL(1) << 0)
#define SCTLR_EL1_C    (UL(1) << 2)
#define SCTLR_EL1_SA   (UL(1) << 3)
#define SCTLR_EL1_WXN  (UL(1) << 19)

/* ID_AA64MMFR0_EL1 fields. */
#define MMFR0_PARANGE(v)  ((unsigned)(v) & 0xf)
#define MMFR0_ASIDBITS(v) (((unsigned)(v) >> 4) & 0xf) /* 2: 16-bit ASIDs */

#define TTBR_ASID_SHIFT 48

#ifndef __ASSEMBLER__
#include <kernel/pagetable.h>
#include <kernel/types.h>

/* Page-aligned guard pages (unmapped once hal_mmu_init() ran) below the kernel stacks. */
extern char boot_stack_guard[], arm64_exception_stack_guard[];
extern char __text_end[], __data_start[];

/* Physical address the image was loaded at (head.S), and its offset to the link VA. */
extern paddr_t arm64_kernel_pa;

/*
 * Called by head.S at the physical address, MMU off, relocations applied for that address:
 * build the boot tables (identity map of the image for the switch, the image at
 * KERNEL_IMAGE_VA, the direct map of the DTB's RAM) and program MAIR/TCR/TTBR0/TTBR1.
 * Returns the SCTLR_EL1 value that turns the MMU on, or 0 when the tables could not be built
 * (head.S then enters C at the physical address with the MMU off; hal_mmu_init() says so).
 */
uint64_t arm64_mmu_early(paddr_t dtb_pa, paddr_t kernel_pa);

/* The portable description of the stage 1 format (same for TTBR0 and TTBR1 tables). */
extern const struct pt_format arm64_pt_format;

/* Physical address of the image's virtual address @va (which must lie in the image). */
paddr_t arm64_image_pa(const void *va);

/* True when @va is in one of the stack guard pages. */
bool arm64_is_stack_guard(uintptr_t va);

/* The table the kernel half is translating through right now (boot or final tables). */
struct pagetable *arm64_current_kernel_pt(void);

/* Root of the empty table TTBR0_EL1 holds while there is no user space. */
paddr_t arm64_empty_user_root(void);
#endif

#endif
