// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow maps' growth and memory: the B a hint picks, Go
 * 1.19's growth thresholds, halving on delete and on request, the figures
 * and chain histogram, overflow buckets reclaimed under churn, the memory
 * given back after deleting everything, a map of vectors charged to a
 * group, and the snapshot seqcount.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/fault.h>
#include <kvgrow/group.h>
#include <kvgrow/map.h>
#include <kvgrow/vec.h>
#include "map_fixture.h"

/*
 * Sizes: each map suite takes well under a second in userspace and stays
 * within half a minute under UML.
 */
#define CHURN_WINDOW	1000
#define CHURN_STEPS	200000
#define DELETE_ALL_N	100000

/* ---- configuration ---- */

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
	struct kvg_map *m = kvgt_new_map(test);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_EXPECT_EQ_MSG(test, kvg_map_hint_B(cases[i].hint),
				    cases[i].B, "hint %zu", cases[i].hint);
		if (cases[i].hint > 100000)
			continue;
		KUNIT_ASSERT_EQ(test, map_init_u64(m, cases[i].hint, KVG_MAP_GO119,
						   NULL),
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
	{ "siphash", KVG_MAP_GO119, HASH_SIP },
	{ "siphash go-compat", KVG_MAP_GO_COMPAT, HASH_SIP },
	{ "two buckets", KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, HASH_TWO },
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
	struct kvg_map *m = kvgt_new_map(test);

	/* Two-bucket chains are long: fewer keys, same rule. */
	total = c->hash == HASH_TWO ? 1000 : 5000;
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, c->flags,
					   kvgt_mode_ops(c->hash)), 0);
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
	kvgt_stats_consistent(test, m);
	kvg_map_destroy(m);

	/* A hint of 1000 starts at B = 8: the first change is at 1665. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 1000, c->flags,
					   kvgt_mode_ops(c->hash)), 0);
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
	struct kvg_map *m = kvgt_new_map(test);
	unsigned int B, drops = 0;
	size_t i, first = 0;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 5000), 0);
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
			kvgt_stats_consistent(test, m);
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
	KUNIT_ASSERT_EQ(test, fill_u64(m, 5000), 0);
	for (i = 0; i < 5000; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.B, 10);
	KUNIT_EXPECT_EQ(test, st.shrinks, 0);
	kvgt_stats_consistent(test, m);
	kvg_map_destroy(m);
}

/* A map made too big by its hint halves, on request, to what it needs. */
static void map_shrink_to_fit(struct kunit *test)
{
	struct kvg_map_stats before, st;
	struct kvg_map *m = kvgt_new_map(test);
	size_t i;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 100000, KVG_MAP_GO119, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 100), 0);
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
	kvgt_stats_consistent(test, m);
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
	struct kvg_map *m = kvgt_new_map(test);
	size_t i;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 1000, KVG_MAP_GO119, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 1000), 0);
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
	kvgt_stats_consistent(test, m);

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
	kvgt_stats_consistent(test, m);
	kvg_map_destroy(m);
}

/* Adversarial chains, as the histogram and the overflow count show them. */
static void map_chain_histogram(struct kunit *test)
{
	u64 hist[KVG_MAP_HIST_LEN];
	struct kvg_map_stats st;
	struct kvg_map *m = kvgt_new_map(test);
	size_t i;

	/* 100 keys in one bucket of 16: a chain of 13, 12 overflow. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 100, KVG_MAP_GO119, &kvgt_one_bucket_ops), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 100), 0);
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
	kvgt_stats_consistent(test, m);
	kvg_map_destroy(m);

	/* Go 1.19 keeps every overflow bucket and every bucket. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 100, KVG_MAP_GO_COMPAT,
					   &kvgt_one_bucket_ops), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 100), 0);
	for (i = 0; i < 90; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	kvg_map_snapshot(m, &st);
	kvg_map_chain_histogram(m, hist);
	KUNIT_EXPECT_EQ(test, st.B, 4);
	KUNIT_EXPECT_EQ(test, st.overflow, 12);
	KUNIT_EXPECT_EQ(test, hist[8], 1);
	kvgt_stats_consistent(test, m);
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
	struct kvg_map *m = kvgt_new_map(test);
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
	kvgt_stats_consistent(test, m);
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
	churn(test, KVG_MAP_GO119, ours);
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
	struct kvg_map *m = kvgt_new_map(test);
	size_t i;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119, NULL), 0);
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
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
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
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
	kvg_map_destroy(m);
}

/* ---- groups and snapshots ---- */

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

/* kvg_map_stats_valid() holds for real figures and names each broken rule. */
static void map_stats_valid_names_each_rule(struct kunit *test)
{
	static const char * const rules[] = {
		"buckets", "old", "evacuated", "load", "per_entry", "live",
		"slack", "peak",
	};
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_stats good, bad;
	const char *why;
	unsigned int i;
	u64 k;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119, NULL), 0);
	kvg_map_snapshot(m, &good);
	KUNIT_EXPECT_TRUE(test, kvg_map_stats_valid(&good, NULL));
	for (k = 0; k < 1000; k++)
		KUNIT_ASSERT_EQ(test, set_u64(m, k, k), 0);
	kvg_map_snapshot(m, &good);
	KUNIT_EXPECT_TRUE(test, kvg_map_stats_valid(&good, NULL));
	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		bad = good;
		switch (i) {
		case 0:
			bad.B++;
			break;
		case 1:
			bad.growing = !bad.growing;
			break;
		case 2:
			bad.growing = true;
			bad.old_buckets = 4;
			bad.evacuated = 5;
			break;
		case 3:
			bad.load_x100++;
			break;
		case 4:
			bad.bytes_per_entry_x100++;
			break;
		case 5:
			bad.live_bytes++;
			break;
		case 6:
			bad.slack_bytes++;
			break;
		case 7:
			bad.peak_footprint_bytes = bad.footprint_bytes - 1;
			break;
		}
		why = NULL;
		KUNIT_EXPECT_FALSE(test, kvg_map_stats_valid(&bad, &why));
		KUNIT_EXPECT_STREQ(test, why ?: "(none)", rules[i]);
	}
}

static struct kunit_case map_grow_cases[] = {
	KUNIT_CASE(map_hint_picks_go_B),
	KUNIT_CASE_PARAM(map_grows_at_go_thresholds, thresholds_gen_params),
	KUNIT_CASE(map_shrinks_on_delete),
	KUNIT_CASE(map_shrink_to_fit),
	KUNIT_CASE(map_accounting),
	KUNIT_CASE(map_chain_histogram),
	KUNIT_CASE(map_churn_stays_bounded),
	KUNIT_CASE(map_delete_all_gives_memory_back),
	KUNIT_CASE(map_of_vectors_group),
	KUNIT_CASE(map_seqcount_sections_close),
	KUNIT_CASE(map_stats_valid_names_each_rule),
	{}
};

static struct kunit_suite map_grow_suite = {
	.name = "kvgrow_map_grow",
	.init = kvgt_map_suite_init,
	.exit = kvgt_map_suite_exit,
	.test_cases = map_grow_cases,
};

kunit_test_suite(map_grow_suite);
