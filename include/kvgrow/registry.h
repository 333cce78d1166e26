/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registering containers with kvgrow.ko, so that their figures show under
 * /sys/kernel/debug/kvgrow/.
 *
 * Contract: a registered vector must stay valid until kvg_unregister_vec()
 * returns; unregister before freeing it.  debugfs reads a registered
 * vector's counters under the registry lock; the owner does not take that
 * lock, so figures of a vector being mutated at that moment may be a mix of
 * before and after (never a freed block: readers touch only the struct).
 */
#ifndef _KVGROW_REGISTRY_H
#define _KVGROW_REGISTRY_H

#include <kvgrow/vec.h>

/* Longest name, without the NUL; names use [A-Za-z0-9_.-]. */
#define KVG_NAME_MAX	31

int kvg_register_vec(struct kvg_vec *v, const char *name);
void kvg_unregister_vec(struct kvg_vec *v);

#endif /* _KVGROW_REGISTRY_H */
