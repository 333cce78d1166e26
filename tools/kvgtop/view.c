// SPDX-License-Identifier: GPL-2.0
/*
 * The rows shown: entries (or sites) filtered by kind and name, sorted by
 * one key, and formatted as text lines for both the screen (human units)
 * and batch mode (exact figures).  A figure that is unknown sorts last,
 * either order, and shows as "-"; ties go by name.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "kvgtop.h"

const char *const kt_sort_names[KT_SORT_NR] = {
	[KT_SORT_FOOTPRINT] = "footprint",
	[KT_SORT_SLACK] = "slack",
	[KT_SORT_SLACK_PCT] = "slack%",
	[KT_SORT_GROWS] = "grows/s",
	[KT_SORT_MOVED] = "moved/s",
	[KT_SORT_NAME] = "name",
};

/* A sort name (also "slack-pct", "grows", "moved"); -1 if unknown. */
int kt_sort_parse(const char *s)
{
	int i;

	for (i = 0; i < KT_SORT_NR; i++)
		if (!strcmp(s, kt_sort_names[i]))
			return i;
	if (!strcmp(s, "slack-pct"))
		return KT_SORT_SLACK_PCT;
	if (!strcmp(s, "grows"))
		return KT_SORT_GROWS;
	if (!strcmp(s, "moved"))
		return KT_SORT_MOVED;
	return -1;
}

bool kt_slack_pct(const struct kt_entry *e, double *pct)
{
	if (!e->slack.known)
		return false;
	*pct = e->footprint.v ? 100.0 * e->slack.v / e->footprint.v : 0;
	return true;
}

/* The sort key of an entry; false if unknown. */
static bool entry_key(const struct kt_entry *e, enum kt_sort k, double *v)
{
	switch (k) {
	case KT_SORT_FOOTPRINT:
		*v = e->footprint.v;
		return true;
	case KT_SORT_SLACK:
		*v = e->slack.v;
		return e->slack.known;
	case KT_SORT_SLACK_PCT:
		return kt_slack_pct(e, v);
	case KT_SORT_GROWS:
		*v = e->grows_ps;
		return e->grows_ps_known;
	case KT_SORT_MOVED:
		*v = e->moved_ps;
		return e->moved_ps_known;
	default:
		return false;
	}
}

static bool site_key(const struct kt_site *s, enum kt_sort k, double *v)
{
	switch (k) {
	case KT_SORT_FOOTPRINT:
		*v = s->footprint;
		return true;
	case KT_SORT_SLACK:
		*v = s->slack.v;
		return s->slack.known;
	case KT_SORT_SLACK_PCT:
		*v = s->footprint ? 100.0 * s->slack.v / s->footprint : 0;
		return s->slack.known;
	case KT_SORT_GROWS:
		*v = s->grows_ps;
		return s->grows_ps_known;
	default:
		return false;
	}
}

/* Known before unknown; larger first (smaller with reverse); then names. */
static int key_cmp(bool ka, double a, bool kb, double b, bool reverse,
		   const char *na, const char *nb, bool by_name)
{
	int r;

	if (!by_name) {
		if (ka != kb)
			return ka ? -1 : 1;
		if (ka && a != b) {
			r = a > b ? -1 : 1;
			return reverse ? -r : r;
		}
	}
	r = strcmp(na, nb);
	return by_name && reverse ? -r : r;
}

static int row_cmp(const void *pa, const void *pb, void *arg)
{
	const struct kt_entry *a = *(const struct kt_entry * const *)pa;
	const struct kt_entry *b = *(const struct kt_entry * const *)pb;
	const struct kt_view *v = arg;
	double x = 0, y = 0;
	bool kx = entry_key(a, v->sort, &x), ky = entry_key(b, v->sort, &y);
	int r = key_cmp(kx, x, ky, y, v->reverse, a->name, b->name,
			v->sort == KT_SORT_NAME);

	return r ? r : strcmp(a->kind, b->kind);
}

static int site_row_cmp(const void *pa, const void *pb, void *arg)
{
	const struct kt_site *a = *(const struct kt_site * const *)pa;
	const struct kt_site *b = *(const struct kt_site * const *)pb;
	const struct kt_view *v = arg;
	double x = 0, y = 0;
	bool kx = site_key(a, v->sort, &x), ky = site_key(b, v->sort, &y);

	return key_cmp(kx, x, ky, y, v->reverse, a->site, b->site,
		       v->sort == KT_SORT_NAME);
}

/* The entries @v shows, in order, into @rows (room for s->n). */
size_t kt_view_rows(const struct kt_view *v, const struct kt_snapshot *s,
		    const struct kt_entry **rows)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++) {
		const struct kt_entry *e = &s->e[i];

		if (v->kind[0] && strcmp(v->kind, e->kind))
			continue;
		if (v->filter[0] && !strstr(e->name, v->filter))
			continue;
		rows[n++] = e;
	}
	qsort_r(rows, n, sizeof(*rows), row_cmp, (void *)v);
	return n;
}

/* The sites @v shows (the name filter matches the site's text). */
size_t kt_view_sites(const struct kt_view *v, const struct kt_snapshot *s,
		     const struct kt_site **rows)
{
	size_t i, n = 0;

	for (i = 0; i < s->ns; i++)
		if (!v->filter[0] || strstr(s->s[i].site, v->filter))
			rows[n++] = &s->s[i];
	qsort_r(rows, n, sizeof(*rows), site_row_cmp, (void *)v);
	return n;
}

