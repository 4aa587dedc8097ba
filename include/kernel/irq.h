/* SPDX-License-Identifier: MIT */
/*
 * Interrupt dispatch (core/irq/). One portable dispatcher in front of whichever interrupt
 * controller the firmware tables describe: x86-64 IOAPIC + local APIC, arm64 GICv2/GIC-400
 * or GICv3, riscv64 PLIC. The port's hal_irq_init() finds the controller (ACPI MADT / DTB),
 * initialises it with every line masked, and registers it with irq_register_chip().
 *
 * Interrupt numbers are the controller's own: GSI on x86-64, INTID on the GIC (PPIs 16..31,
 * SPIs 32..), the PLIC source number on riscv64.
 */
#ifndef KEEL_KERNEL_IRQ_H
#define KEEL_KERNEL_IRQ_H

#include <kernel/compiler.h>
#include <kernel/types.h>

#define IRQ_NONE  (~0u)   /* ack(): nothing pending */
#define IRQ_LIMIT 1024u   /* numbers at or above this are rejected */

typedef void (*irq_handler_t)(unsigned irq, void *arg);

/* A controller. Every callback is called with interrupts masked on the calling CPU. */
struct irq_chip {
	const char *name;
	unsigned nr_irqs;                        /* valid numbers are 0..nr_irqs-1 */
	void (*enable)(unsigned irq);            /* unmask one line */
	void (*disable)(unsigned irq);           /* mask one line */
	int (*set_priority)(unsigned irq, unsigned prio); /* 0 = most urgent; -EINVAL if out of range */
	int (*route)(unsigned irq, cpu_id_t cpu);          /* deliver to this CPU (hardware id) */
	/* Claim the most urgent pending interrupt; IRQ_NONE when none. NULL when the CPU's
	 * vector already names the interrupt (x86-64): the port then calls irq_handle(). */
	unsigned (*ack)(void);
	void (*eoi)(unsigned irq);               /* signal end of handling */
};

/* Register the system's interrupt controller (one for now). */
void irq_register_chip(const struct irq_chip *chip);

/* The registered controller, or NULL. */
const struct irq_chip *irq_chip(void);

/* Install @fn for @irq and unmask it: 0, -EINVAL (number out of range or NULL @fn),
 * -EBUSY (already has a handler), -ENOENT (no controller registered). */
__must_check int irq_request(unsigned irq, irq_handler_t fn, void *arg, const char *name);

/*
 * Mask @irq and remove its handler. 0 or -ENOENT. Thread context (or any context but that
 * interrupt's own handler). When it returns, the handler runs nowhere and will not run again:
 * it waits for a run in progress on another CPU, so the caller may free the handler's arg.
 * Must not be called from @irq's own handler (it would wait for itself for ever).
 */
int irq_free(unsigned irq);

/* Handle one interrupt the port has identified: count, trace, run the handler (or count it
 * as spurious), then chip->eoi(). A number outside the controller's range is counted as
 * spurious and still given its eoi(). Called from the port's interrupt entry, interrupts
 * masked. */
void irq_handle(unsigned irq);

/* For controllers with ack(): claim and handle interrupts until none is pending. */
void irq_dispatch_pending(void);

/* Per-interrupt statistics for the console and tests. */
uint64_t irq_count(unsigned irq);
uint64_t irq_spurious_count(void);

/* Print one line per interrupt with a handler: number, name, count. */
void irq_print_stats(void);

#endif
