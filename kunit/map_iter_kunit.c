// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow map iteration: the order with and without
 * KVG_MAP_ITER_ORDERED, Go's guarantees with writes between next() calls
 * across grows and shrinks and from the middle of a resize, a chain
 * emptied under the iterator, two iterators at once, and deletes in a long
 * chain (kept for an iterator) that stay linear.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/map.h>
#include <kvgrow/vec.h>
#include "map_fixture.h"

/* ITER_ORDERED starts at bucket 0, slot 0: a B = 0 map in insert order. */
static void map_iter_ordered_is_deterministic(struct kunit *test)
{
	struct kvg_map_iter it;
	struct kvg_map *m = kvgt_new_map(test);
	size_t i, n;
	void *k, *v;
	u64 key;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, NULL),
			0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 8), 0);
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
	KUNIT_EXPECT_TRUE(test, kvgt_iter_same_order(test, m, 3, true));
	kvg_map_destroy(m);

	/* Without the flag, Go's random start: some first key differs. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 2000), 0);
	KUNIT_EXPECT_FALSE(test, kvgt_iter_same_order(test, m, 4, false));
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
		r->m = kvgt_new_map(test);
		kvgt_model_init(test, &r->md, ITER_KEYS);
		r->flags = kunit_kzalloc(test, ITER_KEYS, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r->flags);
	}
	kvgt_model_clear(&r->md);
	memset(r->md.seen, 0, ITER_KEYS);
	memset(r->flags, 0, ITER_KEYS);
	r->next_fresh = 0;
	r->cursor = 0;
	r->update_cursor = 0;
	r->returned = 0;
	KUNIT_ASSERT_EQ(test, map_init_u64(r->m, 0, flags, kvgt_mode_ops(hash)),
			0);
}

static void iter_insert_fresh(struct kunit *test, struct iter_run *r)
{
	size_t idx = r->next_fresh;

	if (idx >= r->md.n)
		return;
	r->next_fresh++;
	KUNIT_ASSERT_EQ(test, kvgt_model_step(test, r->m, &r->md, OP_SET,
					      idx, idx ^ 0xabcdef), 0);
}

static void iter_delete_idx(struct kunit *test, struct iter_run *r,
			    size_t idx)
{
	if (!r->md.present[idx])
		return;
	if (!r->md.seen[idx])
		r->flags[idx] |= IK_GONE_UNSEEN;
	r->flags[idx] |= IK_DELETED;
	KUNIT_ASSERT_EQ(test, kvgt_model_step(test, r->m, &r->md, OP_DELETE,
					      idx, 0), 0);
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
			KUNIT_ASSERT_EQ(test,
					kvgt_model_step(test, r->m, &r->md,
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
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(r->m));
	/* The keys used, and a few never used. */
	n = r->md.n;
	r->md.n = min(r->next_fresh + 16, n);
	KUNIT_EXPECT_TRUE(test, kvgt_map_matches_model(test, r->m, &r->md));
	KUNIT_EXPECT_TRUE(test, kvgt_iter_matches_model(test, r->m, &r->md));
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
	{ "grow burst", HASH_SIP, KVG_MAP_GO119, 100, 0, true, 10, 2000, 20, 0, 0, 0,
	  IT_GROWS },
	{ "grow burst ordered", HASH_SIP, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, 100, 0, true,
	  10, 2000, 20, 0, 0, 0, IT_GROWS },
	{ "grow burst go-compat", HASH_SIP, KVG_MAP_GO_COMPAT, 100, 0, true,
	  10, 2000, 20, 0, 0, 0, IT_GROWS },
	{ "grow interleaved", HASH_SIP, KVG_MAP_GO119, 50, 0, true, 0, 0, 0, 0, 3, 0,
	  IT_GROWS },
	{ "grow interleaved ordered", HASH_SIP, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, 50, 0,
	  true, 0, 0, 0, 0, 3, 1, IT_GROWS },
	/* Started in the middle of a doubling (105 keys: B 4 -> 5). */
	{ "mid-grow", HASH_SIP, KVG_MAP_GO119, 105, 0, false, 5, 0, 30, 60, 0, 0,
	  IT_MID_RESIZE | IT_FINISHES },
	{ "mid-grow ordered", HASH_SIP, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, 105, 0, false,
	  5, 10, 0, 60, 1, 0, IT_MID_RESIZE | IT_FINISHES },
	{ "mid-grow interleaved", HASH_SIP, KVG_MAP_GO119, 833, 0, false, 0, 0, 0, 0, 1, 1,
	  IT_MID_RESIZE | IT_FINISHES },
	/* Delete most keys mid-iteration. */
	{ "delete most", HASH_SIP, KVG_MAP_GO119, 3000, 0, true, 10, 0, 2900, 0, 0, 0, 0 },
	{ "delete most ordered", HASH_SIP, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, 3000, 0, true,
	  10, 0, 2900, 0, 0, 0, 0 },
	{ "delete interleaved", HASH_SIP, KVG_MAP_GO119, 3000, 0, true, 0, 0, 0, 0, 0, 5,
	  0 },
	/* Started in the middle of a halving (3000 -> 416 keys: B 9 -> 8). */
	{ "mid-shrink", HASH_SIP, KVG_MAP_GO119, 3000, 2584, false, 20, 0, 300, 600, 0, 0,
	  IT_MID_RESIZE | IT_FINISHES },
	{ "mid-shrink ordered", HASH_SIP, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, 3000, 2584,
	  false, 20, 0, 300, 600, 0, 1, IT_MID_RESIZE | IT_FINISHES },
	{ "mid-shrink interleaved", HASH_SIP, KVG_MAP_GO119, 3000, 2584, false, 0, 0, 0,
	  0, 1, 2, IT_MID_RESIZE },
	/* Long chains: slots and overflow buckets freed under the iterator. */
	{ "one bucket grow", HASH_ONE, KVG_MAP_GO119, 60, 0, true, 20, 300, 10, 0, 0, 0,
	  IT_GROWS },
	{ "one bucket delete most", HASH_ONE, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, 300, 0,
	  true, 20, 0, 250, 0, 0, 0, 0 },
	{ "one bucket interleaved", HASH_ONE, KVG_MAP_GO119, 300, 0, true, 0, 0, 0, 0, 1,
	  2, 0 },
	{ "one bucket mid-shrink", HASH_ONE, KVG_MAP_GO119, 300, 282, false, 3, 0, 5, 40,
	  0, 0, IT_MID_RESIZE | IT_FINISHES },
	{ "two buckets grow", HASH_TWO, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, 60, 0, true, 20,
	  400, 10, 0, 0, 0, IT_GROWS },
	{ "two buckets mid-grow", HASH_TWO, KVG_MAP_GO119, 105, 0, false, 3, 0, 10, 40, 0,
	  1, IT_MID_RESIZE | IT_FINISHES },
	{ "two buckets mid-shrink", HASH_TWO, KVG_MAP_GO119, 400, 350, false, 7, 0, 10, 40,
	  0, 0, IT_MID_RESIZE | IT_FINISHES },
	/* The Swiss engine: rebuilds, splits and merges under the iterator. */
	{ "swiss grow burst", HASH_SIP, 0, 100, 0, true, 10, 5900,
	  20, 0, 0, 0, IT_GROWS },
	{ "swiss grow interleaved ordered", HASH_SIP,
	  KVG_MAP_ITER_ORDERED, 50, 0, true, 0, 0, 0, 0, 3, 1,
	  IT_GROWS },
	{ "swiss delete most", HASH_SIP, 0, 5000, 0, true, 10, 0,
	  4900, 0, 0, 0, 0 },
	{ "swiss delete interleaved", HASH_SIP, 0, 5000, 0, true,
	  0, 0, 0, 0, 0, 5, 0 },
	{ "swiss one bucket interleaved", HASH_ONE, 0, 300, 0, true,
	  0, 0, 0, 0, 1, 2, 0 },
	{ "swiss two buckets grow", HASH_TWO, 0, 60, 0, true, 20,
	  400, 10, 0, 0, 0, IT_GROWS },
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
	/* A Swiss map never is "growing": it rebuilds a table at once. */
	if (c->each_insert && (c->expect & IT_GROWS) &&
	    !kvgt_swiss(c->flags))
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
		KVG_MAP_GO119, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED,
		KVG_MAP_GO_COMPAT, 0,
	};
	unsigned int round, mid_resize = 0, w, writes;
	struct iter_run *r;
	struct kvg_map_stats st;
	size_t i, initial;
	u64 s = 99, rebuilt;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (round = 0; round < 150; round++) {
		enum hash_mode mode = modes[round % 3];

		iter_run_init(test, r, mode,
			      flag_sets[round / 3 % ARRAY_SIZE(flag_sets)]);
		initial = rnd(&s) % (mode == HASH_SIP ? 2000 : 200);
		for (i = 0; i < initial; i++)
			iter_insert_fresh(test, r);
		switch (round / 9 % 3) {
		case 0:
			/* Up to a doubling just started (Swiss: a rebuild). */
			kvg_map_snapshot(r->m, &st);
			rebuilt = st.rehashes + st.splits;
			do {
				iter_insert_fresh(test, r);
				kvg_map_snapshot(r->m, &st);
			} while (!st.growing &&
				 st.rehashes + st.splits == rebuilt &&
				 r->next_fresh < ITER_KEYS);
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
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_iter it;
	u8 seen[100] = { };
	size_t i, n = 0, idx;
	void *k, *v;
	u64 key;

	/* One chain of 13 buckets: keys 8j .. 8j + 7 in its bucket j. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 100, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED,
					   &kvgt_one_bucket_ops), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 100), 0);
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
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
	kvgt_stats_consistent(test, m);
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
	static const unsigned int flags[] = { KVG_MAP_GO_COMPAT, KVG_MAP_GO119 };
	const unsigned long bound = 2 * (LONG_CHAIN / KVG_MAP_SLOTS) + 2;
	unsigned long before, steps, most;
	struct kvg_map_iter it;
	struct kvg_map_stats st;
	struct kvg_map *m;
	unsigned int f;
	size_t i;

	for (f = 0; f < ARRAY_SIZE(flags); f++) {
		m = kvgt_new_map(test);
		KUNIT_ASSERT_EQ(test, map_init_u64(m, LONG_CHAIN, flags[f],
						   &kvgt_one_bucket_ops), 0);
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
	struct kvg_map *m = kvgt_new_map(test);
	size_t i, na = 0, nb = 0;
	void *k, *v;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 500), 0);
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
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
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
	struct kvg_map *m = kvgt_new_map(test);
	size_t i, n = 0;
	void *k, *v;
	u64 key;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119, NULL), 0);
	kvg_map_iter_start(&it, m);
	KUNIT_EXPECT_FALSE(test, kvg_map_iter_next(&it, &k, &v));
	kvg_map_iter_stop(&it);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 1000), 0);
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
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
	KUNIT_EXPECT_LE(test, kvg_mem_live_blocks(), 1);
	KUNIT_ASSERT_EQ(test, set_u64(m, 5, 6), 0);
	KUNIT_EXPECT_EQ(test, *get_u64(m, 5), 6);
	kvg_map_destroy(m);

	/* Every key deleted mid-iteration, then a few new ones. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 1000), 0);
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
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
	kvgt_stats_consistent(test, m);
	kvg_map_destroy(m);
}

static struct kunit_case map_iter_cases[] = {
	KUNIT_CASE(map_iter_ordered_is_deterministic),
	KUNIT_CASE_PARAM(map_iter_survives_resizes, iter_gen_params),
	KUNIT_CASE(map_iter_random_writes),
	KUNIT_CASE(map_iter_chain_emptied_under_it),
	KUNIT_CASE(map_iter_two_at_once),
	KUNIT_CASE(map_delete_in_long_chain_is_linear),
	KUNIT_CASE(map_iter_empty_and_cleared),
	{}
};

static struct kunit_suite map_iter_suite = {
	.name = "kvgrow_map_iter",
	.init = kvgt_map_suite_init,
	.exit = kvgt_map_suite_exit,
	.test_cases = map_iter_cases,
};

kunit_test_suite(map_iter_suite);
