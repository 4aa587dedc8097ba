// SPDX-License-Identifier: MIT
/* SBI calls into the M-mode firmware (OpenSBI on QEMU virt) and what the firmware offers. */
#include <arch/sbi.h>

struct sbi_info sbi_info;

struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long arg0,
		       unsigned long arg1, unsigned long arg2)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	/* SBI spec 3.1: a0/a1 return error/value, every other register is preserved. */
	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1)
			     : "r"(a2), "r"(a6), "r"(a7)
			     : "memory");
	return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
}

long sbi_remote_sfence_vma(unsigned long start, unsigned long size, long asid)
{
	register unsigned long a0 __asm__("a0") = 0; /* hart mask: ignored with base -1 */
	register unsigned long a1 __asm__("a1") = SBI_HART_MASK_BASE_ALL;
	register unsigned long a2 __asm__("a2") = start;
	register unsigned long a3 __asm__("a3") = size;
	register unsigned long a4 __asm__("a4") = (unsigned long)asid;
	register unsigned long a6 __asm__("a6") =
		asid < 0 ? SBI_RFENCE_SFENCE_VMA : SBI_RFENCE_SFENCE_VMA_ASID;
	register unsigned long a7 __asm__("a7") = SBI_EXT_RFENCE;

	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1)
			     : "r"(a2), "r"(a3), "r"(a4), "r"(a6), "r"(a7)
			     : "memory");
	return (long)a0;
}

long sbi_legacy_call(unsigned long ext, unsigned long arg0)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a7 __asm__("a7") = ext;

	/* SBI spec 5 (legacy): the result comes back in a0 only. */
	__asm__ __volatile__("ecall" : "+r"(a0) : "r"(a7) : "memory");
	return (long)a0;
}

static bool sbi_probe(unsigned long ext)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, ext, 0, 0);

	/* Probe returns 0 for "absent" and an extension-specific non-zero value otherwise. */
	return r.error == SBI_SUCCESS && r.value != 0;
}

static unsigned long sbi_base(unsigned long fid)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, fid, 0, 0, 0);

	return r.error == SBI_SUCCESS ? (unsigned long)r.value : 0;
}

void sbi_init(void)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);

	if (r.error != SBI_SUCCESS) {
		/* A v0.1 firmware has no base extension, only the legacy calls (spec 5). */
		sbi_info.spec_version = 1;
		sbi_info.has_legacy_putchar = true;
		sbi_info.has_legacy_getchar = true;
		return;
	}
	sbi_info.spec_version = (unsigned long)r.value;
	sbi_info.impl_id = sbi_base(SBI_BASE_GET_IMPL_ID);
	sbi_info.impl_version = sbi_base(SBI_BASE_GET_IMPL_VERSION);
	sbi_info.has_time = sbi_probe(SBI_EXT_TIME);
	sbi_info.has_ipi = sbi_probe(SBI_EXT_IPI);
	sbi_info.has_rfence = sbi_probe(SBI_EXT_RFENCE);
	sbi_info.has_hsm = sbi_probe(SBI_EXT_HSM);
	sbi_info.has_srst = sbi_probe(SBI_EXT_SRST);
	sbi_info.has_dbcn = sbi_probe(SBI_EXT_DBCN);
	sbi_info.has_legacy_putchar = sbi_probe(SBI_EXT_LEGACY_PUTCHAR);
	sbi_info.has_legacy_getchar = sbi_probe(SBI_EXT_LEGACY_GETCHAR);
}

void sbi_shutdown(unsigned long reason)
{
	if (sbi_info.has_srst)
		sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_SHUTDOWN, reason, 0);
	/* Still here: SRST is missing or refused. Try the legacy shutdown (spec 5.8). */
	if (sbi_info.spec_version == 1 || sbi_probe(SBI_EXT_LEGACY_SHUTDOWN))
		sbi_legacy_call(SBI_EXT_LEGACY_SHUTDOWN, 0);
}
