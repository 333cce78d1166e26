// SPDX-License-Identifier: GPL-2.0
/*
 * The article's scenarios, run in the kernel through the control file.
 * Each writes TAB-separated reports with a header line into
 * /sys/kernel/debug/kvgrow-lab/scenarios/; see README.md for the columns.
 *
 *   policy     every policy appending N elements one at a time (growth
 *              rows sampled: one per capacity increase of 1% or more)
 *   oom        x1.5 from a 16-element hint against kvg, under a budget,
 *              copying and page-backed
 *   churn      a sliding-window map, Go 1.19's behaviour against kvgrow's
 *   retention  a small range kept from a big vector, against clone_range
 *   nested     a map of vectors (Go's map[K][]V), accounted as one group
 *
 * Scenarios run with kvg_lab_lock held, like every control command; the
 * report files take it to read.  Reports are kvgrow vectors of chars.
 */
#define pr_fmt(fmt) "kvgrow_lab: scenario: " fmt

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/mix.h>
#include "lab.h"
#include "oom.h"
#include "parse.h"

DECLARE_KVG_VEC(kvg_text, char);

enum {
	R_POLICY, R_POLICY_GROWTH, R_OOM, R_CHURN, R_CHURN_SERIES,
	R_RETENTION, R_NESTED, R_NR,
};

static const char * const report_names[R_NR] = {
	[R_POLICY] = "policy",
	[R_POLICY_GROWTH] = "policy-growth",
	[R_OOM] = "oom",
	[R_CHURN] = "churn",
	[R_CHURN_SERIES] = "churn-series",
	[R_RETENTION] = "retention",
	[R_NESTED] = "nested",
};

static union kvg_text reports[R_NR];

/* Policy @kind as the policy scenario runs it: the factor one as x1.5. */
static struct kvg_policy scenario_policy(unsigned int kind)
{
	if (kind == KVG_POLICY_FACTOR)
		return KVG_POLICY_FACTOR_OF(3, 2);
	return (struct kvg_policy){ .kind = kind };
}

#define GFP_SCENARIO	(GFP_KERNEL | __GFP_RETRY_MAYFAIL)

