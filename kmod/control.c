// SPDX-License-Identifier: GPL-2.0
/*
 * The control file: one command per write.
 *
 *   create NAME POLICY ELEM_SIZE [HINT]
 *   append NAME N [BATCH]
 *   clip NAME
 *   destroy NAME
 *
 * Fields are separated by single spaces; one trailing newline is allowed.
 * Malformed input is -EINVAL, numbers out of range -ERANGE, a vector over
 * the max_bytes budget -E2BIG; the reason goes to the kernel log
 * (rate-limited) and nothing changes.
 */
#define pr_fmt(fmt) "kvgrow: control: " fmt

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "kvgrow_mod.h"

#define KVG_CONTROL_MAX_ARGS	5
#define KVG_ELEM_SIZE_MAX	65536

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

/* Refuse a vector of @len elements that would hold more than max_bytes. */
static int check_budget(u64 len, size_t elem_size)
{
	u64 bytes;

	if (check_mul_overflow(len, (u64)elem_size, &bytes) ||
	    bytes > READ_ONCE(kvg_max_bytes))
		return reject(-E2BIG, "%llu elements of %zu bytes exceed max_bytes=%lu",
			      len, elem_size, READ_ONCE(kvg_max_bytes));
	return 0;
}

static struct kvg_vec *lookup(const char *name)
{
	struct kvg_vec *v = kvg_registry_find(name);

	if (!v)
		pr_warn_ratelimited("no vector '%s'\n", name);
	return v;
}

static int cmd_create(char **argv, int argc)
{
	struct kvg_policy policy;
	struct kvg_vec *v;
	u64 elem_size, hint = 0;
	int err;

	if (!kvg_name_valid(argv[0]))
		return reject(-EINVAL, "bad name");
	if (kvg_policy_parse(argv[1], &policy))
		return reject(-EINVAL, "unknown policy");
	err = parse_num("elem_size", argv[2], 1, KVG_ELEM_SIZE_MAX, &elem_size);
	if (!err && argc > 3)
		err = parse_num("hint", argv[3], 0, U64_MAX, &hint);
	if (!err)
		err = check_budget(hint, elem_size);
	if (err)
		return err;
	if (kvg_registry_find(argv[0]))
		return reject(-EEXIST, "'%s' exists", argv[0]);

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	err = kvg_vec_make_raw(v, elem_size, policy, hint, GFP_KERNEL);
	if (!err) {
		err = kvg_registry_add(v, argv[0], true);
		if (err)
			kvg_vec_free_raw(v);
	}
	if (err)
		kfree(v);
	return err;
}

static int cmd_append(char **argv, int argc)
{
	struct kvg_vec *v = lookup(argv[0]);
	u64 n, batch = 1, done;
	unsigned int iter = 0;
	int err;

	if (!v)
		return -ENOENT;
	err = parse_num("n", argv[1], 0, U64_MAX, &n);
	if (!err && argc > 2)
		err = parse_num("batch", argv[2], 1, U64_MAX, &batch);
	if (!err)
		err = check_budget(n > U64_MAX - v->len ? U64_MAX : v->len + n,
				   v->elem_size);
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
	struct kvg_vec *v = lookup(argv[0]);

	return v ? kvg_vec_clip_raw(v) : -ENOENT;
}

static int cmd_destroy(char **argv, int argc)
{
	struct kvg_vec *v = lookup(argv[0]);

	if (!v)
		return -ENOENT;
	kvg_registry_del(v);
	return 0;
}

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
