/* SPDX-License-Identifier: MIT */
/* x86-64 boot: PVH and Multiboot2 32-bit entries, boot page tables, long mode, the higher half. */
#include <arch/layout.h>
#include <arch/pvh.h>

/* Physical address of a kernel symbol: the kernel is linked at DIRECT_MAP_BASE + pa. */
#define PA(x) ((x) - DIRECT_MAP_BASE)

#define CR0_PE    (1 << 0)
#define CR0_WP    (1 << 16)
#define CR0_PG    (1 << 31)
#define CR4_PAE   (1 << 5)
#define MSR_EFER  0xC0000080
#define EFER_LME  (1 << 8)

/* Page-table entry bits (Intel SDM vol. 3 section 4.5). */
#define PTE_P     0x001
#define PTE_W     0x002
#define PTE_PWT   0x008
#define PTE_PCD   0x010
#define PTE_PS    0x080 /* 2 MiB page in a page directory */

#define PD_ENTRIES (DIRECT_MAP_SIZE >> 21)      /* 2048 pages of 2 MiB = 4 GiB */
#define PD_UC_FIRST (DIRECT_MAP_UC_START >> 21)  /* first uncached 2 MiB page */

/*
 * PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY = 18): QEMU's -kernel and Xen find the 32-bit
 * physical entry point here. It must sit in a PT_NOTE segment (see linker.ld).
 */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4                 /* namesz: "Xen\0" */
	.long 4                 /* descsz */
	.long 18                /* type */
	.asciz "Xen"
	.balign 4
	.long PA(pvh_start32)
	.balign 4

/*
 * Multiboot2 header (Multiboot2 specification 2.0, section 3.1) for GRUB's "multiboot2"
 * command: 8-byte aligned within the first 32 KiB of the file, so linker.ld puts .multiboot2
 * first in the text segment. QEMU's -kernel ignores it (it knows Multiboot1, then PVH).
 * No address tag: GRUB loads the ELF segments at their p_paddr. The entry address tag names
 * the 32-bit entry, because e_entry is a higher-half address. No EFI boot-services tag, so
 * GRUB (BIOS or UEFI) exits boot services and enters in 32-bit protected mode, paging off.
 */
#define MB2_HEADER_MAGIC  0xe85250d6
#define MB2_ARCH_I386     0
#define MB2_HDR_LEN       (mb2_header_end - mb2_header)
#define MB2_HTAG_END      0
#define MB2_HTAG_ENTRY    3

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	MB2_ARCH_I386
	.long	MB2_HDR_LEN
	.long	0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + MB2_HDR_LEN) /* sum is 0 */
	.balign 8
	.word	MB2_HTAG_ENTRY, 0       /* type, flags (required) */
	.long	12                      /* size */
	.long	PA(mb2_start32)
	.balign 8
	.word	MB2_HTAG_END, 0
	.long	8
mb2_header_end:

/*
 * Entry state, PVH (Xen docs/misc/pvh.pandoc) and Multiboot2 (specification section 3.3):
 * 32-bit protected mode, paging off, flat 4 GiB CS/DS, interrupts off, %ebx = physical
 * address of the loader's information (struct hvm_start_info, or the Multiboot2 boot
 * information with %eax = MB2_BOOTLOADER_MAGIC). No stack: none is used before long mode.
 * Nothing is mapped yet, so every address used before paging is physical: PA(symbol).
 * Until the C entry x86_boot_main(entry, info_pa), %esi says which entry ran (PVH_START_MAGIC
 * for PVH, else the Multiboot2 loader's %eax, checked in C where it can be reported) and
 * %ebx holds the information's address; the code below touches neither.
 */
	.section .text.boot, "ax"
	.code32
	.globl mb2_start32
mb2_start32:
	movl	%eax, %esi
	jmp	boot32

	.globl pvh_start32
pvh_start32:
	movl	$PVH_START_MAGIC, %esi
boot32:
	cld

	/* Clear .bss now: the page tables and boot stack live there. */
	movl	$PA(__bss_start), %edi
	movl	$PA(__bss_end), %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb

	/* PML4[0] (identity) and PML4[256] (direct map) share one PDPT covering 4 GiB. */
	movl	$(PA(boot_pdpt) + PTE_P + PTE_W), %eax
	movl	%eax, PA(boot_pml4)
	movl	%eax, PA(boot_pml4) + 256 * 8

	/* PDPT[0..3] -> the four page directories. */
	movl	$(PA(boot_pd) + PTE_P + PTE_W), %eax
	movl	$PA(boot_pdpt), %edi
	movl	$4, %ecx
1:	movl	%eax, (%edi)
	addl	$4096, %eax
	addl	$8, %edi
	loop	1b

	/* 2 MiB pages for 0-4 GiB, RAM or not (the memory map is not read yet); the MMIO
	 * gigabyte (3-4 GiB) uncached. boot/direct_map.c unmaps all but RAM before kernel_main().
	 * High dwords stay 0. */
	movl	$PA(boot_pd), %edi
	movl	$(PTE_P + PTE_W + PTE_PS), %eax
	xorl	%ecx, %ecx
2:	movl	%eax, %edx
	cmpl	$PD_UC_FIRST, %ecx
	jb	3f
	orl	$(PTE_PCD + PTE_PWT), %edx
3:	movl	%edx, (%edi, %ecx, 8)
	addl	$0x200000, %eax
	incl	%ecx
	cmpl	$PD_ENTRIES, %ecx
	jb	2b

	/* Long mode: PAE, the page tables, EFER.LME, then paging (SDM vol. 3 section 10.8.5). */
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PA(boot_pml4), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG + CR0_WP + CR0_PE), %eax
	movl	%eax, %cr0

	lgdt	PA(boot_gdt_ptr32)
	ljmp	$KERNEL_CS, $PA(start64_low)

	.code64
start64_low:
	/* Still at the physical (identity-mapped) address: jump to the link address. */
	movabsq	$start64_high, %rax
	jmp	*%rax

	.text
start64_high:
	/* Reload the GDT through its higher-half address so the identity map can go later. */
	lgdt	boot_gdt_ptr64(%rip)
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs

	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	movl	%esi, %edi              /* zero-extends: the upper halves are undefined here */
	movl	%ebx, %esi
	call	x86_boot_main
4:	cli
	hlt
	jmp	4b

/*
 * Flat 64-bit GDT. The accessed bits are preset so the CPU never writes to it.
 * 0x08: code, long mode (L=1), DPL 0.  0x10: data, DPL 0.
 */
	.section .rodata
	.balign 16
boot_gdt:
	.quad	0
	.quad	0x00AF9B000000FFFF
	.quad	0x00CF93000000FFFF
boot_gdt_end:

	.balign 4
boot_gdt_ptr32:
	.word	boot_gdt_end - boot_gdt - 1
	.long	PA(boot_gdt)

	.balign 8
boot_gdt_ptr64:
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	.section .bss
	.balign 4096
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4 * 4096
	/* Guard page below the boot stack: arch/x86_64/mm/mmu.c leaves it unmapped. */
	.balign 4096
	.globl boot_stack_guard
boot_stack_guard:
	.skip	4096
boot_stack:
	.skip	BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
