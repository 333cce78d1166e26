// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the lab's control file parser (kmod/lab/parse.c) and for
 * kvg_name_valid().  The same file runs in the kernel and, through the
 * KUnit shim, in userspace.
 *
 * Each case is a write's bytes (NULs included: the length is the literal's)
 * and its errno, or the command it parses to.  Checks that depend on the
 * lab's state (a name taken: -EEXIST; no such container: -ENOENT; another
 * module's: -EPERM; the max_bytes budget: -E2BIG; a map given to a vector
 * command) are control.c's and stay in scripts/e2e-vm.sh; cases whose
 * input parses here and is refused there say so.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/name.h>
#include "../kmod/lab/parse.h"

struct parse_case {
	const char *in;
	size_t len;
	int err;		/* or 0 and: */
	struct kvg_cmd want;
};

#define BAD(in_, err_)	{ .in = in_, .len = sizeof(in_) - 1, .err = err_ }
#define OK(in_, ...)	{ .in = in_, .len = sizeof(in_) - 1, .want = { __VA_ARGS__ } }

/* The commands as they parse. */
#define CREATE(n, pol, es, hint)					\
	.op = KVG_CMD_CREATE, .name = n, .policy = pol, .num = { es, hint }
#define APPEND(n, count, batch)						\
	.op = KVG_CMD_APPEND, .name = n, .num = { count, batch }
#define MAP_CREATE(n, hint, mode)					\
	.op = KVG_CMD_MAP_CREATE, .name = n, .num = { hint },		\
	.map_mode = KVG_MAP_MODE_##mode
#define NAMED(o, n)		.op = KVG_CMD_##o, .name = n
#define NUMS(o, n, a, b)	.op = KVG_CMD_##o, .name = n, .num = { a, b }
#define SCENARIO(o, a, b)	.op = KVG_CMD_SCENARIO_##o, .num = { a, b }

#define U64_MAX_S	"18446744073709551615"
#define U64_MAX_1	"18446744073709551616"	/* 2^64 */
#define U32_MAX_S	"4294967295"
#define U32_MAX_1	"4294967296"
#define CHURN_BASE	KVG_CMD_CHURN_BASE	/* 2^62 */
#define BASE_S		"4611686018427387904"
#define BASE_M1_S	"4611686018427387903"
#define BASE_P1_S	"4611686018427387905"
#define NAME31		"abcdefghijklmnopqrstuvwxyz.-_09"
#define P_KVG		KVG_POLICY(KVG)

