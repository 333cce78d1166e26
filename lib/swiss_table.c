// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow's Swiss tables (design and glossary in lib/swiss.h): table sizes,
 * table blocks, and the lookups, inserts and deletes within one table.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kvgrow/fault.h>
#include <kvgrow/map.h>
#include <kvgrow/policy.h>
#include "kvg_acct.h"
#include "kvg_mem.h"
#include "swiss.h"

/* The alignment a key or value of @size gets: its lowest bit, 8 at most. */
static size_t size_align(size_t size)
{
	return size ? min_t(size_t, size & -size, 8) : 1;
}

/*
 * The levels: for each kmalloc size class up to SWISS_MAX_BLOCK, the most
 * groups that fit it, so every table block fills its class.  For u64 keys
 * and values (136-byte groups, a 24-byte header) they are 1, 3, 7, 14, 29,
 * 60, 120 and 240 groups in 192 B, 512 B, 1 KiB ... 32 KiB blocks.  The
 * rounding slack they leave, (footprint - requested bytes) / footprint,
 * measured for u64 maps after every insert from 10^3 to 10^6 entries, is
 * 0.317% at most (the directory's and the tables' blocks, on this
 * machine's userspace shim of the kernel's size classes; `kvgrow-sim
 * map-constants` measures it and prints this table); the swiss KUnit
 * suite checks < 3% up to 3 * 10^5.
 */
void kvg_swiss_init_levels(struct kvg_map *m)
{
	size_t ks = m->key_size, vs = m->val_size;
	size_t ka = size_align(ks), va = size_align(vs);
	size_t n = 1, fp, groups, gs;

	m->sw.val_offset = round_up(ks, va);
	m->sw.slot_size = round_up(m->sw.val_offset + vs, max(ka, va));
	gs = SWISS_GROUP_SLOTS * (1 + m->sw.slot_size);
	m->sw.group_size = gs;
	m->sw.nlevels = 0;
	while (m->sw.nlevels < KVG_SWISS_LEVELS &&
	       SWISS_HDR + n * gs <= SWISS_MAX_BLOCK) {
		fp = min_t(size_t, kvg_kvmalloc_roundup(SWISS_HDR + n * gs),
			   SWISS_MAX_BLOCK);
		groups = (fp - SWISS_HDR) / gs;
		m->sw.level_groups[m->sw.nlevels++] = groups;
		n = groups + 1;
	}
}

/*
 * The smallest level holding @n entries at load at most 1/2 (twice the
 * room), or nlevels if none does.
 */
unsigned int kvg_swiss_level_for(const struct kvg_map *m, size_t n)
{
	unsigned int l;

	for (l = 0; l < m->sw.nlevels; l++)
		if (level_load(m, l) >= 2 * n)
			break;
	return l;
}

size_t kvg_swiss_table_bytes(const struct kvg_map *m, unsigned int level)
{
	return SWISS_HDR + (size_t)m->sw.level_groups[level] * m->sw.group_size;
}

/* What the allocator really holds for @t. */
size_t kvg_swiss_table_footprint(const struct kvg_map *m,
				 const struct kvg_swiss_table *t)
{
	return kvg_mem_footprint(kvg_swiss_table_bytes(m, t->level),
				 kvg_mem_backend(t));
}

/*
 * A new empty table, not yet in the directory nor the figures (the commit
 * that links it counts it); NULL (the failure counted) if the allocation
 * fails.
 */
struct kvg_swiss_table *kvg_swiss_table_new(struct kvg_map *m,
					    unsigned int level,
					    unsigned int depth)
{
	struct kvg_swiss_table *t;

	t = kvg_mem_alloc_slab(kvg_swiss_table_bytes(m, level), m->gfp);
	if (!t) {
		kvg_swiss_note_failure(m);
		return NULL;
	}
	*t = (struct kvg_swiss_table){
		.ngroups = m->sw.level_groups[level],
		.growth_left = level_load(m, level),
		.level = level,
		.depth = depth,
	};
	memset(t->data, CTRL_EMPTY, (size_t)t->ngroups * SWISS_GROUP_SLOTS);
	return t;
}

#ifdef CONFIG_KVGROW_FAULT_INJECTION
/* The KUnit suites are built in, so this test knob needs no export. */
bool kvg_swiss_go124_growth;

/* Test builds count the entries moved between tables, to bound them. */
static unsigned long moves;
#define count_move()	(moves++)

