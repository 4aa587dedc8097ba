/* SPDX-License-Identifier: MIT */
/*
 * arm64 entry: the Linux Image header, the drop from EL2 to EL1, self-relocation, the MMU
 * switch and the jump into C. Loaders (QEMU -kernel, U-Boot booti, the Pi firmware) enter at
 * offset 0 with the MMU off, x0 = physical address of the DTB, and the image anywhere 4 KiB
 * aligned in RAM, so until the relocations are applied this code may use PC-relative
 * addressing only. The image is linked at 0 and relocated twice: for its physical address,
 * where arm64_mmu_early() (mm/mmu.c) builds the boot page tables with the MMU off, then for
 * KERNEL_IMAGE_VA, where it runs once the MMU is on (docs/memory-layout.md).
 */
#include <arch/mmu.h>
#include <arch/sysreg.h>

/* Image header flags (Documentation/arch/arm64/booting.rst): little-endian, 4K pages,
 * the image may sit at any 2 MiB aligned base. */
#define IMAGE_FLAGS	((0 << 0) | (1 << 1) | (1 << 3))
#define IMAGE_MAGIC	0x644d5241	/* "ARM\x64" */

#define R_AARCH64_NONE		0
#define R_AARCH64_RELATIVE	1027

	.section .head.text, "ax"
	.globl	_head
_head:
	b	primary_entry		/* code0: branch over the header */
	.long	0			/* code1 */
	.quad	0			/* text_offset: no offset from the 2 MiB aligned base */
	.quad	__image_size		/* image_size: file plus .bss, so loaders keep it free */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0			/* res2..res4 */
	.long	IMAGE_MAGIC
	.long	0			/* res5: no PE/COFF header */

	.text
	.globl	primary_entry
	.type	primary_entry, %function	/* named in backtraces (the outermost frame) */
primary_entry:
	mov	x19, x0			/* x19 = DTB physical address, kept until C */
	mov	x20, xzr		/* x20 = 1 when we came down from EL2 */
	msr	daifset, #0xf
	mrs	x1, CurrentEL
	ubfx	x1, x1, #2, #2
	cmp	x1, #1
	b.eq	el1_entry
	cmp	x1, #2
	b.eq	el2_entry
	/* EL3 (or nonsense): no firmware we support enters there. Stop where a debugger sees it. */
1:	wfe
	b	1b

/*
 * Configure EL2 to stay out of the way and return to EL1h with everything masked. The
 * kernel does not use virtualization: EL1 is AArch64, nothing traps to EL2, and EL1 may
 * read the counters directly with no virtual offset.
 */
el2_entry:
	mov	x20, #1
	mov	x1, #HCR_EL2_RW
	msr	hcr_el2, x1
	mov	x1, #(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN)
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #CPTR_EL2_RES1
	msr	cptr_el2, x1
	msr	hstr_el2, xzr
	msr	vttbr_el2, xzr
	/* With a GICv3 CPU interface, EL1 may use its system registers only if EL2 allows. */
	mrs	x1, id_aa64pfr0_el1
	ubfx	x1, x1, #ID_AA64PFR0_GIC_SHIFT, #4
	cbz	x1, 7f
	mrs	x1, icc_sre_el2
	mov	x2, #(ICC_SRE_EL2_SRE | ICC_SRE_EL2_ENABLE)	/* not a logical immediate */
	orr	x1, x1, x2
	msr	icc_sre_el2, x1
	isb
7:
	/* Without this, EL1 would read MIDR/MPIDR as whatever the virtual registers hold. */
	mrs	x1, midr_el1
	msr	vpidr_el2, x1
	mrs	x1, mpidr_el1
	msr	vmpidr_el2, x1
	mov	x1, #SPSR_EL1H_MASKED
	msr	spsr_el2, x1
	adr	x1, el1_entry
	msr	elr_el2, x1
	eret

el1_entry:
	/* A known EL1 state: MMU and data cache off, no alignment faults beyond Device rules. */
	ldr	x1, =(SCTLR_EL1_RES1 | SCTLR_EL1_I)
	msr	sctlr_el1, x1
	msr	cpacr_el1, xzr		/* FP/SIMD traps: the kernel is built general-regs-only */
	msr	tpidr_el1, xzr		/* no per-CPU block yet (its reset value is UNKNOWN) */
	isb

	adrp	x1, boot_stack_top
	add	x1, x1, :lo12:boot_stack_top
	mov	sp, x1

	/* x21 = physical address of the image (link address 0, so also the load offset). */
	adrp	x21, _head
	add	x21, x21, :lo12:_head
	mov	x1, x21
	bl	apply_relocations	/* first for the physical address: early C runs there */

	/* Clear .bss (16-byte aligned by the linker script). The stack is in it but unused. */
	adrp	x2, __bss_start
	add	x2, x2, :lo12:__bss_start
	adrp	x3, __bss_end
	add	x3, x3, :lo12:__bss_end
