// SPDX-License-Identifier: GPL-2.0
/*
 * Groups of containers: see <kvgrow/group.h>.  Members charge their group
 * from their slow paths (lib/kvg_acct.h); nothing here walks them.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <kvgrow/group.h>
#include "kvg_acct.h"

/**
 * kvg_group_init_site() - Initialise an empty group.
 * @g: The group.
 * @site: Where it is created; kvg_group_init() passes the caller's.
 *
 * Context: Any context.
 */
void kvg_group_init_site(struct kvg_group *g, const struct kvg_site *site)
{
	*g = (struct kvg_group){ .site = site };
	atomic_long_set(&g->members, 0);
	atomic_long_set(&g->footprint, 0);
	atomic_long_set(&g->peak_footprint, 0);
	atomic64_set(&g->grows, 0);
	atomic64_set(&g->shrinks, 0);
	atomic64_set(&g->moved_bytes, 0);
	atomic64_set(&g->failed_allocs, 0);
}
EXPORT_SYMBOL_GPL(kvg_group_init_site);

/**
 * kvg_group_destroy() - End a group whose members are all freed.
 * @g: The group.  A group registered with kvgrow.ko leaves the registry
 *     first.
 *
 * Context: Process context.  May sleep: leaving the registry takes its
 * mutex and waits for the debugfs readers of @g to finish.
 */
void kvg_group_destroy(struct kvg_group *g)
{
	might_sleep();
	kvg_observer_release(g->observer, g);
	g->observer = NULL;
}
EXPORT_SYMBOL_GPL(kvg_group_destroy);

/**
 * kvg_group_snapshot() - Copy a group's figures.
 * @g: The group.
 * @st: Where to write them.
 *
 * Context: Any context.  Takes no lock: each figure is exact, but a
 * concurrent change may show in some and not yet in others (see
 * <kvgrow/group.h>).
 */
void kvg_group_snapshot(const struct kvg_group *g, struct kvg_group_stats *st)
{
	*st = (struct kvg_group_stats){
		.members = atomic_long_read(&g->members),
		.footprint_bytes = atomic_long_read(&g->footprint),
		.peak_footprint_bytes = atomic_long_read(&g->peak_footprint),
		.grows = atomic64_read(&g->grows),
		.shrinks = atomic64_read(&g->shrinks),
		.moved_bytes = atomic64_read(&g->moved_bytes),
		.failed_allocs = atomic64_read(&g->failed_allocs),
		.site = g->site,
	};
}
EXPORT_SYMBOL_GPL(kvg_group_snapshot);

/**
 * kvg_group_set_observer() - Have @obs told before @g ends, or stop it
 * @g: an initialised group
 * @obs: the observer (see <kvgrow/observer.h>), or NULL to clear it
 *
 * Context: any; serialised with kvg_group_destroy() by the group's owner.
 * Return: 0, or -EBUSY when @obs is not NULL and @g has an observer already.
 */
int kvg_group_set_observer(struct kvg_group *g, struct kvg_observer *obs)
{
	if (obs && g->observer)
		return -EBUSY;
	g->observer = obs;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_group_set_observer);

/*
 * A member's footprint goes from @from to @to bytes; with @both, the two
 * blocks exist at once for a moment (a move), which the peak counts.
 */
void kvg_group_charge(struct kvg_group *g, size_t from, size_t to, bool both)
{
	long fp, peak;

	fp = atomic_long_add_return(both ? (long)to : (long)to - (long)from,
				    &g->footprint);
	peak = atomic_long_read(&g->peak_footprint);
	while (fp > peak &&
	       !atomic_long_try_cmpxchg(&g->peak_footprint, &peak, fp))
		;
	if (both)
		atomic_long_sub(from, &g->footprint);
}