/**
 * kvg_swiss_moves() - Entries Swiss-map rebuilds, splits, merges moved.
 *
 * Test builds only (CONFIG_KVGROW_FAULT_INJECTION): a test bounds the work
 * of one insert by the growth of this count, not by its time.
 *
 * Context: Any context; the count is not synchronised with writers.
 * Return: The entries moved into new tables since the module loaded.
 */
unsigned long kvg_swiss_moves(void)
{
	return moves;
}
EXPORT_SYMBOL_GPL(kvg_swiss_moves);
#else
#define count_move()	do { } while (0)
#endif

/*
 * The first empty or deleted slot of @hash's probe sequence in @t, which
 * has one (a table is at most 7/8 full or deleted): its group's control
 * bytes, and the slot in *@slot.
 */
static __always_inline u8 *find_free(const struct kvg_map *m,
				     const struct kvg_swiss_table *t,
				     u64 hash, unsigned int *slot)
{
	unsigned int g = hash_h1(t, hash);
	u64 avail;
	u8 *grp;

	for (;;) {
		grp = group_at(m, t, g);
		avail = match_free(ctrl_load(grp));
		if (avail) {
			*slot = first_slot(avail);
			return grp;
		}
		if (++g == t->ngroups)
			g = 0;
	}
}

/* Whether @t may take slot @i of @grp: a deleted one, or growth left. */
static __always_inline bool slot_takes(const struct kvg_swiss_table *t,
				       const u8 *grp, unsigned int i)
{
	return grp[i] != CTRL_EMPTY || t->growth_left;
}

/* Slot @i of @grp in @t, empty or deleted, taken for hash @hash. */
static __always_inline void take_slot(struct kvg_map *m,
				      struct kvg_swiss_table *t, u8 *grp,
				      unsigned int i, u64 hash)
{
	if (grp[i] == CTRL_EMPTY) {
		t->growth_left--;
	} else {
		t->tombstones--;
		m->sw.tombstones--;
	}
	grp[i] = hash_h2(hash);
	t->used++;
}

/* Put an entry whose key @t does not hold into @t, which has room. */
static __always_inline void put_k(struct kvg_map *m,
				  struct kvg_swiss_table *t, u64 hash,
				  const void *key, const void *val,
				  unsigned int ks)
{
	unsigned int i;
	u8 *grp = find_free(m, t, hash, &i);

	take_slot(m, t, grp, i, hash);
	memcpy(slot_key(m, t, grp, i, ks), key, key_size(m, ks));
	val_copy(m, slot_val(m, t, grp, i, ks), val);
	count_move();
}

/*
 * kvg_swiss_move(): each entry of mv->from hashed once, and put into
 * mv->to[bit @mv->bit of its hash], or only counted; the count of those
 * whose bit is 1.
 */
static __always_inline int move_k(struct kvg_map *m,
				  const struct swiss_move *mv, unsigned int ks)
{
	const struct kvg_swiss_table *from = mv->from;
	unsigned int g, i, side;
	int ones = 0;
	u64 full, h;
	void *key;
	u8 *grp;

	for (g = 0; g < from->ngroups; g++) {
		grp = group_at(m, from, g);
		for (full = match_full(ctrl_load(grp)); full;
		     full &= full - 1) {
			i = first_slot(full);
			key = slot_key(m, from, grp, i, ks);
			h = hash_k(m, key, ks);
			side = h >> mv->bit & 1;
			ones += side;
			if (mv->to[side])
				put_k(m, mv->to[side], h, key,
				      slot_val(m, from, grp, i, ks), ks);
		}
	}
	return ones;
}

/*
 * Find @key (hash @hash) in @t: its group and slot.  The probe visits
 * groups from H1 on and stops at the first with an empty slot.
 */
static __always_inline bool find_k(const struct kvg_map *m,
				   const struct kvg_swiss_table *t, u64 hash,
				   const void *key, u8 **fgrp, unsigned int *fi,
				   unsigned int ks)
{
	unsigned int g = hash_h1(t, hash), i;
	u8 h2 = hash_h2(hash);
	u64 w, hits;
	u8 *grp;

	for (;;) {
		grp = group_at(m, t, g);
		w = ctrl_load(grp);
		for (hits = match_h2(w, h2); hits; hits &= hits - 1) {
			i = first_slot(hits);
			if (key_eq_k(m, key, slot_key(m, t, grp, i, ks), ks)) {
				*fgrp = grp;
				*fi = i;
				return true;
			}
		}
		if (match_empty(w))
			return false;
		if (++g == t->ngroups)
			g = 0;
	}
}

