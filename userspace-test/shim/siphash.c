// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: SipHash-c-d (Aumasson and Bernstein), little-endian, as
 * the paper defines it: SipHash-2-4 for siphash(), and for hsiphash() the
 * kernel's 64-bit choice, SipHash-1-3 truncated to its low 32 bits.
 */
#include <string.h>
#include <linux/siphash.h>

#define ROTL(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

/*
 * @c compression rounds per 8-byte word, @d finalization rounds; @k0, @k1
 * the key.  Inlined into each user with constant rounds.
 */
static inline __attribute__((always_inline))
u64 sip(const void *data, size_t len, u64 k0, u64 k1, int c, int d)
{
	u64 v0 = k0 ^ 0x736f6d6570736575ULL;
	u64 v1 = k1 ^ 0x646f72616e646f6dULL;
	u64 v2 = k0 ^ 0x6c7967656e657261ULL;
	u64 v3 = k1 ^ 0x7465646279746573ULL;
	const unsigned char *p = data;
	u64 m, b = (u64)len << 56;
	size_t left = len & 7;
	int r;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&m, p, 8);
		v3 ^= m;
		for (r = 0; r < c; r++)
			SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	m = 0;
	memcpy(&m, p, left);
	b |= m;
	v3 ^= b;
	for (r = 0; r < c; r++)
		SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	for (r = 0; r < d; r++)
		SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

u64 siphash(const void *data, size_t len, const siphash_key_t *key)
{
	return sip(data, len, key->key[0], key->key[1], 2, 4);
}

u32 hsiphash(const void *data, size_t len, const hsiphash_key_t *key)
{
	return sip(data, len, key->key[0], key->key[1], 1, 3);
}

/*
 * The word-sized forms hash the same bytes as hsiphash() of the words:
 * one message word (8 bytes) or none (4), then the length word, with the
 * rounds written out.
 */
#define HSIP_FINISH(b) do {						\
	v3 ^= (b);							\
	SIPROUND(v0, v1, v2, v3);					\
	v0 ^= (b);							\
	v2 ^= 0xff;							\
	SIPROUND(v0, v1, v2, v3);					\
	SIPROUND(v0, v1, v2, v3);					\
	SIPROUND(v0, v1, v2, v3);					\
	return v0 ^ v1 ^ v2 ^ v3;					\
} while (0)

#define HSIP_START							\
	u64 v0 = key->key[0] ^ 0x736f6d6570736575ULL;			\
	u64 v1 = key->key[1] ^ 0x646f72616e646f6dULL;			\
	u64 v2 = key->key[0] ^ 0x6c7967656e657261ULL;			\
	u64 v3 = key->key[1] ^ 0x7465646279746573ULL

u32 hsiphash_1u32(u32 first, const hsiphash_key_t *key)
{
	HSIP_START;

	HSIP_FINISH(4ULL << 56 | first);
}

u32 hsiphash_2u32(u32 first, u32 second, const hsiphash_key_t *key)
{
	u64 m = (u64)second << 32 | first;
	HSIP_START;

	v3 ^= m;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	HSIP_FINISH(8ULL << 56);
}
