// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for kvgrow maps (lib/map.c, both engines): every
 * operation of <kvgrow/map.h> on maps of any key and value size (8-byte
 * keys, the fast path, and odd sizes), with any flags and hint, with the built-in hashes
 * or user ops whose hash is constant or weak (long chains), run against a
 * model: which keys of a small universe are present, and their values.
 * Allocations fail at random (lib/fault.c).
 *
 * The input is a header (fault rate and seed, the random seed, the map's
 * configuration), then one operation per byte with its arguments in the
 * following bytes.  Checked after each operation:
 *  - lookups, updates, deletes and their results match the model; the
 *    count is the model's;
 *  - an insert that fails returns -ENOMEM, only when a failure was
 *    injected, and leaves the key absent and the count unchanged; updates,
 *    deletes and lookups never fail;
 *  - up to two iterators run across any writes, with Go's guarantee: a
 *    key is returned only while present, with its current value; never
 *    twice unless deleted and inserted again in between; and every key
 *    present for a whole iteration is returned;
 *  - while iterators live, at most one resize starts (none if one was
 *    under way) and nothing shrinks; with KVG_MAP_GO_COMPAT nothing
 *    shrinks but kvg_map_shrink();
 *  - every CHECK_EVERY operations and at the end, the snapshot, the chain
 *    histogram and the count of live blocks agree with the map's figures,
 *    and every present key is found; at the end nothing may be left.
 */
#include <string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <kvgrow/fault.h>
#include <kvgrow/map.h>
#include <kvgrow/vec.h>
#include "fuzz.h"

#define UNIVERSE	4096
#define NITER		2
#define CHECK_EVERY	64

/* fit.st[] bits: per key, per iteration. */
#define MUST		1	/* present since the iteration started */
#define RET		2	/* returned */
#define AGAIN		4	/* deleted since returned: may come again */

struct fit {
	struct kvg_map_iter it;
	bool live;
	u8 st[UNIVERSE];
};

static struct kvg_map map;
static bool map_live;
static struct kvg_map_cfg cfg;
static size_t universe;
static u8 present[UNIVERSE];
static u16 vseed[UNIVERSE];
static size_t count;
static struct fit fits[NITER];
static unsigned long nops;

/*
 * While iterators live, one resize may start if none was under way, and
 * none after it: its old array stays for them.  Nothing shrinks.
 */
static struct {
	bool on;
	bool resizing;		/* a resize was under way when it began */
	u64 resizes;
	u64 shrinks;
} period;

static void make_key(u8 *k, unsigned int idx)
{
	size_t j;

	k[0] = idx;
	for (j = 1; j < cfg.key_size; j++)
		k[j] = j == 1 ? idx >> 8 : (u8)(idx * 7 + j * 13);
}

static void make_val(u8 *v, unsigned int idx, u16 seed)
{
	size_t j;

	for (j = 0; j < cfg.val_size; j++)
		v[j] = seed * 31 + j * 7 + idx + (seed >> 8);
}

/* The index of a key the map handed out; aborts on a key never stored. */
static unsigned int key_idx(const u8 *k)
{
	u8 want[KVG_MAP_MAX_INLINE];
	unsigned int idx = k[0] | (cfg.key_size > 1 ? k[1] << 8 : 0);

	FUZZ_CHECK(idx < universe, "key %u out of the universe", idx);
	make_key(want, idx);
	FUZZ_CHECK(!memcmp(want, k, cfg.key_size), "corrupt key %u", idx);
	return idx;
}

static bool val_ok(const void *v, unsigned int idx)
{
	u8 want[KVG_MAP_MAX_INLINE];

	make_val(want, idx, vseed[idx]);
	return !memcmp(v, want, cfg.val_size);
}

static u64 const_hash(const void *key, const siphash_key_t *seed)
{
	return 0x4242424242424242ULL;
}

/* Eight distinct hashes: eight chains. */
static u64 weak_hash(const void *key, const siphash_key_t *seed)
{
	return (*(const u8 *)key & 7) * 0x0101010101010101ULL;
}

