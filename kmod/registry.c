// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of containers shown in debugfs.  Entries are either
 * registered by their owners (another module) or owned by kvgrow.ko itself
 * (created through the control file, freed on destroy or unload).
 */
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "kvgrow_mod.h"
#include "kvg_mem.h"

/* Guards the registry and every container the control file owns. */
DEFINE_MUTEX(kvg_registry_lock);
static LIST_HEAD(kvg_registry);

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
	else
		e->map->registered = on;
}

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

/* Add @obj under @name; an ERR_PTR on a bad name, a duplicate or -ENOMEM. */
struct kvg_entry *kvg_registry_add(enum kvg_kind kind, void *obj,
				   const char *name, bool owned)
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
	strscpy(e->name, name, sizeof(e->name));
	list_add_tail(&e->node, &kvg_registry);
	set_registered(e, true);
	return e;
}

void kvg_registry_del(struct kvg_entry *e)
{
	lockdep_assert_held(&kvg_registry_lock);
	list_del(&e->node);
	set_registered(e, false);
	if (e->owned && e->kind == KVG_KIND_VEC)
		kvg_vec_free_raw(e->vec);
	if (e->owned && e->kind == KVG_KIND_MAP)
		kvg_map_destroy(e->map);
	if (e->owned)
		kfree(e->obj);
	kfree(e);
}

void kvg_registry_destroy_owned(void)
{
	struct kvg_entry *e, *tmp;

	mutex_lock(&kvg_registry_lock);
	list_for_each_entry_safe(e, tmp, &kvg_registry, node)
		if (e->owned)
			kvg_registry_del(e);
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

/* One container's line of summary, and what sites adds up. */
struct kvg_row {
	const char *kind;
	const char *name;
	const struct kvg_site *site;
	size_t len;		/* a vector's len, a map's count */
	size_t cap;		/* a vector's cap, a map's buckets */
	size_t live;
	size_t footprint;
	u64 grows;
};

static void row_of(const struct kvg_entry *e, struct kvg_row *r)
{
	struct kvg_vec_stats vs;
	struct kvg_map_stats ms;

	if (e->kind == KVG_KIND_VEC) {
		kvg_vec_snapshot_raw(e->vec, &vs);
		*r = (struct kvg_row){ "vec", e->name, e->vec->site, vs.len,
				       vs.cap, vs.live_bytes, vs.footprint_bytes,
				       vs.grows };
	} else {
		kvg_map_snapshot(e->map, &ms);
		*r = (struct kvg_row){ "map", e->name, e->map->site, ms.count,
				       ms.buckets,
				       ms.count * (ms.key_size + ms.val_size),
				       ms.footprint_bytes,
				       ms.grows + ms.same_size_grows };
	}
}

/* Largest footprint first. */
static int row_cmp(const void *a, const void *b)
{
	const struct kvg_row *x = a, *y = b;

	return x->footprint < y->footprint ? 1 : x->footprint > y->footprint ? -1 : 0;
}

/* Rows of every container, sorted; with kvg_registry_lock held. */
static struct kvg_row *collect_rows(size_t *n)
{
	struct kvg_entry *e;
	struct kvg_row *rows;
	size_t i = 0;

	*n = 0;
	list_for_each_entry(e, &kvg_registry, node)
		(*n)++;
	rows = kvmalloc_array(max_t(size_t, *n, 1), sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return NULL;
	list_for_each_entry(e, &kvg_registry, node)
		row_of(e, &rows[i++]);
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
	size_t n, i, live = 0, fp = 0;
	struct kvg_row *rows;
	u64 grows = 0;

	mutex_lock(&kvg_registry_lock);
	rows = collect_rows(&n);
	mutex_unlock(&kvg_registry_lock);
	if (!rows)
		return -ENOMEM;
	seq_puts(m, "kind\tname\tlen\tcap\tlive_bytes\tfootprint\tslack\tgrows\tsite\n");
	for (i = 0; i < n; i++) {
		seq_printf(m, "%s\t%s\t%zu\t%zu\t%zu\t%zu\t%zu\t%llu\t", rows[i].kind,
			   rows[i].name, rows[i].len, rows[i].cap, rows[i].live,
			   rows[i].footprint, rows[i].footprint - rows[i].live,
			   rows[i].grows);
		show_site(m, rows[i].site);
		seq_putc(m, '\n');
		live += rows[i].live;
		fp += rows[i].footprint;
		grows += rows[i].grows;
	}
	seq_printf(m, "total\t%zu\t-\t-\t%zu\t%zu\t%zu\t%llu\t-\n", n, live, fp,
		   fp - live, grows);
	kvfree(rows);
	return 0;
}

/* Containers per creation site, in the spirit of /proc/allocinfo. */
int kvg_registry_show_sites(struct seq_file *m)
{
	struct kvg_row *rows, *r;
	size_t n, i, j, count, fp, live;
	u64 grows;

	mutex_lock(&kvg_registry_lock);
	rows = collect_rows(&n);
	mutex_unlock(&kvg_registry_lock);
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
		for (r = &rows[i]; r < rows + n; r++) {
			if (r->site != rows[i].site)
				continue;
			count++;
			fp += r->footprint;
			live += r->live;
			grows += r->grows;
		}
		seq_printf(m, "%zu\t%zu\t%zu\t%llu\t", count, fp, fp - live, grows);
		show_site(m, rows[i].site);
		seq_putc(m, '\n');
	}
	kvfree(rows);
	return 0;
}

static int register_obj(enum kvg_kind kind, void *obj, const char *name)
{
	struct kvg_entry *e;

	mutex_lock(&kvg_registry_lock);
	e = kvg_registry_add(kind, obj, name, false);
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
 * kvg_register_vec - show a vector under /sys/kernel/debug/kvgrow/vectors
 * @v: an initialised vector, valid until kvg_unregister_vec()
 * @name: 1 to KVG_NAME_MAX characters of [A-Za-z0-9_.-], unique
 *
 * Return: 0, -EINVAL for a bad name or a dead vector, -EEXIST if the name
 * or the vector is registered already, -ENOMEM.
 */
int kvg_register_vec(struct kvg_vec *v, const char *name)
{
	return v->elem_size ? register_obj(KVG_KIND_VEC, v, name) : -EINVAL;
}
EXPORT_SYMBOL_GPL(kvg_register_vec);

/* Remove @v from the registry; a no-op if it is not there. */
void kvg_unregister_vec(struct kvg_vec *v)
{
	unregister_obj(v);
}
EXPORT_SYMBOL_GPL(kvg_unregister_vec);

/* As kvg_register_vec(), for a map: shown in .../kvgrow/maps. */
int kvg_register_map(struct kvg_map *m, const char *name)
{
	return m->key_size ? register_obj(KVG_KIND_MAP, m, name) : -EINVAL;
}
EXPORT_SYMBOL_GPL(kvg_register_map);

void kvg_unregister_map(struct kvg_map *m)
{
	unregister_obj(m);
}
EXPORT_SYMBOL_GPL(kvg_unregister_map);

void kvg_registry_init(void)
{
	WRITE_ONCE(kvg_release_hook, unregister_obj);
}

/* After every container the module owns is gone. */
void kvg_registry_exit(void)
{
	WRITE_ONCE(kvg_release_hook, NULL);
}
