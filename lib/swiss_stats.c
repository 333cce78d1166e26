// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow's Swiss tables, figures (design and glossary in lib/swiss.h):
 * the counted ones kvg_map_snapshot() copies, and, computed on demand by
 * a walk over the map, how many groups a lookup visits to find each key,
 * the tables per local depth, and the bytes the blocks asked the
 * allocator for.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kvgrow/map.h>
#include "swiss.h"

/* Add the probe lengths of @t's keys to @hist. */
static void table_probes(const struct kvg_map *m,
			 const struct kvg_swiss_table *t,
			 u64 hist[KVG_MAP_PROBE_HIST_LEN])
{
	unsigned int g, start, len;
	u64 full;
	void *key;
	u8 *grp;

	for (g = 0; g < t->ngroups; g++) {
		grp = group_at(m, t, g);
		for (full = match_full(ctrl_load(grp)); full; full &= full - 1) {
			key = slot_key(m, t, grp, first_slot(full), KS_ANY);
			start = hash_h1(t, kvg_map_hash(m, key));
			/* Groups start, start + 1, ..., g, wrapping round. */
			len = (g + t->ngroups - start) % t->ngroups + 1;
			hist[min(len, KVG_MAP_PROBE_HIST_LEN) - 1]++;
		}
	}
}

/**
 * kvg_map_probe_histogram() - Count a Swiss map's keys by their probe length.
 * @m: The map.
 * @hist: Set to how many keys a lookup finds in the first group it visits
 *        (index 0), in the second (index 1), ... and in the eighth or a
 *        later one (index KVG_MAP_PROBE_HIST_LEN - 1); the sum is the
 *        count.  All zero for a dead map and for a KVG_MAP_GO119 map,
 *        whose figure is kvg_map_chain_histogram().
 *
 * Hashes every key: O(count).
 *
 * Context: Any context.  Walks @m's tables: like kvg_map_get(), it may run
 * concurrently with lookups, not with any other call on @m.
 */
void kvg_map_probe_histogram(const struct kvg_map *m,
			     u64 hist[KVG_MAP_PROBE_HIST_LEN])
{
	struct kvg_swiss_table *t;
	size_t i;

	memset(hist, 0, KVG_MAP_PROBE_HIST_LEN * sizeof(*hist));
	if (!m->key_size || !swiss_mode(m))
		return;
	for (i = 0; (t = swiss_table_at(m, i)); i += table_span(m, t))
		table_probes(m, t, hist);
}
EXPORT_SYMBOL_GPL(kvg_map_probe_histogram);

/**
 * kvg_map_depth_histogram() - Count a Swiss map's tables by local depth.
 * @m: The map.
 * @hist: Set to how many tables have local depth 0, 1, ... (at most the
 *        global depth: a table of local depth d fills 2^(global - d)
 *        directory entries); the sum is the tables.  All zero for a dead
 *        map, an empty one and a KVG_MAP_GO119 map.
 *
 * Context: Any context.  Walks @m's directory: like kvg_map_get(), it may
 * run concurrently with lookups, not with any other call on @m.
 */
void kvg_map_depth_histogram(const struct kvg_map *m,
			     u64 hist[KVG_MAP_DEPTH_HIST_LEN])
{
	struct kvg_swiss_table *t;
	size_t i;

	memset(hist, 0, KVG_MAP_DEPTH_HIST_LEN * sizeof(*hist));
	if (!m->key_size || !swiss_mode(m))
		return;
	/* SWISS_MAX_DEPTH < KVG_MAP_DEPTH_HIST_LEN: never clamped */
	for (i = 0; (t = swiss_table_at(m, i)); i += table_span(m, t))
		hist[min_t(unsigned int, t->depth,
			   KVG_MAP_DEPTH_HIST_LEN - 1)]++;
}
EXPORT_SYMBOL_GPL(kvg_map_depth_histogram);

/*
 * What @m's live blocks asked the allocator for: its tables' and its
 * directory's bytes (not the tables kept for iterators).  The footprint
 * less this is the size classes' rounding slack.
 */
size_t kvg_swiss_requested_bytes(const struct kvg_map *m)
{
	struct kvg_swiss_table *t;
	size_t i, bytes = 0;

	if (m->sw.depth)
		bytes += dir_entries(m->sw.depth) * sizeof(t);
	for (i = 0; (t = swiss_table_at(m, i)); i += table_span(m, t))
		bytes += kvg_swiss_table_bytes(m, t->level);
	return bytes;
}

/* The tables' figures (called inside the seqcount read section). */
void kvg_swiss_snapshot(const struct kvg_map *m, struct kvg_map_stats *st)
{
	st->swiss = true;
	st->tables = m->sw.tables;
	st->global_depth = m->sw.depth;
	st->slots = m->sw.slots;
	st->tombstones = READ_ONCE(m->sw.tombstones);
	st->retired_tables = m->sw.nretired;
	st->dir_bytes = kvg_swiss_dir_bytes(m);
	st->largest_block = m->sw.largest_block;
	st->rehashes = m->sw.rehashes;
	st->splits = m->sw.splits;
	st->merges = m->sw.merges;
	st->load_x100 = st->slots ? st->count * 100 / st->slots : 0;
}
