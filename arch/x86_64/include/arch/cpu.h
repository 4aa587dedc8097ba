/* SPDX-License-Identifier: MIT */
/* Functions shared between the x86-64 port's own files (not part of the HAL contract). */
#ifndef KEEL_ARCH_X86_64_CPU_H
#define KEEL_ARCH_X86_64_CPU_H

#include <kernel/compiler.h>
#include <kernel/types.h>

/* C entry from boot/head.S: running in the higher half on the boot stack. */
noreturn void x86_boot_main(uint32_t start_info_pa);

/* Install the IDT: every vector reports and panics (idt.c). */
void x86_idt_init(void);

/* Determine the TSC frequency in Hz (tsc.c); 0 when it cannot be measured. */
uint64_t x86_tsc_detect_freq(void);

/* Physical address of the ACPI RSDP recorded by hal_early_init(), or 0. */
paddr_t x86_acpi_rsdp(void);

/* Readable pointer to @len bytes of physical memory in the boot direct map, or NULL. */
const void *x86_acpi_map(void *ctx, uint64_t pa, size_t len);

/* The IDT entry stubs (idt_entry.S): 256 stubs of X86_STUB_SIZE bytes each. */
#define X86_STUB_SIZE 16
extern const char x86_vector_stubs[], x86_vector_stubs_end[];

/* Linker-script symbols (linker.ld). */
extern char __kernel_start[], __kernel_end[], __bss_start[], __bss_end[];

#endif
