// SPDX-License-Identifier: GPL-2.0
/*
 * The control file, /sys/kernel/debug/kvgrow-lab/control: one command per
 * write.
 *
 *   create NAME POLICY ELEM_SIZE [HINT]	a vector
 *   append NAME N [BATCH]
 *   clip NAME
 *   map-create NAME [HINT [kvg|go]]		a u64 -> u64 map
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
 * Fields are separated by single spaces; one trailing newline is allowed.
 * Malformed input is -EINVAL, numbers out of range -ERANGE, a vector over
 * the max_bytes budget -E2BIG, a name of another module's container
 * -EPERM; the reason goes to the kernel log (rate-limited) and nothing
 * changes.
 */
#define pr_fmt(fmt) "kvgrow_lab: control: " fmt

#include <linux/bits.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/mix.h>
#include "lab.h"

#define KVG_CONTROL_MAX_ARGS	5
#define KVG_ELEM_SIZE_MAX	65536
/* Containers made here fail with -ENOMEM rather than wake the OOM killer. */
#define KVG_CONTROL_GFP		(GFP_KERNEL | __GFP_RETRY_MAYFAIL)
/* What the budget counts per map entry: slots at half load, overflow. */
#define KVG_MAP_ENTRY_BUDGET	64
/* map-churn keys start here, clear of any range map-insert is given. */
#define KVG_CHURN_BASE		BIT_ULL(62)

#define reject(err, fmt, ...)						\
({									\
	pr_warn_ratelimited(fmt "\n", ##__VA_ARGS__);			\
	(err);								\
})

/*
 * A decimal number in [@min, @max]: -EINVAL if malformed or below @min (a
 * zero element size is meaningless), -ERANGE if it overflows or is above
 * @max.
 */
static int parse_num(const char *what, const char *s, u64 min, u64 max,
		     u64 *out)
{
	int err;

	if (!isdigit(*s))
		return reject(-EINVAL, "%s: not a decimal number", what);
	err = kstrtou64(s, 10, out);
	if (err)
		return reject(err, "%s: %s", what,
			      err == -ERANGE ? "too large" : "not a number");
	if (*out < min)
		return reject(-EINVAL, "%s: %llu is below %llu", what, *out, min);
	if (*out > max)
		return reject(-ERANGE, "%s: %llu is above %llu", what, *out, max);
	return 0;
}

/* A container made here; under kvg_lab_lock. */
struct lab_obj {
	struct list_head node;
	bool is_map;
	union {
		struct kvg_vec vec;
		struct kvg_map map;
	};
	u64 churn_next;		/* maps: the next key map-churn inserts */
	char name[KVG_NAME_MAX + 1];
};

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
	}
	return o;
}

