// SPDX-License-Identifier: GPL-2.0
/*
 * The control file's parser: one write's bytes to a struct kvg_cmd (see
 * parse.h; control.c runs it).  Everything a command can be refused for
 * without looking at the lab's containers or its max_bytes budget is
 * refused here.
 *
 * A write is one command of 1 to KVG_CMD_LEN_MAX bytes, no NUL byte, one
 * trailing newline allowed.  Fields are separated by single spaces: no tab,
 * no CR, no leading, trailing or double space.  Numbers are decimal digits
 * only: no sign, no 0x, leading zeros allowed.  A malformed write is
 * -EINVAL, and so is a number below its minimum (a zero element size means
 * nothing); a number above its maximum is -ERANGE.
 *
 * Names are kvg_name_valid()'s.  They need not avoid the names of kvgrow's
 * debugfs files: a container's files are vec/NAME, map/NAME, buckets/NAME,
 * each kind in a directory of its own, so a vector called "summary" or
 * "vec" clashes with nothing.
 */
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/string.h>
#include <kvgrow/map.h>
#include "parse.h"

const char * const kvg_map_mode_name[KVG_MAP_MODE_NR] = {
	[KVG_MAP_MODE_KVG] = "kvg",
	[KVG_MAP_MODE_GO119] = "go119",
	[KVG_MAP_MODE_GO] = "go",
};

const unsigned int kvg_map_mode_flags[KVG_MAP_MODE_NR] = {
	[KVG_MAP_MODE_KVG] = 0,
	[KVG_MAP_MODE_GO119] = KVG_MAP_GO119,
	[KVG_MAP_MODE_GO] = KVG_MAP_GO_COMPAT,
};

/* The most fields a command has: its name and four arguments. */
#define MAX_FIELDS	5
/* Digits of U64_MAX. */
#define U64_DIGITS	20

enum arg_kind { ARG_NAME, ARG_POLICY, ARG_NUM, ARG_MODE };

struct arg_spec {
	enum arg_kind kind;
	u64 min, max;		/* ARG_NUM: its range; */
	u64 def;		/* its value when an optional one is absent */
	const char *why;	/* the reason it is refused */
};

#define NAME		{ .kind = ARG_NAME }
#define POLICY		{ .kind = ARG_POLICY }
#define MODE		{ .kind = ARG_MODE }
#define NUM_DEF(what, lo, hi, text, d)					\
	{ .kind = ARG_NUM, .min = (lo), .max = (hi), .def = (d),	\
	  .why = what ": not a decimal number in " text }
#define NUM(what, lo, hi, text)	NUM_DEF(what, lo, hi, text, 0)

#define ELEM_SIZE_MAX	65536
/* A scenario's churn holds no more memory as it runs longer: bound its time. */
#define CHURN_STEPS_MAX	10000000

static const struct cmd_spec {
	const char *usage;	/* the command's name, then its arguments */
	unsigned int min_args, max_args;
	struct arg_spec args[MAX_FIELDS - 1];
} cmd_specs[KVG_CMD_NR] = {
	[KVG_CMD_CREATE] = { "create NAME POLICY ELEM_SIZE [HINT]", 3, 4, {
		NAME, POLICY, NUM("ELEM_SIZE", 1, ELEM_SIZE_MAX, "1..65536"),
		NUM("HINT", 0, U64_MAX, "0..U64_MAX") } },
	[KVG_CMD_APPEND] = { "append NAME N [BATCH]", 2, 3, {
		NAME, NUM("N", 0, U64_MAX, "0..U64_MAX"),
		NUM_DEF("BATCH", 1, U64_MAX, "1..U64_MAX", 1) } },
	[KVG_CMD_CLIP] = { "clip NAME", 1, 1, { NAME } },
	[KVG_CMD_DESTROY] = { "destroy NAME", 1, 1, { NAME } },
	[KVG_CMD_MAP_CREATE] = { "map-create NAME [HINT [kvg|go119|go]]", 1, 3, {
		NAME, NUM("HINT", 0, U64_MAX, "0..U64_MAX"), MODE } },
	[KVG_CMD_MAP_INSERT] = { "map-insert NAME FIRST N", 3, 3, {
		NAME, NUM("FIRST", 0, KVG_CMD_CHURN_BASE - 1, "0..2^62-1"),
		NUM("N", 0, KVG_CMD_CHURN_BASE, "0..2^62-FIRST") } },
	[KVG_CMD_MAP_DELETE] = { "map-delete NAME FIRST N", 3, 3, {
		NAME, NUM("FIRST", 0, KVG_CMD_CHURN_BASE - 1, "0..2^62-1"),
		NUM("N", 0, KVG_CMD_CHURN_BASE, "0..2^62-FIRST") } },
	[KVG_CMD_MAP_CHURN] = { "map-churn NAME WINDOW STEPS", 3, 3, {
		NAME, NUM("WINDOW", 1, U32_MAX, "1..U32_MAX"),
		NUM("STEPS", 0, U32_MAX, "0..U32_MAX") } },
	[KVG_CMD_MAP_SHRINK] = { "map-shrink NAME", 1, 1, { NAME } },
	[KVG_CMD_MAP_CLEAR] = { "map-clear NAME", 1, 1, { NAME } },
	[KVG_CMD_SCENARIO_POLICY] = { "scenario-policy N ELEM_SIZE", 2, 2, {
		NUM("N", 1, U32_MAX, "1..U32_MAX"),
		NUM("ELEM_SIZE", 1, ELEM_SIZE_MAX, "1..65536") } },
	[KVG_CMD_SCENARIO_OOM] = { "scenario-oom N BUDGET", 2, 2, {
		NUM("N", 1, U32_MAX, "1..U32_MAX"),
		NUM("BUDGET", 1, U32_MAX, "1..U32_MAX") } },
	[KVG_CMD_SCENARIO_CHURN] = { "scenario-churn WINDOW STEPS", 2, 2, {
		NUM("WINDOW", 1, U32_MAX, "1..U32_MAX"),
		NUM("STEPS", 1, CHURN_STEPS_MAX, "1..10^7") } },
	[KVG_CMD_SCENARIO_RETENTION] = {
		"scenario-retention BIG_BYTES SMALL_BYTES", 2, 2, {
		NUM("BIG_BYTES", 1, U32_MAX, "1..U32_MAX"),
		NUM("SMALL_BYTES", 1, U32_MAX, "1..U32_MAX") } },
	[KVG_CMD_SCENARIO_NESTED] = { "scenario-nested KEYS VALUES", 2, 2, {
		NUM("KEYS", 1, U32_MAX, "1..U32_MAX"),
		NUM("VALUES", 1, U32_MAX, "1..U32_MAX") } },
};