/* Append a formatted line to report @r; -ENOMEM if it cannot grow. */
static __printf(2, 3) int report(unsigned int r, const char *fmt, ...)
{
	char line[192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return kvg_vec_append(&reports[r], line, n);
}

/* Start report @r afresh with its header. */
static int report_begin(unsigned int r, const char *header)
{
	if (!reports[r].raw.elem_size && kvg_vec_init(&reports[r], GFP_KERNEL))
		return -ENOMEM;
	kvg_vec_truncate(&reports[r], 0);
	return report(r, "%s\n", header);
}

static int report_show(struct seq_file *m, void *unused)
{
	union kvg_text *t = m->private;

	kvg_lab_enter();
	if (t->len)
		seq_write(m, t->data, t->len);
	kvg_lab_leave();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(report);

int kvg_scenarios_init(struct dentry *parent)
{
	struct dentry *dir = debugfs_create_dir("scenarios", parent);
	unsigned int r;

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	for (r = 0; r < R_NR; r++)
		debugfs_create_file(report_names[r], 0400, dir, &reports[r],
				    &report_fops);
	return 0;
}

/* After the files are gone: no reader is left. */
static void nested_drop_all(void);

void kvg_scenarios_exit(void)
{
	unsigned int r;

	kvg_lab_enter();
	nested_drop_all();
	kvg_lab_leave();

	for (r = 0; r < R_NR; r++)
		kvg_vec_free(&reports[r]);
}

/* -E2BIG unless @count things of @size bytes fit max_bytes (no wrap). */
static int too_big(const char *what, u64 count, u64 size)
{
	u64 bytes;

	if (!check_mul_overflow(count, size, &bytes) &&
	    bytes <= READ_ONCE(kvg_lab_max_bytes))
		return 0;
	pr_warn_ratelimited("%s: %llu x %llu bytes exceed max_bytes=%lu\n", what,
			    count, size, READ_ONCE(kvg_lab_max_bytes));
	return -E2BIG;
}

static void policy_name(struct kvg_policy p, char *buf)
{
	kvg_policy_name(p, buf, KVG_POLICY_NAME_MAX);
}

int kvg_scenario_policy(u64 n, u64 elem_size)
{
	char name[KVG_POLICY_NAME_MAX];
	struct kvg_vec_stats st;
	size_t cap, shown;
	struct kvg_vec v;
	unsigned int i;
	u64 k;
	int err;

	if (too_big("policy", n, elem_size * 2))
		return -E2BIG;
	err = report_begin(R_POLICY, "policy\tn\telem_size\tcap\tgrows\tmoved_bytes\t"
			   "footprint\tslack\tpeak_footprint");
	if (!err)
		err = report_begin(R_POLICY_GROWTH, "policy\tlen\tcap\tfootprint");
	for (i = 0; !err && i < KVG_POLICY_NR; i++) {
		policy_name(scenario_policy(i), name);
		err = kvg_vec_init_raw(&v, elem_size, scenario_policy(i),
				       GFP_SCENARIO);
		/* The policies' own story: kvmalloc blocks, moved by copies. */
		if (!err)
			err = kvg_vec_set_pages_raw(&v, false);
		/* A growth row when the capacity grew by 1% or more since. */
		for (k = 0, shown = 0; !err && k < n; k++) {
			cap = v.cap;
			err = kvg_vec_extend_raw(&v, 1);
			if (!err && v.cap != cap && v.cap * 100 >= shown * 101) {
				shown = v.cap;
				kvg_vec_snapshot_raw(&v, &st);
				err = report(R_POLICY_GROWTH, "%s\t%llu\t%zu\t%zu\n",
					     name, k, st.cap, st.footprint_bytes);
			}
			if (!err)
				err = kvg_lab_pause(k + 1);
		}
		if (!err) {
			kvg_vec_snapshot_raw(&v, &st);
			err = report(R_POLICY, "%s\t%llu\t%llu\t%zu\t%llu\t%llu\t%zu\t%zu\t%zu\n",
				     name, n, elem_size, st.cap, st.grows,
				     st.moved_bytes, st.footprint_bytes,
				     st.slack_bytes, st.peak_footprint_bytes);
		}
		kvg_vec_free_raw(&v);
	}
	return err;
}

/*
 * One run of kvg_oom_runs (oom.c, which kvgrow-sim's oom command shares),
 * reported with its time: the last column, ns, is a figure to compare the
 * backends by in one run (scripts/e2e-pages.sh prints the ratio), never a
 * check.
 */
static int oom_run(const struct kvg_oom_run *run, u64 n, u64 budget)
{
	struct kvg_vec_stats st;
	u64 t0 = ktime_get_ns();
	bool fits;
	int err;

	err = kvg_oom_append(run, n, budget, GFP_SCENARIO, kvg_lab_pause, &st,
			     &fits);
	if (err)
		return err;
	return report(R_OOM, "%s\t%zu\t%llu\t%llu\t%zu\t%zu\t%llu\t%llu\t%s\t%llu\n",
		      run->name, st.len, st.grows, st.moved_bytes,
		      st.peak_footprint_bytes, st.live_bytes,
		      st.live_bytes ? st.peak_footprint_bytes * 100ULL / st.live_bytes : 0,
		      budget, fits ? "yes" : "no", ktime_get_ns() - t0);
}

/*
 * The article's x1.5 and kvg, each copying (kvmalloc blocks) and
 * page-backed (lib/vec_pages.c: a growth keeps its pages, so the peak is
 * the new size, not old plus new).
 */
int kvg_scenario_oom(u64 n, u64 budget)
{
	unsigned int i;
	int err;

	if (too_big("oom budget", budget, 1))
		return -E2BIG;
	err = report_begin(R_OOM, KVG_OOM_HEADER "\tns");
	for (i = 0; !err && i < ARRAY_SIZE(kvg_oom_runs); i++)
		err = oom_run(&kvg_oom_runs[i], n, budget);
	return err;
}

static int churn_run(const char *mode, unsigned int flags, u64 window,
		     u64 steps)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = sizeof(u64),
		.gfp = GFP_SCENARIO, .flags = flags,
	};
	u64 step, key, sum = 0, every = max(steps / 200, 1ULL);
	struct kvg_map_stats st = { };
	size_t max_over = 0;
	struct kvg_map m;
	int err;

	err = kvg_map_init(&m, &cfg);
	for (step = 0; !err && step < steps; step++) {
		key = kvg_mix64(step);
		err = kvg_map_set(&m, &key, &step);
		if (!err && step >= window) {
			key = kvg_mix64(step - window);
			kvg_map_delete(&m, &key);
		}
		kvg_map_snapshot(&m, &st);
		sum += st.overflow;
		max_over = max(max_over, st.overflow);
		if (!err && !(step % every))
			err = report(R_CHURN_SERIES, "%llu\t%s\t%zu\t%zu\n", step,
				     mode, st.overflow, st.footprint_bytes);
		if (!err)
			err = kvg_lab_pause(step + 1);
	}
	if (!err) {
		kvg_map_snapshot(&m, &st);
		err = report(R_CHURN, "%s\t%llu\t%llu\t%zu\t%llu\t%zu\t%llu\t%llu\t%zu\t%zu\n",
			     mode, window, steps, st.buckets,
			     steps ? sum * 100 / steps : 0, max_over,
			     st.same_size_grows, st.shrinks,
			     st.peak_footprint_bytes, st.footprint_bytes);
	}
	kvg_map_destroy(&m);
	return err;
}

