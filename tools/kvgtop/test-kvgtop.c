// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kvgtop's pure parts: the snapshot parser (good trees,
 * reordered and extra columns, missing columns, truncated and malformed
 * files, vanished files, every prefix of a file), the rates (new, vanished
 * and reused names, counters that go backwards) and the views (sorts and
 * filters).  Trees are written under a temporary directory.  Prints a line
 * per check and "N passed, M failed"; exits 1 on a failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kvgtop.h"

static int pass, fail;
static char dir[256];

__printf(2, 3)
static void check(bool ok, const char *fmt, ...);

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", pass + fail + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (ok)
		pass++;
	else
		fail++;
}

#define CHECK_EQ(got, want, desc) do {					\
	unsigned long long g_ = (got), w_ = (want);			\
	check(g_ == w_, "%s: got %llu, want %llu", desc, g_, w_);	\
} while (0)

static void put_file(const char *name, const char *text, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fwrite(text, 1, len, f);
	fclose(f);
}

static void put(const char *name, const char *text)
{
	put_file(name, text, strlen(text));
}

static void rm(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static const char summary_good[] =
	"kind\tname\tlen\tcap\tlive_bytes\tfootprint\tslack\tgrows\tsite\n"
	"map\tm1\t1000\t256\t16000\t36864\t20864\t8\tcontrol.c:100 cmd_map_create\n"
	"vec\tv1\t1000\t1024\t8000\t8192\t192\t10\tcontrol.c:50 cmd_create\n"
	"group\tg1\t-\t-\t-\t4096\t-\t3\tscenarios.c:9 nested\n"
	"total\t3\t-\t-\t24000\t49152\t21056\t21\t-\n";
static const char vectors_good[] =
	"name\tpolicy\telem_size\tlen\tcap\tlive_bytes\tfootprint\tslack\tpeak_footprint\tgrows\tshrinks\tmoved_bytes\tfailed_allocs\tbackend\trequested_bytes\n"
	"v1\tkvg\t8\t1000\t1024\t8000\t8192\t192\t8192\t10\t0\t12000\t0\tkmalloc\t8192\n";
static const char group_good[] =
	"kind: group\nname: g1\nmembers: 2\nfootprint: 4096\npeak_footprint: 4096\n"
	"grows: 3\nshrinks: 0\nmoved_bytes: 500\nfailed_allocs: 0\nsite: -\n";
static const char sites_good[] =
	"containers\tfootprint\tslack\tgrows\tsite\n"
	"1\t36864\t20864\t8\tcontrol.c:100 cmd_map_create\n"
	"1\t8192\t192\t10\tcontrol.c:50 cmd_create\n"
	"1\t4096\t-\t3\tscenarios.c:9 nested\n";

static void good_tree(void)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/group", dir);
	mkdir(path, 0700);
	put("summary", summary_good);
	put("vectors", vectors_good);
	put("group/g1", group_good);
	put("sites", sites_good);
}

static const struct kt_entry *find(const struct kt_snapshot *s,
				   const char *kind, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->e[i].kind, kind) && !strcmp(s->e[i].name, name))
			return &s->e[i];
	return NULL;
}

/* Whether some error line of @s contains @what. */
static bool has_err(const struct kt_snapshot *s, const char *what)
{
	size_t i;

	for (i = 0; i < s->nerr && i < KT_ERR_MAX; i++)
		if (strstr(s->err[i], what))
			return true;
	return false;
}

static const char *errs(const struct kt_snapshot *s)
{
	static char buf[KT_ERR_MAX * KT_ERR_LEN + 16];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < s->nerr && i < KT_ERR_MAX; i++) {
		strcat(buf, s->err[i]);
		strcat(buf, "; ");
	}
	return s->nerr ? buf : "none";
}

