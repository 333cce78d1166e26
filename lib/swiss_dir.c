// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow's Swiss tables, the directory (design and glossary in
 * lib/swiss.h): extendible hashing over the tables, table rebuilds,
 * splits and directory doubling as a map grows; merges, directory halving
 * and freeing as it shrinks; the tables kept for iterators.
 *
 * Each change allocates everything it needs first, then commits: a
 * failure leaves the map as it was.  Once committed, it emits its trace
 * event (lib/kvg_trace.h), with the library's caller, ip.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kvgrow/map.h>
#include "kvg_acct.h"
#include "kvg_mem.h"
#include "kvg_trace.h"
#include "swiss.h"

size_t kvg_swiss_dir_bytes(const struct kvg_map *m)
{
	if (!m->sw.depth)
		return 0;
	return kvg_mem_footprint(dir_entries(m->sw.depth) * sizeof(void *),
				 kvg_mem_backend(m->sw.dir));
}

void kvg_swiss_note_failure(struct kvg_map *m)
{
	kvg_stats_begin(&m->seq);
	m->acct.failed_allocs++;
	kvg_stats_end(&m->seq);
}

/*
 * The figures of a change just committed, for its trace event: @old_slots
 * and @old_depth of what it replaced, @new_slots and @new_depth of what it
 * made, and @ip, the library's caller.
 */
static void swiss_event(const struct kvg_map *m, struct kvg_swiss_event *ev,
			size_t old_slots, size_t new_slots,
			unsigned int old_depth, unsigned int new_depth,
			unsigned long ip)
{
	*ev = (struct kvg_swiss_event){
		.map = m,
		.old_slots = old_slots,
		.new_slots = new_slots,
		.old_depth = old_depth,
		.new_depth = new_depth,
		.count = m->count,
		.tables = m->sw.tables,
		.global_depth = m->sw.depth,
		.footprint = m->sw.footprint,
		.caller = ip,
	};
}

static size_t table_slots(const struct kvg_swiss_table *t)
{
	return (size_t)t->ngroups * SWISS_GROUP_SLOTS;
}

/* The first directory entry of @t, which holds hash @hash. */
static size_t table_first(const struct kvg_map *m,
			  const struct kvg_swiss_table *t, u64 hash)
{
	return dir_index(hash, m->sw.depth) & ~(table_span(m, t) - 1);
}

static void dir_fill(struct kvg_map *m, size_t first, size_t n,
		     struct kvg_swiss_table *t)
{
	struct kvg_swiss_table **dir = dir_of(m);
	size_t i;

	for (i = first; i < first + n; i++)
		dir[i] = t;
}

/*
 * A change commits inside one write section of m->seq, so that a snapshot
 * sees the map before it or after it, never between: the directory, the
 * figures and the footprint change together, and blocks are freed after
 * the section (kvg_mem_free() of a dead list).
 */

/* In a section: @t joins the directory's figures and the footprint. */
static void link_table(struct kvg_map *m, struct kvg_swiss_table *t)
{
	size_t fp = kvg_swiss_table_footprint(m, t);

	m->sw.tables++;
	m->sw.slots += table_slots(t);
	m->sw.tombstones += t->tombstones;
	m->sw.footprint += fp;
	m->sw.largest_block = max(m->sw.largest_block, fp);
}

/*
 * In a section, once the new blocks are linked and before the old ones go:
 * the peak footprint, plus @extra bytes still held (an old directory).
 */
static void note_peak(struct kvg_map *m, size_t extra)
{
	m->acct.peak_footprint = max(m->acct.peak_footprint,
				     m->sw.footprint + extra);
}

/*
 * In a section: @t left the directory.  Kept frozen for the iterators, or
 * uncounted and put on *@dead to be freed after the section.
 */
static void unlink_table(struct kvg_map *m, struct kvg_swiss_table *t,
			 struct kvg_swiss_table **dead)
{
	m->sw.tables--;
	m->sw.slots -= table_slots(t);
	m->sw.tombstones -= t->tombstones;
	if (m->iterators) {
		t->retired = true;
		t->next = m->sw.retired;
		m->sw.retired = t;
		m->sw.nretired++;
	} else {
		m->sw.footprint -= kvg_swiss_table_footprint(m, t);
		t->next = *dead;
		*dead = t;
	}
}

