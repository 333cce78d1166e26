// SPDX-License-Identifier: GPL-2.0
/*
 * The control file: one command per write.
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
 * the buckets as real keys do.
 * Fields are separated by single spaces; one trailing newline is allowed.
 * Malformed input is -EINVAL, numbers out of range -ERANGE, a vector over
 * the max_bytes budget -E2BIG; the reason goes to the kernel log
 * (rate-limited) and nothing changes.
 */
#define pr_fmt(fmt) "kvgrow: control: " fmt

#include <linux/bits.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/mix.h>
#include "kvgrow_mod.h"

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

/* Refuse a block of @cap elements bigger than max_bytes. */
int kvg_check_budget(u64 cap, size_t elem_size)
{
	u64 bytes;

	if (check_mul_overflow(cap, (u64)elem_size, &bytes) ||
	    bytes > READ_ONCE(kvg_max_bytes))
		return reject(-E2BIG, "%llu elements of %zu bytes exceed max_bytes=%lu",
			      cap, elem_size, READ_ONCE(kvg_max_bytes));
	return 0;
}

/*
 * The capacity @v reaches when @n elements are appended @batch at a time:
 * the same growth steps as the appends, without allocating.  O(grows).
 */
static int predict_cap(const struct kvg_vec *v, u64 n, u64 batch, u64 *cap)
{
	u64 len = v->len, end, k;
	size_t c = v->cap;
	int err;

	if (check_add_overflow(len, n, &end) || end > SIZE_MAX)
		return reject(-E2BIG, "%llu more elements overflow", n);
	while (len < end) {
		k = min(batch, end - len);
		if (len + k > c) {
			err = kvg_policy_grow(v->policy, c, len + k, v->elem_size,
					      &c);
			if (err)
				return reject(-E2BIG, "growth to %llu elements: %d",
					      len + k, err);
		}
		len += k;
		/* Skip the batches that fit in this capacity. */
		if (len < end && c > len)
			len += min((c - len) / batch, (end - len) / batch) * batch;
	}
	*cap = c;
	return 0;
}

/* The entry @name of @kind, or NULL with the reason logged. */
static struct kvg_entry *lookup(const char *name, enum kvg_kind kind)
{
	struct kvg_entry *e = kvg_registry_find(name);

	if (!e)
		pr_warn_ratelimited("no container '%s'\n", name);
	else if (e->kind != kind)
		pr_warn_ratelimited("'%s' is a %s\n", name,
				    kvg_kind_name(e->kind));
	else if (!e->owned)
		pr_warn_ratelimited("'%s' belongs to another module\n", name);
	return e && e->kind == kind && e->owned ? e : NULL;
}

/* Why lookup() failed: unknown, or the wrong kind, or another's. */
static int lookup_err(const char *name)
{
	struct kvg_entry *e = kvg_registry_find(name);

	if (!e)
		return -ENOENT;
	return e->owned ? -EINVAL : -EPERM;
}

static int cmd_create(char **argv, int argc)
{
	struct kvg_policy policy;
	struct kvg_vec *v;
	u64 elem_size, hint = 0;
	size_t cap;
	int err;

	if (!kvg_name_valid(argv[0]))
		return reject(-EINVAL, "bad name");
	if (kvg_policy_parse(argv[1], &policy))
		return reject(-EINVAL, "unknown policy");
	err = parse_num("elem_size", argv[2], 1, KVG_ELEM_SIZE_MAX, &elem_size);
	if (!err && argc > 3)
		err = parse_num("hint", argv[3], 0, U64_MAX, &hint);
	if (!err)
		err = kvg_check_budget(hint, elem_size);
	if (!err && kvg_policy_fit(policy, hint, elem_size, &cap))
		err = reject(-E2BIG, "hint %llu too large", hint);
	if (!err)
		err = kvg_check_budget(cap, elem_size);
	if (err)
		return err;
	if (kvg_registry_find(argv[0]))
		return reject(-EEXIST, "'%s' exists", argv[0]);

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	err = kvg_vec_make_raw(v, elem_size, policy, hint, KVG_CONTROL_GFP);
	if (!err) {
		v->site = KVG_SITE();
		err = PTR_ERR_OR_ZERO(kvg_registry_add(KVG_KIND_VEC, v,
						       argv[0], NULL, true));
		if (err)
			kvg_vec_free_raw(v);
	}
	if (err)
		kfree(v);
	return err;
}

static int cmd_append(char **argv, int argc)
{
	struct kvg_entry *e = lookup(argv[0], KVG_KIND_VEC);
	u64 n, batch = 1, done, cap;
	unsigned int iter = 0;
	struct kvg_vec *v;
	int err;

	if (!e)
		return lookup_err(argv[0]);
	v = e->vec;
	err = parse_num("n", argv[1], 0, U64_MAX, &n);
	if (!err && argc > 2)
		err = parse_num("batch", argv[2], 1, U64_MAX, &batch);
	if (!err)
		err = predict_cap(v, n, batch, &cap);
	if (!err)
		err = kvg_check_budget(cap, v->elem_size);
	/*
	 * N appends of BATCH elements; only an allocation failure can stop
	 * them part way, and what was appended stays.
	 */
	for (done = 0; !err && done < n; done += batch) {
		err = kvg_vec_extend_raw(v, min(batch, n - done));
		if (!(++iter % 4096))
			cond_resched();
	}
	return err;
}

