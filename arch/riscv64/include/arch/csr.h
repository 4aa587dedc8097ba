/* SPDX-License-Identifier: MIT */
/* RISC-V control and status registers used by the port (privileged spec v1.12, ch. 4). */
#ifndef KEEL_ARCH_RISCV64_CSR_H
#define KEEL_ARCH_RISCV64_CSR_H

/* Constants shared with assembly, which has no UL suffix. */
#ifdef __ASSEMBLER__
#define CSR_BIT(n) (1 << (n))
#else
#define CSR_BIT(n) (1UL << (n))
#endif

/* sstatus bits (priv. spec 4.1.1) */
#define SSTATUS_SIE  CSR_BIT(1)  /* supervisor interrupts enabled */
#define SSTATUS_SPIE CSR_BIT(5)
#define SSTATUS_SPP  CSR_BIT(8)  /* trap came from S-mode */

/* scause: top bit set for interrupts, exception codes in priv. spec table 4.2 */
#define SCAUSE_INTERRUPT CSR_BIT(63)

#ifndef __ASSEMBLER__
#include <kernel/types.h>

#define csr_read(csr) ({                                              \
	unsigned long __v;                                            \
	__asm__ __volatile__("csrr %0, " #csr : "=r"(__v) :: "memory"); \
	__v; })

#define csr_write(csr, val) \
	__asm__ __volatile__("csrw " #csr ", %0" :: "rK"(val) : "memory")

/* Set / clear bits and return the old value (atomic with respect to traps on this hart). */
#define csr_read_set(csr, bits) ({                                                  \
	unsigned long __v;                                                          \
	__asm__ __volatile__("csrrs %0, " #csr ", %1" : "=r"(__v) : "rK"(bits) : "memory"); \
	__v; })

#define csr_read_clear(csr, bits) ({                                                \
	unsigned long __v;                                                          \
	__asm__ __volatile__("csrrc %0, " #csr ", %1" : "=r"(__v) : "rK"(bits) : "memory"); \
	__v; })

#define csr_set(csr, bits) \
	__asm__ __volatile__("csrs " #csr ", %0" :: "rK"(bits) : "memory")

#define csr_clear(csr, bits) \
	__asm__ __volatile__("csrc " #csr ", %0" :: "rK"(bits) : "memory")

#endif /* __ASSEMBLER__ */
#endif
