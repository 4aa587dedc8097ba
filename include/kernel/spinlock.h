/* SPDX-License-Identifier: MIT */
/*
 * A minimal test-and-test-and-set spinlock on C11 __atomic builtins (4-byte exchange, which
 * every port does inline: x86 xchg, arm64 ldaxr/stxr or swp, riscv amoswap.w).
 * Not fair and not recursive; hold it briefly. The _irqsave forms also mask interrupts on
 * this CPU so an interrupt handler taking the same lock cannot deadlock against us.
 */
#ifndef KEEL_KERNEL_SPINLOCK_H
#define KEEL_KERNEL_SPINLOCK_H

#include <kernel/hal.h>
#include <kernel/types.h>

typedef struct {
	uint32_t locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

static inline void spin_init(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELAXED);
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		/* Spin on a plain load so waiters do not bounce the cache line. */
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
	}
}

static inline bool spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

static inline irqflags_t spin_lock_irqsave(spinlock_t *l)
{
	irqflags_t flags = hal_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, irqflags_t flags)
{
	spin_unlock(l);
	hal_irq_restore(flags);
}

#endif
