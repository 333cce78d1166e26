// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow's Swiss-table engine (the default engine; design in
 * lib/swiss.h): the SWAR control-word matches against a byte-by-byte
 * reference; table sizes filling their size classes; splits, directory
 * doubling, merges and halving with iterators live; constant-size churn at
 * a flat footprint (golang/go#70886's pattern); memory given back; no
 * table block above 32 KiB; the entries one insert moves, bounded; the
 * iteration order; group charges; every allocation point of splits,
 * doublings, merges and shrinks failed in turn.  The model, iteration and
 * fault suites run their generic cases on this engine too.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/siphash.h>
#include <linux/string.h>
#include <kvgrow/fault.h>
#include <kvgrow/group.h>
#include <kvgrow/map.h>
#include <kvgrow/policy.h>
#include <kvgrow/vec.h>
#include "map_fixture.h"
#include "../lib/swiss.h"

/* ---- control words ---- */

/* A random control byte: empty, deleted or full, about equally often. */
static u8 rnd_ctrl(u64 *s)
{
	u32 r = rnd(s);

	switch (r % 3) {
	case 0:
		return CTRL_EMPTY;
	case 1:
		return CTRL_DELETED;
	default:
		return (r >> 8) & 0x7f;
	}
}

/*
 * The four matches of the control bytes @c, checked byte by byte; false
 * on a miss.  match_h2 must flag every byte equal to @h2, and may flag
 * others only if they hold h2 ^ 1 (full bytes: a key compare rejects
 * them).  Bytes no table stores (@valid false) check match_h2 only.
 */
static bool ctrl_word_ok(struct kunit *test, const u8 *c, u8 h2, bool valid)
{
	u64 w, want_h2 = 0, want_empty = 0, want_free = 0, want_full = 0;
	u64 may_h2 = 0, got_h2;
	unsigned int i;

	w = ctrl_load(c);
	for (i = 0; i < SWISS_GROUP_SLOTS; i++) {
		u64 bit = 0x80ULL << (8 * i);

		want_h2 |= c[i] == h2 ? bit : 0;
		may_h2 |= c[i] == (h2 ^ 1) ? bit : 0;
		want_empty |= c[i] == CTRL_EMPTY ? bit : 0;
		want_free |= c[i] >= 0x80 ? bit : 0;
		want_full |= c[i] < 0x80 ? bit : 0;
	}
	got_h2 = match_h2(w, h2);
	if ((got_h2 & want_h2) == want_h2 && !(got_h2 & ~(want_h2 | may_h2)) &&
	    (!valid || (match_empty(w) == want_empty &&
			match_free(w) == want_free &&
			match_full(w) == want_full)))
		return true;
	KUNIT_FAIL(test, "%016llx %02x: h2 %llx/%llx %llx/%llx %llx/%llx %llx/%llx",
		   w, h2, got_h2, want_h2, match_empty(w), want_empty,
		   match_free(w), want_free, match_full(w), want_full);
	return false;
}

/*
 * Every H2 against random words of the three kinds of byte, and every
 * byte value in every position of words otherwise random (the values a
 * table never stores included); and the false matches match_h2 makes,
 * bytes of h2 ^ 1 in a run just above a match.
 */
static void swiss_ctrl_matches(struct kunit *test)
{
	static const u8 borrow[SWISS_GROUP_SLOTS] = {
		0x80, 0x22, 0x23, 0x23, 0xfe, 0x23, 0x22, 0x80,
	};
	unsigned int n, i, v, h2;
	bool valid;
	u64 s = 5;
	u8 c[SWISS_GROUP_SLOTS];

	/*
	 * 0x22 in slots 1 and 6.  The borrow out of slot 1 runs on through
	 * the 0x23 bytes above it, flagging 2 and 3; the deleted byte stops
	 * it, so 5 is not flagged.
	 */
	KUNIT_EXPECT_EQ(test, match_h2(ctrl_load(borrow), 0x22),
			0x0080000080808000ULL);

	for (n = 0; n < 2000; n++) {
		for (i = 0; i < SWISS_GROUP_SLOTS; i++)
			c[i] = rnd_ctrl(&s);
		/* Runs of one H2 too: neighbours that match. */
		if (n % 4 == 0)
			memset(c + n % 5, c[n % 5], 3);
		for (h2 = 0; h2 < 0x80; h2++)
			KUNIT_ASSERT_TRUE(test, ctrl_word_ok(test, c, h2, true));
	}
	for (i = 0; i < SWISS_GROUP_SLOTS; i++) {
		for (v = 0; v < 256; v++) {
			for (n = 0; n < SWISS_GROUP_SLOTS; n++)
				c[n] = rnd_ctrl(&s);
			c[i] = v;
			valid = v < 0x80 || v == CTRL_EMPTY ||
				v == CTRL_DELETED;
			KUNIT_ASSERT_TRUE(test,
					  ctrl_word_ok(test, c, v & 0x7f, valid));
			KUNIT_ASSERT_TRUE(test,
					  ctrl_word_ok(test, c, rnd(&s) & 0x7f,
						       valid));
		}
	}
}

/* ---- sizes ---- */

static int init_swiss(struct kvg_map *m, size_t ks, size_t vs, size_t hint)
{
	struct kvg_map_cfg cfg = {
		.key_size = ks,
		.val_size = vs,
		.hint = hint,
		.gfp = GFP_KERNEL,
		.flags = 0,
	};

	return kvg_map_init(m, &cfg);
}

/* The alignment a key or value of @size needs: its lowest bit, up to 8. */
static size_t natural(size_t size)
{
	return size ? min_t(size_t, size & -size, 8) : 1;
}

/*
 * Each level's block fills its size class, at most 32 KiB; keys and values
 * are naturally aligned in their slots.
 */
static void swiss_levels_fill_classes(struct kunit *test)
{
	static const size_t sizes[][2] = {
		{ 8, 8 }, { 8, 0 }, { 4, 4 }, { 1, 0 }, { 3, 5 }, { 16, 16 },
		{ 128, 128 }, { 8, 4 }, { 3, 4 }, { 2, 8 }, { 6, 2 },
	};
	struct kvg_map *m = kvgt_new_map(test);
	size_t i, n, bytes, fp, prev;
	unsigned int l;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		KUNIT_ASSERT_EQ(test, init_swiss(m, sizes[i][0], sizes[i][1], 0),
				0);
		KUNIT_EXPECT_GE(test, m->sw.nlevels, 2);
		prev = 0;
		for (l = 0; l < m->sw.nlevels; l++) {
			bytes = kvg_swiss_table_bytes(m, l);
			fp = kvg_kvmalloc_roundup(bytes);
			KUNIT_EXPECT_LE(test, fp, SWISS_MAX_BLOCK);
			/* Not one more group would fit the class. */
			KUNIT_EXPECT_LT_MSG(test, fp - bytes, m->sw.group_size,
					    "sizes %zu/%zu level %u", sizes[i][0],
					    sizes[i][1], l);
			KUNIT_EXPECT_GT(test, m->sw.level_groups[l], prev);
			prev = m->sw.level_groups[l];
		}
		/* The largest level is the largest that fits 32 KiB. */
		KUNIT_EXPECT_GT(test, SWISS_HDR + (prev + 1) * m->sw.group_size,
				SWISS_MAX_BLOCK);
		/* Keys and values aligned as Go 1.19's buckets align them. */
		for (n = 0; n < 300; n++) {
			u8 key[128] = { };
			struct kvg_map_iter it;
			void *k, *v;

			memcpy(key, &n, min_t(size_t, sizeof(n), sizes[i][0]));
			KUNIT_ASSERT_EQ(test, kvg_map_assign(m, key, &v) >= 0, 1);
			KUNIT_EXPECT_EQ(test, (uintptr_t)v % natural(sizes[i][1]), 0);
			kvg_map_iter_start(&it, m);
			KUNIT_ASSERT_TRUE(test, kvg_map_iter_next(&it, &k, &v));
			KUNIT_EXPECT_EQ(test, (uintptr_t)k % natural(sizes[i][0]), 0);
			kvg_map_iter_stop(&it);
		}
		kvg_map_destroy(m);
	}
}

