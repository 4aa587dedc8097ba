/* SPDX-License-Identifier: MIT */
/* x86-64 address-space layout and segment selectors, shared by the C and assembly boot code. */
#ifndef KEEL_ARCH_X86_64_LAYOUT_H
#define KEEL_ARCH_X86_64_LAYOUT_H

#ifdef __ASSEMBLER__
#define X86_UL(x) x
#else
#define X86_UL(x) x##UL
#endif

/*
 * head.S's boot page tables map physical [0, DIRECT_MAP_SIZE) twice: identity (only needed
 * while switching to long mode) and at DIRECT_MAP_BASE, the start of the higher half. The
 * kernel is linked inside that direct map, so its virtual address is DIRECT_MAP_BASE + its
 * load address. Before kernel_main() the boot code takes everything but RAM out of it and adds
 * the RAM above 4 GiB (arch/direct_map.h); after mm_init(), mmu.c replaces the tables: the
 * same RAM-only direct map without the identity half, the image's pages with per-section
 * permissions and stack guard pages left unmapped (docs/memory-layout.md).
 * Keep in sync with KERNEL_VBASE/KERNEL_PBASE in arch/x86_64/linker.ld.
 */
#define DIRECT_MAP_BASE  X86_UL(0xFFFF800000000000)
#define DIRECT_MAP_SIZE  X86_UL(0x100000000)  /* 4 GiB: what head.S maps, RAM or not */
/*
 * RAM is mapped range by range up to DIRECT_MAP_MAX: 64 TiB, PML4 slots 256-383, so the
 * direct map ends exactly where the vmap window begins. RAM beyond it is left unused, loudly
 * (x86_direct_map_report()).
 */
#define DIRECT_MAP_MAX   X86_UL(0x400000000000) /* 64 TiB */
#define KERNEL_PHYS_BASE X86_UL(0x100000)      /* where PVH loads the kernel (p_paddr) */

/* 3-4 GiB holds the LAPIC, IOAPIC, HPET and PCI MMIO: head.S maps it uncached until the boot
 * code unmaps it (no RAM there on the PCs Keel knows); boot table pages come from below it. */
#define DIRECT_MAP_UC_START X86_UL(0xC0000000)
/* Run-time kernel mappings (hal_kernel_vmap_window()): PML4 slot 384, 512 GiB. */
#define KERNEL_VMAP_BASE X86_UL(0xFFFFC00000000000)
#define KERNEL_VMAP_SIZE X86_UL(0x8000000000)
/* Device memory (MMIO holes below 4 GiB, 64-bit BARs above) for hal_map_io(), uncached:
 * PML4 slot 386, 64 GiB. */
#define KERNEL_IO_BASE   X86_UL(0xFFFFC10000000000)
#define KERNEL_IO_SIZE   X86_UL(0x1000000000)
/* Canonical, kernel half, never mapped (right above the vmap window): the address
 * hal_trigger_fault(FAULT_PAGE) reads. Not in the direct map, which may hold RAM anywhere. */
#define X86_UNMAPPED_VA (KERNEL_VMAP_BASE + KERNEL_VMAP_SIZE + X86_UL(0x1000))

#if !defined(__ASSEMBLER__)
_Static_assert(DIRECT_MAP_BASE + DIRECT_MAP_MAX <= KERNEL_VMAP_BASE,
	       "the direct map must end below the vmap window");
#endif

/* GDT selectors: boot/head.S's GDT has the first two, gdt.c's adds the TSS. */
#define KERNEL_CS  0x08
#define KERNEL_DS  0x10
#define KERNEL_TSS 0x18

/* Interrupt stack table (gdt.c): IST1-3, one stack each for NMI, #DF and #MC. */
#define X86_IST_NMI 1
#define X86_IST_DF  2
#define X86_IST_MC  3
#define X86_IST_COUNT 3
#define X86_IST_STACK_SIZE 16384

/*
 * Interrupt vectors (docs/x86_64.md): 0-31 exceptions; 0x20 + GSI for IOAPIC inputs; the
 * masked 8259s are parked at 0xE0-0xEF; the local APIC's own at the top (highest priority).
 */
#define X86_VEC_IRQ_BASE   0x20
#define X86_VEC_IRQ_LIMIT  0xE0 /* so at most 192 GSIs */
#define X86_VEC_PIC_BASE   0xE0
#define X86_VEC_TIMER      0xF0
#define X86_VEC_APIC_ERROR 0xFE
#define X86_VEC_SPURIOUS   0xFF

#define BOOT_STACK_SIZE 16384

#endif
