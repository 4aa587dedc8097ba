/* SPDX-License-Identifier: MIT */
/*
 * The HAL contract: every function an architecture port must provide.
 *
 * Portable code (core/, lib/, drivers/) includes this header and nothing under arch/.
 * A port lives wholly in arch/<arch>/ and implements exactly the functions below, as
 * ordinary compile-time functions (no table of pointers: there is one port per binary).
 * docs/porting.md walks through them in the order a new port brings them up.
 *
 * Every comment says what holds on a machine with many CPUs, not just the calling one:
 *  - context: who may call (thread, interrupt handler, with interrupts masked, early boot
 *    before hal_early_init()/percpu_init_boot()); unless a comment says otherwise, any
 *    context once hal_early_init() has returned;
 *  - preconditions the caller guarantees (interrupts masked, a lock held);
 *  - effect: on "this CPU" (the caller's: its interrupt mask, its TLB, its timer) or on
 *    "every CPU" (what no CPU can observe any more when the function returns).
 * Where two ports would differ in scope (a TLB flush that broadcasts on one and is local on
 * another) the contract names two functions instead (hal_tlb_flush_range_local/_all).
 */
#ifndef KEEL_KERNEL_HAL_H
#define KEEL_KERNEL_HAL_H

#include <kernel/types.h>
#include <kernel/compiler.h>

struct boot_info;
struct per_cpu;

/* ---- Boot ---------------------------------------------------------------------------- */

/*
 * Called once by kernel_main(), on the boot CPU, interrupts masked, right after
 * percpu_init_boot() (this_cpu() works) and before any output.
 * Brings up whatever the port needs for the rest of this contract (CPU features, the
 * counter frequency, firmware conduits such as PSCI/SBI) from @bi. Must not print:
 * the console is not up yet.
 */
void hal_early_init(const struct boot_info *bi);

/* Short human-readable name of the CPU/privilege state we booted in, e.g. "EL1 (from EL2)".
 * Any context; the same on every CPU. */
const char *hal_boot_mode(void);

/* ---- Early console ------------------------------------------------------------------- */

/*
 * Bring up the boot console (16550 on x86-64 and riscv64, PL011 on arm64). Addresses come
 * from @bi (DTB /chosen/stdout-path) or the Kconfig defaults for the board. After this
 * returns, hal_console_putc() must work. Called once, before the banner.
 */
void hal_console_init(const struct boot_info *bi);

/* Write one byte to the console, busy-waiting for room. "\n" is sent as-is (kprintf adds \r).
 * Any context. Not serialised: two CPUs calling it interleave bytes; kprintf() holds the
 * console lock around it, and everything else should print through kprintf(). */
void hal_console_putc(char c);

/* Read one byte from the console without blocking: 0..255, or -1 when nothing is waiting.
 * Any context; callers serialise (the console owns input: core/console). */
int hal_console_getc(void);

/* ---- Interrupt masking ---------------------------------------------------------------- */

/*
 * All five act on this CPU only (its PSTATE.I/F, RFLAGS.IF, sstatus.SIE): other CPUs keep
 * taking interrupts, so masking is never mutual exclusion between CPUs (take a spinlock;
 * kernel/spinlock.h). Any context. Each is a compiler barrier: memory accesses are not moved
 * across it.
 */

/* Unmask interrupts on this CPU. */
void hal_irq_enable(void);

/* Mask interrupts on this CPU. */
void hal_irq_disable(void);

/* Mask interrupts on this CPU and return the previous state for hal_irq_restore(). */
irqflags_t hal_irq_save(void);

/* Restore the interrupt state returned by hal_irq_save(). */
void hal_irq_restore(irqflags_t flags);

/* True when interrupts are currently unmasked on this CPU. */
bool hal_irq_enabled(void);

/* ---- CPU -------------------------------------------------------------------------------- */