static void test_good(void)
{
	struct kt_snapshot s = { 0 };
	const struct kt_entry *e;

	good_tree();
	kt_snapshot_read(&s, dir);
	check(s.ok && s.nerr == 0, "good tree: read, no error (errors: %s)", errs(&s));
	CHECK_EQ(s.n, 3, "good tree: 3 entries");
	CHECK_EQ(s.ns, 3, "good tree: 3 sites");
	e = find(&s, "vec", "v1");
	check(e && e->len.v == 1000 && e->cap.v == 1024 && e->live.v == 8000 &&
	      e->footprint.v == 8192 && e->slack.v == 192 && e->grows.v == 10 &&
	      e->moved.known && e->moved.v == 12000 && !strcmp(e->policy, "kvg") &&
	      !strcmp(e->site, "control.c:50 cmd_create"),
	      "v1: summary's figures, vectors' moved_bytes 12000 and policy kvg");
	e = find(&s, "group", "g1");
	check(e && !e->len.known && !e->live.known && !e->slack.known &&
	      e->footprint.v == 4096 && e->moved.known && e->moved.v == 500,
	      "g1: '-' figures unknown, group/g1's moved_bytes 500");
	e = find(&s, "map", "m1");
	check(e && !e->moved.known && e->slack.v == 20864, "m1: slack 20864, moved unknown");
	CHECK_EQ(s.tot.entries, 3, "totals: entries");
	CHECK_EQ(s.tot.vecs * 100 + s.tot.maps * 10 + s.tot.groups, 111,
		 "totals: 1 vec, 1 map, 1 group");
	CHECK_EQ(s.tot.footprint, 36864 + 8192 + 4096, "totals: footprint");
	CHECK_EQ(s.tot.live, 16000 + 8000, "totals: live");
	CHECK_EQ(s.tot.slack, 20864 + 192, "totals: slack");
	CHECK_EQ(s.tot.grows, 21, "totals: grows");
	CHECK_EQ(s.tot.moved, 12500, "totals: moved");
	check(!s.s[2].slack.known && s.s[0].containers == 1 && s.s[1].grows == 10,
	      "sites: figures, '-' slack unknown");
	kt_snapshot_free(&s);
}

/* Columns in another order, with extras, and no total line. */
static void test_columns(void)
{
	struct kt_snapshot s = { 0 };
	const struct kt_entry *e;

	good_tree();
	put("summary",
	    "new_col\tsite\tgrows\tslack\tfootprint\tlive_bytes\tcap\tlen\tname\tkind\n"
	    "x\tf.c:1 f\t7\t100\t1100\t1000\t125\t125\tv1\tvec\n");
	put("vectors", "moved_bytes\tname\tzz\n77\tv1\tq\n");
	kt_snapshot_read(&s, dir);
	e = find(&s, "vec", "v1");
	check(s.nerr == 0 && e && e->len.v == 125 && e->footprint.v == 1100 &&
	      e->slack.v == 100 && e->grows.v == 7 && e->moved.v == 77 &&
	      !strcmp(e->site, "f.c:1 f"),
	      "columns by header name, in any order, extras ignored (errors: %s)", errs(&s));
	put("summary", "kind\tname\tlen\tcap\tlive_bytes\tfootprint\tslack\tgrows\n"
	    "vec\tv1\t1\t1\t8\t8\t0\t1\n");
	kt_snapshot_read(&s, dir);
	e = find(&s, "vec", "v1");
	check(s.nerr == 0 && e && !e->site[0], "site is optional");
	kt_snapshot_free(&s);
}

