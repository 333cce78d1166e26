// SPDX-License-Identifier: GPL-2.0
/*
 * The control file, /sys/kernel/debug/kvgrow-lab/control: one command per
 * write.
 *
 *   create NAME POLICY ELEM_SIZE [HINT]	a vector
 *   append NAME N [BATCH]
 *   clip NAME
 *   map-create NAME [HINT [kvg|go119|go]]	a u64 -> u64 map
 *   map-insert NAME FIRST N			keys FIRST .. FIRST + N - 1
 *   map-delete NAME FIRST N
 *   map-churn NAME WINDOW STEPS		insert a fresh key, delete the
 *						one from WINDOW steps before
 *   map-shrink NAME
 *   map-clear NAME
 *   destroy NAME				a vector or a map
 *   scenario-policy N ELEM_SIZE		the article's scenarios, reported
 *   scenario-oom N BUDGET			in scenarios/ (see scenarios.c)
 *   scenario-churn WINDOW STEPS
 *   scenario-retention BIG_BYTES SMALL_BYTES
 *   scenario-nested KEYS VALUES
 *
 * Map keys are a bijective mix of the key number, so ranges spread over
 * the buckets as real keys do.  Containers made here are registered with
 * kvgrow.ko under their names; commands act only on these.  A command that
 * loops (append, map-insert, map-delete, map-churn, the scenarios) gives
 * the CPU away as it goes and stops with -EINTR, keeping what it did, when
 * its writer is killed.
 * Parsing is parse.c's: a malformed write is -EINVAL, a number out of
 * range -ERANGE.  Here: a name taken -EEXIST, no such container -ENOENT, a
 * vector or map over the max_bytes budget -E2BIG, a name of another
 * module's container -EPERM.  The reason goes to the kernel log
 * (rate-limited) and nothing changes.
 */
#define pr_fmt(fmt) "kvgrow_lab: control: " fmt

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/mix.h>
#include "lab.h"
#include "parse.h"

/* Containers made here fail with -ENOMEM rather than wake the OOM killer. */
#define KVG_CONTROL_GFP		(GFP_KERNEL | __GFP_RETRY_MAYFAIL)
/* What the budget counts per map entry: slots at half load, overflow. */
#define KVG_MAP_ENTRY_BUDGET	64

