// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of containers shown in debugfs: entries, their lifetime and
 * the registration API of <kvgrow/registry.h>.  The views are render.c's.
 *
 * An entry is the registry's record of a container that another module
 * registered under a name.  It is set as the container's observer, so the
 * library tells the registry before the owner frees the container, and the
 * entry goes first.
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "kvgrow_mod.h"

/* Guards the list and every entry's files. */
DEFINE_MUTEX(kvg_registry_lock);
LIST_HEAD(kvg_registry);
/* vec/, map/, group/ and buckets/: a file per registered entry. */
static struct dentry *kind_dir[KVG_KIND_NR], *buckets_dir;

static const char * const kind_names[] = {
	[KVG_KIND_VEC] = "vec",
	[KVG_KIND_MAP] = "map",
	[KVG_KIND_GROUP] = "group",
};

const char *kvg_kind_name(enum kvg_kind kind)
{
	return kind_names[kind];
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

/**
 * kvg_registry_name_used() - Whether a container is registered under @name
 * @name: a NUL-terminated string
 *
 * Context: process context; takes the registry mutex.
 * Return: true if one is.
 */
bool kvg_registry_name_used(const char *name)
{
	bool used;

	mutex_lock(&kvg_registry_lock);
	used = find_entry(name, NULL);
	mutex_unlock(&kvg_registry_lock);
	return used;
}
EXPORT_SYMBOL_GPL(kvg_registry_name_used);

/* Set or clear @e as its container's observer. */
static int observe(struct kvg_entry *e, bool on)
{
	struct kvg_observer *obs = on ? &e->obs : NULL;

	switch (e->kind) {
	case KVG_KIND_VEC:
		return kvg_vec_set_observer(e->vec, obs);
	case KVG_KIND_MAP:
		return kvg_map_set_observer(e->map, obs);
	default:
		return kvg_group_set_observer(e->group, obs);
	}
}

/* Take @e out: its files first, which waits for their readers. */
static void del_entry(struct kvg_entry *e)
{
	lockdep_assert_held(&kvg_registry_lock);
	list_del(&e->node);
	/* A bucket walk waiting for the owner's lock gives up on dying. */
	WRITE_ONCE(e->dying, true);
	debugfs_remove(e->buckets);
	debugfs_remove(e->file);
	kfree(e);
}

/* The library is about to free @obj: @obs is its entry's. */
static void release_entry(struct kvg_observer *obs, void *obj)
{
	struct kvg_entry *e = container_of(obs, struct kvg_entry, obs);

	mutex_lock(&kvg_registry_lock);
	del_entry(e);
	mutex_unlock(&kvg_registry_lock);
}

static int register_obj(enum kvg_kind kind, void *obj, const char *name,
			struct mutex *lock)
{
	struct kvg_entry *e;
	int err;

	might_sleep();
	if (!kvg_name_valid(name))
		return -EINVAL;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->kind = kind;
	e->obj = obj;
	e->lock = lock;
	e->obs.release = release_entry;
	strscpy(e->name, name, sizeof(e->name));

	mutex_lock(&kvg_registry_lock);
	err = find_entry(name, NULL) ? -EEXIST : observe(e, true);
	if (err) {
		mutex_unlock(&kvg_registry_lock);
		kfree(e);
		/* Observed already: by this registry, under another name. */
		return err == -EBUSY && find_entry(NULL, obj) ? -EEXIST : err;
	}
	list_add_tail(&e->node, &kvg_registry);
	kvg_render_entry(e, kind_dir[kind], buckets_dir);
	mutex_unlock(&kvg_registry_lock);
	return 0;
}

static void unregister_obj(void *obj)
{
	struct kvg_entry *e;

	might_sleep();
	mutex_lock(&kvg_registry_lock);
	e = find_entry(NULL, obj);
	if (e) {
		observe(e, false);
		del_entry(e);
	}
	mutex_unlock(&kvg_registry_lock);
}

/**
 * kvg_register_vec() - Show a vector in /sys/kernel/debug/kvgrow/
 * @v: an initialised vector in no group, valid until it is unregistered
 *     or freed (which unregisters it)
 * @name: valid as kvg_name_valid() says, and unique
 *
 * The vector appears in summary, sites, vectors and vec/<name>.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a bad name or a dead vector, -EBUSY for a group
 * member (or a vector another observer watches), -EEXIST if the name or
 * the vector is registered already, -ENOMEM.
 */
int kvg_register_vec(struct kvg_vec *v, const char *name)
{
	return register_obj(KVG_KIND_VEC, v, name, NULL);
}
EXPORT_SYMBOL_GPL(kvg_register_vec);

/**
 * kvg_unregister_vec() - Take a vector out of debugfs
 * @v: a vector; a no-op unless it is registered
 *
 * Returns once no debugfs reader uses @v any more.
 *
 * Context: process context; may sleep.
 * Return: nothing.
 */
void kvg_unregister_vec(struct kvg_vec *v)
{
	unregister_obj(v);
}
EXPORT_SYMBOL_GPL(kvg_unregister_vec);

/**
 * kvg_register_map_locked() - Show a map, with its bucket histogram
 * @m: an initialised map in no group, valid until it is unregistered or
 *     destroyed (which unregisters it)
 * @name: as for kvg_register_vec()
 * @lock: the mutex the owner holds around every change of @m, or NULL.
 *        With it, buckets/<name> walks @m's chains under it.
 *
 * The map appears in summary, sites, maps and map/<name>.
 *
 * Context: process context; may sleep.
 * Return: as kvg_register_vec().
 */
int kvg_register_map_locked(struct kvg_map *m, const char *name,
			    struct mutex *lock)
{
	return register_obj(KVG_KIND_MAP, m, name, lock);
}
EXPORT_SYMBOL_GPL(kvg_register_map_locked);

/**
 * kvg_register_map() - Show a map, without its bucket histogram
 * @m: as for kvg_register_map_locked()
 * @name: as for kvg_register_vec()
 *
 * Context: process context; may sleep.
 * Return: as kvg_register_vec().
 */
int kvg_register_map(struct kvg_map *m, const char *name)
{
	return kvg_register_map_locked(m, name, NULL);
}
EXPORT_SYMBOL_GPL(kvg_register_map);

/**
 * kvg_unregister_map() - Take a map out of debugfs
 * @m: a map; a no-op unless it is registered
 *
 * Returns once no debugfs reader uses @m any more.
 *
 * Context: process context; may sleep.  The caller may hold the lock given
 * to kvg_register_map_locked(): a bucket walk waiting for it gives up.
 * Return: nothing.
 */
void kvg_unregister_map(struct kvg_map *m)
{
	unregister_obj(m);
}
EXPORT_SYMBOL_GPL(kvg_unregister_map);

/**
 * kvg_register_group() - Show a group's totals in /sys/kernel/debug/kvgrow/
 * @g: an initialised group, valid until it is unregistered or destroyed
 * @name: as for kvg_register_vec()
 *
 * The group appears in summary, sites and group/<name>.  Its members are
 * not registered themselves.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a bad name, -EEXIST, -ENOMEM.
 */
int kvg_register_group(struct kvg_group *g, const char *name)
{
	return register_obj(KVG_KIND_GROUP, g, name, NULL);
}
EXPORT_SYMBOL_GPL(kvg_register_group);

/**
 * kvg_unregister_group() - Take a group out of debugfs
 * @g: a group; a no-op unless it is registered
 *
 * Context: process context; may sleep.
 * Return: nothing.
 */
void kvg_unregister_group(struct kvg_group *g)
{
	unregister_obj(g);
}
EXPORT_SYMBOL_GPL(kvg_unregister_group);

void kvg_registry_init(struct dentry *root)
{
	enum kvg_kind k;

	for (k = 0; k < KVG_KIND_NR; k++)
		kind_dir[k] = debugfs_create_dir(kind_names[k], root);
	buckets_dir = debugfs_create_dir("buckets", root);
}

/*
 * At unload, after debugfs_remove() of the whole tree.  Every module that
 * registered a container uses kvgrow.ko, so it is gone, and it had to
 * unregister or free its containers: an entry left means one did not.
 */
void kvg_registry_exit(void)
{
	struct kvg_entry *e, *tmp;

	mutex_lock(&kvg_registry_lock);
	list_for_each_entry_safe(e, tmp, &kvg_registry, node) {
		pr_err("kvgrow: '%s' is still registered at unload\n", e->name);
		list_del(&e->node);
		kfree(e);
	}
	mutex_unlock(&kvg_registry_lock);
}
