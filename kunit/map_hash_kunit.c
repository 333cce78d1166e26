// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow maps' hashing: keys crafted to share a bucket under
 * one map's seed spread out under another's (multiply-add-shift and
 * hsiphash), multiply-add-shift and its finalizer on known values, and the
 * SipHash-2-4 and hsiphash reference vectors.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/map.h>
#include <kvgrow/mix.h>
#include "map_fixture.h"

/*
 * Keys crafted to share one bucket under map A's seed spread out in map B,
 * which has a seed of its own.
 */
#define SEED_KEYS	40

/*
 * ((a * k + b) mod 2^128) div 2^64 in 32-bit limbs: a check of the
 * library's multiply-add-shift independent of its __int128 arithmetic.
 */
static u64 mas_reference(const u64 a2[2], const u64 b2[2], u64 k)
{
	u64 a[4] = { (u32)a2[0], a2[0] >> 32, (u32)a2[1], a2[1] >> 32 };
	u64 r[4] = { (u32)b2[0], b2[0] >> 32, (u32)b2[1], b2[1] >> 32 };
	u64 x[2] = { (u32)k, k >> 32 }, p, carry = 0;
	unsigned int i, j;

	/* Each limb gathers at most five 32-bit terms: no overflow. */
	for (i = 0; i < 4; i++)
		for (j = 0; j < 2 && i + j < 4; j++) {
			p = a[i] * x[j];
			r[i + j] += (u32)p;
			if (i + j + 1 < 4)
				r[i + j + 1] += p >> 32;
		}
	for (i = 0; i < 4; i++) {
		r[i] += carry;
		carry = r[i] >> 32;
		r[i] = (u32)r[i];
	}
	return r[3] << 32 | r[2];
}

/* The map's hash of u64 key @k. */
static u64 map_hash_u64(const struct kvg_map *m, u64 k)
{
	const hsiphash_key_t hk = { { m->seed.key[0], m->seed.key[1] } };
	u64 h;

	if (!(m->flags & KVG_MAP_HSIPHASH)) {
		h = mas_reference(m->seed.key, m->mix, k);
		return kvg_mix64(h);
	}
	h = hsiphash_2u32((u32)k, k >> 32, &hk);
	return h << 32 | h;
}

static void seeds_differ(struct kunit *test, unsigned int flags)
{
	u64 hist[KVG_MAP_HIST_LEN], *keys, k;
	unsigned int per_bucket[16] = { }, most = 0;
	struct kvg_map_stats st;
	struct kvg_map *a = kvgt_new_map(test), *b = kvgt_new_map(test);
	size_t n = 0, i;

	keys = kunit_kmalloc_array(test, SEED_KEYS, sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, keys);
	KUNIT_ASSERT_EQ(test, map_init_u64(a, 100, flags, NULL), 0);
	KUNIT_ASSERT_EQ(test, map_init_u64(b, 100, flags, NULL), 0);
	KUNIT_EXPECT_NE(test, memcmp(&a->seed, &b->seed, sizeof(a->seed)), 0);
	KUNIT_ASSERT_EQ(test, snap_B(a), 4);
	/* Go's bucket: the hash's low B bits. */
	for (k = 0; k < 4096 && n < SEED_KEYS; k++)
		if ((map_hash_u64(a, k) & 15) == 0)
			keys[n++] = k;
	KUNIT_ASSERT_EQ(test, n, SEED_KEYS);
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, set_u64(a, keys[i], i), 0);
		KUNIT_ASSERT_EQ(test, set_u64(b, keys[i], i), 0);
		per_bucket[map_hash_u64(b, keys[i]) & 15]++;
	}
	for (i = 0; i < 16; i++)
		most = max(most, per_bucket[i]);
	KUNIT_EXPECT_LT(test, most, SEED_KEYS / 2);

	/* In A, one chain of 5 buckets: the crafting worked. */
	kvg_map_snapshot(a, &st);
	kvg_map_chain_histogram(a, hist);
	KUNIT_EXPECT_EQ(test, st.B, 4);
	KUNIT_EXPECT_EQ(test, st.overflow, 4);
	KUNIT_EXPECT_EQ(test, hist[4], 1);
	KUNIT_EXPECT_EQ(test, hist[0], 15);
	/* In B, no bucket holds more than 3 * 8 of them. */
	kvg_map_snapshot(b, &st);
	kvg_map_chain_histogram(b, hist);
	KUNIT_EXPECT_EQ(test, st.B, 4);
	KUNIT_EXPECT_LE(test, st.overflow, 2);
	for (i = 3; i < KVG_MAP_HIST_LEN; i++)
		KUNIT_EXPECT_EQ(test, hist[i], 0);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, *get_u64(b, keys[i]), i);
	kvg_map_destroy(a);
	kvg_map_destroy(b);
}

