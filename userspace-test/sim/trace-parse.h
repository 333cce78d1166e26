/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgrow's vector trace events (lib/kvg_trace.h), read back from a tracefs
 * trace file or perf script output: one line at a time, no state.
 */
#ifndef _KVG_TRACE_PARSE_H
#define _KVG_TRACE_PARSE_H

#include <linux/types.h>
#include <kvgrow/policy.h>

enum kvg_tev_kind {
	KVG_TEV_MAKE,		/* kvg_vec_make: need is the hint */
	KVG_TEV_GROW,		/* kvg_vec_grow: need is len + more */
	KVG_TEV_SHRINK,		/* kvg_vec_shrink (a clip): need is len */
	KVG_TEV_FREE,		/* kvg_vec_free: the last state and totals */
};

struct kvg_tev {
	enum kvg_tev_kind kind;
	u64 id;
	bool pages;			/* it may take the page backend */
	struct kvg_policy policy;
	size_t need;			/* not in kvg_vec_free */
	size_t elem_size, len;
	size_t old_cap, cap;		/* kvg_vec_free: old_cap = cap */
	size_t footprint;
	u64 moved;			/* this resize's; the total at free */
	size_t peak;			/* kvg_vec_free only, */
	u64 grows, shrinks;		/* as the vector counted them */
};

/* Returned for a line that is no vector event: skip it. */
#define KVG_TEV_SKIP	1

int kvg_trace_parse(const char *line, struct kvg_tev *ev, char *msg,
		    size_t msg_len);

#endif