static const struct parse_case parse_cases[] = {
	/* The write as a whole: length, newline, NUL. */
	BAD("", -EINVAL),
	BAD("\n", -EINVAL),			/* an empty line */
	BAD("\n\n", -EINVAL),
	OK("clip a", NAMED(CLIP, "a")),		/* no newline */
	OK("clip a\n", NAMED(CLIP, "a")),
	BAD("clip a\n\n", -EINVAL),		/* one newline only */
	BAD("append a 1\n\n", -EINVAL),		/* (kstrtou64 takes "1\n") */
	BAD("append a 1\nappend a 1", -EINVAL),	/* two lines in one write */
	BAD("append a 1\r", -EINVAL),		/* CR */
	BAD("append a 1\r\n", -EINVAL),		/* CRLF */
	BAD("clip a\r", -EINVAL),
	BAD("\0", -EINVAL),
	BAD("create a\0b kvg 8", -EINVAL),	/* an embedded NUL */
	BAD("clip a\0", -EINVAL),		/* a NUL after a valid command */
	BAD("clip a\0\n", -EINVAL),
	BAD("clip a\n\0", -EINVAL),
	/* Fields: single spaces only. */
	BAD("append  a 1", -EINVAL),		/* a double space */
	BAD(" clip a", -EINVAL),		/* a leading space */
	BAD("clip a ", -EINVAL),		/* a trailing space */
	BAD("clip a\x20\n", -EINVAL),
	BAD(" ", -EINVAL),
	BAD("append\ta\t1", -EINVAL),		/* TAB separators */
	BAD("clip\ta", -EINVAL),
	BAD("create a kvg 8 0 1 2", -EINVAL),	/* more fields than any command */
	/* Command names: exact, lower case. */
	BAD("frobnicate a", -EINVAL),
	BAD("CLIP a", -EINVAL),
	BAD("creat a kvg 8", -EINVAL),
	BAD("create2 a kvg 8", -EINVAL),
	BAD("map- a", -EINVAL),
	BAD("scenario-", -EINVAL),
	BAD("\xc3\xa9 a", -EINVAL),
	/* Argument counts. */
	BAD("create", -EINVAL),
	BAD("create a", -EINVAL),
	BAD("create a kvg", -EINVAL),		/* no elem size */
	BAD("create a kvg 8 0 1", -EINVAL),	/* an extra argument */
	BAD("append a", -EINVAL),		/* no N */
	BAD("append a 1 1 1", -EINVAL),
	BAD("clip", -EINVAL),
	BAD("clip a a", -EINVAL),
	BAD("destroy", -EINVAL),
	BAD("destroy a x", -EINVAL),
	BAD("map-create", -EINVAL),
	BAD("map-create m 0 kvg x", -EINVAL),
	BAD("map-insert m 0", -EINVAL),		/* a missing field */
	BAD("map-insert m 0 1 2", -EINVAL),
	BAD("map-delete m", -EINVAL),
	BAD("map-churn m 1", -EINVAL),
	BAD("map-shrink", -EINVAL),
	BAD("map-shrink m m", -EINVAL),
	BAD("map-clear", -EINVAL),
	BAD("map-clear m 1", -EINVAL),
	BAD("scenario-oom 5", -EINVAL),		/* a missing argument */
	BAD("scenario-policy", -EINVAL),
	BAD("scenario-nested 1 2 3", -EINVAL),
	/* Names: 1 to 31 of [A-Za-z0-9_.-], not . or .., ASCII only. */
	OK("create " NAME31 " kvg 8", CREATE(NAME31, P_KVG, 8, 0)),
	BAD("create " NAME31 "x kvg 8", -EINVAL),	/* 32 characters */
	OK("destroy " NAME31, NAMED(DESTROY, NAME31)),
	BAD("destroy " NAME31 "x", -EINVAL),
	OK("clip A", NAMED(CLIP, "A")),
	OK("clip _", NAMED(CLIP, "_")),
	OK("clip -", NAMED(CLIP, "-")),
	OK("clip 0", NAMED(CLIP, "0")),
	OK("clip ...", NAMED(CLIP, "...")),
	BAD("clip .", -EINVAL),
	BAD("clip ..", -EINVAL),
	BAD("create a/b kvg 8", -EINVAL),
	BAD("create a:b kvg 8", -EINVAL),
	BAD("create a*b kvg 8", -EINVAL),
	BAD("clip caf\xc3\xa9", -EINVAL),	/* UTF-8 */
	BAD("clip \xe9", -EINVAL),		/* a Latin-1 letter */
	BAD("clip \x80", -EINVAL),
	BAD("clip \xff", -EINVAL),
	BAD("clip a\x01", -EINVAL),
	BAD("clip a\x7f", -EINVAL),
	/*
	 * Names of kvgrow's own debugfs files are fine: a container's files
	 * are vec/NAME, map/NAME, buckets/NAME, away from summary, vectors...
	 */
	OK("create summary kvg 8", CREATE("summary", P_KVG, 8, 0)),
	OK("map-create vec", MAP_CREATE("vec", 0, KVG)),
	OK("clip control", NAMED(CLIP, "control")),
	/* Policies: kvg_policy_parse()'s; its -ERANGE is -EINVAL here. */
	OK("create a go119 8", CREATE("a", KVG_POLICY(GO119), 8, 0)),
	OK("create a go-legacy 8", CREATE("a", KVG_POLICY(GO_LEGACY), 8, 0)),
	OK("create a exact 8", CREATE("a", KVG_POLICY(EXACT), 8, 0)),
	OK("create a pow2 8", CREATE("a", KVG_POLICY(POW2), 8, 0)),
	OK("create a factor:3/2 8", CREATE("a", KVG_POLICY_FACTOR_OF(3, 2), 8, 0)),
	OK("create a factor:003/02 8", CREATE("a", KVG_POLICY_FACTOR_OF(3, 2), 8, 0)),
	OK("create a factor:1000/999 8",
	   CREATE("a", KVG_POLICY_FACTOR_OF(1000, 999), 8, 0)),
	BAD("create a kvgg 8", -EINVAL),	/* an unknown policy */
	BAD("create a KVG 8", -EINVAL),
	BAD("create a factor: 8", -EINVAL),	/* an empty factor */
	BAD("create a factor:1/1 8", -EINVAL),
	BAD("create a factor:2/3 8", -EINVAL),
	BAD("create a factor:3/0 8", -EINVAL),
	BAD("create a factor:3/2x 8", -EINVAL),
	BAD("create a factor:1001/1000 8", -EINVAL),
	/* 24 characters: longer than any policy's name, zeros or not. */
	BAD("create a factor:00000000000000003/2 8", -EINVAL),
	/* Numbers: decimal digits only; below the minimum -EINVAL, above -ERANGE. */
	BAD("create a kvg 0", -EINVAL),		/* elem size 0 */
	OK("create a kvg 1", CREATE("a", P_KVG, 1, 0)),
	OK("create a kvg 65536", CREATE("a", P_KVG, 65536, 0)),
	BAD("create a kvg 65537", -ERANGE),
	BAD("create a kvg 70000", -ERANGE),
	BAD("create a kvg " U64_MAX_S, -ERANGE),
	BAD("create a kvg " U64_MAX_1, -ERANGE),
	BAD("create a kvg 8x", -EINVAL),
	BAD("create a kvg 0x10", -EINVAL),	/* no hex */
	BAD("create a kvg +8", -EINVAL),	/* no sign */
	BAD("create a kvg -8", -EINVAL),
	BAD("create a kvg -0", -EINVAL),
	BAD("create a kvg 8.0", -EINVAL),
	BAD("create a kvg 1e3", -EINVAL),
	BAD("create a kvg \xd9\xa8", -EINVAL),	/* an Arabic-Indic eight */
	OK("create a kvg 008", CREATE("a", P_KVG, 8, 0)),	/* leading zeros */
	OK("create a kvg 000000000000000000000000065536",
	   CREATE("a", P_KVG, 65536, 0)),
	OK("create a kvg 8 0", CREATE("a", P_KVG, 8, 0)),
	BAD("create a kvg 8 many", -EINVAL),	/* a non-numeric hint */
	/* Parsed, then -E2BIG over max_bytes (control.c). */
	OK("create a kvg 8 40000000", CREATE("a", P_KVG, 8, 40000000)),
	OK("create a kvg 8 " U64_MAX_S, CREATE("a", P_KVG, 8, U64_MAX)),
	BAD("create a kvg 8 " U64_MAX_1, -ERANGE),
	BAD("create a kvg 8 99999999999999999999999", -ERANGE),
	BAD("create a kvg 8 100000000000000000000", -ERANGE),	/* 21 digits */
	OK("create a kvg 8 000000000000000000000000001", CREATE("a", P_KVG, 8, 1)),
	OK("append a 0", APPEND("a", 0, 1)),
	OK("append a 1", APPEND("a", 1, 1)),
	OK("append a 5 7", APPEND("a", 5, 7)),
	BAD("append a abc", -EINVAL),		/* a non-numeric N */
	BAD("append a -5", -EINVAL),		/* a negative N */
	BAD("append a +5", -EINVAL),
	/* 2^64 - 1 parses, and is -E2BIG in control.c; 2^64 does not. */
	OK("append a " U64_MAX_S, APPEND("a", U64_MAX, 1)),
	BAD("append a " U64_MAX_1, -ERANGE),
	BAD("append a 99999999999999999999999", -ERANGE),
	BAD("append a 5 x", -EINVAL),		/* a non-numeric batch */
	BAD("append a 5 -1", -EINVAL),		/* a negative batch */
	BAD("append a 5 0", -EINVAL),		/* batch 0 */
	OK("append a 5 " U64_MAX_S, APPEND("a", 5, U64_MAX)),
	BAD("append a 5 " U64_MAX_1, -ERANGE),
	/* Maps. */
	OK("map-create m", MAP_CREATE("m", 0, KVG)),
	OK("map-create m 7", MAP_CREATE("m", 7, KVG)),
	OK("map-create m 0 kvg", MAP_CREATE("m", 0, KVG)),
	OK("map-create m 0 go119", MAP_CREATE("m", 0, GO119)),
	OK("map-create m 0 go", MAP_CREATE("m", 0, GO)),
	OK("map-create m " U64_MAX_S " go", MAP_CREATE("m", U64_MAX, GO)),
	BAD("map-create m " U64_MAX_1, -ERANGE),
	BAD("map-create m 0 bogus", -EINVAL),	/* not kvg, go119 or go */
	BAD("map-create m 0 GO", -EINVAL),
	BAD("map-create m 0 gov", -EINVAL),
	BAD("map-create m 0 go11", -EINVAL),
	BAD("map-create m 0 go1190", -EINVAL),
	BAD("map-create m go", -EINVAL),	/* the mode comes after a hint */
	OK("map-insert m 0 0", NUMS(MAP_INSERT, "m", 0, 0)),
	OK("map-insert m 0 1", NUMS(MAP_INSERT, "m", 0, 1)),
	/* Keys below 2^62, FIRST + N at most 2^62. */
	OK("map-insert m 0 " BASE_S, NUMS(MAP_INSERT, "m", 0, CHURN_BASE)),
	BAD("map-insert m 0 " BASE_P1_S, -ERANGE),
	BAD("map-insert m 1 " BASE_S, -ERANGE),
	OK("map-insert m " BASE_M1_S " 1", NUMS(MAP_INSERT, "m", CHURN_BASE - 1, 1)),
	BAD("map-insert m " BASE_M1_S " 2", -ERANGE),
	BAD("map-insert m " BASE_S " 0", -ERANGE),
	BAD("map-insert m 0 99999999999999999999", -ERANGE),	/* past the key space */
	BAD("map-insert m x 1", -EINVAL),
	OK("map-delete m 5 10", NUMS(MAP_DELETE, "m", 5, 10)),
	BAD("map-delete m 1 " BASE_S, -ERANGE),
	BAD("map-delete m -1 1", -EINVAL),
	OK("map-churn m 1 0", NUMS(MAP_CHURN, "m", 1, 0)),
	OK("map-churn m " U32_MAX_S " " U32_MAX_S,
	   NUMS(MAP_CHURN, "m", U32_MAX, U32_MAX)),
	BAD("map-churn m 0 1", -EINVAL),	/* window 0 */
	BAD("map-churn m " U32_MAX_1 " 1", -ERANGE),
	BAD("map-churn m 1 " U32_MAX_1, -ERANGE),
	OK("map-shrink m", NAMED(MAP_SHRINK, "m")),
	OK("map-clear m", NAMED(MAP_CLEAR, "m")),
	OK("destroy m", NAMED(DESTROY, "m")),
	/* Scenarios: each number 1..U32_MAX, and each one's own limits. */
	OK("scenario-policy 1 1", SCENARIO(POLICY, 1, 1)),
	/* Parsed, then -E2BIG over max_bytes (scenarios.c). */
	OK("scenario-policy 100000000 8", SCENARIO(POLICY, 100000000, 8)),
	OK("scenario-policy " U32_MAX_S " 65536", SCENARIO(POLICY, U32_MAX, 65536)),
	BAD("scenario-policy 1 65537", -ERANGE),	/* create's elem size limit */
	BAD("scenario-policy " U32_MAX_1 " 8", -ERANGE),
	BAD("scenario-policy 0 8", -EINVAL),
	BAD("scenario-policy 1 0", -EINVAL),
	OK("scenario-oom 1000000 16777216", SCENARIO(OOM, 1000000, 16777216)),
	OK("scenario-oom " U32_MAX_S " " U32_MAX_S, SCENARIO(OOM, U32_MAX, U32_MAX)),
	BAD("scenario-oom 1 0", -EINVAL),
	BAD("scenario-oom " U32_MAX_1 " 1", -ERANGE),
	BAD("scenario-oom 1 " U32_MAX_1, -ERANGE),
	BAD("scenario-churn 0 10", -EINVAL),	/* a zero argument */
	OK("scenario-churn 1 1", SCENARIO(CHURN, 1, 1)),
	OK("scenario-churn 1000 10000000", SCENARIO(CHURN, 1000, 10000000)),
	BAD("scenario-churn 1000 10000001", -ERANGE),	/* past 10^7 steps */
	BAD("scenario-churn 1000 0", -EINVAL),
	OK("scenario-churn " U32_MAX_S " 1", SCENARIO(CHURN, U32_MAX, 1)),
	BAD("scenario-churn " U32_MAX_1 " 1", -ERANGE),
	/* A clone of 1 to BIG_BYTES / 8 u64s of the big vector. */
	OK("scenario-retention 10485760 1024", SCENARIO(RETENTION, 10485760, 1024)),
	OK("scenario-retention 8 8", SCENARIO(RETENTION, 8, 8)),
	OK("scenario-retention 1024 1031", SCENARIO(RETENTION, 1024, 1031)),
	BAD("scenario-retention 1024 1032", -EINVAL),
	BAD("scenario-retention 1024 7", -EINVAL),
	BAD("scenario-retention 7 7", -EINVAL),
	OK("scenario-retention " U32_MAX_S " " U32_MAX_S,
	   SCENARIO(RETENTION, U32_MAX, U32_MAX)),
	BAD("scenario-retention 99999999999 8", -ERANGE),	/* past 2^32 */
	BAD("scenario-retention " U32_MAX_1 " 8", -ERANGE),
	BAD("scenario-retention 8 " U32_MAX_1, -ERANGE),
	BAD("scenario-retention 0 8", -EINVAL),
	OK("scenario-nested 2000 100", SCENARIO(NESTED, 2000, 100)),
	OK("scenario-nested " U32_MAX_S " " U32_MAX_S, SCENARIO(NESTED, U32_MAX, U32_MAX)),
	BAD("scenario-nested 0 1", -EINVAL),
	BAD("scenario-nested 1 0", -EINVAL),
	BAD("scenario-nested " U32_MAX_1 " 1", -ERANGE),
	BAD("scenario-nested 1 " U32_MAX_1, -ERANGE),
	BAD("scenario-nested x 1", -EINVAL),
	BAD("scenario-oom a 5", -EINVAL),
};