#define reject(err, fmt, ...)						\
({									\
	pr_warn_ratelimited(fmt "\n", ##__VA_ARGS__);			\
	(err);								\
})

/* A container made here; under kvg_lab_lock. */
struct lab_obj {
	struct list_head node;
	bool is_map;
	union {
		struct kvg_vec vec;
		struct kvg_map map;
	};
	u64 churn_next;		/* maps: the next key map-churn inserts */
	bool busy;		/* a long command runs on it (see lab_pause) */
	char name[KVG_NAME_MAX + 1];
};

/* A scenario runs (see lab_pause): one at a time. */
static bool scenario_busy;

static LIST_HEAD(lab_objs);

static struct lab_obj *find_obj(const char *name)
{
	struct lab_obj *o;

	lockdep_assert_held(&kvg_lab_lock);
	list_for_each_entry(o, &lab_objs, node)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

/*
 * The container @name of the kind asked for, or NULL with *@err set: -ENOENT
 * for no such name, -EPERM for another module's, -EINVAL for the other kind.
 */
static struct lab_obj *lookup(const char *name, bool is_map, int *err)
{
	struct lab_obj *o = find_obj(name);

	if (!o) {
		*err = kvg_registry_name_used(name) ? -EPERM : -ENOENT;
		pr_warn_ratelimited("'%s': %s\n", name, *err == -EPERM ?
				    "belongs to another module" : "no container");
	} else if (o->is_map != is_map) {
		*err = -EINVAL;
		pr_warn_ratelimited("'%s' is a %s\n", name, o->is_map ? "map" : "vector");
		o = NULL;
	} else if (o->busy) {
		*err = reject(-EBUSY, "'%s' is busy: another command runs on it", name);
		o = NULL;
	}
	return o;
}

/* A new container's name (valid, as parsed): not taken here or elsewhere. */
static int check_new_name(const char *name)
{
	if (find_obj(name) || kvg_registry_name_used(name))
		return reject(-EEXIST, "'%s' exists", name);
	return 0;
}

static void free_obj(struct lab_obj *o)
{
	list_del(&o->node);
	/* Both take the container out of kvgrow.ko's registry first. */
	if (o->is_map)
		kvg_map_destroy(&o->map);
	else
		kvg_vec_free_raw(&o->vec);
	kfree(o);
}

/* At unload, after the control file is gone. */
void kvg_control_exit(void)
{
	struct lab_obj *o, *tmp;

	kvg_lab_enter();
	list_for_each_entry_safe(o, tmp, &lab_objs, node)
		free_obj(o);
	kvg_lab_leave();
}

/* Refuse a block of @cap elements bigger than max_bytes. */
static int check_budget(u64 cap, size_t elem_size)
{
	u64 bytes;

	if (check_mul_overflow(cap, (u64)elem_size, &bytes) ||
	    bytes > READ_ONCE(kvg_lab_max_bytes))
		return reject(-E2BIG, "%llu elements of %zu bytes exceed max_bytes=%lu",
			      cap, elem_size, READ_ONCE(kvg_lab_max_bytes));
	return 0;
}

static int cmd_create(const struct kvg_cmd *c)
{
	u64 elem_size = c->num[0], hint = c->num[1];
	struct lab_obj *o;
	size_t cap;
	int err;

	err = check_new_name(c->name);
	if (!err)
		err = check_budget(hint, elem_size);
	if (!err && kvg_policy_fit(c->policy, hint, elem_size, &cap))
		err = reject(-E2BIG, "hint %llu too large", hint);
	if (!err)
		err = check_budget(cap, elem_size);
	if (err)
		return err;

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	strscpy(o->name, c->name, sizeof(o->name));
	/* kvmalloc blocks: the VM suite's figures are kvgrow-sim --no-pages's. */
	err = kvg_vec_make_pages_site(&o->vec, elem_size, c->policy, hint,
				      KVG_CONTROL_GFP, false, KVG_SITE());
	if (!err) {
		err = kvg_register_vec(&o->vec, o->name);
		if (err)
			kvg_vec_free_raw(&o->vec);
	}
	if (err) {
		kfree(o);
		return err;
	}
	list_add_tail(&o->node, &lab_objs);
	return 0;
}

static int cmd_append(const struct kvg_cmd *c)
{
	u64 n = c->num[0], batch = c->num[1], done, max_cap;
	struct lab_obj *o;
	size_t cap;
	int err;

	o = lookup(c->name, false, &err);
	if (!o)
		return err;
	/* Refused before anything is appended; bounded whatever the policy. */
	max_cap = READ_ONCE(kvg_lab_max_bytes) / o->vec.elem_size;
	err = kvg_vec_predict_cap(&o->vec, min_t(u64, n, SIZE_MAX),
				  min_t(u64, batch, SIZE_MAX), max_cap, &cap);
	if (err)
		return reject(-E2BIG, "%llu more elements exceed max_bytes=%lu",
			      n, READ_ONCE(kvg_lab_max_bytes));
	/*
	 * N appends of BATCH elements; an allocation failure or a fatal signal
	 * stops them part way, and what was appended stays.  Busy while the
	 * pauses let other commands in.
	 */
	o->busy = true;
	for (done = 0; !err && done < n; done += batch) {
		err = kvg_vec_extend_raw(&o->vec, min(batch, n - done));
		if (!err)
			err = kvg_lab_pause(done / batch + 1);
	}
	o->busy = false;
	return err;
}

static int cmd_clip(const struct kvg_cmd *c)
{
	struct lab_obj *o;
	int err;

	o = lookup(c->name, false, &err);
	return o ? kvg_vec_clip_raw(&o->vec) : err;
}

static int cmd_destroy(const struct kvg_cmd *c)
{
	struct lab_obj *o = find_obj(c->name);
	int err;

	if (!o) {
		err = kvg_registry_name_used(c->name) ? -EPERM : -ENOENT;
		pr_warn_ratelimited("'%s': %s\n", c->name, err == -EPERM ?
				    "belongs to another module" : "no container");
		return err;
	}
	if (o->busy)
		return reject(-EBUSY, "'%s' is busy: another command runs on it", c->name);
	free_obj(o);
	return 0;
}

static int map_check_budget(const struct kvg_map *m, u64 more)
{
	u64 n = kvg_map_count(m) + more;

	if (more > U64_MAX / 2 ||
	    n > READ_ONCE(kvg_lab_max_bytes) / KVG_MAP_ENTRY_BUDGET)
		return reject(-E2BIG, "%llu entries exceed max_bytes=%lu", n,
			      READ_ONCE(kvg_lab_max_bytes));
	return 0;
}

static int cmd_map_create(const struct kvg_cmd *c)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64),
		.val_size = sizeof(u64),
		.gfp = KVG_CONTROL_GFP,
		.flags = kvg_map_mode_flags[c->map_mode],
	};
	struct lab_obj *o;
	u64 hint = c->num[0];
	int err;

	err = check_new_name(c->name);
	if (!err && hint > READ_ONCE(kvg_lab_max_bytes) / KVG_MAP_ENTRY_BUDGET)
		err = reject(-E2BIG, "hint %llu exceeds max_bytes", hint);
	if (err)
		return err;
	cfg.hint = hint;
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	o->is_map = true;
	o->churn_next = KVG_CMD_CHURN_BASE;
	strscpy(o->name, c->name, sizeof(o->name));
	err = kvg_map_init(&o->map, &cfg);
	if (!err) {
		/* Every change of a lab map happens under kvg_lab_lock. */
		err = kvg_register_map_locked(&o->map, o->name, &kvg_lab_lock);
		if (err)
			kvg_map_destroy(&o->map);
	}
	if (err) {
		kfree(o);
		return err;
	}
	list_add_tail(&o->node, &lab_objs);
	return 0;
}

