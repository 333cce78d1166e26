/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kvgrow KUnit suites share, in the kernel and (through the KUnit
 * shim) in userspace: the random source, the keys of an index, and the
 * leak check around every test.
 */
#ifndef _KVGROW_KUNIT_KVG_KUNIT_H
#define _KVGROW_KUNIT_KVG_KUNIT_H

#include <kunit/test.h>
#include <linux/types.h>
#include <kvgrow/fault.h>
#include <kvgrow/vec.h>

/* A tiny deterministic generator, the same in both worlds. */
static inline u32 rnd(u64 *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

/*
 * Keys are u64s i * KEY_MUL for an index i (KEY_MUL is odd, so the map is
 * a bijection and every key maps back to its index).  KEY_MUL is
 * splitmix64's increment; kvg_mix64() of <kvgrow/mix.h> is its finalizer.
 */
#define KEY_MUL		0x9E3779B97F4A7C15ULL
#define KEY_MUL_INV	0xF1DE83E19937733DULL	/* KEY_MUL^-1 mod 2^64 */

static inline u64 key_of(size_t idx)
{
	return (u64)idx * KEY_MUL;
}

static inline size_t idx_of(u64 key)
{
	return (size_t)(key * KEY_MUL_INV);
}

/* Every test starts and ends with no live kvgrow allocation. */
static inline int kvgt_leak_init(struct kunit *test)
{
	kvg_fault_reset();
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	return 0;
}

static inline void kvgt_leak_exit(struct kunit *test)
{
	kvg_fault_reset();
	KUNIT_EXPECT_EQ_MSG(test, kvg_mem_live_blocks(), 0, "leaked blocks");
}

#endif /* _KVGROW_KUNIT_KVG_KUNIT_H */
