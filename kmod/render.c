// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs views of the registry, under /sys/kernel/debug/kvgrow/:
 *
 *   summary   every entry, largest footprint first, and totals
 *   sites     entries, footprint, slack and grows per creating call site
 *   vectors   one TAB-separated line per registered vector
 *   maps      one TAB-separated line per registered map
 *   vec/<name>, map/<name>, group/<name>
 *             every figure of one entry, "key: value" lines; vectors and
 *             maps end with whether the figures agree ("consistent")
 *   buckets/<name>
 *             a map registered with a lock: its lookups' cost, exact.  Go
 *             1.19's engine: the chain-length histogram; Swiss maps: the
 *             probe-length and the local-depth histograms, in one table
 *             (histogram, bin, count) as their bins differ.  One file per
 *             map whichever its engine, where tools look for it; not in
 *             map/<name>, whose fields are one row of the maps table
 *   policies  the growth policies
 *
 * Each stats struct is rendered from one table of its fields, in the
 * order of the TSV columns, so that a TSV line and a key: value file of the
 * same entry cannot disagree.
 */
#include <linux/delay.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "kvgrow_mod.h"

enum field_type {
	FT_SIZE,	/* size_t */
	FT_U64,
	FT_UINT,	/* unsigned int */
	FT_LONG,
	FT_BOOL,	/* as 0 or 1 */
	FT_POLICY,	/* struct kvg_policy, by name */
	FT_BACKEND,	/* enum kvg_backend, by name */
	FT_MODE,	/* a map's go_compat, and its engine: "go", "go119", "kvg" */
};

struct field {
	const char *name;
	enum field_type type;
	size_t offset;
};

#define FIELD(stats, member, name, type) \
	{ name, type, offsetof(stats, member) }
#define VEC(member, name, type)	FIELD(struct kvg_vec_stats, member, name, type)
#define MAP(member, name, type)	FIELD(struct kvg_map_stats, member, name, type)
#define GRP(member, name, type)	FIELD(struct kvg_group_stats, member, name, type)

static const struct field vec_fields[] = {
	VEC(policy, "policy", FT_POLICY),
	VEC(elem_size, "elem_size", FT_SIZE),
	VEC(len, "len", FT_SIZE),
	VEC(cap, "cap", FT_SIZE),
	VEC(live_bytes, "live_bytes", FT_SIZE),
	VEC(footprint_bytes, "footprint", FT_SIZE),
	VEC(slack_bytes, "slack", FT_SIZE),
	VEC(peak_footprint_bytes, "peak_footprint", FT_SIZE),
	VEC(grows, "grows", FT_U64),
	VEC(shrinks, "shrinks", FT_U64),
	VEC(moved_bytes, "moved_bytes", FT_U64),
	VEC(failed_allocs, "failed_allocs", FT_U64),
	VEC(backend, "backend", FT_BACKEND),
	VEC(requested_bytes, "requested_bytes", FT_SIZE),
	VEC(remapped_pages, "remapped_pages", FT_U64),
};

static const struct field map_fields[] = {
	MAP(go_compat, "mode", FT_MODE),
	MAP(key_size, "key_size", FT_SIZE),
	MAP(val_size, "val_size", FT_SIZE),
	MAP(count, "count", FT_SIZE),
	MAP(B, "B", FT_UINT),
	MAP(buckets, "buckets", FT_SIZE),
	MAP(overflow, "overflow", FT_SIZE),
	MAP(growing, "growing", FT_BOOL),
	MAP(old_buckets, "old_buckets", FT_SIZE),
	MAP(evacuated, "evacuated", FT_SIZE),
	MAP(grows, "grows", FT_U64),
	MAP(same_size_grows, "same_size_grows", FT_U64),
	MAP(shrinks, "shrinks", FT_U64),
	MAP(load_x100, "load_x100", FT_UINT),
	MAP(footprint_bytes, "footprint", FT_SIZE),
	MAP(peak_footprint_bytes, "peak_footprint", FT_SIZE),
	MAP(bytes_per_entry_x100, "bytes_per_entry_x100", FT_SIZE),
	MAP(failed_allocs, "failed_allocs", FT_U64),
	MAP(live_bytes, "live_bytes", FT_SIZE),
	MAP(slack_bytes, "slack", FT_SIZE),
	MAP(swiss, "swiss", FT_BOOL),
	MAP(tables, "tables", FT_SIZE),
	MAP(global_depth, "global_depth", FT_UINT),
	MAP(slots, "slots", FT_SIZE),
	MAP(tombstones, "tombstones", FT_SIZE),
	MAP(retired_tables, "retired_tables", FT_SIZE),
	MAP(dir_bytes, "dir_bytes", FT_SIZE),
	MAP(largest_block, "largest_block", FT_SIZE),
	MAP(rehashes, "rehashes", FT_U64),
	MAP(splits, "splits", FT_U64),
	MAP(merges, "merges", FT_U64),
};

