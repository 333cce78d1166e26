// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow maps: Go 1.19's growth thresholds, contents
 * against a reference model under three hash distributions, iteration
 * across grows and shrinks, overflow-bucket reclaim under churn, memory
 * given back after deletes, and failure atomicity with every allocation
 * point failed in turn.  The same file runs in the kernel and, through the
 * KUnit shim, in userspace.
 *
 * Keys are u64s i * KEY_MUL for an index i (KEY_MUL is odd, so the map is
 * a bijection and every key maps back to its index).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/fault.h>
#include <kvgrow/group.h>
#include <kvgrow/map.h>
#include <kvgrow/mix.h>
#include <kvgrow/vec.h>

/*
 * Sizes: the whole suite takes well under a second in userspace and stays
 * within half a minute under UML.
 */
#define MODEL_OPS	100000
#define CHURN_WINDOW	1000
#define CHURN_STEPS	200000
#define DELETE_ALL_N	100000

#define KEY_MUL		0x9E3779B97F4A7C15ULL
#define KEY_MUL_INV	0xF1DE83E19937733DULL	/* KEY_MUL^-1 mod 2^64 */

static u64 key_of(size_t idx)
{
	return (u64)idx * KEY_MUL;
}

static size_t idx_of(u64 key)
{
	return (size_t)(key * KEY_MUL_INV);
}

/* A tiny deterministic generator, the same in both worlds. */
static u32 rnd(u64 *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

/*
 * Maps live in test-managed memory and are destroyed at exit, so that a
 * failed assertion does not leak into the next test's allocation count.
 */
#define MAPS_PER_TEST	8

struct map_test_ctx {
	struct kvg_map *maps[MAPS_PER_TEST];
	unsigned int n;
};

static void track_map(struct kunit *test, struct kvg_map *m)
{
	struct map_test_ctx *ctx = test->priv;

	KUNIT_ASSERT_LT(test, ctx->n, MAPS_PER_TEST);
	ctx->maps[ctx->n++] = m;
}

static struct kvg_map *new_map(struct kunit *test)
{
	struct kvg_map *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	track_map(test, m);
	return m;
}

/* Every test starts and ends with no live kvgrow allocation. */
static int map_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct map_test_ctx),
				   GFP_KERNEL);
	if (!test->priv)
		return -ENOMEM;
	kvg_fault_reset();
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	return 0;
}

static void map_test_exit(struct kunit *test)
{
	struct map_test_ctx *ctx = test->priv;
	unsigned int i;

	kvg_fault_reset();
	/* Destroying a destroyed map is a no-op. */
	for (i = 0; ctx && i < ctx->n; i++)
		kvg_map_destroy(ctx->maps[i]);
	KUNIT_EXPECT_EQ_MSG(test, kvg_mem_live_blocks(), 0, "leaked blocks");
}

/* ---- hash distributions ---- */

enum hash_mode { HASH_SIP, HASH_ONE, HASH_TWO };

static bool u64_equal(const void *a, const void *b)
{
	return !memcmp(a, b, sizeof(u64));
}

/* Every key in one bucket, with one tophash. */
static u64 hash_one_bucket(const void *key, const siphash_key_t *seed)
{
	return 0x5a5a5a5a5a5a5a5aULL;
}

/* Two buckets (once B > 0) by the key's low bit, two tophashes. */
static u64 hash_two_buckets(const void *key, const siphash_key_t *seed)
{
	u64 k;

	memcpy(&k, key, sizeof(k));
	return k & 1 ? 0xc3c3c3c3c3c3c3c3ULL : 0x3c3c3c3c3c3c3c3cULL;
}

static const struct kvg_map_ops one_bucket_ops = {
	.hash = hash_one_bucket,
	.equal = u64_equal,
};

static const struct kvg_map_ops two_buckets_ops = {
	.hash = hash_two_buckets,
	.equal = u64_equal,
};

static const struct kvg_map_ops *mode_ops(enum hash_mode mode)
{
	if (mode == HASH_ONE)
		return &one_bucket_ops;
	if (mode == HASH_TWO)
		return &two_buckets_ops;
	return NULL;
}

static int map_init_u64(struct kvg_map *m, size_t hint, unsigned int flags,
			const struct kvg_map_ops *ops)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64),
		.val_size = sizeof(u64),
		.hint = hint,
		.ops = ops,
		.gfp = GFP_KERNEL,
		.flags = flags,
	};

	return kvg_map_init(m, &cfg);
}

static int set_u64(struct kvg_map *m, u64 key, u64 val)
{
	return kvg_map_set(m, &key, &val);
}

static u64 *get_u64(const struct kvg_map *m, u64 key)
{
	return kvg_map_get(m, &key);
}

static bool delete_u64(struct kvg_map *m, u64 key)
{
	return kvg_map_delete(m, &key);
}

static unsigned int snap_B(const struct kvg_map *m)
{
	struct kvg_map_stats st;

	kvg_map_snapshot(m, &st);
	return st.B;
}

/*
 * Whether kvg_map_shrink() left B where it should: it halves while the
 * load after halving would be at most half of Go's 6.5, i.e. while
 * count <= 6.5 * 2^B / 4.  An empty map has no array at all.
 */
static bool shrunk_fully(const struct kvg_map_stats *st)
{
	if (!st->count)
		return !st->buckets && !st->B && !st->growing;
	return !st->growing && (!st->B || 8 * st->count > 13 * st->buckets);
}

/* Figures that must agree with each other at any time. */
static bool stats_consistent(struct kunit *test, const struct kvg_map *m)
{
	struct kvg_map_stats st;
	u64 hist[KVG_MAP_HIST_LEN], sum = 0, ovf = 0;
	size_t unevacuated;
	bool ok = true;
	int i;

	kvg_map_snapshot(m, &st);
	kvg_map_chain_histogram(m, hist);
	for (i = 0; i < KVG_MAP_HIST_LEN; i++) {
		sum += hist[i];
		ovf += hist[i] * i;
	}
	unevacuated = st.growing ? st.old_buckets - st.evacuated : 0;
	ok &= st.count == kvg_map_count(m);
	/* No array until the first insert (B = 0, empty). */
	if (st.buckets)
		ok &= st.buckets == (size_t)1 << st.B;
	else
		ok &= !st.B && !st.count && !st.growing;
	ok &= st.evacuated <= st.old_buckets && st.growing == !!st.old_buckets;
	/* Evacuated old buckets beyond the mark are not chains any more. */
	ok &= sum >= st.buckets && sum <= st.buckets + unevacuated;
	if (!hist[KVG_MAP_HIST_LEN - 1])
		ok &= st.overflow == ovf;
	else
		ok &= st.overflow >= ovf;
	ok &= st.load_x100 == (st.buckets ? st.count * 100 / st.buckets : 0);
	ok &= st.bytes_per_entry_x100 ==
	      (st.count ? st.footprint_bytes * 100 / st.count : 0);
	if (!ok)
		KUNIT_FAIL(test,
			   "stats: count %zu B %u buckets %zu old %zu evacuated %zu chains %llu overflow %zu (hist %llu) load %u fp %zu peak %zu per entry %zu",
			   st.count, st.B, st.buckets, st.old_buckets,
			   st.evacuated, sum, st.overflow, ovf, st.load_x100,
			   st.footprint_bytes, st.peak_footprint_bytes,
			   st.bytes_per_entry_x100);
	/* Reported on its own: accounting, not contents. */
	KUNIT_EXPECT_GE_MSG(test, st.peak_footprint_bytes, st.footprint_bytes,
			    "peak below the footprint (B %u growing %d)",
			    st.B, st.growing);
	return ok;
}

/*
 * The blocks a map holds: its arrays (live, old, and the one kept for
 * iterators), overflow buckets linked, kept and spare.
 */
static long map_blocks(const struct kvg_map *m)
{
	return !!m->buckets + !!m->oldbuckets + !!m->zombie + m->noverflow +
	       m->nkept + m->nspare;
}

/* ---- configuration ---- */

static void map_init_rejects_bad_configs(struct kunit *test)
{
	static const struct {
		size_t key_size, val_size;
		int want;
	} cases[] = {
		{ 0, 8, -EINVAL }, { 0, 0, -EINVAL },
		{ KVG_MAP_MAX_INLINE + 1, 8, -EINVAL },
		{ 8, KVG_MAP_MAX_INLINE + 1, -EINVAL },
		{ SIZE_MAX, 8, -EINVAL },
		{ 1, 0, 0 }, { KVG_MAP_MAX_INLINE, KVG_MAP_MAX_INLINE, 0 },
		{ 3, 5, 0 },
	};
	static const struct kvg_map_ops no_equal = { .hash = hash_one_bucket };
	struct kvg_map_cfg cfg = { .gfp = GFP_KERNEL };
	struct kvg_map *m = new_map(test);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		cfg.key_size = cases[i].key_size;
		cfg.val_size = cases[i].val_size;
		KUNIT_EXPECT_EQ_MSG(test, kvg_map_init(m, &cfg), cases[i].want,
				    "key %zu val %zu", cfg.key_size,
				    cfg.val_size);
		if (!cases[i].want)
			kvg_map_destroy(m);
	}
	cfg.key_size = 8;
	cfg.val_size = 8;
	cfg.flags = 0x80;
	KUNIT_EXPECT_EQ(test, kvg_map_init(m, &cfg), -EINVAL);
	cfg.flags = 0;
	cfg.ops = &no_equal;
	KUNIT_EXPECT_EQ(test, kvg_map_init(m, &cfg), -EINVAL);
	cfg.ops = NULL;
	/* A hint past 2^30 buckets. */
	cfg.hint = SIZE_MAX;
	KUNIT_EXPECT_EQ(test, kvg_map_init(m, &cfg), -E2BIG);
	m->count = 77;
	/* A failed init writes nothing. */
	cfg.hint = 1000;
	kvg_fault_fail_nth(1);
	KUNIT_EXPECT_EQ(test, kvg_map_init(m, &cfg), -ENOMEM);
	kvg_fault_fail_nth(0);
	KUNIT_EXPECT_EQ(test, m->count, 77);
	KUNIT_EXPECT_EQ(test, m->key_size, 0);
}

static void map_hint_picks_go_B(struct kunit *test)
{
	static const struct {
		size_t hint;
		unsigned int B;
	} cases[] = {
		{ 0, 0 }, { 1, 0 }, { 8, 0 }, { 9, 1 }, { 13, 1 }, { 14, 2 },
		{ 26, 2 }, { 27, 3 }, { 100, 4 }, { 104, 4 }, { 105, 5 },
		{ 1000, 8 }, { 1664, 8 }, { 1665, 9 }, { 1000000, 18 },
	};
	struct kvg_map *m = new_map(test);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_EXPECT_EQ_MSG(test, kvg_map_hint_B(cases[i].hint),
				    cases[i].B, "hint %zu", cases[i].hint);
		if (cases[i].hint > 100000)
			continue;
		KUNIT_ASSERT_EQ(test, map_init_u64(m, cases[i].hint, 0, NULL),
				0);
		KUNIT_EXPECT_EQ_MSG(test, snap_B(m), cases[i].B, "hint %zu",
				    cases[i].hint);
		kvg_map_destroy(m);
	}
}

/* ---- growth and shrinking thresholds ---- */