/*
 * The rounding slack, footprint - requested, stays under 3% of the
 * footprint from 10^3 entries up (u64 keys and values); no table block
 * above 32 KiB, and the footprint is what the blocks' classes give.
 */
static void swiss_slack_and_blocks(struct kunit *test)
{
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_stats st;
	size_t n, next = 1000, req, worst = 0;

	KUNIT_ASSERT_EQ(test, init_swiss(m, 8, 8, 0), 0);
	for (n = 0; n < 300000; n++) {
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(n), n), 0);
		if (n + 1 != next)
			continue;
		next += next / 8;
		kvg_map_snapshot(m, &st);
		req = kvg_swiss_requested_bytes(m);
		KUNIT_ASSERT_LE(test, req, st.footprint_bytes);
		worst = max(worst, (st.footprint_bytes - req) * 10000 /
				   st.footprint_bytes);
		KUNIT_EXPECT_LT_MSG(test, (st.footprint_bytes - req) * 100,
				    3 * st.footprint_bytes, "at %zu", n + 1);
		KUNIT_EXPECT_LE(test, st.largest_block, SWISS_MAX_BLOCK);
	}
	kvg_map_snapshot(m, &st);
	kunit_info(test, "300000 entries: %zu tables, depth %u, %zu B/entry, worst slack %zu.%02zu%%\n",
		   st.tables, st.global_depth, st.bytes_per_entry_x100 / 100,
		   worst / 100, worst % 100);
	KUNIT_EXPECT_GE(test, st.splits, 100);
	KUNIT_EXPECT_GE(test, st.global_depth, 8);
	KUNIT_EXPECT_TRUE(test, kvgt_stats_consistent(test, m));
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));

	/* Large slots: still no table block above 32 KiB. */
	kvg_map_destroy(m);
	KUNIT_ASSERT_EQ(test, init_swiss(m, 128, 128, 0), 0);
	for (n = 0; n < 5000; n++) {
		u8 key[128] = { };

		memcpy(key, &n, sizeof(n));
		KUNIT_ASSERT_EQ(test, kvg_map_set(m, key, NULL), 0);
	}
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_LE(test, st.largest_block, SWISS_MAX_BLOCK);
	KUNIT_EXPECT_GE(test, st.splits, 10);
	KUNIT_EXPECT_TRUE(test, kvgt_stats_consistent(test, m));
}

