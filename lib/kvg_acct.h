/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library-internal accounting helpers: the per-container seqcount that
 * makes kvg_*_snapshot() consistent, and the charges members make to their
 * group (<kvgrow/group.h>).
 *
 * The owner serialises writers, so a plain seqcount_t suffices.  Write
 * sections only store counters (never allocate or sleep) and run with
 * preemption off, so a reader on another CPU spins for a few stores at
 * most.  The raw_ variants skip lockdep, which would need a key per
 * container.
 */
#ifndef _KVGROW_ACCT_H
#define _KVGROW_ACCT_H

#include <linux/atomic.h>
#include <linux/preempt.h>
#include <linux/seqlock.h>
#include <kvgrow/group.h>
#include "kvg_mem.h"

static inline void kvg_stats_begin(seqcount_t *s)
{
	preempt_disable();
	raw_write_seqcount_begin(s);
}

static inline void kvg_stats_end(seqcount_t *s)
{
	raw_write_seqcount_end(s);
	preempt_enable();
}

void kvg_group_charge(struct kvg_group *g, size_t from, size_t to, bool both);

/* A member of @g (if any) resized its storage, by a grow or a shrink. */
static inline void kvg_group_resized(struct kvg_group *g, size_t from,
				     size_t to, bool both, bool grow, u64 moved)
{
	if (!g)
		return;
	kvg_group_charge(g, from, to, both);
	atomic64_inc(grow ? &g->grows : &g->shrinks);
	if (moved)
		atomic64_add(moved, &g->moved_bytes);
}

static inline void kvg_group_failed(struct kvg_group *g)
{
	if (g)
		atomic64_inc(&g->failed_allocs);
}

/* A container with @footprint bytes joins or leaves @g. */
static inline void kvg_group_join(struct kvg_group *g, size_t footprint)
{
	atomic_long_inc(&g->members);
	kvg_group_charge(g, 0, footprint, false);
}

static inline void kvg_group_leave(struct kvg_group *g, size_t footprint)
{
	if (!g)
		return;
	kvg_group_charge(g, footprint, 0, false);
	atomic_long_dec(&g->members);
}

#endif /* _KVGROW_ACCT_H */
