// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow maps: the API, which dispatches each call once to the default
 * engine (Swiss tables, lib/swiss.h) or, for KVG_MAP_GO119 maps, to the
 * engine below: Go 1.19's hash map (runtime/map.go), read to understand
 * and written anew for the kernel, plus overflow-bucket reclaim and
 * shrinking.
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
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/prefetch.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/string.h>
#include <linux/swab.h>
#include <kvgrow/fault.h>
#include <kvgrow/map.h>
#include <kvgrow/mix.h>
#include "kvg_acct.h"
#include "map_key.h"
#include "swiss.h"
#include "kvg_mem.h"
#include "kvg_trace.h"

/*
 * The hash of a key the fast paths do not specialise for (fast_ks() gives
 * KS_ANY): custom ops, KVG_MAP_HSIPHASH, sizes other than 4 and 8.
 * Out of line, so that the u64 and u32 paths make no call.
 */
u64 kvg_map_hash_other(const struct kvg_map *m, const void *key)
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

/* tophash values below MIN_TOPHASH mark a slot's state. */
#define EMPTY_REST	0	/* empty, and so is every later slot of the chain */
#define EMPTY_ONE	1
#define EVACUATED	2	/* moved to the new array; key kept for iterators */
#define EVACUATED_EMPTY	3
#define MIN_TOPHASH	4

/* Go's load factor 6.5 = 13 / 2. */
#define LOAD_NUM	13
#define LOAD_DEN	2
#define SPARE_MAX	8
#define MAX_B		30
#define FLAGS_VALID	(KVG_MAP_ITER_ORDERED | KVG_MAP_GO_COMPAT | KVG_MAP_HSIPHASH | \
			 KVG_MAP_GO119)

/* tophash[8], then keys[8], values[8] and the overflow pointer. */
struct kvg_bucket {
	u8 tophash[KVG_MAP_SLOTS];
};

static size_t nbuckets(unsigned int shift)
{
	return (size_t)1 << shift;
}

static size_t bmask(unsigned int shift)
{
	return nbuckets(shift) - 1;
}

