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
 * The boot page tables map physical [0, DIRECT_MAP_SIZE) twice: identity (only needed while
 * switching to long mode) and at DIRECT_MAP_BASE, the start of the higher half. The kernel is
 * linked inside that direct map, so its virtual address is DIRECT_MAP_BASE + its load address.
 * Keep in sync with KERNEL_VBASE/KERNEL_PBASE in arch/x86_64/linker.ld.
 */
#define DIRECT_MAP_BASE  X86_UL(0xFFFF800000000000)
#define DIRECT_MAP_SIZE  X86_UL(0x100000000)  /* 4 GiB */
#define KERNEL_PHYS_BASE X86_UL(0x100000)      /* where PVH loads the kernel (p_paddr) */

/* 3-4 GiB holds the LAPIC, IOAPIC, HPET and PCI MMIO: mapped uncached at boot. */
#define DIRECT_MAP_UC_START X86_UL(0xC0000000)

/* GDT selectors (boot/head.S builds the GDT). */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10

#define BOOT_STACK_SIZE 16384

#endif
