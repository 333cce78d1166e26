// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of containers shown in debugfs.  Entries are either
 * registered by their owners (another module) or owned by kvgrow.ko itself
 * (created through the control file, freed on destroy or unload).
 */
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "kvgrow_mod.h"
#include "kvg_mem.h"

/* Guards the registry and every container the control file owns. */
DEFINE_MUTEX(kvg_registry_lock);
static LIST_HEAD(kvg_registry);
/* vec/, map/, group/ and buckets/: a file per registered entry. */
static struct dentry *kind_dir[KVG_KIND_GROUP + 1], *buckets_dir;

static const char * const kind_names[] = {
	[KVG_KIND_VEC] = "vec",
	[KVG_KIND_MAP] = "map",
	[KVG_KIND_GROUP] = "group",
};

const char *kvg_kind_name(enum kvg_kind kind)
{
	return kind_names[kind];
}

bool kvg_name_valid(const char *name)
{
	size_t i, len = strnlen(name, KVG_NAME_MAX + 1);

	if (!len || len > KVG_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("_.-", name[i]))
			return false;
	return true;
}

/* The registered flag the library checks when a container is destroyed. */
static void set_registered(struct kvg_entry *e, bool on)
{
	if (e->kind == KVG_KIND_VEC)
		e->vec->registered = on;
	else if (e->kind == KVG_KIND_MAP)
		e->map->registered = on;
	else
		e->group->registered = on;
}

static const struct file_operations entry_fops, buckets_fops;

static struct kvg_entry *find_entry(const char *name, const void *obj)
{
	struct kvg_entry *e;

	lockdep_assert_held(&kvg_registry_lock);
	list_for_each_entry(e, &kvg_registry, node)
		if (name ? !strcmp(e->name, name) : e->obj == obj)
			return e;
	return NULL;
}

struct kvg_entry *kvg_registry_find(const char *name)
{
	return find_entry(name, NULL);
}

struct kvg_entry *kvg_registry_find_obj(const void *obj)
{
	return find_entry(NULL, obj);
}

/* Add @obj under @name; an ERR_PTR on a bad name, a duplicate or -ENOMEM. */
struct kvg_entry *kvg_registry_add(enum kvg_kind kind, void *obj,
				   const char *name, struct mutex *lock,
				   bool owned)
{
	struct kvg_entry *e;

	lockdep_assert_held(&kvg_registry_lock);
	if (!kvg_name_valid(name))
		return ERR_PTR(-EINVAL);
	if (find_entry(name, NULL) || find_entry(NULL, obj))
		return ERR_PTR(-EEXIST);
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return ERR_PTR(-ENOMEM);
	e->kind = kind;
	e->obj = obj;
	e->owned = owned;
	e->lock = lock;
	strscpy(e->name, name, sizeof(e->name));
	list_add_tail(&e->node, &kvg_registry);
	set_registered(e, true);
	/* debugfs failures are not fatal: the entry still shows in summary. */
	e->file = debugfs_create_file(name, 0400, kind_dir[kind], e,
				      &entry_fops);
	if (kind == KVG_KIND_MAP && lock)
		e->buckets = debugfs_create_file(name, 0400, buckets_dir, e,
						 &buckets_fops);
	return e;
}

void kvg_registry_del(struct kvg_entry *e)
{
	lockdep_assert_held(&kvg_registry_lock);
	list_del(&e->node);
	set_registered(e, false);
	/*
	 * Wait for the readers of its files.  None waits for the registry
	 * lock we hold: a bucket walk waiting for its lock sees dying.
	 */
	WRITE_ONCE(e->dying, true);
	debugfs_remove(e->buckets);
	debugfs_remove(e->file);
	if (e->owned && e->kind == KVG_KIND_VEC)
		kvg_vec_free_raw(e->vec);
	if (e->owned && e->kind == KVG_KIND_MAP)
		kvg_map_destroy(e->map);
	if (e->owned)
		kfree(e->obj);
	kfree(e);
}