/* A new container's name: valid, and not taken here or by another module. */
static int check_new_name(const char *name)
{
	if (!kvg_registry_name_valid(name))
		return reject(-EINVAL, "bad name");
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

	mutex_lock(&kvg_lab_lock);
	list_for_each_entry_safe(o, tmp, &lab_objs, node)
		free_obj(o);
	mutex_unlock(&kvg_lab_lock);
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

static int cmd_create(char **argv, int argc)
{
	struct kvg_policy policy;
	struct lab_obj *o;
	u64 elem_size, hint = 0;
	size_t cap;
	int err;

	err = check_new_name(argv[0]);
	if (!err && kvg_policy_parse(argv[1], &policy))
		err = reject(-EINVAL, "unknown policy");
	if (!err)
		err = parse_num("elem_size", argv[2], 1, KVG_ELEM_SIZE_MAX, &elem_size);
	if (!err && argc > 3)
		err = parse_num("hint", argv[3], 0, U64_MAX, &hint);
	if (!err)
		err = check_budget(hint, elem_size);
	if (!err && kvg_policy_fit(policy, hint, elem_size, &cap))
		err = reject(-E2BIG, "hint %llu too large", hint);
	if (!err)
		err = check_budget(cap, elem_size);
	if (err)
		return err;

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	strscpy(o->name, argv[0], sizeof(o->name));
	err = kvg_vec_make_site(&o->vec, elem_size, policy, hint,
				KVG_CONTROL_GFP, KVG_SITE());
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

static int cmd_append(char **argv, int argc)
{
	u64 n, batch = 1, done, max_cap;
	struct lab_obj *o;
	size_t cap;
	int err;

	o = lookup(argv[0], false, &err);
	if (!o)
		return err;
	err = parse_num("n", argv[1], 0, U64_MAX, &n);
	if (!err && argc > 2)
		err = parse_num("batch", argv[2], 1, U64_MAX, &batch);
	if (err)
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
	 * stops them part way, and what was appended stays.
	 */
	for (done = 0; !err && done < n; done += batch) {
		err = kvg_vec_extend_raw(&o->vec, min(batch, n - done));
		if (!err)
			err = kvg_lab_pause(done / batch + 1);
	}
	return err;
}

static int cmd_clip(char **argv, int argc)
{
	struct lab_obj *o;
	int err;

	o = lookup(argv[0], false, &err);
	return o ? kvg_vec_clip_raw(&o->vec) : err;
}

static int cmd_destroy(char **argv, int argc)
{
	struct lab_obj *o = find_obj(argv[0]);
	int err;

	if (!o) {
		err = kvg_registry_name_used(argv[0]) ? -EPERM : -ENOENT;
		pr_warn_ratelimited("'%s': %s\n", argv[0], err == -EPERM ?
				    "belongs to another module" : "no container");
		return err;
	}
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

static int cmd_map_create(char **argv, int argc)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64),
		.val_size = sizeof(u64),
		.gfp = KVG_CONTROL_GFP,
	};
	struct lab_obj *o;
	u64 hint = 0;
	int err;

	err = check_new_name(argv[0]);
	if (!err && argc > 1)
		err = parse_num("hint", argv[1], 0, U64_MAX, &hint);
	if (!err && hint > READ_ONCE(kvg_lab_max_bytes) / KVG_MAP_ENTRY_BUDGET)
		err = reject(-E2BIG, "hint %llu exceeds max_bytes", hint);
	if (!err && argc > 2) {
		if (!strcmp(argv[2], "go"))
			cfg.flags = KVG_MAP_GO_COMPAT;
		else if (strcmp(argv[2], "kvg"))
			err = reject(-EINVAL, "mode is kvg or go");
	}
	if (err)
		return err;
	cfg.hint = hint;
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	o->is_map = true;
	o->churn_next = KVG_CHURN_BASE;
	strscpy(o->name, argv[0], sizeof(o->name));
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

/* FIRST and N of map-insert and map-delete. */
static int parse_range(char **argv, u64 *first, u64 *n)
{
	int err = parse_num("first", argv[1], 0, KVG_CHURN_BASE - 1, first);

	if (!err)
		err = parse_num("n", argv[2], 0, KVG_CHURN_BASE - *first, n);
	return err;
}

/* map-insert and map-delete: the keys numbered FIRST .. FIRST + N - 1. */
static int map_range(char **argv, bool insert)
{
	u64 first, n, i, key;
	struct lab_obj *o;
	int err;

	o = lookup(argv[0], true, &err);
	if (!o)
		return err;
	err = parse_range(argv, &first, &n);
	if (!err && insert)
		err = map_check_budget(&o->map, n);
	/* Each insert is atomic; -ENOMEM or -EINTR stops the range part way. */
	for (i = first; !err && i < first + n; i++) {
		key = kvg_mix64(i);
		if (insert)
			err = kvg_map_set(&o->map, &key, &i);
		else
			kvg_map_delete(&o->map, &key);
		if (!err)
			err = kvg_lab_pause(i - first + 1);
	}
	return err;
}

static int cmd_map_insert(char **argv, int argc)
{
	return map_range(argv, true);
}

static int cmd_map_delete(char **argv, int argc)
{
	return map_range(argv, false);
}

static int cmd_map_churn(char **argv, int argc)
{
	u64 window, steps, step, key;
	struct lab_obj *o;
	int err;

	o = lookup(argv[0], true, &err);
	if (!o)
		return err;
	err = parse_num("window", argv[1], 1, U32_MAX, &window);
	if (!err)
		err = parse_num("steps", argv[2], 0, U32_MAX, &steps);
	if (!err)
		err = map_check_budget(&o->map, window);
	for (step = 0; !err && step < steps; step++) {
		key = kvg_mix64(o->churn_next);
		err = kvg_map_set(&o->map, &key, &o->churn_next);
		if (err)
			break;
		if (o->churn_next - KVG_CHURN_BASE >= window) {
			key = kvg_mix64(o->churn_next - window);
			kvg_map_delete(&o->map, &key);
		}
		o->churn_next++;
		err = kvg_lab_pause(step + 1);
	}
	return err;
}

static int cmd_map_shrink(char **argv, int argc)
{
	struct lab_obj *o;
	int err;

	o = lookup(argv[0], true, &err);
	return o ? kvg_map_shrink(&o->map) : err;
}

static int cmd_map_clear(char **argv, int argc)
{
	struct lab_obj *o;
	int err;

	o = lookup(argv[0], true, &err);
	if (!o)
		return err;
	kvg_map_clear(&o->map);
	return 0;
}

/* scenario-*: every argument a number, each in 1..U32_MAX. */
static int cmd_scenario(char **argv, int argc,
			int (*run)(u64 a, u64 b))
{
	u64 a, b;
	int err = parse_num("first argument", argv[0], 1, U32_MAX, &a);

	if (!err)
		err = parse_num("second argument", argv[1], 1, U32_MAX, &b);
	return err ?: run(a, b);
}

#define SCENARIO_CMD(name)						\
static int cmd_scenario_##name(char **argv, int argc)			\
{									\
	return cmd_scenario(argv, argc, kvg_scenario_##name);		\
}

SCENARIO_CMD(policy)
SCENARIO_CMD(oom)
SCENARIO_CMD(churn)
SCENARIO_CMD(retention)
SCENARIO_CMD(nested)

static const struct kvg_cmd {
	const char *name;
	int min_args;
	int max_args;
	int (*fn)(char **argv, int argc);
} kvg_cmds[] = {
	{ "create", 3, 4, cmd_create },
	{ "append", 2, 3, cmd_append },
	{ "clip", 1, 1, cmd_clip },
	{ "destroy", 1, 1, cmd_destroy },
	{ "map-create", 1, 3, cmd_map_create },
	{ "map-insert", 3, 3, cmd_map_insert },
	{ "map-delete", 3, 3, cmd_map_delete },
	{ "map-churn", 3, 3, cmd_map_churn },
	{ "map-shrink", 1, 1, cmd_map_shrink },
	{ "map-clear", 1, 1, cmd_map_clear },
	{ "scenario-policy", 2, 2, cmd_scenario_policy },
	{ "scenario-oom", 2, 2, cmd_scenario_oom },
	{ "scenario-churn", 2, 2, cmd_scenario_churn },
	{ "scenario-retention", 2, 2, cmd_scenario_retention },
	{ "scenario-nested", 2, 2, cmd_scenario_nested },
};

/**
 * kvg_control_exec - run one control command
 * @cmd: the command, NUL-terminated, no newline; split in place
 *
 * Context: process context; takes kvg_lab_lock and may sleep.
 * Return: 0 or a negative errno; on error nothing changed (but for a loop
 * stopped part way by -ENOMEM or -EINTR, which keeps what it did).
 */
int kvg_control_exec(char *cmd)
{
	char *argv[KVG_CONTROL_MAX_ARGS + 1], *tok;
	const struct kvg_cmd *c = NULL;
	int argc = 0, err;
	unsigned int i;

	while ((tok = strsep(&cmd, " ")) != NULL) {
		if (!*tok)
			return reject(-EINVAL, "empty field (double or edge space)");
		if (argc > KVG_CONTROL_MAX_ARGS)
			return reject(-EINVAL, "too many fields");
		argv[argc++] = tok;
	}
	for (i = 0; i < ARRAY_SIZE(kvg_cmds); i++)
		if (!strcmp(argv[0], kvg_cmds[i].name))
			c = &kvg_cmds[i];
	if (!c)
		return reject(-EINVAL, "unknown command");
	if (argc - 1 < c->min_args || argc - 1 > c->max_args)
		return reject(-EINVAL, "%s takes %d to %d arguments, not %d",
			      c->name, c->min_args, c->max_args, argc - 1);

	mutex_lock(&kvg_lab_lock);
	err = c->fn(argv + 1, argc - 1);
	mutex_unlock(&kvg_lab_lock);
	return err;
}
