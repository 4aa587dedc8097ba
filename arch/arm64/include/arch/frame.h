/* SPDX-License-Identifier: MIT */
/* The arm64 exception frame entry.S saves, shared by the assembly and traps.c. */
#ifndef KEEL_ARCH_ARM64_FRAME_H
#define KEEL_ARCH_ARM64_FRAME_H

/* Byte offsets into the frame. X(n) is general register xn (n = 0..30). */
#define FRAME_X(n)      ((n) * 8)
#define FRAME_SP        248 /* sp of the interrupted context */
#define FRAME_ELR       256
#define FRAME_SPSR      264
#define FRAME_ESR       272
#define FRAME_FAR       280
/* An AAPCS64 frame record {interrupted x29, elr}: x29 points here while the C handler runs,
 * so a backtrace from inside a handler continues into the interrupted code. */
#define FRAME_RECORD    288
#define FRAME_SIZE      304 /* a multiple of 16: sp stays aligned */

#ifndef __ASSEMBLER__
#include <kernel/types.h>

struct arm64_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
	uint64_t record[2];
};

_Static_assert(sizeof(struct arm64_frame) == FRAME_SIZE, "frame layout");
_Static_assert(__builtin_offsetof(struct arm64_frame, sp) == FRAME_SP, "frame layout");
_Static_assert(__builtin_offsetof(struct arm64_frame, far) == FRAME_FAR, "frame layout");
_Static_assert(__builtin_offsetof(struct arm64_frame, record) == FRAME_RECORD, "frame layout");
#endif

#endif