/*
 * The input, printable: anything else as \xNN, and so are spaces at either
 * end (kunit.py's KTAP parser loses a name that is blank); "(empty)" for no
 * bytes.
 */
static void parse_case_desc(const struct parse_case *c, char *desc)
{
	size_t i, n = 0;

	for (i = 0; i < c->len && n + 5 < KUNIT_PARAM_DESC_SIZE; i++) {
		unsigned char b = c->in[i];
		bool edge = !i || i == c->len - 1;

		if (b > ' ' && b < 0x7f && b != '\\')
			desc[n++] = b;
		else if (b == ' ' && !edge)
			desc[n++] = b;
		else
			n += snprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n, "\\x%02x", b);
	}
	desc[n] = '\0';
	if (!n)
		memcpy(desc, "(empty)", sizeof("(empty)"));
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void expect_cmd_eq(struct kunit *test, const struct kvg_cmd *got,
			  const struct kvg_cmd *want)
{
	KUNIT_EXPECT_EQ(test, got->op, want->op);
	KUNIT_EXPECT_STREQ(test, got->name, want->name);
	KUNIT_EXPECT_EQ(test, got->policy.kind, want->policy.kind);
	KUNIT_EXPECT_EQ(test, got->policy.num, want->policy.num);
	KUNIT_EXPECT_EQ(test, got->policy.den, want->policy.den);
	KUNIT_EXPECT_EQ(test, got->map_mode, want->map_mode);
	KUNIT_EXPECT_EQ(test, got->num[0], want->num[0]);
	KUNIT_EXPECT_EQ(test, got->num[1], want->num[1]);
}

