/* SPDX-License-Identifier: MIT */
/* Supervisor Binary Interface calls to the M-mode firmware (RISC-V SBI spec v1.0). */
#ifndef KEEL_ARCH_RISCV64_SBI_H
#define KEEL_ARCH_RISCV64_SBI_H

#include <kernel/types.h>

/* Extension ids (SBI spec chapters 3-10). */
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_GETCHAR 0x02
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE           0x10
#define SBI_EXT_TIME           0x54494D45 /* "TIME" */
#define SBI_EXT_IPI            0x735049   /* "sPI" */
#define SBI_EXT_RFENCE         0x52464E43 /* "RFNC" */
#define SBI_EXT_HSM            0x48534D   /* "HSM" */
#define SBI_EXT_SRST           0x53525354 /* "SRST" */
#define SBI_EXT_DBCN           0x4442434E /* "DBCN", SBI 2.0 debug console */

/* Base extension functions (SBI spec 4). */
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID      1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXTENSION  3

/* System reset (SBI spec 10): function 0 with a type and a reason. */
#define SBI_SRST_RESET           0
#define SBI_SRST_TYPE_SHUTDOWN   0
#define SBI_SRST_REASON_NONE     0
#define SBI_SRST_REASON_FAILURE  1

/* Remote fences (SBI spec 8): a hart mask with base -1 means every hart, size -1 the whole
 * address space. */
#define SBI_RFENCE_SFENCE_VMA      1
#define SBI_RFENCE_SFENCE_VMA_ASID 2
#define SBI_HART_MASK_BASE_ALL     (~0ul)
#define SBI_RFENCE_SIZE_ALL        (~0ul)

/* Debug console write_byte (SBI spec 2.0, 12.3). */
#define SBI_DBCN_WRITE_BYTE 2

#define SBI_IMPL_OPENSBI 1

#define SBI_SUCCESS 0

struct sbiret {
	long error;
	long value;
};

/* One SBI call: a7 = extension, a6 = function, a0..a2 arguments (spec 3.1). */
struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2);

/* Legacy (v0.1) calls return a single value in a0 and take no function id. */
long sbi_legacy_call(unsigned long ext, unsigned long a0);

/* What hal_early_init() learnt from the firmware; all zero with a pre-0.2 SBI. */
struct sbi_info {
	unsigned long spec_version;  /* major << 24 | minor */
	unsigned long impl_id;
	unsigned long impl_version;
	bool has_time, has_ipi, has_rfence, has_hsm, has_srst, has_dbcn;
	bool has_legacy_putchar, has_legacy_getchar;
};

extern struct sbi_info sbi_info;

/* Query the base extension and probe the extensions the port uses. */
void sbi_init(void);

#define SBI_SPEC_MAJOR(v) (((v) >> 24) & 0x7f)
#define SBI_SPEC_MINOR(v) ((v) & 0xffffff)

/*
 * sfence.vma on every hart (this one included) for [@start, @start + @size): with @asid < 0
 * for every address space and global entries, else for that id only. Returns when every hart
 * has done it (SBI spec 8.3, 8.4), or the SBI error (negative) when the firmware refused.
 */
long sbi_remote_sfence_vma(unsigned long start, unsigned long size, long asid);

/* Shut the machine down through SRST; returns only if the firmware refused. */
void sbi_shutdown(unsigned long reason);

#endif
