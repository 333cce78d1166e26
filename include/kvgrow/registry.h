/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registering containers with kvgrow.ko, so that their figures show under
 * /sys/kernel/debug/kvgrow/ (vectors, maps).
 *
 * Contract: a registered container must stay valid until its unregister
 * call returns.  Destroying it (kvg_vec_free, kvg_map_destroy) unregisters
 * it too, and then may sleep: it waits for debugfs readers of it.  debugfs reads a
 * registered container's counters under the registry lock; the owner does
 * not take that lock, so figures of a container being mutated at that
 * moment may be a mix of before and after (never freed memory: readers
 * touch only the struct's counters).
 */
#ifndef _KVGROW_REGISTRY_H
#define _KVGROW_REGISTRY_H

#include <kvgrow/map.h>
#include <kvgrow/vec.h>

/* Longest name, without the NUL; names use [A-Za-z0-9_.-]. */
#define KVG_NAME_MAX	31

int kvg_register_vec(struct kvg_vec *v, const char *name);
void kvg_unregister_vec(struct kvg_vec *v);
int kvg_register_map(struct kvg_map *m, const char *name);
void kvg_unregister_map(struct kvg_map *m);

#endif /* _KVGROW_REGISTRY_H */