static struct kvg_bucket *bucket_at(const struct kvg_map *m,
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

static void *key_at(const struct kvg_map *m, struct kvg_bucket *b,
		    unsigned int i)
{
	return key_at_k(m, b, i, KS_ANY);
}

static void *val_at(const struct kvg_map *m, struct kvg_bucket *b,
		    unsigned int i)
{
	return val_at_k(m, b, i, KS_ANY);
}

static struct kvg_bucket **overflow_of(const struct kvg_map *m,
				       struct kvg_bucket *b)
{
	return (void *)((char *)b + m->bucket_size - sizeof(void *));
}

static u8 tophash(u64 hash)
{
	u8 top = hash >> 56;

	return top < MIN_TOPHASH ? top + MIN_TOPHASH : top;
}

static bool is_empty(u8 th)
{
	return th <= EMPTY_ONE;
}

static bool evacuated(const struct kvg_bucket *b)
{
	return b->tophash[0] == EVACUATED || b->tophash[0] == EVACUATED_EMPTY;
}

static __always_inline u64 tophash_word(const struct kvg_bucket *b)
{
	u64 w;

	memcpy(&w, b->tophash, sizeof(w));
	if (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
		w = swab64(w);
	return w;
}

static bool bucket_is_empty(const struct kvg_bucket *b)
{
	/* Every byte EMPTY_REST or EMPTY_ONE: 0 once the low bit is off. */
	return zero_bytes(tophash_word(b) & BYTES_FE) == ~BYTES_7F;
}

/* Go's overLoadFactor and tooManyOverflowBuckets. */
static bool over_load(size_t count, unsigned int shift)
{
	return count > KVG_MAP_SLOTS && count > LOAD_NUM * (nbuckets(shift) / LOAD_DEN);
}

static bool too_many_overflow(size_t noverflow, unsigned int shift)
{
	return noverflow >= nbuckets(min(shift, 15U));
}

/**
 * kvg_map_hint_B() - The bucket shift Go's makemap picks for a hint.
 * @hint: The expected count.
 *
 * Context: Any context.
 * Return: The smallest B whose 2^B buckets hold @hint entries within the
 * load factor; a value above 30 (too many buckets) for a @hint that large.
 */
unsigned int kvg_map_hint_B(size_t hint)
{
	unsigned int shift = 0;

	while (shift < MAX_B + 1 && over_load(hint, shift))
		shift++;
	return shift;
}
EXPORT_SYMBOL_GPL(kvg_map_hint_B);

static size_t array_footprint(const struct kvg_map *m,
			      const struct kvg_bucket *arr, unsigned int shift)
{
	if (!arr)
		return 0;
	return kvg_mem_footprint(nbuckets(shift) * m->bucket_size,
				 kvg_mem_backend(arr));
}

static size_t map_footprint(const struct kvg_map *m)
{
	if (swiss_mode(m))
		return m->sw.footprint;
	return array_footprint(m, m->buckets, m->B) +
	       array_footprint(m, m->oldbuckets, m->old_B) +
	       array_footprint(m, m->zombie, m->zombie_B) +
	       (m->noverflow + m->nkept + m->nspare) *
	       kmalloc_size_roundup(m->bucket_size);
}

/*
 * Structural fields (arrays, B, evacuation progress, overflow and spare
 * counts, acct) change inside the map's seqcount write section, so that
 * kvg_map_snapshot() reads them from one moment; count does not.
 */
static void stats_begin(struct kvg_map *m)
{
	kvg_stats_begin(&m->seq);
}

static void stats_end(struct kvg_map *m)
{
	kvg_stats_end(&m->seq);
}

/* With the write section open. */
static void note_peak(struct kvg_map *m)
{
	m->acct.peak_footprint = max(m->acct.peak_footprint, map_footprint(m));
}

static void note_failure(struct kvg_map *m)
{
	stats_begin(m);
	m->acct.failed_allocs++;
	stats_end(m);
}

static struct kvg_bucket *alloc_array(struct kvg_map *m, unsigned int shift)
{
	struct kvg_bucket *arr = NULL;

	if (shift <= MAX_B)
		arr = kvg_mem_alloc(size_mul(nbuckets(shift), m->bucket_size),
				    m->gfp | __GFP_ZERO);
	if (!arr)
		note_failure(m);
	return arr;
}

/* Have at least @n spare overflow buckets; they are zeroed when taken. */
static int reserve_spares(struct kvg_map *m, size_t n)
{
	size_t had = m->nspare;
	struct kvg_bucket *b;
	int err = 0;

	while (m->nspare < n) {
		b = kvg_mem_alloc(m->bucket_size, m->gfp);
		if (!b) {
			note_failure(m);
			err = -ENOMEM;
			break;
		}
		*overflow_of(m, b) = m->spare;
		m->spare = b;
		stats_begin(m);
		m->nspare++;
		stats_end(m);
	}
	/* Spares got before a failure count too. */
	if (m->nspare > had) {
		stats_begin(m);
		note_peak(m);
		stats_end(m);
	}
	return err;
}

/* An empty overflow bucket, counted in noverflow; not yet linked. */
static struct kvg_bucket *overflow_get(struct kvg_map *m)
{
	struct kvg_bucket *b;

	if (reserve_spares(m, 1))
		return NULL;
	b = m->spare;
	m->spare = *overflow_of(m, b);
	stats_begin(m);
	m->nspare--;
	m->noverflow++;
	stats_end(m);
	memset(b, 0, m->bucket_size);
	return b;
}

/* Take back an overflow bucket already unlinked from its chain. */
static void overflow_put(struct kvg_map *m, struct kvg_bucket *b)
{
	bool keep = m->nspare < SPARE_MAX;

	if (keep) {
		*overflow_of(m, b) = m->spare;
		m->spare = b;
	} else {
		kvg_mem_free(b);
	}
	stats_begin(m);
	m->noverflow--;
	m->nspare += keep;
	stats_end(m);
}

/* Free the overflow chains hanging off every bucket of @arr. */
static size_t free_chains(struct kvg_map *m, struct kvg_bucket *arr,
			  unsigned int shift)
{
	struct kvg_bucket *b, *next;
	size_t i, n = 0;

	for (i = 0; arr && i < nbuckets(shift); i++) {
		for (b = *overflow_of(m, bucket_at(m, arr, i)); b; b = next) {
			next = *overflow_of(m, b);
			kvg_mem_free(b);
			n++;
		}
		*overflow_of(m, bucket_at(m, arr, i)) = NULL;
	}
	return n;
}

/* Free every block; the map keeps its configuration only. */
static void free_all(struct kvg_map *m)
{
	struct kvg_bucket *b;

	if (swiss_mode(m)) {
		kvg_swiss_free_all(m);
		return;
	}
	free_chains(m, m->buckets, m->B);
	free_chains(m, m->oldbuckets, m->old_B);
	free_chains(m, m->zombie, m->zombie_B);
	kvg_mem_free(m->buckets);
	kvg_mem_free(m->oldbuckets);
	kvg_mem_free(m->zombie);
	while ((b = m->spare)) {
		m->spare = *overflow_of(m, b);
		kvg_mem_free(b);
	}
	stats_begin(m);
	m->buckets = NULL;
	m->oldbuckets = NULL;
	m->zombie = NULL;
	m->noverflow = 0;
	m->nkept = 0;
	m->nspare = 0;
	m->nevacuate = 0;
	m->B = 0;
	m->count = 0;
	stats_end(m);
}

/* Back to a fresh empty map, with a new seed, as Go's mapclear does. */
static void reset_empty(struct kvg_map *m)
{
	free_all(m);
	get_random_bytes(&m->seed, sizeof(m->seed));
	get_random_bytes(m->mix, sizeof(m->mix));
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
	get_random_bytes(&tmp.seed, sizeof(tmp.seed));
	get_random_bytes(tmp.mix, sizeof(tmp.mix));
	/* Either engine: no more than 2^30 Go 1.19 buckets would hold. */
	if (kvg_map_hint_B(cfg->hint) > MAX_B)
		return -E2BIG;
	if (swiss_mode(&tmp)) {
		int err = kvg_swiss_init(&tmp, cfg->hint);

		if (err)
			return err;
		*m = tmp;
		return 0;
	}
	tmp.B = kvg_map_hint_B(cfg->hint);
	/* Like Go, B = 0 allocates its one bucket at the first insert. */
	if (tmp.B) {
		tmp.buckets = alloc_array(&tmp, tmp.B);
		if (!tmp.buckets)
			return -ENOMEM;
	}
	note_peak(&tmp);
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

/*
 * Find @key in the chain from @b: its bucket and slot, and the bucket
 * before.  The slots whose tophash is @top are found a bucket at a time;
 * a bucket with an EMPTY_REST slot ends the chain's entries.
 */
static __always_inline bool
chain_find_k(const struct kvg_map *m, struct kvg_bucket *b, u8 top,
	     const void *key, struct kvg_bucket **fb, struct kvg_bucket **prev,
	     unsigned int *fi, unsigned int ks)
{
	struct kvg_bucket *p = NULL;
	unsigned int i;
	u64 w, hits;

	for (; b; p = b, b = *overflow_of(m, b)) {
		w = tophash_word(b);
		for (hits = zero_bytes(w ^ (BYTES_01 * top)); hits;
		     hits &= hits - 1) {
			i = first_slot(hits);
			/* The value is the next line wanted: fetch both. */
			prefetch(val_at_k(m, b, i, ks));
			if (key_eq_k(m, key, key_at_k(m, b, i, ks), ks)) {
				*fb = b;
				*fi = i;
				if (prev)
					*prev = p;
				return true;
			}
		}
		if (zero_bytes(w))
			return false;
	}
	return false;
}

/*
 * A bucket of u64 keys and values spans three cache lines; a hit reads the
 * tophash line, then its key's and its value's.  Asking for the later
 * lines at once lets their misses overlap the first one.
 */
static __always_inline void prefetch_bucket(const struct kvg_bucket *b)
{
	if (likely(b)) {
		prefetch((const char *)b + 64);
		prefetch((const char *)b + 128);
	}
}

/* The chain holding @hash's key: the old bucket until it is evacuated. */
static __always_inline struct kvg_bucket *
home_chain(const struct kvg_map *m, u64 hash)
{
	struct kvg_bucket *ob;

	if (m->oldbuckets) {
		ob = bucket_at(m, m->oldbuckets, hash & bmask(m->old_B));
		if (!evacuated(ob))
			return ob;
	}
	return m->buckets ? bucket_at(m, m->buckets, hash & bmask(m->B)) : NULL;
}

static __always_inline void *get_k(const struct kvg_map *m, const void *key,
				   unsigned int ks)
{
	struct kvg_bucket *b;
	unsigned int i;
	u64 hash;

	hash = hash_k(m, key, ks);
	b = home_chain(m, hash);
	prefetch_bucket(b);
	if (!chain_find_k(m, b, tophash(hash), key, &b, NULL, &i, ks))
		return NULL;
	return val_at_k(m, b, i, ks);
}

/* Keys other than u64, out of the u64 path's way. */
static noinline void *get_other(const struct kvg_map *m, const void *key)
{
	if (fast_ks(m) == sizeof(u32))
		return get_k(m, key, sizeof(u32));
	return get_k(m, key, KS_ANY);
}

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
	if (likely(fast_ks(m) == sizeof(u64)))
		return get_k(m, key, sizeof(u64));
	return get_other(m, key);
}
EXPORT_SYMBOL_GPL(kvg_map_get);

/* The figures of a resize, for the trace events. */
static void map_event(const struct kvg_map *m, struct kvg_map_event *ev,
		      unsigned long ip)
{
	*ev = (struct kvg_map_event){
		.map = m,
		.old_B = m->old_B,
		.new_B = m->B,
		.count = m->count,
		.overflow = m->noverflow,
		.footprint = map_footprint(m),
		.caller = ip,
	};
}

static int resize_start(struct kvg_map *m, unsigned int shift,
			unsigned long ip)
{
	struct kvg_map_event ev;
	struct kvg_bucket *arr;

	if (m->oldbuckets || m->zombie)
		return -EBUSY;
	arr = alloc_array(m, shift);
	if (!arr)
		return -ENOMEM;
	stats_begin(m);
	m->oldbuckets = m->buckets;
	m->old_B = m->B;
	m->buckets = arr;
	m->B = shift;
	m->nevacuate = 0;
	note_peak(m);
	if (shift > m->old_B)
		m->acct.grows++;
	else if (shift == m->old_B)
		m->acct.same_size_grows++;
	else
		m->acct.shrinks++;
	stats_end(m);
	map_event(m, &ev, ip);
	if (shift > m->old_B)
		trace_kvg_map_grow(&ev);
	else if (shift == m->old_B)
		trace_kvg_map_same_size_grow(&ev);
	else
		trace_kvg_map_shrink(&ev);
	return 0;
}

/* The old array is done: free it, or keep it for the iterators. */
static void resize_finish(struct kvg_map *m, unsigned long ip)
{
	struct kvg_map_event ev;
	size_t freed = 0;

	if (!m->iterators) {
		freed = free_chains(m, m->oldbuckets, m->old_B);
		kvg_mem_free(m->oldbuckets);
	}
	stats_begin(m);
	if (m->iterators) {
		m->zombie = m->oldbuckets;
		m->zombie_B = m->old_B;
	}
	m->nkept -= freed;
	m->oldbuckets = NULL;
	stats_end(m);
	map_event(m, &ev, ip);
	trace_kvg_map_evacuated(&ev);
}

/* Where the next entry of an evacuation goes in one destination chain. */
struct dest {
	struct kvg_bucket *b;
	unsigned int i;
};

/* Advance @d to an empty slot, linking a spare at the tail if needed. */
static void dest_slot(struct kvg_map *m, struct dest *d)
{
	struct kvg_bucket *next;

	for (;;) {
		for (; d->i < KVG_MAP_SLOTS; d->i++)
			if (is_empty(d->b->tophash[d->i]))
				return;
		next = *overflow_of(m, d->b);
		if (!next) {
			next = overflow_get(m);	/* reserved: cannot fail */
			*overflow_of(m, d->b) = next;
		}
		d->b = next;
		d->i = 0;
	}
}

static size_t chain_free_slots(const struct kvg_map *m, struct kvg_bucket *b)
{
	size_t n = 0;
	unsigned int i;

	for (; b; b = *overflow_of(m, b))
		for (i = 0; i < KVG_MAP_SLOTS; i++)
			n += is_empty(b->tophash[i]);
	return n;
}

/* Entries of one old chain whose destination is remembered between passes. */
#define EVAC_BITS	256

/*
 * Move every entry of old bucket @oldbucket's chain to the new array.  The
 * destinations are at most two chains: the same index (X), and when
 * doubling, the index plus the old size (Y), by the hash's next bit;
 * halving sends old buckets j and j + 2^B to j.  Their missing overflow
 * buckets are reserved before anything moves.  Each key is hashed once:
 * the first pass keeps its destination bit (past EVAC_BITS entries the
 * second pass hashes again), and the tophash stays that of the old slot.
 */
static __always_inline int evacuate_k(struct kvg_map *m, size_t oldbucket,
				      unsigned long ip, unsigned int ks)
{
	struct kvg_bucket *ob = bucket_at(m, m->oldbuckets, oldbucket), *b, *next;
	size_t need[2] = { 0, 0 }, extra = 0, newbit = 0, x, n;
	u64 ybits[EVAC_BITS / 64] = { };
	unsigned int i, k, nk;
	struct dest d[2];
	size_t kept = 0;
	int err;

	if (evacuated(ob))
		goto advance;
	if (m->B > m->old_B)
		newbit = nbuckets(m->old_B);
	x = oldbucket & bmask(m->B);
	n = 0;
	for (b = ob; b; b = *overflow_of(m, b)) {
		for (i = 0; i < KVG_MAP_SLOTS; i++) {
			if (is_empty(b->tophash[i]))
				continue;
			k = newbit && (hash_k(m, key_at_k(m, b, i, ks), ks) & newbit);
			if (k && n < EVAC_BITS)
				ybits[n / 64] |= 1ULL << (n % 64);
			need[k]++;
			n++;
		}
	}
	nk = newbit ? 2 : 1;
	for (k = 0; k < nk; k++) {
		d[k] = (struct dest){ bucket_at(m, m->buckets, x + k * newbit), 0 };
		if (!need[k])
			continue;
		n = chain_free_slots(m, d[k].b);
		if (need[k] > n)
			extra += DIV_ROUND_UP(need[k] - n, KVG_MAP_SLOTS);
	}
	err = reserve_spares(m, extra);
	if (err)
		return err;

	n = 0;
	for (b = ob; b; b = *overflow_of(m, b)) {
		for (i = 0; i < KVG_MAP_SLOTS; i++) {
			void *key = key_at_k(m, b, i, ks);

			if (is_empty(b->tophash[i])) {
				b->tophash[i] = EVACUATED_EMPTY;
				continue;
			}
			if (!newbit)
				k = 0;
			else if (n < EVAC_BITS)
				k = ybits[n / 64] >> (n % 64) & 1;
			else
				k = !!(hash_k(m, key, ks) & newbit);
			n++;
			dest_slot(m, &d[k]);
			memcpy(key_at_k(m, d[k].b, d[k].i, ks), key, key_size(m, ks));
			val_copy(m, val_at_k(m, d[k].b, d[k].i, ks), val_at_k(m, b, i, ks));
			d[k].b->tophash[d[k].i++] = b->tophash[i];
			b->tophash[i] = EVACUATED;
		}
		if (b != ob)
			kept++;
	}
	/* The old chain's overflow buckets: freed, or kept for iterators. */
	if (!m->iterators) {
		for (b = *overflow_of(m, ob); b; b = next) {
			next = *overflow_of(m, b);
			kvg_mem_free(b);
		}
		*overflow_of(m, ob) = NULL;
	}
	stats_begin(m);
	m->noverflow -= kept;
	if (m->iterators)
		m->nkept += kept;
	stats_end(m);
advance:
	if (oldbucket == m->nevacuate) {
		n = m->nevacuate;
		while (n < nbuckets(m->old_B) &&
		       evacuated(bucket_at(m, m->oldbuckets, n)))
			n++;
		stats_begin(m);
		m->nevacuate = n;
		stats_end(m);
		if (n == nbuckets(m->old_B))
			resize_finish(m, ip);
	}
	return 0;
}

/* evacuate_k() specialised for u64 keys, out of line for the others. */
static int evacuate(struct kvg_map *m, size_t oldbucket, unsigned long ip)
{
	switch (fast_ks(m)) {
	case sizeof(u64):
		return evacuate_k(m, oldbucket, ip, sizeof(u64));
	case sizeof(u32):
		return evacuate_k(m, oldbucket, ip, sizeof(u32));
	default:
		return evacuate_k(m, oldbucket, ip, KS_ANY);
	}
}

/*
 * Go's growWork: the old bucket of the key being written, plus one more.
 * A halving gets fewer writes before the next threshold than a doubling
 * (2^old_B buckets to move in about 0.41 * 2^old_B deletes), so it moves
 * three more: still bounded work per write.
 */
static int grow_work_resizing(struct kvg_map *m, u64 hash, unsigned long ip)
{
	unsigned int more = m->old_B > m->B ? 3 : 1;
	int err;

	err = evacuate(m, hash & bmask(m->old_B), ip);
	while (!err && m->oldbuckets && more--)
		err = evacuate(m, m->nevacuate, ip);
	return err;
}

static __always_inline int grow_work(struct kvg_map *m, u64 hash,
				     unsigned long ip)
{
	if (likely(!m->oldbuckets))
		return 0;
	return grow_work_resizing(m, hash, ip);
}

/* kvg_map_assign(), with @ip the library's caller for the trace events. */
static __always_inline int assign_k(struct kvg_map *m, const void *key,
				    void **val, unsigned long ip,
				    unsigned int ks)
{
	struct kvg_bucket *b, *eb, *next;
	unsigned int i, ei = 0;
	u64 hash, w, hits;
	u8 top;
	int err;

	hash = hash_k(m, key, ks);
	top = tophash(hash);
	if (unlikely(!m->buckets)) {
		b = alloc_array(m, m->B);
		if (!b)
			return -ENOMEM;
		stats_begin(m);
		m->buckets = b;
		note_peak(m);
		stats_end(m);
	}
again:
	err = grow_work(m, hash, ip);
	if (err) {
		/* No room to evacuate: an existing key is updated where it is. */
		if (chain_find_k(m, home_chain(m, hash), top, key, &b, NULL,
				 &i, ks)) {
			*val = val_at_k(m, b, i, ks);
			return 0;
		}
		return err;
	}
	eb = NULL;
	b = bucket_at(m, m->buckets, hash & bmask(m->B));
	prefetch_bucket(b);
	for (;;) {
		w = tophash_word(b);
		for (hits = zero_bytes(w ^ (BYTES_01 * top)); hits;
		     hits &= hits - 1) {
			i = first_slot(hits);
			if (key_eq_k(m, key, key_at_k(m, b, i, ks), ks)) {
				*val = val_at_k(m, b, i, ks);
				return 0;
			}
		}
		/* The first empty slot; an EMPTY_REST one ends the search. */
		hits = zero_bytes(w & BYTES_FE);
		if (hits && !eb) {
			eb = b;
			ei = first_slot(hits);
		}
		if (zero_bytes(w))
			goto insert;
		next = *overflow_of(m, b);
		if (!next)
			break;
		b = next;
	}
insert:
	/* Go's rule: grow before adding, unless a resize is under way. */
	if (!m->oldbuckets && !m->zombie &&
	    (over_load(m->count + 1, m->B) ||
	     too_many_overflow(m->noverflow, m->B))) {
		err = resize_start(m, m->B + over_load(m->count + 1, m->B), ip);
		if (err)
			return err;
		goto again;
	}
	if (!eb) {
		eb = overflow_get(m);
		if (!eb)
			return -ENOMEM;
		*overflow_of(m, b) = eb;
		ei = 0;
	}
	memcpy(key_at_k(m, eb, ei, ks), key, key_size(m, ks));
	val_clear(m, val_at_k(m, eb, ei, ks));
	eb->tophash[ei] = top;
	m->count++;
	*val = val_at_k(m, eb, ei, ks);
	return 1;
}

static noinline int assign_other(struct kvg_map *m, const void *key,
				 void **val, unsigned long ip)
{
	if (fast_ks(m) == sizeof(u32))
		return assign_k(m, key, val, ip, sizeof(u32));
	return assign_k(m, key, val, ip, KS_ANY);
}

static __always_inline int assign(struct kvg_map *m, const void *key,
				  void **val, unsigned long ip)
{
	int ret;

	if (unlikely(!m->key_size))
		return -EINVAL;
	if (swiss_mode(m))
		ret = kvg_swiss_assign(m, key, val, ip);
	else if (likely(fast_ks(m) == sizeof(u64)))
		ret = assign_k(m, key, val, ip, sizeof(u64));
	else
		ret = assign_other(m, key, val, ip);
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

#ifdef CONFIG_KVGROW_FAULT_INJECTION
/* Test builds count the buckets mark_empty() walks over, to bound them. */
static unsigned long mark_steps;
#define count_mark_step()	(mark_steps++)

/**
 * kvg_map_mark_steps() - Buckets map deletes have walked to mark empties.
 *
 * Test builds only (CONFIG_KVGROW_FAULT_INJECTION): a test bounds the work
 * of one delete by the growth of this count, not by its time.
 *
 * Context: Any context; the count is not synchronised with writers.
 * Return: The buckets mark_empty() has visited since the module loaded.
 */
unsigned long kvg_map_mark_steps(void)
{
	return mark_steps;
}
EXPORT_SYMBOL_GPL(kvg_map_mark_steps);
#else
#define count_mark_step()	do { } while (0)
#endif

/*
 * Mark slot @i of @b empty, and the trailing empties as EMPTY_REST, to the
 * byte as Go's mapdelete does.  Go walks back slot by slot and finds each
 * earlier bucket by a walk from @head: quadratic in the chain when a long
 * run of EMPTY_ONE buckets turns EMPTY_REST (all keys in one chain under a
 * constant or weak hash, emptied buckets kept in Go mode or while
 * iterators live).  Here, once the run reaches back past @b's first slot,
 * one walk forward from @head finds where it starts and a second marks
 * it: at most twice the chain, which the lookup walked already.  So no
 * mode needs a bound that would leave EMPTY_ONE behind, and Go mode keeps
 * Go's bytes.  @prev is the bucket before @b, NULL if @b is @head.
 */
static void mark_empty(const struct kvg_map *m, struct kvg_bucket *head,
		       struct kvg_bucket *prev, struct kvg_bucket *b,
		       unsigned int i)
{
	struct kvg_bucket *c, *last = NULL;

	b->tophash[i] = EMPTY_ONE;
	if (i == KVG_MAP_SLOTS - 1) {
		c = *overflow_of(m, b);
		if (c && c->tophash[0] != EMPTY_REST)
			return;
	} else if (b->tophash[i + 1] != EMPTY_REST) {
		return;
	}
	for (;;) {
		b->tophash[i] = EMPTY_REST;
		if (!i)
			break;
		if (b->tophash[--i] != EMPTY_ONE)
			return;
	}
	if (!prev || prev->tophash[KVG_MAP_SLOTS - 1] != EMPTY_ONE)
		return;
	/* The run starts after the last slot before @b not EMPTY_ONE. */
	for (c = head; c != b; c = *overflow_of(m, c)) {
		count_mark_step();
		if (tophash_word(c) != BYTES_01 * EMPTY_ONE)
			last = c;
	}
	if (last) {
		for (i = KVG_MAP_SLOTS - 1; last->tophash[i] == EMPTY_ONE; i--)
			last->tophash[i] = EMPTY_REST;
		c = *overflow_of(m, last);
	} else {
		c = head;
	}
	for (; c != b; c = *overflow_of(m, c)) {
		count_mark_step();
		memset(c->tophash, EMPTY_REST, KVG_MAP_SLOTS);
	}
}

/* Unlink every empty overflow bucket of the chain from @head. */
static void reclaim_chain(struct kvg_map *m, struct kvg_bucket *head)
{
	struct kvg_bucket *p = head, *b;

	while ((b = *overflow_of(m, p))) {
		if (bucket_is_empty(b)) {
			*overflow_of(m, p) = *overflow_of(m, b);
			overflow_put(m, b);
		} else {
			p = b;
		}
	}
}

/* After deletes: give memory back, unless iterators or Go mode forbid. */
static __always_inline void maybe_shrink(struct kvg_map *m, unsigned long ip)
{
	if (m->iterators || (m->flags & KVG_MAP_GO_COMPAT))
		return;
	if (!m->count) {
		reset_empty(m);
		return;
	}
	/* count <= 6.5 * 2^B / 8: after halving the load is at most 1.625. */
	if (m->B && !m->oldbuckets && !m->zombie &&
	    m->count * LOAD_DEN * 8 <= LOAD_NUM * nbuckets(m->B))
		resize_start(m, m->B - 1, ip);	/* a failure only delays it */
}

/* kvg_map_delete(), with @ip the library's caller for the trace events. */
static __always_inline bool delete_k(struct kvg_map *m, const void *key,
				     unsigned long ip, unsigned int ks)
{
	struct kvg_bucket *head, *b, *prev;
	unsigned int i;
	u64 hash;

	hash = hash_k(m, key, ks);
	grow_work(m, hash, ip);
	head = home_chain(m, hash);
	if (!chain_find_k(m, head, tophash(hash), key, &b, &prev, &i, ks))
		return false;
	/* The tophash mark is the truth: stale key and value bytes stay. */
	mark_empty(m, head, prev, b, i);
	m->count--;
	if (prev && !m->iterators && !(m->flags & KVG_MAP_GO_COMPAT) &&
	    bucket_is_empty(b)) {
		*overflow_of(m, prev) = *overflow_of(m, b);
		overflow_put(m, b);
	}
	maybe_shrink(m, ip);
	return true;
}

static noinline bool delete_other(struct kvg_map *m, const void *key,
				  unsigned long ip)
{
	if (fast_ks(m) == sizeof(u32))
		return delete_k(m, key, ip, sizeof(u32));
	return delete_k(m, key, ip, KS_ANY);
}

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
	else if (likely(fast_ks(m) == sizeof(u64)))
		found = delete_k(m, key, _RET_IP_, sizeof(u64));
	else
		found = delete_other(m, key, _RET_IP_);
	if (unlikely(m->group))
		charge_group(m);
	return found;
}
EXPORT_SYMBOL_GPL(kvg_map_delete);

/*
 * Live chains by index: the new array's buckets, then the old buckets not
 * yet evacuated (NULL for the evacuated ones).
 */
static size_t nchains(const struct kvg_map *m)
{
	if (!m->buckets)
		return 0;
	return nbuckets(m->B) + (m->oldbuckets ? nbuckets(m->old_B) : 0);
}

static struct kvg_bucket *chain_at(const struct kvg_map *m, size_t idx)
{
	struct kvg_bucket *b;

	if (idx < nbuckets(m->B))
		return bucket_at(m, m->buckets, idx);
	b = bucket_at(m, m->oldbuckets, idx - nbuckets(m->B));
	return evacuated(b) ? NULL : b;
}

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
	struct kvg_bucket *b;
	size_t idx;

	if (!m->key_size)
		return;
	if (swiss_mode(m) && m->iterators) {
		kvg_swiss_clear(m);
	} else if (!m->iterators) {
		reset_empty(m);
	} else {
		for (idx = 0; idx < nchains(m); idx++)
			for (b = chain_at(m, idx); b; b = *overflow_of(m, b))
				memset(b->tophash, EMPTY_REST,
				       sizeof(b->tophash));
		m->count = 0;
	}
	charge_group(m);
}
EXPORT_SYMBOL_GPL(kvg_map_clear);

static int shrink(struct kvg_map *m, unsigned long ip)
{
	int err;

	if (!m->key_size)
		return -EINVAL;
	if (m->iterators)
		return -EBUSY;
	if (swiss_mode(m)) {
		if (!m->count) {
			reset_empty(m);
			return 0;
		}
		return kvg_swiss_shrink(m, ip);
	}
	for (;;) {
		while (m->oldbuckets) {
			err = evacuate(m, m->nevacuate, ip);
			if (err)
				return err;
		}
		if (!m->count) {
			reset_empty(m);
			return 0;
		}
		if (!m->B || m->count * LOAD_DEN * 2 > LOAD_NUM * nbuckets(m->B - 1))
			return 0;
		err = resize_start(m, m->B - 1, ip);
		if (err)
			return err;
	}
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
	u64 r;

	*it = (struct kvg_map_iter){ .m = m };
	if (!m->key_size || !m->count)
		return;
	if (swiss_mode(m)) {
		kvg_swiss_iter_start(it, m);
		return;
	}
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
EXPORT_SYMBOL_GPL(kvg_map_iter_start);

/* The last iterator is gone: free what was kept, reclaim, shrink. */
static void iter_release(struct kvg_map *m, unsigned long ip)
{
	struct kvg_bucket *head;
	size_t idx;

	if (swiss_mode(m)) {
		kvg_swiss_release(m);
		return;
	}
	if (m->zombie) {
		idx = free_chains(m, m->zombie, m->zombie_B);
		kvg_mem_free(m->zombie);
		stats_begin(m);
		m->nkept -= idx;
		m->zombie = NULL;
		stats_end(m);
	}
	if (m->flags & KVG_MAP_GO_COMPAT)
		return;
	for (idx = 0; idx < nchains(m); idx++) {
		head = chain_at(m, idx);
		if (head)
			reclaim_chain(m, head);
	}
	maybe_shrink(m, ip);
}

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
		iter_release(it->m, _RET_IP_);
		charge_group(it->m);
	}
}
EXPORT_SYMBOL_GPL(kvg_map_iter_stop);

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
		hash = map_hash(m, key);
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
	*val = kvg_map_get(m, key);
	return *val;
}

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
	struct kvg_map *m = it->m;
	unsigned int i;
	u8 th;

	if (!it->active)
		return false;
	if (swiss_mode(m)) {
		if (kvg_swiss_iter_next(it, key, val))
			return true;
		kvg_map_iter_stop(it);
		return false;
	}
	do {
		while (it->slot < KVG_MAP_SLOTS) {
			i = (it->offset + it->slot++) & (KVG_MAP_SLOTS - 1);
			th = it->chain->tophash[i];
			if (is_empty(th) || th == EVACUATED_EMPTY)
				continue;
			*key = key_at(m, it->chain, i);
			*val = val_at(m, it->chain, i);
			if (iter_take(it, *key, th, val))
				return true;
		}
	} while (iter_next_chain(it));
	kvg_map_iter_stop(it);
	return false;
}
EXPORT_SYMBOL_GPL(kvg_map_iter_next);