static __always_inline void *get_k(const struct kvg_map *m, const void *key,
				   unsigned int ks)
{
	u64 hash = hash_k(m, key, ks);
	const struct kvg_swiss_table *t = swiss_table_of(m, hash);
	unsigned int i;
	u8 *grp;

	if (!t || !find_k(m, t, hash, key, &grp, &i, ks))
		return NULL;
	return slot_val(m, t, grp, i, ks);
}

/* assign_k(): the new key needs room made first (make_room()). */
#define SW_ROOM		2

/*
 * Find @key, or insert it with a zeroed value if its table has room:
 * 0 or 1 as kvg_map_assign() returns them, or SW_ROOM.  A new key takes
 * the first free slot of its probe sequence, found by a second walk from
 * H1 over control words the first one just read (absl's order): fewer
 * values live across the lookup's loop than tracking that slot in it.
 */
static __always_inline int assign_k(struct kvg_map *m, const void *key,
				    void **val, unsigned int ks)
{
	u64 hash = hash_k(m, key, ks);
	struct kvg_swiss_table *t = swiss_table_of(m, hash);
	unsigned int i;
	u8 *grp;

	if (unlikely(!t))
		return SW_ROOM;
	if (find_k(m, t, hash, key, &grp, &i, ks)) {
		*val = slot_val(m, t, grp, i, ks);
		return 0;
	}
	grp = find_free(m, t, hash, &i);
	if (unlikely(!slot_takes(t, grp, i)))
		return SW_ROOM;
	take_slot(m, t, grp, i, hash);
	memcpy(slot_key(m, t, grp, i, ks), key, key_size(m, ks));
	*val = slot_val(m, t, grp, i, ks);
	val_clear(m, *val);
	m->count++;
	return 1;
}

/*
 * A new key found no room in its table: make it (a rebuild, or a split),
 * off the fast paths.
 */
static noinline int make_room(struct kvg_map *m, const void *key,
			      unsigned long ip)
{
	u64 hash = kvg_map_hash(m, key);

	return kvg_swiss_make_room(m, swiss_table_of(m, hash), hash, ip);
}

static __always_inline bool delete_k(struct kvg_map *m, const void *key,
				     unsigned long ip, unsigned int ks)
{
	u64 hash = hash_k(m, key, ks);
	struct kvg_swiss_table *t = swiss_table_of(m, hash);
	unsigned int i;
	u8 *grp;

	if (!t || !find_k(m, t, hash, key, &grp, &i, ks))
		return false;
	/* A group with an empty slot ends every probe: no tombstone needed. */
	if (match_empty(ctrl_load(grp))) {
		grp[i] = CTRL_EMPTY;
		t->growth_left++;
	} else {
		grp[i] = CTRL_DELETED;
		t->tombstones++;
		m->sw.tombstones++;
	}
	t->used--;
	m->count--;
	if (unlikely(swiss_may_shrink(m, t)))
		kvg_swiss_after_delete(m, t, hash, ip);
	return true;
}

/* Operation @op, inlined with @op and the key size @ks constants. */
static __always_inline int swiss_op_ks(struct kvg_map *m, enum engine_op op,
				       const void *key, void **val,
				       unsigned long ip, unsigned int ks)
{
	int ret;

	switch (op) {
	case ENGINE_GET:
		*val = get_k(m, key, ks);
		return 0;
	case ENGINE_ASSIGN:
		while (unlikely((ret = assign_k(m, key, val, ks)) == SW_ROOM)) {
			ret = make_room(m, key, ip);
			if (ret)
				return ret;
		}
		return ret;
	case ENGINE_DELETE:
		return delete_k(m, key, ip, ks);
	case ENGINE_MOVE:
		return move_k(m, key, ks);
	default:	/* ENGINE_EVACUATE is Go 1.19's engine's alone */
		return -EINVAL;
	}
}

DEFINE_MAP_OP(swiss_op)

void *kvg_swiss_get(const struct kvg_map *m, const void *key)
{
	void *val;

	/* A lookup writes nothing: the cast only shares swiss_op(). */
	swiss_op((struct kvg_map *)m, ENGINE_GET, key, &val, 0);
	return val;
}

int kvg_swiss_assign(struct kvg_map *m, const void *key, void **val,
		     unsigned long ip)
{
	return swiss_op(m, ENGINE_ASSIGN, key, val, ip);
}

bool kvg_swiss_delete(struct kvg_map *m, const void *key, unsigned long ip)
{
	return swiss_op(m, ENGINE_DELETE, key, NULL, ip);
}

/*
 * The entries of @mv->from into @mv->to[the bit @mv->bit of each one's
 * hash] (both the same table for a rebuild or a merge), which have room
 * for them; a NULL destination only counts.  Specialised by key size as
 * the operations are: one hash and two copies inline per entry for u64
 * keys.  Return: how many entries have the bit set.
 */