/* Keys crafted for one map's seed spread in another's. */
static void map_seeds_differ(struct kunit *test)
{
	seeds_differ(test, KVG_MAP_GO119);
}

static void map_seeds_differ_hsiphash(struct kunit *test)
{
	seeds_differ(test, KVG_MAP_GO119 | KVG_MAP_HSIPHASH);
}

/* Multiply-add-shift and the finalizer on known values. */
static void map_mas_hash_values(struct kunit *test)
{
	static const u64 one[2] = { 1, 0 }, zero[2] = { 0, 0 };
	static const u64 big[2] = { ~0ULL, ~0ULL }, two64[2] = { 0, 1 };
	static const u64 low[2] = { ~0ULL, 0 };

	/*
	 * splitmix64's first outputs from seed 0, the finalizer of k times
	 * its increment (which KEY_MUL happens to be).
	 */
	KUNIT_EXPECT_EQ(test, kvg_mix64(KEY_MUL), 0xe220a8397b1dcdafULL);
	KUNIT_EXPECT_EQ(test, kvg_mix64(2 * KEY_MUL), 0x6e789e6aa1b965f4ULL);
	KUNIT_EXPECT_EQ(test, kvg_mix64(3 * KEY_MUL), 0x06c45d188009454fULL);

	/* a = 1, b = 0: a * k < 2^64, nothing reaches the high word. */
	KUNIT_EXPECT_EQ(test, mas_reference(one, zero, ~0ULL), 0);
	/* a = 2^128 - 1: a * k = -k mod 2^128, high word ~0 for k = 1. */
	KUNIT_EXPECT_EQ(test, mas_reference(big, zero, 1), ~0ULL);
	/* a = 2^64: the high word is k itself; b's low word carries. */
	KUNIT_EXPECT_EQ(test, mas_reference(two64, zero, 42), 42);
	KUNIT_EXPECT_EQ(test, mas_reference(low, one, 1), 1);
}

/* The reference SipHash-2-4 vector: key 00..0f, message 00..0e. */
static void map_siphash_reference_vector(struct kunit *test)
{
	const siphash_key_t key = {
		{ 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL }
	};
	u8 msg[15];
	size_t i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i;
	KUNIT_EXPECT_EQ(test, siphash(msg, sizeof(msg), &key),
			0xa129ca6149be45e5ULL);
	/* And the empty message, the first vector. */
	KUNIT_EXPECT_EQ(test, siphash(msg, 0, &key), 0x726fdb47dd0e0e31ULL);
}

/*
 * hsiphash, which hashes 4- and 8-byte keys: on 64-bit, SipHash-1-3 cut to
 * 32 bits.  Key 00..0f, message 00..n-1: the published vectors for n = 0,
 * 4 and 8, also through the word-sized forms.
 */
static void map_hsiphash_reference_vector(struct kunit *test)
{
	const hsiphash_key_t key = {
		{ 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL }
	};
	u8 msg[8];
	size_t i;

	if (sizeof(long) != sizeof(u64))
		kunit_skip(test, "32-bit hsiphash is HalfSipHash-1-3");
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i;
	KUNIT_EXPECT_EQ(test, hsiphash(msg, 0, &key), 0x050fc4dcU);
	KUNIT_EXPECT_EQ(test, hsiphash(msg, 1, &key), 0x7d57ca93U);
	KUNIT_EXPECT_EQ(test, hsiphash(msg, 4, &key), 0x88d38328U);
	KUNIT_EXPECT_EQ(test, hsiphash(msg, 7, &key), 0x9bb11140U);
	KUNIT_EXPECT_EQ(test, hsiphash(msg, 8, &key), 0x8d299a8eU);
	KUNIT_EXPECT_EQ(test, hsiphash_1u32(0x03020100U, &key), 0x88d38328U);
	KUNIT_EXPECT_EQ(test, hsiphash_2u32(0x03020100U, 0x07060504U, &key),
			0x8d299a8eU);
}

static struct kunit_case map_hash_cases[] = {
	KUNIT_CASE(map_seeds_differ),
	KUNIT_CASE(map_seeds_differ_hsiphash),
	KUNIT_CASE(map_mas_hash_values),
	KUNIT_CASE(map_siphash_reference_vector),
	KUNIT_CASE(map_hsiphash_reference_vector),
	{}
};

static struct kunit_suite map_hash_suite = {
	.name = "kvgrow_map_hash",
	.init = kvgt_map_suite_init,
	.exit = kvgt_map_suite_exit,
	.test_cases = map_hash_cases,
};

kunit_test_suite(map_hash_suite);
