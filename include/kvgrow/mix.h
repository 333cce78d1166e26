/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one 64-bit mixer kvgrow uses: the map's hash finalizer, and the key
 * generator of kvgrow.ko's scenarios, kvgrow-sim, the KUnit suites and the
 * C benchmarks (userspace-test/bench/bench.go keeps a Go copy).
 */
#ifndef _KVGROW_MIX_H
#define _KVGROW_MIX_H

#include <linux/types.h>

/**
 * kvg_mix64() - Splitmix64's finalizer
 * @x: the value to mix
 *
 * A bijection on 64-bit integers whose every output bit depends on every
 * input bit (Stafford's Mix13, as in splitmix64): distinct inputs, such as
 * 0, 1, 2, ..., give distinct, evenly spread outputs.  Not keyed, so not a
 * defence against chosen keys.
 *
 * Context: Any context.
 * Return: the mixed value.
 */
static inline u64 kvg_mix64(u64 x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

#endif /* _KVGROW_MIX_H */