/* At unload, after debugfs_remove() of the whole tree. */
void kvg_registry_destroy_owned(void)
{
	struct kvg_entry *e, *tmp;

	mutex_lock(&kvg_registry_lock);
	list_for_each_entry_safe(e, tmp, &kvg_registry, node) {
		/* Gone with the tree. */
		e->file = NULL;
		e->buckets = NULL;
		if (e->owned)
			kvg_registry_del(e);
	}
	mutex_unlock(&kvg_registry_lock);
}

static const char * const backend_names[] = {
	[KVG_BACKEND_NONE] = "none",
	[KVG_BACKEND_KMALLOC] = "kmalloc",
	[KVG_BACKEND_VMALLOC] = "vmalloc",
};

void kvg_registry_show_vectors(struct seq_file *m)
{
	char policy[KVG_POLICY_NAME_MAX];
	struct kvg_vec_stats st;
	struct kvg_entry *e;

	seq_puts(m, "name\tpolicy\telem_size\tlen\tcap\tlive_bytes\tfootprint\tslack\tpeak_footprint\tgrows\tshrinks\tmoved_bytes\tfailed_allocs\tbackend\n");
	mutex_lock(&kvg_registry_lock);
	list_for_each_entry(e, &kvg_registry, node) {
		if (e->kind != KVG_KIND_VEC)
			continue;
		kvg_vec_snapshot_raw(e->vec, &st);
		if (kvg_policy_name(st.policy, policy, sizeof(policy)) < 0)
			strscpy(policy, "?", sizeof(policy));
		seq_printf(m, "%s\t%s\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%llu\t%llu\t%llu\t%llu\t%s\n",
			   e->name, policy, st.elem_size, st.len, st.cap,
			   st.live_bytes, st.footprint_bytes, st.slack_bytes,
			   st.peak_footprint_bytes, st.grows, st.shrinks,
			   st.moved_bytes, st.failed_allocs,
			   backend_names[st.backend]);
	}
	mutex_unlock(&kvg_registry_lock);
}

void kvg_registry_show_maps(struct seq_file *m)
{
	struct kvg_map_stats st;
	struct kvg_entry *e;

	seq_puts(m, "name\tmode\tkey_size\tval_size\tcount\tB\tbuckets\toverflow\tgrowing\told_buckets\tevacuated\tgrows\tsame_size_grows\tshrinks\tload_x100\tfootprint\tpeak_footprint\tbytes_per_entry_x100\tfailed_allocs\n");
	mutex_lock(&kvg_registry_lock);
	list_for_each_entry(e, &kvg_registry, node) {
		if (e->kind != KVG_KIND_MAP)
			continue;
		kvg_map_snapshot(e->map, &st);
		seq_printf(m, "%s\t%s\t%zu\t%zu\t%zu\t%u\t%zu\t%zu\t%d\t%zu\t%zu\t%llu\t%llu\t%llu\t%u\t%zu\t%zu\t%zu\t%llu\n",
			   e->name,
			   e->map->flags & KVG_MAP_GO_COMPAT ? "go" : "kvg",
			   st.key_size, st.val_size, st.count, st.B,
			   st.buckets, st.overflow, st.growing, st.old_buckets,
			   st.evacuated, st.grows, st.same_size_grows,
			   st.shrinks, st.load_x100, st.footprint_bytes,
			   st.peak_footprint_bytes, st.bytes_per_entry_x100,
			   st.failed_allocs);
	}
	mutex_unlock(&kvg_registry_lock);
}

/* One entry's line of summary, and what sites adds up. */
struct kvg_row {
	const char *kind;
	const char *name;
	const struct kvg_site *site;
	size_t len;		/* a vector's len, a map's count */
	size_t cap;		/* a vector's cap, a map's buckets */
	size_t live;
	size_t footprint;
	u64 grows;
	bool group;		/* len, cap, live and slack unknown */
};