/* Hardware id of the calling CPU: APIC id (x86-64), MPIDR affinity (arm64), hart id (riscv64).
 * Any context. Not the dense index: that is this_cpu()->index (cpu_index()). */
cpu_id_t hal_cpu_id(void);

/*
 * Enable interrupts and wait for one, atomically: an interrupt that became pending after the
 * caller's last check (made with interrupts masked) ends the wait at once, none is lost
 * between the check and the wait (x86-64 "sti; hlt", arm64/riscv64 wfi, which wakes for a
 * pending interrupt even while it is masked). Called from thread context (the idle loop,
 * cpu_idle_until()) with interrupts DISABLED on this CPU; the interrupt that woke it has been
 * handled when it returns, and it returns with interrupts DISABLED. This CPU only.
 */
void hal_cpu_idle(void);

/* Stop the calling CPU for good: interrupts masked, wait-for-interrupt loop. Never returns.
 * Any context; other CPUs keep running (panic() stops them itself once SMP exists). */
noreturn void hal_cpu_halt(void);

/*
 * Raise interrupt @vector on CPU @cpu (hardware id): a request for the other CPU to run its
 * IPI handler soon (TLB shootdown, reschedule, stop). Any context, interrupts in any state.
 * When it returns the interrupt has been sent, not handled: the target runs the handler
 * once it has interrupts unmasked; several requests before that may arrive as one, so the
 * message itself lives in memory the handler reads. @cpu may be the caller's own. 0, or a
 * negative errno: -EINVAL for a @cpu or @vector the port cannot address. Implemented by the
 * SMP bring-up; until then ports return -ENOSYS (docs/porting.md).
 */
__must_check int hal_send_ipi(cpu_id_t cpu, unsigned vector);

/* ---- Time ------------------------------------------------------------------------------- */

/* Free-running monotonic counter of this CPU: TSC, CNTVCT_EL0, or the RISC-V time CSR.
 * Any context. Synchronised across CPUs (invariant TSC, one system counter): a value read on
 * one CPU is never ahead of one read later on another. */
uint64_t hal_counter_read(void);

/* Frequency of hal_counter_read() in Hz, or 0 when the port could not determine it. */
uint64_t hal_counter_freq(void);

/* ---- Memory-mapped I/O -------------------------------------------------------------- */

/*
 * Port-mapped I/O: one byte at I/O port @port. Only x86-64 has an I/O port space (inb/outb);
 * elsewhere a read gives 0xff (what a bus returns for nothing there) and a write does nothing,
 * so a driver probing a port-mapped device finds none. Any context; no ordering beyond the
 * instruction's own (x86 port I/O is strongly ordered).
 */
uint8_t hal_pio_read8(uint16_t port);
void hal_pio_write8(uint16_t port, uint8_t val);

/*
 * Make @size bytes at physical @pa accessible and return their virtual address, or NULL when
 * the range cannot be mapped (wraps, window full). Device memory gets an uncached, device-type
 * mapping made once per range and kept (core/mm/io_window.c); RAM (ACPI tables, say) is
 * answered from the direct map, never aliased with other attributes. Before the MMU is on a
 * port may return @pa itself; x86-64, in long mode from its first instruction, maps into its
 * boot tables' I/O window and carries the mapping over to the kernel's tables. The per-arch
 * windows are in docs/memory-layout.md.
 */
__must_check void *hal_map_io(paddr_t pa, size_t size);

/* Virtual address of physical memory @pa in the kernel's direct map, or NULL when not mapped.
 * Any context; the direct map is the same on every CPU. */
void *hal_phys_to_virt(paddr_t pa);

/* ---- Memory management unit ----------------------------------------------------------- */

/*
 * Build the kernel's final page tables with pages from the page allocator and switch to them:
 * text R+X, rodata R, data/bss R+W (W^X), direct map of RAM R+W no-exec, an unmapped guard
 * page below every kernel stack, nothing at VA 0 and no identity map left. Called once by
 * mm_init() on the boot CPU right after the page allocator is up, interrupts masked. 0 or
 * a negative errno; mm_init() then panics (a kernel must not run on the boot mappings).
 */