static const struct field group_fields[] = {
	GRP(members, "members", FT_LONG),
	GRP(footprint_bytes, "footprint", FT_SIZE),
	GRP(peak_footprint_bytes, "peak_footprint", FT_SIZE),
	GRP(grows, "grows", FT_U64),
	GRP(shrinks, "shrinks", FT_U64),
	GRP(moved_bytes, "moved_bytes", FT_U64),
	GRP(failed_allocs, "failed_allocs", FT_U64),
};

static const char * const backend_names[] = {
	[KVG_BACKEND_NONE] = "none",
	[KVG_BACKEND_KMALLOC] = "kmalloc",
	[KVG_BACKEND_VMALLOC] = "vmalloc",
	[KVG_BACKEND_PAGES] = "pages",
};

static void show_value(struct seq_file *m, const void *stats,
		       const struct field *f)
{
	const void *p = (const char *)stats + f->offset;
	const struct kvg_map_stats *mst;
	char name[KVG_POLICY_NAME_MAX];

	switch (f->type) {
	case FT_SIZE:
		seq_printf(m, "%zu", *(const size_t *)p);
		break;
	case FT_U64:
		seq_printf(m, "%llu", *(const u64 *)p);
		break;
	case FT_UINT:
		seq_printf(m, "%u", *(const unsigned int *)p);
		break;
	case FT_LONG:
		seq_printf(m, "%ld", *(const long *)p);
		break;
	case FT_BOOL:
		seq_printf(m, "%d", *(const bool *)p);
		break;
	case FT_POLICY:
		if (kvg_policy_name(*(const struct kvg_policy *)p, name,
				    sizeof(name)) < 0)
			strscpy(name, "?", sizeof(name));
		seq_puts(m, name);
		break;
	case FT_BACKEND:
		seq_puts(m, backend_names[*(const enum kvg_backend *)p]);
		break;
	case FT_MODE:
		/*
		 * map_fields only: a map's mode from its stats, named as
		 * kvgrow_lab's map-create names it.
		 */
		mst = stats;
		seq_puts(m, mst->go_compat ? "go" : mst->swiss ? "kvg" : "go119");
		break;
	}
}

/* A TSV header: "name" and the fields' names. */
static void show_header(struct seq_file *m, const struct field *f, size_t n)
{
	seq_puts(m, "name");
	for (; n--; f++)
		seq_printf(m, "\t%s", f->name);
	seq_putc(m, '\n');
}

/* A TSV line: @name and the fields' values. */
static void show_line(struct seq_file *m, const char *name, const void *stats,
		      const struct field *f, size_t n)
{
	seq_puts(m, name);
	for (; n--; f++) {
		seq_putc(m, '\t');
		show_value(m, stats, f);
	}
	seq_putc(m, '\n');
}

/* "key: value" lines, one per field. */
static void show_keys(struct seq_file *m, const void *stats,
		      const struct field *f, size_t n)
{
	for (; n--; f++) {
		seq_printf(m, "%s: ", f->name);
		show_value(m, stats, f);
		seq_putc(m, '\n');
	}
}

/* One registered entry's figures, by kind. */
union entry_stats {
	struct kvg_vec_stats vec;
	struct kvg_map_stats map;
	struct kvg_group_stats group;
};

static const struct {
	const struct field *fields;
	size_t n;
} kind_fields[] = {
	[KVG_KIND_VEC] = { vec_fields, ARRAY_SIZE(vec_fields) },
	[KVG_KIND_MAP] = { map_fields, ARRAY_SIZE(map_fields) },
	[KVG_KIND_GROUP] = { group_fields, ARRAY_SIZE(group_fields) },
};