/* ---- growth: bounded work, churn, presizing ---- */

/*
 * The entries one insert moves are at most one table's: 7/8 of the
 * largest level's slots.  Counted, not timed.
 */
static void swiss_insert_work_bounded(struct kunit *test)
{
	struct kvg_map *m = kvgt_new_map(test);
	unsigned long before, moved, worst = 0, total = 0;
	size_t n, bound;

	KUNIT_ASSERT_EQ(test, init_swiss(m, 8, 8, 0), 0);
	bound = level_load(m, top_level(m));
	for (n = 0; n < 200000; n++) {
		before = kvg_swiss_moves();
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(n), n), 0);
		moved = kvg_swiss_moves() - before;
		worst = max(worst, moved);
		total += moved;
	}
	kunit_info(test, "200000 inserts: worst %lu moved (bound %zu), %lu.%02lu per insert\n",
		   worst, bound, total / n, total * 100 / n % 100);
	KUNIT_EXPECT_LE(test, worst, bound);
	/* A table splits at 3/4 of its load: the worst is one of those. */
	KUNIT_EXPECT_GE(test, worst, bound * 3 / 4);
	KUNIT_EXPECT_LT(test, total, 4 * n);
}

/*
 * golang/go#70886: delete the oldest key and insert a fresh one, at a
 * constant count.  Go 1.24 grew a table from 128 to 1024 slots before
 * tombstone pruning.  Here tombstones are pruned by rebuilding at the same
 * level, so the footprint never moves, except that a table filled close
 * to its split point (20000 entries are 16 tables just under it) may split
 * once as its live count wanders above it: the footprint at most doubles,
 * once, and the halves sit far from both the split and the merge point.
 */
static void swiss_churn_is_flat(struct kunit *test)
{
	static const size_t sizes[] = { 100, 1000, 15000, 20000 };
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_stats st0, st1, st;
	size_t i, n, k, maxfp;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		n = sizes[i];
		KUNIT_ASSERT_EQ(test, init_swiss(m, 8, 8, 0), 0);
		KUNIT_ASSERT_EQ(test, fill_u64(m, n), 0);
		kvg_map_snapshot(m, &st0);
		maxfp = 0;
		for (k = 0; k < 8 * n + 2000; k++) {
			if (k == 2 * n)
				kvg_map_snapshot(m, &st1);
			KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(k)));
			KUNIT_ASSERT_EQ(test, set_u64(m, key_of(n + k), k), 0);
			kvg_map_snapshot(m, &st);
			if (k >= 2 * n)
				maxfp = max(maxfp, st.footprint_bytes);
		}
		kunit_info(test, "churn at %zu: footprint %zu, %zu after %zu ops, then at most %zu; %llu rehashes %llu splits\n",
			   n, st0.footprint_bytes, st1.footprint_bytes, 2 * n,
			   maxfp, st.rehashes - st0.rehashes,
			   st.splits - st0.splits);
		KUNIT_EXPECT_EQ(test, st.count, n);
		KUNIT_EXPECT_GT(test, st.rehashes, st0.rehashes);
		if (n != 20000) {
			KUNIT_EXPECT_EQ(test, maxfp, st0.footprint_bytes);
			KUNIT_EXPECT_EQ(test, st1.footprint_bytes,
					st0.footprint_bytes);
		} else {
			/* Each table splits once at most: no ratchet. */
			KUNIT_EXPECT_LE(test, maxfp, 2 * st0.footprint_bytes);
		}
		KUNIT_EXPECT_TRUE(test, kvgt_stats_consistent(test, m));
		kvg_map_destroy(m);
	}
}

/*
 * golang/go#70886 reproduced: with growth sized by entries and tombstones
 * and no shrinking, as Go 1.24 had it, the same churn at a constant count
 * at least doubles the footprint within 100 * count steps (the first
 * growth came after 1012-2557 steps at count 100 and 5819-7712 at 1000,
 * over 20 seeds; each growth halves the pace of the next: Go's report saw
 * 128 -> 1024 slots over a long run); kvgrow's rule keeps the footprint
 * where it started.
 */