static void test_missing_columns(void)
{
	struct kt_snapshot s = { 0 };

	good_tree();
	put("summary", "kind\tname\tlen\tcap\tlive_bytes\tslack\tgrows\tsite\n"
	    "vec\tv1\t1\t1\t8\t0\t1\t-\n");
	kt_snapshot_read(&s, dir);
	check(s.ok && s.n == 0 && has_err(&s, "summary: no column 'footprint'"),
	      "summary without footprint: error line, no rows (errors: %s)", errs(&s));
	good_tree();
	put("vectors", "name\tpolicy\tfootprint\nv1\tkvg\t8192\n");
	kt_snapshot_read(&s, dir);
	check(s.n == 3 && has_err(&s, "vectors: no column 'moved_bytes'") &&
	      !find(&s, "vec", "v1")->moved.known,
	      "vectors without moved_bytes: error line, moved unknown, rows kept");
	good_tree();
	put("sites", "containers\tfootprint\tgrows\tsite\n1\t2\t3\tx\n");
	kt_snapshot_read(&s, dir);
	check(s.n == 3 && s.ns == 0 && has_err(&s, "sites: no column 'slack'"),
	      "sites without slack: error line");
	good_tree();
	put("group/g1", "kind: group\nname: g1\nfootprint: 4096\n");
	kt_snapshot_read(&s, dir);
	check(has_err(&s, "group/g1: no line 'moved_bytes: N'") &&
	      !find(&s, "group", "g1")->moved.known, "group file without moved_bytes: error line");
	kt_snapshot_free(&s);
}

static void test_malformed(void)
{
	static const struct {
		const char *line, *err, *desc;
	} bad[] = {
		{ "vec\tv2\t1\t1\t8\t8\t0\n", "7 fields, the header has 9", "a short row" },
		{ "vec\tv2\t1\t1\t8\t8\t0\t1\tsite\textra\n",
		  "10 fields, the header has 9", "a long row" },
		{ "vec\tv2\t1\t1\t8\t12x\t0\t1\t-\n",
		  "'12x' in column 'footprint' is not a number", "a number with a suffix" },
		{ "vec\tv2\t1\t1\t8\t-5\t0\t1\t-\n",
		  "'-5' in column 'footprint'", "a negative number" },
		{ "vec\tv2\t1\t1\t8\t 5\t0\t1\t-\n",
		  "' 5' in column 'footprint'", "a leading blank" },
		{ "vec\tv2\t1\t1\t8\t18446744073709551616\t0\t1\t-\n", "is not a number", "2^64" },
		{ "vec\tv2\t1\t1\t8\t\t0\t1\t-\n", "'' in column 'footprint'", "an empty field" },
		{ "vec\tv2\t1\t1\t8\t-\t0\t1\t-\n",
		  "'-' in column 'footprint'", "'-' where a figure is required" },
		{ "vec\t../../etc\t1\t1\t8\t8\t0\t1\t-\n",
		  "bad name '../../etc'", "a name that is a path" },
		{ "vec\t\t1\t1\t8\t8\t0\t1\t-\n", "bad name ''", "an empty name" },
		{ "vectorvector\tv2\t1\t1\t8\t8\t0\t1\t-\n", "bad kind", "an overlong kind" },
		{ "\n", "1 fields, the header has 9", "an empty line" },
	};
	char buf[1024];
	struct kt_snapshot s = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		good_tree();
		snprintf(buf, sizeof(buf), "%s%s", summary_good, bad[i].line);
		/* without the total line, which would disagree */
		put("summary", buf);
		kt_snapshot_read(&s, dir);
		check(s.ok && s.n == 3 && has_err(&s, bad[i].err) &&
		      has_err(&s, "summary:6:"),
		      "summary with %s: error line at line 6 ('%s'), the good rows kept (errors: %s)",
		      bad[i].desc, bad[i].err, errs(&s));
	}
	kt_snapshot_free(&s);
}