/* Insert keys 0..n-1; record the count after each insert that moved B. */
static size_t record_B_changes(struct kunit *test, struct kvg_map *m,
			       size_t n, size_t *at, unsigned int *to,
			       size_t max)
{
	unsigned int B = snap_B(m), nb;
	size_t i, changes = 0;

	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
		nb = snap_B(m);
		if (nb != B && changes < max) {
			at[changes] = kvg_map_count(m);
			to[changes++] = nb;
		}
		B = nb;
	}
	return changes;
}

struct thresholds_case {
	const char *desc;
	unsigned int flags;
	enum hash_mode hash;
};

static const struct thresholds_case thresholds_cases[] = {
	{ "siphash", 0, HASH_SIP },
	{ "siphash go-compat", KVG_MAP_GO_COMPAT, HASH_SIP },
	{ "two buckets", KVG_MAP_ITER_ORDERED, HASH_TWO },
};

static void thresholds_desc(const struct thresholds_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(thresholds, thresholds_cases, thresholds_desc);

/* B goes up exactly where Go 1.19's overLoadFactor says: 13 * 2^(B-1) + 1. */
static void map_grows_at_go_thresholds(struct kunit *test)
{
	static const size_t want[] = {
		9, 14, 27, 53, 105, 209, 417, 833, 1665, 3329,
	};
	const struct thresholds_case *c = test->param_value;
	size_t at[16], i, n, total;
	unsigned int to[16];
	struct kvg_map_stats st;
	struct kvg_map *m = new_map(test);

	/* Two-bucket chains are long: fewer keys, same rule. */
	total = c->hash == HASH_TWO ? 1000 : 5000;
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, c->flags, mode_ops(c->hash)),
			0);
	KUNIT_EXPECT_EQ(test, snap_B(m), 0);
	n = record_B_changes(test, m, total, at, to, ARRAY_SIZE(at));
	for (i = 0; i < min(n, ARRAY_SIZE(want)); i++) {
		if (want[i] > total)
			break;
		KUNIT_EXPECT_EQ_MSG(test, at[i], want[i], "change %zu", i);
		KUNIT_EXPECT_EQ_MSG(test, to[i], i + 1, "change %zu", i);
	}
	/* 8 changes up to 1000 keys, 10 up to 5000. */
	KUNIT_EXPECT_EQ(test, n, c->hash == HASH_TWO ? 8 : 10);
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.count, total);
	KUNIT_EXPECT_EQ(test, st.grows, n);
	KUNIT_EXPECT_EQ(test, st.shrinks, 0);
	for (i = 0; i < total; i++)
		if (!get_u64(m, key_of(i)) || *get_u64(m, key_of(i)) != i) {
			KUNIT_FAIL(test, "key %zu lost", i);
			break;
		}
	stats_consistent(test, m);
	kvg_map_destroy(m);

	/* A hint of 1000 starts at B = 8: the first change is at 1665. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 1000, c->flags,
					   mode_ops(c->hash)), 0);
	n = record_B_changes(test, m, 1700, at, to, ARRAY_SIZE(at));
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, at[0], 1665);
	KUNIT_EXPECT_EQ(test, to[0], 9);
	kvg_map_destroy(m);
}

/*
 * Deleting in insertion order from 5000 keys (B = 10): B only ever drops
 * by one, only when count <= 6.5 * 2^B / 8 (first at 832); whenever no
 * resize is under way the map is not that sparse; the last delete frees
 * everything.  With the Go 1.19 behaviour B never drops.
 */
static void map_shrinks_on_delete(struct kunit *test)
{
	struct kvg_map_stats st;
	struct kvg_map *m = new_map(test);
	unsigned int B, drops = 0;
	size_t i, first = 0;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	for (i = 0; i < 5000; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	B = snap_B(m);
	KUNIT_ASSERT_EQ(test, B, 10);
	for (i = 0; i < 5000; i++) {
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
		kvg_map_snapshot(m, &st);
		if (st.B != B && st.count) {
			KUNIT_EXPECT_EQ_MSG(test, st.B, B - 1, "count %zu",
					    st.count);
			KUNIT_EXPECT_LE_MSG(test, 16 * st.count, 13UL << B,
					    "B %u", B);
			if (!drops++)
				first = st.count;
		}
		if (!st.growing && st.B)
			KUNIT_ASSERT_GT_MSG(test, 16 * st.count, 13UL << st.B,
					    "sparse and idle at B %u", st.B);
		B = st.B;
		/* The remaining keys are all there, now and then. */
		if (i % 97 == 0 && i + 1 < 5000)
			KUNIT_ASSERT_NOT_NULL(test, get_u64(m, key_of(i + 1)));
		if (i % 499 == 0)
			stats_consistent(test, m);
	}
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, first, 832);
	KUNIT_EXPECT_GE(test, drops, 2);
	KUNIT_EXPECT_EQ(test, st.shrinks, drops);
	KUNIT_EXPECT_EQ(test, st.count, 0);
	KUNIT_EXPECT_EQ(test, st.B, 0);
	KUNIT_EXPECT_FALSE(test, st.growing);
	KUNIT_EXPECT_EQ(test, st.overflow, 0);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 0);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	kvg_map_destroy(m);

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO_COMPAT, NULL), 0);
	for (i = 0; i < 5000; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	for (i = 0; i < 5000; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.B, 10);
	KUNIT_EXPECT_EQ(test, st.shrinks, 0);
	stats_consistent(test, m);
	kvg_map_destroy(m);
}

/* A map made too big by its hint halves, on request, to what it needs. */
static void map_shrink_to_fit(struct kunit *test)
{
	struct kvg_map_stats before, st;
	struct kvg_map *m = new_map(test);
	size_t i;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 100000, 0, NULL), 0);
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	kvg_map_snapshot(m, &before);
	KUNIT_EXPECT_EQ(test, before.B, 14);
	KUNIT_ASSERT_EQ(test, kvg_map_shrink(m), 0);
	kvg_map_snapshot(m, &st);
	/* Halves while count <= 6.5 * 2^B / 4: 100 <= 104 at B 6, > 52 at 5. */
	KUNIT_EXPECT_EQ(test, st.B, 5);
	KUNIT_EXPECT_FALSE(test, st.growing);
	KUNIT_EXPECT_EQ(test, st.shrinks, 9);
	KUNIT_EXPECT_LT(test, st.footprint_bytes * 64, before.footprint_bytes);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, *get_u64(m, key_of(i)), i);
	KUNIT_EXPECT_NULL(test, get_u64(m, key_of(100)));
	/* Nothing more to do. */
	KUNIT_ASSERT_EQ(test, kvg_map_shrink(m), 0);
	KUNIT_EXPECT_EQ(test, snap_B(m), 5);
	stats_consistent(test, m);
	/* No thrash: deleting a few more does not halve again (26 at B 5). */
	for (i = 0; i < 70; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	KUNIT_EXPECT_EQ(test, snap_B(m), 5);
	KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(70)));
	KUNIT_EXPECT_EQ(test, snap_B(m), 5);
	KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(71)));
	KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(72)));
	KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(73)));
	KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(74)));
	/* It halved at 26 left: 26 <= 6.5 * 32 / 8. */
	KUNIT_EXPECT_EQ(test, snap_B(m), 4);
	/* An empty map gives back everything. */
	for (i = 75; i < 100; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	KUNIT_ASSERT_EQ(test, kvg_map_shrink(m), 0);
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 0);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	kvg_map_destroy(m);
}

/* ---- accounting ---- */

static void map_accounting(struct kunit *test)
{
	struct kvg_map_stats st;
	struct kvg_map *m = new_map(test);
	size_t i;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 1000, 0, NULL), 0);
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.count, 1000);
	KUNIT_EXPECT_EQ(test, st.key_size, 8);
	KUNIT_EXPECT_EQ(test, st.val_size, 8);
	KUNIT_EXPECT_EQ(test, st.B, 8);
	KUNIT_EXPECT_EQ(test, st.buckets, 256);
	KUNIT_EXPECT_FALSE(test, st.growing);
	KUNIT_EXPECT_EQ(test, st.grows, 0);
	KUNIT_EXPECT_EQ(test, st.same_size_grows, 0);
	KUNIT_EXPECT_EQ(test, st.failed_allocs, 0);
	KUNIT_EXPECT_EQ(test, st.load_x100, 390);
	/*
	 * 256 buckets of 8 tophash bytes, 8 keys, 8 values and a pointer:
	 * 36 KiB, an order-4 block; overflow buckets from kmalloc-192.
	 */
	KUNIT_EXPECT_EQ(test, m->bucket_size, 144);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes,
			65536 + (st.overflow + m->nspare) * 192);
	KUNIT_EXPECT_EQ(test, st.bytes_per_entry_x100,
			st.footprint_bytes * 100 / 1000);
	stats_consistent(test, m);

	kvg_map_clear(m);
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.count, 0);
	KUNIT_EXPECT_EQ(test, st.B, 0);
	KUNIT_EXPECT_EQ(test, st.overflow, 0);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 0);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	KUNIT_EXPECT_GE(test, st.peak_footprint_bytes, 65536);
	KUNIT_EXPECT_NULL(test, get_u64(m, key_of(5)));
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i + 1), 0);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, *get_u64(m, key_of(i)), i + 1);
	KUNIT_EXPECT_EQ(test, kvg_map_count(m), 100);
	stats_consistent(test, m);
	kvg_map_destroy(m);
}

