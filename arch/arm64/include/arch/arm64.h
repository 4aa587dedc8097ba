/* SPDX-License-Identifier: MIT */
/* Declarations shared by the arm64 port's files (never included by portable code). */
#ifndef KEEL_ARCH_ARM64_ARM64_H
#define KEEL_ARCH_ARM64_ARM64_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct fdt;

/* Linker-script symbols (linker.ld). Only their addresses mean anything. */
extern char _head[], __kernel_start[], __kernel_end[];
extern char __rela_start[], __rela_end[], __bss_start[], __bss_end[];
extern char arm64_vectors[];

/* booting.rst: the DTB is at most 2 MiB, so never read further than that. */
#define ARM64_DTB_MAX_SIZE (2u << 20)

/* Set by arm64_start_kernel(): the loader entered the kernel at EL2. */
extern bool arm64_entered_el2;

/* The parsed device tree, or NULL when the loader passed none (or a broken one). */
const struct fdt *arm64_fdt(void);

/* C entry from head.S at the high virtual address, MMU on (boot tables), on the boot stack
 * with .bss cleared and relocations applied; @kernel_pa is where the image was loaded. */
noreturn void arm64_start_kernel(paddr_t dtb_pa, uint64_t from_el2, paddr_t kernel_pa);

/* First call at the high address: the boot tables are live (mm/mmu.c). */
void arm64_mmu_started(void);

struct arm64_frame;

/* Exception entry (entry.S -> traps.c). @idx is the vector number 0..15. Everything but
 * an IRQ from EL1 goes to arm64_exception(), which reports and never returns. */
noreturn void arm64_exception(struct arm64_frame *frame, uint64_t idx);
void arm64_irq(struct arm64_frame *frame);

/* Stacks in .bss, each with a guard page below (arch/mmu.h): the boot CPU's kernel stack
 * (head.S) and the private exception stack (vectors.S). */
extern char boot_stack[], boot_stack_top[];
extern char arm64_exception_stack[], arm64_exception_stack_top[];

/* The virtual timer's INTID (from the DTB, default 27) once hal_timer_init() ran. */
unsigned arm64_timer_irq(void);

/* Make the console usable for a last message even when hal_console_init() never ran. */
void arm64_console_emergency(void);

/* Set while a semihosting call is in flight: a trap then means QEMU has semihosting off. */
extern volatile bool arm64_semihosting_active;

#endif
