/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The map suites' fixture (map_fixture.c): maps of u64 keys (key_of()) and
 * u64 values, destroyed at each test's exit, under three hash
 * distributions; the checks of a map's figures; and a reference model that
 * operations apply to along with the map.
 */
#ifndef _KVGROW_KUNIT_MAP_FIXTURE_H
#define _KVGROW_KUNIT_MAP_FIXTURE_H

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/siphash.h>
#include <linux/types.h>
#include <kvgrow/map.h>
#include "kvg_kunit.h"

/* The suites' .init and .exit: the leak check, and the maps destroyed. */
int kvgt_map_suite_init(struct kunit *test);
void kvgt_map_suite_exit(struct kunit *test);

/* A zeroed map in test-managed memory, destroyed at exit. */
struct kvg_map *kvgt_new_map(struct kunit *test);

/* siphash (ops NULL), every key in one bucket, or in two. */
enum hash_mode { HASH_SIP, HASH_ONE, HASH_TWO };

u64 kvgt_hash_one_bucket(const void *key, const siphash_key_t *seed);
extern const struct kvg_map_ops kvgt_one_bucket_ops;
const struct kvg_map_ops *kvgt_mode_ops(enum hash_mode mode);

/* Whether maps made with @flags use the Swiss engine, the default. */
static inline bool kvgt_swiss(unsigned int flags)
{
	return !(flags & (KVG_MAP_GO119 | KVG_MAP_GO_COMPAT));
}

static inline int map_init_u64(struct kvg_map *m, size_t hint,
			       unsigned int flags,
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

static inline int set_u64(struct kvg_map *m, u64 key, u64 val)
{
	return kvg_map_set(m, &key, &val);
}

static inline u64 *get_u64(const struct kvg_map *m, u64 key)
{
	return kvg_map_get(m, &key);
}

static inline bool delete_u64(struct kvg_map *m, u64 key)
{
	return kvg_map_delete(m, &key);
}

/* Keys key_of(0) .. key_of(@n - 1), each with its number: 0 or an errno. */
static inline int fill_u64(struct kvg_map *m, size_t n)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < n; i++)
		err = set_u64(m, key_of(i), i);
	return err;
}

static inline unsigned int snap_B(const struct kvg_map *m)
{
	struct kvg_map_stats st;

	kvg_map_snapshot(m, &st);
	return st.B;
}

/* Whether the figures agree with each other; a failure if not. */
bool kvgt_stats_consistent(struct kunit *test, const struct kvg_map *m);
/*
 * Iterate @m @rounds times, each round whole: true if every round gave the
 * keys (only the first key unless @all) in the first round's order.
 */
bool kvgt_iter_same_order(struct kunit *test, struct kvg_map *m,
			  unsigned int rounds, bool all);
/* The blocks @m holds, for kvg_mem_live_blocks(). */
long kvgt_map_blocks(const struct kvg_map *m);

struct model {
	size_t n;		/* keys key_of(0 .. n - 1) */
	size_t count;
	u8 *present;
	u64 *val;
	u8 *seen;		/* scratch for iteration */
};

enum map_op {
	OP_SET, OP_ASSIGN, OP_DELETE, OP_GET, OP_ITER, OP_SHRINK, OP_CLEAR,
};

extern const char *const kvgt_op_names[];

void kvgt_model_init(struct kunit *test, struct model *md, size_t n);
void kvgt_model_clear(struct model *md);
bool kvgt_map_matches_model(struct kunit *test, const struct kvg_map *m,
			    const struct model *md);
bool kvgt_iter_matches_model(struct kunit *test, struct kvg_map *m,
			     const struct model *md);
int kvgt_model_step(struct kunit *test, struct kvg_map *m, struct model *md,
		    enum map_op op, size_t idx, u64 val);

#endif /* _KVGROW_KUNIT_MAP_FIXTURE_H */