/* Adversarial chains, as the histogram and the overflow count show them. */
static void map_chain_histogram(struct kunit *test)
{
	u64 hist[KVG_MAP_HIST_LEN];
	struct kvg_map_stats st;
	struct kvg_map *m = new_map(test);
	size_t i;

	/* 100 keys in one bucket of 16: a chain of 13, 12 overflow. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 100, 0, &one_bucket_ops), 0);
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	kvg_map_snapshot(m, &st);
	kvg_map_chain_histogram(m, hist);
	KUNIT_EXPECT_EQ(test, st.B, 4);
	KUNIT_EXPECT_EQ(test, st.overflow, 12);
	KUNIT_EXPECT_EQ(test, hist[0], 15);
	KUNIT_EXPECT_EQ(test, hist[8], 1);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, *get_u64(m, key_of(i)), i);

	/* 90 deleted: the emptied overflow buckets go ... */
	for (i = 0; i < 90; i++) {
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
		if (i == 79) {
			kvg_map_snapshot(m, &st);
			/*
			 * 20 left, B still 4: the array's bucket (empty) and
			 * the 3 overflow buckets holding keys 80..99.
			 */
			kvg_map_chain_histogram(m, hist);
			KUNIT_EXPECT_EQ(test, st.B, 4);
			KUNIT_EXPECT_EQ(test, st.overflow, 3);
			KUNIT_EXPECT_EQ(test, hist[3], 1);
		}
	}
	/* ... and B halves: to 2, where 10 > 6.5 * 4 / 4. */
	KUNIT_ASSERT_EQ(test, kvg_map_shrink(m), 0);
	kvg_map_snapshot(m, &st);
	kvg_map_chain_histogram(m, hist);
	KUNIT_EXPECT_EQ(test, st.B, 2);
	KUNIT_EXPECT_EQ(test, st.overflow, 1);
	KUNIT_EXPECT_EQ(test, hist[0], 3);
	KUNIT_EXPECT_EQ(test, hist[1], 1);
	for (i = 90; i < 100; i++)
		KUNIT_EXPECT_EQ(test, *get_u64(m, key_of(i)), i);
	stats_consistent(test, m);
	kvg_map_destroy(m);

	/* Go 1.19 keeps every overflow bucket and every bucket. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 100, KVG_MAP_GO_COMPAT,
					   &one_bucket_ops), 0);
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	for (i = 0; i < 90; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	kvg_map_snapshot(m, &st);
	kvg_map_chain_histogram(m, hist);
	KUNIT_EXPECT_EQ(test, st.B, 4);
	KUNIT_EXPECT_EQ(test, st.overflow, 12);
	KUNIT_EXPECT_EQ(test, hist[8], 1);
	stats_consistent(test, m);
	kvg_map_destroy(m);
}

/* ---- contents against a reference model ---- */

struct model {
	size_t n;		/* keys key_of(0 .. n - 1) */
	size_t count;
	u8 *present;
	u64 *val;
	u8 *seen;		/* scratch for iteration */
};

static void model_init(struct kunit *test, struct model *md, size_t n)
{
	md->n = n;
	md->count = 0;
	md->present = kunit_kzalloc(test, n, GFP_KERNEL);
	md->seen = kunit_kzalloc(test, n, GFP_KERNEL);
	md->val = kunit_kcalloc(test, n, sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, md->present);
	KUNIT_ASSERT_NOT_NULL(test, md->seen);
	KUNIT_ASSERT_NOT_NULL(test, md->val);
}

static void model_clear(struct model *md)
{
	memset(md->present, 0, md->n);
	md->count = 0;
}

/* The map holds exactly the model's entries (every key is looked up). */
static bool map_matches_model(struct kunit *test, const struct kvg_map *m,
			      const struct model *md)
{
	size_t i;
	u64 *v;

	if (kvg_map_count(m) != md->count) {
		KUNIT_FAIL(test, "count %zu, model %zu", kvg_map_count(m),
			   md->count);
		return false;
	}
	for (i = 0; i < md->n; i++) {
		v = get_u64(m, key_of(i));
		if (!v != !md->present[i] || (v && *v != md->val[i])) {
			KUNIT_FAIL(test, "key %zu: %s, model %s %llu", i,
				   v ? "present" : "absent",
				   md->present[i] ? "present" : "absent",
				   md->val[i]);
			return false;
		}
	}
	return stats_consistent(test, m);
}

/* A whole iteration returns each of the model's entries exactly once. */
static bool iter_matches_model(struct kunit *test, struct kvg_map *m,
			       const struct model *md)
{
	struct kvg_map_iter it;
	size_t n = 0, idx;
	void *k, *v;
	u64 key, val;

	memset(md->seen, 0, md->n);
	kvg_map_iter_start(&it, m);
	while (kvg_map_iter_next(&it, &k, &v)) {
		memcpy(&key, k, sizeof(key));
		memcpy(&val, v, sizeof(val));
		idx = idx_of(key);
		if (idx >= md->n || !md->present[idx] || md->seen[idx] ||
		    val != md->val[idx]) {
			KUNIT_FAIL(test, "iteration returned key %zu (%s%s)",
				   idx, idx < md->n && md->seen[idx] ?
				   "again" : "", idx < md->n &&
				   !md->present[idx] ? "absent" : "");
			kvg_map_iter_stop(&it);
			return false;
		}
		md->seen[idx] = 1;
		n++;
	}
	kvg_map_iter_stop(&it);
	kvg_map_iter_stop(&it);
	if (n != md->count) {
		KUNIT_FAIL(test, "iteration returned %zu of %zu", n,
			   md->count);
		return false;
	}
	return true;
}

enum map_op {
	OP_SET, OP_ASSIGN, OP_DELETE, OP_GET, OP_ITER, OP_SHRINK, OP_CLEAR,
};

static const char *const op_names[] = {
	"set", "assign", "delete", "get", "iterate", "shrink", "clear",
};

/*
 * Apply @op on key @idx to the map, and to the model if it succeeded.
 * Returns 0, the map's error (-ENOMEM, the model untouched), or -EFAULT
 * after reporting a disagreement.
 */
static int model_step(struct kunit *test, struct kvg_map *m,
		      struct model *md, enum map_op op, size_t idx, u64 val)
{
	u64 key = key_of(idx), *p;
	void *vp = NULL;
	struct kvg_map_stats st;
	int ret = 0;

	switch (op) {
	case OP_SET:
		ret = kvg_map_set(m, &key, &val);
		if (ret)
			break;
		md->count += !md->present[idx];
		md->present[idx] = 1;
		md->val[idx] = val;
		break;
	case OP_ASSIGN:
		ret = kvg_map_assign(m, &key, &vp);
		if (ret < 0)
			break;
		p = vp;
		if (ret != !md->present[idx] || !p ||
		    *p != (ret ? 0 : md->val[idx])) {
			KUNIT_FAIL(test, "assign key %zu: %d, model %s", idx,
				   ret, md->present[idx] ? "present" : "absent");
			return -EFAULT;
		}
		*p = val;
		ret = 0;
		md->count += !md->present[idx];
		md->present[idx] = 1;
		md->val[idx] = val;
		break;
	case OP_DELETE:
		if (kvg_map_delete(m, &key) != !!md->present[idx]) {
			KUNIT_FAIL(test, "delete key %zu disagrees", idx);
			return -EFAULT;
		}
		md->count -= md->present[idx];
		md->present[idx] = 0;
		break;
	case OP_GET:
		break;	/* the check below is the lookup */
	case OP_ITER:
		if (!iter_matches_model(test, m, md))
			return -EFAULT;
		break;
	case OP_SHRINK:
		ret = kvg_map_shrink(m);
		if (ret)
			break;
		kvg_map_snapshot(m, &st);
		if (!(m->flags & KVG_MAP_GO_COMPAT) && !shrunk_fully(&st)) {
			KUNIT_FAIL(test, "shrink left B %u for %zu (growing %d)",
				   st.B, st.count, st.growing);
			return -EFAULT;
		}
		break;
	case OP_CLEAR:
		kvg_map_clear(m);
		model_clear(md);
		kvg_map_snapshot(m, &st);
		if (st.B || st.growing || st.overflow) {
			KUNIT_FAIL(test, "clear left B %u overflow %zu",
				   st.B, st.overflow);
			return -EFAULT;
		}
		break;
	}
	/* The key touched agrees with the model, and so does the count. */
	p = kvg_map_get(m, &key);
	if (!p != !md->present[idx] || (p && *p != md->val[idx]) ||
	    kvg_map_count(m) != md->count) {
		KUNIT_FAIL(test, "after %s (%d) key %zu: %s, model %s; count %zu, model %zu",
			   op_names[op], ret, idx, p ? "present" : "absent",
			   md->present[idx] ? "present" : "absent",
			   kvg_map_count(m), md->count);
		return -EFAULT;
	}
	return ret;
}

/*
 * A random op, in phases: inserts dominate for a while, then deletes, so
 * the map climbs up and down through several B.
 */
static enum map_op pick_op(u64 *s, size_t step, size_t phase)
{
	u32 r = rnd(s) % 1000;
	bool filling = step / phase % 2 == 0;

	if (r < (filling ? 300 : 20))
		return OP_SET;
	if (r < (filling ? 550 : 30))
		return OP_ASSIGN;
	if (r < (filling ? 700 : 830))
		return OP_DELETE;
	if (r < 995)
		return OP_GET;
	if (r < 998)
		return OP_ITER;
	if (r < 999)
		return OP_SHRINK;
	return rnd(s) % 64 ? OP_GET : OP_CLEAR;
}

struct model_case {
	const char *desc;
	enum hash_mode hash;
	unsigned int flags;
	size_t keys;		/* the model's key universe */
	u64 seed;
};

static const struct model_case model_cases[] = {
	{ "siphash", HASH_SIP, 0, 2048, 1 },
	{ "siphash ordered", HASH_SIP, KVG_MAP_ITER_ORDERED, 2048, 2 },
	{ "siphash go-compat", HASH_SIP, KVG_MAP_GO_COMPAT, 2048, 3 },
	{ "one bucket", HASH_ONE, 0, 200, 4 },
	{ "one bucket go-compat", HASH_ONE, KVG_MAP_GO_COMPAT, 200, 5 },
	{ "two buckets", HASH_TWO, KVG_MAP_ITER_ORDERED, 300, 6 },
	{ "two buckets go-compat", HASH_TWO, KVG_MAP_GO_COMPAT, 300, 7 },
};

static void model_desc(const struct model_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(model, model_cases, model_desc);

static void map_matches_reference_model(struct kunit *test)
{
	const struct model_case *c = test->param_value;
	bool go = c->flags & KVG_MAP_GO_COMPAT;
	struct kvg_map_stats before, st;
	unsigned int max_B = 0, delete_shrinks = 0;
	struct model md;
	struct kvg_map *m = new_map(test);
	u64 s = c->seed;
	size_t step, phase = c->keys * 4;

	model_init(test, &md, c->keys);
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, c->flags, mode_ops(c->hash)),
			0);
	kvg_map_snapshot(m, &st);
	for (step = 0; step < MODEL_OPS; step++) {
		enum map_op op = pick_op(&s, step, phase);
		size_t idx = rnd(&s) % c->keys;
		u64 val = (u64)rnd(&s) << 32 | rnd(&s);

		before = st;
		KUNIT_ASSERT_EQ_MSG(test, model_step(test, m, &md, op, idx,
						     val), 0,
				    "step %zu %s", step, op_names[op]);
		kvg_map_snapshot(m, &st);
		max_B = max(max_B, st.B);
		if (op == OP_DELETE && st.B < before.B) {
			/* Halving by one, or everything freed at 0. */
			KUNIT_ASSERT_FALSE_MSG(test, go, "step %zu", step);
			KUNIT_ASSERT_TRUE_MSG(test, st.B == before.B - 1 ||
					      !st.count, "step %zu", step);
			delete_shrinks++;
		}
		/* Go 1.19 gives nothing back on delete (evacuation may). */
		if (go && op == OP_DELETE && !before.growing)
			KUNIT_ASSERT_GE_MSG(test, st.overflow, before.overflow,
					    "step %zu", step);
		if (step % 4096 == 0)
			KUNIT_ASSERT_TRUE_MSG(test,
					      map_matches_model(test, m, &md),
					      "step %zu", step);
	}
	KUNIT_ASSERT_TRUE(test, map_matches_model(test, m, &md));
	KUNIT_ASSERT_TRUE(test, iter_matches_model(test, m, &md));
	kvg_map_snapshot(m, &st);
	kunit_info(test, "max B %u, %llu grows, %llu same-size, %llu shrinks (%u on delete)\n",
		   max_B, st.grows, st.same_size_grows, st.shrinks,
		   delete_shrinks);
	/* The run went up and down: it grew, and shrank unless Go's. */
	KUNIT_EXPECT_GE(test, st.grows, 3);
	KUNIT_EXPECT_GE(test, max_B, 4);
	if (!go)
		KUNIT_EXPECT_GE(test, delete_shrinks, 1);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), map_blocks(m));
	kvg_map_destroy(m);
}

/* ---- iteration ---- */

