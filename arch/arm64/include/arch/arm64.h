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

/* C entry from head.S, on the boot stack with .bss cleared and relocations applied. */
noreturn void arm64_start_kernel(paddr_t dtb_pa, uint64_t from_el2);

/* Every boot vector ends here (boot/vectors.S). @idx is the vector number 0..15. */
noreturn void arm64_bad_exception(uint64_t idx, uint64_t esr, uint64_t elr, uint64_t far,
				  uint64_t spsr, uint64_t sp);

/* Make the console usable for a last message even when hal_console_init() never ran. */
void arm64_console_emergency(void);

/* Set while a semihosting call is in flight: a trap then means QEMU has semihosting off. */
extern volatile bool arm64_semihosting_active;

#endif