static void swiss_churn_go124_defect(struct kunit *test)
{
	static const size_t sizes[] = { 100, 1000 };
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_stats st0, st;
	size_t i, k, n, fp[2];
	int go124;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		n = sizes[i];
		for (go124 = 0; go124 < 2; go124++) {
			KUNIT_ASSERT_EQ(test, init_swiss(m, 8, 8, 0), 0);
			KUNIT_ASSERT_EQ(test, fill_u64(m, n), 0);
			kvg_map_snapshot(m, &st0);
			kvg_swiss_go124_growth = go124;
			for (k = 0; k < 100 * n; k++) {
				KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(k)));
				KUNIT_ASSERT_EQ(test, set_u64(m, key_of(n + k), k), 0);
			}
			kvg_swiss_go124_growth = false;
			kvg_map_snapshot(m, &st);
			fp[go124] = st.footprint_bytes;
			KUNIT_EXPECT_EQ(test, st.count, n);
			KUNIT_EXPECT_TRUE(test, kvgt_stats_consistent(test, m));
			kvg_map_destroy(m);
		}
		kunit_info(test, "churn at %zu: footprint %zu, after %zu steps %zu; as Go 1.24 grew, %zu\n",
			   n, st0.footprint_bytes, 100 * n, fp[0], fp[1]);
		KUNIT_EXPECT_EQ(test, fp[0], st0.footprint_bytes);
		KUNIT_EXPECT_GE(test, fp[1], 2 * st0.footprint_bytes);
	}
}

/* A hint sizes the map so that inserting that many moves nothing. */
static void swiss_hint_presizes(struct kunit *test)
{
	static const size_t hints[] = { 5, 700, 1000, 1050, 1051, 100000 };
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_stats st;
	unsigned long before;
	unsigned int nth;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hints); i++) {
		KUNIT_ASSERT_EQ(test, init_swiss(m, 8, 8, hints[i]), 0);
		before = kvg_swiss_moves();
		KUNIT_ASSERT_EQ(test, fill_u64(m, hints[i]), 0);
		kvg_map_snapshot(m, &st);
		KUNIT_EXPECT_EQ_MSG(test, kvg_swiss_moves(), before,
				    "hint %zu", hints[i]);
		KUNIT_EXPECT_EQ(test, st.rehashes + st.splits, 0);
		KUNIT_EXPECT_TRUE(test, kvgt_stats_consistent(test, m));
		kvg_map_destroy(m);
	}
	KUNIT_EXPECT_EQ(test, init_swiss(m, 8, 8, SIZE_MAX / 2), -E2BIG);
	/* Each allocation of a presized init failed in turn: no leak. */
	for (nth = 1; ; nth++) {
		unsigned long inj = kvg_fault_injected();
		int err;

		kvg_fault_fail_nth(nth);
		err = init_swiss(m, 8, 8, 100000);
		kvg_fault_fail_nth(0);
		if (kvg_fault_injected() == inj) {
			KUNIT_EXPECT_EQ(test, err, 0);
			break;
		}
		KUNIT_ASSERT_EQ(test, err, -ENOMEM);
		KUNIT_ASSERT_EQ(test, kvg_mem_live_blocks(), 0);
	}
	/* The directory and 128 tables of 32 KiB. */
	KUNIT_EXPECT_EQ(test, nth, 1 + 1 + 128);
	kvg_map_destroy(m);
}

/* ---- figures on demand ---- */

/*
 * kvg_map_probe_histogram() and kvg_map_depth_histogram(): one hash for
 * every key fills the groups from the one it starts at, 8 keys each, so
 * 70 keys take 1 to 9 groups to find; with real hashes the probe lengths
 * add up to the count, the tables per depth to the tables, and their spans
 * fill the directory; a hinted map's 2^d tables all have depth d.
 */