/* ITER_ORDERED starts at bucket 0, slot 0: a B = 0 map in insert order. */
static void map_iter_ordered_is_deterministic(struct kunit *test)
{
	struct kvg_map_iter it;
	struct kvg_map *m = new_map(test);
	u64 *first, key;
	size_t i, n;
	void *k, *v;
	bool differ = false;
	int round;

	first = kunit_kmalloc_array(test, 2000, sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, first);

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_ITER_ORDERED, NULL),
			0);
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	KUNIT_EXPECT_EQ(test, snap_B(m), 0);
	n = 0;
	kvg_map_iter_start(&it, m);
	while (kvg_map_iter_next(&it, &k, &v)) {
		memcpy(&key, k, sizeof(key));
		KUNIT_EXPECT_EQ(test, key, key_of(n));
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 8);
	/* Done means done, and stopping is idempotent. */
	KUNIT_EXPECT_FALSE(test, kvg_map_iter_next(&it, &k, &v));
	kvg_map_iter_stop(&it);
	kvg_map_iter_stop(&it);

	/* Bigger: the same order every time. */
	for (i = 8; i < 2000; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	for (round = 0; round < 3; round++) {
		n = 0;
		kvg_map_iter_start(&it, m);
		while (kvg_map_iter_next(&it, &k, &v)) {
			memcpy(&key, k, sizeof(key));
			if (!round)
				first[n] = key;
			else if (first[n] != key)
				differ = true;
			n++;
		}
		kvg_map_iter_stop(&it);
		KUNIT_EXPECT_EQ(test, n, 2000);
	}
	KUNIT_EXPECT_FALSE(test, differ);
	kvg_map_destroy(m);

	/* Without the flag, Go's random start: some first key differs. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	for (i = 0; i < 2000; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	for (round = 0; round < 4; round++) {
		kvg_map_iter_start(&it, m);
		KUNIT_ASSERT_TRUE(test, kvg_map_iter_next(&it, &k, &v));
		memcpy(&key, k, sizeof(key));
		if (!round)
			first[0] = key;
		else if (key != first[0])
			differ = true;
		kvg_map_iter_stop(&it);
	}
	KUNIT_EXPECT_TRUE(test, differ);
	kvg_map_destroy(m);
}

/*
 * An iteration with writes between next() calls, checked against the
 * guarantees: an entry present throughout comes exactly once, one deleted
 * before it was reached never, one inserted meanwhile at most once, and
 * whatever comes is present with its current value.
 */
#define ITER_KEYS	6000

/* Per key, in struct iter_run.flags. */
#define IK_AT_START	0x1	/* present when the iteration started */
#define IK_GONE_UNSEEN	0x2	/* deleted before the iteration reached it */
#define IK_DELETED	0x4

struct iter_run {
	struct kvg_map *m;
	struct kvg_map_iter it;
	struct model md;	/* md.seen: returned by this iteration */
	u8 *flags;
	size_t next_fresh;	/* the next never-used key */
	size_t cursor;		/* where deletes look for a present key */
	size_t update_cursor;
	size_t returned;
};

/* A fresh run; the model's arrays are allocated once and reused. */
static void iter_run_init(struct kunit *test, struct iter_run *r,
			  enum hash_mode hash, unsigned int flags)
{
	if (!r->flags) {
		r->m = new_map(test);
		model_init(test, &r->md, ITER_KEYS);
		r->flags = kunit_kzalloc(test, ITER_KEYS, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r->flags);
	}
	model_clear(&r->md);
	memset(r->md.seen, 0, ITER_KEYS);
	memset(r->flags, 0, ITER_KEYS);
	r->next_fresh = 0;
	r->cursor = 0;
	r->update_cursor = 0;
	r->returned = 0;
	KUNIT_ASSERT_EQ(test, map_init_u64(r->m, 0, flags, mode_ops(hash)),
			0);
}

static void iter_insert_fresh(struct kunit *test, struct iter_run *r)
{
	size_t idx = r->next_fresh;

	if (idx >= r->md.n)
		return;
	r->next_fresh++;
	KUNIT_ASSERT_EQ(test, model_step(test, r->m, &r->md, OP_SET, idx,
					 idx ^ 0xabcdef), 0);
}

static void iter_delete_idx(struct kunit *test, struct iter_run *r,
			    size_t idx)
{
	if (!r->md.present[idx])
		return;
	if (!r->md.seen[idx])
		r->flags[idx] |= IK_GONE_UNSEEN;
	r->flags[idx] |= IK_DELETED;
	KUNIT_ASSERT_EQ(test, model_step(test, r->m, &r->md, OP_DELETE, idx,
					 0), 0);
}

/* Delete the next present key from the cursor on; every 8th is kept. */
static void iter_delete_one(struct kunit *test, struct iter_run *r)
{
	size_t tries, idx;

	for (tries = 0; tries < r->next_fresh; tries++) {
		idx = r->cursor++ % r->next_fresh;
		if (r->md.present[idx] && idx % 8 != 7) {
			iter_delete_idx(test, r, idx);
			return;
		}
	}
}

/* Overwrite a present key's value: a write that moves no count. */
static void iter_update_one(struct kunit *test, struct iter_run *r)
{
	size_t tries, idx;

	for (tries = 0; tries < r->next_fresh; tries++) {
		idx = r->update_cursor++ % r->next_fresh;
		if (r->md.present[idx]) {
			KUNIT_ASSERT_EQ(test, model_step(test, r->m, &r->md,
							 OP_SET, idx,
							 r->md.val[idx] + 1),
					0);
			return;
		}
	}
}

static void iter_run_start(struct iter_run *r)
{
	size_t i;

	for (i = 0; i < r->next_fresh; i++)
		r->flags[i] = r->md.present[i] ? IK_AT_START : 0;
	memset(r->md.seen, 0, r->md.n);
	r->returned = 0;
	kvg_map_iter_start(&r->it, r->m);
}

/* One next(), checked.  Returns whether it returned an entry. */
static bool iter_run_next(struct kunit *test, struct iter_run *r)
{
	void *k, *v;
	u64 key, val;
	size_t idx;

	if (!kvg_map_iter_next(&r->it, &k, &v))
		return false;
	memcpy(&key, k, sizeof(key));
	memcpy(&val, v, sizeof(val));
	idx = idx_of(key);
	KUNIT_ASSERT_LT_MSG(test, idx, r->next_fresh, "bad key returned");
	KUNIT_ASSERT_TRUE_MSG(test, r->md.present[idx],
			      "key %zu returned after its delete%s", idx,
			      r->flags[idx] & IK_GONE_UNSEEN ? " (unseen)" :
			      "");
	KUNIT_ASSERT_EQ_MSG(test, val, r->md.val[idx], "key %zu", idx);
	KUNIT_ASSERT_EQ_MSG(test, r->md.seen[idx], 0,
			    "key %zu returned twice", idx);
	r->md.seen[idx] = 1;
	r->returned++;
	return true;
}

static void iter_run_finish(struct kunit *test, struct iter_run *r)
{
	size_t i, n;

	kvg_map_iter_stop(&r->it);
	for (i = 0; i < r->next_fresh; i++) {
		if ((r->flags[i] & IK_AT_START) &&
		    !(r->flags[i] & IK_DELETED) && r->md.seen[i] != 1) {
			KUNIT_FAIL(test, "key %zu, there throughout, not returned",
				   i);
			break;
		}
		if ((r->flags[i] & IK_GONE_UNSEEN) && r->md.seen[i]) {
			KUNIT_FAIL(test, "key %zu returned, deleted unseen", i);
			break;
		}
	}
	/*
	 * Once the iterator is gone the old array kept for it is freed; the
	 * old chains kept in a resize still under way go when it ends.
	 */
	KUNIT_EXPECT_PTR_EQ(test, r->m->zombie, NULL);
	if (!r->m->oldbuckets)
		KUNIT_EXPECT_EQ(test, r->m->nkept, 0);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), map_blocks(r->m));
	/* The keys used, and a few never used. */
	n = r->md.n;
	r->md.n = min(r->next_fresh + 16, n);
	KUNIT_EXPECT_TRUE(test, map_matches_model(test, r->m, &r->md));
	KUNIT_EXPECT_TRUE(test, iter_matches_model(test, r->m, &r->md));
	r->md.n = n;
	kvg_map_destroy(r->m);
}

/* What a scenario must make happen while the iterator lives. */
#define IT_GROWS	0x1	/* a doubling starts */
#define IT_FINISHES	0x2	/* the resize under way at the start ends */
#define IT_MID_RESIZE	0x4	/* the iteration starts in a resize */

struct iter_case {
	const char *desc;
	enum hash_mode hash;
	unsigned int flags;
	size_t initial;		/* keys inserted before the iteration */
	size_t predelete;	/* of which deleted again before it */
	bool settle;		/* finish any resize before starting */
	size_t burst_at;	/* next() calls before the burst */
	size_t burst_insert;	/* fresh keys the burst inserts */
	size_t burst_delete;	/* present keys the burst deletes */
	size_t burst_update;	/* present keys the burst overwrites */
	unsigned int each_insert;	/* fresh keys inserted after each next() */
	unsigned int each_delete;	/* keys deleted after each next() */
	unsigned int expect;	/* IT_* */
};

static const struct iter_case iter_cases[] = {
	/* Insert enough mid-iteration to double and finish. */
	{ "grow burst", HASH_SIP, 0, 100, 0, true, 10, 2000, 20, 0, 0, 0,
	  IT_GROWS },
	{ "grow burst ordered", HASH_SIP, KVG_MAP_ITER_ORDERED, 100, 0, true,
	  10, 2000, 20, 0, 0, 0, IT_GROWS },
	{ "grow burst go-compat", HASH_SIP, KVG_MAP_GO_COMPAT, 100, 0, true,
	  10, 2000, 20, 0, 0, 0, IT_GROWS },
	{ "grow interleaved", HASH_SIP, 0, 50, 0, true, 0, 0, 0, 0, 3, 0,
	  IT_GROWS },
	{ "grow interleaved ordered", HASH_SIP, KVG_MAP_ITER_ORDERED, 50, 0,
	  true, 0, 0, 0, 0, 3, 1, IT_GROWS },
	/* Started in the middle of a doubling (105 keys: B 4 -> 5). */
	{ "mid-grow", HASH_SIP, 0, 105, 0, false, 5, 0, 30, 60, 0, 0,
	  IT_MID_RESIZE | IT_FINISHES },
	{ "mid-grow ordered", HASH_SIP, KVG_MAP_ITER_ORDERED, 105, 0, false,
	  5, 10, 0, 60, 1, 0, IT_MID_RESIZE | IT_FINISHES },
	{ "mid-grow interleaved", HASH_SIP, 0, 833, 0, false, 0, 0, 0, 0, 1, 1,
	  IT_MID_RESIZE | IT_FINISHES },
	/* Delete most keys mid-iteration. */
	{ "delete most", HASH_SIP, 0, 3000, 0, true, 10, 0, 2900, 0, 0, 0, 0 },
	{ "delete most ordered", HASH_SIP, KVG_MAP_ITER_ORDERED, 3000, 0, true,
	  10, 0, 2900, 0, 0, 0, 0 },
	{ "delete interleaved", HASH_SIP, 0, 3000, 0, true, 0, 0, 0, 0, 0, 5,
	  0 },
	/* Started in the middle of a halving (3000 -> 416 keys: B 9 -> 8). */
	{ "mid-shrink", HASH_SIP, 0, 3000, 2584, false, 20, 0, 300, 600, 0, 0,
	  IT_MID_RESIZE | IT_FINISHES },
	{ "mid-shrink ordered", HASH_SIP, KVG_MAP_ITER_ORDERED, 3000, 2584,
	  false, 20, 0, 300, 600, 0, 1, IT_MID_RESIZE | IT_FINISHES },
	{ "mid-shrink interleaved", HASH_SIP, 0, 3000, 2584, false, 0, 0, 0,
	  0, 1, 2, IT_MID_RESIZE },
	/* Long chains: slots and overflow buckets freed under the iterator. */
	{ "one bucket grow", HASH_ONE, 0, 60, 0, true, 20, 300, 10, 0, 0, 0,
	  IT_GROWS },
	{ "one bucket delete most", HASH_ONE, KVG_MAP_ITER_ORDERED, 300, 0,
	  true, 20, 0, 250, 0, 0, 0, 0 },
	{ "one bucket interleaved", HASH_ONE, 0, 300, 0, true, 0, 0, 0, 0, 1,
	  2, 0 },
	{ "one bucket mid-shrink", HASH_ONE, 0, 300, 282, false, 3, 0, 5, 40,
	  0, 0, IT_MID_RESIZE | IT_FINISHES },
	{ "two buckets grow", HASH_TWO, KVG_MAP_ITER_ORDERED, 60, 0, true, 20,
	  400, 10, 0, 0, 0, IT_GROWS },
	{ "two buckets mid-grow", HASH_TWO, 0, 105, 0, false, 3, 0, 10, 40, 0,
	  1, IT_MID_RESIZE | IT_FINISHES },
	{ "two buckets mid-shrink", HASH_TWO, 0, 400, 350, false, 7, 0, 10, 40,
	  0, 0, IT_MID_RESIZE | IT_FINISHES },
};

