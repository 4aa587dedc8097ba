// SPDX-License-Identifier: MIT
/* The portable interrupt dispatcher: one handler table in front of the registered controller. */
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/percpu.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>

struct irq_desc {
	irq_handler_t fn;
	void *arg;
	const char *name;
	uint64_t count;
	uint32_t running; /* handlers of this line running now, on any CPU (irq_free waits) */
};

static const struct irq_chip *chip;
static struct irq_desc descs[IRQ_LIMIT];
static uint64_t spurious;
static spinlock_t table_lock = SPINLOCK_INIT; /* serialises request/free, not handling */

void irq_register_chip(const struct irq_chip *c)
{
	chip = c;
	kprintf("  irq: controller %s, %u interrupts\n", c->name, c->nr_irqs);
}

const struct irq_chip *irq_chip(void)
{
	return chip;
}

static bool irq_valid(unsigned irq)
{
	return chip && irq < chip->nr_irqs && irq < IRQ_LIMIT;
}

int irq_request(unsigned irq, irq_handler_t fn, void *arg, const char *name)
{
	irqflags_t flags;
	int err = 0;

	if (!chip)
		return -ENOENT;
	if (!irq_valid(irq) || !fn)
		return -EINVAL;
	flags = spin_lock_irqsave(&table_lock);
	if (descs[irq].fn) {
		err = -EBUSY;
	} else {
		descs[irq].arg = arg;
		descs[irq].name = name ? name : "?";
		/* Published last: irq_handle() on another CPU reads fn first. */
		__atomic_store_n(&descs[irq].fn, fn, __ATOMIC_RELEASE);
		chip->enable(irq);
	}
	spin_unlock_irqrestore(&table_lock, flags);
	return err;
}

int irq_free(unsigned irq)
{
	irqflags_t flags;
	int err = 0;

	if (!irq_valid(irq))
		return -ENOENT;
	flags = spin_lock_irqsave(&table_lock);
	if (!descs[irq].fn) {
		err = -ENOENT;
	} else {
		chip->disable(irq);
		__atomic_store_n(&descs[irq].fn, NULL, __ATOMIC_SEQ_CST);
	}
	spin_unlock_irqrestore(&table_lock, flags);
	/*
	 * A handler that read fn before it became NULL may still run on another CPU: wait for
	 * it, so the caller may free what it passed as arg. Sequentially consistent with
	 * irq_handle(): either it counted itself running before we look, or it reads NULL.
	 */
	while (!err && __atomic_load_n(&descs[irq].running, __ATOMIC_SEQ_CST))
		;
	return err;
}

void irq_handle(unsigned irq)
{
	struct per_cpu *pc = this_cpu();
	irq_handler_t fn;

	if (!irq_valid(irq)) {
		/* Not a number we have a slot for, but the controller delivered it (and may
		 * hold it active until told): count it as spurious and still end it. */
		__atomic_fetch_add(&spurious, 1, __ATOMIC_RELAXED);
		trace_event(TRACE_IRQ_ENTER, irq, 0, 0, 0);
		trace_event(TRACE_IRQ_EXIT, irq, 0, 0, 0);
		if (chip)
			chip->eoi(irq);
		return;
	}
	pc->irq_depth++;
	pc->irq_count++;
	trace_event(TRACE_IRQ_ENTER, irq, 0, 0, 0);
	__atomic_fetch_add(&descs[irq].running, 1, __ATOMIC_SEQ_CST);
	fn = __atomic_load_n(&descs[irq].fn, __ATOMIC_SEQ_CST);
	if (fn) {
		__atomic_fetch_add(&descs[irq].count, 1, __ATOMIC_RELAXED);
		fn(irq, descs[irq].arg);
	} else {
		__atomic_fetch_add(&spurious, 1, __ATOMIC_RELAXED);
	}
	__atomic_fetch_sub(&descs[irq].running, 1, __ATOMIC_RELEASE);
	trace_event(TRACE_IRQ_EXIT, irq, fn != NULL, 0, 0);
	chip->eoi(irq);
	pc->irq_depth--;
}

/* Bounded so a stuck level-triggered line cannot keep us here for ever. */
#define DISPATCH_MAX_PER_ENTRY 64

void irq_dispatch_pending(void)
{
	if (!chip || !chip->ack)
		return;
	for (int i = 0; i < DISPATCH_MAX_PER_ENTRY; i++) {
		unsigned irq = chip->ack();

		if (irq == IRQ_NONE)
			return;
		irq_handle(irq);
	}
}

uint64_t irq_count(unsigned irq)
{
	return irq < IRQ_LIMIT ? __atomic_load_n(&descs[irq].count, __ATOMIC_RELAXED) : 0;
}

uint64_t irq_spurious_count(void)
{
	return __atomic_load_n(&spurious, __ATOMIC_RELAXED);
}

void irq_print_stats(void)
{
	kprintf("  controller: %s\n", chip ? chip->name : "none");
	for (unsigned i = 0; i < IRQ_LIMIT; i++)
		if (__atomic_load_n(&descs[i].fn, __ATOMIC_ACQUIRE))
			kprintf("  %4u %-16s %llu\n", i, descs[i].name,
				(unsigned long long)irq_count(i));
	kprintf("  spurious: %llu\n", (unsigned long long)irq_spurious_count());
}