static void row_of(const struct kvg_entry *e, struct kvg_row *r)
{
	struct kvg_group_stats gs;
	struct kvg_vec_stats vs;
	struct kvg_map_stats ms;

	if (e->kind == KVG_KIND_VEC) {
		kvg_vec_snapshot_raw(e->vec, &vs);
		*r = (struct kvg_row){ "vec", e->name, e->vec->site, vs.len,
				       vs.cap, vs.live_bytes, vs.footprint_bytes,
				       vs.grows };
	} else if (e->kind == KVG_KIND_MAP) {
		kvg_map_snapshot(e->map, &ms);
		*r = (struct kvg_row){ "map", e->name, e->map->site, ms.count,
				       ms.buckets,
				       ms.count * (ms.key_size + ms.val_size),
				       ms.footprint_bytes,
				       ms.grows + ms.same_size_grows };
	} else {
		kvg_group_snapshot(e->group, &gs);
		*r = (struct kvg_row){ "group", e->name, e->group->site, 0, 0,
				       0, gs.footprint_bytes, gs.grows, true };
	}
}

/* Largest footprint first. */
static int row_cmp(const void *a, const void *b)
{
	const struct kvg_row *x = a, *y = b;

	return x->footprint < y->footprint ? 1 : x->footprint > y->footprint ? -1 : 0;
}

/* Rows of every entry, sorted. */
static struct kvg_row *collect_rows(size_t *n)
{
	struct kvg_entry *e;
	struct kvg_row *rows;
	size_t i = 0;