static void iter_desc(const struct iter_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(iter, iter_cases, iter_desc);

static void map_iter_survives_resizes(struct kunit *test)
{
	const struct iter_case *c = test->param_value;
	struct kvg_map_stats first, st;
	struct iter_run *r;
	size_t i, calls = 0;
	bool saw_growing = false;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	iter_run_init(test, r, c->hash, c->flags);
	for (i = 0; i < c->initial; i++)
		iter_insert_fresh(test, r);
	for (i = 0; i < c->predelete; i++)
		iter_delete_idx(test, r, i);
	if (c->settle)
		KUNIT_ASSERT_EQ(test, kvg_map_shrink(r->m), 0);
	kvg_map_snapshot(r->m, &first);
	KUNIT_ASSERT_EQ(test, first.growing, !!(c->expect & IT_MID_RESIZE));
	r->cursor = c->predelete;

	iter_run_start(r);
	/* No resize starts while iterators live: shrinking is refused. */
	KUNIT_EXPECT_EQ(test, kvg_map_shrink(r->m), -EBUSY);
	for (;;) {
		if (calls == c->burst_at) {
			for (i = 0; i < c->burst_insert; i++)
				iter_insert_fresh(test, r);
			for (i = 0; i < c->burst_delete; i++)
				iter_delete_one(test, r);
			for (i = 0; i < c->burst_update; i++)
				iter_update_one(test, r);
		}
		if (calls >= c->burst_at) {
			for (i = 0; i < c->each_insert; i++)
				iter_insert_fresh(test, r);
			for (i = 0; i < c->each_delete; i++)
				iter_delete_one(test, r);
		}
		kvg_map_snapshot(r->m, &st);
		saw_growing |= st.growing;
		calls++;
		if (!iter_run_next(test, r))
			break;
	}
	/* Still the iteration's figures: it stopped, nothing released yet. */
	if (c->expect & IT_GROWS)
		KUNIT_EXPECT_GT(test, st.grows, first.grows);
	if (c->expect & IT_FINISHES)
		KUNIT_EXPECT_FALSE(test, st.growing);
	if (c->each_insert && (c->expect & IT_GROWS))
		KUNIT_EXPECT_TRUE(test, saw_growing);
	KUNIT_EXPECT_GT(test, r->returned, 0);
	iter_run_finish(test, r);
}

/*
 * Random writes between next() calls, from random starting points (often
 * in the middle of a resize), across the hash distributions.
 */
static void map_iter_random_writes(struct kunit *test)
{
	static const enum hash_mode modes[] = { HASH_SIP, HASH_TWO, HASH_ONE };
	static const unsigned int flag_sets[] = {
		0, KVG_MAP_ITER_ORDERED, KVG_MAP_GO_COMPAT,
	};
	unsigned int round, mid_resize = 0, w, writes;
	struct iter_run *r;
	struct kvg_map_stats st;
	size_t i, initial;
	u64 s = 99;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (round = 0; round < 150; round++) {
		enum hash_mode mode = modes[round % 3];

		iter_run_init(test, r, mode, flag_sets[round / 3 % 3]);
		initial = rnd(&s) % (mode == HASH_SIP ? 2000 : 200);
		for (i = 0; i < initial; i++)
			iter_insert_fresh(test, r);
		switch (round / 9 % 3) {
		case 0:
			/* Up to a doubling just started. */
			do {
				iter_insert_fresh(test, r);
				kvg_map_snapshot(r->m, &st);
			} while (!st.growing && r->next_fresh < ITER_KEYS);
			break;
		case 1:
			/* Deletes: maybe a halving under way. */
			for (i = rnd(&s) % (initial + 1); i; i--)
				iter_delete_idx(test, r, rnd(&s) % initial);
			break;
		}
		kvg_map_snapshot(r->m, &st);
		mid_resize += st.growing;
		iter_run_start(r);
		writes = rnd(&s) % 6;
		do {
			for (w = 0; w < writes; w++) {
				u32 x = rnd(&s) % 10;

				if (x < 4)
					iter_insert_fresh(test, r);
				else if (x < 8 && r->next_fresh)
					iter_delete_idx(test, r, rnd(&s) %
							r->next_fresh);
				else
					iter_update_one(test, r);
			}
		} while (iter_run_next(test, r));
		iter_run_finish(test, r);
	}
	/* The random starts did include resizes under way. */
	KUNIT_EXPECT_GT(test, mid_resize, 10);
}

/*
 * The overflow bucket the iterator stands in is emptied under it, and new
 * keys are inserted (they would take any bucket given back): the rest of
 * the chain still comes, exactly once.
 */
static void map_iter_chain_emptied_under_it(struct kunit *test)
{
	struct kvg_map *m = new_map(test);
	struct kvg_map_iter it;
	u8 seen[100] = { };
	size_t i, n = 0, idx;
	void *k, *v;
	u64 key;

	/* One chain of 13 buckets: keys 8j .. 8j + 7 in its bucket j. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 100, KVG_MAP_ITER_ORDERED,
					   &one_bucket_ops), 0);
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	kvg_map_iter_start(&it, m);
	for (i = 0; i < 20; i++) {
		KUNIT_ASSERT_TRUE(test, kvg_map_iter_next(&it, &k, &v));
		memcpy(&key, k, sizeof(key));
		KUNIT_ASSERT_EQ(test, idx_of(key), i);
		seen[i] = 1;
	}
	/* Empty bucket 2 (keys 16..23), where the iterator is, and 3. */
	for (i = 16; i < 32; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	for (i = 1000; i < 1040; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	while (kvg_map_iter_next(&it, &k, &v)) {
		memcpy(&key, k, sizeof(key));
		idx = idx_of(key);
		if (idx >= 1000 && idx < 1040)
			continue;	/* inserted meanwhile: may come */
		KUNIT_ASSERT_LT(test, idx, 100);
		KUNIT_ASSERT_FALSE_MSG(test, idx >= 16 && idx < 32,
				       "deleted key %zu returned", idx);
		KUNIT_ASSERT_EQ_MSG(test, seen[idx], 0, "key %zu again", idx);
		seen[idx] = 1;
		n++;
	}
	kvg_map_iter_stop(&it);
	KUNIT_EXPECT_EQ(test, n, 68);
	for (i = 32; i < 100; i++)
		KUNIT_EXPECT_EQ_MSG(test, seen[i], 1, "key %zu", i);
	/* Afterwards the emptied buckets go. */
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), map_blocks(m));
	stats_consistent(test, m);
	kvg_map_destroy(m);
}

/*
 * Under a constant hash every key is in one chain, and in Go mode, or
 * while an iterator lives, emptied overflow buckets stay in it.  Deleting
 * all keys but the last leaves a run of EMPTY_ONE slots; deleting the last
 * turns them all into EMPTY_REST.  No delete may walk more than twice the
 * chain for that: Go's walk back from each bucket to its predecessor
 * was quadratic (125,000 buckets for this chain of 500).
 */
#define LONG_CHAIN	4000

static void map_delete_in_long_chain_is_linear(struct kunit *test)
{
	static const unsigned int flags[] = { KVG_MAP_GO_COMPAT, 0 };
	const unsigned long bound = 2 * (LONG_CHAIN / KVG_MAP_SLOTS) + 2;
	unsigned long before, steps, most;
	struct kvg_map_iter it;
	struct kvg_map_stats st;
	struct kvg_map *m;
	unsigned int f;
	size_t i;

	for (f = 0; f < ARRAY_SIZE(flags); f++) {
		m = new_map(test);
		KUNIT_ASSERT_EQ(test, map_init_u64(m, LONG_CHAIN, flags[f],
						   &one_bucket_ops), 0);
		for (i = 0; i < LONG_CHAIN; i++)
			KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
		kvg_map_snapshot(m, &st);
		KUNIT_ASSERT_EQ(test, st.overflow, LONG_CHAIN / KVG_MAP_SLOTS - 1);
		KUNIT_ASSERT_FALSE(test, st.growing);
		/* Without Go mode an iterator keeps the emptied buckets. */
		if (!(flags[f] & KVG_MAP_GO_COMPAT))
			kvg_map_iter_start(&it, m);
		most = 0;
		for (i = 0; i < LONG_CHAIN; i++) {
			before = kvg_map_mark_steps();
			KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
			steps = kvg_map_mark_steps() - before;
			most = max(most, steps);
		}
		KUNIT_EXPECT_LE_MSG(test, most, bound, "flags %u", flags[f]);
		/* The chain still works: a key goes in and comes back. */
		KUNIT_EXPECT_EQ(test, kvg_map_count(m), 0);
		KUNIT_EXPECT_NULL(test, get_u64(m, key_of(7)));
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(7), 77), 0);
		KUNIT_ASSERT_NOT_NULL(test, get_u64(m, key_of(7)));
		KUNIT_EXPECT_EQ(test, *get_u64(m, key_of(7)), 77);
		if (!(flags[f] & KVG_MAP_GO_COMPAT))
			kvg_map_iter_stop(&it);
		kvg_map_destroy(m);
	}
}