/* map-insert and map-delete: the keys numbered FIRST .. FIRST + N - 1. */
static int map_range(const struct kvg_cmd *c, bool insert)
{
	u64 first = c->num[0], n = c->num[1], i, key;
	struct lab_obj *o;
	int err;

	o = lookup(c->name, true, &err);
	if (!o)
		return err;
	if (insert)
		err = map_check_budget(&o->map, n);
	/* Each insert is atomic; -ENOMEM or -EINTR stops the range part way. */
	o->busy = true;
	for (i = first; !err && i < first + n; i++) {
		key = kvg_mix64(i);
		if (insert)
			err = kvg_map_set(&o->map, &key, &i);
		else
			kvg_map_delete(&o->map, &key);
		if (!err)
			err = kvg_lab_pause(i - first + 1);
	}
	o->busy = false;
	return err;
}

static int cmd_map_insert(const struct kvg_cmd *c)
{
	return map_range(c, true);
}

static int cmd_map_delete(const struct kvg_cmd *c)
{
	return map_range(c, false);
}

static int cmd_map_churn(const struct kvg_cmd *c)
{
	u64 window = c->num[0], steps = c->num[1], step, key;
	struct lab_obj *o;
	int err;

	o = lookup(c->name, true, &err);
	if (!o)
		return err;
	err = map_check_budget(&o->map, window);
	o->busy = true;
	for (step = 0; !err && step < steps; step++) {
		key = kvg_mix64(o->churn_next);
		err = kvg_map_set(&o->map, &key, &o->churn_next);
		if (err)
			break;
		if (o->churn_next - KVG_CMD_CHURN_BASE >= window) {
			key = kvg_mix64(o->churn_next - window);
			kvg_map_delete(&o->map, &key);
		}
		o->churn_next++;
		err = kvg_lab_pause(step + 1);
	}
	o->busy = false;
	return err;
}

static int cmd_map_shrink(const struct kvg_cmd *c)
{
	struct lab_obj *o;
	int err;

	o = lookup(c->name, true, &err);
	return o ? kvg_map_shrink(&o->map) : err;
}

static int cmd_map_clear(const struct kvg_cmd *c)
{
	struct lab_obj *o;
	int err;

	o = lookup(c->name, true, &err);
	if (!o)
		return err;
	kvg_map_clear(&o->map);
	return 0;
}

/* Run @fn(@a, @b) as the one scenario running. */
static int run_scenario(int (*fn)(u64 a, u64 b), u64 a, u64 b)
{
	int err;

	if (scenario_busy)
		return reject(-EBUSY, "a scenario is running");
	scenario_busy = true;
	err = fn(a, b);
	scenario_busy = false;
	return err;
}

#define SCENARIO_CMD(name)						\
static int cmd_scenario_##name(const struct kvg_cmd *c)			\
{									\
	return run_scenario(kvg_scenario_##name, c->num[0], c->num[1]);	\
}

SCENARIO_CMD(policy)
SCENARIO_CMD(oom)
SCENARIO_CMD(churn)
SCENARIO_CMD(retention)
SCENARIO_CMD(nested)

static int (*const cmd_fns[KVG_CMD_NR])(const struct kvg_cmd *c) = {
	[KVG_CMD_CREATE] = cmd_create,
	[KVG_CMD_APPEND] = cmd_append,
	[KVG_CMD_CLIP] = cmd_clip,
	[KVG_CMD_DESTROY] = cmd_destroy,
	[KVG_CMD_MAP_CREATE] = cmd_map_create,
	[KVG_CMD_MAP_INSERT] = cmd_map_insert,
	[KVG_CMD_MAP_DELETE] = cmd_map_delete,
	[KVG_CMD_MAP_CHURN] = cmd_map_churn,
	[KVG_CMD_MAP_SHRINK] = cmd_map_shrink,
	[KVG_CMD_MAP_CLEAR] = cmd_map_clear,
	[KVG_CMD_SCENARIO_POLICY] = cmd_scenario_policy,
	[KVG_CMD_SCENARIO_OOM] = cmd_scenario_oom,
	[KVG_CMD_SCENARIO_CHURN] = cmd_scenario_churn,
	[KVG_CMD_SCENARIO_RETENTION] = cmd_scenario_retention,
	[KVG_CMD_SCENARIO_NESTED] = cmd_scenario_nested,
};

/**
 * kvg_control_exec() - Parse and run one write to the control file
 * @buf: the bytes written
 * @len: how many; kvg_cmd_parse() refuses more than KVG_CMD_LEN_MAX
 *
 * Context: process context; takes kvg_lab_lock and may sleep.
 * Return: 0 or a negative errno; on error nothing changed (but for a loop
 * stopped part way by -ENOMEM or -EINTR, which keeps what it did).
 */
int kvg_control_exec(const char *buf, size_t len)
{
	struct kvg_cmd cmd;
	const char *why;
	int err;

	err = kvg_cmd_parse(buf, len, &cmd, &why);
	if (err)
		return reject(err, "%s", why);
	kvg_lab_enter();
	err = cmd_fns[cmd.op](&cmd);
	kvg_lab_leave();
	return err;
}