int kvg_scenario_churn(u64 window, u64 steps)
{
	int mode, err;

	if (too_big("churn", window, 64))
		return -E2BIG;
	err = report_begin(R_CHURN, "mode\twindow\tsteps\tbuckets\tmean_overflow_x100\t"
			   "max_overflow\tsame_size_grows\tshrinks\tpeak_footprint\t"
			   "final_footprint");
	if (!err)
		err = report_begin(R_CHURN_SERIES, "step\tmode\toverflow\tfootprint");
	for (mode = KVG_MAP_MODE_GO; !err && mode >= 0; mode--)
		err = churn_run(kvg_map_mode_name[mode], kvg_map_mode_flags[mode],
				window, steps);
	return err;
}

int kvg_scenario_retention(u64 big_bytes, u64 small_bytes)
{
	struct kvg_vec big, small;
	struct kvg_vec_stats st;
	u64 n = big_bytes / sizeof(u64), k = small_bytes / sizeof(u64);
	int err;

	if (too_big("retention", big_bytes, 1))
		return -E2BIG;
	err = report_begin(R_RETENTION, "method\tlive_bytes\tfootprint");
	if (!err)
		err = kvg_vec_make_raw(&big, sizeof(u64), KVG_POLICY(GO119), n,
				       GFP_SCENARIO);
	if (err)
		return err;
	err = kvg_vec_extend_raw(&big, n);
	/* A view of the first k elements keeps the whole block alive. */
	if (!err) {
		kvg_vec_snapshot_raw(&big, &st);
		err = report(R_RETENTION, "view\t%llu\t%zu\n", k * sizeof(u64),
			     st.footprint_bytes);
	}
	if (!err)
		err = kvg_vec_clone_range_raw(&small, &big, 0, k, GFP_SCENARIO);
	kvg_vec_free_raw(&big);
	if (err)
		return err;
	kvg_vec_snapshot_raw(&small, &st);
	err = report(R_RETENTION, "clone\t%zu\t%zu\n", st.live_bytes,
		     st.footprint_bytes);
	kvg_vec_free_raw(&small);
	return err;
}