/* Two iterators at once, one abandoned half-way. */
static void map_iter_two_at_once(struct kunit *test)
{
	struct kvg_map_iter ia, ib;
	struct kvg_map_stats st;
	struct kvg_map *m = new_map(test);
	size_t i, na = 0, nb = 0;
	void *k, *v;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	for (i = 0; i < 500; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	KUNIT_ASSERT_EQ(test, kvg_map_shrink(m), 0);
	kvg_map_iter_start(&ia, m);
	kvg_map_iter_start(&ib, m);
	for (i = 0; i < 100; i++) {
		KUNIT_ASSERT_TRUE(test, kvg_map_iter_next(&ia, &k, &v));
		KUNIT_ASSERT_TRUE(test, kvg_map_iter_next(&ib, &k, &v));
	}
	/*
	 * Grow under them (833 > 6.5 * 128: B 7 -> 8), then delete back to
	 * 500.  That one resize is all: none starts while iterators live.
	 */
	for (i = 500; i < 2500; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.grows, 8);
	KUNIT_EXPECT_EQ(test, st.B, 8);
	KUNIT_EXPECT_FALSE(test, st.growing);
	for (i = 500; i < 2500; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	kvg_map_iter_stop(&ib);
	/* @a still holds the map: what it may read is still there. */
	KUNIT_EXPECT_EQ(test, m->iterators, 1);
	while (kvg_map_iter_next(&ia, &k, &v))
		na++;
	KUNIT_EXPECT_EQ(test, na, 400);
	kvg_map_iter_stop(&ia);
	KUNIT_EXPECT_EQ(test, m->iterators, 0);
	KUNIT_EXPECT_PTR_EQ(test, m->zombie, NULL);
	KUNIT_EXPECT_EQ(test, m->nkept, 0);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), map_blocks(m));
	kvg_map_iter_start(&ib, m);
	while (kvg_map_iter_next(&ib, &k, &v))
		nb++;
	KUNIT_EXPECT_EQ(test, nb, 500);
	/* 500 > 6.5 * 256 / 4: B 8 is where shrinking leaves it. */
	KUNIT_ASSERT_EQ(test, kvg_map_shrink(m), 0);
	KUNIT_EXPECT_EQ(test, snap_B(m), 8);
	kvg_map_destroy(m);
}

/* An iteration over an empty map, and over one emptied mid-way. */
static void map_iter_empty_and_cleared(struct kunit *test)
{
	struct kvg_map_iter it;
	struct kvg_map *m = new_map(test);
	size_t i, n = 0;
	void *k, *v;
	u64 key;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	kvg_map_iter_start(&it, m);
	KUNIT_EXPECT_FALSE(test, kvg_map_iter_next(&it, &k, &v));
	kvg_map_iter_stop(&it);
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	kvg_map_iter_start(&it, m);
	for (i = 0; i < 10; i++)
		KUNIT_ASSERT_TRUE(test, kvg_map_iter_next(&it, &k, &v));
	kvg_map_clear(m);
	KUNIT_EXPECT_EQ(test, kvg_map_count(m), 0);
	KUNIT_EXPECT_NULL(test, get_u64(m, key_of(999)));
	while (kvg_map_iter_next(&it, &k, &v))
		n++;
	KUNIT_EXPECT_EQ(test, n, 0);
	kvg_map_iter_stop(&it);
	/* The iterator gone, the cleared map gives its memory back. */
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), map_blocks(m));
	KUNIT_EXPECT_LE(test, kvg_mem_live_blocks(), 1);
	KUNIT_ASSERT_EQ(test, set_u64(m, 5, 6), 0);
	KUNIT_EXPECT_EQ(test, *get_u64(m, 5), 6);
	kvg_map_destroy(m);

	/* Every key deleted mid-iteration, then a few new ones. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	kvg_map_iter_start(&it, m);
	for (i = 0; i < 10; i++)
		KUNIT_ASSERT_TRUE(test, kvg_map_iter_next(&it, &k, &v));
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	for (i = 2000; i < 2005; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	n = 0;
	while (kvg_map_iter_next(&it, &k, &v)) {
		memcpy(&key, k, sizeof(key));
		KUNIT_EXPECT_GE(test, idx_of(key), 2000);
		n++;
	}
	kvg_map_iter_stop(&it);
	KUNIT_EXPECT_LE(test, n, 5);
	KUNIT_EXPECT_EQ(test, kvg_map_count(m), 5);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), map_blocks(m));
	stats_consistent(test, m);
	kvg_map_destroy(m);
}

/* ---- churn: overflow buckets come back ---- */

struct churn_result {
	u64 overflow_sum;	/* st.overflow summed after every step */
	size_t max_overflow;
	struct kvg_map_stats st;
};

static void churn(struct kunit *test, unsigned int flags,
		  struct churn_result *r)
{
	struct kvg_map *m = new_map(test);
	size_t i;

	memset(r, 0, sizeof(*r));
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, flags, NULL), 0);
	for (i = 0; i < CHURN_STEPS; i++) {
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
		if (i >= CHURN_WINDOW)
			KUNIT_ASSERT_TRUE(test,
					  delete_u64(m, key_of(i - CHURN_WINDOW)));
		kvg_map_snapshot(m, &r->st);
		r->overflow_sum += r->st.overflow;
		r->max_overflow = max(r->max_overflow, r->st.overflow);
	}
	KUNIT_EXPECT_EQ(test, r->st.count, CHURN_WINDOW);
	for (i = CHURN_STEPS - CHURN_WINDOW; i < CHURN_STEPS; i++)
		if (!get_u64(m, key_of(i))) {
			KUNIT_FAIL(test, "key %zu lost", i);
			break;
		}
	KUNIT_EXPECT_NULL(test, get_u64(m, key_of(0)));
	stats_consistent(test, m);
	kvg_map_destroy(m);
}

/*
 * A sliding window of 1000 live keys: with reclaim the overflow buckets
 * stay few (mean <= 10% of the buckets); Go 1.19 keeps every emptied
 * overflow bucket until a same-size grow.
 */
static void map_churn_stays_bounded(struct kunit *test)
{
	struct churn_result *ours, *go;

	ours = kunit_kzalloc(test, sizeof(*ours), GFP_KERNEL);
	go = kunit_kzalloc(test, sizeof(*go), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ours);
	KUNIT_ASSERT_NOT_NULL(test, go);
	churn(test, 0, ours);
	churn(test, KVG_MAP_GO_COMPAT, go);
	kunit_info(test, "mean overflow x100: %llu (max %zu), go-compat %llu (max %zu), %zu buckets\n",
		   ours->overflow_sum * 100 / CHURN_STEPS, ours->max_overflow,
		   go->overflow_sum * 100 / CHURN_STEPS, go->max_overflow,
		   ours->st.buckets);

	KUNIT_EXPECT_EQ(test, ours->st.B, 8);
	KUNIT_EXPECT_EQ(test, go->st.B, 8);
	KUNIT_EXPECT_LE(test, ours->overflow_sum * 10,
			(u64)CHURN_STEPS * ours->st.buckets);
	KUNIT_EXPECT_GE(test, go->overflow_sum * 10,
			(u64)CHURN_STEPS * go->st.buckets * 3);
	KUNIT_EXPECT_GE(test, go->st.same_size_grows, 1);
	KUNIT_EXPECT_GT(test, go->overflow_sum, ours->overflow_sum * 3);
	KUNIT_EXPECT_EQ(test, ours->st.shrinks, 0);
}

/* ---- deleting everything gives the memory back ---- */

static void map_delete_all_gives_memory_back(struct kunit *test)
{
	struct kvg_map_stats empty, full, st;
	struct kvg_map *m = new_map(test);
	size_t i;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	kvg_map_snapshot(m, &empty);
	for (i = 0; i < DELETE_ALL_N; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	kvg_map_snapshot(m, &full);
	for (i = 0; i < DELETE_ALL_N; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	kvg_map_snapshot(m, &st);
	kunit_info(test, "footprint empty %zu full %zu after %zu (B %u growing %d)\n",
		   empty.footprint_bytes, full.footprint_bytes,
		   st.footprint_bytes, st.B, st.growing);
	KUNIT_EXPECT_EQ(test, st.count, 0);
	KUNIT_EXPECT_LE(test, st.footprint_bytes * 10,
			empty.footprint_bytes * 12);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), map_blocks(m));
	KUNIT_EXPECT_NULL(test, get_u64(m, key_of(0)));

	/* It fills again. */
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i + 7), 0);
	KUNIT_EXPECT_EQ(test, kvg_map_count(m), 1000);
	for (i = 0; i < 1000; i++)
		KUNIT_EXPECT_EQ(test, *get_u64(m, key_of(i)), i + 7);
	KUNIT_EXPECT_NULL(test, get_u64(m, key_of(1000)));
	KUNIT_EXPECT_EQ(test, snap_B(m), 8);
	kvg_map_destroy(m);

	/* Go 1.19 keeps every byte. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO_COMPAT, NULL), 0);
	for (i = 0; i < DELETE_ALL_N; i++)
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
	kvg_map_snapshot(m, &full);
	for (i = 0; i < DELETE_ALL_N; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.count, 0);
	KUNIT_EXPECT_EQ(test, st.B, full.B);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, full.footprint_bytes);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), map_blocks(m));
	kvg_map_destroy(m);
}

/* ---- failure atomicity ---- */

struct fault_case {
	const char *desc;
	enum hash_mode hash;
	unsigned int flags;
	size_t keys;
	unsigned int steps;
	u64 seed;
};

static const struct fault_case fault_cases[] = {
	{ "siphash", HASH_SIP, 0, 1500, 4000, 11 },
	{ "siphash go-compat", HASH_SIP, KVG_MAP_GO_COMPAT, 1500, 4000, 12 },
	{ "one bucket", HASH_ONE, 0, 160, 3000, 13 },
	{ "one bucket go-compat", HASH_ONE, KVG_MAP_GO_COMPAT, 160, 3000, 14 },
	{ "two buckets", HASH_TWO, KVG_MAP_ITER_ORDERED, 300, 3000, 15 },
	{ "two buckets go-compat", HASH_TWO, KVG_MAP_GO_COMPAT, 300, 3000, 16 },
};

static void fault_desc(const struct fault_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fault, fault_cases, fault_desc);

/* Writes only (and a rare iteration); inserts first, then deletes. */
static enum map_op pick_write(u64 *s, bool filling)
{
	u32 r = rnd(s) % 1000;

	if (r < (filling ? 400 : 50))
		return OP_SET;
	if (r < (filling ? 750 : 100))
		return OP_ASSIGN;
	if (r < 985)
		return OP_DELETE;
	if (r < 993)
		return OP_SHRINK;
	if (r < 999)
		return OP_ITER;
	return OP_CLEAR;
}

/*
 * The key for @op: random, but a draining phase deletes present keys in
 * order, so that the map shrinks through several B.
 */
static size_t pick_key(u64 *s, const struct model *md, enum map_op op,
		       bool filling, size_t *cursor)
{
	size_t tries;

	if (!filling && op == OP_DELETE && md->count) {
		for (tries = 0; tries < md->n; tries++) {
			*cursor = (*cursor + 1) % md->n;
			if (md->present[*cursor])
				return *cursor;
		}
	}
	return rnd(s) % md->n;
}

/*
 * Each write runs with allocation 1, 2, ... failed until one needs none:
 * a failed insert or shrink leaves the map as it was, a delete succeeds
 * anyway.
 */
