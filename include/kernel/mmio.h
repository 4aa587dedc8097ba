/* SPDX-License-Identifier: MIT */
/* Device register access through volatile pointers (device memory: no merging or caching). */
#ifndef KEEL_KERNEL_MMIO_H
#define KEEL_KERNEL_MMIO_H

#include <kernel/types.h>

static inline uint8_t mmio_read8(const volatile void *addr)
{
	return *(const volatile uint8_t *)addr;
}

static inline void mmio_write8(volatile void *addr, uint8_t v)
{
	*(volatile uint8_t *)addr = v;
}

static inline uint32_t mmio_read32(const volatile void *addr)
{
	return *(const volatile uint32_t *)addr;
}

static inline void mmio_write32(volatile void *addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

#endif
