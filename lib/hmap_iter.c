// SPDX-License-Identifier: GPL-2.0
/*
 * Iteration over a Go 1.19 engine map (design and glossary in
 * lib/hmap.h), as Go's mapiternext walks it: the buckets of the array the
 * iteration started on, from a random bucket and slot offset; mid-resize,
 * for each new bucket, first the entries of the old buckets not yet
 * evacuated that go to it, then its own.  An entry evacuated since it was
 * seen is returned only if it is still in the map, by a lookup.
 */
#include <linux/kernel.h>
#include <linux/random.h>
#include <kvgrow/map.h>
#include "hmap.h"

static void iter_begin_index(struct kvg_map_iter *it)
{
	struct kvg_map *m = it->m;
	size_t s[2], n = 0, k;

	it->index = (it->start + it->step) & (it->nbuckets - 1);
	it->nsrc = 0;
	it->phase = 0;
	it->slot = 0;
	it->old = NULL;
	/* Walking the live array mid-resize: the old sources come first. */
	if (it->buckets == m->buckets && m->oldbuckets) {
		it->old = m->oldbuckets;
		it->old_B = m->old_B;
		if (m->old_B > m->B) {
			s[n++] = it->index;
			s[n++] = it->index + nbuckets(m->B);
		} else {
			s[n++] = it->index & bmask(m->old_B);
		}
		for (k = 0; k < n; k++)
			if (!evacuated(bucket_at(m, it->old, s[k])))
				it->src[it->nsrc++] = s[k];
	}
	it->chain = it->nsrc ? bucket_at(m, it->old, it->src[0]) :
			       bucket_at(m, it->buckets, it->index);
}

/* kvg_map_iter_start() on a live map with entries; @it is zeroed. */
void kvg_hmap_iter_start(struct kvg_map_iter *it, struct kvg_map *m)
{
	u64 r;

	it->buckets = m->buckets;
	it->nbuckets = nbuckets(m->B);
	if (!(m->flags & KVG_MAP_ITER_ORDERED)) {
		r = get_random_u64();
		it->start = r & (it->nbuckets - 1);
		it->offset = (r >> 32) & (KVG_MAP_SLOTS - 1);
	}
	it->active = true;
	m->iterators++;
	iter_begin_index(it);
}

/* Move to the next chain of the index, or to the next index. */
static bool iter_next_chain(struct kvg_map_iter *it)
{
	struct kvg_map *m = it->m;

	it->slot = 0;
	it->chain = *overflow_of(m, it->chain);
	if (it->chain)
		return true;
	if (++it->phase < it->nsrc) {
		it->chain = bucket_at(m, it->old, it->src[it->phase]);
	} else if (it->phase == it->nsrc) {
		it->chain = bucket_at(m, it->buckets, it->index);
	} else {
		if (++it->step == it->nbuckets)
			return false;
		iter_begin_index(it);
	}
	return true;
}

/* Whether slot @th of the current chain holds an entry to return. */
static bool iter_take(struct kvg_map_iter *it, void *key, u8 th, void **val)
{
	struct kvg_map *m = it->m;
	size_t home;
	unsigned int k;
	u64 hash;

	if (it->nsrc) {
		hash = kvg_map_hash(m, key);
		if (it->phase < it->nsrc) {
			/* An old source: only the keys that go to our index. */
			if ((hash & (it->nbuckets - 1)) != it->index)
				return false;
		} else {
			/* Our chain: skip what came from a source walked above. */
			home = hash & bmask(it->old_B);
			for (k = 0; k < it->nsrc; k++)
				if (it->src[k] == home)
					return false;
		}
	}
	if (th != EVACUATED)
		return true;
	/* Moved on since: return it only if it is still in the map. */
	*val = kvg_hmap_get(m, key);
	return *val;
}

/* kvg_map_iter_next() on an active iterator: false at the end. */
bool kvg_hmap_iter_next(struct kvg_map_iter *it, void **key, void **val)
{
	struct kvg_map *m = it->m;
	unsigned int i;
	u8 th;

	do {
		while (it->slot < KVG_MAP_SLOTS) {
			i = (it->offset + it->slot++) & (KVG_MAP_SLOTS - 1);
			th = it->chain->tophash[i];
			if (is_empty(th) || th == EVACUATED_EMPTY)
				continue;
			*key = key_at_k(m, it->chain, i, KS_ANY);
			*val = val_at_k(m, it->chain, i, KS_ANY);
			if (iter_take(it, *key, th, val))
				return true;
		}
	} while (iter_next_chain(it));
	return false;
}
