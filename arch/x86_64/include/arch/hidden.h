/* SPDX-License-Identifier: MIT */
/*
 * Force-included into every kernel file on x86-64 (meson.build): all symbols, declarations
 * included, have hidden visibility. The kernel is one static image, so the compiler may
 * reach any symbol RIP-relatively. Without this, -fpie code loads addresses of extern
 * functions and data from the GOT, and the linker's relaxation of those loads into 32-bit
 * absolute immediates cannot reach a higher-half address (GNU ld and ld.lld both fail).
 */
#ifndef __ASSEMBLER__
#pragma GCC visibility push(hidden)
#endif