/*
 * The case's errno, or its command; a refused write leaves the command
 * untouched and gives a reason.  Then the round trip: an accepted command,
 * formatted, parses to the same command and formats to the same text.
 */
static void control_parse(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	char text[KVG_CMD_FORMAT_MAX], again[KVG_CMD_FORMAT_MAX];
	struct kvg_cmd cmd, cmd2, untouched;
	const char *why = "unset";
	int len;

	memset(&cmd, 0xa5, sizeof(cmd));
	untouched = cmd;
	KUNIT_ASSERT_EQ(test, kvg_cmd_parse(c->in, c->len, &cmd, &why), c->err);
	if (c->err) {
		KUNIT_EXPECT_EQ(test, memcmp(&cmd, &untouched, sizeof(cmd)), 0);
		KUNIT_EXPECT_NOT_NULL(test, why);
		if (why)
			KUNIT_EXPECT_GT(test, strlen(why), (size_t)0);
		return;
	}
	KUNIT_EXPECT_NULL(test, why);
	expect_cmd_eq(test, &cmd, &c->want);

	len = kvg_cmd_format(&cmd, text, sizeof(text));
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_ASSERT_LT(test, len, (int)sizeof(text));
	KUNIT_EXPECT_EQ(test, strlen(text), (size_t)len);
	KUNIT_ASSERT_EQ_MSG(test, kvg_cmd_parse(text, len, &cmd2, &why), 0,
			    "'%s': %s", text, why);
	expect_cmd_eq(test, &cmd2, &cmd);
	KUNIT_EXPECT_EQ(test, kvg_cmd_format(&cmd2, again, sizeof(again)), len);
	KUNIT_EXPECT_STREQ(test, again, text);
}

