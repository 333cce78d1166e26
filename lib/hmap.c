// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow's Go 1.19 map engine (design and glossary in lib/hmap.h):
 * buckets and their chains, lookups, inserts, evacuation, deletes with
 * overflow-bucket reclaim, and shrinking.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/prefetch.h>
#include <linux/string.h>
#include <linux/swab.h>
#include <kvgrow/fault.h>
#include <kvgrow/map.h>
#include "kvg_acct.h"
#include "kvg_mem.h"
#include "kvg_trace.h"
#include "hmap.h"

/* Go's load factor 6.5 = 13 / 2. */
#define LOAD_NUM	13
#define LOAD_DEN	2
#define SPARE_MAX	8

static u8 tophash(u64 hash)
{
	u8 top = hash >> 56;

	return top < MIN_TOPHASH ? top + MIN_TOPHASH : top;
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

	while (shift < HMAP_MAX_B + 1 && over_load(hint, shift))
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

size_t kvg_hmap_footprint(const struct kvg_map *m)
{
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
	m->acct.peak_footprint = max(m->acct.peak_footprint,
				     kvg_hmap_footprint(m));
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

	if (shift <= HMAP_MAX_B)
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
void kvg_hmap_free_all(struct kvg_map *m)
{
	struct kvg_bucket *b;

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
	kvg_hmap_free_all(m);
	map_reseed(m);
}

/* The array for @hint entries, if above 8: Go's makemap. */
int kvg_hmap_init(struct kvg_map *m, size_t hint)
{
	m->B = kvg_map_hint_B(hint);
	/* Like Go, B = 0 allocates its one bucket at the first insert. */
	if (m->B) {
		m->buckets = alloc_array(m, m->B);
		if (!m->buckets)
			return -ENOMEM;
	}
	note_peak(m);
	return 0;
}

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
		.footprint = kvg_hmap_footprint(m),
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

/* evacuate_k() specialised for the key size, as the operations are. */
static int evacuate(struct kvg_map *m, size_t oldbucket, unsigned long ip);

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

/* Operation @op, inlined with @op and the key size @ks constants. */
static __always_inline int hmap_op_ks(struct kvg_map *m, enum engine_op op,
				      const void *key, void **val,
				      unsigned long ip, unsigned int ks)
{
	switch (op) {
	case ENGINE_GET:
		*val = get_k(m, key, ks);
		return 0;
	case ENGINE_ASSIGN:
		return assign_k(m, key, val, ip, ks);
	case ENGINE_DELETE:
		return delete_k(m, key, ip, ks);
	case ENGINE_EVACUATE:
		return evacuate_k(m, *(const size_t *)key, ip, ks);
	default:	/* ENGINE_MOVE is the Swiss tables' alone */
		return -EINVAL;
	}
}

DEFINE_MAP_OP(hmap_op)

static int evacuate(struct kvg_map *m, size_t oldbucket, unsigned long ip)
{
	return hmap_op(m, ENGINE_EVACUATE, &oldbucket, NULL, ip);
}

void *kvg_hmap_get(const struct kvg_map *m, const void *key)
{
	void *val;

	/* A lookup writes nothing: the cast only shares hmap_op(). */
	hmap_op((struct kvg_map *)m, ENGINE_GET, key, &val, 0);
	return val;
}

int kvg_hmap_assign(struct kvg_map *m, const void *key, void **val,
		    unsigned long ip)
{
	return hmap_op(m, ENGINE_ASSIGN, key, val, ip);
}

bool kvg_hmap_delete(struct kvg_map *m, const void *key, unsigned long ip)
{
	return hmap_op(m, ENGINE_DELETE, key, NULL, ip);
}

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

/* clear(m) with iterators live: every slot emptied in place. */
void kvg_hmap_clear(struct kvg_map *m)
{
	struct kvg_bucket *b;
	size_t idx;

	for (idx = 0; idx < nchains(m); idx++)
		for (b = chain_at(m, idx); b; b = *overflow_of(m, b))
			memset(b->tophash, EMPTY_REST, sizeof(b->tophash));
	m->count = 0;
}

/*
 * kvg_map_shrink(): finish any resize, then halve while at most half of
 * Go's load factor would remain used; an empty map frees everything.
 */
int kvg_hmap_shrink(struct kvg_map *m, unsigned long ip)
{
	int err;

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

/* The last iterator is gone: free what was kept, reclaim, shrink. */
void kvg_hmap_release(struct kvg_map *m, unsigned long ip)
{
	struct kvg_bucket *head;
	size_t idx;

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

/* ---- figures ---- */

/* The buckets' figures (called inside the seqcount read section). */
void kvg_hmap_snapshot(const struct kvg_map *m, struct kvg_map_stats *st)
{
	st->B = m->B;
	st->buckets = m->buckets ? nbuckets(m->B) : 0;
	st->overflow = m->noverflow;
	st->growing = m->oldbuckets;
	st->old_buckets = m->oldbuckets ? nbuckets(m->old_B) : 0;
	st->evacuated = m->oldbuckets ? m->nevacuate : 0;
	st->load_x100 = st->buckets ? st->count * 100 / st->buckets : 0;
}

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
	if (!m->key_size || !(m->flags & KVG_MAP_GO119))
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
