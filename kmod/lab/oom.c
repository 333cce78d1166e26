// SPDX-License-Identifier: GPL-2.0
/*
 * scenario-oom's loop, shared by kvgrow_lab and kvgrow-sim (see oom.h).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include "oom.h"

const struct kvg_oom_run kvg_oom_runs[4] = {
	{ "factor:3/2", KVG_POLICY_FACTOR_OF(3, 2), false },
	{ "kvg", KVG_POLICY(KVG), false },
	{ "factor:3/2+pages", KVG_POLICY_FACTOR_OF(3, 2), true },
	{ "kvg+pages", KVG_POLICY(KVG), true },
};

/*
 * kvg_oom_append() - One run: from a 16-element hint, append u64s one at
 * a time to @n while the transient peak of the next growth
 * (kvg_vec_resize_peak(): old and new block during a move; for a
 * page-backed vector, the new pages and the remap's page list) stays
 * within @budget.  @pause, if set, is called after each append and stops
 * the run with its error.  On success @st holds the vector's last figures
 * and @fits whether it reached @n; the vector is freed either way.
 */
int kvg_oom_append(const struct kvg_oom_run *run, u64 n, u64 budget,
		   gfp_t gfp, int (*pause)(u64 done),
		   struct kvg_vec_stats *st, bool *fits)
{
	struct kvg_vec v = { };
	size_t next, len = 0;
	int err;

	*fits = true;
	err = kvg_vec_make_pages_site(&v, sizeof(u64), run->policy, 16, gfp,
				      run->pages, NULL);
	while (!err && len < n) {
		if (len == v.cap &&
		    (kvg_vec_predict_cap(&v, 1, 1, SIZE_MAX, &next) ||
		     kvg_vec_resize_peak(&v, next) > budget)) {
			*fits = false;
			break;
		}
		err = kvg_vec_extend_raw(&v, 1);
		len++;
		if (!err && pause)
			err = pause(len);
	}
	if (!err)
		kvg_vec_snapshot_raw(&v, st);
	kvg_vec_free_raw(&v);
	return err;
}