struct cmd_field {
	const char *s;
	size_t len;
};

static int fail(const char **why, int err, const char *reason)
{
	if (why)
		*why = reason;
	return err;
}

static bool field_is(const struct cmd_field *f, const char *s, size_t len)
{
	return f->len == len && !memcmp(f->s, s, len);
}

/* The command's name is the usage's first word (every usage has two). */
static size_t usage_name_len(const char *usage)
{
	return strchr(usage, ' ') - usage;
}

static int parse_num(const struct cmd_field *f, const struct arg_spec *a, u64 *out,
		     const char **why)
{
	char digits[U64_DIGITS + 1];
	const char *s = f->s;
	size_t i, len = f->len;
	int err;

	for (i = 0; i < len; i++)
		if (!isdigit(s[i]))
			return fail(why, -EINVAL, a->why);
	/* Past its leading zeros, a number of more than 20 digits is too big. */
	while (len > 1 && *s == '0') {
		s++;
		len--;
	}
	if (len > U64_DIGITS)
		return fail(why, -ERANGE, a->why);
	memcpy(digits, s, len);
	digits[len] = '\0';
	err = kstrtou64(digits, 10, out);
	if (err)
		return fail(why, err, a->why);
	if (*out < a->min)
		return fail(why, -EINVAL, a->why);
	if (*out > a->max)
		return fail(why, -ERANGE, a->why);
	return 0;
}

static int parse_arg(const struct cmd_field *f, const struct arg_spec *a,
		     struct kvg_cmd *c, unsigned int *nums, const char **why)
{
	char policy[KVG_POLICY_NAME_MAX];
	unsigned int i;

	switch (a->kind) {
	case ARG_NAME:
		if (f->len > KVG_NAME_MAX)
			return fail(why, -EINVAL, "NAME: longer than 31 characters");
		memcpy(c->name, f->s, f->len);
		c->name[f->len] = '\0';
		if (!kvg_name_valid(c->name))
			return fail(why, -EINVAL, "NAME: not of [A-Za-z0-9_.-], or . or ..");
		return 0;
	case ARG_POLICY:
		/*
		 * Longer than any policy's name: refused, even a factor whose
		 * terms are padded with zeros, which kvg_policy_parse() takes.
		 */
		if (f->len >= sizeof(policy))
			return fail(why, -EINVAL, "POLICY: unknown");
		memcpy(policy, f->s, f->len);
		policy[f->len] = '\0';
		if (kvg_policy_parse(policy, &c->policy))
			return fail(why, -EINVAL, "POLICY: unknown");
		return 0;
	case ARG_MODE:
		for (i = 0; i < KVG_MAP_MODE_NR; i++)
			if (field_is(f, kvg_map_mode_name[i],
				     strlen(kvg_map_mode_name[i]))) {
				c->map_mode = i;
				return 0;
			}
		return fail(why, -EINVAL, "map mode: kvg, go119 or go");
	case ARG_NUM:
		return parse_num(f, a, &c->num[(*nums)++], why);
	}
	return fail(why, -EINVAL, "internal: bad argument kind");
}

