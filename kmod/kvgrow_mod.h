/* SPDX-License-Identifier: GPL-2.0 */
/* kvgrow.ko internals shared by its parts. */
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
};

/*
 * A registered container or group.  Its debugfs files (vec/, map/, group/
 * and buckets/<name>) read it without the registry lock: removing them
 * waits for their readers, and that happens before the container is freed.
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
	struct mutex *lock;	/* the owner's, for walks; NULL: no walks */
	struct dentry *file;	/* <kind>/<name> */
	struct dentry *buckets;	/* buckets/<name>, maps with a lock */
	bool dying;		/* leaving: walkers waiting for lock give up */
	bool owned;		/* created through control: freed with the entry */
	u64 churn_next;		/* owned maps: the next key map-churn inserts */
	char name[KVG_NAME_MAX + 1];
};

extern struct mutex kvg_registry_lock;
extern unsigned long kvg_max_bytes;

bool kvg_name_valid(const char *name);
/* With kvg_registry_lock held. */
struct kvg_entry *kvg_registry_find(const char *name);
struct kvg_entry *kvg_registry_find_obj(const void *obj);
struct kvg_entry *kvg_registry_add(enum kvg_kind kind, void *obj,
				   const char *name, struct mutex *lock,
				   bool owned);
void kvg_registry_del(struct kvg_entry *e);
/* Take the lock themselves. */
void kvg_registry_show_vectors(struct seq_file *m);
void kvg_registry_show_maps(struct seq_file *m);
int kvg_registry_show_summary(struct seq_file *m);
int kvg_registry_show_sites(struct seq_file *m);
void kvg_registry_destroy_owned(void);
const char *kvg_kind_name(enum kvg_kind kind);
void kvg_registry_init(struct dentry *root);
void kvg_registry_exit(void);

int kvg_control_exec(char *cmd);
int kvg_check_budget(u64 cap, size_t elem_size);

/* scenarios.c: run with kvg_registry_lock held; reports in scenarios/. */
int kvg_scenarios_init(struct dentry *dir);
void kvg_scenarios_exit(void);
int kvg_scenario_policy(u64 n, u64 elem_size);
int kvg_scenario_oom(u64 n, u64 budget);
int kvg_scenario_churn(u64 window, u64 steps);
int kvg_scenario_retention(u64 big_bytes, u64 small_bytes);
int kvg_scenario_nested(u64 keys, u64 values);

#endif /* _KVGROW_MOD_H */
