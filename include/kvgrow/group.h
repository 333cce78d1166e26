/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Groups: containers accounted together, such as a map whose values are
 * vectors (Go's map[K][]V).  A member charges its group whenever its
 * allocation changes, so the group's figures are exact totals even though
 * the group never walks its members (a vector stored in a map's values
 * moves when the map grows):
 *
 *	struct kvg_group g;
 *
 *	kvg_group_init(&g);
 *	kvg_map_init(&m, &cfg);
 *	kvg_map_join_group(&m, &g);
 *	...				each value: kvg_vec_init(), kvg_vec_join_group()
 *	...				free every member, then
 *	kvg_group_destroy(&g);
 *
 * Lengths change on every append without a call into the library, so a
 * group knows footprints, not live bytes.  Counters are atomic and each is
 * exact; a reader may see one counter before and another after a
 * concurrent change.  A group must outlive its members.
 */
#ifndef _KVGROW_GROUP_H
#define _KVGROW_GROUP_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <kvgrow/observer.h>
#include <kvgrow/site.h>

struct kvg_group {
	atomic_long_t members;
	atomic_long_t footprint;	/* bytes the members' blocks take */
	atomic_long_t peak_footprint;	/* the most footprint ever took */
	atomic64_t grows;
	atomic64_t shrinks;
	atomic64_t moved_bytes;
	atomic64_t failed_allocs;
	const struct kvg_site *site;	/* where kvg_group_init() was called */
	struct kvg_observer *observer;	/* told before the group ends */
};

struct kvg_group_stats {
	long members;
	size_t footprint_bytes;
	size_t peak_footprint_bytes;
	u64 grows;
	u64 shrinks;
	u64 moved_bytes;
	u64 failed_allocs;
	const struct kvg_site *site;	/* where it was made, or NULL */
};

void kvg_group_init_site(struct kvg_group *g, const struct kvg_site *site);
/**
 * kvg_group_init() - Initialise an empty group, recording the caller's site.
 * @g: Pointer to the struct kvg_group.
 *
 * Context: Any context.
 * Return: Nothing.
 */
#define kvg_group_init(g)	kvg_group_init_site(g, KVG_SITE())
void kvg_group_destroy(struct kvg_group *g);
void kvg_group_snapshot(const struct kvg_group *g, struct kvg_group_stats *st);
int kvg_group_set_observer(struct kvg_group *g, struct kvg_observer *obs);

#endif /* _KVGROW_GROUP_H */
