// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow maps under allocation failure and at the ends of
 * their life: every write run with allocation 1, 2, ... failed in turn, and
 * random failures, each leaving the map as the reference model says; bad
 * configurations refused without a write; a destroyed or zeroed map
 * refusing every operation.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/fault.h>
#include <kvgrow/map.h>
#include <kvgrow/vec.h>
#include "map_fixture.h"

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
	{ "siphash", HASH_SIP, KVG_MAP_GO119, 1500, 4000, 11 },
	{ "siphash go-compat", HASH_SIP, KVG_MAP_GO_COMPAT, 1500, 4000, 12 },
	{ "one bucket", HASH_ONE, KVG_MAP_GO119, 160, 3000, 13 },
	{ "one bucket go-compat", HASH_ONE, KVG_MAP_GO_COMPAT, 160, 3000, 14 },
	{ "two buckets", HASH_TWO, KVG_MAP_GO119 | KVG_MAP_ITER_ORDERED, 300,
	  3000, 15 },
	{ "two buckets go-compat", HASH_TWO, KVG_MAP_GO_COMPAT, 300, 3000, 16 },
	{ "swiss siphash", HASH_SIP, 0, 1500, 4000, 17 },
	{ "swiss one bucket", HASH_ONE, 0, 160, 3000, 19 },
	{ "swiss two buckets", HASH_TWO, KVG_MAP_ITER_ORDERED, 300, 3000, 20 },
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
	struct kvg_map *m = kvgt_new_map(test);
	u64 s = c->seed;
	unsigned int step, nth;
	int err;

	kvgt_model_init(test, &md, c->keys);
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, c->flags,
					   kvgt_mode_ops(c->hash)), 0);
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
			err = kvgt_model_step(test, m, &md, op, idx, val);
			kvg_fault_fail_nth(0);
			KUNIT_ASSERT_NE_MSG(test, err, -EFAULT,
					    "step %u %s nth %u", step,
					    kvgt_op_names[op], nth);
			if (kvg_fault_injected() == before)
				break;
			injected++;
			injected_growing += growing;
			KUNIT_ASSERT_TRUE_MSG(test,
					      kvgt_map_matches_model(test, m, &md),
					      "step %u %s nth %u", step,
					      kvgt_op_names[op], nth);
			if (op == OP_SHRINK)
				KUNIT_ASSERT_EQ_MSG(test, err, -ENOMEM,
						    "step %u %s nth %u", step,
						    kvgt_op_names[op], nth);
			else if (op == OP_SET || op == OP_ASSIGN)
				/* An update succeeds where the key lives. */
				KUNIT_ASSERT_TRUE_MSG(test, err == -ENOMEM || !err,
						      "step %u %s nth %u: %d",
						      step, kvgt_op_names[op],
						      nth, err);
			else
				KUNIT_ASSERT_EQ_MSG(test, err, 0,
						    "step %u %s nth %u", step,
						    kvgt_op_names[op], nth);
		}
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "step %u %s", step,
				    kvgt_op_names[op]);
		if (step % 256 == 0)
			KUNIT_ASSERT_TRUE_MSG(test,
					      kvgt_map_matches_model(test, m, &md),
					      "step %u", step);
	}
	KUNIT_ASSERT_TRUE(test, kvgt_map_matches_model(test, m, &md));
	KUNIT_ASSERT_TRUE(test, kvgt_iter_matches_model(test, m, &md));
	kvg_map_snapshot(m, &st);
	kunit_info(test, "%lu failures injected, %lu while resizing; %llu grows %llu same-size %llu shrinks\n",
		   injected, injected_growing, st.grows, st.same_size_grows,
		   st.shrinks);
	KUNIT_EXPECT_GT(test, injected, 20);
	/* Adversarial chains need overflow buckets while evacuating. */
	if (c->hash != HASH_SIP && !kvgt_swiss(c->flags))
		KUNIT_EXPECT_GT(test, injected_growing, 3);
	KUNIT_EXPECT_EQ(test, st.failed_allocs, injected);
	KUNIT_EXPECT_GE(test, st.grows, 2);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), kvgt_map_blocks(m));
	kvg_map_destroy(m);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
}

/* Random failures at 30%, from a seed: the same guarantee. */
static void map_random_failures_are_atomic(struct kunit *test)
{
	static const enum hash_mode modes[] = { HASH_SIP, HASH_TWO };
	struct kvg_map_stats st;
	struct model md;
	struct kvg_map *m = kvgt_new_map(test);
	unsigned int step, failures, mi;
	size_t cursor = 0;
	u64 s = 77;
	int err;

	for (mi = 0; mi < ARRAY_SIZE(modes); mi++) {
		kvgt_model_init(test, &md, modes[mi] == HASH_SIP ? 2000 : 300);
		KUNIT_ASSERT_EQ(test,
				map_init_u64(m, 0, KVG_MAP_GO119, kvgt_mode_ops(modes[mi])),
				0);
		failures = 0;
		kvg_fault_fail_random(300, 7 + mi);
		for (step = 0; step < 20000; step++) {
			bool filling = step / md.n % 2 == 0;
			enum map_op op = pick_write(&s, filling);
			size_t idx = pick_key(&s, &md, op, filling, &cursor);

			err = kvgt_model_step(test, m, &md, op, idx, rnd(&s));
			if (err) {
				KUNIT_ASSERT_EQ_MSG(test, err, -ENOMEM,
						    "step %u", step);
				failures++;
			}
			if (step % 1000 == 0)
				KUNIT_ASSERT_TRUE_MSG(test,
						      kvgt_map_matches_model(test, m, &md),
						      "step %u", step);
		}
		kvg_fault_reset();
		KUNIT_ASSERT_TRUE(test, kvgt_map_matches_model(test, m, &md));
		kvg_map_snapshot(m, &st);
		KUNIT_EXPECT_GT(test, failures, 100);
		KUNIT_EXPECT_GE(test, st.failed_allocs, failures);
		kvg_map_destroy(m);
		KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	}
}

/* ---- lifetime ---- */

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
	static const struct kvg_map_ops no_equal = {
		.hash = kvgt_hash_one_bucket,
	};
	struct kvg_map_cfg cfg = { .gfp = GFP_KERNEL };
	struct kvg_map *m = kvgt_new_map(test);
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

static void map_use_after_destroy_is_refused(struct kunit *test)
{
	struct kvg_map *m = kvgt_new_map(test);
	u64 key = 1, val = 2;
	void *vp = NULL;

	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119, NULL), 0);
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
	KUNIT_ASSERT_EQ(test, map_init_u64(m, 0, KVG_MAP_GO119, NULL), 0);
	KUNIT_EXPECT_EQ(test, kvg_map_set(m, &key, &val), 0);
	KUNIT_EXPECT_EQ(test, *get_u64(m, key), 2);
	kvg_map_destroy(m);
}

static struct kunit_case map_fault_cases[] = {
	KUNIT_CASE_PARAM(map_every_failure_point_is_atomic, fault_gen_params),
	KUNIT_CASE(map_random_failures_are_atomic),
	KUNIT_CASE(map_init_rejects_bad_configs),
	KUNIT_CASE(map_use_after_destroy_is_refused),
	{}
};

static struct kunit_suite map_fault_suite = {
	.name = "kvgrow_map_fault",
	.init = kvgt_map_suite_init,
	.exit = kvgt_map_suite_exit,
	.test_cases = map_fault_cases,
};

kunit_test_suite(map_fault_suite);
