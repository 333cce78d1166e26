/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: a test-and-set spinlock; irqs do not exist here. */
#ifndef _SHIM_LINUX_SPINLOCK_H
#define _SHIM_LINUX_SPINLOCK_H

typedef struct { char locked; } spinlock_t;

#define DEFINE_SPINLOCK(x)	spinlock_t x = { 0 }
#define spin_lock(l)		do { } while (__atomic_test_and_set(&(l)->locked, __ATOMIC_ACQUIRE))
#define spin_unlock(l)		__atomic_clear(&(l)->locked, __ATOMIC_RELEASE)
#define spin_lock_irqsave(l, f)	do { (f) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f) do { (void)(f); spin_unlock(l); } while (0)

#endif
