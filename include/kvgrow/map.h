/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgrow maps: Go's map in kernel C, with two engines behind one API.
 *
 * The default engine is Go 1.24's design (lib/swiss.h): a directory of
 * Swiss tables, each one block of at most 32 KiB (no vmalloc, whatever the
 * size) that grows by rehashing into the next kmalloc size class or by
 * splitting in two, so one insert moves at most one table's entries.
 * Beyond Go, tables merge and the directory halves as entries are deleted:
 * an emptied map holds no memory.  Its figures are at the end of struct
 * kvg_map_stats.
 *
 * KVG_MAP_GO119 selects the classic Go hash map (Go 1.19's runtime/map.go,
 * lib/hmap.c), the faithful model the B thresholds and hints are verified
 * on against real Go, plus what Go never shipped: overflow buckets
 * reclaimed as deletes empty them, and shrinking (KVG_MAP_GO_COMPAT turns
 * both off).  2^B buckets of 8 slots: 8 tophash bytes, the 8 keys, the 8
 * values (no padding between them: 8 * size is a multiple of 8) and an
 * overflow pointer.  The map doubles when an insert would take count
 * above 6.5 * 2^B, grows at the same size when overflow buckets reach
 * 2^min(B, 15), and halves when count falls to 6.5 * 2^B / 8; every
 * resize moves entries incrementally, the written bucket plus one more per
 * write (three more while halving, which gets fewer writes to finish in).
 *
 * Keys and values are stored inline, up to KVG_MAP_MAX_INLINE bytes each:
 * store a pointer for anything larger.  Keys are compared bytewise and
 * hashed under a per-map random key (multiply-add-shift for 4- and 8-byte
 * keys, hsiphash otherwise; see lib/map_key.h), unless the map's ops say
 * otherwise (e.g. for strings kept by pointer).
 *
 * Locking: none inside.  Like a Go map, a map is not safe for concurrent
 * writers, nor for a writer concurrent with readers: the owner serialises
 * all calls on one map.
 *
 * Errors: an insert of a new key that cannot allocate returns -ENOMEM with
 * the map unchanged.  In the default engine an insert also returns -E2BIG,
 * the map unchanged, when a full 32 KiB table's keys cannot be split
 * because they share one hash (hundreds of keys: degenerate custom ops,
 * or, with the built-in keyed hashes, odds like random hashing's of so
 * many equal 64-bit, or for hsiphash 32-bit, values).  Updates, lookups,
 * deletes and iteration never fail.
 */
#ifndef _KVGROW_MAP_H
#define _KVGROW_MAP_H

#include <linux/types.h>
#include <linux/seqlock.h>
#include <linux/siphash.h>
#include <kvgrow/group.h>
#include <kvgrow/observer.h>
#include <kvgrow/site.h>

#define KVG_MAP_SLOTS		8
#define KVG_MAP_MAX_INLINE	128
#define KVG_MAP_HIST_LEN	9	/* chains of 0..7 and >= 8 overflow buckets */
#define KVG_MAP_PROBE_HIST_LEN	8	/* Swiss: keys found in group 1..7, >= 8 */
#define KVG_MAP_DEPTH_HIST_LEN	33	/* Swiss: tables of local depth 0..32 */

struct kvg_map_ops {
	/* Hash of the key stored at @key, keyed by @seed. */
	u64 (*hash)(const void *key, const siphash_key_t *seed);
	/* Whether the keys stored at @a and @b are equal. */
	bool (*equal)(const void *a, const void *b);
};

/* kvg_map_cfg.flags */
#define KVG_MAP_ITER_ORDERED	0x1	/* iteration starts at bucket 0 */
/*
 * Go 1.19's engine with Go 1.19's behaviour: no automatic reclaim or shrink
 * (kvg_map_shrink works)
 */
#define KVG_MAP_GO_COMPAT	0x2
/* 4- and 8-byte keys hashed by hsiphash, not multiply-add-shift (lib/map_key.h) */
#define KVG_MAP_HSIPHASH	0x4
/* Go 1.19's engine (lib/hmap.c), not the default Swiss tables; GO_COMPAT implies it */
#define KVG_MAP_GO119		0x8