static void swiss_histograms(struct kunit *test)
{
	static const u64 one_hash[KVG_MAP_PROBE_HIST_LEN] = {
		8, 8, 8, 8, 8, 8, 8, 8 + 6,
	};
	struct kvg_map *m = kvgt_new_map(test);
	u64 probes[KVG_MAP_PROBE_HIST_LEN], depths[KVG_MAP_DEPTH_HIST_LEN];
	u64 keys = 0, tables = 0, span = 0;
	struct kvg_map_stats st;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, &kvgt_one_bucket_ops), 0);
	kvg_map_probe_histogram(m, probes);
	kvg_map_depth_histogram(m, depths);
	for (i = 0; i < KVG_MAP_DEPTH_HIST_LEN; i++)
		tables += depths[i];
	KUNIT_EXPECT_EQ(test, tables, 0);	/* empty: no table */
	KUNIT_ASSERT_EQ(test, fill_u64(m, 70), 0);
	kvg_map_probe_histogram(m, probes);
	kvg_map_depth_histogram(m, depths);
	for (i = 0; i < KVG_MAP_PROBE_HIST_LEN; i++)
		KUNIT_EXPECT_EQ_MSG(test, probes[i], one_hash[i], "bin %u", i);
	KUNIT_EXPECT_EQ(test, depths[0], 1);
	kvg_map_destroy(m);

	KUNIT_ASSERT_EQ(test, init_swiss(m, 8, 8, 0), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 50000), 0);
	for (i = 0; i < 20000; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(2 * i)));
	kvg_map_snapshot(m, &st);
	kvg_map_probe_histogram(m, probes);
	kvg_map_depth_histogram(m, depths);
	for (i = 0, tables = 0; i < KVG_MAP_PROBE_HIST_LEN; i++)
		keys += probes[i];
	for (i = 0; i < KVG_MAP_DEPTH_HIST_LEN; i++) {
		tables += depths[i];
		if (depths[i])
			KUNIT_EXPECT_LE(test, i, st.global_depth);
		if (i <= st.global_depth)
			span += depths[i] << (st.global_depth - i);
	}
	KUNIT_EXPECT_EQ(test, keys, st.count);
	KUNIT_EXPECT_EQ(test, tables, st.tables);
	KUNIT_EXPECT_EQ(test, span, 1ULL << st.global_depth);
	KUNIT_EXPECT_GT(test, depths[st.global_depth], 0);
	KUNIT_EXPECT_GT(test, probes[0], keys / 2);
	kvg_map_destroy(m);

	KUNIT_ASSERT_EQ(test, init_swiss(m, 8, 8, 100000), 0);
	kvg_map_depth_histogram(m, depths);
	KUNIT_EXPECT_EQ(test, depths[7], 128);	/* as swiss_hint_presizes */
	kvg_map_destroy(m);

	/* Go 1.19's engine has chains, not probes: all zero. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 1000), 0);
	kvg_map_probe_histogram(m, probes);
	kvg_map_depth_histogram(m, depths);
	for (i = 0, keys = 0; i < KVG_MAP_PROBE_HIST_LEN; i++)
		keys += probes[i];
	for (i = 0; i < KVG_MAP_DEPTH_HIST_LEN; i++)
		keys += depths[i];
	KUNIT_EXPECT_EQ(test, keys, 0);
	kvg_map_destroy(m);
}

/* ---- shrinking ---- */

/* Deleting everything, clear and shrink give the memory back. */
static void swiss_memory_given_back(struct kunit *test)
{
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_stats st, full, before;
	size_t n = 50000, i;

	KUNIT_ASSERT_EQ(test, init_swiss(m, 8, 8, 0), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, n), 0);
	kvg_map_snapshot(m, &full);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 0);
	KUNIT_EXPECT_EQ(test, st.tables, 0);
	KUNIT_EXPECT_EQ(test, st.global_depth, 0);
	KUNIT_EXPECT_GE(test, st.merges, 10);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	KUNIT_EXPECT_TRUE(test, kvgt_stats_consistent(test, m));

	/* Down to 1 in 20: merges and halving, a fraction of the peak. */
	KUNIT_ASSERT_EQ(test, fill_u64(m, n), 0);
	for (i = 0; i < n; i++)
		if (i % 20)
			KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	kvg_map_snapshot(m, &st);
	kunit_info(test, "%zu -> %zu entries: footprint %zu -> %zu, depth %u -> %u\n",
		   full.count, st.count, full.footprint_bytes,
		   st.footprint_bytes, full.global_depth, st.global_depth);
	KUNIT_EXPECT_LT(test, st.footprint_bytes * 6, full.footprint_bytes);
	KUNIT_EXPECT_LT(test, st.global_depth, full.global_depth);
	/* An explicit shrink merges up to 5/8 of a table's load. */
	KUNIT_EXPECT_EQ(test, kvg_map_shrink(m), 0);
	before = st;
	kvg_map_snapshot(m, &st);
	kunit_info(test, "shrink: footprint %zu -> %zu, depth %u\n",
		   before.footprint_bytes, st.footprint_bytes, st.global_depth);
	KUNIT_EXPECT_LT(test, st.footprint_bytes, before.footprint_bytes);
	KUNIT_EXPECT_LT(test, st.footprint_bytes * 9, full.footprint_bytes);
	KUNIT_EXPECT_TRUE(test, kvgt_stats_consistent(test, m));
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, !!get_u64(m, key_of(i)), i % 20 == 0);

	kvg_map_clear(m);
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 0);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	KUNIT_EXPECT_EQ(test, set_u64(m, 7, 7), 0);
	KUNIT_EXPECT_EQ(test, *get_u64(m, 7), 7);
}

/* ---- iteration across splits and merges ---- */

/*
 * One iterator lives while the map grows from 100 to 40000 entries
 * (splits, directory doublings), another while it falls back to 100
 * (merges, halvings), with deletes and updates mixed in: every entry there
 * throughout is returned exactly once with its current value, no deleted
 * one after its delete.
 */