/* ---- formatting --------------------------------------------------------- */

static void human_bytes(char *buf, size_t len, double v)
{
	static const char unit[] = "BKMGTPE";
	int u = 0;

	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	if (!u)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.*f%c", v < 10 ? 2 : v < 100 ? 1 : 0, v, unit[u]);
}

void kt_fmt_num(char *buf, size_t len, struct kt_num n, bool human)
{
	if (!n.known)
		snprintf(buf, len, "-");
	else if (human)
		human_bytes(buf, len, n.v);
	else
		snprintf(buf, len, "%llu", (unsigned long long)n.v);
}

void kt_fmt_rate(char *buf, size_t len, double v, bool known, bool human)
{
	if (!known)
		snprintf(buf, len, "-");
	else if (human && v >= 1024)
		human_bytes(buf, len, v);
	else
		snprintf(buf, len, "%.2f", v);
}

static struct kt_num num(uint64_t v)
{
	return (struct kt_num){ v, true };
}

void kt_fmt_header(char *buf, size_t len, const struct kt_snapshot *s,
		   bool human)
{
	const struct kt_totals *t = &s->tot;
	char fp[24], live[24], slack[24], gr[24], mv[24];

	kt_fmt_num(fp, sizeof(fp), num(t->footprint), human);
	kt_fmt_num(live, sizeof(live), num(t->live), human);
	kt_fmt_num(slack, sizeof(slack), num(t->slack), human);
	kt_fmt_rate(gr, sizeof(gr), t->grows_ps, t->rates_known, false);
	kt_fmt_rate(mv, sizeof(mv), t->moved_ps, t->rates_known, human);
	snprintf(buf, len,
		 "containers %zu (vec %zu, map %zu, group %zu)  footprint %s  live %s  slack %s  grows/s %s  moved/s %s",
		 t->entries, t->vecs, t->maps, t->groups, fp, live, slack, gr, mv);
}

/*
 * Columns, most telling first, so that a narrow screen cuts the least:
 * byte figures 12 wide exact, 8 in human units.
 */
#define ENTRY_FMT "%-5s %-20s %*s %*s %*s %6s %9s %*s %8s %10s %10s  %s"
#define W(human) ((human) ? 8 : 12)

void kt_fmt_entry_head(char *buf, size_t len, bool human)
{
	int w = W(human);

	snprintf(buf, len, ENTRY_FMT, "KIND", "NAME", w, "FOOTPRINT", w, "LIVE",
		 w, "SLACK", "SLACK%", "GROWS/S", w, "MOVED/S", "GROWS", "LEN",
		 "CAP", "SITE");
}

void kt_fmt_entry(char *buf, size_t len, const struct kt_entry *e, bool human)
{
	char l[24], c[24], fp[24], live[24], sl[24], pct[16], gr[24], gps[24],
	     mps[24];
	int w = W(human);
	double p;

	/* a vector's len and cap are elements, a map's count and buckets */
	kt_fmt_num(l, sizeof(l), e->len, false);
	kt_fmt_num(c, sizeof(c), e->cap, false);
	kt_fmt_num(fp, sizeof(fp), e->footprint, human);
	kt_fmt_num(live, sizeof(live), e->live, human);
	kt_fmt_num(sl, sizeof(sl), e->slack, human);
	if (kt_slack_pct(e, &p))
		snprintf(pct, sizeof(pct), "%.1f", p);
	else
		snprintf(pct, sizeof(pct), "-");
	kt_fmt_num(gr, sizeof(gr), e->grows, false);
	kt_fmt_rate(gps, sizeof(gps), e->grows_ps, e->grows_ps_known, false);
	kt_fmt_rate(mps, sizeof(mps), e->moved_ps, e->moved_ps_known, human);
	snprintf(buf, len, ENTRY_FMT, e->kind, e->name, w, fp, w, live, w, sl,
		 pct, gps, w, mps, gr, l, c, e->site[0] ? e->site : "-");
}

#define SITE_FMT "%10s %*s %*s %6s %9s %10s  %s"

void kt_fmt_site_head(char *buf, size_t len, bool human)
{
	int w = W(human);

	snprintf(buf, len, SITE_FMT, "CONTAINERS", w, "FOOTPRINT", w, "SLACK",
		 "SLACK%", "GROWS/S", "GROWS", "SITE");
}

void kt_fmt_site(char *buf, size_t len, const struct kt_site *s, bool human)
{
	char n[24], fp[24], sl[24], pct[16], gr[24], gps[24];
	int w = W(human);

	kt_fmt_num(n, sizeof(n), num(s->containers), false);
	kt_fmt_num(fp, sizeof(fp), num(s->footprint), human);
	kt_fmt_num(sl, sizeof(sl), s->slack, human);
	if (s->slack.known)
		snprintf(pct, sizeof(pct), "%.1f",
			 s->footprint ? 100.0 * s->slack.v / s->footprint : 0.0);
	else
		snprintf(pct, sizeof(pct), "-");
	kt_fmt_num(gr, sizeof(gr), num(s->grows), false);
	kt_fmt_rate(gps, sizeof(gps), s->grows_ps, s->grows_ps_known, false);
	snprintf(buf, len, SITE_FMT, n, w, fp, w, sl, pct, gps, gr, s->site);
}