static bool key_equal(const void *a, const void *b)
{
	return !memcmp(a, b, cfg.key_size);
}

static const struct kvg_map_ops const_ops = { const_hash, key_equal };
static const struct kvg_map_ops weak_ops = { weak_hash, key_equal };
static const struct kvg_map_ops no_hash_ops = { NULL, key_equal };

/* The blocks a live map holds, by its own fields. */
static long map_blocks(const struct kvg_map *m)
{
	if (!(m->flags & KVG_MAP_GO119))
		return m->sw.tables + m->sw.nretired + !!m->sw.depth;
	return !!m->buckets + !!m->oldbuckets + !!m->zombie + m->noverflow +
	       m->nkept + m->nspare;
}

static unsigned int live_iters(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < NITER; i++)
		n += fits[i].live;
	return n;
}

static void check_cheap(void)
{
	if (!map_live)
		return;
	FUZZ_CHECK(kvg_map_count(&map) == count, "op %lu: count %zu, model %zu",
		   nops, kvg_map_count(&map), count);
	FUZZ_CHECK(map.iterators == live_iters(), "op %lu: %u iterators",
		   nops, map.iterators);
}

/* The Go 1.19 engine's buckets and chains against its snapshot. */
static void check_go119(const struct kvg_map_stats *st)
{
	u64 hist[KVG_MAP_HIST_LEN], chains = 0, ovf = 0;
	size_t i;

	FUZZ_CHECK(!st->swiss && st->B == map.B &&
		   st->buckets == (map.buckets ? 1UL << map.B : 0),
		   "buckets %zu", st->buckets);
	FUZZ_CHECK(st->growing == !!map.oldbuckets &&
		   st->old_buckets == (map.oldbuckets ? 1UL << map.old_B : 0) &&
		   st->evacuated <= st->old_buckets, "resize figures");
	FUZZ_CHECK(st->load_x100 == (st->buckets ? count * 100 / st->buckets : 0),
		   "load");
	FUZZ_CHECK(st->overflow == map.noverflow, "overflow");
	FUZZ_CHECK(!count || map.buckets, "entries without buckets");
	kvg_map_chain_histogram(&map, hist);
	for (i = 0; i < KVG_MAP_HIST_LEN; i++) {
		chains += hist[i];
		ovf += i * hist[i];
	}
	FUZZ_CHECK(chains >= st->buckets && chains <= st->buckets +
		   st->old_buckets, "%llu chains, %zu + %zu buckets", chains,
		   st->buckets, st->old_buckets);
	FUZZ_CHECK(hist[KVG_MAP_HIST_LEN - 1] ? ovf <= st->overflow :
		   ovf == st->overflow, "histogram: %llu overflow, %zu",
		   ovf, st->overflow);
}

/* The Swiss engine: its structure slot by slot, and its snapshot. */
static void check_swiss(const struct kvg_map_stats *st)
{
	const char *why = kvg_swiss_validate(&map);

	FUZZ_CHECK(!why, "op %lu: %s", nops, why);
	FUZZ_CHECK(st->swiss && !st->B && !st->buckets && !st->growing &&
		   !st->overflow, "Go 1.19 figures in a Swiss map");
	FUZZ_CHECK(st->tables == map.sw.tables && st->slots == map.sw.slots &&
		   st->global_depth == map.sw.depth &&
		   st->tombstones == map.sw.tombstones &&
		   st->retired_tables == map.sw.nretired, "table figures");
	FUZZ_CHECK(st->load_x100 == (st->slots ? count * 100 / st->slots : 0),
		   "load");
	FUZZ_CHECK(st->largest_block <= 32768, "a %zu-byte table",
		   st->largest_block);
}