static void map_every_failure_point_is_atomic(struct kunit *test)
{
	const struct fault_case *c = test->param_value;
	unsigned long injected = 0, injected_growing = 0;
	struct kvg_map_stats st;
	size_t cursor = 0;
	struct model md;
	struct kvg_map *m = new_map(test);
	u64 s = c->seed;
	unsigned int step, nth;
	int err;

	model_init(test, &md, c->keys);
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, c->flags, mode_ops(c->hash)),
			0);
	for (step = 0; step < c->steps; step++) {
		bool filling = step / c->keys % 2 == 0;
		enum map_op op = pick_write(&s, filling);
		size_t idx = pick_key(&s, &md, op, filling, &cursor);
		u64 val = (u64)rnd(&s) << 32 | rnd(&s);

		for (nth = 1; ; nth++) {
			unsigned long before = kvg_fault_injected();
			bool growing;

			kvg_map_snapshot(m, &st);
			growing = st.growing;
			kvg_fault_fail_nth(nth);
			err = model_step(test, m, &md, op, idx, val);
			kvg_fault_fail_nth(0);
			KUNIT_ASSERT_NE_MSG(test, err, -EFAULT,
					    "step %u %s nth %u", step,
					    op_names[op], nth);
			if (kvg_fault_injected() == before)
				break;
			injected++;
			injected_growing += growing;
			KUNIT_ASSERT_TRUE_MSG(test,
					      map_matches_model(test, m, &md),
					      "step %u %s nth %u", step,
					      op_names[op], nth);
			if (op == OP_SHRINK)
				KUNIT_ASSERT_EQ_MSG(test, err, -ENOMEM,
						    "step %u %s nth %u", step,
						    op_names[op], nth);
			else if (op == OP_SET || op == OP_ASSIGN)
				/* An update succeeds where the key lives. */
				KUNIT_ASSERT_TRUE_MSG(test, err == -ENOMEM || !err,
						      "step %u %s nth %u: %d",
						      step, op_names[op], nth,
						      err);
			else
				KUNIT_ASSERT_EQ_MSG(test, err, 0,
						    "step %u %s nth %u", step,
						    op_names[op], nth);
		}
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "step %u %s", step,
				    op_names[op]);
		if (step % 256 == 0)
			KUNIT_ASSERT_TRUE_MSG(test,
					      map_matches_model(test, m, &md),
					      "step %u", step);
	}
	KUNIT_ASSERT_TRUE(test, map_matches_model(test, m, &md));
	KUNIT_ASSERT_TRUE(test, iter_matches_model(test, m, &md));
	kvg_map_snapshot(m, &st);
	kunit_info(test, "%lu failures injected, %lu while resizing; %llu grows %llu same-size %llu shrinks\n",
		   injected, injected_growing, st.grows, st.same_size_grows,
		   st.shrinks);
	KUNIT_EXPECT_GT(test, injected, 20);
	/* Adversarial chains need overflow buckets while evacuating. */
	if (c->hash != HASH_SIP)
		KUNIT_EXPECT_GT(test, injected_growing, 3);
	KUNIT_EXPECT_EQ(test, st.failed_allocs, injected);
	KUNIT_EXPECT_GE(test, st.grows, 2);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), map_blocks(m));
	kvg_map_destroy(m);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
}

/* Random failures at 30%, from a seed: the same guarantee. */
static void map_random_failures_are_atomic(struct kunit *test)
{
	static const enum hash_mode modes[] = { HASH_SIP, HASH_TWO };
	struct kvg_map_stats st;
	struct model md;
	struct kvg_map *m = new_map(test);
	unsigned int step, failures, mi;
	size_t cursor = 0;
	u64 s = 77;
	int err;

	for (mi = 0; mi < ARRAY_SIZE(modes); mi++) {
		model_init(test, &md, modes[mi] == HASH_SIP ? 2000 : 300);
		KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0,
						   mode_ops(modes[mi])), 0);
		failures = 0;
		kvg_fault_fail_random(300, 7 + mi);
		for (step = 0; step < 20000; step++) {
			bool filling = step / md.n % 2 == 0;
			enum map_op op = pick_write(&s, filling);
			size_t idx = pick_key(&s, &md, op, filling, &cursor);

			err = model_step(test, m, &md, op, idx, rnd(&s));
			if (err) {
				KUNIT_ASSERT_EQ_MSG(test, err, -ENOMEM,
						    "step %u", step);
				failures++;
			}
			if (step % 1000 == 0)
				KUNIT_ASSERT_TRUE_MSG(test,
						      map_matches_model(test, m,
									&md),
						      "step %u", step);
		}
		kvg_fault_reset();
		KUNIT_ASSERT_TRUE(test, map_matches_model(test, m, &md));
		kvg_map_snapshot(m, &st);
		KUNIT_EXPECT_GT(test, failures, 100);
		KUNIT_EXPECT_GE(test, st.failed_allocs, failures);
		kvg_map_destroy(m);
		KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	}
}

/* ---- key kinds ---- */

/* 4- and 8-byte keys (the fast paths) and odd and large sizes. */
static void map_key_sizes(struct kunit *test)
{
	static const size_t sizes[] = { 4, 8, 1, 3, 16, 33, 128 };
	struct kvg_map_cfg cfg = { .val_size = 4, .gfp = GFP_KERNEL };
	u8 *key;
	struct kvg_map *m = new_map(test);
	size_t si, i, n, ks;
	u32 *v, val;

	key = kunit_kzalloc(test, KVG_MAP_MAX_INLINE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, key);
	for (si = 0; si < ARRAY_SIZE(sizes); si++) {
		ks = sizes[si];
		/* A 1-byte key has 256 values; the others take 5000. */
		n = ks == 1 ? 256 : 5000;
		cfg.key_size = ks;
		KUNIT_ASSERT_EQ(test, kvg_map_init(m, &cfg), 0);
		for (i = 0; i < n; i++) {
			/* Keys differ in their last bytes only. */
			memset(key, 0x5a, ks);
			key[ks - 1] = i;
			if (ks > 1)
				key[ks - 2] = i >> 8;
			val = i * 3 + 1;
			KUNIT_ASSERT_EQ(test, kvg_map_set(m, key, &val), 0);
		}
		KUNIT_EXPECT_EQ(test, kvg_map_count(m), n);
		for (i = 0; i < n + 100; i++) {
			memset(key, 0x5a, ks);
			key[ks - 1] = i;
			if (ks > 1)
				key[ks - 2] = i >> 8;
			v = kvg_map_get(m, key);
			if (i < n && (!v || *v != i * 3 + 1)) {
				KUNIT_FAIL(test, "size %zu key %zu missing", ks,
					   i);
				break;
			}
			if (i >= n && ks > 1 && v) {
				KUNIT_FAIL(test, "size %zu key %zu found", ks,
					   i);
				break;
			}
			if (i % 2 && i < n)
				KUNIT_ASSERT_TRUE(test,
						  kvg_map_delete(m, key));
		}
		KUNIT_EXPECT_EQ(test, kvg_map_count(m), n / 2);
		/* A key differing in the first byte only is another key. */
		key[0] = 0x5b;
		if (ks > 1) {
			key[ks - 1] = 0;
			key[ks - 2] = 0;
			KUNIT_EXPECT_NULL(test, kvg_map_get(m, key));
		}
		stats_consistent(test, m);
		kvg_map_destroy(m);
	}
}

/* 4-byte keys and values: the u32 fast path on its own. */
static void map_u32_keys(struct kunit *test)
{
	struct kvg_map_cfg cfg = {
		.key_size = 4, .val_size = 4, .gfp = GFP_KERNEL,
	};
	struct kvg_map *m = new_map(test);
	u32 k, *v, i;

	KUNIT_ASSERT_EQ(test, kvg_map_init(m, &cfg), 0);
	for (i = 0; i < 20000; i++) {
		k = i * 2654435761U;
		KUNIT_ASSERT_EQ(test, kvg_map_set(m, &k, &i), 0);
	}
	for (i = 0; i < 20100; i++) {
		k = i * 2654435761U;
		v = kvg_map_get(m, &k);
		if (i < 20000)
			KUNIT_ASSERT_TRUE(test, v && *v == i);
		else
			KUNIT_ASSERT_NULL(test, v);
	}
	KUNIT_EXPECT_EQ(test, snap_B(m), 12);
	stats_consistent(test, m);
	kvg_map_destroy(m);
}

static u64 str_hash(const void *key, const siphash_key_t *seed)
{
	const char *s;

	memcpy(&s, key, sizeof(s));
	return siphash(s, strlen(s), seed);
}

static bool str_equal(const void *a, const void *b)
{
	const char *x, *y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return !strcmp(x, y);
}

static const struct kvg_map_ops str_ops = {
	.hash = str_hash,
	.equal = str_equal,
};

#define STR_KEYS	600
#define STR_LEN		16

/* Strings kept by pointer: equal strings at other addresses hit. */
static void map_string_keys(struct kunit *test)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(const char *),
		.val_size = sizeof(u32),
		.ops = &str_ops,
		.gfp = GFP_KERNEL,
	};
	char (*a)[STR_LEN], (*b)[STR_LEN];
	struct kvg_map_iter it;
	struct kvg_map *m = new_map(test);
	const char *s;
	void *k, *v;
	u32 i, n = 0, *val;

	a = kunit_kmalloc_array(test, STR_KEYS, STR_LEN, GFP_KERNEL);
	b = kunit_kmalloc_array(test, STR_KEYS + 1, STR_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i <= STR_KEYS; i++) {
		if (i < STR_KEYS)
			snprintf(a[i], STR_LEN, "key-%u", i);
		snprintf(b[i], STR_LEN, "key-%u", i);
	}
	KUNIT_ASSERT_EQ(test, kvg_map_init(m, &cfg), 0);
	for (i = 0; i < STR_KEYS; i++) {
		s = a[i];
		KUNIT_ASSERT_EQ(test, kvg_map_set(m, &s, &i), 0);
	}
	for (i = 0; i < STR_KEYS; i++) {
		s = b[i];
		val = kvg_map_get(m, &s);
		KUNIT_ASSERT_NOT_NULL_MSG(test, val, "%s", s);
		KUNIT_EXPECT_EQ(test, *val, i);
	}
	s = b[STR_KEYS];
	KUNIT_EXPECT_NULL(test, kvg_map_get(m, &s));
	s = "";
	KUNIT_EXPECT_NULL(test, kvg_map_get(m, &s));
	/* Iteration returns the stored pointers, into @a. */
	kvg_map_iter_start(&it, m);
	while (kvg_map_iter_next(&it, &k, &v)) {
		memcpy(&s, k, sizeof(s));
		memcpy(&i, v, sizeof(i));
		KUNIT_ASSERT_LT(test, i, STR_KEYS);
		KUNIT_EXPECT_PTR_EQ(test, s, (const char *)a[i]);
		n++;
	}
	kvg_map_iter_stop(&it);
	KUNIT_EXPECT_EQ(test, n, STR_KEYS);
	/* Deleting through another copy of the string works too. */
	s = b[7];
	KUNIT_EXPECT_TRUE(test, kvg_map_delete(m, &s));
	KUNIT_EXPECT_FALSE(test, kvg_map_delete(m, &s));
	s = a[7];
	KUNIT_EXPECT_NULL(test, kvg_map_get(m, &s));
	KUNIT_EXPECT_EQ(test, kvg_map_count(m), STR_KEYS - 1);
	kvg_map_destroy(m);
}

/*
 * Keys crafted to share one bucket under map A's seed spread out in map B,
 * which has a seed of its own.
 */
#define SEED_KEYS	40

/* The hash lib/map.c gives a u64 key: hsiphash of its words, the map's seed. */
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
	struct kvg_map *a = new_map(test), *b = new_map(test);
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
	seeds_differ(test, 0);
}