/* After the section: free the tables unlink_table() left on @dead. */
static void free_dead(struct kvg_swiss_table *dead)
{
	struct kvg_swiss_table *t;

	while ((t = dead)) {
		dead = t->next;
		kvg_mem_free(t);
	}
}

/* Move every entry of @from into @to (fresh, with room for them). */
static void move_entries(struct kvg_map *m, struct kvg_swiss_table *from,
			 struct kvg_swiss_table *to)
{
	const struct swiss_move mv = { .from = from, .to = { to, to } };

	kvg_swiss_move(m, &mv);
}

/* Rebuild @t (holding @hash) at @level: grow, prune or shrink it. */
static int rebuild(struct kvg_map *m, struct kvg_swiss_table *t, u64 hash,
		   unsigned int level, unsigned long ip)
{
	struct kvg_swiss_table *nt = kvg_swiss_table_new(m, level, t->depth);
	struct kvg_swiss_table *dead = NULL;
	unsigned int old_level = t->level;
	size_t old_slots = table_slots(t);
	struct kvg_swiss_event ev;

	if (!nt)
		return -ENOMEM;
	move_entries(m, t, nt);
	kvg_stats_begin(&m->seq);
	dir_fill(m, table_first(m, t, hash), table_span(m, t), nt);
	link_table(m, nt);
	note_peak(m, 0);
	m->sw.rehashes++;
	if (level > t->level)
		m->acct.grows++;
	else if (level == t->level)
		m->acct.same_size_grows++;
	else
		m->acct.shrinks++;
	unlink_table(m, t, &dead);
	kvg_stats_end(&m->seq);
	free_dead(dead);
	swiss_event(m, &ev, old_slots, table_slots(nt), nt->depth, nt->depth, ip);
	if (level > old_level)
		trace_kvg_map_table_grow(&ev);
	else if (level == old_level)
		trace_kvg_map_table_same_size(&ev);
	else
		trace_kvg_map_table_shrink(&ev);
	return 0;
}

/*
 * In a section: swap in @dir of @depth for the current directory, and
 * count the peak with both held.  Return: the old directory's block, to
 * free after the section (NULL at depth 0).
 */
static struct kvg_swiss_table **dir_swap(struct kvg_map *m,
					 struct kvg_swiss_table **dir,
					 unsigned int depth)
{
	struct kvg_swiss_table **old = m->sw.depth ? m->sw.dir : NULL;
	size_t before = kvg_swiss_dir_bytes(m);

	if (depth) {
		m->sw.dir = dir;
	} else {
		m->sw.one = dir[0];
		m->sw.dir = NULL;
	}
	m->sw.depth = depth;
	m->sw.footprint += kvg_swiss_dir_bytes(m) - before;
	note_peak(m, before);
	return old;
}

