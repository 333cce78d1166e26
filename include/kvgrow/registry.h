/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registering containers and groups with kvgrow.ko, so that their figures
 * show under /sys/kernel/debug/kvgrow/ (summary, sites, vectors, maps, and
 * vec/, map/, group/, buckets/<name>).
 *
 * The reader contract:
 * - A registered container must stay valid until it is unregistered.
 *   Destroying it (kvg_vec_free, kvg_map_destroy, kvg_group_destroy)
 *   unregisters it first; that may sleep, waiting for the debugfs readers
 *   of it to finish.  So unregistering and destroying need process context,
 *   and the registry lock is never taken by the owner otherwise.
 * - Readers take figures with kvg_*_snapshot(): a seqcount the library
 *   bumps around every resize makes them consistent without the owner's
 *   lock (len and count, changed by every append, are read once).  Readers
 *   never follow a container's pointers, except:
 * - buckets/<name> walks a map's chains, so it exists only for maps
 *   registered with the mutex their owner holds around every change
 *   (kvg_register_map_locked()).  The walk takes that mutex, and gives up
 *   if the map is being unregistered meanwhile, so the owner may destroy
 *   or unregister the map with or without holding it.
 */
#ifndef _KVGROW_REGISTRY_H
#define _KVGROW_REGISTRY_H

#include <linux/mutex.h>
#include <kvgrow/group.h>
#include <kvgrow/map.h>
#include <kvgrow/name.h>
#include <kvgrow/vec.h>

bool kvg_registry_name_used(const char *name);
int kvg_register_vec(struct kvg_vec *v, const char *name);
void kvg_unregister_vec(struct kvg_vec *v);
int kvg_register_map(struct kvg_map *m, const char *name);
int kvg_register_map_locked(struct kvg_map *m, const char *name, struct mutex *lock);
void kvg_unregister_map(struct kvg_map *m);
int kvg_register_group(struct kvg_group *g, const char *name);
void kvg_unregister_group(struct kvg_group *g);

#endif /* _KVGROW_REGISTRY_H */