/* The checks between a command's arguments. */
static int check_args(const struct kvg_cmd *c, const char **why)
{
	switch (c->op) {
	case KVG_CMD_MAP_INSERT:
	case KVG_CMD_MAP_DELETE:
		if (c->num[1] > KVG_CMD_CHURN_BASE - c->num[0])
			return fail(why, -ERANGE, "N: FIRST + N past 2^62");
		break;
	case KVG_CMD_SCENARIO_RETENTION:
		/* A clone of at least one u64 of the big vector, at most all. */
		if (c->num[1] / 8 == 0 || c->num[1] / 8 > c->num[0] / 8)
			return fail(why, -EINVAL, "SMALL_BYTES: not in 8..BIG_BYTES");
		break;
	default:
		break;
	}
	return 0;
}

/**
 * kvg_cmd_parse() - Parse one write to the control file
 * @buf: the bytes written, not NUL-terminated (and possibly holding NULs)
 * @len: how many
 * @cmd: the command, written only on success
 * @why: if not NULL, set to the reason on failure (a static string), to
 *       NULL on success
 *
 * Context: any context.
 * Return: 0; -EINVAL for a malformed write or a number below its minimum,
 * -ERANGE for a number above its maximum.
 */
int kvg_cmd_parse(const char *buf, size_t len, struct kvg_cmd *cmd,
		  const char **why)
{
	struct cmd_field f[MAX_FIELDS];
	const struct cmd_spec *spec = NULL;
	struct kvg_cmd c = { };
	unsigned int i, nf = 0, nums = 0;
	const char *p, *end, *sp;
	int err;

	if (why)
		*why = NULL;
	if (!len || len > KVG_CMD_LEN_MAX)
		return fail(why, -EINVAL, "a command is one write of 1 to PAGE_SIZE - 1 bytes");
	if (buf[len - 1] == '\n')
		len--;
	if (!len)
		return fail(why, -EINVAL, "an empty command");
	if (memchr(buf, '\0', len))
		return fail(why, -EINVAL, "a NUL byte in the command");
	for (p = buf, end = buf + len;; p = sp + 1) {
		sp = memchr(p, ' ', end - p) ?: end;
		if (sp == p)
			return fail(why, -EINVAL, "a double, leading or trailing space");
		if (nf == MAX_FIELDS)
			return fail(why, -EINVAL, "too many fields");
		f[nf++] = (struct cmd_field){ .s = p, .len = sp - p };
		if (sp == end)
			break;
	}
	for (i = 0; i < KVG_CMD_NR; i++)
		if (field_is(&f[0], cmd_specs[i].usage, usage_name_len(cmd_specs[i].usage)))
			spec = &cmd_specs[i];
	if (!spec)
		return fail(why, -EINVAL, "an unknown command");
	if (nf - 1 < spec->min_args || nf - 1 > spec->max_args)
		return fail(why, -EINVAL, spec->usage);

	c.op = spec - cmd_specs;
	for (i = 0; i < spec->max_args; i++)
		if (spec->args[i].kind == ARG_NUM)
			c.num[nums++] = spec->args[i].def;
	for (i = 0, nums = 0; i < nf - 1; i++) {
		err = parse_arg(&f[i + 1], &spec->args[i], &c, &nums, why);
		if (err)
			return err;
	}
	err = check_args(&c, why);
	if (!err)
		*cmd = c;
	return err;
}

/**
 * kvg_cmd_format() - Write a command as kvg_cmd_parse() reads it
 * @cmd: a command kvg_cmd_parse() returned
 * @buf: where to write it, NUL-terminated, without a newline
 * @size: the size of @buf; KVG_CMD_FORMAT_MAX always suffices
 *
 * Every argument is written, optional ones too, so that parsing the text
 * gives @cmd back.
 *
 * Context: any context.
 * Return: the length of the text without the NUL, as snprintf() returns it
 * (@size or more if @buf was too small and it got truncated); -EINVAL for
 * an unknown command or policy.
 */
int kvg_cmd_format(const struct kvg_cmd *cmd, char *buf, size_t size)
{
	char word[KVG_POLICY_NAME_MAX];
	const struct cmd_spec *spec;
	unsigned int i, nums = 0;
	size_t n;

	if (cmd->op >= KVG_CMD_NR)
		return -EINVAL;
	spec = &cmd_specs[cmd->op];
	n = snprintf(buf, size, "%.*s", (int)usage_name_len(spec->usage), spec->usage);
	for (i = 0; i < spec->max_args; i++) {
		const char *s = word;

		switch (spec->args[i].kind) {
		case ARG_NAME:
			s = cmd->name;
			break;
		case ARG_POLICY:
			if (kvg_policy_name(cmd->policy, word, sizeof(word)) < 0)
				return -EINVAL;
			break;
		case ARG_MODE:
			s = kvg_map_mode_name[cmd->map_mode];
			break;
		case ARG_NUM:
			snprintf(word, sizeof(word), "%llu", cmd->num[nums++]);
			break;
		}
		n += snprintf(buf + min(n, size), size - min(n, size), " %s", s);
	}
	return n;
}