static void swiss_iter_across_splits_and_merges(struct kunit *test)
{
	const size_t n = 40000;
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_stats st0, st;
	struct kvg_map_iter it;
	u8 *seen, *state;	/* state: 1 present at start, 2 deleted */
	size_t i, next, returned;
	unsigned int pass, w;
	void *k, *v;
	u64 key, val;

	seen = kunit_kzalloc(test, n, GFP_KERNEL);
	state = kunit_kzalloc(test, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	KUNIT_ASSERT_NOT_NULL(test, state);
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 100), 0);
	for (pass = 0; pass < 2; pass++) {
		bool growing = pass == 0;

		memset(seen, 0, n);
		for (i = 0; i < n; i++)
			state[i] = get_u64(m, key_of(i)) ? 1 : 0;
		kvg_map_snapshot(m, &st0);
		kvg_map_iter_start(&it, m);
		next = growing ? 100 : 0;
		returned = 0;
		while (kvg_map_iter_next(&it, &k, &v)) {
			memcpy(&key, k, sizeof(key));
			memcpy(&val, v, sizeof(val));
			i = idx_of(key);
			KUNIT_ASSERT_LT(test, i, n);
			KUNIT_ASSERT_FALSE_MSG(test, seen[i], "key %zu twice", i);
			KUNIT_ASSERT_NE_MSG(test, state[i], 2,
					    "key %zu after its delete", i);
			KUNIT_ASSERT_EQ(test, val, *get_u64(m, key));
			seen[i] = 1;
			returned++;
			/* 100 writes per entry returned. */
			for (w = 0; w < 100 && next < n; w++, next++) {
				if (growing) {
					KUNIT_ASSERT_EQ(test,
							set_u64(m, key_of(next), next), 0);
				} else if (state[next] == 1 && next % 20) {
					KUNIT_ASSERT_TRUE(test,
							  delete_u64(m, key_of(next)));
					state[next] = 2;
				}
			}
			/* Updates of keys there throughout, returned or not. */
			if (returned % 16 == 0)
				for (i = 0; i < n; i += 7)
					if (get_u64(m, key_of(i)))
						*get_u64(m, key_of(i)) += n;
		}
		kvg_map_snapshot(m, &st);
		for (i = 0; i < n; i++) {
			if (state[i] == 1 && !seen[i])
				KUNIT_FAIL(test, "key %zu there throughout, not returned",
					   i);
		}
		kunit_info(test, "%s: %zu returned, splits %llu, merges %llu, depth %u -> %u, %zu tables kept\n",
			   growing ? "growing" : "shrinking", returned,
			   st.splits - st0.splits, st.merges - st0.merges,
			   st0.global_depth, st.global_depth,
			   st.retired_tables);
		if (growing) {
			KUNIT_EXPECT_GE(test, st.splits - st0.splits, 16);
			KUNIT_EXPECT_GE(test, st.global_depth, 4);
		} else {
			KUNIT_EXPECT_GE(test, st.merges - st0.merges, 8);
			KUNIT_EXPECT_LT(test, st.global_depth, st0.global_depth);
		}
		/* The iterator stopped: what was kept for it is freed. */
		kvg_map_snapshot(m, &st);
		KUNIT_EXPECT_EQ(test, st.retired_tables, 0);
		KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
		KUNIT_EXPECT_TRUE(test, kvgt_stats_consistent(test, m));
	}
}

/* Clear and delete-all under an iterator; the memory goes at its stop. */
static void swiss_iter_outlives_clear(struct kunit *test)
{
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_stats st;
	struct kvg_map_iter it;
	unsigned int got = 0;
	void *k, *v;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 3000), 0);
	kvg_map_iter_start(&it, m);
	KUNIT_ASSERT_TRUE(test, kvg_map_iter_next(&it, &k, &v));
	KUNIT_EXPECT_EQ(test, kvg_map_shrink(m), -EBUSY);
	kvg_map_clear(m);
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.count, 0);
	KUNIT_EXPECT_EQ(test, st.tables, 0);
	KUNIT_EXPECT_GT(test, st.retired_tables, 0);
	KUNIT_EXPECT_GT(test, st.footprint_bytes, 0);
	KUNIT_EXPECT_EQ(test, set_u64(m, 1, 1), 0);
	while (kvg_map_iter_next(&it, &k, &v))
		got++;
	KUNIT_EXPECT_LE(test, got, 1);
	KUNIT_EXPECT_TRUE(test, delete_u64(m, 1));
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 0);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
}

/*
 * KVG_MAP_ITER_ORDERED walks from hash 0, each table from its group 0 and
 * slot 0: one group in insert order, and the same order every time; a
 * random start otherwise, across splits too.
 */
static void swiss_iter_order(struct kunit *test)
{
	const size_t n = 5000;
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_iter it;
	size_t i;
	void *k, *v;
	u64 key;

	KUNIT_ASSERT_EQ(test,
			map_init_u64(m, 0, KVG_MAP_ITER_ORDERED, NULL),
			0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 7), 0);
	KUNIT_EXPECT_EQ(test, m->sw.one->ngroups, 1);
	i = 0;
	kvg_map_iter_start(&it, m);
	while (kvg_map_iter_next(&it, &k, &v)) {
		memcpy(&key, k, sizeof(key));
		KUNIT_EXPECT_EQ(test, key, key_of(i));
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, 7);
	KUNIT_EXPECT_FALSE(test, kvg_map_iter_next(&it, &k, &v));
	kvg_map_iter_stop(&it);

	KUNIT_ASSERT_EQ(test, fill_u64(m, n), 0);
	KUNIT_EXPECT_GT(test, m->sw.depth, 0);
	KUNIT_EXPECT_TRUE(test, kvgt_iter_same_order(test, m, 3, true));
	kvg_map_destroy(m);

	/* Without the flag: some first key differs. */
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, n), 0);
	KUNIT_EXPECT_FALSE(test, kvgt_iter_same_order(test, m, 4, false));
}

