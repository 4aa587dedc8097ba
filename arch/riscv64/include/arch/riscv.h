/* SPDX-License-Identifier: MIT */
/* Port-private state and helpers shared by the riscv64 files (C and assembly). */
#ifndef KEEL_ARCH_RISCV64_RISCV_H
#define KEEL_ARCH_RISCV64_RISCV_H

/*
 * Per-CPU data: tp holds the running hart's struct per_cpu from entry on (the ABI reserves
 * tp and the kernel uses no TLS), so this_cpu() and hal_cpu_id() are one load and need no
 * lock. The port owns per_cpu.arch[]; trap.S reaches those words at fixed offsets from tp,
 * which cpu.c checks against the C layout at build time.
 */
#define PERCPU_ARCH_OFFSET 88               /* offsetof(struct per_cpu, arch) */
#define PCA_HARTID         0                /* hart id (hal_cpu_id) */
#define PCA_SCRATCH        1                /* trap entry: t1 while it picks a stack */
#define PCA_STACK_LO       2                /* the kernel stack in use: lowest address, */
#define PCA_STACK_HI       3                /*   and its top (both 0: unknown, trust sp) */
#define PCA_TRAP_STACK_LO  4                /* this hart's overflow trap stack */
#define PCA_TRAP_STACK_HI  5
#define PCA_SOFT_IRQS      6                /* supervisor software interrupts taken */
#define PCA_OFF(word)      (PERCPU_ARCH_OFFSET + 8 * (word))

#define TRAP_STACK_SIZE 8192

/* struct trap_frame: x1..x31 at their register number, then the trap CSRs. */
#define TF_SSTATUS (32 * 8)
#define TF_SEPC    (33 * 8)
#define TF_SCAUSE  (34 * 8)
#define TF_STVAL   (35 * 8)
#define TF_SIZE    (36 * 8)                 /* a multiple of 16: sp stays aligned */

#ifndef __ASSEMBLER__
#include <kernel/compiler.h>
#include <kernel/types.h>
#include <lib/fdt.h>

struct per_cpu;

/* Saved by trap.S: x1..x31 then the trap CSRs. */
struct trap_frame {
	unsigned long regs[32]; /* regs[0] unused; regs[2] is the interrupted sp */
	unsigned long sstatus, sepc, scause, stval;
};

static inline struct per_cpu *riscv_tp(void)
{
	struct per_cpu *pc;

	/* volatile: once threads migrate, a tp read must not be reused across a switch. */
	__asm__ __volatile__("mv %0, tp" : "=r"(pc));
	return pc;
}

/* The indexed device tree platform_init() read (a copy of platform_fdt()), for the PLIC code;
 * valid only when riscv_fdt_ok. */
extern struct fdt riscv_fdt;
extern bool riscv_fdt_ok;

/* Set when the boot hart's riscv,isa string lists Sstc (supervisor stimecmp, CSR 0x14d). */
extern bool riscv_has_sstc;

/* True when @isa (a riscv,isa string) lists the multi-letter extension @ext (lower case). */
bool riscv_isa_has_extension(const char *isa, const char *ext);

/* Frequency of the time CSR: /cpus "timebase-frequency", 0 when the DTB does not say. */
extern uint64_t riscv_timebase_hz;

/* The /cpus child whose "reg" is @hartid, or a negative error (setup.c). */
int riscv_find_cpu_node(const struct fdt *fdt, unsigned long hartid);

/* Fill the port's words of @pc for hart @hartid (stacks, trap stack) and point tp at it.
 * head.S/riscv_boot() use it on per_cpu_data[0] before the portable set-up (cpu.c). */
void riscv_percpu_setup(struct per_cpu *pc, unsigned long hartid);

/* Linker-script symbols (linker.ld) and the boot stack (head.S). */
extern char __kernel_start[], __kernel_end[];
extern char __rela_start[], __rela_end[];
extern char __bss_start[], __bss_end[];
extern char boot_stack[], boot_stack_top[];

/* The address hal_trigger_fault(FAULT_ACCESS) loads from (traps.c); 0 if none. */
uintptr_t riscv_access_fault_addr(void);

/* Trap entry in entry.S and the C handler it calls. */
void riscv_trap_entry(void);
void riscv_trap(struct trap_frame *tf);

/* Called from boot/head.S with the hart id and the DTB's physical address. */
noreturn void riscv_boot(unsigned long hartid, unsigned long dtb_pa);

/* The timer interrupt (timer.c) and how the timer is driven, for the boot line and ktests. */
void riscv_timer_interrupt(void);
const char *riscv_timer_mode(void); /* "Sstc" or "SBI", NULL before hal_timer_init() */

#endif /* __ASSEMBLER__ */
#endif
