// SPDX-License-Identifier: GPL-2.0
/* Userspace shim: SipHash-2-4 (Aumasson and Bernstein), little-endian. */
#include <string.h>
#include <linux/siphash.h>

#define ROTL(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

u64 siphash(const void *data, size_t len, const siphash_key_t *key)
{
	u64 v0 = key->key[0] ^ 0x736f6d6570736575ULL;
	u64 v1 = key->key[1] ^ 0x646f72616e646f6dULL;
	u64 v2 = key->key[0] ^ 0x6c7967656e657261ULL;
	u64 v3 = key->key[1] ^ 0x7465646279746573ULL;
	const unsigned char *p = data;
	u64 m, b = (u64)len << 56;
	size_t left = len & 7;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&m, p, 8);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	m = 0;
	memcpy(&m, p, left);
	b |= m;
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}