	mutex_lock(&kvg_registry_lock);
	*n = 0;
	list_for_each_entry(e, &kvg_registry, node)
		(*n)++;
	rows = kvmalloc_array(max_t(size_t, *n, 1), sizeof(*rows), GFP_KERNEL);
	if (rows)
		list_for_each_entry(e, &kvg_registry, node)
			row_of(e, &rows[i++]);
	mutex_unlock(&kvg_registry_lock);
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

int kvg_registry_show_summary(struct seq_file *m)
{
	size_t n, live = 0, fp = 0, known_fp = 0;
	struct kvg_row *rows, *r;
	u64 grows = 0;

	rows = collect_rows(&n);
	if (!rows)
		return -ENOMEM;
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
	kvfree(rows);
	return 0;
}

/* Entries per creation site, in the spirit of /proc/allocinfo. */
int kvg_registry_show_sites(struct seq_file *m)
{
	struct kvg_row *rows, *r;
	size_t n, i, j, count, fp, live;
	bool group;
	u64 grows;

	rows = collect_rows(&n);
	if (!rows)
		return -ENOMEM;
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
	kvfree(rows);
	return 0;
}

/* vec/<name>, map/<name>, group/<name>: every figure, "key: value". */
static void show_vec(struct seq_file *m, const struct kvg_vec *v)
{
	char policy[KVG_POLICY_NAME_MAX];
	struct kvg_vec_stats st;

	kvg_vec_snapshot_raw(v, &st);
	if (kvg_policy_name(st.policy, policy, sizeof(policy)) < 0)
		strscpy(policy, "?", sizeof(policy));
	seq_printf(m, "policy: %s\nelem_size: %zu\nlen: %zu\ncap: %zu\n"
		   "live_bytes: %zu\nrequested_bytes: %zu\nfootprint: %zu\n"
		   "slack: %zu\npeak_footprint: %zu\ngrows: %llu\nshrinks: %llu\n"
		   "moved_bytes: %llu\nfailed_allocs: %llu\nbackend: %s\n",
		   policy, st.elem_size, st.len, st.cap, st.live_bytes,
		   st.requested_bytes, st.footprint_bytes, st.slack_bytes,
		   st.peak_footprint_bytes, st.grows, st.shrinks, st.moved_bytes,
		   st.failed_allocs, backend_names[st.backend]);
}

static void show_map(struct seq_file *m, const struct kvg_map *map)
{
	struct kvg_map_stats st;
	size_t live;

	kvg_map_snapshot(map, &st);
	live = st.count * (st.key_size + st.val_size);
	seq_printf(m, "mode: %s\nkey_size: %zu\nval_size: %zu\ncount: %zu\n"
		   "B: %u\nbuckets: %zu\noverflow: %zu\ngrowing: %d\n"
		   "old_buckets: %zu\nevacuated: %zu\ngrows: %llu\n"
		   "same_size_grows: %llu\nshrinks: %llu\nload_x100: %u\n"
		   "live_bytes: %zu\nfootprint: %zu\nslack: %zu\n"
		   "peak_footprint: %zu\nbytes_per_entry_x100: %zu\n"
		   "failed_allocs: %llu\n",
		   map->flags & KVG_MAP_GO_COMPAT ? "go" : "kvg", st.key_size,
		   st.val_size, st.count, st.B, st.buckets, st.overflow,
		   st.growing, st.old_buckets, st.evacuated, st.grows,
		   st.same_size_grows, st.shrinks, st.load_x100, live,
		   st.footprint_bytes, st.footprint_bytes - live,
		   st.peak_footprint_bytes, st.bytes_per_entry_x100,
		   st.failed_allocs);
}

static void show_group(struct seq_file *m, const struct kvg_group *g)
{
	struct kvg_group_stats st;

	kvg_group_snapshot(g, &st);
	seq_printf(m, "members: %ld\nfootprint: %zu\npeak_footprint: %zu\n"
		   "grows: %llu\nshrinks: %llu\nmoved_bytes: %llu\n"
		   "failed_allocs: %llu\n", st.members, st.footprint_bytes,
		   st.peak_footprint_bytes, st.grows, st.shrinks,
		   st.moved_bytes, st.failed_allocs);
}

static int entry_show(struct seq_file *m, void *unused)
{
	const struct kvg_entry *e = m->private;
	const struct kvg_site *site;

	seq_printf(m, "kind: %s\nname: %s\n", kind_names[e->kind], e->name);
	if (e->kind == KVG_KIND_VEC) {
		show_vec(m, e->vec);
		site = e->vec->site;
	} else if (e->kind == KVG_KIND_MAP) {
		show_map(m, e->map);
		site = e->map->site;
	} else {
		show_group(m, e->group);
		site = e->group->site;
	}
	seq_puts(m, "site: ");
	show_site(m, site);
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(entry);

/*
 * Take the owner's lock to walk @e, unless @e is leaving: whoever removes
 * it waits for this reader and may hold that lock (the registry's, for
 * the maps control owns).
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

/* buckets/<name>: how many chains have 0, 1, ... overflow buckets. */
static int buckets_show(struct seq_file *m, void *unused)
{
	const struct kvg_entry *e = m->private;
	u64 hist[KVG_MAP_HIST_LEN];
	unsigned int i;
	int err;

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

static int register_obj(enum kvg_kind kind, void *obj, const char *name,
			struct mutex *lock)
{
	struct kvg_entry *e;

	mutex_lock(&kvg_registry_lock);
	e = kvg_registry_add(kind, obj, name, lock, false);
	mutex_unlock(&kvg_registry_lock);
	return PTR_ERR_OR_ZERO(e);
}

/* kvg_release_hook: the owner destroys @obj, so it leaves the registry. */
static void unregister_obj(const void *obj)
{
	struct kvg_entry *e;

	mutex_lock(&kvg_registry_lock);
	e = find_entry(NULL, obj);
	if (e && !e->owned)
		kvg_registry_del(e);
	mutex_unlock(&kvg_registry_lock);
}

/**
 * kvg_register_vec() - Show a vector in /sys/kernel/debug/kvgrow/.
 * @v: An initialised vector in no group, valid until it is unregistered
 *     or freed (which unregisters it).
 * @name: 1 to KVG_NAME_MAX characters of [A-Za-z0-9_.-], unique.
 *
 * The vector appears in summary, sites, vectors and vec/<name>.
 *
 * Context: Process context.  Sleeps: takes the registry mutex.
 * Return: 0; -EINVAL for a bad name or a dead vector; -EBUSY for a group
 * member; -EEXIST if the name or the vector is registered already;
 * -ENOMEM.
 */
int kvg_register_vec(struct kvg_vec *v, const char *name)
{
	might_sleep();
	if (!v->elem_size)
		return -EINVAL;
	return v->group ? -EBUSY : register_obj(KVG_KIND_VEC, v, name, NULL);
}
EXPORT_SYMBOL_GPL(kvg_register_vec);

/**
 * kvg_unregister_vec() - Remove a vector from the registry.
 * @v: The vector; a no-op if it is not registered.
 *
 * Context: Process context.  Sleeps: takes the registry mutex, and waits
 * for the debugfs readers of @v to finish.
 */
void kvg_unregister_vec(struct kvg_vec *v)
{
	unregister_obj(v);
}
EXPORT_SYMBOL_GPL(kvg_unregister_vec);

/**
 * kvg_register_map_locked() - Show a map, with its bucket histogram.
 * @m: An initialised map in no group, valid until it is unregistered or
 *     destroyed (which unregisters it).
 * @name: As for kvg_register_vec().
 * @lock: The mutex the owner holds around every change of @m, or NULL.
 *        With it, buckets/<name> walks @m's chains under it.
 *
 * The map appears in summary, sites, maps and map/<name>, and with @lock
 * in buckets/<name>.
 *
 * Context: Process context.  Sleeps: takes the registry mutex.
 * Return: 0; -EINVAL for a bad name or a dead map; -EBUSY for a group
 * member; -EEXIST if the name or the map is registered already; -ENOMEM.
 */
int kvg_register_map_locked(struct kvg_map *m, const char *name,
			    struct mutex *lock)
{
	might_sleep();
	if (!m->key_size)
		return -EINVAL;
	return m->group ? -EBUSY : register_obj(KVG_KIND_MAP, m, name, lock);
}
EXPORT_SYMBOL_GPL(kvg_register_map_locked);

/**
 * kvg_register_map() - Show a map in /sys/kernel/debug/kvgrow/.
 * @m: As for kvg_register_map_locked().
 * @name: As for kvg_register_vec().
 *
 * As kvg_register_map_locked() without a lock: no bucket histogram.
 *
 * Context: Process context.  Sleeps: takes the registry mutex.
 * Return: As kvg_register_map_locked().
 */
int kvg_register_map(struct kvg_map *m, const char *name)
{
	return kvg_register_map_locked(m, name, NULL);
}
EXPORT_SYMBOL_GPL(kvg_register_map);

/**
 * kvg_unregister_map() - Remove a map from the registry.
 * @m: The map; a no-op if it is not registered.
 *
 * Context: Process context.  Sleeps: takes the registry mutex, and waits
 * for the debugfs readers of @m to finish.  The caller may hold the mutex
 * @m was registered with: a reader waiting for it gives up.
 */
void kvg_unregister_map(struct kvg_map *m)
{
	unregister_obj(m);
}
EXPORT_SYMBOL_GPL(kvg_unregister_map);

/**
 * kvg_register_group() - Show a group's totals in /sys/kernel/debug/kvgrow/.
 * @g: An initialised group, valid until it is unregistered or destroyed
 *     (which unregisters it).
 * @name: As for kvg_register_vec().
 *
 * The group appears in summary, sites and group/<name>.  Its members are
 * not registered themselves.
 *
 * Context: Process context.  Sleeps: takes the registry mutex.
 * Return: 0; -EINVAL for a bad name; -EEXIST if the name or the group is
 * registered already; -ENOMEM.
 */
int kvg_register_group(struct kvg_group *g, const char *name)
{
	might_sleep();
	return register_obj(KVG_KIND_GROUP, g, name, NULL);
}
EXPORT_SYMBOL_GPL(kvg_register_group);

/**
 * kvg_unregister_group() - Remove a group from the registry.
 * @g: The group; a no-op if it is not registered.
 *
 * Context: Process context.  Sleeps: takes the registry mutex, and waits
 * for the debugfs readers of @g to finish.
 */
void kvg_unregister_group(struct kvg_group *g)
{
	unregister_obj(g);
}
EXPORT_SYMBOL_GPL(kvg_unregister_group);

void kvg_registry_init(struct dentry *root)
{
	enum kvg_kind k;

	for (k = KVG_KIND_VEC; k <= KVG_KIND_GROUP; k++)
		kind_dir[k] = debugfs_create_dir(kind_names[k], root);
	buckets_dir = debugfs_create_dir("buckets", root);
	WRITE_ONCE(kvg_release_hook, unregister_obj);
}

/* After every container the module owns is gone. */
void kvg_registry_exit(void)
{
	WRITE_ONCE(kvg_release_hook, NULL);
}
