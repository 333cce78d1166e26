// SPDX-License-Identifier: GPL-2.0
/*
 * What a container's figures must satisfy at any moment: the one home of
 * these rules, used by the KUnit suites, the stress module, kvgrow.ko's
 * per-entry files (their "consistent" line, which the VM suite reads) and
 * the fuzzers.  A snapshot that breaks one is a library bug, or a torn
 * read (the seqcount exists to prevent those).
 */
#include <linux/export.h>
#include <linux/mm.h>
#include <kvgrow/map.h>
#include <kvgrow/vec.h>

/* @ok, naming the rule in *@why when it is broken. */
static bool rule(bool ok, const char *name, const char **why)
{
	if (!ok && why)
		*why = name;
	return ok;
}

/**
 * kvg_vec_stats_valid() - Check that a vector's figures agree.
 * @st: a snapshot (kvg_vec_snapshot_raw())
 * @why: where to store the name of the first rule broken, or NULL
 *
 * The rules: live_bytes is len * elem_size and requested_bytes cap *
 * elem_size; len <= cap; the footprint holds the requested bytes; slack is
 * footprint - live; the peak is at least the footprint; a vector with
 * no capacity has no block (backend none, footprint 0), and only it; a
 * page-backed vector (backend pages) holds KVG_PAGES_MIN_BYTES or more in
 * whole pages (its footprint is the requested bytes rounded up to a page),
 * and only a page-backed vector has remapped pages without having moved
 * any bytes or shrunk (it can have only grown page-backed from nothing).
 *
 * Context: Any context.
 * Return: true when every rule holds.
 */
bool kvg_vec_stats_valid(const struct kvg_vec_stats *st, const char **why)
{
	bool empty = !st->cap, paged = st->backend == KVG_BACKEND_PAGES;

	return rule(st->live_bytes == st->len * st->elem_size, "live", why) &&
	       rule(st->requested_bytes == st->cap * st->elem_size,
		    "requested", why) &&
	       rule(st->len <= st->cap, "len>cap", why) &&
	       rule(st->footprint_bytes >= st->requested_bytes,
		    "footprint<requested", why) &&
	       rule(st->slack_bytes == st->footprint_bytes - st->live_bytes,
		    "slack", why) &&
	       rule(st->peak_footprint_bytes >= st->footprint_bytes, "peak", why) &&
	       rule(empty == (st->backend == KVG_BACKEND_NONE), "backend", why) &&
	       rule(empty == !st->footprint_bytes, "empty", why) &&
	       rule(!paged || (st->requested_bytes >= KVG_PAGES_MIN_BYTES &&
			       st->footprint_bytes ==
			       PAGE_ALIGN(st->requested_bytes)), "pages", why) &&
	       rule(paged || !st->remapped_pages || st->moved_bytes ||
		    st->shrinks, "remapped", why);
}
EXPORT_SYMBOL_GPL(kvg_vec_stats_valid);

static bool swiss_stats_valid(const struct kvg_map_stats *st,
			      const char **why)
{
	size_t n = st->count;

	return rule(!st->B && !st->buckets && !st->overflow && !st->growing &&
		    !st->old_buckets && !st->go_compat, "swiss_buckets", why) &&
	       rule(st->tables ? st->tables <= (size_t)1 << st->global_depth :
		    !st->global_depth && !st->slots, "tables", why) &&
	       rule(st->slots % 8 == 0 && st->slots >= 8 * st->tables,
		    "slots", why) &&
	       rule(st->global_depth ?
		    st->dir_bytes >= sizeof(void *) << st->global_depth :
		    !st->dir_bytes, "dir", why) &&
	       rule(st->tables || st->retired_tables ||
		    !st->footprint_bytes, "empty", why) &&
	       rule(st->largest_block <= 32768, "block", why) &&
	       rule(st->load_x100 == (st->slots ? n * 100 / st->slots : 0),
		    "load", why);
}

static bool go_stats_valid(const struct kvg_map_stats *st, const char **why)
{
	size_t n = st->count;

	return rule(st->buckets ? st->buckets == (size_t)1 << st->B :
		    !st->B && !n && !st->growing, "buckets", why) &&
	       rule(st->growing == !!st->old_buckets, "old", why) &&
	       rule(st->evacuated <= st->old_buckets, "evacuated", why) &&
	       rule(st->load_x100 == (st->buckets ? n * 100 / st->buckets : 0),
		    "load", why) &&
	       rule(!st->tables && !st->slots && !st->global_depth &&
		    !st->splits && !st->merges && !st->rehashes, "engine", why);
}

/**
 * kvg_map_stats_valid() - Check that a map's figures agree.
 * @st: a snapshot (kvg_map_snapshot())
 * @why: where to store the name of the first rule broken, or NULL
 *
 * The rules: there are 2^B buckets, or none at all while the map is empty
 * and not resizing (no array before the first insert, none after a
 * delete-all gave it back); resizing exactly when there are old buckets,
 * and no more evacuated than there are; load and bytes per entry are what
 * count, buckets and footprint give; live_bytes is count * (key_size +
 * val_size), slack footprint - live; the peak is at least the footprint.
 * A Swiss map (st->swiss) has no buckets but at most 2^global_depth
 * tables of whole groups, none only at depth 0 with no slots; a directory
 * block of 8 bytes a table entry above depth 0 and none at 0; no
 * footprint once it has no tables (live or kept for iterators); no table
 * block above 32 KiB; and its load is count / slots.  A Go 1.19 map has
 * none of the Swiss figures.
 *
 * Context: Any context.
 * Return: true when every rule holds.
 */
bool kvg_map_stats_valid(const struct kvg_map_stats *st, const char **why)
{
	size_t n = st->count, fp = st->footprint_bytes;

	return (st->swiss ? swiss_stats_valid(st, why) :
		go_stats_valid(st, why)) &&
	       rule(st->bytes_per_entry_x100 == (n ? fp * 100 / n : 0),
		    "per_entry", why) &&
	       rule(st->live_bytes == n * (st->key_size + st->val_size),
		    "live", why) &&
	       rule(st->slack_bytes == fp - st->live_bytes, "slack", why) &&
	       rule(st->peak_footprint_bytes >= fp, "peak", why);
}
EXPORT_SYMBOL_GPL(kvg_map_stats_valid);
