/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgtop: a top-like viewer of kvgrow.ko's debugfs tree.  The parts:
 *   snapshot.c  reads a tree (debugfs or a saved copy) into a snapshot: pure
 *               file parsing, no curses
 *   rates.c     per-second rates from the counter deltas of two snapshots
 *   view.c      sorting, filtering and formatting the rows
 *   screen.c    the interactive ncurses screen
 *   batch.c     plain text frames (-b)
 *   main.c      options and exit statuses
 */
#ifndef KVGTOP_H
#define KVGTOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The kernel's helpers, which the userspace headers lack.  __printf goes
 * through KT_ATTR only so that checkpatch does not ask for __printf in
 * __printf's own definition.
 */
#define KT_ATTR(x)	__attribute__((x))
#ifndef __printf
#define __printf(a, b)	KT_ATTR(format(printf, a, b))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define KT_DEBUGFS	"/sys/kernel/debug"
#define KT_DEFAULT_ROOT	KT_DEBUGFS "/kvgrow"
#define KT_NAME_MAX	64	/* kvgrow's are 31; longer is an error */
#define KT_SITE_MAX	160
#define KT_LINE_MAX	4096	/* a longer line is an error, not a crash */
#define KT_FILE_MAX	(16u << 20)
#define KT_ERR_MAX	8	/* error lines kept per snapshot */
#define KT_ERR_LEN	200

/* Exit statuses (also what kt_check_root() returns). */
enum {
	KT_EXIT_OK = 0,
	KT_EXIT_DATA = 1,	/* batch mode: a file was malformed */
	KT_EXIT_USAGE = 2,
	KT_EXIT_NO_DEBUGFS = 3,	/* debugfs not mounted */
	KT_EXIT_NO_MODULE = 4,	/* no kvgrow/ directory (or no --root DIR) */
	KT_EXIT_PERM = 5,	/* not root: cannot read */
	KT_EXIT_IO = 6,		/* any other error reading the tree */
};

/* A figure that may be unknown ("-" in the file, or not read). */
struct kt_num {
	uint64_t v;
	bool known;
};

/* One line of summary: a container or a group. */
struct kt_entry {
	char kind[8];		/* vec, map, group (or what a newer module says) */
	char name[KT_NAME_MAX];
	char site[KT_SITE_MAX];
	char policy[24];	/* vectors only ("" otherwise) */
	struct kt_num len, cap, live, footprint, slack, grows, moved;
	/* rates.c: per second since the previous snapshot */
	double grows_ps, moved_ps;
	bool grows_ps_known, moved_ps_known;
	bool fresh;		/* not in the previous snapshot (or reused) */
};

/* One line of sites. */
struct kt_site {
	char site[KT_SITE_MAX];
	uint64_t containers, footprint, grows;
	struct kt_num slack;
	double grows_ps;
	bool grows_ps_known;
};

struct kt_totals {
	size_t entries, vecs, maps, groups;
	uint64_t footprint, live, slack, grows, moved;
	double grows_ps, moved_ps;
	bool rates_known;
};

struct kt_snapshot {
	struct kt_entry *e;
	size_t n, alloc;
	struct kt_site *s;
	size_t ns, salloc;
	struct kt_totals tot;
	double when;		/* CLOCK_MONOTONIC seconds at the read */
	bool ok;		/* summary was read (the snapshot shows something) */
	int status;		/* KT_EXIT_* of the summary read */
	char err[KT_ERR_MAX][KT_ERR_LEN];
	size_t nerr;		/* error lines (more than KT_ERR_MAX are counted) */
};

/* snapshot.c */
int kt_check_root(const char *root, bool is_default, char *msg, size_t len);
void kt_snapshot_read(struct kt_snapshot *s, const char *root);
void kt_snapshot_free(struct kt_snapshot *s);
__printf(2, 3)
void kt_snapshot_error(struct kt_snapshot *s, const char *fmt, ...);
int kt_read_file(const char *path, char **buf, size_t *len);
bool kt_parse_u64(const char *s, uint64_t *v);
int kt_read_entry_file(const char *root, const char *dir, const char *name,
		       char **text);
double kt_now(void);

/* rates.c */
void kt_rates(const struct kt_snapshot *prev, struct kt_snapshot *cur,
	      double dt);
uint64_t kt_delta(uint64_t prev, uint64_t cur);

/* view.c */
enum kt_sort { KT_SORT_FOOTPRINT, KT_SORT_SLACK, KT_SORT_SLACK_PCT,
	       KT_SORT_GROWS, KT_SORT_MOVED, KT_SORT_NAME, KT_SORT_NR };

struct kt_view {
	enum kt_sort sort;
	bool reverse;
	bool sites;		/* the per-site table instead of entries */
	char kind[8];		/* "" for every kind */
	char filter[KT_NAME_MAX];	/* name substring, "" for all */
};

extern const char *const kt_sort_names[KT_SORT_NR];
int kt_sort_parse(const char *s);
size_t kt_view_rows(const struct kt_view *v, const struct kt_snapshot *s,
		    const struct kt_entry **rows);
size_t kt_view_sites(const struct kt_view *v, const struct kt_snapshot *s,
		     const struct kt_site **rows);
bool kt_slack_pct(const struct kt_entry *e, double *pct);
void kt_fmt_num(char *buf, size_t len, struct kt_num n, bool human);
void kt_fmt_rate(char *buf, size_t len, double v, bool known, bool human);
void kt_fmt_header(char *buf, size_t len, const struct kt_snapshot *s,
		   bool human);
void kt_fmt_entry_head(char *buf, size_t len, bool human);
void kt_fmt_entry(char *buf, size_t len, const struct kt_entry *e, bool human);
void kt_fmt_site_head(char *buf, size_t len, bool human);
void kt_fmt_site(char *buf, size_t len, const struct kt_site *s, bool human);

/* main.c: the keys' help, also shown by screen.c */
extern const char kt_keys_help[];

/* batch.c, screen.c */
struct kt_opts {
	const char *root;
	bool is_default_root;
	bool batch;
	long frames;		/* 0: until quit */
	double delay;
	double rate_dt;		/* 0: the measured time between reads */
	struct kt_view view;
};

int kt_batch(const struct kt_opts *o);
int kt_screen(const struct kt_opts *o);

#endif