size_t kvg_swiss_move(struct kvg_map *m, const struct swiss_move *mv)
{
	return swiss_op(m, ENGINE_MOVE, mv, NULL, 0);
}

#ifdef CONFIG_KVGROW_FAULT_INJECTION
/* One table's own invariants; its full slots added to *@used. */
static const char *table_valid(const struct kvg_map *m,
			       const struct kvg_swiss_table *t, size_t first,
			       size_t *used)
{
	size_t full = 0, deleted = 0, ok_prefix;
	unsigned int g, i, fi;
	u8 *grp, *fgrp;
	u64 h;

	if (t->level >= m->sw.nlevels ||
	    t->ngroups != m->sw.level_groups[t->level])
		return "a table's group count is not its level's";
	if (t->depth > m->sw.depth || t->retired)
		return "a linked table is deeper than the directory, or retired";
	ok_prefix = first >> (m->sw.depth - t->depth);
	for (g = 0; g < t->ngroups; g++) {
		grp = group_at(m, t, g);
		for (i = 0; i < SWISS_GROUP_SLOTS; i++) {
			if (grp[i] == CTRL_DELETED)
				deleted++;
			if (grp[i] & CTRL_EMPTY)
				continue;
			full++;
			h = kvg_map_hash(m, slot_key(m, t, grp, i, KS_ANY));
			if (hash_h2(h) != grp[i])
				return "a control byte is not its key's H2";
			if (t->depth && h >> (64 - t->depth) != ok_prefix)
				return "a key in a table its hash is not for";
			if (!find_k(m, t, h, slot_key(m, t, grp, i, KS_ANY),
				    &fgrp, &fi, KS_ANY) || fgrp != grp || fi != i)
				return "a key its probe sequence does not reach";
		}
	}
	if (full != t->used || deleted != t->tombstones)
		return "a table's used or tombstones miscounted";
	if (t->growth_left + full + deleted != level_load(m, t->level))
		return "a table's growth_left is not 7/8 less used and deleted";
	*used += full;
	return NULL;
}

/**
 * kvg_swiss_validate() - Check a Swiss map's structure, slot by slot.
 * @m: The map (live, either engine; a Go 1.19 map passes trivially).
 *
 * Test builds only (CONFIG_KVGROW_FAULT_INJECTION), for the fuzzer and the
 * KUnit suites: every directory span aligned and filled by one table,
 * every full slot's key hashed into its table and reached by its probe,
 * and the counts (used, tombstones, growth_left, tables, slots, retired,
 * footprint) equal to what the slots and blocks say.
 *
 * Context: Any context; walks every slot: O(footprint).
 * Return: NULL if all holds, else the first rule broken, in words.
 */
const char *kvg_swiss_validate(const struct kvg_map *m)
{
	struct kvg_swiss_table *const *dir = dir_of(m);
	size_t i, j, span, used = 0, tables = 0, slots = 0, tomb = 0, fp, n;
	const struct kvg_swiss_table *t;
	const char *why;

	if (!swiss_mode(m))
		return NULL;
	fp = kvg_swiss_dir_bytes(m);
	for (i = 0; i < dir_entries(m->sw.depth); i += span) {
		t = dir[i];
		if (!t) {
			if (m->sw.depth || m->count)
				return "a directory entry without a table";
			span = 1;
			continue;
		}
		span = table_span(m, t);
		if (i & (span - 1))
			return "a table's span is not aligned";
		for (j = i; j < i + span; j++)
			if (dir[j] != t)
				return "a table's span holds another table";
		why = table_valid(m, t, i, &used);
		if (why)
			return why;
		tables++;
		slots += (size_t)t->ngroups * SWISS_GROUP_SLOTS;
		tomb += t->tombstones;
		fp += kvg_swiss_table_footprint(m, t);
	}
	for (n = 0, t = m->sw.retired; t; t = t->next, n++) {
		if (!t->retired)
			return "a kept table not marked retired";
		fp += kvg_swiss_table_footprint(m, t);
	}
	if (used != m->count || tables != m->sw.tables || slots != m->sw.slots ||
	    tomb != m->sw.tombstones)
		return "count, tables, slots or tombstones miscounted";
	if (n != m->sw.nretired || (n && !m->iterators))
		return "retired tables miscounted, or kept with no iterator";
	if (fp != m->sw.footprint)
		return "the footprint is not the blocks' sum";
	return NULL;
}
EXPORT_SYMBOL_GPL(kvg_swiss_validate);
#endif
