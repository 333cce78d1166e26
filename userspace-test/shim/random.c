// SPDX-License-Identifier: GPL-2.0
/* Userspace shim: splitmix64, seeded for reproducible runs. */
#include <string.h>
#include <linux/random.h>

static u64 state = 0x853c49e6748fea9bULL;

void shim_random_seed(u64 seed)
{
	state = seed;
}

u64 get_random_u64(void)
{
	u64 z = (state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

u32 get_random_u32(void)
{
	return get_random_u64() >> 32;
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
