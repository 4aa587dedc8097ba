/* SPDX-License-Identifier: MIT */
/*
 * A minimal test-and-test-and-set spinlock on C11 __atomic builtins (4-byte exchange, which
 * every port does inline: x86 xchg, arm64 ldaxr/stxr or swp, riscv amoswap.w).
 * Not fair and not recursive; hold it briefly.
 *
 * Which form to use: a lock that an interrupt handler can take (timer queues, the interrupt
 * table, the console, the allocators: pmm, slab and kmalloc may be called from a handler) is
 * always taken with spin_lock_irqsave(), on every path, so a handler on the same CPU cannot
 * spin on a lock its own CPU holds. Plain spin_lock() is for locks only taken with
 * interrupts already masked (an irq_chip callback) or never from a handler.
 *
 * A lock knows its owner (the holder's this_cpu() block, in every profile: cheap, and what
 * kprintf uses to let a panic on the holding CPU through). With CONFIG_ENABLE_DEBUG_ASSERTS,
 * spin_unlock() by a CPU that does not hold the lock, spin_lock() of a lock this CPU already
 * holds and a failed spin_assert_held() are reported through misuse_report(MISUSE_LOCK)
 * (xv6's holding(), Zephyr's CONFIG_SPIN_VALIDATE); the refused unlock leaves the lock alone.
 */
#ifndef KEEL_KERNEL_SPINLOCK_H
#define KEEL_KERNEL_SPINLOCK_H

#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/misuse.h>
#include <kernel/types.h>

typedef struct {
	uint32_t locked;
	const struct per_cpu *owner; /* this_cpu() of the holder; meaningful while locked */
} spinlock_t;

#define SPINLOCK_INIT { 0, NULL }

static inline void spin_init(spinlock_t *l)
{
	__atomic_store_n(&l->owner, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELAXED);
}

/* True when the calling CPU holds @l. Only meaningful with interrupts masked or @l held
 * (otherwise the answer may change under the caller). */
static inline bool spin_holding(spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == hal_this_cpu();
}

static inline bool spin_debug(void)
{
	return IS_ENABLED(CONFIG_ENABLE_DEBUG_ASSERTS);
}

static inline void spin_lock(spinlock_t *l)
{
	if (spin_debug() && spin_holding(l))
		misuse_report(MISUSE_LOCK, -EBUSY, "spin_lock: this CPU already holds it",
			      (uintptr_t)l);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		/* Spin on a plain load so waiters do not bounce the cache line. */
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
	}
	__atomic_store_n(&l->owner, hal_this_cpu(), __ATOMIC_RELAXED);
}

static inline bool spin_trylock(spinlock_t *l)
{
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	__atomic_store_n(&l->owner, hal_this_cpu(), __ATOMIC_RELAXED);
	return true;
}

/* Release @l. Precondition: the calling CPU holds it (checked with debug asserts: a refused
 * unlock is reported and leaves the lock as it was). */
static inline void spin_unlock(spinlock_t *l)
{
	if (spin_debug() && !spin_holding(l)) {
		misuse_report(MISUSE_LOCK, -EPERM, "spin_unlock: this CPU does not hold it",
			      (uintptr_t)l);
		return;
	}
	__atomic_store_n(&l->owner, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* Where a comment says "@l held": checked with debug asserts, free otherwise. */
static inline void spin_assert_held(spinlock_t *l)
{
	if (spin_debug() && !spin_holding(l))
		misuse_report(MISUSE_LOCK, -EPERM, "spin_assert_held: not held", (uintptr_t)l);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

/* Mask interrupts on this CPU, then take @l. Returns the previous interrupt state. */
static inline irqflags_t spin_lock_irqsave(spinlock_t *l)
{
	irqflags_t flags = hal_irq_save();

	spin_lock(l);
	return flags;
}

/* Release @l, then restore the interrupt state spin_lock_irqsave() returned. */
static inline void spin_unlock_irqrestore(spinlock_t *l, irqflags_t flags)
{
	spin_unlock(l);
	hal_irq_restore(flags);
}

#endif
