// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow maps' contents: random operations checked against
 * a reference model under three hash distributions, with and without Go
 * 1.19's behaviour, and keys of every kind: sizes from 1 to 128 bytes,
 * u32s, strings kept by pointer, and no value at all (a set).
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/map.h>
#include <kvgrow/vec.h>
#include "map_fixture.h"

/*
 * Sizes: each map suite takes well under a second in userspace and stays
 * within half a minute under UML.
 */
#define MODEL_OPS	100000

/* ---- contents against a reference model ---- */

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
	{ "siphash", HASH_SIP, KVG_MAP_GO119, 2048, 1 },
	{ "siphash ordered", HASH_SIP, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED,
	  2048, 2 },
	{ "siphash go-compat", HASH_SIP, KVG_MAP_GO_COMPAT, 2048, 3 },
	{ "one bucket", HASH_ONE, KVG_MAP_GO119, 200, 4 },
	{ "one bucket go-compat", HASH_ONE, KVG_MAP_GO_COMPAT, 200, 5 },
	{ "two buckets", HASH_TWO, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, 300,
	  6 },
	{ "two buckets go-compat", HASH_TWO, KVG_MAP_GO_COMPAT, 300, 7 },
	{ "swiss siphash", HASH_SIP, 0, 2048, 8 },
	{ "swiss siphash ordered", HASH_SIP, KVG_MAP_ITER_ORDERED, 2048, 9 },
	{ "swiss many keys", HASH_SIP, 0, 12000, 10 },
	{ "swiss hsiphash", HASH_SIP, KVG_MAP_HSIPHASH, 2048, 11 },
	{ "swiss one bucket", HASH_ONE, 0, 200, 12 },
	{ "swiss two buckets", HASH_TWO, 0, 300, 13 },
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
	bool swiss = kvgt_swiss(c->flags);
	struct kvg_map_stats before, st;
	unsigned int max_B = 0, delete_shrinks = 0;
	struct model md;
	struct kvg_map *m = kvgt_new_map(test);
	u64 s = c->seed;
	size_t step, phase = c->keys * 4;

	kvgt_model_init(test, &md, c->keys);
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, c->flags,
					   kvgt_mode_ops(c->hash)), 0);
	kvg_map_snapshot(m, &st);
	for (step = 0; step < MODEL_OPS; step++) {
		enum map_op op = pick_op(&s, step, phase);
		size_t idx = rnd(&s) % c->keys;
		u64 val = (u64)rnd(&s) << 32 | rnd(&s);

		before = st;
		KUNIT_ASSERT_EQ_MSG(test, kvgt_model_step(test, m, &md, op,
							  idx, val), 0,
				    "step %zu %s", step, kvgt_op_names[op]);
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
					      kvgt_map_matches_model(test, m, &md),
					      "step %zu", step);
	}
	KUNIT_ASSERT_TRUE(test, kvgt_map_matches_model(test, m, &md));
	KUNIT_ASSERT_TRUE(test, kvgt_iter_matches_model(test, m, &md));
	kvg_map_snapshot(m, &st);
	kunit_info(test, "max B %u, %llu grows, %llu same-size, %llu shrinks (%u on delete)\n",
		   max_B, st.grows, st.same_size_grows, st.shrinks,
		   delete_shrinks);
	/* The run went up and down: it grew, and shrank unless Go's. */
	KUNIT_EXPECT_GE(test, st.grows, 3);
	if (swiss) {
		KUNIT_EXPECT_GE(test, st.shrinks, 1);
		kunit_info(test, "swiss: %llu rehashes %llu splits %llu merges, depth %u\n",
			   st.rehashes, st.splits, st.merges, st.global_depth);
		if (c->keys > 10000)
			KUNIT_EXPECT_GE(test, st.merges, 1);
	} else {
		KUNIT_EXPECT_GE(test, max_B, 4);
	}
	if (!go && !swiss)
		KUNIT_EXPECT_GE(test, delete_shrinks, 1);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
	kvg_map_destroy(m);
}

/* ---- key kinds ---- */

/* The key-kind cases run on both engines. */
struct engine_case {
	const char *desc;
	unsigned int flags;
};

static const struct engine_case engines[] = {
	{ "go 1.19", KVG_MAP_GO119 },
	{ "swiss", 0 },
};

static void engine_desc(const struct engine_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(engine, engines, engine_desc);

static unsigned int engine_flags(struct kunit *test)
{
	return ((const struct engine_case *)test->param_value)->flags;
}

/* 4- and 8-byte keys (the fast paths) and odd and large sizes. */
static void map_key_sizes(struct kunit *test)
{
	static const size_t sizes[] = { 4, 8, 1, 3, 16, 33, 128 };
	struct kvg_map_cfg cfg = {
		.val_size = 4, .gfp = GFP_KERNEL, .flags = engine_flags(test),
	};
	u8 *key;
	struct kvg_map *m = kvgt_new_map(test);
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
		kvgt_stats_consistent(test, m);
		kvg_map_destroy(m);
	}
}

/* 4-byte keys and values: the u32 fast path on its own. */
static void map_u32_keys(struct kunit *test)
{
	struct kvg_map_cfg cfg = {
		.key_size = 4, .val_size = 4, .gfp = GFP_KERNEL,
		.flags = engine_flags(test),
	};
	struct kvg_map *m = kvgt_new_map(test);
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
	if (!kvgt_swiss(cfg.flags))
		KUNIT_EXPECT_EQ(test, snap_B(m), 12);
	kvgt_stats_consistent(test, m);
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
		.flags = engine_flags(test),
	};
	char (*a)[STR_LEN], (*b)[STR_LEN];
	struct kvg_map_iter it;
	struct kvg_map *m = kvgt_new_map(test);
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

/* val_size 0: a set. */
static void map_as_a_set(struct kunit *test)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = 0, .gfp = GFP_KERNEL,
		.flags = engine_flags(test),
	};
	struct kvg_map_iter it;
	struct kvg_map *m = kvgt_new_map(test);
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
	kvgt_stats_consistent(test, m);
	kvg_map_destroy(m);
}

static struct kunit_case map_model_cases[] = {
	KUNIT_CASE_PARAM(map_matches_reference_model, model_gen_params),
	KUNIT_CASE_PARAM(map_key_sizes, engine_gen_params),
	KUNIT_CASE_PARAM(map_u32_keys, engine_gen_params),
	KUNIT_CASE_PARAM(map_string_keys, engine_gen_params),
	KUNIT_CASE_PARAM(map_as_a_set, engine_gen_params),
	{}
};

static struct kunit_suite map_model_suite = {
	.name = "kvgrow_map_model",
	.init = kvgt_map_suite_init,
	.exit = kvgt_map_suite_exit,
	.test_cases = map_model_cases,
};

kunit_test_suite(map_model_suite);