static void test_truncated(void)
{
	struct kt_snapshot s = { 0 };
	char big[KT_LINE_MAX + 200];
	size_t len = strlen(summary_good), cut, rows_before, nl;
	int crashes_none = 1, wrong = 0;

	good_tree();
	/* every prefix: never more rows than complete lines, an error if cut mid-line */
	for (cut = 0; cut <= len; cut++) {
		put_file("summary", summary_good, cut);
		kt_snapshot_read(&s, dir);
		for (nl = 0, rows_before = 0; rows_before < cut; rows_before++)
			nl += summary_good[rows_before] == '\n';
		/* complete lines after the header, without the total line */
		if (s.n > (nl > 1 ? nl - 1 : 0) || s.n > 3)
			wrong++;
		if (cut && summary_good[cut - 1] != '\n' && !has_err(&s, "truncated line"))
			wrong++;
		if (!cut && !has_err(&s, "summary: empty"))
			wrong++;
	}
	check(crashes_none && !wrong,
	      "summary cut at each of its %zu bytes: rows only from whole lines, an error line when cut mid-line (%d wrong)",
	      len + 1, wrong);
	put_file("summary", summary_good, len - 10);
	kt_snapshot_read(&s, dir);
	check(has_err(&s, "summary:5: truncated line (no newline at the end)") && s.n == 3,
	      "a truncated total line: 'summary:5: truncated line' (errors: %s)", errs(&s));
	good_tree();
	put("group/g1", "kind: group\nmoved_bytes: 5");
	kt_snapshot_read(&s, dir);
	check(has_err(&s, "group/g1: no line") && !find(&s, "group", "g1")->moved.known,
	      "a group file cut in its moved_bytes line is not trusted");
	/* an overlong line */
	memset(big, 'a', sizeof(big));
	memcpy(big, "vec\tv9\t", 7);
	big[sizeof(big) - 1] = '\n';
	good_tree();
	{
		char *t = malloc(sizeof(summary_good) + sizeof(big));

		strcpy(t, summary_good);
		memcpy(t + strlen(summary_good), big, sizeof(big));
		put_file("summary", t, strlen(summary_good) + sizeof(big));
		free(t);
	}
	kt_snapshot_read(&s, dir);
	check(s.n == 3 && has_err(&s, "summary:6: line longer than 4096 bytes"),
	      "a line of %zu bytes: error line, the rest kept (errors: %s)", sizeof(big), errs(&s));
	/* a NUL byte and binary noise */
	good_tree();
	{
		static const char nul[] =
			"kind\tname\tlen\tcap\tlive_bytes\tfootprint\tslack\tgrows\n"
			"vec\tv\0x\t1\t1\t1\t1\t0\t1\n";

		put_file("summary", nul, sizeof(nul) - 1);
	}
	kt_snapshot_read(&s, dir);
	check(s.n == 0 && has_err(&s, "NUL byte"),
	      "a NUL byte in a row: error line (errors: %s)", errs(&s));
	{
		unsigned char noise[3000];
		size_t i;

		srand(42);
		for (i = 0; i < sizeof(noise); i++)
			noise[i] = rand() % 7 == 0 ? '\t' : rand() % 11 == 0 ? '\n' : rand();
		put_file("summary", (char *)noise, sizeof(noise));
		put_file("vectors", (char *)noise + 100, sizeof(noise) - 100);
		put_file("sites", (char *)noise + 7, sizeof(noise) - 7);
		kt_snapshot_read(&s, dir);
		check(s.nerr > 0 && s.n == 0,
		      "random bytes in summary, vectors and sites: errors, no rows, no crash");
	}
	good_tree();
	put("summary", "");
	kt_snapshot_read(&s, dir);
	check(s.ok && s.n == 0 && has_err(&s, "summary: empty (no header line)"),
	      "an empty summary");
	kt_snapshot_free(&s);
}

static void test_vanished(void)
{
	struct kt_snapshot s = { 0 };

	good_tree();
	rm("group/g1");
	kt_snapshot_read(&s, dir);
	check(s.nerr == 0 && s.n == 3 && !find(&s, "group", "g1")->moved.known,
	      "group/g1 gone since summary was read: skipped, no error (errors: %s)", errs(&s));
	rm("vectors");
	rm("sites");
	kt_snapshot_read(&s, dir);
	check(s.nerr == 0 && s.n == 3 && s.ns == 0 && !find(&s, "vec", "v1")->moved.known,
	      "vectors and sites gone: skipped, no error");
	good_tree();
	put("vectors", "name\tmoved_bytes\nv1\t5\nv7\t9\n");
	kt_snapshot_read(&s, dir);
	check(s.nerr == 0 && find(&s, "vec", "v1")->moved.v == 5 && !find(&s, "vec", "v7"),
	      "a vector created after summary was read: not shown yet");
	rm("summary");
	kt_snapshot_read(&s, dir);
	check(!s.ok && s.status == KT_EXIT_NO_MODULE && has_err(&s, "summary: gone"),
	      "summary gone (module unloaded): not ok, status 4");
	kt_snapshot_free(&s);
}

