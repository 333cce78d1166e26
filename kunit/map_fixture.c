// SPDX-License-Identifier: GPL-2.0
/*
 * The map suites' fixture (declared in map_fixture.h): maps destroyed at
 * each test's exit, the hash distributions, the checks of a map's figures,
 * and the reference model with the operations applied to it and to a map.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/fault.h>
#include <kvgrow/map.h>
#include "map_fixture.h"

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

struct kvg_map *kvgt_new_map(struct kunit *test)
{
	struct kvg_map *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	track_map(test, m);
	return m;
}

/* Every test starts and ends with no live kvgrow allocation. */
int kvgt_map_suite_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct map_test_ctx),
				   GFP_KERNEL);
	if (!test->priv)
		return -ENOMEM;
	return kvgt_leak_init(test);
}

void kvgt_map_suite_exit(struct kunit *test)
{
	struct map_test_ctx *ctx = test->priv;
	unsigned int i;

	/* Destroying a destroyed map is a no-op. */
	for (i = 0; ctx && i < ctx->n; i++)
		kvg_map_destroy(ctx->maps[i]);
	kvgt_leak_exit(test);
}

/* ---- hash distributions ---- */

static bool u64_equal(const void *a, const void *b)
{
	return !memcmp(a, b, sizeof(u64));
}

/* Every key in one bucket, with one tophash. */
u64 kvgt_hash_one_bucket(const void *key, const siphash_key_t *seed)
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

const struct kvg_map_ops kvgt_one_bucket_ops = {
	.hash = kvgt_hash_one_bucket,
	.equal = u64_equal,
};

static const struct kvg_map_ops two_buckets_ops = {
	.hash = hash_two_buckets,
	.equal = u64_equal,
};

const struct kvg_map_ops *kvgt_mode_ops(enum hash_mode mode)
{
	if (mode == HASH_ONE)
		return &kvgt_one_bucket_ops;
	if (mode == HASH_TWO)
		return &two_buckets_ops;
	return NULL;
}

/*
 * Whether kvg_map_shrink() left B where it should: it halves while the
 * load after halving would be at most half of Go's 6.5, i.e. while
 * count <= 6.5 * 2^B / 4.  An empty map has no array at all.
 */
static bool shrunk_fully(const struct kvg_map_stats *st)
{
	/* Swiss: no table left when empty, none kept (no iterator). */
	if (st->swiss)
		return !st->retired_tables &&
		       (st->count || (!st->tables && !st->footprint_bytes));
	if (!st->count)
		return !st->buckets && !st->B && !st->growing;
	return !st->growing && (!st->B || 8 * st->count > 13 * st->buckets);
}

/* Figures that must agree with each other at any time. */
bool kvgt_stats_consistent(struct kunit *test, const struct kvg_map *m)
{
	struct kvg_map_stats st;
	u64 hist[KVG_MAP_HIST_LEN], sum = 0, ovf = 0;
	const char *why = "-";
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
	/* The snapshot's own rules, then how it matches the map's chains. */
	ok &= kvg_map_stats_valid(&st, &why);
	ok &= st.count == kvg_map_count(m);
	/* Evacuated old buckets beyond the mark are not chains any more. */
	ok &= sum >= st.buckets && sum <= st.buckets + unevacuated;
	if (!hist[KVG_MAP_HIST_LEN - 1])
		ok &= st.overflow == ovf;
	else
		ok &= st.overflow >= ovf;
	if (!ok)
		KUNIT_FAIL(test,
			   "stats (rule %s): count %zu B %u buckets %zu old %zu evacuated %zu chains %llu overflow %zu (hist %llu) load %u fp %zu peak %zu per entry %zu",
			   why, st.count, st.B, st.buckets, st.old_buckets,
			   st.evacuated, sum, st.overflow, ovf, st.load_x100,
			   st.footprint_bytes, st.peak_footprint_bytes,
			   st.bytes_per_entry_x100);
	why = kvg_swiss_validate(m);
	if (why) {
		KUNIT_FAIL(test, "swiss structure: %s", why);
		ok = false;
	}
	return ok;
}

/*
 * The blocks a map holds: its arrays (live, old, and the one kept for
 * iterators), overflow buckets linked, kept and spare; a Swiss map's
 * tables, live and kept, and its directory above depth 0.
 */
long kvgt_map_blocks(const struct kvg_map *m)
{
	if (kvgt_swiss(m->flags))
		return m->sw.tables + m->sw.nretired + !!m->sw.depth;
	return !!m->buckets + !!m->oldbuckets + !!m->zombie + m->noverflow +
	       m->nkept + m->nspare;
}

/* ---- the reference model ---- */

void kvgt_model_init(struct kunit *test, struct model *md, size_t n)
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

void kvgt_model_clear(struct model *md)
{
	memset(md->present, 0, md->n);
	md->count = 0;
}

/* The map holds exactly the model's entries (every key is looked up). */
bool kvgt_map_matches_model(struct kunit *test, const struct kvg_map *m,
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
	return kvgt_stats_consistent(test, m);
}

/* A whole iteration returns each of the model's entries exactly once. */
bool kvgt_iter_matches_model(struct kunit *test, struct kvg_map *m,
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

const char *const kvgt_op_names[] = {
	"set", "assign", "delete", "get", "iterate", "shrink", "clear",
};

/*
 * Apply @op on key @idx to the map, and to the model if it succeeded.
 * Returns 0, the map's error (-ENOMEM, the model untouched), or -EFAULT
 * after reporting a disagreement.
 */
int kvgt_model_step(struct kunit *test, struct kvg_map *m, struct model *md,
		    enum map_op op, size_t idx, u64 val)
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
		if (!kvgt_iter_matches_model(test, m, md))
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
		kvgt_model_clear(md);
		kvg_map_snapshot(m, &st);
		if (st.B || st.growing || st.overflow ||
		    (!m->iterators && st.footprint_bytes)) {
			KUNIT_FAIL(test, "clear left B %u overflow %zu footprint %zu",
				   st.B, st.overflow, st.footprint_bytes);
			return -EFAULT;
		}
		break;
	}
	/* The key touched agrees with the model, and so does the count. */
	p = kvg_map_get(m, &key);
	if (!p != !md->present[idx] || (p && *p != md->val[idx]) ||
	    kvg_map_count(m) != md->count) {
		KUNIT_FAIL(test, "after %s (%d) key %zu: %s, model %s; count %zu, model %zu",
			   kvgt_op_names[op], ret, idx,
			   p ? "present" : "absent",
			   md->present[idx] ? "present" : "absent",
			   kvg_map_count(m), md->count);
		return -EFAULT;
	}
	return ret;
}

bool kvgt_iter_same_order(struct kunit *test, struct kvg_map *m,
			  unsigned int rounds, bool all)
{
	size_t n, count = kvg_map_count(m);
	struct kvg_map_iter it;
	bool same = true;
	unsigned int round;
	u64 *first, key;
	void *k, *v;

	first = kunit_kmalloc_array(test, count + 1, sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, first);
	for (round = 0; round < rounds; round++) {
		n = 0;
		kvg_map_iter_start(&it, m);
		while (kvg_map_iter_next(&it, &k, &v)) {
			memcpy(&key, k, sizeof(key));
			if (n < count && (n == 0 || all)) {
				if (!round)
					first[n] = key;
				else if (first[n] != key)
					same = false;
			}
			n++;
		}
		kvg_map_iter_stop(&it);
		KUNIT_EXPECT_EQ(test, n, count);
	}
	kunit_kfree(test, first);
	return same;
}
