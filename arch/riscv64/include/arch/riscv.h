/* SPDX-License-Identifier: MIT */
/* Port-private state and helpers shared by the riscv64 files. */
#ifndef KEEL_ARCH_RISCV64_RISCV_H
#define KEEL_ARCH_RISCV64_RISCV_H

#include <kernel/compiler.h>
#include <kernel/types.h>
#include <lib/fdt.h>

/*
 * Per-hart data. tp points at the running hart's copy from entry on (the ABI reserves tp
 * and the kernel uses no TLS), so hal_cpu_id() is one load and needs no lock.
 */
struct riscv_hart {
	cpu_id_t hartid;
};

static inline struct riscv_hart *this_hart(void)
{
	struct riscv_hart *h;

	/* volatile: once threads migrate, a tp read must not be reused across a switch. */
	__asm__ __volatile__("mv %0, tp" : "=r"(h));
	return h;
}

/* The device tree, parsed once by hal_early_init(); valid only when riscv_fdt_ok. */
extern struct fdt riscv_fdt;
extern bool riscv_fdt_ok;

/* Set when the boot hart's riscv,isa string lists Sstc (supervisor stimecmp, CSR 0x14d). */
extern bool riscv_has_sstc;

/* True when @isa (a riscv,isa string) lists the multi-letter extension @ext (lower case). */
bool riscv_isa_has_extension(const char *isa, const char *ext);

/* Frequency of the time CSR: /cpus "timebase-frequency", 0 when the DTB does not say. */
extern uint64_t riscv_timebase_hz;

/* The boot hart's per-hart data; head.S points tp at it. */
extern struct riscv_hart riscv_boot_hart;

/* Find the sifive_test exit device in the device tree (power.c). */
void riscv_power_probe(const struct fdt *fdt);

/* Linker-script symbols (linker.ld). */
extern char __kernel_start[], __kernel_end[];
extern char __rela_start[], __rela_end[];
extern char __bss_start[], __bss_end[];

/* Trap entry in boot/trap.S; fatal for now. */
void riscv_trap_entry(void);

/* Called from boot/head.S with the hart id and the DTB's physical address. */
noreturn void riscv_boot(unsigned long hartid, unsigned long dtb_pa);

/* Saved by trap.S for riscv_trap_fatal(): x1..x31 then the trap CSRs. */
struct trap_frame {
	unsigned long regs[32]; /* regs[0] unused; regs[2] is the interrupted sp */
	unsigned long sstatus, sepc, scause, stval;
};

noreturn void riscv_trap_fatal(struct trap_frame *tf);

#endif
