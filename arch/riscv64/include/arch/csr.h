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

/* Supervisor interrupt numbers (scause with the top bit set; bit numbers in sie/sip). */
#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9

#define SIE_SSIE CSR_BIT(IRQ_S_SOFT)
#define SIE_STIE CSR_BIT(IRQ_S_TIMER)
#define SIE_SEIE CSR_BIT(IRQ_S_EXT)
#define SIP_SSIP SIE_SSIE

/* Exception codes (scause without the top bit, priv. spec table 4.2). */
#define EXC_INST_MISALIGNED  0
#define EXC_INST_ACCESS      1
#define EXC_ILLEGAL_INST     2
#define EXC_BREAKPOINT       3
#define EXC_LOAD_MISALIGNED  4
#define EXC_LOAD_ACCESS      5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS     7
#define EXC_ECALL_U          8
#define EXC_ECALL_S          9
#define EXC_INST_PAGE        12
#define EXC_LOAD_PAGE        13
#define EXC_STORE_PAGE       15

/* Sstc supervisor timer compare (not every assembler knows the name). */
#define CSR_STIMECMP 0x14d

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
