// SPDX-License-Identifier: GPL-2.0
/*
 * Per-second rates from the counters of two snapshots.  An entry is the
 * same container in both when kind and name match (a site when its text
 * does).  Rules:
 *   - no previous snapshot, or no time between them: rates unknown;
 *   - an entry absent before (created since): its whole count is the delta;
 *   - a counter lower than before: the name was reused by a new container
 *     (destroyed and made again in between), so its whole count is the
 *     delta too, never a negative or wrapped rate;
 *   - an entry that vanished counts no more: what it did before it went is
 *     lost, as in top.
 * The totals' rates are the sums of the entries' deltas over the interval.
 */
#include <stdlib.h>
#include <string.h>
#include "kvgtop.h"

uint64_t kt_delta(uint64_t prev, uint64_t cur)
{
	return cur >= prev ? cur - prev : cur;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct kt_entry *x = *(const struct kt_entry * const *)a;
	const struct kt_entry *y = *(const struct kt_entry * const *)b;
	int r = strcmp(x->kind, y->kind);

	return r ? r : strcmp(x->name, y->name);
}

static int site_cmp(const void *a, const void *b)
{
	const struct kt_site *x = *(const struct kt_site * const *)a;
	const struct kt_site *y = *(const struct kt_site * const *)b;

	return strcmp(x->site, y->site);
}

static void clear(struct kt_snapshot *cur)
{
	size_t i;

	for (i = 0; i < cur->n; i++) {
		cur->e[i].grows_ps_known = false;
		cur->e[i].moved_ps_known = false;
		cur->e[i].fresh = false;
	}
	for (i = 0; i < cur->ns; i++)
		cur->s[i].grows_ps_known = false;
	cur->tot.rates_known = false;
	cur->tot.grows_ps = 0;
	cur->tot.moved_ps = 0;
}

/*
 * Rates of @cur since @prev over @dt seconds (0: the time between their
 * reads).  @prev may be NULL.
 */
void kt_rates(const struct kt_snapshot *prev, struct kt_snapshot *cur,
	      double dt)
{
	const struct kt_entry **pe = NULL, *const *hit, *key;
	const struct kt_site **ps = NULL, *const *shit, *skey;
	uint64_t grows = 0, moved = 0, d;
	size_t i;

	clear(cur);
	if (!prev || !prev->ok || !cur->ok)
		return;
	if (dt <= 0)
		dt = cur->when - prev->when;
	if (dt <= 0)
		return;
	if (prev->n) {
		pe = malloc(prev->n * sizeof(*pe));
		if (!pe)
			return;
		for (i = 0; i < prev->n; i++)
			pe[i] = &prev->e[i];
		qsort(pe, prev->n, sizeof(*pe), entry_cmp);
	}
	for (i = 0; i < cur->n; i++) {
		struct kt_entry *e = &cur->e[i];
		const struct kt_entry *p = NULL;

		key = e;
		hit = pe ? bsearch(&key, pe, prev->n, sizeof(*pe), entry_cmp) : NULL;
		if (hit)
			p = *hit;
		e->fresh = !p || e->grows.v < p->grows.v ||
			   (e->moved.known && p->moved.known &&
			    e->moved.v < p->moved.v);
		d = e->fresh ? e->grows.v : e->grows.v - p->grows.v;
		e->grows_ps = d / dt;
		e->grows_ps_known = true;
		grows += d;
		if (e->moved.known && (e->fresh || p->moved.known)) {
			d = e->fresh ? e->moved.v : e->moved.v - p->moved.v;
			e->moved_ps = d / dt;
			e->moved_ps_known = true;
			moved += d;
		}
	}
	free(pe);
	cur->tot.grows_ps = grows / dt;
	cur->tot.moved_ps = moved / dt;
	cur->tot.rates_known = true;

	if (prev->ns) {
		ps = malloc(prev->ns * sizeof(*ps));
		if (!ps)
			return;
		for (i = 0; i < prev->ns; i++)
			ps[i] = &prev->s[i];
		qsort(ps, prev->ns, sizeof(*ps), site_cmp);
	}
	for (i = 0; i < cur->ns; i++) {
		struct kt_site *s = &cur->s[i];

		skey = s;
		shit = ps ? bsearch(&skey, ps, prev->ns, sizeof(*ps), site_cmp) : NULL;
		s->grows_ps = (shit ? kt_delta((*shit)->grows, s->grows) : s->grows) / dt;
		s->grows_ps_known = true;
	}
	free(ps);
}
