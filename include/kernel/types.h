/* SPDX-License-Identifier: MIT */
/* Kernel-wide scalar types: each says what kind of number it holds. */
#ifndef KEEL_KERNEL_TYPES_H
#define KEEL_KERNEL_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;    /* physical address */
typedef uintptr_t vaddr_t;   /* virtual address */
typedef uint32_t cpu_id_t;   /* hardware CPU id (APIC id, MPIDR affinity, hart id) */
typedef uintptr_t irqflags_t; /* saved interrupt-mask state, opaque to portable code */

#endif