/* Around KVG_CMD_LEN_MAX: a number padded with zeros to the length. */
static void control_parse_length(struct kunit *test)
{
	size_t max = KVG_CMD_LEN_MAX, len, pre = strlen("append a ");
	char *buf = kunit_kzalloc(test, max + 2, GFP_KERNEL);
	struct kvg_cmd cmd;
	const char *why;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (len = max - 1; len <= max + 1; len++) {
		/* "append a 00...07" of len bytes, and with a newline as the last */
		memcpy(buf, "append a ", pre);
		memset(buf + pre, '0', len - pre - 1);
		buf[len - 1] = '7';
		memset(&cmd, 0, sizeof(cmd));
		KUNIT_EXPECT_EQ_MSG(test, kvg_cmd_parse(buf, len, &cmd, &why),
				    len <= max ? 0 : -EINVAL, "%zu bytes", len);
		KUNIT_EXPECT_EQ(test, cmd.num[0], (u64)(len <= max ? 7 : 0));
		buf[len - 1] = '\n';
		buf[len - 2] = '7';
		KUNIT_EXPECT_EQ_MSG(test, kvg_cmd_parse(buf, len, &cmd, &why),
				    len <= max ? 0 : -EINVAL, "%zu bytes with a newline",
				    len);
	}
	/* Only the length counts: the parser reads none of a longer write. */
	KUNIT_EXPECT_EQ(test, kvg_cmd_parse(buf, SIZE_MAX, &cmd, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_cmd_parse(NULL, 0, &cmd, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_cmd_parse("clip a", 6, &cmd, NULL), 0);
	KUNIT_EXPECT_EQ(test, kvg_cmd_parse("clip", 4, &cmd, NULL), -EINVAL);
}

/* The text of a few commands, optional arguments written out. */
static void control_format(struct kunit *test)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "create a kvg 8", "create a kvg 8 0" },
		{ "create a factor:003/2 8 5\n", "create a factor:3/2 8 5" },
		{ "append a 0005", "append a 5 1" },
		{ "map-create m", "map-create m 0 kvg" },
		{ "map-create m 3 go", "map-create m 3 go" },
		{ "map-create m 3 go119", "map-create m 3 go119" },
		{ "clip a", "clip a" },
		{ "scenario-churn 01000 200000", "scenario-churn 1000 200000" },
	};
	char text[KVG_CMD_FORMAT_MAX];
	struct kvg_cmd cmd;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_ASSERT_EQ(test, kvg_cmd_parse(cases[i].in, strlen(cases[i].in),
						    &cmd, NULL), 0);
		KUNIT_EXPECT_EQ(test, kvg_cmd_format(&cmd, text, sizeof(text)),
				(int)strlen(cases[i].out));
		KUNIT_EXPECT_STREQ(test, text, cases[i].out);
	}
	/* Truncated as snprintf() truncates, with the full length returned. */
	KUNIT_EXPECT_EQ(test, kvg_cmd_format(&cmd, text, 5), 26);
	KUNIT_EXPECT_STREQ(test, text, "scen");
	/* The longest command fits KVG_CMD_FORMAT_MAX. */
	cmd = (struct kvg_cmd){ .op = KVG_CMD_CREATE, .name = NAME31,
				.policy = KVG_POLICY_FACTOR_OF(1000, 999),
				.num = { U64_MAX, U64_MAX } };
	KUNIT_EXPECT_LT(test, kvg_cmd_format(&cmd, text, sizeof(text)),
			KVG_CMD_FORMAT_MAX);
	cmd.op = KVG_CMD_NR;
	KUNIT_EXPECT_EQ(test, kvg_cmd_format(&cmd, text, sizeof(text)), -EINVAL);
	cmd.op = KVG_CMD_CREATE;
	cmd.policy = KVG_POLICY_FACTOR_OF(1, 1);
	KUNIT_EXPECT_EQ(test, kvg_cmd_format(&cmd, text, sizeof(text)), -EINVAL);
}

