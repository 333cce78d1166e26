/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgrow's Go 1.19 map engine (KVG_MAP_GO119), private to lib/: Go 1.19's
 * hash map (runtime/map.go), read to understand and written anew for the
 * kernel, plus overflow-bucket reclaim and shrinking.  It is the faithful
 * model: its B thresholds, hints and growth are checked against real Go
 * 1.19, and kvgrow-sim replays it.  The API is <kvgrow/map.h>; lib/map.c
 * dispatches to the kvg_hmap_*() functions below for KVG_MAP_GO119 maps.
 *
 * Glossary
 *   B         the map has 2^B buckets; a hash's low B bits pick one.
 *   bucket    8 slots in one block of m->bucket_size bytes: their 8
 *             tophash bytes, then 8 keys, 8 values, the overflow pointer.
 *   tophash   a slot's byte: the hash's top byte (raised to MIN_TOPHASH
 *             at least), or one of the slot states below MIN_TOPHASH.
 *   chain     a bucket of the array and the overflow buckets linked
 *             after it.
 *   spare     an overflow bucket allocated ahead and not linked
 *             (m->spare), so that evacuation cannot fail half way.
 *   evacuate  move an old bucket's chain to the new array while a
 *             resize is under way (Go's growWork and evacuate).
 *   zombie    a finished resize's old array, kept while iterators live.
 *
 * A resize allocates the new array and then evacuates old buckets a few
 * at a time: each write evacuates the old bucket its key hashes to, plus
 * the lowest one not yet done.  Evacuation counts what it will need in the
 * destination chains and reserves those overflow buckets first, so an
 * allocation failure stops it before anything moves: no entry is ever lost.
 *
 * Iterators read arrays and chains that writes may retire.  While any
 * iterator lives, nothing an iterator could reach is freed or unlinked:
 * evacuated chains stay linked, a finished resize parks its old array as
 * the zombie, and no new resize starts until the last iterator stops: at
 * most one resize happens under iterators (the one under way when they
 * start, or the first a write starts), and no shrink.
 *
 * Files: lib/hmap.c, buckets, lookups, inserts, evacuation, deletes and
 * shrinking; lib/hmap_iter.c, iteration.
 */
#ifndef _KVGROW_HMAP_H
#define _KVGROW_HMAP_H

#include <linux/types.h>
#include <kvgrow/map.h>
#include "map_key.h"

/* tophash values below MIN_TOPHASH mark a slot's state. */
#define EMPTY_REST	0	/* empty, and so is every later slot of the chain */
#define EMPTY_ONE	1
#define EVACUATED	2	/* moved to the new array; key kept for iterators */
#define EVACUATED_EMPTY	3
#define MIN_TOPHASH	4

/* The most buckets, 2^HMAP_MAX_B; the limit of a hint for either engine. */
#define HMAP_MAX_B	30

/* tophash[8], then keys[8], values[8] and the overflow pointer. */
struct kvg_bucket {
	u8 tophash[KVG_MAP_SLOTS];
};

static inline size_t nbuckets(unsigned int shift)
{
	return (size_t)1 << shift;
}

static inline size_t bmask(unsigned int shift)
{
	return nbuckets(shift) - 1;
}

static inline struct kvg_bucket *bucket_at(const struct kvg_map *m,
					   struct kvg_bucket *arr, size_t i)
{
	return (void *)((char *)arr + i * m->bucket_size);
}

static __always_inline void *key_at_k(const struct kvg_map *m,
				      struct kvg_bucket *b, unsigned int i,
				      unsigned int ks)
{
	return (char *)b + KVG_MAP_SLOTS + i * key_size(m, ks);
}

static __always_inline void *val_at_k(const struct kvg_map *m,
				      struct kvg_bucket *b, unsigned int i,
				      unsigned int ks)
{
	return (char *)b + KVG_MAP_SLOTS * (1 + key_size(m, ks)) +
	       i * m->val_size;
}

static inline struct kvg_bucket **overflow_of(const struct kvg_map *m,
					      struct kvg_bucket *b)
{
	return (void *)((char *)b + m->bucket_size - sizeof(void *));
}

static inline bool is_empty(u8 th)
{
	return th <= EMPTY_ONE;
}

static inline bool evacuated(const struct kvg_bucket *b)
{
	return b->tophash[0] == EVACUATED || b->tophash[0] == EVACUATED_EMPTY;
}

/* lib/hmap.c: buckets, lookups, inserts, evacuation, deletes, shrinking */
int kvg_hmap_init(struct kvg_map *m, size_t hint);
size_t kvg_hmap_footprint(const struct kvg_map *m);
void *kvg_hmap_get(const struct kvg_map *m, const void *key);
/* @ip: the library's caller, for the trace events */
int kvg_hmap_assign(struct kvg_map *m, const void *key, void **val,
		    unsigned long ip);
bool kvg_hmap_delete(struct kvg_map *m, const void *key, unsigned long ip);
void kvg_hmap_free_all(struct kvg_map *m);
void kvg_hmap_clear(struct kvg_map *m);
int kvg_hmap_shrink(struct kvg_map *m, unsigned long ip);
void kvg_hmap_release(struct kvg_map *m, unsigned long ip);
void kvg_hmap_snapshot(const struct kvg_map *m, struct kvg_map_stats *st);

/* lib/hmap_iter.c: iteration */
void kvg_hmap_iter_start(struct kvg_map_iter *it, struct kvg_map *m);
bool kvg_hmap_iter_next(struct kvg_map_iter *it, void **key, void **val);

#endif /* _KVGROW_HMAP_H */