static void map_seeds_differ_hsiphash(struct kunit *test)
{
	seeds_differ(test, KVG_MAP_HSIPHASH);
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

/* ---- lifetime ---- */

static void map_use_after_destroy_is_refused(struct kunit *test)
{
	struct kvg_map *m = new_map(test);
	u64 key = 1, val = 2;
	void *vp = NULL;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	for (key = 0; key < 100; key++)
		KUNIT_ASSERT_EQ(test, kvg_map_set(m, &key, &val), 0);
	kvg_map_destroy(m);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	key = 1;
	KUNIT_EXPECT_NULL(test, kvg_map_get(m, &key));
	KUNIT_EXPECT_EQ(test, kvg_map_set(m, &key, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_map_assign(m, &key, &vp), -EINVAL);
	KUNIT_EXPECT_FALSE(test, kvg_map_delete(m, &key));
	KUNIT_EXPECT_EQ(test, kvg_map_count(m), 0);
	kvg_map_destroy(m);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);

	/* A zeroed map is just as dead. */
	memset(m, 0, sizeof(*m));
	KUNIT_EXPECT_NULL(test, kvg_map_get(m, &key));
	KUNIT_EXPECT_EQ(test, kvg_map_set(m, &key, &val), -EINVAL);
	KUNIT_EXPECT_FALSE(test, kvg_map_delete(m, &key));
	kvg_map_destroy(m);

	/* And it can be initialised again. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, kvg_map_set(m, &key, &val), 0);
	KUNIT_EXPECT_EQ(test, *get_u64(m, key), 2);
	kvg_map_destroy(m);
}

/* val_size 0: a set. */
static void map_as_a_set(struct kunit *test)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = 0, .gfp = GFP_KERNEL,
	};
	struct kvg_map_iter it;
	struct kvg_map *m = new_map(test);
	u64 key, sum = 0;
	size_t i, n = 0;
	void *k, *v, *vp;

	KUNIT_ASSERT_EQ(test, kvg_map_init(m, &cfg), 0);
	for (i = 0; i < 1000; i++) {
		key = key_of(i);
		KUNIT_ASSERT_EQ(test, kvg_map_set(m, &key, NULL), 0);
	}
	key = key_of(5);
	KUNIT_EXPECT_EQ(test, kvg_map_set(m, &key, NULL), 0);
	vp = NULL;
	KUNIT_EXPECT_EQ(test, kvg_map_assign(m, &key, &vp), 0);
	KUNIT_EXPECT_NOT_NULL(test, vp);
	key = key_of(1000);
	KUNIT_EXPECT_EQ(test, kvg_map_assign(m, &key, &vp), 1);
	KUNIT_EXPECT_EQ(test, kvg_map_count(m), 1001);
	for (i = 0; i < 1100; i++) {
		key = key_of(i);
		if (i <= 1000)
			KUNIT_EXPECT_NOT_NULL(test, kvg_map_get(m, &key));
		else
			KUNIT_EXPECT_NULL(test, kvg_map_get(m, &key));
	}
	for (i = 0; i < 1001; i += 2) {
		key = key_of(i);
		KUNIT_EXPECT_TRUE(test, kvg_map_delete(m, &key));
	}
	kvg_map_iter_start(&it, m);
	while (kvg_map_iter_next(&it, &k, &v)) {
		memcpy(&key, k, sizeof(key));
		KUNIT_EXPECT_EQ(test, idx_of(key) % 2, 1);
		sum += idx_of(key);
		n++;
	}
	kvg_map_iter_stop(&it);
	KUNIT_EXPECT_EQ(test, n, 500);
	KUNIT_EXPECT_EQ(test, sum, 250000);	/* 1 + 3 + ... + 999 */
	stats_consistent(test, m);
	kvg_map_destroy(m);
}

/* The group's footprint, recomputed from its members. */
static size_t nested_footprint(struct kvg_map *m)
{
	struct kvg_vec_stats vs;
	struct kvg_map_stats ms;
	struct kvg_map_iter it;
	void *key, *val;
	size_t fp;

	kvg_map_snapshot(m, &ms);
	fp = ms.footprint_bytes;
	kvg_map_iter_start(&it, m);
	while (kvg_map_iter_next(&it, &key, &val)) {
		kvg_vec_snapshot_raw(val, &vs);
		fp += vs.footprint_bytes;
	}
	kvg_map_iter_stop(&it);
	return fp;
}

/* A vector of u64 in the value slot @slot, joined to @g. */
static int new_member(void *slot, struct kvg_group *g)
{
	int err = kvg_vec_init_raw(slot, sizeof(u64), KVG_POLICY(KVG),
				   GFP_KERNEL);

	return err ?: kvg_vec_join_group_raw(slot, g);
}

/*
 * Go's map[u64][]u64: vectors stored in the map's values move when it
 * grows, and still charge the group exactly; so does the map.
 */
static void map_of_vectors_group(struct kunit *test)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = sizeof(struct kvg_vec),
		.gfp = GFP_KERNEL,
	};
	struct kvg_group_stats gs, before;
	struct kvg_map_stats ms;
	struct kvg_map_iter it;
	struct kvg_group g;
	struct kvg_map m;
	size_t i, j;
	void *slot, *key;
	u64 k;
	int ret;

	kvg_group_init(&g);
	KUNIT_ASSERT_EQ(test, kvg_map_init(&m, &cfg), 0);
	KUNIT_ASSERT_EQ(test, kvg_map_join_group(&m, &g), 0);
	KUNIT_EXPECT_EQ(test, kvg_map_join_group(&m, &g), -EBUSY);
	for (i = 0; i < 3000; i++) {
		for (j = 0; j < 3; j++) {
			k = key_of(i * 7 % 1000 + j * 1000);
			ret = kvg_map_assign(&m, &k, &slot);
			KUNIT_ASSERT_GE(test, ret, 0);
			if (ret == 1)
				ret = new_member(slot, &g);
			KUNIT_ASSERT_GE(test, ret, 0);
			KUNIT_ASSERT_EQ(test, kvg_vec_extend_raw(slot, 1), 0);
		}
		if (!(i % 500)) {
			kvg_group_snapshot(&g, &gs);
			KUNIT_EXPECT_EQ(test, gs.footprint_bytes,
					nested_footprint(&m));
		}
	}
	kvg_map_snapshot(&m, &ms);
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.members, 3001);
	KUNIT_EXPECT_EQ(test, gs.footprint_bytes, nested_footprint(&m));
	KUNIT_EXPECT_GE(test, gs.grows, ms.grows + 3000);
	KUNIT_EXPECT_GE(test, gs.peak_footprint_bytes, gs.footprint_bytes);

	/* A failed insert changes nothing but the failure count. */
	before = gs;
	for (i = 0; i < 100; i++) {
		k = key_of(100000 + i);
		kvg_fault_fail_nth(1);
		ret = kvg_map_assign(&m, &k, &slot);
		kvg_fault_reset();
		if (ret == -ENOMEM)
			break;
		KUNIT_ASSERT_EQ(test, ret, 1);
		KUNIT_ASSERT_EQ(test, new_member(slot, &g), 0);
		before.members++;
	}
	kvg_group_snapshot(&g, &gs);
	if (ret == -ENOMEM) {
		KUNIT_EXPECT_EQ(test, gs.failed_allocs, before.failed_allocs + 1);
		KUNIT_EXPECT_EQ(test, gs.members, before.members);
		KUNIT_EXPECT_EQ(test, gs.footprint_bytes, nested_footprint(&m));
	} else {
		KUNIT_FAIL(test, "no insert needed an allocation in 100");
	}

	/* Half the vectors freed and deleted: the map shrinks, all charged. */
	for (i = 0; i < 3000; i += 2) {
		k = key_of(i);
		slot = kvg_map_get(&m, &k);
		if (!slot)
			continue;
		kvg_vec_free_raw(slot);
		KUNIT_EXPECT_TRUE(test, kvg_map_delete(&m, &k));
	}
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.footprint_bytes, nested_footprint(&m));
	kvg_map_iter_start(&it, &m);
	while (kvg_map_iter_next(&it, &key, &slot))
		kvg_vec_free_raw(slot);
	kvg_map_iter_stop(&it);
	kvg_map_destroy(&m);
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.members, 0);
	KUNIT_EXPECT_EQ(test, gs.footprint_bytes, 0);
	kvg_group_destroy(&g);
}

/* Snapshots see no open write section once an operation returns. */
static void map_seqcount_sections_close(struct kunit *test)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = sizeof(u64),
		.gfp = GFP_KERNEL,
	};
	struct kvg_map m;
	unsigned int last;
	size_t i;
	u64 k;

	KUNIT_ASSERT_EQ(test, kvg_map_init(&m, &cfg), 0);
	last = m.seq.sequence;
	for (i = 0; i < 20000; i++) {
		k = key_of(i);
		KUNIT_ASSERT_EQ(test, kvg_map_set(&m, &k, &k), 0);
		KUNIT_ASSERT_EQ(test, m.seq.sequence & 1, 0);
	}
	/* 11 doublings at least, each in its own sections. */
	KUNIT_EXPECT_GE(test, m.seq.sequence - last, 2 * 11);
	for (i = 0; i < 20000; i++) {
		k = key_of(i);
		kvg_map_delete(&m, &k);
		KUNIT_ASSERT_EQ(test, m.seq.sequence & 1, 0);
	}
	KUNIT_EXPECT_EQ(test, kvg_map_shrink(&m), 0);
	KUNIT_EXPECT_EQ(test, m.seq.sequence & 1, 0);
	kvg_map_destroy(&m);
}

static struct kunit_case map_cases[] = {
	KUNIT_CASE(map_init_rejects_bad_configs),
	KUNIT_CASE(map_hint_picks_go_B),
	KUNIT_CASE_PARAM(map_grows_at_go_thresholds, thresholds_gen_params),
	KUNIT_CASE(map_shrinks_on_delete),
	KUNIT_CASE(map_shrink_to_fit),
	KUNIT_CASE(map_accounting),
	KUNIT_CASE(map_chain_histogram),
	KUNIT_CASE_PARAM(map_matches_reference_model, model_gen_params),
	KUNIT_CASE(map_iter_ordered_is_deterministic),
	KUNIT_CASE_PARAM(map_iter_survives_resizes, iter_gen_params),
	KUNIT_CASE(map_iter_random_writes),
	KUNIT_CASE(map_iter_chain_emptied_under_it),
	KUNIT_CASE(map_iter_two_at_once),
	KUNIT_CASE(map_delete_in_long_chain_is_linear),
	KUNIT_CASE(map_iter_empty_and_cleared),
	KUNIT_CASE(map_churn_stays_bounded),
	KUNIT_CASE(map_delete_all_gives_memory_back),
	KUNIT_CASE_PARAM(map_every_failure_point_is_atomic, fault_gen_params),
	KUNIT_CASE(map_random_failures_are_atomic),
	KUNIT_CASE(map_key_sizes),
	KUNIT_CASE(map_u32_keys),
	KUNIT_CASE(map_string_keys),
	KUNIT_CASE(map_seeds_differ),
	KUNIT_CASE(map_seeds_differ_hsiphash),
	KUNIT_CASE(map_mas_hash_values),
	KUNIT_CASE(map_siphash_reference_vector),
	KUNIT_CASE(map_hsiphash_reference_vector),
	KUNIT_CASE(map_use_after_destroy_is_refused),
	KUNIT_CASE(map_as_a_set),
	KUNIT_CASE(map_of_vectors_group),
	KUNIT_CASE(map_seqcount_sections_close),
	{}
};

static struct kunit_suite map_suite = {
	.name = "kvgrow_map",
	.init = map_test_init,
	.exit = map_test_exit,
	.test_cases = map_cases,
};

kunit_test_suite(map_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kvgrow maps");