/* xorshift64: the same inputs on every run, in both worlds. */
static u64 next_rand(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/*
 * Writes made of the grammar's pieces, the right ones and wrong ones, in
 * any order: every write either is refused with -EINVAL or -ERANGE and a
 * reason, or parses to a command that round-trips.  About one in twenty
 * parses (the same ones in both worlds: the generator is seeded).
 */
static void control_parse_random(struct kunit *test)
{
	static const char * const pieces[] = {
		"create", "append", "clip", "destroy", "map-create",
		"map-insert", "map-delete", "map-churn", "map-shrink",
		"map-clear", "scenario-policy", "scenario-oom", "scenario-churn",
		"scenario-retention", "scenario-nested", "a", NAME31,
		NAME31 "x", ".", "..", "kvg", "go", "factor:3/2", "factor:1/1",
		"0", "1", "8", "007", "65536", "65537", U32_MAX_S, U32_MAX_1,
		U64_MAX_S, U64_MAX_1, BASE_M1_S, BASE_S, "-1", "+1", "0x10",
		"\xe9", "\t", "\r", "\n", "",
	};
	char buf[160], text[KVG_CMD_FORMAT_MAX];
	unsigned int i, n, ok = 0, runs = 20000;
	struct kvg_cmd cmd, cmd2;
	u64 state = 0x9e3779b97f4a7c15ULL;
	const char *why;
	size_t len;
	int err;

	for (i = 0; i < runs; i++) {
		/* A command, usually, then 0 to 4 more pieces, space-separated. */
		n = next_rand(&state) % 5;
		len = 0;
		do {
			const char *p = pieces[next_rand(&state) % ARRAY_SIZE(pieces)];

			if (len == 0 && next_rand(&state) % 8)
				p = pieces[next_rand(&state) % 15];
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
					len ? " " : "", p);
		} while (n-- && len < sizeof(buf) - 40);
		if (next_rand(&state) % 2)
			buf[len++] = '\n';
		if (next_rand(&state) % 16 == 0)
			buf[next_rand(&state) % len] = '\0';
		err = kvg_cmd_parse(buf, len, &cmd, &why);
		if (err) {
			KUNIT_ASSERT_TRUE_MSG(test, err == -EINVAL || err == -ERANGE,
					      "%d for '%.*s'", err, (int)len, buf);
			KUNIT_ASSERT_NOT_NULL(test, why);
			continue;
		}
		ok++;
		KUNIT_ASSERT_LT(test, (int)cmd.op, KVG_CMD_NR);
		KUNIT_ASSERT_TRUE(test, cmd.op >= KVG_CMD_SCENARIO_POLICY ||
				  kvg_name_valid(cmd.name));
		len = kvg_cmd_format(&cmd, text, sizeof(text));
		KUNIT_ASSERT_EQ_MSG(test, kvg_cmd_parse(text, len, &cmd2, &why), 0,
				    "'%s': %s", text, why);
		expect_cmd_eq(test, &cmd2, &cmd);
	}
	kunit_info(test, "%u of %u writes parsed", ok, runs);
	/* The grammar is hit, and missed: neither side is empty. */
	KUNIT_EXPECT_GT(test, ok, runs / 40);
	KUNIT_EXPECT_LT(test, ok, runs / 2);
}