struct kvg_map_cfg {
	size_t key_size;	/* 1..KVG_MAP_MAX_INLINE */
	size_t val_size;	/* 0..KVG_MAP_MAX_INLINE */
	size_t hint;		/* expected count: Go's make(map[K]V, hint) */
	const struct kvg_map_ops *ops;	/* NULL: bytewise keys, built-in hash */
	/*
	 * For every block.  The default engine's tables are kmalloc() blocks
	 * of up to 32 KiB (order 3, PAGE_ALLOC_COSTLY_ORDER), which the page
	 * allocator retries under GFP_KERNEL, reclaiming and compacting,
	 * rather than fail; with __GFP_NORETRY a map gets -ENOMEM sooner.
	 */
	gfp_t gfp;
	unsigned int flags;
};

struct kvg_map_acct {
	u64 grows;		/* doubling */
	u64 same_size_grows;
	u64 shrinks;
	u64 failed_allocs;
	size_t peak_footprint;
};

struct kvg_bucket;
struct kvg_swiss_table;

/* Table sizes of a Swiss map: each fills a kmalloc size class. */
#define KVG_SWISS_LEVELS	24

/* The Swiss engine's state (lib/swiss.h); zero for a Go 1.19 map. */
struct kvg_swiss {
	struct kvg_swiss_table **dir;	/* 2^depth tables; NULL at depth 0 */
	struct kvg_swiss_table *one;	/* the table at depth 0, or NULL */
	struct kvg_swiss_table *retired; /* replaced, kept for iterators */
	u8 depth;			/* global depth */
	u8 nlevels;
	u16 group_size;
	u16 slot_size;			/* key, padding, value, padding */
	u16 val_offset;			/* of the value in a slot */
	u16 level_groups[KVG_SWISS_LEVELS];
	size_t tables;
	size_t slots;
	size_t tombstones;
	size_t nretired;
	size_t footprint;
	size_t largest_block;		/* the largest table block ever */
	u64 rehashes;			/* tables rebuilt, any size */
	u64 splits;
	u64 merges;
};

/* A map's figures as its group last saw them. */
struct kvg_map_charged {
	size_t footprint;
	u64 grows;
	u64 shrinks;
	u64 failed_allocs;
};

struct kvg_map {
	size_t count;
	u8 B;			/* 2^B buckets */
	u8 old_B;		/* of oldbuckets, while resizing */
	u16 key_size;		/* 0: dead (never initialised or destroyed) */
	u16 val_size;
	u16 bucket_size;
	unsigned int flags;
	unsigned int iterators;	/* live iterators: nothing they read is freed */
	struct kvg_bucket *buckets;	/* NULL until the first insert */
	struct kvg_bucket *oldbuckets;	/* non-NULL while resizing */
	struct kvg_bucket *zombie;	/* old array kept for iterators */
	u8 zombie_B;
	size_t nevacuate;	/* old buckets below this are evacuated */
	size_t noverflow;	/* overflow buckets in live chains */
	size_t nkept;		/* evacuated overflow buckets kept for iterators */
	size_t nspare;		/* reserved, unlinked overflow buckets */
	struct kvg_bucket *spare;
	const struct kvg_map_ops *ops;
	siphash_key_t seed;	/* hsiphash's key; a of multiply-add-shift */
	u64 mix[2];		/* b of multiply-add-shift */
	gfp_t gfp;
	struct kvg_map_acct acct;
	const struct kvg_site *site;	/* where kvg_map_init() was called */
	struct kvg_group *group;	/* charged after every change, or NULL */
	struct kvg_map_charged charged;	/* what the group has been told */
	seqcount_t seq;			/* around structural changes */
	struct kvg_observer *observer;	/* told before the map is destroyed */
	struct kvg_swiss sw;		/* the default engine */
};

struct kvg_map_stats {
	size_t count;
	size_t key_size;
	size_t val_size;
	unsigned int B;
	size_t buckets;
	size_t overflow;		/* overflow buckets, exact */
	bool growing;
	size_t old_buckets;		/* while resizing */
	size_t evacuated;		/* old buckets moved so far */
	u64 grows;
	u64 same_size_grows;
	u64 shrinks;
	u64 failed_allocs;
	unsigned int load_x100;		/* count / buckets, in hundredths */
	size_t footprint_bytes;
	size_t peak_footprint_bytes;
	size_t bytes_per_entry_x100;	/* footprint / count, in hundredths */
	size_t live_bytes;		/* count * (key_size + val_size) */
	size_t slack_bytes;		/* footprint - live */
	bool go_compat;			/* KVG_MAP_GO_COMPAT */
	const struct kvg_site *site;	/* where it was made, or NULL */
	/* Swiss maps (all 0 for KVG_MAP_GO119, whose B, buckets... they zero) */
	bool swiss;
	size_t tables;
	unsigned int global_depth;
	size_t slots;
	size_t tombstones;
	size_t retired_tables;		/* kept for live iterators */
	size_t dir_bytes;		/* the directory's footprint */
	size_t largest_block;		/* largest table block ever, bytes */
	u64 rehashes;
	u64 splits;
	u64 merges;
};

