// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation fault injection for kvgrow's test builds
 * (CONFIG_KVGROW_FAULT_INJECTION): a deterministic fail-the-Nth-attempt
 * and a seeded random mode; tests read the live-block count of lib/mem.c
 * to catch leaks in the kernel as well as in userspace.
 */
#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <kvgrow/fault.h>
#include "kvg_mem.h"

static DEFINE_SPINLOCK(fault_lock);
static unsigned int fail_countdown;
static unsigned int fail_permille;
static u64 fail_rng;
static atomic_long_t fault_injected = ATOMIC_LONG_INIT(0);

/* xorshift64*: a reproducible sequence from the seed, in both worlds. */
static u32 fault_random(void)
{
	fail_rng ^= fail_rng >> 12;
	fail_rng ^= fail_rng << 25;
	fail_rng ^= fail_rng >> 27;
	return (fail_rng * 0x2545F4914F6CDD1DULL) >> 32;
}

bool kvg_fault_should_fail(void)
{
	unsigned long flags;
	bool fail = false;

	spin_lock_irqsave(&fault_lock, flags);
	if (fail_countdown)
		fail = !--fail_countdown;
	else if (fail_permille)
		fail = fault_random() % 1000 < fail_permille;
	spin_unlock_irqrestore(&fault_lock, flags);
	if (fail)
		atomic_long_inc(&fault_injected);
	return fail;
}

/**
 * kvg_fault_fail_nth() - Fail the Nth allocation attempt from now.
 * @nth: Which attempt fails, counting the next one as 1; 0 disarms.
 *
 * Only that one attempt fails, after which the countdown is disarmed.  The
 * random mode of kvg_fault_fail_random() applies only while no countdown
 * is armed.  The injected count is not reset.
 *
 * Context: Any context.  Takes and releases the fault-injection spinlock
 * with interrupts disabled.
 */
void kvg_fault_fail_nth(unsigned int nth)
{
	unsigned long flags;

	spin_lock_irqsave(&fault_lock, flags);
	fail_countdown = nth;
	spin_unlock_irqrestore(&fault_lock, flags);
}
EXPORT_SYMBOL_GPL(kvg_fault_fail_nth);

/**
 * kvg_fault_fail_random() - Fail allocation attempts at random.
 * @permille: Probability of failure of each attempt, in thousandths;
 *            values above 1000 count as 1000, 0 disarms.
 * @seed: Seed of the reproducible pseudo-random sequence; 0 picks a fixed
 *        non-zero default.
 *
 * Takes effect only while no kvg_fault_fail_nth() countdown is armed.
 *
 * Context: Any context.  Takes and releases the fault-injection spinlock
 * with interrupts disabled.
 */
void kvg_fault_fail_random(unsigned int permille, u64 seed)
{
	unsigned long flags;

	spin_lock_irqsave(&fault_lock, flags);
	fail_permille = min(permille, 1000U);
	fail_rng = seed ?: 0x9E3779B97F4A7C15ULL;
	spin_unlock_irqrestore(&fault_lock, flags);
}
EXPORT_SYMBOL_GPL(kvg_fault_fail_random);

/**
 * kvg_fault_reset() - Disarm fault injection and zero the injected count.
 *
 * Context: Any context.  Takes and releases the fault-injection spinlock
 * with interrupts disabled.
 */
void kvg_fault_reset(void)
{
	unsigned long flags;

	spin_lock_irqsave(&fault_lock, flags);
	fail_countdown = 0;
	fail_permille = 0;
	spin_unlock_irqrestore(&fault_lock, flags);
	atomic_long_set(&fault_injected, 0);
}
EXPORT_SYMBOL_GPL(kvg_fault_reset);

/**
 * kvg_fault_injected() - Count the failures injected.
 *
 * Context: Any context.  Takes no lock.
 * Return: The number of allocation failures injected since the last
 * kvg_fault_reset().
 */
unsigned long kvg_fault_injected(void)
{
	return atomic_long_read(&fault_injected);
}
EXPORT_SYMBOL_GPL(kvg_fault_injected);
