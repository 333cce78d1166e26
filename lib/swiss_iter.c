// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow's Swiss tables, iteration (design and glossary in lib/swiss.h).
 *
 * An iteration walks the 64-bit hash space once, from a random point
 * (0 with KVG_MAP_ITER_ORDERED) round to it again, one piece at a time: a
 * piece is the range of hashes, from where the walk is, that one table
 * holds.  The walk reads that table's groups from a random group and slot
 * on, returning the entries whose hash lies in the piece; it checks hashes
 * only when the table holds hashes outside the piece (the first and the
 * last piece, a table merged after part of it was walked).
 *
 * Writes between calls may rebuild, split or merge any table: the table
 * being walked is then retired, kept frozen until the last iterator stops
 * (lib/swiss_dir.c), and the walk goes on over it, returning an entry only
 * if the map still holds its key, with the map's current value.  The next
 * piece starts at the next hash, in whatever table holds it then.  So Go's
 * guarantees hold: an entry present for the whole iteration is returned
 * exactly once (its hash is in exactly one piece, and a table's entries
 * never move within it), one deleted before the walk reaches it is not,
 * and one inserted meanwhile may or may not be.
 */
#include <linux/kernel.h>
#include <linux/random.h>
#include <kvgrow/map.h>
#include "swiss.h"

/* Begin the piece at hash it->first; false if the map has no table. */
static bool begin_piece(struct kvg_map_iter *it)
{
	struct kvg_swiss_table *t = swiss_table_of(it->m, it->first);
	u64 lo, hi;

	if (!t)
		return false;
	hi = it->first | (U64_MAX >> t->depth);
	lo = it->first & ~(U64_MAX >> t->depth);
	it->last = hi;
	if (it->wrapped && hi >= it->end - 1)
		it->last = it->end - 1;
	it->filter = lo != it->first || it->last != hi;
	it->table = t;
	it->group = 0;
	it->slot = 0;
	return true;
}

/* The next piece, or false when the walk is back where it started. */
static bool next_piece(struct kvg_map_iter *it)
{
	if (it->wrapped && it->last == it->end - 1)
		return false;
	if (it->last == U64_MAX) {
		if (!it->end)
			return false;
		it->wrapped = true;
		it->first = 0;
	} else {
		it->first = it->last + 1;
	}
	return begin_piece(it);
}

void kvg_swiss_iter_start(struct kvg_map_iter *it, struct kvg_map *m)
{
	u64 r = 0;

	if (!(m->flags & KVG_MAP_ITER_ORDERED))
		r = get_random_u64();
	it->end = r;
	it->first = r;
	it->offset = (r >> 7) & (SWISS_GROUP_SLOTS - 1);
	it->group0 = (r >> 32) & 0xffff;	/* + group: no u32 overflow */
	it->wrapped = false;
	if (!begin_piece(it))
		return;
	it->active = true;
	m->iterators++;
}

bool kvg_swiss_iter_next(struct kvg_map_iter *it, void **key, void **val)
{
	struct kvg_map *m = it->m;
	struct kvg_swiss_table *t;
	unsigned int g, i;
	u8 *grp;
	u64 h;

	do {
		t = it->table;
		for (; it->group < t->ngroups; it->group++, it->slot = 0) {
			g = (it->group0 + it->group) % t->ngroups;
			grp = group_at(m, t, g);
			while (it->slot < SWISS_GROUP_SLOTS) {
				i = (it->offset + it->slot++) &
				    (SWISS_GROUP_SLOTS - 1);
				if (grp[i] & CTRL_EMPTY)
					continue;	/* empty or deleted */
				*key = slot_key(m, t, grp, i, KS_ANY);
				if (it->filter) {
					h = kvg_map_hash(m, *key);
					if (h < it->first || h > it->last)
						continue;
				}
				if (!t->retired) {
					*val = slot_val(m, t, grp, i, KS_ANY);
					return true;
				}
				*val = kvg_swiss_get(m, *key);
				if (*val)
					return true;
			}
		}
	} while (next_piece(it));
	return false;
}
