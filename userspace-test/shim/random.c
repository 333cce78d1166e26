// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: splitmix64 from a fixed seed, for reproducible runs; the
 * fuzzers restart it from each input's seed (shim_random_seed()), so that a
 * map's hash seeds and iteration starts replay from the input alone.
 */
#include <string.h>
#include <linux/random.h>
#include <kvgrow/mix.h>

static u64 state = 0x853c49e6748fea9bULL;

void shim_random_seed(u64 seed)
{
	state = seed;
}

u64 get_random_u64(void)
{
	return kvg_mix64(state += 0x9E3779B97F4A7C15ULL);
}

void get_random_bytes(void *buf, size_t len)
{
	u64 r;

	while (len) {
		size_t n = len < sizeof(r) ? len : sizeof(r);

		r = get_random_u64();
		memcpy(buf, &r, n);
		buf = (char *)buf + n;
		len -= n;
	}
}