/* A Swiss map in a group: every table and directory block is charged. */
static void swiss_group_charged(struct kunit *test)
{
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_group_stats gs;
	struct kvg_map_stats st;
	struct kvg_group g;
	size_t i;

	kvg_group_init(&g);
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, kvg_map_join_group(m, &g), 0);
	for (i = 0; i < 20000; i++) {
		KUNIT_ASSERT_EQ(test, set_u64(m, key_of(i), i), 0);
		if (i % 1000 == 0) {
			kvg_map_snapshot(m, &st);
			kvg_group_snapshot(&g, &gs);
			KUNIT_ASSERT_EQ(test, gs.footprint_bytes,
					st.footprint_bytes);
		}
	}
	kvg_map_snapshot(m, &st);
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.footprint_bytes, st.footprint_bytes);
	KUNIT_EXPECT_EQ(test, gs.grows, st.grows + st.same_size_grows);
	KUNIT_EXPECT_GE(test, gs.peak_footprint_bytes, st.footprint_bytes);
	for (i = 0; i < 20000; i++)
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	kvg_map_snapshot(m, &st);
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.footprint_bytes, 0);
	KUNIT_EXPECT_EQ(test, gs.shrinks, st.shrinks);
	KUNIT_EXPECT_GT(test, gs.shrinks, 0);
	kvg_map_destroy(m);
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.members, 0);
	kvg_group_destroy(&g);
}

/* ---- failure atomicity of splits, doublings, merges, halvings ---- */

/* @m holds exactly keys lo..hi-1 (value = index), and its figures agree. */
static bool holds_range(struct kunit *test, const struct kvg_map *m,
			size_t lo, size_t hi, size_t probe_hi)
{
	size_t i;
	u64 *v;

	if (kvg_map_count(m) != hi - lo) {
		KUNIT_FAIL(test, "count %zu, want %zu", kvg_map_count(m),
			   hi - lo);
		return false;
	}
	for (i = 0; i < probe_hi; i++) {
		v = get_u64(m, key_of(i));
		if (!v != (i < lo || i >= hi) || (v && *v != i)) {
			KUNIT_FAIL(test, "key %zu wrong", i);
			return false;
		}
	}
	return kvgt_stats_consistent(test, m);
}

/*
 * Growing to 24000 entries, every insert runs with allocation 1, 2, ...
 * failed in turn: a failed insert leaves the map exactly as it was
 * (entries, footprint, tables, depth).  Back down, deletes run with
 * their first, second or no allocation failed: a delete always succeeds.
 * Nothing leaks.  Splits with and without a directory
 * doubling, merges and halvings all meet failures.
 */
static void swiss_every_failure_point(struct kunit *test)
{
	const size_t n = 24000;
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_stats before, st;
	unsigned long injected = 0, at_split = 0, at_merge = 0;
	unsigned int nth;
	size_t i;
	int err;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	for (i = 0; i < n; i++) {
		for (nth = 1; ; nth++) {
			unsigned long inj = kvg_fault_injected();

			kvg_map_snapshot(m, &before);
			kvg_fault_fail_nth(nth);
			err = set_u64(m, key_of(i), i);
			kvg_fault_fail_nth(0);
			if (kvg_fault_injected() == inj)
				break;
			injected++;
			KUNIT_ASSERT_EQ(test, err, -ENOMEM);
			kvg_map_snapshot(m, &st);
			KUNIT_ASSERT_EQ(test, st.footprint_bytes,
					before.footprint_bytes);
			KUNIT_ASSERT_EQ(test, st.tables, before.tables);
			KUNIT_ASSERT_EQ(test, st.global_depth,
					before.global_depth);
			at_split += st.tables > 1 &&
				    st.tables == 1U << st.global_depth;
			if (i % 512 == 0)
				KUNIT_ASSERT_TRUE(test,
						  holds_range(test, m, 0, i, i + 1));
		}
		KUNIT_ASSERT_EQ(test, err, 0);
		KUNIT_ASSERT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
	}
	KUNIT_ASSERT_TRUE(test, holds_range(test, m, 0, n, n + 10));
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_GE(test, st.splits, 12);
	/*
	 * A delete cannot be repeated: deletes fail their first, second or
	 * no allocation in turn, so that merges and halvings happen too.
	 */
	for (i = 0; i < n; i++) {
		unsigned long inj = kvg_fault_injected();

		kvg_fault_fail_nth(i % 3);
		KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
		kvg_fault_fail_nth(0);
		if (kvg_fault_injected() != inj) {
			injected++;
			at_merge++;
		}
		if (i % 512 == 0)
			KUNIT_ASSERT_TRUE(test, holds_range(test, m, i + 1, n, n));
		KUNIT_ASSERT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
	}
	kvg_map_snapshot(m, &st);
	kunit_info(test, "%lu failures injected (%lu with a full directory, %lu in deletes); %llu splits %llu merges\n",
		   injected, at_split, at_merge, st.splits, st.merges);
	KUNIT_EXPECT_EQ(test, st.failed_allocs, injected);
	KUNIT_EXPECT_GE(test, st.merges, 4);
	KUNIT_EXPECT_GT(test, at_split, 0);
	KUNIT_EXPECT_GT(test, at_merge, 5);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 0);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
}