static int cmd_clip(char **argv, int argc)
{
	struct kvg_entry *e = lookup(argv[0], KVG_KIND_VEC);

	return e ? kvg_vec_clip_raw(e->vec) : lookup_err(argv[0]);
}

static int cmd_destroy(char **argv, int argc)
{
	struct kvg_entry *e = kvg_registry_find(argv[0]);

	if (!e || !e->owned) {
		pr_warn_ratelimited("'%s': %s\n", argv[0],
				    e ? "belongs to another module" : "no container");
		return e ? -EPERM : -ENOENT;
	}
	kvg_registry_del(e);
	return 0;
}

static int map_check_budget(const struct kvg_map *m, u64 more)
{
	u64 n = m->count + more;

	if (more > U64_MAX / 2 || n > READ_ONCE(kvg_max_bytes) / KVG_MAP_ENTRY_BUDGET)
		return reject(-E2BIG, "%llu entries exceed max_bytes=%lu", n,
			      READ_ONCE(kvg_max_bytes));
	return 0;
}

static int cmd_map_create(char **argv, int argc)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64),
		.val_size = sizeof(u64),
		.gfp = KVG_CONTROL_GFP,
	};
	struct kvg_entry *e;
	struct kvg_map *m;
	u64 hint = 0;
	int err = 0;

	if (!kvg_name_valid(argv[0]))
		return reject(-EINVAL, "bad name");
	if (argc > 1)
		err = parse_num("hint", argv[1], 0, U64_MAX, &hint);
	if (!err && hint > READ_ONCE(kvg_max_bytes) / KVG_MAP_ENTRY_BUDGET)
		err = reject(-E2BIG, "hint %llu exceeds max_bytes", hint);
	if (!err && argc > 2) {
		if (!strcmp(argv[2], "go"))
			cfg.flags = KVG_MAP_GO_COMPAT;
		else if (strcmp(argv[2], "kvg"))
			err = reject(-EINVAL, "mode is kvg or go");
	}
	if (err)
		return err;
	if (kvg_registry_find(argv[0]))
		return reject(-EEXIST, "'%s' exists", argv[0]);
	cfg.hint = hint;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	err = kvg_map_init(m, &cfg);
	if (!err) {
		e = kvg_registry_add(KVG_KIND_MAP, m, argv[0],
				     &kvg_registry_lock, true);
		err = PTR_ERR_OR_ZERO(e);
		if (err)
			kvg_map_destroy(m);
		else
			e->churn_next = KVG_CHURN_BASE;
	}
	if (err)
		kfree(m);
	return err;
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
	struct kvg_entry *e = lookup(argv[0], KVG_KIND_MAP);
	u64 first, n, i, key;
	int err;

	if (!e)
		return lookup_err(argv[0]);
	err = parse_range(argv, &first, &n);
	if (!err && insert)
		err = map_check_budget(e->map, n);
	/* Each insert is atomic; -ENOMEM stops the range part way. */
	for (i = first; !err && i < first + n; i++) {
		key = kvg_mix64(i);
		if (insert)
			err = kvg_map_set(e->map, &key, &i);
		else
			kvg_map_delete(e->map, &key);
		if (!((i - first + 1) % 4096))
			cond_resched();
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
	struct kvg_entry *e = lookup(argv[0], KVG_KIND_MAP);
	u64 window, steps, step, key;
	int err;

	if (!e)
		return lookup_err(argv[0]);
	err = parse_num("window", argv[1], 1, U32_MAX, &window);
	if (!err)
		err = parse_num("steps", argv[2], 0, U32_MAX, &steps);
	if (!err)
		err = map_check_budget(e->map, window);
	for (step = 0; !err && step < steps; step++) {
		key = kvg_mix64(e->churn_next);
		err = kvg_map_set(e->map, &key, &e->churn_next);
		if (err)
			break;
		if (e->churn_next - KVG_CHURN_BASE >= window) {
			key = kvg_mix64(e->churn_next - window);
			kvg_map_delete(e->map, &key);
		}
		e->churn_next++;
		if (!((step + 1) % 4096))
			cond_resched();
	}
	return err;
}

static int cmd_map_shrink(char **argv, int argc)
{
	struct kvg_entry *e = lookup(argv[0], KVG_KIND_MAP);

	return e ? kvg_map_shrink(e->map) : lookup_err(argv[0]);
}

static int cmd_map_clear(char **argv, int argc)
{
	struct kvg_entry *e = lookup(argv[0], KVG_KIND_MAP);

	if (!e)
		return lookup_err(argv[0]);
	kvg_map_clear(e->map);
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
 * Return: 0 or a negative errno; on error nothing changed (but for an
 * append stopped part way by -ENOMEM).
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

	mutex_lock(&kvg_registry_lock);
	err = c->fn(argv + 1, argc - 1);
	mutex_unlock(&kvg_registry_lock);
	return err;
}