/*
 * The last nested run's map of vectors per policy, kept as registered
 * groups (group/nested-<policy>, a row of summary) until the next run or
 * unload.  With kvg_lab_lock held.
 */
static struct kvg_nested {
	struct kvg_group group;
	struct kvg_map map;
	bool live;
} nested[2];

static void nested_drop(struct kvg_nested *n)
{
	struct kvg_map_iter it;
	void *key, *val;

	lockdep_assert_held(&kvg_lab_lock);
	if (!n->live)
		return;
	/* Out of debugfs first: then no reader sees the members go. */
	kvg_unregister_group(&n->group);
	kvg_map_iter_start(&it, &n->map);
	while (kvg_map_iter_next(&it, &key, &val))
		kvg_vec_free_raw(val);
	kvg_map_iter_stop(&it);
	kvg_map_destroy(&n->map);
	kvg_group_destroy(&n->group);
	n->live = false;
}

static void nested_drop_all(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nested); i++)
		nested_drop(&nested[i]);
}

static int nested_run(struct kvg_nested *n, struct kvg_policy p, u64 keys,
		      u64 values)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = sizeof(struct kvg_vec),
		.gfp = GFP_SCENARIO,
	};
	char policy[KVG_POLICY_NAME_MAX], name[KVG_NAME_MAX + 1];
	struct kvg_group_stats gs;
	struct kvg_map_stats ms;
	u64 i, key, data;
	void *slot;
	int err;

	nested_drop(n);
	policy_name(p, policy);
	snprintf(name, sizeof(name), "nested-%s", policy);
	kvg_group_init(&n->group);
	err = kvg_map_init(&n->map, &cfg);
	if (err)
		return err;
	n->live = true;
	kvg_map_join_group(&n->map, &n->group);
	err = kvg_register_group(&n->group, name);
	if (err) {
		nested_drop(n);
		return err;
	}
	/* One value at a time, key after key: each vector grows on its own. */
	for (i = 0; err >= 0 && i < keys * values; i++) {
		key = kvg_mix64(i % keys);
		err = kvg_map_assign(&n->map, &key, &slot);
		if (err == 1) {
			err = kvg_vec_init_raw(slot, sizeof(u64), p,
					       GFP_SCENARIO);
			if (!err)
				err = kvg_vec_join_group_raw(slot, &n->group);
		}
		if (err >= 0)
			err = kvg_vec_extend_raw(slot, 1);
		if (!err)
			err = kvg_lab_pause(i + 1);
	}
	if (err < 0) {
		nested_drop(n);
		return err;
	}
	kvg_map_snapshot(&n->map, &ms);
	kvg_group_snapshot(&n->group, &gs);
	data = keys * sizeof(u64) * (1 + values);
	return report(R_NESTED, "%s\t%llu\t%llu\t%llu\t%zu\t%zu\t%zu\t%llu\t%ld\t%zu\t%s\n",
		      policy, keys, values, data, ms.footprint_bytes,
		      gs.footprint_bytes - ms.footprint_bytes,
		      gs.footprint_bytes, gs.footprint_bytes * 100ULL / data,
		      gs.members, gs.peak_footprint_bytes, name);
}

int kvg_scenario_nested(u64 keys, u64 values)
{
	int err;

	/* values <= U32_MAX: the size of one key's share cannot wrap. */
	if (too_big("nested", keys, values * sizeof(u64) * 4 + 256))
		return -E2BIG;
	err = report_begin(R_NESTED, "policy\tkeys\tvalues_per_key\tdata_bytes\t"
			   "map_footprint\tvectors_footprint\tgroup_footprint\t"
			   "ratio_x100\tmembers\tgroup_peak_footprint\tgroup");
	if (!err)
		err = nested_run(&nested[0], KVG_POLICY(GO119), keys, values);
	if (!err)
		err = nested_run(&nested[1], KVG_POLICY(KVG), keys, values);
	return err;
}