__must_check int hal_mmu_init(void);

/*
 * The kernel's page table — format, table memory and TLB operations, root — as loaded on
 * every CPU for the kernel half, or NULL before hal_mmu_init() succeeded. pt_map(),
 * pt_unmap() and pt_protect() on it take effect on every CPU before they return (its
 * flush_tlb is the all-CPU one). Callers serialise changes to it (io_window, vmap).
 */
struct pagetable *hal_kernel_pagetable(void);

/*
 * True when the kernel half has a translation root of its own (arm64 TTBR1_EL1): a user
 * root then holds only the user half. False (x86-64 CR3, riscv64 satp): one root for both
 * halves, so every user root carries a copy of the kernel's upper-half root entries, which the
 * port pre-populates and pins in hal_mmu_init() (pt_pin_root()) so the copies never go stale.
 */
bool hal_mmu_separate_kernel_root(void);

/*
 * How many address-space ids the MMU tags non-global TLB entries with (x86-64 PCIDs, arm64
 * ASIDs, riscv64 ASIDs as probed through satp), at least 1. Id 0 is the kernel's and the
 * "untagged" id: an address space running with id 0 is flushed whenever it is switched to.
 */
unsigned hal_mmu_asid_count(void);

/*
 * Make the user half of this CPU's address space translate through the root table at
 * physical @root (in the kernel's format; 0: no user mappings at all) tagged with @asid
 * (< hal_mmu_asid_count()). Kernel mappings are unaffected. TLB entries of other ids stay.
 * Interrupts masked or not; this CPU only (core/mm/vm_space.c records which CPUs loaded a
 * space, to choose between local and all-CPU flushes).
 */
void hal_mmu_switch(paddr_t root, unsigned asid);

/*
 * TLB maintenance, in two explicitly named scopes. Any context, interrupts in any state;
 * the caller has already written the page-table change the flush is for. @asid 0 is the
 * kernel's id: a range flush with it also drops global (kernel) entries for those addresses.
 *
 * _local: when it returns, the calling CPU no longer uses an old entry for the range (or
 * id). Other CPUs may. For an address space loaded on this CPU only.
 *
 * _all: when it returns, no CPU can still use an old entry (arm64: the inner-shareable
 * broadcast and dsb ish; riscv64: SBI RFENCE to every hart; x86-64: invlpg here and, while
 * the port has no shootdown IPI, a panic if cpus_online() > 1 rather than a stale TLB).
 * For kernel mappings and address spaces that more than one CPU may have loaded.
 */
void hal_tlb_flush_range_local(unsigned asid, vaddr_t va, size_t size);
void hal_tlb_flush_range_all(unsigned asid, vaddr_t va, size_t size);

/* Invalidate every non-global TLB entry tagged @asid, on this CPU or on every CPU (the
 * latter before an id is given to a new space). Same scopes and context as above. */
void hal_tlb_flush_asid_local(unsigned asid);
void hal_tlb_flush_asid_all(unsigned asid);

/*
 * The kernel's run-time mapping window: a kernel-half range of at least 1 GiB that nothing
 * maps after hal_mmu_init(), for mappings made later (and for tests to map into).
 */
void hal_kernel_vmap_window(vaddr_t *base, size_t *size);

/*
 * The unmapped guard pages below the kernel's stacks (boot stack, exception/IST stacks):
 * stores up to @max page addresses in @out and returns how many there are in all.
 */
size_t hal_kernel_stack_guards(vaddr_t *out, size_t max);

/* ---- Per-CPU data -------------------------------------------------------------------- */

