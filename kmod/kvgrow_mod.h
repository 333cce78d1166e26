/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgrow.ko internals shared by its parts: the registry (registry.c), its
 * debugfs views (render.c) and the module (main.c).
 */
#ifndef _KVGROW_MOD_H
#define _KVGROW_MOD_H

#include <linux/debugfs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <kvgrow/registry.h>

enum kvg_kind {
	KVG_KIND_VEC,
	KVG_KIND_MAP,
	KVG_KIND_GROUP,
	KVG_KIND_NR,
};

/*
 * A registered container or group.  Its debugfs files (vec/, map/, group/
 * and buckets/<name>) read it without the registry lock: removing them
 * waits for their readers, and that happens before the container is freed
 * (the library calls ->obs.release() first).
 */
struct kvg_entry {
	struct list_head node;
	enum kvg_kind kind;
	union {
		struct kvg_vec *vec;
		struct kvg_map *map;
		struct kvg_group *group;
		void *obj;
	};
	struct kvg_observer obs;	/* set in the container while listed */
	struct mutex *lock;	/* the owner's, for walks; NULL: no walks */
	struct dentry *file;	/* <kind>/<name> */
	struct dentry *buckets;	/* buckets/<name>, maps with a lock */
	bool dying;		/* leaving: walkers waiting for lock give up */
	char name[KVG_NAME_MAX + 1];
};

/* registry.c: the entries, under kvg_registry_lock. */
extern struct mutex kvg_registry_lock;
extern struct list_head kvg_registry;
const char *kvg_kind_name(enum kvg_kind kind);
void kvg_registry_init(struct dentry *root);
void kvg_registry_exit(void);

/* render.c: the views. */
void kvg_render_init(struct dentry *root);
void kvg_render_entry(struct kvg_entry *e, struct dentry *dir,
		      struct dentry *buckets_dir);

#endif /* _KVGROW_MOD_H */
