// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzers' <linux/random.h>: userspace-test/shim/random.c's splitmix64,
 * but restarted from each input's own seed, so that a map's hash seeds and
 * iteration starts, and hence a crash, replay from the input alone.
 */
#include <string.h>
#include <linux/random.h>
#include <kvgrow/mix.h>
#include "fuzz.h"

static u64 state;

void fuzz_random_seed(u64 seed)
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