/* Split @t (holding @hash), doubling the directory if its depth is global. */
static int split(struct kvg_map *m, struct kvg_swiss_table *t, u64 hash,
		 unsigned long ip)
{
	struct swiss_move mv = { .from = t, .bit = 63 - t->depth };
	struct kvg_swiss_table *half[2] = { NULL, NULL }, **dir = NULL, **old;
	struct kvg_swiss_table *dead = NULL, **old_dir = NULL;
	size_t n[2], first, span, k, held, old_slots = table_slots(t);
	unsigned int side, depth = m->sw.depth, old_depth = t->depth;
	struct kvg_swiss_event ev;

	if (t->depth >= SWISS_MAX_DEPTH)
		return -E2BIG;
	n[1] = kvg_swiss_move(m, &mv);
	n[0] = t->used - n[1];
	/* All on one side: the hash cannot tell these keys apart here. */
	if (!n[0] || !n[1])
		return -E2BIG;
	if (t->depth == depth) {
		dir = kvg_mem_alloc(dir_entries(depth + 1) * sizeof(*dir),
				    m->gfp);
		if (!dir) {
			kvg_swiss_note_failure(m);
			return -ENOMEM;
		}
	}
	for (side = 0; side < 2; side++) {
		half[side] = kvg_swiss_table_new(m, min(kvg_swiss_level_for(m, n[side]),
							top_level(m)),
						 t->depth + 1);
		if (!half[side])
			goto fail;
	}
	mv.to[0] = half[0];
	mv.to[1] = half[1];
	kvg_swiss_move(m, &mv);
	held = dir ? kvg_swiss_dir_bytes(m) : 0;
	kvg_stats_begin(&m->seq);
	if (dir) {
		old = dir_of(m);
		for (k = 0; k < dir_entries(depth + 1); k++)
			dir[k] = old[k >> 1];
		old_dir = dir_swap(m, dir, depth + 1);
	}
	first = table_first(m, t, hash);
	span = table_span(m, t);
	dir_fill(m, first, span / 2, half[0]);
	dir_fill(m, first + span / 2, span / 2, half[1]);
	link_table(m, half[0]);
	link_table(m, half[1]);
	note_peak(m, held);
	m->sw.splits++;
	m->acct.grows++;
	unlink_table(m, t, &dead);
	kvg_stats_end(&m->seq);
	kvg_mem_free(old_dir);
	free_dead(dead);
	if (dir) {
		swiss_event(m, &ev, dir_entries(depth), dir_entries(depth + 1),
			    depth, depth + 1, ip);
		trace_kvg_map_dir_double(&ev);
	}
	swiss_event(m, &ev, old_slots,
		    table_slots(half[0]) + table_slots(half[1]), old_depth,
		    old_depth + 1, ip);
	trace_kvg_map_split(&ev);
	return 0;
fail:
	kvg_mem_free(half[0]);
	kvg_mem_free(dir);
	return -ENOMEM;
}

/*
 * Make room in @t, full, for one more key of hash @hash; with no table at
 * all, make the first one.  The rules are lib/swiss.h's.
 */
int kvg_swiss_make_room(struct kvg_map *m, struct kvg_swiss_table *t,
			u64 hash, unsigned long ip)
{
	unsigned int top = top_level(m), l;
	size_t n;

	if (!t) {
		t = kvg_swiss_table_new(m, 0, 0);
		if (!t)
			return -ENOMEM;
		kvg_stats_begin(&m->seq);
		m->sw.one = t;
		link_table(m, t);
		note_peak(m, 0);
		kvg_stats_end(&m->seq);
		return 0;
	}
	n = growth_count(t);
	l = kvg_swiss_level_for(m, n + 1);
	if (l <= top)
		return rebuild(m, t, hash, l, ip);
	if (t->level < top || n + 1 <= level_load(m, top) * 3 / 4)
		return rebuild(m, t, hash, top, ip);
	return split(m, t, hash, ip);
}

/* Whether some table has the global depth. */
static bool depth_needed(struct kvg_map *m)
{
	struct kvg_swiss_table *t;
	size_t i;

	for (i = 0; (t = swiss_table_at(m, i)); i += table_span(m, t))
		if (t->depth == m->sw.depth)
			return true;
	return false;
}

/* Halve the directory while no table needs its depth; a failure stops. */
static int dir_halve(struct kvg_map *m, unsigned long ip)
{
	struct kvg_swiss_table **dir, **old;
	struct kvg_swiss_event ev;
	unsigned int depth;
	size_t k;

	while (m->sw.depth && !depth_needed(m)) {
		depth = m->sw.depth - 1;
		old = m->sw.dir;
		if (depth) {
			dir = kvg_mem_alloc(dir_entries(depth) * sizeof(*dir),
					    m->gfp);
			if (!dir) {
				kvg_swiss_note_failure(m);
				return -ENOMEM;
			}
			for (k = 0; k < dir_entries(depth); k++)
				dir[k] = old[2 * k];
		} else {
			dir = old;	/* dir_swap() takes its entry 0 */
		}
		kvg_stats_begin(&m->seq);
		dir_swap(m, dir, depth);
		kvg_stats_end(&m->seq);
		kvg_mem_free(old);
		swiss_event(m, &ev, dir_entries(depth + 1), dir_entries(depth),
			    depth + 1, depth, ip);
		trace_kvg_map_dir_halve(&ev);
	}
	return 0;
}