static void test_total_line(void)
{
	static const char want[] =
		"the total line (3 entries, footprint 49153) disagrees with the rows (3, 49152)";
	struct kt_snapshot s = { 0 };
	char buf[1024];

	good_tree();
	snprintf(buf, sizeof(buf), "%.*stotal\t3\t-\t-\t24000\t49153\t21056\t21\t-\n",
		 (int)(strstr(summary_good, "total") - summary_good), summary_good);
	put("summary", buf);
	kt_snapshot_read(&s, dir);
	check(has_err(&s, want),
	      "a total line that disagrees with its rows: error line (errors: %s)", errs(&s));
	kt_snapshot_free(&s);
}

static void test_parse_u64(void)
{
	uint64_t v = 0;

	check(kt_parse_u64("18446744073709551615", &v) && v == UINT64_MAX, "parse 2^64-1");
	check(!kt_parse_u64("18446744073709551616", &v), "parse 2^64: refused");
	check(!kt_parse_u64("", &v) && !kt_parse_u64("+1", &v) &&
	      !kt_parse_u64("-1", &v) && !kt_parse_u64("1 ", &v) &&
	      !kt_parse_u64("0x10", &v), "parse '', +1, -1, '1 ', 0x10: refused");
	check(kt_parse_u64("007", &v) && v == 7, "parse 007");
}

static void test_check_root(void)
{
	char msg[512], path[512];

	check(kt_check_root("/nonexistent/kvgrow", false, msg, sizeof(msg)) == KT_EXIT_NO_MODULE &&
	      strstr(msg, "No such file"), "--root of a missing directory: status 4 (%s)", msg);
	snprintf(path, sizeof(path), "%s/summary", dir);
	good_tree();
	check(kt_check_root(path, false, msg, sizeof(msg)) == KT_EXIT_NO_MODULE &&
	      strstr(msg, "not a directory"), "--root of a file: status 4 (%s)", msg);
	snprintf(path, sizeof(path), "%s/group", dir);
	check(kt_check_root(path, false, msg, sizeof(msg)) == KT_EXIT_NO_MODULE &&
	      strstr(msg, "not a kvgrow tree"),
	      "--root of a directory without summary: status 4 (%s)", msg);
	check(kt_check_root(dir, false, msg, sizeof(msg)) == KT_EXIT_OK, "--root of a tree: 0");
}

/* ---- rates -------------------------------------------------------------- */

static struct kt_entry ent(const char *kind, const char *name, uint64_t fp,
			   uint64_t slack, uint64_t grows, uint64_t moved,
			   bool moved_known)
{
	struct kt_entry e = { 0 };

	snprintf(e.kind, sizeof(e.kind), "%s", kind);
	snprintf(e.name, sizeof(e.name), "%s", name);
	e.footprint = (struct kt_num){ fp, true };
	e.slack = (struct kt_num){ slack, !!strcmp(kind, "group") };
	e.grows = (struct kt_num){ grows, true };
	e.moved = (struct kt_num){ moved, moved_known };
	return e;
}

static void snap(struct kt_snapshot *s, struct kt_entry *e, size_t n, double when)
{
	memset(s, 0, sizeof(*s));
	s->e = e;
	s->n = n;
	s->ok = true;
	s->when = when;
}

static void test_rates(void)
{
	struct kt_entry pe[] = {
		ent("vec", "a", 100, 10, 4, 1000, true),
		ent("vec", "gone", 100, 10, 50, 5000, true),
		ent("vec", "reused", 100, 10, 30, 9000, true),
		ent("map", "a", 100, 10, 6, 0, false),	/* same name, other kind */
		ent("group", "g", 100, 0, 2, 100, true),
	};
	struct kt_entry ce[] = {
		ent("vec", "a", 100, 10, 10, 3000, true),	/* +6 grows, +2000 moved */
		ent("vec", "reused", 100, 10, 3, 400, true),	/* made again: 3, 400 */
		ent("vec", "new", 100, 10, 5, 600, true),	/* new: 5, 600 */
		ent("map", "a", 100, 10, 10, 0, false),		/* +4 grows */
		ent("group", "g", 100, 0, 2, 100, true),	/* nothing */
	};
	struct kt_snapshot p, c;
	const struct kt_entry *a, *r, *n, *m;

	snap(&p, pe, 5, 10.0);
	snap(&c, ce, 5, 12.0);
	kt_rates(&p, &c, 0);
	a = &c.e[0], r = &c.e[1], n = &c.e[2], m = &c.e[3];
	check(a->grows_ps_known && a->grows_ps == 3.0 && a->moved_ps == 1000.0 && !a->fresh,
	      "vec a: 6 grows and 2000 bytes in 2 s: 3/s, 1000/s (got %g, %g)",
	      a->grows_ps, a->moved_ps);
	check(m->grows_ps == 2.0 && !m->moved_ps_known,
	      "map a matched by kind and name: 2 grows/s, moved unknown");
	check(r->fresh && r->grows_ps == 1.5 && r->moved_ps == 200.0,
	      "a reused name whose counters went down: its whole count (1.5/s, 200/s; got %g, %g)",
	      r->grows_ps, r->moved_ps);
	check(n->fresh && n->grows_ps == 2.5 && n->moved_ps == 300.0,
	      "a new entry: its whole count (2.5/s, 300/s)");
	check(c.e[4].grows_ps == 0 && c.e[4].moved_ps == 0, "an unchanged group: 0/s");
	check(c.tot.rates_known && c.tot.grows_ps == (6 + 3 + 5 + 4) / 2.0 &&
	      c.tot.moved_ps == (2000 + 400 + 600) / 2.0,
	      "totals: the sum of the deltas (vanished entries count nothing): %g grows/s, %g moved/s",
	      c.tot.grows_ps, c.tot.moved_ps);
	kt_rates(&p, &c, 4.0);
	check(a->grows_ps == 1.5 && c.tot.grows_ps == 18 / 4.0,
	      "--rate-dt 4: over 4 s whatever the clock");
	kt_rates(NULL, &c, 0);
	check(!a->grows_ps_known && !c.tot.rates_known, "no previous snapshot: rates unknown");
	snap(&p, pe, 5, 12.0);
	kt_rates(&p, &c, 0);
	check(!c.tot.rates_known, "no time between the reads: rates unknown");
	{
		struct kt_entry x[] = { ent("vec", "a", 1, 0, 10, 50, true) };
		struct kt_entry y[] = { ent("vec", "a", 1, 0, 10, 20, true) };

		snap(&p, x, 1, 1.0);
		snap(&c, y, 1, 2.0);
		kt_rates(&p, &c, 0);
		check(c.e[0].fresh && c.e[0].grows_ps == 10 && c.e[0].moved_ps == 20,
		      "grows equal but moved went down: a new container (its whole count)");
	}
	CHECK_EQ(kt_delta(5, 3), 3, "kt_delta: a counter that went down counts from 0");
	CHECK_EQ(kt_delta(3, 5), 2, "kt_delta: up");
	{
		struct kt_site ps[] = { { "f.c:1 f", 1, 10, 4, { 0, true }, 0, false } };
		struct kt_site cs[] = { { "f.c:1 f", 1, 10, 10, { 0, true }, 0, false },
					{ "g.c:2 g", 1, 10, 8, { 0, true }, 0, false } };

		snap(&p, NULL, 0, 0.0);
		snap(&c, NULL, 0, 2.0);
		p.s = ps;
		p.ns = 1;
		c.s = cs;
		c.ns = 2;
		kt_rates(&p, &c, 0);
		check(cs[0].grows_ps == 3 && cs[1].grows_ps == 4,
		      "sites: grows/s by site text, a new site from 0");
	}
}

/* ---- views -------------------------------------------------------------- */

static const char *order(const struct kt_view *v, struct kt_snapshot *s)
{
	static char buf[256];
	const struct kt_entry *rows[16];
	size_t i, n = kt_view_rows(v, s, rows);

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(buf, rows[i]->name);
		strcat(buf, " ");
	}
	return buf;
}

static void test_views(void)
{
	struct kt_entry e[] = {
		ent("vec", "big", 1000, 10, 1, 0, true),	/* slack 1% */
		ent("vec", "wasteful", 200, 150, 9, 900, true),	/* 75% */
		ent("map", "table", 500, 250, 3, 0, false),	/* 50% */
		ent("group", "grp", 800, 0, 5, 400, true),	/* slack unknown */
	};
	struct kt_view v = { 0 };
	struct kt_snapshot s;
	const char *o;

	snap(&s, e, 4, 0);
	e[0].grows_ps = 1;
	e[1].grows_ps = 9;
	e[2].grows_ps = 3;
	e[3].grows_ps = 5;
	e[0].moved_ps = 0;
	e[1].moved_ps = 900;
	e[3].moved_ps = 400;
	e[0].grows_ps_known = true;
	e[1].grows_ps_known = true;
	e[2].grows_ps_known = true;
	e[3].grows_ps_known = true;
	e[0].moved_ps_known = true;
	e[1].moved_ps_known = true;
	e[3].moved_ps_known = true;
	o = order(&v, &s);
	check(!strcmp(o, "big grp table wasteful "), "sort footprint: %s", o);
	v.sort = KT_SORT_SLACK;
	o = order(&v, &s);
	check(!strcmp(o, "table wasteful big grp "), "sort slack, unknown last: %s", o);
	v.sort = KT_SORT_SLACK_PCT;
	o = order(&v, &s);
	check(!strcmp(o, "wasteful table big grp "), "sort slack %%: %s", o);
	v.reverse = true;
	o = order(&v, &s);
	check(!strcmp(o, "big table wasteful grp "),
	      "sort slack %% reversed, unknown still last: %s", o);
	v.reverse = false;
	v.sort = KT_SORT_GROWS;
	o = order(&v, &s);
	check(!strcmp(o, "wasteful grp table big "), "sort grows/s: %s", o);
	v.sort = KT_SORT_MOVED;
	o = order(&v, &s);
	check(!strcmp(o, "wasteful grp big table "), "sort moved/s (map unknown, last): %s", o);
	v.sort = KT_SORT_NAME;
	o = order(&v, &s);
	check(!strcmp(o, "big grp table wasteful "), "sort name: %s", o);
	v.sort = KT_SORT_FOOTPRINT;
	snprintf(v.kind, sizeof(v.kind), "vec");
	o = order(&v, &s);
	check(!strcmp(o, "big wasteful "), "kind vec: %s", o);
	v.kind[0] = '\0';
	snprintf(v.filter, sizeof(v.filter), "a");
	o = order(&v, &s);
	check(!strcmp(o, "table wasteful "), "name filter 'a': %s", o);
	check(kt_sort_parse("slack%") == KT_SORT_SLACK_PCT &&
	      kt_sort_parse("moved") == KT_SORT_MOVED &&
	      kt_sort_parse("size") < 0, "sort names");
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/kvgtop-test.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	test_good();
	test_columns();
	test_missing_columns();
	test_malformed();
	test_truncated();
	test_vanished();
	test_total_line();
	test_parse_u64();
	test_check_root();
	test_rates();
	test_views();
	rm("summary");
	rm("vectors");
	rm("sites");
	rm("group/g1");
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/group", dir);
		rmdir(path);
	}
	rmdir(dir);
	printf("%d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