static void check_full(void)
{
	struct kvg_map_stats st;
	u8 key[KVG_MAP_MAX_INLINE];
	size_t i, seen = 0, live;
	void *v;

	FUZZ_CHECK(!shim_warn_count, "WARN_ON fired");
	if (!map_live) {
		FUZZ_CHECK(!kvg_mem_live_blocks(), "blocks without a map");
		return;
	}
	check_cheap();
	for (i = 0; i < universe; i++) {
		if (!present[i] && (i & 63))
			continue;
		make_key(key, i);
		v = kvg_map_get(&map, key);
		FUZZ_CHECK(!v == !present[i], "key %zu %s", i,
			   v ? "found, absent" : "lost");
		if (v) {
			FUZZ_CHECK(val_ok(v, i), "key %zu: wrong value", i);
			seen++;
		}
	}
	FUZZ_CHECK(seen == count, "found %zu of %zu", seen, count);
	kvg_map_snapshot(&map, &st);
	live = count * (cfg.key_size + cfg.val_size);
	FUZZ_CHECK(st.count == count && st.key_size == cfg.key_size &&
		   st.val_size == cfg.val_size, "snapshot sizes");
	FUZZ_CHECK(st.live_bytes == live && st.slack_bytes ==
		   st.footprint_bytes - live, "live %zu slack %zu",
		   st.live_bytes, st.slack_bytes);
	/* Every entry takes a slot: its control byte, key and value. */
	FUZZ_CHECK(st.footprint_bytes >= count * (1 + cfg.key_size +
						  cfg.val_size),
		   "footprint %zu for %zu entries", st.footprint_bytes, count);
	FUZZ_CHECK(st.peak_footprint_bytes >= st.footprint_bytes, "peak");
	FUZZ_CHECK(st.go_compat == !!(cfg.flags & KVG_MAP_GO_COMPAT),
		   "go_compat");
	if (map.flags & KVG_MAP_GO119)
		check_go119(&st);
	else
		check_swiss(&st);
	FUZZ_CHECK(kvg_mem_live_blocks() == map_blocks(&map),
		   "live blocks %ld, the map has %ld", kvg_mem_live_blocks(),
		   map_blocks(&map));
}

/* A key left the map: iterations may return it again if it comes back. */
static void note_gone(unsigned int idx)
{
	int i;

	for (i = 0; i < NITER; i++) {
		fits[i].st[idx] &= ~MUST;
		if (fits[i].st[idx] & RET)
			fits[i].st[idx] |= AGAIN;
	}
}

static u64 resizes(void)
{
	return map.acct.grows + map.acct.same_size_grows + map.acct.shrinks;
}

static void period_update(void)
{
	if (!map.iterators) {
		period.on = false;
	} else if (!period.on) {
		period.on = true;
		period.resizing = map.oldbuckets;
		period.resizes = resizes();
		period.shrinks = map.acct.shrinks;
	}
}

static void period_check(void)
{
	FUZZ_CHECK(!map.oldbuckets || !map.zombie, "resizing with a zombie");
	/* Swiss maps keep growing and shrinking under iterators. */
	if (!period.on || !(map.flags & KVG_MAP_GO119))
		return;
	FUZZ_CHECK(resizes() - period.resizes <= !period.resizing &&
		   map.acct.shrinks == period.shrinks,
		   "op %lu: %llu resizes under iterators", nops,
		   resizes() - period.resizes);
}

static void op_set(unsigned int idx, u16 seed, int how)
{
	unsigned long injected = kvg_fault_injected();
	u8 key[KVG_MAP_MAX_INLINE], val[KVG_MAP_MAX_INLINE];
	void *slot = NULL;
	int ret;

	make_key(key, idx);
	if (how == 1) {
		ret = kvg_map_assign(&map, key, &slot);
	} else {
		make_val(val, idx, seed);
		ret = kvg_map_set(&map, key, how == 2 ? NULL : val);
	}
	if (ret == -ENOMEM) {
		FUZZ_CHECK(!present[idx], "op %lu: an update failed", nops);
		FUZZ_CHECK(kvg_fault_injected() != injected,
			   "op %lu: -ENOMEM, none injected", nops);
		FUZZ_CHECK(!kvg_map_get(&map, key), "op %lu: failed insert left key %u",
			   nops, idx);
		check_cheap();
		return;
	}
	/*
	 * A Swiss table cannot split keys of one hash: with the degenerate
	 * ops (1 or 8 hashes), a full largest table refuses a new key.
	 */
	if (ret == -E2BIG) {
		size_t top = map.sw.level_groups[map.sw.nlevels - 1] * 7;

		FUZZ_CHECK(!(map.flags & KVG_MAP_GO119) && !present[idx] &&
			   (cfg.ops == &const_ops || cfg.ops == &weak_ops) &&
			   count * 4 >= top * 3,
			   "op %lu: set %u: -E2BIG at count %zu", nops, idx, count);
		FUZZ_CHECK(!kvg_map_get(&map, key), "op %lu: refused key %u present",
			   nops, idx);
		check_cheap();
		return;
	}
	FUZZ_CHECK(ret == (how == 1 ? !present[idx] : 0),
		   "op %lu: set %u: %d (present %d)", nops, idx, ret,
		   present[idx]);
	if (how == 1) {
		FUZZ_CHECK(slot, "assign gave no slot");
		if (!present[idx]) {
			memset(val, 0, cfg.val_size);
			FUZZ_CHECK(!memcmp(slot, val, cfg.val_size),
				   "new value not zeroed");
		} else {
			FUZZ_CHECK(val_ok(slot, idx), "assign: wrong value");
		}
		make_val(slot, idx, seed);
	} else if (how == 2 && present[idx]) {
		seed = vseed[idx];	/* NULL value: the old one stays */
	} else if (how == 2) {
		slot = kvg_map_get(&map, key);
		FUZZ_CHECK(slot, "set: key missing");
		memset(val, 0, cfg.val_size);
		FUZZ_CHECK(!memcmp(slot, val, cfg.val_size),
			   "set NULL: new value not zeroed");
		make_val(slot, idx, seed);
	}
	count += !present[idx];
	present[idx] = 1;
	vseed[idx] = seed;
	slot = kvg_map_get(&map, key);
	FUZZ_CHECK(slot && val_ok(slot, idx), "op %lu: set %u lost", nops, idx);
	check_cheap();
}

static void op_get(unsigned int idx)
{
	u8 key[KVG_MAP_MAX_INLINE];
	void *v;

	make_key(key, idx);
	v = kvg_map_get(&map, key);
	FUZZ_CHECK(!v == !present[idx], "op %lu: get %u", nops, idx);
	FUZZ_CHECK(!v || val_ok(v, idx), "op %lu: get %u: value", nops, idx);
}

static void op_delete(unsigned int idx)
{
	u8 key[KVG_MAP_MAX_INLINE];
	bool was = present[idx];

	make_key(key, idx);
	FUZZ_CHECK(kvg_map_delete(&map, key) == was, "op %lu: delete %u",
		   nops, idx);
	if (was) {
		present[idx] = 0;
		count--;
		note_gone(idx);
	}
	FUZZ_CHECK(!kvg_map_get(&map, key), "op %lu: deleted key found", nops);
	check_cheap();
}

static void op_clear(void)
{
	unsigned int i;

	kvg_map_clear(&map);
	for (i = 0; i < universe; i++)
		if (present[i])
			note_gone(i);
	memset(present, 0, sizeof(present));
	count = 0;
	check_cheap();
	if (!map.iterators)
		FUZZ_CHECK(!kvg_mem_live_blocks(), "clear kept %ld blocks",
			   kvg_mem_live_blocks());
}

static void op_shrink(void)
{
	unsigned long injected = kvg_fault_injected();
	int err = kvg_map_shrink(&map);

	if (map.iterators) {
		FUZZ_CHECK(err == -EBUSY, "shrink with iterators: %d", err);
		return;
	}
	if (err) {
		FUZZ_CHECK(err == -ENOMEM && kvg_fault_injected() != injected,
			   "shrink: %d", err);
		check_cheap();
		return;
	}
	FUZZ_CHECK(!map.oldbuckets, "shrink left a resize");
	FUZZ_CHECK(count || !kvg_mem_live_blocks(), "empty map kept %ld blocks",
		   kvg_mem_live_blocks());
	FUZZ_CHECK(!map.B || count * 4 > 13 * (1UL << (map.B - 1)),
		   "shrink stopped at B %u with %zu", map.B, count);
	check_cheap();
}

static void iter_start(struct fit *f)
{
	unsigned int i;

	kvg_map_iter_start(&f->it, &map);
	period_update();
	f->live = true;
	for (i = 0; i < universe; i++)
		f->st[i] = present[i] ? MUST : 0;
	/* An empty map's iterator is born stopped. */
	if (!count) {
		f->live = false;
		FUZZ_CHECK(!f->it.active, "iterator of an empty map");
	}
}

static void iter_end(struct fit *f)
{
	unsigned int i;

	f->live = false;
	period_update();
	for (i = 0; i < universe; i++)
		FUZZ_CHECK(!(f->st[i] & MUST) || f->st[i] & RET,
			   "op %lu: iteration missed key %u", nops, i);
}

/* One step of @f; false when the iteration ended. */
static bool iter_step(struct fit *f)
{
	unsigned int idx;
	void *k, *v;

	if (!kvg_map_iter_next(&f->it, &k, &v)) {
		if (f->live)
			iter_end(f);
		return false;
	}
	FUZZ_CHECK(f->live, "a stopped iterator returned a key");
	idx = key_idx(k);
	FUZZ_CHECK(present[idx], "op %lu: iteration returned absent key %u",
		   nops, idx);
	FUZZ_CHECK(!(f->st[idx] & RET) || f->st[idx] & AGAIN,
		   "op %lu: iteration returned key %u twice", nops, idx);
	FUZZ_CHECK(val_ok(v, idx), "op %lu: iteration: wrong value of %u",
		   nops, idx);
	f->st[idx] = (f->st[idx] | RET) & ~AGAIN;
	return true;
}

static void iter_stop(struct fit *f)
{
	kvg_map_iter_stop(&f->it);
	f->live = false;
	period_update();
	check_cheap();
}

/* Every entry through a fresh iteration: the model's set exactly. */
static void check_by_iteration(void)
{
	struct fit *f = &fits[NITER - 1];

	if (f->live)
		iter_stop(f);
	iter_start(f);
	while (iter_step(f))
		;
	check_cheap();
}

/* A map that was never made, or was destroyed, refuses everything. */
static void check_dead(void)
{
	static const struct kvg_map zero;
	struct kvg_map_iter it;
	u64 hist[KVG_MAP_HIST_LEN];
	u8 key[KVG_MAP_MAX_INLINE] = { 0 };
	void *k, *v = NULL;

	FUZZ_CHECK(!kvg_map_get(&map, key) &&
		   kvg_map_set(&map, key, NULL) == -EINVAL &&
		   kvg_map_assign(&map, key, &v) == -EINVAL && !v &&
		   !kvg_map_delete(&map, key) &&
		   kvg_map_shrink(&map) == -EINVAL && !kvg_map_count(&map),
		   "a dead map took an operation");
	kvg_map_clear(&map);
	kvg_map_iter_start(&it, &map);
	FUZZ_CHECK(!kvg_map_iter_next(&it, &k, &v), "dead map iterated");
	kvg_map_chain_histogram(&map, hist);
	FUZZ_CHECK(!hist[0], "dead map histogram");
	kvg_map_destroy(&map);
	FUZZ_CHECK(!memcmp(&map, &zero, sizeof(zero)), "dead map written");
}

static void map_destroy(void)
{
	/* No iterator of the map may be used afterwards. */
	memset(fits, 0, sizeof(fits));
	period.on = false;
	kvg_map_destroy(&map);
	map_live = false;
	memset(present, 0, sizeof(present));
	count = 0;
	FUZZ_CHECK(!kvg_mem_live_blocks(), "destroy left %ld blocks",
		   kvg_mem_live_blocks());
	check_dead();
}

/* Destroy the map if live, and make a new one from the input. */
static void op_init(struct fuzz_in *in)
{
	static const u8 key_sizes[16] = { 8, 8, 4, 1, 2, 3, 5, 7, 8, 16, 24,
					  31, 64, 128, 4, 12 };
	static const u8 val_sizes[8] = { 8, 0, 1, 3, 8, 16, 24, 128 };
	u8 ksel = fuzz_u8(in), vsel = fuzz_u8(in), fsel = fuzz_u8(in);
	u8 hsel = fuzz_u8(in), bad = 0;
	unsigned long injected;
	size_t b;
	int err, expect = 0;

	if (map_live)
		map_destroy();
	cfg = (struct kvg_map_cfg){
		.key_size = key_sizes[ksel & 15],
		.val_size = val_sizes[vsel & 7],
		.flags = (fsel & 7) | (fsel & 0x40 ? KVG_MAP_GO119 : 0),
		.gfp = GFP_KERNEL,
	};
	if (vsel >= 0xf0)
		cfg.val_size = vsel & 8 ? fuzz_u8(in) % 129 : 16 + (vsel & 7);
	switch (fsel >> 3 & 7) {
	case 1:
		cfg.ops = &const_ops;
		break;
	case 2:
	case 3:
		cfg.ops = &weak_ops;
		break;
	}
	if (hsel < 128)
		cfg.hint = hsel & 15;
	else if (hsel < 232)
		cfg.hint = fuzz_u8(in) * 4;
	else if (hsel < 240)
		cfg.hint = fuzz_u16(in) % 8192;
	else
		cfg.hint = hsel & 1 ? SIZE_MAX : (size_t)13 << 30;
	if (hsel >= 240)
		expect = -E2BIG;
	/* Now and then a configuration init must refuse. */
	if (ksel >= 0xf8) {
		bad = ksel & 7;
		if (bad < 5)
			expect = -EINVAL;
		switch (bad) {
		case 0:
			cfg.key_size = 0;
			break;
		case 1:
			cfg.key_size = KVG_MAP_MAX_INLINE + 1;
			break;
		case 2:
			cfg.val_size = KVG_MAP_MAX_INLINE + 1;
			break;
		case 3:
			cfg.flags |= 16 << (fsel & 7);
			break;
		case 4:
			cfg.ops = &no_hash_ops;
			break;
		}
	}
	universe = cfg.key_size == 1 || cfg.ops == &const_ops ? 256 :
		   cfg.ops ? 1024 : UNIVERSE;
	memset(&map, 0x5a, sizeof(map));
	injected = kvg_fault_injected();
	err = kvg_map_init(&map, &cfg);
	if (err) {
		FUZZ_CHECK(err == expect || (err == -ENOMEM && !expect &&
					     kvg_fault_injected() != injected),
			   "init: %d, expected %d", err, expect);
		for (b = 0; b < sizeof(map); b++)
			FUZZ_CHECK(((u8 *)&map)[b] == 0x5a, "failed init wrote");
		memset(&map, 0, sizeof(map));
		FUZZ_CHECK(!kvg_mem_live_blocks(), "failed init leaked");
		check_dead();
		return;
	}
	FUZZ_CHECK(!expect, "init: 0, expected %d", expect);
	if (map.flags & KVG_MAP_GO119)
		FUZZ_CHECK(!map.count && map.B == kvg_map_hint_B(cfg.hint) &&
			   !map.buckets == !map.B, "init: B %u for hint %zu",
			   map.B, cfg.hint);
	else
		FUZZ_CHECK(!map.count && !map.B && !map.buckets &&
			   !map.sw.tables == !cfg.hint, "init: %zu tables for hint %zu",
			   map.sw.tables, cfg.hint);
	map_live = true;
	check_cheap();
}

enum {
	OP_SET, OP_ASSIGN, OP_SET_NULL, OP_GET, OP_DELETE, OP_BULK_SET,
	OP_BULK_DELETE, OP_CLEAR, OP_SHRINK, OP_ITER_START, OP_ITER_NEXT,
	OP_ITER_STOP, OP_ITER_DRAIN, OP_FAIL_NTH, OP_FAIL_RANDOM, OP_CHECK,
	OP_CHECK_ITER, OP_INIT, OP_NR
};