/* @e's figures into @st; returns where @e was made. */
static const struct kvg_site *snapshot(const struct kvg_entry *e,
				       union entry_stats *st)
{
	if (e->kind == KVG_KIND_VEC) {
		kvg_vec_snapshot_raw(e->vec, &st->vec);
		return st->vec.site;
	}
	if (e->kind == KVG_KIND_MAP) {
		kvg_map_snapshot(e->map, &st->map);
		return st->map.site;
	}
	kvg_group_snapshot(e->group, &st->group);
	return st->group.site;
}

/* vectors and maps: a TSV line per entry of @kind. */
static int show_kind(struct seq_file *m, enum kvg_kind kind)
{
	union entry_stats st;
	struct kvg_entry *e;

	show_header(m, kind_fields[kind].fields, kind_fields[kind].n);
	mutex_lock(&kvg_registry_lock);
	list_for_each_entry(e, &kvg_registry, node) {
		if (e->kind != kind)
			continue;
		snapshot(e, &st);
		show_line(m, e->name, &st, kind_fields[kind].fields,
			  kind_fields[kind].n);
	}
	mutex_unlock(&kvg_registry_lock);
	return 0;
}

static int vectors_show(struct seq_file *m, void *unused)
{
	return show_kind(m, KVG_KIND_VEC);
}
DEFINE_SHOW_ATTRIBUTE(vectors);

static int maps_show(struct seq_file *m, void *unused)
{
	return show_kind(m, KVG_KIND_MAP);
}
DEFINE_SHOW_ATTRIBUTE(maps);

/* One entry's line of summary, and what sites adds up. */
struct kvg_row {
	const char *kind;
	const char *name;
	const struct kvg_site *site;
	size_t len;		/* a vector's len, a map's count */
	size_t cap;		/* a vector's cap, a map's buckets or slots */
	size_t live;
	size_t footprint;
	u64 grows;
	bool group;		/* len, cap, live and slack unknown */
};

static void row_of(const struct kvg_entry *e, struct kvg_row *r)
{
	union entry_stats st;
	const struct kvg_site *site = snapshot(e, &st);

	if (e->kind == KVG_KIND_VEC)
		*r = (struct kvg_row){ "vec", e->name, site, st.vec.len,
				       st.vec.cap, st.vec.live_bytes,
				       st.vec.footprint_bytes, st.vec.grows };
	else if (e->kind == KVG_KIND_MAP)
		*r = (struct kvg_row){ "map", e->name, site, st.map.count,
				       st.map.swiss ? st.map.slots :
				       st.map.buckets, st.map.live_bytes,
				       st.map.footprint_bytes,
				       st.map.grows + st.map.same_size_grows };
	else
		*r = (struct kvg_row){ "group", e->name, site, 0, 0, 0,
				       st.group.footprint_bytes, st.group.grows,
				       true };
}

/* Largest footprint first. */
static int row_cmp(const void *a, const void *b)
{
	const struct kvg_row *x = a, *y = b;

	return x->footprint < y->footprint ? 1 : x->footprint > y->footprint ? -1 : 0;
}

/*
 * Rows of every entry, sorted.  The caller holds kvg_registry_lock until it
 * has printed them: a row points at its entry's name and site, which go
 * with the entry (and the site with its module).
 */
static struct kvg_row *collect_rows(size_t *n)
{
	struct kvg_entry *e;
	struct kvg_row *rows;
	size_t i = 0;

	lockdep_assert_held(&kvg_registry_lock);
	*n = 0;
	list_for_each_entry(e, &kvg_registry, node)
		(*n)++;
	rows = kvmalloc_array(max_t(size_t, *n, 1), sizeof(*rows), GFP_KERNEL);
	if (rows)
		list_for_each_entry(e, &kvg_registry, node)
			row_of(e, &rows[i++]);
	if (rows)
		sort(rows, *n, sizeof(*rows), row_cmp, NULL);
	return rows;
}

static void show_site(struct seq_file *m, const struct kvg_site *site)
{
	/* Out-of-tree builds see absolute paths in __FILE__. */
	if (site)
		seq_printf(m, "%s:%u %s", kbasename(site->file), site->line,
			   site->func);
	else
		seq_puts(m, "-");
}

