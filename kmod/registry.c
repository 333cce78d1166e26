// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of containers shown in debugfs.  Entries are either
 * registered by their owners (another module) or owned by kvgrow.ko itself
 * (created through the control file, freed on destroy or unload).
 */
#include <linux/ctype.h>
#include <linux/export.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "kvgrow_mod.h"

struct kvg_entry {
	struct list_head node;
	struct kvg_vec *vec;
	bool owned;
	char name[KVG_NAME_MAX + 1];
};

/* Guards the registry and every vector the control file owns. */
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

static struct kvg_entry *find_entry(const char *name, const struct kvg_vec *v)
{
	struct kvg_entry *e;

	lockdep_assert_held(&kvg_registry_lock);
	list_for_each_entry(e, &kvg_registry, node)
		if (name ? !strcmp(e->name, name) : e->vec == v)
			return e;
	return NULL;
}

struct kvg_vec *kvg_registry_find(const char *name)
{
	struct kvg_entry *e = find_entry(name, NULL);

	return e ? e->vec : NULL;
}

int kvg_registry_add(struct kvg_vec *v, const char *name, bool owned)
{
	struct kvg_entry *e;

	lockdep_assert_held(&kvg_registry_lock);
	if (!kvg_name_valid(name) || !v->elem_size)
		return -EINVAL;
	if (find_entry(name, NULL) || find_entry(NULL, v))
		return -EEXIST;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->vec = v;
	e->owned = owned;
	strscpy(e->name, name, sizeof(e->name));
	list_add_tail(&e->node, &kvg_registry);
	return 0;
}

static void del_entry(struct kvg_entry *e)
{
	list_del(&e->node);
	if (e->owned) {
		kvg_vec_free_raw(e->vec);
		kfree(e->vec);
	}
	kfree(e);
}

void kvg_registry_del(struct kvg_vec *v)
{
	struct kvg_entry *e;

	lockdep_assert_held(&kvg_registry_lock);
	e = find_entry(NULL, v);
	if (e)
		del_entry(e);
}

void kvg_registry_destroy_owned(void)
{
	struct kvg_entry *e, *tmp;

	mutex_lock(&kvg_registry_lock);
	list_for_each_entry_safe(e, tmp, &kvg_registry, node)
		if (e->owned)
			del_entry(e);
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
	int err;

	mutex_lock(&kvg_registry_lock);
	err = kvg_registry_add(v, name, false);
	mutex_unlock(&kvg_registry_lock);
	return err;
}
EXPORT_SYMBOL_GPL(kvg_register_vec);

/* Remove @v from the registry; a no-op if it is not there. */
void kvg_unregister_vec(struct kvg_vec *v)
{
	mutex_lock(&kvg_registry_lock);
	kvg_registry_del(v);
	mutex_unlock(&kvg_registry_lock);
}
EXPORT_SYMBOL_GPL(kvg_unregister_vec);
