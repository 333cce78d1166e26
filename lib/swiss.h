/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgrow's Swiss-table map engine, the default one, private to lib/: the
 * design of Go 1.24's internal/runtime/maps, read to understand and built
 * anew for the kernel, plus what Go lacks: shrinking and blocks sized to
 * the allocator.  The API is <kvgrow/map.h>; lib/map.c dispatches to the
 * kvg_swiss_*() functions below unless the map has KVG_MAP_GO119.
 *
 * Glossary
 *   slot      one key and its value, stored inline, each aligned as
 *             its size allows (up to 8 bytes), as Go 1.19's buckets
 *             align them: u64 keys with u32 values take 16-byte slots.
 *   control   one byte per slot: empty, deleted (a tombstone), or full
 *             with H2, the low 7 bits of the key's hash.
 *   group     8 slots and their 8 control bytes (one u64), matched at once.
 *   table     one block: a header, the control bytes of all its groups,
 *             then their slots; open addressing, probed a group at a time
 *             from group H1 onwards (wrapping).
 *   level     a table size: the most groups that fit one kmalloc size
 *             class, up to SWISS_MAX_BLOCK bytes (m->sw.level_groups[]).
 *   directory 2^depth table pointers indexed by the hash's top bits
 *             (extendible hashing); depth is the global depth.  A table
 *             of local depth d < depth fills 2^(depth - d) adjacent
 *             entries.  At depth 0 the one table is m->sw.one, no block.
 *   split     a full table at the largest level becomes two tables of
 *             local depth d + 1 (the directory doubles first if d == depth).
 *   merge     two sibling tables (same d, prefixes differing in the last
 *             bit) become one of depth d - 1; the directory halves when no
 *             table has the global depth any more.
 *   retired   a table replaced by a rebuild, split or merge while
 *             iterators live: kept, frozen, until the last one stops.
 *
 * A table, in memory (a control word is loaded little-endian, so control
 * byte i of a group is bits 8i..8i+7 of its u64):
 *
 *   +--------+-----------------+-----------------+-----+--------+--------+-----+
 *   | header | c0 c1 ... c7    | c0 c1 ... c7    | ... | slot 0 | slot 1 | ... |
 *   |        | group 0         | group 1         |     | group 0's slots 0..7, |
 *   +--------+-----------------+-----------------+-----+ then group 1's ...    |
 *   control byte: 1000 0000 empty, 1111 1110 deleted, 0hhh hhhh full (H2)
 *
 * Why one control array per table (absl's layout) and not a control word
 * inline before each group's slots (Go 1.24's): a miss reads only control
 * bytes, which for 10^6 u64 entries are about 1.2 MB and stay cached,
 * while inline they are spread over 32 MB of slots.  Measured in userspace
 * (10^6 u64 keys and values, min of 5 runs on this shared 2-core machine,
 * absl::flat_hash_map in the same runs): misses 69-97 ns inline, 21-34 ns
 * separate (absl 21-22); hits 80 ns inline, 92 ns separate (absl 53),
 * as a hit now reads the slot's line after the control word's.
 *
 * Load: at most 7/8 of a table's slots are full or deleted (growth_left),
 * so every probe sequence meets a group with an empty slot and stops.
 *
 * Growth, when an insert finds no growth left in its table T (used live):
 *   - the smallest level with 7/8 of its slots >= 2 * (used + 1) exists:
 *     T is rebuilt there (bigger, the same size when tombstones made it
 *     full, smaller when mostly tombstones): constant-size churn rebuilds
 *     at the same level, so the map never grows (golang/go#70886);
 *   - else T is rebuilt at the largest level, unless it is there already
 *     with more than 3/4 of that level's load live: then it splits.
 * Worst-case work of one insert: the entries of one table moved (at most
 * 7/8 of the largest level's slots, 1680 for u64 keys and values: 240
 * groups in 32 KiB), each hashed twice on a split, plus one directory
 * doubling (2^depth pointers copied) when the table split has the global
 * depth.  Nothing is amortised over later inserts.
 *
 * Shrinking, after a delete (not by Go): the last entry gone frees every
 * block (footprint 0); a table at most 1/4 loaded is rebuilt at the level
 * that holds its entries at load <= 1/2; a table whose entries and its
 * sibling's are at most 3/8 of the largest level's load merges with it
 * (a split leaves two halves of about 3/8 each, so a merge needs about
 * half of them deleted: no thrashing at one boundary).  A shrink that
 * cannot allocate is skipped; the delete still succeeds.
 *
 * Failure atomicity: every operation allocates all it needs (at most a
 * directory and two tables) before it changes anything.
 *
 * Iteration walks the 64-bit hash space from a random point, one table's
 * range at a time (lib/swiss_iter.c); see there for Go's guarantees.
 */
#ifndef _KVGROW_SWISS_H
#define _KVGROW_SWISS_H

#include <linux/types.h>
#include <linux/swab.h>
#include <kvgrow/fault.h>
#include <kvgrow/map.h>
#include "map_key.h"

#define SWISS_GROUP_SLOTS	8
#define SWISS_MAX_BLOCK		32768	/* kmalloc order 3: no vmalloc */
/*
 * The deepest directory: 2^25 tables (10^10 and more u64 entries; H1's
 * bits, 7..38, stay clear of the directory's), 2^24 on 32-bit.
 */
#define SWISS_MAX_DEPTH		(sizeof(long) == 8 ? 25 : 24)

/* Control bytes. */
#define CTRL_EMPTY		0x80
#define CTRL_DELETED		0xfe

/* A table block: this header, then ngroups * 8 control bytes and slots. */
struct kvg_swiss_table {
	u16 ngroups;
	u16 used;			/* full slots */
	u16 growth_left;		/* empty slots usable within 7/8 */
	u16 tombstones;
	u8 level;
	u8 depth;			/* local depth */
	bool retired;
	struct kvg_swiss_table *next;	/* on m->sw.retired */
	/* ngroups * 8 control bytes, then ngroups * 8 slots */
	u64 data[];
};

#define SWISS_HDR	sizeof(struct kvg_swiss_table)

static inline bool swiss_mode(const struct kvg_map *m)
{
	return !(m->flags & KVG_MAP_GO119);
}

/* ---- control words: 8 control bytes matched at once (SWAR) ---- */

static __always_inline u64 ctrl_load(const void *group)
{
	u64 w;

	memcpy(&w, group, sizeof(w));
	if (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
		w = swab64(w);
	return w;
}

/*
 * 0x80 in the bytes of @w that are full with H2 @h2, and possibly in some
 * full bytes that are not (Go 1.24's matchH2): with x = w ^ (h2 in every
 * byte), a byte is 0 where it matches, and (x - 0x01..) & ~x & 0x80.. flags
 * those in three operations, where an exact test (zero_bytes()) takes six.
 * The subtraction's borrow out of a matching byte flags the bytes above
 * it while they are 0x01 (and borrow on), that is control bytes of
 * h2 ^ 1: full, never empty or deleted.  A caller compares the slot's key
 * anyway, so a false match costs a compare, nothing more.
 */
static __always_inline u64 match_h2(u64 w, u8 h2)
{
	u64 x = w ^ (BYTES_01 * h2);

	return (x - BYTES_01) & ~x & BYTES_80;
}

/* 0x80 in the empty bytes: bit 7 set and bit 1 clear (deleted has it). */
static __always_inline u64 match_empty(u64 w)
{
	return w & ~(w << 6) & BYTES_80;
}

/* 0x80 in the empty and the deleted bytes. */
static __always_inline u64 match_free(u64 w)
{
	return w & BYTES_80;
}

/* 0x80 in the full bytes. */
static __always_inline u64 match_full(u64 w)
{
	return ~w & BYTES_80;
}

/* ---- hash parts ---- */

static __always_inline u8 hash_h2(u64 hash)
{
	return hash & 0x7f;
}

/*
 * The group a probe starts at: bits 7..38 of the hash, a fraction of 2^32,
 * times ngroups (Lemire's multiply-shift range reduction: one multiply, no
 * division, uniform).  The directory indexes by the top bits, at most
 * SWISS_MAX_DEPTH = 25 of them, so these bits vary within any table.
 */
static __always_inline unsigned int hash_h1(const struct kvg_swiss_table *t,
					    u64 hash)
{
	return ((u64)(u32)(hash >> 7) * t->ngroups) >> 32;
}

/* The directory index of @hash: its top @depth bits. */
static __always_inline size_t dir_index(u64 hash, unsigned int depth)
{
	return depth ? hash >> (64 - depth) : 0;
}

/* The directory's entries: m->sw.dir, or the one table at depth 0. */
static inline struct kvg_swiss_table **dir_of(const struct kvg_map *m)
{
	return m->sw.depth ? m->sw.dir : (struct kvg_swiss_table **)&m->sw.one;
}

static inline size_t dir_entries(unsigned int depth)
{
	return (size_t)1 << depth;
}

/* The directory entries table @t fills. */
static inline size_t table_span(const struct kvg_map *m,
				const struct kvg_swiss_table *t)
{
	return dir_entries(m->sw.depth - t->depth);
}

/*
 * The table at directory entry @i, NULL past the end or in a map without
 * tables: each table once is
 *	for (i = 0; (t = swiss_table_at(m, i)); i += table_span(m, t))
 */
static inline struct kvg_swiss_table *swiss_table_at(const struct kvg_map *m,
						     size_t i)
{
	return i < dir_entries(m->sw.depth) ? dir_of(m)[i] : NULL;
}

static __always_inline struct kvg_swiss_table *
swiss_table_of(const struct kvg_map *m, u64 hash)
{
	if (!m->sw.depth)
		return m->sw.one;
	return m->sw.dir[dir_index(hash, m->sw.depth)];
}

/* ---- groups and slots ---- */

/* Group @g of @t: its 8 control bytes. */
static __always_inline u8 *group_at(const struct kvg_map *m,
				    const struct kvg_swiss_table *t,
				    unsigned int g)
{
	return (u8 *)t->data + (size_t)g * SWISS_GROUP_SLOTS;
}

/* The key of slot @i of the group whose control bytes are at @group. */
static __always_inline void *slot_key(const struct kvg_map *m,
				      const struct kvg_swiss_table *t,
				      u8 *group, unsigned int i,
				      unsigned int ks)
{
	size_t n = (size_t)t->ngroups * SWISS_GROUP_SLOTS;
	size_t slot = group - (u8 *)t->data + i;

	return (u8 *)t->data + n + slot * m->sw.slot_size;
}

static __always_inline void *slot_val(const struct kvg_map *m,
				      const struct kvg_swiss_table *t,
				      u8 *group, unsigned int i,
				      unsigned int ks)
{
	return (u8 *)slot_key(m, t, group, i, ks) + m->sw.val_offset;
}

static inline size_t level_slots(const struct kvg_map *m, unsigned int l)
{
	return (size_t)m->sw.level_groups[l] * SWISS_GROUP_SLOTS;
}

/* 7/8 of a level's slots: the most full and deleted it may hold. */
static inline size_t level_load(const struct kvg_map *m, unsigned int l)
{
	return (size_t)m->sw.level_groups[l] * 7;
}

static inline unsigned int top_level(const struct kvg_map *m)
{
	return m->sw.nlevels - 1;
}

/* The most two siblings may hold together to merge: 3/8 of the top load. */
static inline size_t merge_max(const struct kvg_map *m)
{
	return level_load(m, top_level(m)) * 3 / 8;
}

#ifdef CONFIG_KVGROW_FAULT_INJECTION
/*
 * Test builds: Go 1.24 before golang/go#70886's fix, to reproduce its
 * churn defect: growth counts tombstones as entries, nothing shrinks
 * (kvg_swiss_go124_growth, <kvgrow/fault.h>).
 */
#define go124_growth()	READ_ONCE(kvg_swiss_go124_growth)
#else
#define go124_growth()	false
#endif

/* What a full table's growth is sized for: its entries (see above). */
static inline size_t growth_count(const struct kvg_swiss_table *t)
{
	return t->used + (go124_growth() ? t->tombstones : 0);
}

/*
 * Whether a delete that left @t with t->used entries may shrink the map
 * (kvg_swiss_after_delete() decides): the map empty, @t small enough to
 * merge, or at most 1/4 loaded above the smallest level.
 */
static __always_inline bool swiss_may_shrink(const struct kvg_map *m,
					     const struct kvg_swiss_table *t)
{
	if (go124_growth())
		return false;
	return !m->count || t->used <= merge_max(m) ||
	       (t->level && t->used * 4 <= level_load(m, t->level));
}

/* lib/swiss_table.c: tables and their slots */
void kvg_swiss_init_levels(struct kvg_map *m);
unsigned int kvg_swiss_level_for(const struct kvg_map *m, size_t n);
size_t kvg_swiss_table_bytes(const struct kvg_map *m, unsigned int level);
struct kvg_swiss_table *kvg_swiss_table_new(struct kvg_map *m,
					    unsigned int level,
					    unsigned int depth);
size_t kvg_swiss_table_footprint(const struct kvg_map *m,
				 const struct kvg_swiss_table *t);
void *kvg_swiss_get(const struct kvg_map *m, const void *key);
int kvg_swiss_assign(struct kvg_map *m, const void *key, void **val,
		     unsigned long ip);
bool kvg_swiss_delete(struct kvg_map *m, const void *key, unsigned long ip);

/* A move of a table's entries (kvg_swiss_move()). */
struct swiss_move {
	const struct kvg_swiss_table *from;
	struct kvg_swiss_table *to[2];	/* by the hash's bit @bit; NULL: count */
	unsigned int bit;
};

size_t kvg_swiss_move(struct kvg_map *m, const struct swiss_move *mv);

/* lib/swiss_dir.c: the directory, growth and shrinking */
int kvg_swiss_init(struct kvg_map *m, size_t hint);
/* @ip: the library's caller, for the trace events */
int kvg_swiss_make_room(struct kvg_map *m, struct kvg_swiss_table *t,
			u64 hash, unsigned long ip);
void kvg_swiss_after_delete(struct kvg_map *m, struct kvg_swiss_table *t,
			    u64 hash, unsigned long ip);
void kvg_swiss_free_all(struct kvg_map *m);
void kvg_swiss_clear(struct kvg_map *m);
int kvg_swiss_shrink(struct kvg_map *m, unsigned long ip);
void kvg_swiss_release(struct kvg_map *m);
void kvg_swiss_note_failure(struct kvg_map *m);
size_t kvg_swiss_dir_bytes(const struct kvg_map *m);

/* lib/swiss_stats.c: figures */
size_t kvg_swiss_requested_bytes(const struct kvg_map *m);
void kvg_swiss_snapshot(const struct kvg_map *m, struct kvg_map_stats *st);

/* lib/swiss_iter.c: iteration */
void kvg_swiss_iter_start(struct kvg_map_iter *it, struct kvg_map *m);
bool kvg_swiss_iter_next(struct kvg_map_iter *it, void **key, void **val);

#endif /* _KVGROW_SWISS_H */