5:	cmp	x2, x3
	b.hs	6f
	stp	xzr, xzr, [x2], #16
	b	5b
6:
	adrp	x1, arm64_vectors
	add	x1, x1, :lo12:arm64_vectors
	msr	vbar_el1, x1
	isb

	/*
	 * Early C, still at the physical address with the MMU off: boot page tables, and
	 * MAIR/TCR/TTBR0 (identity map of the image)/TTBR1 (image at KERNEL_IMAGE_VA, direct
	 * map). Returns the SCTLR_EL1 value to turn the MMU on with, 0 on failure.
	 */
	mov	x0, x19
	mov	x1, x21
	mov	x29, xzr
	mov	x30, xzr
	bl	arm64_mmu_early
	cbz	x0, 9f			/* no tables: go on at the physical address, MMU off */
	mov	x22, x0

	/* Relocate again, now for the high link address; the words are written at the PA. */
	ldr	x1, =KERNEL_IMAGE_VA
	bl	apply_relocations

	/*
	 * Everything so far was written with the MMU off (non-cacheable). Throw away any line
	 * of the image the caches might still hold from before (the loader cleaned the image
	 * to the point of coherency), so the tables and relocated words are what gets read.
	 */
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) of the smallest D-cache line */
	mov	x4, #4
	lsl	x4, x4, x3
	sub	x5, x4, #1
	bic	x2, x21, x5
	adrp	x3, __kernel_end
	add	x3, x3, :lo12:__kernel_end
7:	dc	ivac, x2
	add	x2, x2, x4
	cmp	x2, x3
	b.lo	7b
	dsb	sy
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb

	msr	sctlr_el1, x22		/* MMU on: we run on in the identity map */
	isb

	/* Branch to the same code at its high virtual address. */
	adrp	x0, 8f
	add	x0, x0, :lo12:8f
	sub	x0, x0, x21
	ldr	x1, =KERNEL_IMAGE_VA
	add	x0, x0, x1
	br	x0
8:
	/* PC-relative addresses are virtual from here on. */
	adrp	x1, boot_stack_top
	add	x1, x1, :lo12:boot_stack_top
	mov	sp, x1
	adrp	x1, arm64_vectors
	add	x1, x1, :lo12:arm64_vectors
	msr	vbar_el1, x1
	/* Drop the identity map: the user half translates through an empty table. */
	adrp	x1, arm64_boot_empty_ttbr0
	ldr	x1, [x1, :lo12:arm64_boot_empty_ttbr0]
	msr	ttbr0_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb

9:	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	mov	x29, xzr		/* terminate frame-pointer chains */
	mov	x30, xzr
	bl	arm64_start_kernel
	b	1b
	.size	primary_entry, . - primary_entry

/*
 * Apply R_AARCH64_RELATIVE for an image linked at 0 and running at base x1: for each entry,
 * *(x21 + offset) = x1 + addend (x21 = where the image's bytes are, the physical address:
 * called only with the MMU off). A static PIE link has nothing else but padding
 * R_AARCH64_NONE entries (GNU ld leaves some when it sizes .rela.dyn generously).
 * PC-relative only; clobbers x2-x6.
 */
apply_relocations:
	adrp	x2, __rela_start
	add	x2, x2, :lo12:__rela_start
	adrp	x3, __rela_end
	add	x3, x3, :lo12:__rela_end
2:	cmp	x2, x3
	b.hs	4f
	ldp	x4, x5, [x2], #16	/* r_offset, r_info */
	ldr	x6, [x2], #8		/* r_addend */
	cmp	w5, #R_AARCH64_NONE
	b.eq	2b
	cmp	w5, #R_AARCH64_RELATIVE
	b.ne	3f
	add	x6, x6, x1
	str	x6, [x21, x4]
	b	2b
3:	mov	x0, x5			/* unexpected relocation type: stop, it is in x0 */
	b	1b
4:	ret

	.ltorg

/*
 * The boot CPU's stack, with an unmapped guard page below it once hal_mmu_init() has built
 * the final tables (hal_kernel_stack_guards()).
 */
	.section .bss.stacks, "aw", %nobits
	.balign	4096
	.globl	boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
	.space	4096
boot_stack:
	.space	16384
boot_stack_top:
