// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow maps: the API of <kvgrow/map.h>, over two engines.
 *
 * Design.  A map stores fixed-size keys and values inline, hashed with a
 * random key per map (lib/map_key.h: multiply-add-shift for 4- and 8-byte
 * keys, hsiphash, or the caller's ops).  Each call checks its arguments
 * and the map's state here, then goes to one engine:
 *
 *  - the default engine, Go 1.24's design (lib/swiss.h): a directory of
 *    Swiss tables, none above 32 KiB, grown a table at a time, shrunk
 *    when entries go;
 *  - with KVG_MAP_GO119 (implied by KVG_MAP_GO_COMPAT), Go 1.19's hmap
 *    (lib/hmap.h): one bucket array, doubled with incremental evacuation;
 *    the faithful model the article, the simulator and the oracle checks
 *    are about, plus kvgrow's reclaim and shrinking unless in Go mode.
 *
 * Within an engine, each operation is one __always_inline function
 * specialised by one key-size dispatch (DEFINE_MAP_OP() in map_key.h):
 * u64 keys inline, u32 and other keys out of line.  Both engines give
 * Go's iteration guarantees across any resize, keep every entry when an
 * allocation fails (they allocate all they need before they change
 * anything), commit structural changes inside the map's seqcount write
 * section for kvg_map_snapshot(), and count the exact bytes the allocator
 * hands out.  After every write that can change its blocks, a map in a
 * group charges the group the difference (charge_group()).
 *
 * Glossary
 *   entry      a key and its value.
 *   slot       where an entry lives: a bucket's (Go 1.19) or a table's.
 *   engine     the layout and growth rules behind the API: Swiss or hmap.
 *   hash       64 bits per key; each engine takes its own bit fields
 *              (the directory index, H1 and H2; the bucket index and the
 *              tophash).
 *   footprint  the bytes of every block the map holds, as the allocator
 *              rounds them (kmalloc size classes, vmalloc pages).
 *   iterator   a live kvg_map_iter: while any lives, the engines free
 *              nothing an iterator could still read.
 *   dead map   one never initialised or destroyed (key_size 0): every
 *              call on it is a no-op or fails with -EINVAL.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/siphash.h>
#include <linux/string.h>
#include <kvgrow/map.h>
#include <kvgrow/mix.h>
#include "kvg_acct.h"
#include "map_key.h"
#include "hmap.h"
#include "swiss.h"

#define FLAGS_VALID	(KVG_MAP_ITER_ORDERED | KVG_MAP_GO_COMPAT | KVG_MAP_HSIPHASH | \
			 KVG_MAP_GO119)

/*
 * The hash of any key: hash_k()'s value, out of line.  The fast paths
 * call it for the keys they do not specialise for (fast_ks() gives
 * KS_ANY: custom ops, KVG_MAP_HSIPHASH, sizes other than 4 and 8), so
 * that the u64 and u32 paths make no call; rehashing and iteration call
 * it for every key.
 */
u64 kvg_map_hash(const struct kvg_map *m, const void *key)
{
	const hsiphash_key_t hk = { { m->seed.key[0], m->seed.key[1] } };
	bool sip = m->flags & KVG_MAP_HSIPHASH;
	u64 k8;
	u32 k4, h;

	/*
	 * A custom hash goes through kvg_mix64(), a bijection, so that every
	 * bit depends on all of it: a 32-bit hash widened to u64 (jhash,
	 * hsiphash) would otherwise leave the top bits 0, which the Swiss
	 * directory indexes by and Go's tophash is.
	 */
	if (m->ops)
		return kvg_mix64(m->ops->hash(key, &m->seed));
	if (m->key_size == sizeof(k8)) {
		memcpy(&k8, key, sizeof(k8));
		if (!sip)
			return mas_hash(m, k8);
		h = hsiphash_2u32((u32)k8, k8 >> 32, &hk);
	} else if (m->key_size == sizeof(k4)) {
		memcpy(&k4, key, sizeof(k4));
		if (!sip)
			return mas_hash(m, k4);
		h = hsiphash_1u32(k4, &hk);
	} else {
		h = hsiphash(key, m->key_size, &hk);
	}
	return (u64)h << 32 | h;
}

static size_t map_footprint(const struct kvg_map *m)
{
	return swiss_mode(m) ? m->sw.footprint : kvg_hmap_footprint(m);
}

/* Free every block; the map keeps its configuration only. */
static void free_all(struct kvg_map *m)
{
	if (swiss_mode(m))
		kvg_swiss_free_all(m);
	else
		kvg_hmap_free_all(m);
}

/* Back to a fresh empty map, with a new seed, as Go's mapclear does. */
static void reset_empty(struct kvg_map *m)
{
	free_all(m);
	map_reseed(m);
}

/**
 * kvg_map_init_site() - Initialise an empty map.
 * @m: The map; overwritten, so it must not be live.
 * @cfg: Its configuration: key and value sizes, hint, ops, gfp, flags.
 * @site: Where it is created; kvg_map_init() passes the caller's.
 *
 * A hint is allocated for now: tables with room for it (the
 * default engine), or the bucket array for it above 8 (KVG_MAP_GO119).
 * Otherwise the first insert allocates.
 *
 * Context: May sleep if @cfg->gfp permits.
 * Return: 0; -EINVAL for a key size of 0, a key or value size above
 * KVG_MAP_MAX_INLINE, unknown flags, or ops lacking hash or equal; -E2BIG
 * for a hint that needs more than 2^30 buckets; -ENOMEM.  On an error @m
 * is not written.
 */
int kvg_map_init_site(struct kvg_map *m, const struct kvg_map_cfg *cfg,
		      const struct kvg_site *site)
{
	struct kvg_map tmp = { };
	int err;

	if (!cfg->key_size || cfg->key_size > KVG_MAP_MAX_INLINE ||
	    cfg->val_size > KVG_MAP_MAX_INLINE || cfg->flags & ~FLAGS_VALID ||
	    (cfg->ops && (!cfg->ops->hash || !cfg->ops->equal)))
		return -EINVAL;
	tmp.key_size = cfg->key_size;
	tmp.val_size = cfg->val_size;
	tmp.bucket_size = KVG_MAP_SLOTS * (1 + cfg->key_size + cfg->val_size) +
			  sizeof(void *);
	tmp.flags = cfg->flags;
	if (tmp.flags & KVG_MAP_GO_COMPAT)
		tmp.flags |= KVG_MAP_GO119;
	tmp.ops = cfg->ops;
	tmp.gfp = cfg->gfp;
	tmp.site = site;
	map_reseed(&tmp);
	/* Either engine: no more than 2^30 Go 1.19 buckets would hold. */
	if (kvg_map_hint_B(cfg->hint) > HMAP_MAX_B)
		return -E2BIG;
	if (swiss_mode(&tmp))
		err = kvg_swiss_init(&tmp, cfg->hint);
	else
		err = kvg_hmap_init(&tmp, cfg->hint);
	if (err)
		return err;
	*m = tmp;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_map_init_site);

static void charge_group(struct kvg_map *m);

/**
 * kvg_map_destroy() - Free a map's memory.
 * @m: The map, dead afterwards until initialised again; a no-op on a dead
 *     map.  A map registered with kvgrow.ko leaves the registry first, and
 *     one in a group leaves the group.
 *
 * Context: Process context.  May sleep: kvfree() of a vmalloc block, and
 * leaving the registry, which takes its mutex and waits for the debugfs
 * readers of @m to finish.  The caller serialises all calls on @m; no
 * iterator of @m may be used afterwards.
 */
void kvg_map_destroy(struct kvg_map *m)
{
	might_sleep();
	if (!m->key_size)
		return;
	kvg_observer_release(m->observer, m);
	charge_group(m);
	kvg_group_leave(m->group, m->charged.footprint);
	free_all(m);
	*m = (struct kvg_map){ };
}
EXPORT_SYMBOL_GPL(kvg_map_destroy);

/**
 * kvg_map_get() - Look a key up: Go's mapaccess.
 * @m: The map.
 * @key: The key, key_size bytes.
 *
 * Context: Any context.  Lookups may run concurrently with each other, not
 * with any other call on @m.
 * Return: A pointer to @key's value (val_size bytes), valid until the next
 * write to @m; NULL if @key is absent or @m is dead.
 */
void *kvg_map_get(const struct kvg_map *m, const void *key)
{
	if (unlikely(!m->key_size) || !m->count)
		return NULL;
	if (swiss_mode(m))
		return kvg_swiss_get(m, key);
	return kvg_hmap_get(m, key);
}
EXPORT_SYMBOL_GPL(kvg_map_get);

static __always_inline int assign(struct kvg_map *m, const void *key,
				  void **val, unsigned long ip)
{
	int ret;

	if (unlikely(!m->key_size))
		return -EINVAL;
	if (swiss_mode(m))
		ret = kvg_swiss_assign(m, key, val, ip);
	else
		ret = kvg_hmap_assign(m, key, val, ip);
	if (unlikely(m->group))
		charge_group(m);
	return ret;
}

/**
 * kvg_map_assign() - Find or insert a key: Go's mapassign.
 * @m: The map.
 * @key: The key, key_size bytes.
 * @val: Set to the key's value slot (zeroed for a new key), valid until
 *       the next write to @m.
 *
 * Context: May sleep if @m's gfp flags permit.  The caller serialises all
 * calls on @m.
 * Return: 1 if @key was inserted, 0 if it was there (an update never
 * fails), -EINVAL on a dead map, -ENOMEM (the map's contents unchanged);
 * for a Swiss map also -E2BIG, the map unchanged, when a full
 * table cannot split because all its keys share one hash (custom ops
 * whose hash collides for more keys than a table holds, e.g. a constant
 * hash past some 1260 u64 keys; a custom hash is mixed first, so a
 * 32-bit one is fine).
 */
int kvg_map_assign(struct kvg_map *m, const void *key, void **val)
{
	return assign(m, key, val, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kvg_map_assign);

/**
 * kvg_map_set() - Insert or update a key: Go's m[key] = val.
 * @m: The map.
 * @key: The key, key_size bytes.
 * @val: The value, val_size bytes; may be NULL for a map without values
 *       (a new key then gets a zeroed value).
 *
 * Context: May sleep if @m's gfp flags permit.  The caller serialises all
 * calls on @m.
 * Return: 0; -EINVAL on a dead map; -ENOMEM, or -E2BIG as for
 * kvg_map_assign(), for a new key (the map's contents unchanged).  An
 * update never fails.
 */
int kvg_map_set(struct kvg_map *m, const void *key, const void *val)
{
	void *slot = NULL;
	int err = assign(m, key, &slot, _RET_IP_);

	if (err < 0)
		return err;
	if (val)
		val_copy(m, slot, val);
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_map_set);

/**
 * kvg_map_delete() - Remove a key: Go's mapdelete.
 * @m: The map.
 * @key: The key, key_size bytes.
 *
 * Never fails: evacuation work it cannot allocate for is left for later.
 * An overflow bucket it empties is unlinked (deferred while iterators
 * live), and a map that became sparse starts to shrink.
 *
 * Context: May sleep if @m's gfp flags permit.  The caller serialises all
 * calls on @m.
 * Return: true if @key was present, false if not or @m is dead.
 */
bool kvg_map_delete(struct kvg_map *m, const void *key)
{
	bool found;

	if (unlikely(!m->key_size) || !m->count)
		return false;
	if (swiss_mode(m))
		found = kvg_swiss_delete(m, key, _RET_IP_);
	else
		found = kvg_hmap_delete(m, key, _RET_IP_);
	if (unlikely(m->group))
		charge_group(m);
	return found;
}
EXPORT_SYMBOL_GPL(kvg_map_delete);

/**
 * kvg_map_clear() - Remove every entry: Go's clear(m).
 * @m: The map; a no-op on a dead map.
 *
 * Frees everything, down to a fresh empty map, unless iterators live: then
 * the slots are emptied in place and the memory goes when they stop.
 *
 * Context: May sleep if @m's gfp flags permit.  The caller serialises all
 * calls on @m.
 */
void kvg_map_clear(struct kvg_map *m)
{
	if (!m->key_size)
		return;
	if (!m->iterators)
		reset_empty(m);
	else if (swiss_mode(m))
		kvg_swiss_clear(m);
	else
		kvg_hmap_clear(m);
	charge_group(m);
}
EXPORT_SYMBOL_GPL(kvg_map_clear);

static int shrink(struct kvg_map *m, unsigned long ip)
{
	if (!m->key_size)
		return -EINVAL;
	if (m->iterators)
		return -EBUSY;
	if (!swiss_mode(m))
		return kvg_hmap_shrink(m, ip);
	if (!m->count) {
		reset_empty(m);
		return 0;
	}
	return kvg_swiss_shrink(m, ip);
}

/**
 * kvg_map_shrink() - Compact a map now.
 * @m: The map.
 *
 * Finishes any resize, then halves while at most half of Go's load factor
 * would remain used; an empty map frees everything.
 *
 * Context: May sleep if @m's gfp flags permit.  The caller serialises all
 * calls on @m.
 * Return: 0; -EINVAL on a dead map; -EBUSY while iterators live; -ENOMEM,
 * with every entry still in place (retry later).
 */
int kvg_map_shrink(struct kvg_map *m)
{
	int err = shrink(m, _RET_IP_);

	charge_group(m);
	return err;
}
EXPORT_SYMBOL_GPL(kvg_map_shrink);

/* ---- iteration ---- */

/**
 * kvg_map_iter_start() - Start iterating over a map: Go's range.
 * @it: The iterator; overwritten.
 * @m: The map.
 *
 * The order is random unless @m has KVG_MAP_ITER_ORDERED.  While the
 * iterator lives, @m may be written to between kvg_map_iter_next() calls;
 * those writes free nothing an iterator could reach, and start at most one
 * resize (none if one is under way when the iteration starts) and no
 * shrink.  A Swiss map keeps growing and shrinking meanwhile: the
 * tables it replaces are kept until the last iterator stops.
 * Stop it with kvg_map_iter_stop() unless kvg_map_iter_next() returned
 * false.  On an empty or dead map the iterator returns nothing.
 *
 * Context: Any context.  The caller serialises all calls on @m.
 */
void kvg_map_iter_start(struct kvg_map_iter *it, struct kvg_map *m)
{
	*it = (struct kvg_map_iter){ .m = m };
	if (!m->key_size || !m->count)
		return;
	if (swiss_mode(m))
		kvg_swiss_iter_start(it, m);
	else
		kvg_hmap_iter_start(it, m);
}
EXPORT_SYMBOL_GPL(kvg_map_iter_start);

/**
 * kvg_map_iter_stop() - Stop an iterator early.
 * @it: The iterator; a no-op on one already stopped.
 *
 * When the last iterator of a map stops, what was kept for the iterators
 * is freed, emptied overflow buckets are reclaimed and a sparse map starts
 * to shrink.
 *
 * Context: May sleep if the map's gfp flags permit.  The caller serialises
 * this call with all calls on the map.
 */
void kvg_map_iter_stop(struct kvg_map_iter *it)
{
	if (!it->active)
		return;
	it->active = false;
	if (!--it->m->iterators) {
		if (swiss_mode(it->m))
			kvg_swiss_release(it->m);
		else
			kvg_hmap_release(it->m, _RET_IP_);
		charge_group(it->m);
	}
}
EXPORT_SYMBOL_GPL(kvg_map_iter_stop);

/**
 * kvg_map_iter_next() - The next entry of an iteration.
 * @it: The iterator.
 * @key: Set to the key.
 * @val: Set to its value.
 *
 * An entry present for the whole iteration is returned exactly once, one
 * deleted before it is reached is not, and one inserted meanwhile may or
 * may not be, across any resize.  The pointers stay valid until the next
 * write to the map.  Returning false stops the iterator, as
 * kvg_map_iter_stop() does.
 *
 * Context: May sleep if the map's gfp flags permit.  The caller serialises
 * this call with all calls on the map.
 * Return: true with *@key and *@val set; false when every entry was
 * returned or @it was stopped.
 */
bool kvg_map_iter_next(struct kvg_map_iter *it, void **key, void **val)
{
	bool more;

	if (!it->active)
		return false;
	if (swiss_mode(it->m))
		more = kvg_swiss_iter_next(it, key, val);
	else
		more = kvg_hmap_iter_next(it, key, val);
	if (!more)
		kvg_map_iter_stop(it);
	return more;
}
EXPORT_SYMBOL_GPL(kvg_map_iter_next);

/* ---- figures ---- */

/**
 * kvg_map_snapshot() - Copy a map's figures, consistently.
 * @m: The map; it must not be destroyed meanwhile.
 * @st: Where to write them.
 *
 * Safe against the owner changing @m meanwhile: structural changes commit
 * inside the seqcount's write section, and count, which changes outside
 * it, is read once.
 *
 * Context: Any context that cannot interrupt a structural change of @m on
 * the same CPU, such as process context: the read retries while one
 * commits.  Takes no lock; needs no serialisation with the owner of @m.
 */
void kvg_map_snapshot(const struct kvg_map *m, struct kvg_map_stats *st)
{
	seqcount_t *seq = (seqcount_t *)&m->seq;
	size_t fp, count, live;
	unsigned int start;

	do {
		start = raw_read_seqcount_begin(seq);
		/* count changes outside the section: one word, read once. */
		count = READ_ONCE(m->count);
		fp = map_footprint(m);
		live = count * (m->key_size + m->val_size);
		*st = (struct kvg_map_stats){
			.count = count,
			.key_size = m->key_size,
			.val_size = m->val_size,
			.grows = m->acct.grows,
			.same_size_grows = m->acct.same_size_grows,
			.shrinks = m->acct.shrinks,
			.failed_allocs = m->acct.failed_allocs,
			.footprint_bytes = fp,
			.peak_footprint_bytes = m->acct.peak_footprint,
			.bytes_per_entry_x100 = count ? fp * 100 / count : 0,
			.live_bytes = live,
			.slack_bytes = fp - live,
			.go_compat = m->flags & KVG_MAP_GO_COMPAT,
			.site = m->site,
		};
		if (swiss_mode(m))
			kvg_swiss_snapshot(m, st);
		else
			kvg_hmap_snapshot(m, st);
	} while (read_seqcount_retry(seq, start));
}
EXPORT_SYMBOL_GPL(kvg_map_snapshot);

/*
 * Tell the group what changed since the last call: called at the end of
 * every operation that can change the map's blocks, so the group sees both
 * arrays while a resize is under way.
 */
static void charge_group(struct kvg_map *m)
{
	struct kvg_group *g = m->group;
	struct kvg_map_charged now;

	if (!g)
		return;
	now = (struct kvg_map_charged){
		.footprint = map_footprint(m),
		.grows = m->acct.grows + m->acct.same_size_grows,
		.shrinks = m->acct.shrinks,
		.failed_allocs = m->acct.failed_allocs,
	};
	kvg_group_charge(g, m->charged.footprint, now.footprint, false);
	atomic64_add(now.grows - m->charged.grows, &g->grows);
	atomic64_add(now.shrinks - m->charged.shrinks, &g->shrinks);
	atomic64_add(now.failed_allocs - m->charged.failed_allocs,
		     &g->failed_allocs);
	m->charged = now;
}

/**
 * kvg_map_join_group() - Account a map in a group until it is destroyed.
 * @m: A live map, in no group and not registered by name.
 * @g: The group, which must outlive @m's membership.
 *
 * Context: Any context.  The caller serialises all calls on @m.
 * Return: 0, -EINVAL for a dead map, -EBUSY if @m is in a group already or
 * has an observer, as a map registered with kvgrow.ko under a name has.
 */
int kvg_map_join_group(struct kvg_map *m, struct kvg_group *g)
{
	if (!m->key_size)
		return -EINVAL;
	if (m->group || m->observer)
		return -EBUSY;
	m->group = g;
	m->charged = (struct kvg_map_charged){
		.grows = m->acct.grows + m->acct.same_size_grows,
		.shrinks = m->acct.shrinks,
		.failed_allocs = m->acct.failed_allocs,
	};
	kvg_group_join(g, 0);
	charge_group(m);
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_map_join_group);

/**
 * kvg_map_set_observer() - Have @obs told before @m is destroyed, or stop it
 * @m: a live map
 * @obs: the observer (see <kvgrow/observer.h>), or NULL to clear it
 *
 * Context: any; serialised with @m's other calls by its owner.
 * Return: 0; -EINVAL for a dead map; -EBUSY when @obs is not NULL and @m
 * has an observer already or is in a group.
 */
int kvg_map_set_observer(struct kvg_map *m, struct kvg_observer *obs)
{
	if (!m->key_size)
		return -EINVAL;
	if (obs && (m->observer || m->group))
		return -EBUSY;
	m->observer = obs;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_map_set_observer);