static int summary_show(struct seq_file *m, void *unused)
{
	size_t n, live = 0, fp = 0, known_fp = 0;
	struct kvg_row *rows, *r;
	u64 grows = 0;

	mutex_lock(&kvg_registry_lock);
	rows = collect_rows(&n);
	if (!rows) {
		mutex_unlock(&kvg_registry_lock);
		return -ENOMEM;
	}
	seq_puts(m, "kind\tname\tlen\tcap\tlive_bytes\tfootprint\tslack\tgrows\tsite\n");
	for (r = rows; r < rows + n; r++) {
		if (r->group)
			seq_printf(m, "%s\t%s\t-\t-\t-\t%zu\t-\t%llu\t", r->kind,
				   r->name, r->footprint, r->grows);
		else
			seq_printf(m, "%s\t%s\t%zu\t%zu\t%zu\t%zu\t%zu\t%llu\t",
				   r->kind, r->name, r->len, r->cap, r->live,
				   r->footprint, r->footprint - r->live,
				   r->grows);
		show_site(m, r->site);
		seq_putc(m, '\n');
		fp += r->footprint;
		grows += r->grows;
		if (!r->group) {
			live += r->live;
			known_fp += r->footprint;
		}
	}
	/* Live bytes and slack of containers; groups know only footprints. */
	seq_printf(m, "total\t%zu\t-\t-\t%zu\t%zu\t%zu\t%llu\t-\n", n, live, fp,
		   known_fp - live, grows);
	mutex_unlock(&kvg_registry_lock);
	kvfree(rows);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(summary);

/* Entries per creation site, in the spirit of /proc/allocinfo. */
static int sites_show(struct seq_file *m, void *unused)
{
	struct kvg_row *rows, *r;
	size_t n, i, j, count, fp, live;
	bool group;
	u64 grows;

	mutex_lock(&kvg_registry_lock);
	rows = collect_rows(&n);
	if (!rows) {
		mutex_unlock(&kvg_registry_lock);
		return -ENOMEM;
	}
	seq_puts(m, "containers\tfootprint\tslack\tgrows\tsite\n");
	/* Rows are sorted by footprint, so each site's first row is its largest. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && rows[j].site != rows[i].site; j++)
			;
		if (j < i)
			continue;
		count = 0;
		fp = 0;
		live = 0;
		grows = 0;
		group = false;
		for (r = &rows[i]; r < rows + n; r++) {
			if (r->site != rows[i].site)
				continue;
			count++;
			fp += r->footprint;
			live += r->live;
			grows += r->grows;
			group |= r->group;
		}
		if (group)
			seq_printf(m, "%zu\t%zu\t-\t%llu\t", count, fp, grows);
		else
			seq_printf(m, "%zu\t%zu\t%zu\t%llu\t", count, fp,
				   fp - live, grows);
		show_site(m, rows[i].site);
		seq_putc(m, '\n');
	}
	mutex_unlock(&kvg_registry_lock);
	kvfree(rows);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sites);

/*
 * "consistent: yes", or "consistent: no (RULE)" naming the first rule of
 * kvg_vec_stats_valid() or kvg_map_stats_valid() that the figures above
 * break: a reader's check that what it was shown belongs together.
 */
static void show_consistent(struct seq_file *m, enum kvg_kind kind,
			    const union entry_stats *st)
{
	const char *why = NULL;
	bool ok;

	if (kind == KVG_KIND_VEC)
		ok = kvg_vec_stats_valid(&st->vec, &why);
	else if (kind == KVG_KIND_MAP)
		ok = kvg_map_stats_valid(&st->map, &why);
	else
		return;
	if (ok)
		seq_puts(m, "consistent: yes\n");
	else
		seq_printf(m, "consistent: no (%s)\n", why);
}

/* vec/<name>, map/<name>, group/<name>: every figure, "key: value". */
static int entry_show(struct seq_file *m, void *unused)
{
	const struct kvg_entry *e = m->private;
	const struct kvg_site *site;
	union entry_stats st;

	seq_printf(m, "kind: %s\nname: %s\n", kvg_kind_name(e->kind), e->name);
	site = snapshot(e, &st);
	show_keys(m, &st, kind_fields[e->kind].fields, kind_fields[e->kind].n);
	seq_puts(m, "site: ");
	show_site(m, site);
	seq_putc(m, '\n');
	show_consistent(m, e->kind, &st);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(entry);

/*
 * Take the owner's lock to walk @e, unless @e is leaving: whoever removes
 * it waits for this reader and may hold that lock.
 */
static int lock_entry(const struct kvg_entry *e)
{
	while (!mutex_trylock(e->lock)) {
		if (READ_ONCE(e->dying))
			return -ENOENT;
		if (fatal_signal_pending(current))
			return -EINTR;
		usleep_range(200, 1000);
	}
	return 0;
}

/*
 * buckets/<name> of a Swiss map: the keys a lookup finds in its 1st, 2nd,
 * ... 8th or later group, and the tables of each local depth up to the
 * global depth.
 */
static int swiss_buckets_show(struct seq_file *m, const struct kvg_entry *e)
{
	u64 probes[KVG_MAP_PROBE_HIST_LEN], depths[KVG_MAP_DEPTH_HIST_LEN];
	struct kvg_map_stats st;
	unsigned int i;
	int err;

	err = lock_entry(e);
	if (err)
		return err;
	kvg_map_snapshot(e->map, &st);
	kvg_map_probe_histogram(e->map, probes);
	kvg_map_depth_histogram(e->map, depths);
	mutex_unlock(e->lock);
	seq_puts(m, "histogram\tbin\tcount\n");
	for (i = 0; i < KVG_MAP_PROBE_HIST_LEN; i++)
		seq_printf(m, "probe_groups\t%u%s\t%llu\n", i + 1,
			   i == KVG_MAP_PROBE_HIST_LEN - 1 ? "+" : "",
			   probes[i]);
	for (i = 0; i <= st.global_depth; i++)
		seq_printf(m, "local_depth\t%u\t%llu\n", i, depths[i]);
	return 0;
}

/* buckets/<name>: how many chains have 0, 1, ... overflow buckets. */
static int buckets_show(struct seq_file *m, void *unused)
{
	const struct kvg_entry *e = m->private;
	u64 hist[KVG_MAP_HIST_LEN];
	unsigned int i;
	int err;

	if (!(e->map->flags & KVG_MAP_GO119))
		return swiss_buckets_show(m, e);
	err = lock_entry(e);
	if (err)
		return err;
	kvg_map_chain_histogram(e->map, hist);
	mutex_unlock(e->lock);
	seq_puts(m, "overflow_buckets\tchains\n");
	for (i = 0; i < KVG_MAP_HIST_LEN; i++)
		seq_printf(m, "%u%s\t%llu\n", i,
			   i == KVG_MAP_HIST_LEN - 1 ? "+" : "", hist[i]);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(buckets);

/*
 * @e's own files: <kind>/<name> in @dir, and buckets/<name> in @buckets_dir
 * for a map with a lock.  Failures are not fatal: the entry still shows in
 * summary.
 */
void kvg_render_entry(struct kvg_entry *e, struct dentry *dir,
		      struct dentry *buckets_dir)
{
	e->file = debugfs_create_file(e->name, 0400, dir, e, &entry_fops);
	if (e->kind == KVG_KIND_MAP && e->lock)
		e->buckets = debugfs_create_file(e->name, 0400, buckets_dir, e,
						 &buckets_fops);
}

static int policies_show(struct seq_file *m, void *unused)
{
	const char *name, *rule;
	unsigned int i;

	seq_puts(m, "name\trule\n");
	for (i = 0; (name = kvg_policy_describe(i, &rule)); i++)
		seq_printf(m, "%s\t%s\n", name, rule);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(policies);

/* The views' files in @root; failures are not fatal, as for any debugfs file. */
void kvg_render_init(struct dentry *root)
{
	debugfs_create_file("summary", 0400, root, NULL, &summary_fops);
	debugfs_create_file("sites", 0400, root, NULL, &sites_fops);
	debugfs_create_file("vectors", 0400, root, NULL, &vectors_fops);
	debugfs_create_file("maps", 0400, root, NULL, &maps_fops);
	debugfs_create_file("policies", 0400, root, NULL, &policies_fops);
}