/* An explicit shrink that fails leaves every entry in place. */
static void swiss_shrink_failure(struct kunit *test)
{
	struct kvg_map *m = kvgt_new_map(test);
	unsigned long inj;
	unsigned int nth, failed = 0;
	size_t i;
	int err;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, fill_u64(m, 20000), 0);
	for (i = 0; i < 20000; i++)
		if (i % 16)
			KUNIT_ASSERT_TRUE(test, delete_u64(m, key_of(i)));
	for (nth = 1; ; nth++) {
		inj = kvg_fault_injected();
		kvg_fault_fail_nth(nth);
		err = kvg_map_shrink(m);
		kvg_fault_fail_nth(0);
		if (kvg_fault_injected() == inj)
			break;
		failed++;
		KUNIT_ASSERT_EQ(test, err, -ENOMEM);
		for (i = 0; i < 20000; i++)
			KUNIT_ASSERT_EQ(test, !!get_u64(m, key_of(i)),
					i % 16 == 0);
		KUNIT_ASSERT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
		KUNIT_ASSERT_TRUE(test, kvgt_stats_consistent(test, m));
	}
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_GT(test, failed, 0);
	for (i = 0; i < 20000; i++)
		KUNIT_ASSERT_EQ(test, !!get_u64(m, key_of(i)), i % 16 == 0);
}

static u64 hash_u32_wide(const void *key, const siphash_key_t *seed)
{
	u64 k;

	memcpy(&k, key, sizeof(k));
	return (u32)siphash(&k, sizeof(k), seed);	/* bits 32..63 are 0 */
}

static bool u64_key_equal(const void *a, const void *b)
{
	return !memcmp(a, b, sizeof(u64));
}

/*
 * A custom 32-bit hash widened to u64 (jhash, hsiphash) leaves the top
 * bits, which the directory indexes by, at 0: the library mixes it, so
 * the map still splits.  Unmixed, inserts stopped at 1680 keys with
 * -E2BIG (203 with 128-byte values).
 */
static void swiss_custom_u32_hash_splits(struct kunit *test)
{
	static const struct kvg_map_ops ops = {
		.hash = hash_u32_wide,
		.equal = u64_key_equal,
	};
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = 128, .gfp = GFP_KERNEL,
		.flags = 0, .ops = &ops,
	};
	struct kvg_map *m = kvgt_new_map(test);
	struct kvg_map_stats st;
	u64 k, n = 100000;
	void *val;

	KUNIT_ASSERT_EQ(test, kvg_map_init(m, &cfg), 0);
	for (k = 0; k < n; k++)
		KUNIT_ASSERT_EQ_MSG(test, kvg_map_assign(m, &k, &val), 1,
				    "key %llu", k);
	kvg_map_snapshot(m, &st);
	KUNIT_EXPECT_EQ(test, st.count, n);
	KUNIT_EXPECT_GT(test, st.splits, 0);
	for (k = 0; k < n; k += 997)
		KUNIT_EXPECT_NOT_NULL(test, kvg_map_get(m, &k));
	KUNIT_EXPECT_TRUE(test, kvgt_stats_consistent(test, m));
	kvg_map_destroy(m);
}

static struct kunit_case map_swiss_cases[] = {
	KUNIT_CASE(swiss_ctrl_matches),
	KUNIT_CASE(swiss_levels_fill_classes),
	KUNIT_CASE(swiss_slack_and_blocks),
	KUNIT_CASE(swiss_insert_work_bounded),
	KUNIT_CASE(swiss_churn_is_flat),
	KUNIT_CASE(swiss_churn_go124_defect),
	KUNIT_CASE(swiss_hint_presizes),
	KUNIT_CASE(swiss_histograms),
	KUNIT_CASE(swiss_memory_given_back),
	KUNIT_CASE(swiss_iter_across_splits_and_merges),
	KUNIT_CASE(swiss_iter_outlives_clear),
	KUNIT_CASE(swiss_iter_order),
	KUNIT_CASE(swiss_group_charged),
	KUNIT_CASE(swiss_every_failure_point),
	KUNIT_CASE(swiss_shrink_failure),
	KUNIT_CASE(swiss_custom_u32_hash_splits),
	{}
};

static struct kunit_suite map_swiss_suite = {
	.name = "kvgrow_map_swiss",
	.init = kvgt_map_suite_init,
	.exit = kvgt_map_suite_exit,
	.test_cases = map_swiss_cases,
};

kunit_test_suite(map_swiss_suite);
