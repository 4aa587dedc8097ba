/* SPDX-License-Identifier: MIT */
/*
 * The kernel image's sections, as every port's linker.ld must define them: all four symbols
 * page-aligned, in this order, the image contiguous in virtual memory.
 *
 *   [__kernel_start, __text_end)  code                                  mapped R+X
 *   [__text_end, __data_start)    rodata, relocation-read-only data,
 *                                 ktest table, ksyms, notes             mapped R
 *   [__data_start, __kernel_end)  data and bss                          mapped R+W, no exec
 *
 * Portable tests walk the live page tables over these ranges to check W^X.
 */
#ifndef KEEL_KERNEL_SECTIONS_H
#define KEEL_KERNEL_SECTIONS_H

extern char __kernel_start[], __text_end[], __data_start[], __kernel_end[];

#endif