/* ---- figures ---- */

/* The Swiss engine's figures, in place of the buckets' (called under seq). */
static void swiss_snapshot(const struct kvg_map *m, struct kvg_map_stats *st)
{
	size_t tomb = READ_ONCE(m->sw.tombstones);

	st->swiss = true;
	st->tables = m->sw.tables;
	st->global_depth = m->sw.depth;
	st->slots = m->sw.slots;
	st->tombstones = tomb;
	st->retired_tables = m->sw.nretired;
	st->dir_bytes = kvg_swiss_dir_bytes(m);
	st->largest_block = m->sw.largest_block;
	st->rehashes = m->sw.rehashes;
	st->splits = m->sw.splits;
	st->merges = m->sw.merges;
	st->load_x100 = st->slots ? st->count * 100 / st->slots : 0;
}

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
	size_t buckets, fp, count, live;
	unsigned int start;

	do {
		start = raw_read_seqcount_begin(seq);
		/* count changes outside the section: one word, read once. */
		count = READ_ONCE(m->count);
		buckets = m->buckets ? nbuckets(m->B) : 0;
		fp = map_footprint(m);
		live = count * (m->key_size + m->val_size);
		*st = (struct kvg_map_stats){
			.count = count,
			.key_size = m->key_size,
			.val_size = m->val_size,
			.B = m->B,
			.buckets = buckets,
			.overflow = m->noverflow,
			.growing = m->oldbuckets,
			.old_buckets = m->oldbuckets ? nbuckets(m->old_B) : 0,
			.evacuated = m->oldbuckets ? m->nevacuate : 0,
			.grows = m->acct.grows,
			.same_size_grows = m->acct.same_size_grows,
			.shrinks = m->acct.shrinks,
			.failed_allocs = m->acct.failed_allocs,
			.load_x100 = buckets ? count * 100 / buckets : 0,
			.footprint_bytes = fp,
			.peak_footprint_bytes = m->acct.peak_footprint,
			.bytes_per_entry_x100 = count ? fp * 100 / count : 0,
			.live_bytes = live,
			.slack_bytes = fp - live,
			.go_compat = m->flags & KVG_MAP_GO_COMPAT,
			.site = m->site,
		};
		if (swiss_mode(m))
			swiss_snapshot(m, st);
	} while (read_seqcount_retry(seq, start));
}
EXPORT_SYMBOL_GPL(kvg_map_snapshot);

/**
 * kvg_map_chain_histogram() - Count the chains by their overflow buckets.
 * @m: The map.
 * @hist: Set to how many live chains have 0, 1, ... 7 and 8 or more
 *        overflow buckets; all zero for a dead map.
 *
 * Context: Any context.  Walks @m's chains: like kvg_map_get(), it may run
 * concurrently with lookups, not with any other call on @m.
 */
void kvg_map_chain_histogram(const struct kvg_map *m,
			     u64 hist[KVG_MAP_HIST_LEN])
{
	struct kvg_bucket *head, *b;
	size_t idx, len;

	memset(hist, 0, KVG_MAP_HIST_LEN * sizeof(*hist));
	if (!m->key_size || swiss_mode(m))
		return;
	for (idx = 0; idx < nchains(m); idx++) {
		head = chain_at(m, idx);
		if (!head)
			continue;
		len = 0;
		for (b = *overflow_of(m, head); b; b = *overflow_of(m, b))
			len++;
		hist[min_t(size_t, len, KVG_MAP_HIST_LEN - 1)]++;
	}
}
EXPORT_SYMBOL_GPL(kvg_map_chain_histogram);

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
