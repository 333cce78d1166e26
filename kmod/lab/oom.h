/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scenario-oom's runs, in one place for kvgrow_lab (scenarios.c) and for
 * kvgrow-sim's oom command, which replays them on the host: the file is
 * pure library code, so it compiles unchanged in both worlds.
 */
#ifndef _KVG_LAB_OOM_H
#define _KVG_LAB_OOM_H

#include <linux/types.h>
#include <kvgrow/policy.h>
#include <kvgrow/vec.h>

/* The report's columns; kvgrow_lab adds the run's time, ns, at the end. */
#define KVG_OOM_HEADER	"policy\tn_reached\tgrows\tmoved_bytes\tpeak_footprint\t" \
			"data_bytes\tpeak_x100\tbudget\tfits"

struct kvg_oom_run {
	const char *name;
	struct kvg_policy policy;
	bool pages;		/* the vector may use the page backend */
};

/* The article's x1.5 and kvg, each copying and page-backed. */
extern const struct kvg_oom_run kvg_oom_runs[4];

int kvg_oom_append(const struct kvg_oom_run *run, u64 n, u64 budget,
		   gfp_t gfp, int (*pause)(u64 done),
		   struct kvg_vec_stats *st, bool *fits);

#endif /* _KVG_LAB_OOM_H */