/*
 * Make @pc the calling CPU's per-CPU block, reachable in O(1) through the register the port
 * reserves for it (GS base on x86-64, TPIDR_EL1 on arm64, tp on riscv64; trap entry code may
 * rely on it). Called once per CPU, on that CPU, with interrupts masked, before anything
 * traces, faults, takes a spinlock or allocates (kernel_main(): percpu_init_boot() first,
 * before hal_early_init() and mm_init()). Affects this CPU only.
 */
void hal_percpu_init(struct per_cpu *pc);

/* The calling CPU's per-CPU block, read from that register (never a constant, also while one
 * CPU runs). O(1), any context after hal_percpu_init(); the answer stays right only while the
 * caller cannot migrate (interrupts masked, or bound to this CPU). */
struct per_cpu *hal_this_cpu(void);

/* ---- Interrupt controller and timer ------------------------------------------------- */

/*
 * Set up what the port needs to take interrupts at all: arm64 unmasks SErrors, riscv64
 * enables supervisor software interrupts, x86-64 masks the 8259 PIC and enables the local
 * APIC. The platform's interrupt controller (GIC, PLIC, IOAPIC) is a driver
 * (drivers/irqchip/), bound by driver_bind_all() after this returns. Called once, on the
 * boot CPU, interrupts masked; the CPU-local part for other CPUs comes with SMP bring-up.
 */
void hal_irq_init(const struct boot_info *bi);

/*
 * Interrupt-controller registers that the CPU architecture itself defines, for the portable
 * controller drivers in drivers/irqchip/. Each acts on the calling CPU only, with interrupts
 * masked. On a port whose architecture has no such register the function returns -ENOSYS
 * (or the "none" value given) and does nothing; the driver that needs it is then refused.
 *
 * hal_irq_external_enable(): let this CPU take the external interrupt line of its platform
 * controller. riscv64: sie.SEIE (the PLIC's S-mode context). arm64, x86-64: -ENOSYS (the GIC
 * CPU interface and the local APIC gate it themselves; DAIF/RFLAGS are hal_irq_enable()).
 */
__must_check int hal_irq_external_enable(void);

/*
 * The Arm GICv3 CPU interface (ICC_*_EL1 system registers). arm64 only; elsewhere -ENOSYS /
 * GIC_INTID 1023 ("nothing pending") / no-op.
 * hal_gicv3_cpuif_init(): use the system registers (ICC_SRE_EL1.SRE, plus DFB/DIB), priority
 * mask @pmr, no binary-point grouping, Group 1 enabled. 0, or -ENODEV when SRE does not stick
 * (firmware kept EL1 on the memory-mapped interface).
 * hal_gicv3_cpuif_ack(): read ICC_IAR1_EL1 (the INTID; 1020..1023 mean none), ordered before
 * the handler's device accesses.
 * hal_gicv3_cpuif_eoi(): write @intid to ICC_EOIR1_EL1 and wait for it to take effect.
 */
__must_check int hal_gicv3_cpuif_init(uint8_t pmr);
uint32_t hal_gicv3_cpuif_ack(void);
void hal_gicv3_cpuif_eoi(uint32_t intid);

/*
 * The x86 local APIC, the CPU's own side of the IOAPIC (drivers/irqchip/ioapic.c). x86-64
 * only; elsewhere -ENOSYS / no-op.
 * hal_lapic_irq_vector(): the vector the port's trap entry turns into irq_handle(@irq) on this
 * CPU (0x20 + @irq), or -ERANGE past the last one the port reserves (192 interrupts).
 * hal_lapic_eoi(): end the interrupt in service on this CPU's local APIC (an EOI broadcast also
 * clears a level-triggered IOAPIC entry's remote IRR). Interrupt context or interrupts masked.
 */
__must_check int hal_lapic_irq_vector(unsigned irq);
void hal_lapic_eoi(void);

