// SPDX-License-Identifier: MIT
/*
 * TEMPORARY weak stand-ins for the HAL functions issue 4 added, so the kernel links while the
 * three ports implement them (a port's definition overrides these). Deleted once every port
 * has its own; nothing here is a real implementation.
 */
#include <kernel/errno.h>
#include <kernel/hal.h>
#include <kernel/percpu.h>

#define WEAK __attribute__((weak))

static struct per_cpu *weak_cpu;

WEAK void hal_percpu_init(struct per_cpu *pc) { weak_cpu = pc; }
WEAK struct per_cpu *hal_this_cpu(void) { return weak_cpu ? weak_cpu : &per_cpu_data[0]; }
WEAK void hal_irq_init(const struct boot_info *bi) { (void)bi; }
WEAK void hal_timer_init(void) { }
WEAK void hal_timer_set_deadline(uint64_t deadline) { (void)deadline; }
WEAK void hal_timer_cancel(void) { }
WEAK int hal_console_rx_irq_enable(void) { return -ENOSYS; }
WEAK int hal_setjmp(struct hal_jmpbuf *jb) { (void)jb; return 0; }
WEAK noreturn void hal_longjmp(struct hal_jmpbuf *jb) { (void)jb; hal_cpu_halt(); }
WEAK void hal_dump_frame(const void *frame) { (void)frame; }
WEAK bool hal_unwind(uintptr_t *fp, uintptr_t *pc) { (void)fp; (void)pc; return false; }
WEAK uintptr_t hal_current_fp(void) { return 0; }
WEAK int hal_trigger_fault(int kind) { (void)kind; return -ENOSYS; }