/* @t's sibling, if it has @t's depth. */
static struct kvg_swiss_table *sibling(struct kvg_map *m,
				       struct kvg_swiss_table *t, u64 hash)
{
	struct kvg_swiss_table *s;

	if (!t->depth)
		return NULL;
	s = dir_of(m)[table_first(m, t, hash) ^ table_span(m, t)];
	return s->depth == t->depth ? s : NULL;
}

/* Merge @t (holding @hash) with its sibling @s into one table. */
static int merge(struct kvg_map *m, struct kvg_swiss_table *t,
		 struct kvg_swiss_table *s, u64 hash, unsigned long ip)
{
	size_t span = table_span(m, t) * 2;
	size_t old_slots = table_slots(t) + table_slots(s);
	unsigned int l = kvg_swiss_level_for(m, t->used + s->used);
	struct kvg_swiss_table *nt, *dead = NULL;
	struct kvg_swiss_event ev;

	nt = kvg_swiss_table_new(m, min(l, top_level(m)), t->depth - 1);
	if (!nt)
		return -ENOMEM;
	move_entries(m, t, nt);
	move_entries(m, s, nt);
	kvg_stats_begin(&m->seq);
	dir_fill(m, dir_index(hash, m->sw.depth) & ~(span - 1), span, nt);
	link_table(m, nt);
	note_peak(m, 0);
	m->sw.merges++;
	m->acct.shrinks++;
	unlink_table(m, t, &dead);
	unlink_table(m, s, &dead);
	kvg_stats_end(&m->seq);
	free_dead(dead);
	swiss_event(m, &ev, old_slots, table_slots(nt), nt->depth + 1,
		    nt->depth, ip);
	trace_kvg_map_merge(&ev);
	return 0;
}

/* Empty the directory: every table retired, the directory freed. */
static void drop_tables(struct kvg_map *m)
{
	struct kvg_swiss_table **dir = dir_of(m), *t, *dead = NULL;
	size_t i, n = dir_entries(m->sw.depth);

	if (!m->sw.tables)
		return;
	kvg_stats_begin(&m->seq);
	for (i = 0; (t = swiss_table_at(m, i)); i += table_span(m, t))
		unlink_table(m, t, &dead);
	m->sw.footprint -= kvg_swiss_dir_bytes(m);
	m->sw.one = NULL;
	m->sw.dir = NULL;
	m->sw.depth = 0;
	kvg_stats_end(&m->seq);
	if (n > 1)
		kvg_mem_free(dir);
	free_dead(dead);
}

/*
 * After a delete from @t (holding @hash): free everything once empty,
 * merge @t with its sibling or rebuild it smaller once sparse.  A failure
 * to allocate only leaves the memory in use.
 */
void kvg_swiss_after_delete(struct kvg_map *m, struct kvg_swiss_table *t,
			    u64 hash, unsigned long ip)
{
	struct kvg_swiss_table *s;
	unsigned int l;

	if (!m->count) {
		drop_tables(m);
		return;
	}
	if (t->used <= merge_max(m)) {
		s = sibling(m, t, hash);
		if (s && t->used + s->used <= merge_max(m)) {
			if (!merge(m, t, s, hash, ip))
				dir_halve(m, ip);
			return;
		}
	}
	if (t->level && t->used * 4 <= level_load(m, t->level)) {
		l = kvg_swiss_level_for(m, t->used);
		if (l < t->level)
			rebuild(m, t, hash, l, ip);
	}
}

/* Free what was kept for iterators. */
static void free_retired(struct kvg_map *m)
{
	struct kvg_swiss_table *t, *dead = m->sw.retired;

	kvg_stats_begin(&m->seq);
	for (t = dead; t; t = t->next)
		m->sw.footprint -= kvg_swiss_table_footprint(m, t);
	m->sw.retired = NULL;
	m->sw.nretired = 0;
	kvg_stats_end(&m->seq);
	free_dead(dead);
}