/*
 * Set up this CPU's one-shot timer (x86-64 LAPIC timer, TSC-deadline when the CPU has it;
 * arm64 virtual generic timer; riscv64 Sstc stimecmp or the SBI timer) with no deadline
 * pending. Its interrupt must end in clock_timer_interrupt(), on this CPU. Called once per
 * CPU, on it, interrupts masked.
 */
void hal_timer_init(void);

/* Raise this CPU's timer interrupt once hal_counter_read() >= @deadline (at once if passed).
 * Replaces this CPU's previous deadline; other CPUs' timers are untouched. Interrupts masked
 * (core/time holds its queue lock). */
void hal_timer_set_deadline(uint64_t deadline);

/* Cancel this CPU's pending timer deadline, if any. Interrupts masked; this CPU only. */
void hal_timer_cancel(void);

/*
 * Whether console input is interrupt-driven: each received byte goes to console_rx_push()
 * from the UART's interrupt handler (on whichever CPU the line is routed to: one producer).
 * The console UART is a driver (drivers/serial/console.c) that switched its receive
 * interrupt on when driver_bind_all() bound it; this reports serial_console_rx_status().
 * Called once, thread context, after driver_bind_all(). 0, or a negative error when the
 * console has no usable interrupt (input is then polled).
 */
__must_check int hal_console_rx_irq_enable(void);

/* ---- Faults, context and unwinding -------------------------------------------------- */

/* Enough for the callee-saved registers, stack pointer and return address of any port. */
struct hal_jmpbuf {
	uintptr_t regs[16];
	irqflags_t irqflags;
};

/* Save the calling context; returns 0, and 1 when resumed by hal_longjmp(). This CPU's
 * context: the jmpbuf must be resumed on the CPU that saved it. */
int hal_setjmp(struct hal_jmpbuf *jb) __attribute__((returns_twice));

/* Resume the context saved by hal_setjmp() (whose caller must not have returned), from
 * anywhere on this CPU, including an exception handler. Restores the saved interrupt state. */
noreturn void hal_longjmp(struct hal_jmpbuf *jb);

/* Print the register dump of the port's saved exception frame @frame (fault_info.frame). */
void hal_dump_frame(const void *frame);

/*
 * One frame-pointer unwind step: given a frame pointer, load the caller's frame pointer
 * into *@fp and its return address into *@pc. False at the end of the chain or when *@fp
 * is not a plausible kernel stack address (the walk must never fault).
 */
bool hal_unwind(uintptr_t *fp, uintptr_t *pc);

/* Frame pointer of the caller, to start a backtrace from the current position. */
uintptr_t hal_current_fp(void);

/*
 * For tests: execute an instruction that raises the given fault kind on this port
 * (FAULT_BREAKPOINT, FAULT_ILLEGAL_INSTRUCTION, FAULT_PAGE or FAULT_ACCESS: a load from an
 * address nothing is mapped at; with the MMU off ports report that as FAULT_ACCESS). Call it
 * under fault_probe_run(): when the fault happens, execution resumes there, not here. Returns
 * -ENOSYS for kinds the port cannot raise on purpose, or 0 if the instruction did not fault.
 */
int hal_trigger_fault(int kind);

/* ---- Power ------------------------------------------------------------------------------ */

/*
 * Power the machine off (ACPI S5 on x86-64, PSCI SYSTEM_OFF on arm64, SBI SRST on riscv64).
 * On QEMU this makes QEMU exit with status 0. Never returns; halts if the firmware refuses.
 */
noreturn void hal_poweroff(void);

/*
 * End a test run and tell the host whether it passed (@pass true) or failed, through
 * the test exit device. The QEMU exit status each port produces is listed in docs/boot.md:
 * x86-64 isa-debug-exit, arm64 semihosting SYS_EXIT (or PSCI SYSTEM_OFF when the board
 * has no semihosting), riscv64 the sifive_test device. Never returns.
 */
noreturn void hal_test_exit(bool pass);

#endif /* KEEL_KERNEL_HAL_H */
