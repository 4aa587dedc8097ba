/* SPDX-License-Identifier: MIT */
/* AArch64 system-register access and the register bits the port uses (Arm ARM DDI 0487). */
#ifndef KEEL_ARCH_ARM64_SYSREG_H
#define KEEL_ARCH_ARM64_SYSREG_H

/* Constants shared with assembly, where the UL suffix does not parse. */
#ifdef __ASSEMBLER__
#define UL(x) (x)
#else
#define UL(x) (x##UL)
#endif

/* PSTATE.DAIF bits as read through the DAIF register (D2.1.2). */
#define DAIF_F (UL(1) << 6)
#define DAIF_I (UL(1) << 7)
#define DAIF_A (UL(1) << 8)
#define DAIF_D (UL(1) << 9)

/* CurrentEL holds the exception level in bits [3:2]. */
#define CURRENTEL_EL(v) (((v) >> 2) & 3)

/* MPIDR_EL1 affinity fields (D17.2.101). */
#define MPIDR_AFF0_2_MASK UL(0xffffff)
#define MPIDR_AFF3_SHIFT  32

/* HCR_EL2.RW: the next lower EL runs AArch64. */
#define HCR_EL2_RW (UL(1) << 31)

/* CNTHCTL_EL2: EL1 (and EL0) may use the physical counter and timer without trapping. */
#define CNTHCTL_EL1PCTEN (UL(1) << 0)
#define CNTHCTL_EL1PCEN  (UL(1) << 1)

/* ID_AA64PFR0_EL1.GIC: non-zero when a GICv3+ system-register CPU interface exists. */
#define ID_AA64PFR0_GIC_SHIFT 24

/* ICC_SRE_EL2: system-register interface on, and EL1 may use its own (ICC_SRE_EL1). */
#define ICC_SRE_EL2_SRE    (UL(1) << 0)
#define ICC_SRE_EL2_ENABLE (UL(1) << 3)

/* SPSR mode EL1h (EL1 using SP_EL1) with D, A, I and F masked. */
#define SPSR_EL1H_MASKED UL(0x3c5)

/* SCTLR_EL1 with the MMU, caches and alignment checks off: just the RES1 bits (D17.2.118). */
#define SCTLR_EL1_RES1 ((UL(1) << 29) | (UL(1) << 28) | (UL(1) << 23) | (UL(1) << 22) | \
			(UL(1) << 20) | (UL(1) << 11))
#define SCTLR_EL1_I    (UL(1) << 12) /* instruction cache on: fetches are Normal memory */

/* CPTR_EL2 RES1 bits (no traps of FP/SIMD or trace from EL1/EL0). */
#define CPTR_EL2_RES1 UL(0x33ff)

/* ESR_ELx exception class (D17.2.37). */
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)

#ifndef __ASSEMBLER__
#include <kernel/types.h>

#define read_sysreg(reg) ({						\
	uint64_t __v;							\
	__asm__ __volatile__("mrs %0, " #reg : "=r"(__v) :: "memory");	\
	__v;								\
})

#define write_sysreg(reg, val) \
	__asm__ __volatile__("msr " #reg ", %0" :: "r"((uint64_t)(val)) : "memory")

static inline void isb(void)
{
	__asm__ __volatile__("isb" ::: "memory");
}
#endif

#endif