struct kvg_map_iter {
	struct kvg_map *m;
	struct kvg_bucket *buckets;	/* the array this iteration walks */
	struct kvg_bucket *chain;	/* current bucket of the current chain */
	size_t nbuckets;		/* 2^B of that array */
	size_t start;			/* first index (random unless ORDERED) */
	size_t step;			/* indexes started so far */
	size_t index;			/* the index being walked */
	struct kvg_bucket *old;		/* old array of those sources */
	size_t src[2];			/* old sources of index, if resizing */
	u8 old_B;
	u8 nsrc;
	u8 phase;			/* 0..nsrc-1: a source; nsrc: own chain */
	u8 offset;			/* first slot in each bucket */
	u8 slot;			/* slots done in chain */
	bool active;
	/* Swiss maps: a walk over the hash space, a table at a time */
	struct kvg_swiss_table *table;	/* the table walked, maybe retired */
	u64 first;			/* hashes first..last of it are ours */
	u64 last;
	u64 end;			/* the walk started here */
	unsigned int group;		/* groups of the table done */
	unsigned int group0;		/* first group walked in each table */
	bool wrapped;			/* passed hash 2^64 - 1 */
	bool filter;			/* the table holds hashes not ours */
};

int kvg_map_init_site(struct kvg_map *m, const struct kvg_map_cfg *cfg,
		      const struct kvg_site *site);
/**
 * kvg_map_init() - Initialise an empty map, recording the caller's site.
 * @m: Pointer to the struct kvg_map; overwritten, so it must not be live.
 * @cfg: Pointer to its struct kvg_map_cfg.
 *
 * Context: May sleep if @cfg->gfp permits.
 * Return: 0, or the errors of kvg_map_init_site() (@m not written).
 */
#define kvg_map_init(m, cfg)	kvg_map_init_site(m, cfg, KVG_SITE())
void kvg_map_destroy(struct kvg_map *m);

void *kvg_map_get(const struct kvg_map *m, const void *key);
int kvg_map_assign(struct kvg_map *m, const void *key, void **val);
int kvg_map_set(struct kvg_map *m, const void *key, const void *val);
bool kvg_map_delete(struct kvg_map *m, const void *key);
void kvg_map_clear(struct kvg_map *m);
int kvg_map_shrink(struct kvg_map *m);

void kvg_map_iter_start(struct kvg_map_iter *it, struct kvg_map *m);
bool kvg_map_iter_next(struct kvg_map_iter *it, void **key, void **val);
void kvg_map_iter_stop(struct kvg_map_iter *it);

void kvg_map_snapshot(const struct kvg_map *m, struct kvg_map_stats *st);
bool kvg_map_stats_valid(const struct kvg_map_stats *st, const char **why);
int kvg_map_join_group(struct kvg_map *m, struct kvg_group *g);
int kvg_map_set_observer(struct kvg_map *m, struct kvg_observer *obs);
void kvg_map_chain_histogram(const struct kvg_map *m,
			     u64 hist[KVG_MAP_HIST_LEN]);
void kvg_map_probe_histogram(const struct kvg_map *m,
			     u64 hist[KVG_MAP_PROBE_HIST_LEN]);
void kvg_map_depth_histogram(const struct kvg_map *m,
			     u64 hist[KVG_MAP_DEPTH_HIST_LEN]);

unsigned int kvg_map_hint_B(size_t hint);

/**
 * kvg_map_count() - The number of entries: Go's len(m).
 * @m: The map.
 *
 * Context: Any context.  Like kvg_map_get(), it may run concurrently with
 * lookups, not with any other call on @m.
 * Return: The number of entries; 0 for a dead map.
 */
static inline size_t kvg_map_count(const struct kvg_map *m)
{
	return m->count;
}

#endif /* _KVGROW_MAP_H */