static void control_name_valid(struct kunit *test)
{
	char name[KVG_NAME_MAX + 2];
	unsigned int c;

	KUNIT_EXPECT_TRUE(test, kvg_name_valid(NAME31));
	KUNIT_EXPECT_FALSE(test, kvg_name_valid(NAME31 "x"));
	KUNIT_EXPECT_FALSE(test, kvg_name_valid(""));
	KUNIT_EXPECT_FALSE(test, kvg_name_valid("."));
	KUNIT_EXPECT_FALSE(test, kvg_name_valid(".."));
	KUNIT_EXPECT_TRUE(test, kvg_name_valid("..."));
	KUNIT_EXPECT_TRUE(test, kvg_name_valid(".a"));
	/* Every byte: exactly [A-Za-z0-9_.-] pass, as a name of one and of two. */
	for (c = 1; c < 256; c++) {
		bool want = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '_' || c == '-';

		name[0] = 'x';
		name[1] = c;
		name[2] = '\0';
		KUNIT_EXPECT_EQ_MSG(test, kvg_name_valid(name), (bool)(want || c == '.'),
				    "byte 0x%02x", c);
		name[0] = c;
		name[1] = '\0';
		KUNIT_EXPECT_EQ_MSG(test, kvg_name_valid(name), want, "byte 0x%02x", c);
	}
}

static struct kunit_case control_cases[] = {
	KUNIT_CASE_PARAM(control_parse, parse_gen_params),
	KUNIT_CASE(control_parse_length),
	KUNIT_CASE(control_format),
	KUNIT_CASE(control_parse_random),
	KUNIT_CASE(control_name_valid),
	{}
};

static struct kunit_suite control_suite = {
	.name = "kvgrow_control",
	.test_cases = control_cases,
};

kunit_test_suite(control_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kvgrow_lab's control file parser");
