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
#include <linux/string.h>
#include "kvgrow_mod.h"

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
	return e;
}

void kvg_registry_del(struct kvg_entry *e)
{
	lockdep_assert_held(&kvg_registry_lock);
	list_del(&e->node);
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

static int register_obj(enum kvg_kind kind, void *obj, const char *name)
{
	struct kvg_entry *e;

	mutex_lock(&kvg_registry_lock);
	e = kvg_registry_add(kind, obj, name, false);
	mutex_unlock(&kvg_registry_lock);
	return PTR_ERR_OR_ZERO(e);
}

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