static unsigned int pick_key(struct fuzz_in *in)
{
	u8 b = fuzz_u8(in);

	/* Mostly a small neighbourhood, so keys come back. */
	if (b < 192)
		return b % 64 % universe;
	return (b << 8 | fuzz_u8(in)) % universe;
}

static void step(struct fuzz_in *in)
{
	u8 code = fuzz_u8(in), op = (code & 0x7f) % OP_NR, sel;
	struct fit *f = &fits[code >> 7];
	u64 shrinks = map.acct.shrinks;
	unsigned int idx, n, i;

	nops++;
	if (!map_live) {
		op_init(in);
		return;
	}
	switch (op) {
	case OP_SET:
	case OP_ASSIGN:
	case OP_SET_NULL:
		idx = pick_key(in);
		op_set(idx, fuzz_u16(in), op - OP_SET);
		break;
	case OP_GET:
		op_get(pick_key(in));
		break;
	case OP_DELETE:
		op_delete(pick_key(in));
		break;
	case OP_BULK_SET:
	case OP_BULK_DELETE:
		idx = pick_key(in);
		sel = fuzz_u8(in);
		n = sel < 128 ? sel % 32 : (sel - 127) * 4;
		for (i = 0; i < n; i++) {
			if (op == OP_BULK_SET)
				op_set((idx + i) % universe, idx + i, 0);
			else
				op_delete((idx + i) % universe);
		}
		break;
	case OP_CLEAR:
		op_clear();
		break;
	case OP_SHRINK:
		op_shrink();
		break;
	case OP_ITER_START:
		if (f->live)
			iter_stop(f);
		iter_start(f);
		break;
	case OP_ITER_NEXT:
		n = 1 + fuzz_u8(in) % 16;
		while (f->live && n-- && iter_step(f))
			;
		break;
	case OP_ITER_STOP:
		if (f->live)
			iter_stop(f);
		else
			kvg_map_iter_stop(&f->it);	/* a no-op */
		break;
	case OP_ITER_DRAIN:
		while (f->live && iter_step(f))
			;
		break;
	case OP_FAIL_NTH:
		kvg_fault_fail_nth(1 + fuzz_u8(in) % 4);
		break;
	case OP_FAIL_RANDOM:
		fuzz_fail_random(in);
		break;
	case OP_CHECK:
		check_full();
		break;
	case OP_CHECK_ITER:
		check_by_iteration();
		break;
	case OP_INIT:
		op_init(in);
		return;
	}
	period_check();
	if (cfg.flags & KVG_MAP_GO_COMPAT && op != OP_SHRINK)
		FUZZ_CHECK(map.acct.shrinks == shrinks,
			   "op %lu: a Go-compatible map shrank", nops);
	if (!(nops % CHECK_EVERY))
		check_full();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	u8 rate = fuzz_u8(&in);

	FUZZ_CHECK(!kvg_mem_live_blocks(), "blocks live before the input");
	kvg_fault_reset();
	shim_random_seed(fuzz_u16(&in));
	nops = 0;
	memset(fits, 0, sizeof(fits));
	memset(&period, 0, sizeof(period));
	memset(present, 0, sizeof(present));
	count = 0;
	map_live = false;
	memset(&map, 0, sizeof(map));
	/* Half the inputs fail allocations at random from the start. */
	if (rate >= 128)
		kvg_fault_fail_random((rate - 127) * 3, fuzz_u16(&in));
	op_init(&in);
	while (fuzz_left(&in))
		step(&in);
	kvg_fault_reset();
	check_full();
	if (map_live) {
		/* Drain or stop the iterators, or let destroy drop them. */
		if (size && data[size - 1] & 1)
			check_by_iteration();
		map_destroy();
	}
	FUZZ_CHECK(!kvg_mem_live_blocks(), "%ld blocks leaked",
		   kvg_mem_live_blocks());
	return 0;
}