/* Free every block: the map is empty, with its configuration. */
void kvg_swiss_free_all(struct kvg_map *m)
{
	unsigned int iterators = m->iterators;

	m->iterators = 0;
	drop_tables(m);
	m->iterators = iterators;
	free_retired(m);
	kvg_stats_begin(&m->seq);
	m->count = 0;
	kvg_stats_end(&m->seq);
}

/* clear(m): with iterators live, the tables are kept for them. */
void kvg_swiss_clear(struct kvg_map *m)
{
	drop_tables(m);
	m->count = 0;
}

/* The last iterator stopped. */
void kvg_swiss_release(struct kvg_map *m)
{
	free_retired(m);
}

/*
 * Merge and shrink every table that can be, then halve the directory.
 * Siblings merge up to 5/8 of the largest level's load, not 3/8 as after
 * a delete, and tables are rebuilt at the level they fill to 3/4, not
 * 1/2: an explicit request may cost a split or a rebuild later.
 */
int kvg_swiss_shrink(struct kvg_map *m, unsigned long ip)
{
	struct kvg_swiss_table *t, *s;
	size_t i = 0;
	unsigned int l;
	u64 hash;
	int err;

	while (m->sw.tables && i < dir_entries(m->sw.depth)) {
		t = dir_of(m)[i];
		/* A hash of the table's range: its first entry's prefix. */
		hash = m->sw.depth ? (u64)i << (64 - m->sw.depth) : 0;
		s = sibling(m, t, hash);
		if (s && t->used + s->used <= level_load(m, top_level(m)) * 5 / 8) {
			err = merge(m, t, s, hash, ip);
			if (err)
				return err;
			i &= ~(table_span(m, dir_of(m)[i]) - 1);
			continue;
		}
		/* The smallest level it fills to 3/4 at most. */
		l = 0;
		while (l < t->level && level_load(m, l) * 3 < t->used * 4)
			l++;
		if (l < t->level) {
			err = rebuild(m, t, hash, l, ip);
			if (err)
				return err;
		}
		i += table_span(m, dir_of(m)[i]);
	}
	return dir_halve(m, ip);
}

/*
 * Size a new map (@m not yet published) for @hint entries: one table, or
 * 2^d tables of the largest level, each then 5/8 loaded at most.
 */
int kvg_swiss_init(struct kvg_map *m, size_t hint)
{
	struct kvg_swiss_table **dir, *t;
	unsigned int l, depth = 0;
	size_t k;

	kvg_swiss_init_levels(m);
	if (!hint)
		return 0;
	while (depth < SWISS_MAX_DEPTH &&
	       (hint >> depth) > level_load(m, top_level(m)) * 5 / 8)
		depth++;
	if ((hint >> depth) > level_load(m, top_level(m)) * 5 / 8)
		return -E2BIG;
	if (!depth) {
		l = min(kvg_swiss_level_for(m, hint), top_level(m));
		t = kvg_swiss_table_new(m, l, 0);
		if (!t)
			return -ENOMEM;
		m->sw.one = t;
		link_table(m, t);
		note_peak(m, 0);
		return 0;
	}
	dir = kvg_mem_alloc(dir_entries(depth) * sizeof(*dir), m->gfp);
	if (!dir)
		return -ENOMEM;
	for (k = 0; k < dir_entries(depth); k++) {
		dir[k] = kvg_swiss_table_new(m, top_level(m), depth);
		if (!dir[k])
			goto fail;
	}
	m->sw.dir = dir;
	m->sw.depth = depth;
	m->sw.footprint += kvg_swiss_dir_bytes(m);
	for (k = 0; k < dir_entries(depth); k++)
		link_table(m, dir[k]);
	note_peak(m, 0);
	return 0;
fail:
	while (k--)
		kvg_mem_free(dir[k]);
	kvg_mem_free(dir);
	return -ENOMEM;
}
