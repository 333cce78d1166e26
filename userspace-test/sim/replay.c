// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow-sim replay TRACE [--per-day N]: what each policy would have cost
 * the vectors of a recorded trace (see README.md, "Tracepoints and replay").
 *
 * Every traced vector is replayed, in the trace's order, once under its
 * own policy (the row "traced") and once under each policy of the library,
 * by the library itself: kvg_vec_make_raw(), kvg_vec_extend_raw(),
 * kvg_vec_truncate_raw(), kvg_vec_clip_raw() and kvg_vec_free_raw(), on the
 * shims' allocator model.
 *
 * The trace has a vector's length only at its resizes and its free.  In
 * between, the length is taken to have risen in appends of one size: that
 * of the append that made the next grow (the last grow's before a clip or
 * a free).  Under the traced policy no append in between can grow, so the
 * row "traced" reproduces the run exactly; it is checked against what each
 * kvg_vec_free recorded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <kvgrow/map.h>
#include <kvgrow/vec.h>
#include "replay.h"
#include "trace-parse.h"

/* The policies every trace is replayed under, after its own. */
static const char *const policy_names[] = {
	"kvg", "go119", "go-legacy", "factor:3/2", "factor:2/1", "exact",
	"pow2",
};

#define NROWS	(1 + ARRAY_SIZE(policy_names))

struct row {
	const char *name;
	struct kvg_policy policy;	/* not row 0: each vector's own */
	u64 final, live, grows, shrinks, moved, allocated;
	u64 cur, peak, transient;
};

struct cont {
	u64 id;
	struct kvg_policy used;
	bool pages;			/* it may take the page backend */
	size_t elem_size, batch;
	unsigned long line;		/* its first event */
	bool skipped;			/* grown before the trace began */
	struct kvg_vec v[NROWS];
};

struct replay {
	struct row rows[NROWS];
	struct kvg_map ids;		/* id -> index in conts */
	struct cont **conts;
	size_t n, alloc;
	unsigned long vectors, events, freed, skipped, empty, checked;
	int mismatches;
};

struct tev_line {
	struct kvg_tev ev;
	unsigned long line;
};

/* A vector's footprint and block, before one of its operations. */
struct before {
	size_t fp;
	void *data;
};

static size_t footprint(const struct kvg_vec *v)
{
	struct kvg_vec_stats st;

	kvg_vec_snapshot_raw(v, &st);
	return st.footprint_bytes;
}

static void before(const struct kvg_vec *v, struct before *b)
{
	b->fp = footprint(v);
	b->data = v->data;
}

/* Charge @row with what an operation on @v did. */
static void after(struct row *row, const struct kvg_vec *v,
		  const struct before *b)
{
	size_t fp = footprint(v);
	bool moved = v->data != b->data && b->data && v->data;

	if (v->data && v->data != b->data)
		row->allocated += fp;
	else if (fp > b->fp)
		row->allocated += fp - b->fp;
	row->cur = row->cur - b->fp + fp;
	row->peak = max(row->peak, row->cur);
	/* While a block moves, the old and the new one both exist. */
	row->transient = max(row->transient, row->cur + (moved ? b->fp : 0));
}

static int extend(struct row *row, struct kvg_vec *v, size_t n)
{
	struct before b;
	int err;

	before(v, &b);
	err = kvg_vec_extend_raw(v, n);
	after(row, v, &b);
	return err;
}

/* Bring @v to @len: appends of c->batch, or a truncation. */
static int set_len(struct row *row, const struct cont *c, struct kvg_vec *v,
		   size_t len)
{
	size_t k, fits;
	int err = 0;

	while (!err && v->len < len) {
		k = min(c->batch, len - v->len);
		if (v->len + k > v->cap) {
			err = extend(row, v, k);
			continue;
		}
		/* The whole batches that fit in the capacity, at once. */
		fits = (min(len, v->cap) - v->len) / c->batch * c->batch;
		err = kvg_vec_extend_raw(v, fits ?: k);
	}
	if (!err && v->len > len)
		err = kvg_vec_truncate_raw(v, len);
	return err;
}

/* A vector's last state into its row's totals, then its free. */
static void finish(struct row *row, struct kvg_vec *v)
{
	struct kvg_vec_stats st;
	struct before b;

	kvg_vec_snapshot_raw(v, &st);
	row->final += st.footprint_bytes;
	row->live += st.live_bytes;
	row->grows += st.grows;
	row->shrinks += st.shrinks;
	row->moved += st.moved_bytes;
	before(v, &b);
	kvg_vec_free_raw(v);
	after(row, v, &b);
}

/* The traced row against what kvg_vec_free recorded. */
static void check(struct replay *rp, const struct cont *c,
		  const struct kvg_tev *ev, unsigned long line)
{
	char name[KVG_POLICY_NAME_MAX];
	struct kvg_vec_stats st;

	kvg_vec_snapshot_raw(&c->v[0], &st);
	rp->checked++;
	if (st.cap == ev->cap && st.footprint_bytes == ev->footprint &&
	    st.peak_footprint_bytes == ev->peak && st.grows == ev->grows &&
	    st.shrinks == ev->shrinks && st.moved_bytes == ev->moved)
		return;
	rp->mismatches++;
	kvg_policy_name(c->used, name, sizeof(name));
	fprintf(stderr,
		"kvgrow-sim: replay: line %lu: vector id %llu recorded cap=%zu footprint=%zu peak=%zu grows=%llu shrinks=%llu moved=%llu; its replay under %s gives cap=%zu footprint=%zu peak=%zu grows=%llu shrinks=%llu moved=%llu (events lost?)\n",
		line, (unsigned long long)c->id, ev->cap, ev->footprint,
		ev->peak, (unsigned long long)ev->grows,
		(unsigned long long)ev->shrinks, (unsigned long long)ev->moved,
		name, st.cap,
		st.footprint_bytes, st.peak_footprint_bytes,
		(unsigned long long)st.grows, (unsigned long long)st.shrinks,
		(unsigned long long)st.moved_bytes);
}

static struct cont *new_cont(struct replay *rp, const struct kvg_tev *ev,
			     unsigned long line)
{
	struct cont *c = calloc(1, sizeof(*c));
	u64 idx = rp->n;

	if (!c)
		return NULL;
	if (rp->n == rp->alloc) {
		size_t n = rp->alloc ? 2 * rp->alloc : 64;
		struct cont **p = realloc(rp->conts, n * sizeof(*p));

		if (!p) {
			free(c);
			return NULL;
		}
		rp->conts = p;
		rp->alloc = n;
	}
	if (kvg_map_set(&rp->ids, &ev->id, &idx)) {
		free(c);
		return NULL;
	}
	rp->conts[rp->n++] = c;
	c->id = ev->id;
	c->used = ev->policy;
	c->pages = ev->pages;
	c->elem_size = ev->elem_size;
	c->batch = 1;
	c->line = line;
	return c;
}

static int apply(struct replay *rp, const struct kvg_tev *ev,
		 unsigned long line, char *msg, size_t msg_len)
{
	bool start = ev->kind == KVG_TEV_MAKE ||
		     (ev->kind == KVG_TEV_GROW && !ev->old_cap);
	u64 *idx = kvg_map_get(&rp->ids, &ev->id);
	struct cont *c = idx ? rp->conts[*idx] : NULL;
	unsigned int r;
	int err = 0;

	rp->events++;
	if (c && !c->skipped && start) {
		snprintf(msg, msg_len, "vector id %llu starts again, live since line %lu",
			 (unsigned long long)ev->id, c->line);
		return -EINVAL;
	}
	if (!c && ev->kind == KVG_TEV_FREE) {
		/* Freed without a traced allocation: empty, or older. */
		if (ev->grows || ev->shrinks || ev->cap)
			rp->skipped++;
		else
			rp->empty++;
		return 0;
	}
	if (!c) {
		c = new_cont(rp, ev, line);
		if (!c) {
			snprintf(msg, msg_len, "out of memory");
			return -ENOMEM;
		}
		c->skipped = !start;
		rp->skipped += c->skipped;
		for (r = 0; r < NROWS && !c->skipped && !err; r++)
			err = kvg_vec_init_raw(&c->v[r], ev->elem_size,
					       r ? rp->rows[r].policy :
					       ev->policy, GFP_KERNEL) ?:
			      kvg_vec_set_pages_raw(&c->v[r], c->pages);
		if (err) {
			snprintf(msg, msg_len, "vector id %llu: %s",
				 (unsigned long long)ev->id, strerror(-err));
			return err;
		}
	} else if (!c->skipped && (memcmp(&ev->policy, &c->used, sizeof(c->used)) ||
				   ev->elem_size != c->elem_size)) {
		snprintf(msg, msg_len, "vector id %llu changed its policy or elem_size since line %lu",
			 (unsigned long long)ev->id, c->line);
		return -EINVAL;
	}
	if (c->skipped) {
		if (ev->kind == KVG_TEV_FREE)
			kvg_map_delete(&rp->ids, &ev->id);
		return 0;
	}
	/*
	 * kvg_vec_set_pages() between two events: every row follows; one
	 * already page-backed under another policy stays so (it is refused
	 * there), the traced row must follow.
	 */
	if (ev->pages != c->pages) {
		c->pages = ev->pages;
		for (r = 0; r < NROWS; r++) {
			err = kvg_vec_set_pages_raw(&c->v[r], c->pages);
			if (err && !r) {
				snprintf(msg, msg_len, "vector id %llu: pages=%d while page-backed",
					 (unsigned long long)ev->id, c->pages);
				return -EINVAL;
			}
		}
		err = 0;
	}
	if (ev->kind == KVG_TEV_GROW)
		c->batch = ev->need - ev->len;
	for (r = 0; r < NROWS && !err; r++) {
		struct row *row = &rp->rows[r];
		struct kvg_vec *v = &c->v[r];
		struct before b;

		switch (ev->kind) {
		case KVG_TEV_MAKE:
			before(v, &b);
			kvg_vec_free_raw(v);
			err = kvg_vec_make_pages_site(v, ev->elem_size,
						      r ? row->policy : ev->policy,
						      ev->need, GFP_KERNEL,
						      c->pages, NULL);
			after(row, v, &b);
			break;
		case KVG_TEV_GROW:
			err = set_len(row, c, v, ev->len) ?:
			      extend(row, v, ev->need - ev->len);
			break;
		case KVG_TEV_SHRINK:
			err = set_len(row, c, v, ev->len);
			if (!err) {
				before(v, &b);
				err = kvg_vec_clip_raw(v);
				after(row, v, &b);
			}
			break;
		case KVG_TEV_FREE:
			err = set_len(row, c, v, ev->len);
			if (!err && !r)
				check(rp, c, ev, line);
			if (!err)
				finish(row, v);
			break;
		}
	}
	if (err) {
		snprintf(msg, msg_len, "vector id %llu under %s: %s",
			 (unsigned long long)ev->id,
			 rp->rows[r - 1].name, strerror(-err));
		return err;
	}
	if (ev->kind == KVG_TEV_FREE) {
		rp->freed++;
		kvg_map_delete(&rp->ids, &ev->id);
	}
	return 0;
}

/* "%.2f" of @a / @b, or "-" for a zero @b. */
static void ratio(u64 a, u64 b)
{
	if (b)
		printf("\t%.2f", (double)a / b);
	else
		printf("\t-");
}

/* Bytes with a decimal unit, as "2.3 TB a day" has it. */
static const char *human(unsigned __int128 v, char *buf, size_t len)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	double d = (double)v;
	unsigned int u = 0;

	while (d >= 1000 && u + 1 < ARRAY_SIZE(units)) {
		d /= 1000;
		u++;
	}
	snprintf(buf, len, u ? "%.2f %s" : "%.0f %s", d, units[u]);
	return buf;
}

static void report(struct replay *rp, const char *path, size_t per_day,
		   unsigned long long lost)
{
	const struct row *t = &rp->rows[0];
	unsigned long vecs = rp->vectors, live = vecs - rp->freed;
	char a[32], m[32], s[32];
	unsigned int r;

	printf("# replay of %s: %lu vectors (%lu freed, %lu live at the end), %lu events; skipped: %lu grown before the trace began, %lu never allocated\n",
	       path, vecs, rp->freed, live, rp->events, rp->skipped, rp->empty);
	printf("# traced: each vector under its own policy; checked against kvg_vec_free's record for %lu: %s\n",
	       rp->checked, rp->mismatches ? "MISMATCH" : "all equal");
	if (lost)
		printf("# LOST %llu events: the figures are not the run's\n", lost);
	printf("policy\tfootprint\tpeak_footprint\tslack\tgrows\tmoved_bytes\ttransient_footprint\tallocated_bytes\tx_footprint\tx_peak\tx_slack\tx_grows\tx_moved\tx_transient\n");
	for (r = 0; r < NROWS; r++) {
		const struct row *w = &rp->rows[r];

		printf("%s\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu", w->name,
		       w->final, w->peak, w->final - w->live, w->grows,
		       w->moved, w->transient, w->allocated);
		ratio(w->final, t->final);
		ratio(w->peak, t->peak);
		ratio(w->final - w->live, t->final - t->live);
		ratio(w->grows, t->grows);
		ratio(w->moved, t->moved);
		ratio(w->transient, t->transient);
		printf("\n");
	}
	if (!per_day || !vecs)
		return;
	printf("# per day: %zu vectors like these %lu (each figure x %zu/%lu)\n",
	       per_day, vecs, per_day, vecs);
	printf("policy\tallocated_per_day\tmoved_per_day\tslack_per_day\tallocated\tmoved\tslack\n");
	for (r = 0; r < NROWS; r++) {
		const struct row *w = &rp->rows[r];
		unsigned __int128 al, mv, sl;

		al = (unsigned __int128)w->allocated * per_day / vecs;
		mv = (unsigned __int128)w->moved * per_day / vecs;
		sl = (unsigned __int128)(w->final - w->live) * per_day / vecs;

		printf("%s\t%.0f\t%.0f\t%.0f\t%s\t%s\t%s\n", w->name, (double)al,
		       (double)mv, (double)sl, human(al, a, sizeof(a)),
		       human(mv, m, sizeof(m)), human(sl, s, sizeof(s)));
	}
}

/* Read and check the whole trace first: a bad line, and nothing else. */
/*
 * Events the ring buffer lost, as tracefs says: its header's
 * "entries-in-buffer/entries-written: 9/12", or a "[LOST 3 EVENTS]" line.
 */
static unsigned long long lost_events(const char *line)
{
	unsigned long long kept, written, lost;
	const char *p;

	if (sscanf(line, "# entries-in-buffer/entries-written: %llu/%llu",
		   &kept, &written) == 2)
		return written > kept ? written - kept : 0;
	p = strstr(line, "[LOST ");
	if (p && sscanf(p, "[LOST %llu EVENTS]", &lost) == 1)
		return lost;
	return 0;
}

static int read_trace(FILE *f, const char *path, struct tev_line **out,
		      size_t *count, unsigned long long *lost)
{
	struct tev_line *evs = NULL, *p;
	size_t n = 0, alloc = 0, cap = 0;
	unsigned long line = 0;
	char *buf = NULL, msg[256];
	struct kvg_tev ev;
	int ret;

	while (getline(&buf, &cap, f) >= 0) {
		line++;
		*lost += lost_events(buf);
		ret = kvg_trace_parse(buf, &ev, msg, sizeof(msg));
		if (ret == KVG_TEV_SKIP)
			continue;
		if (ret < 0) {
			fprintf(stderr, "kvgrow-sim: %s:%lu: %s\n", path, line, msg);
			goto fail;
		}
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			p = realloc(evs, alloc * sizeof(*p));
			if (!p) {
				fprintf(stderr, "kvgrow-sim: out of memory\n");
				goto fail;
			}
			evs = p;
		}
		evs[n].ev = ev;
		evs[n++].line = line;
	}
	if (ferror(f)) {
		fprintf(stderr, "kvgrow-sim: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	free(buf);
	*out = evs;
	*count = n;
	return 0;
fail:
	free(buf);
	free(evs);
	return -1;
}

static int usage(const char *why)
{
	fprintf(stderr, "kvgrow-sim: replay: %s\n", why);
	fprintf(stderr, "usage: kvgrow-sim replay TRACE|- [--per-day N]\n");
	return 2;
}

int cmd_replay(int argc, char **argv)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = sizeof(u64),
		.gfp = GFP_KERNEL,
	};
	static struct replay rp;
	const char *path = NULL;
	struct tev_line *evs;
	size_t n, i, per_day = 0;
	unsigned long long v, lost = 0;
	char msg[256], *end;
	unsigned int r;
	int err = 0, i_arg;
	FILE *f;

	for (i_arg = 0; i_arg < argc; i_arg++) {
		if (!strcmp(argv[i_arg], "--per-day")) {
			const char *s = i_arg + 1 < argc ? argv[++i_arg] : "";

			errno = 0;
			v = strtoull(s, &end, 10);
			if (*s < '0' || *s > '9' || *end || errno || !v || v > SIZE_MAX)
				return usage("--per-day needs a number of vectors above 0");
			per_day = v;
		} else if (!path && (argv[i_arg][0] != '-' || !strcmp(argv[i_arg], "-"))) {
			path = argv[i_arg];
		} else {
			return usage("unknown argument");
		}
	}
	if (!path)
		return usage("no TRACE");
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "kvgrow-sim: %s: %s\n", path, strerror(errno));
		return 1;
	}
	err = read_trace(f, path, &evs, &n, &lost);
	if (f != stdin)
		fclose(f);
	if (err)
		return 1;
	rp.rows[0].name = "traced";
	for (r = 1; r < NROWS; r++) {
		rp.rows[r].name = policy_names[r - 1];
		if (kvg_policy_parse(policy_names[r - 1], &rp.rows[r].policy))
			return usage("bad built-in policy");
	}
	if (kvg_map_init(&rp.ids, &cfg))
		return 1;
	for (i = 0; i < n && !err; i++) {
		err = apply(&rp, &evs[i].ev, evs[i].line, msg, sizeof(msg));
		if (err)
			fprintf(stderr, "kvgrow-sim: %s:%lu: %s\n", path,
				evs[i].line, msg);
	}
	/* The vectors still live at the end of the trace, as they are. */
	for (i = 0; i < rp.n; i++) {
		rp.vectors += !rp.conts[i]->skipped;
		for (r = 0; r < NROWS && !err && !rp.conts[i]->skipped; r++)
			if (rp.conts[i]->v[r].elem_size)
				finish(&rp.rows[r], &rp.conts[i]->v[r]);
		for (r = 0; r < NROWS; r++)
			kvg_vec_free_raw(&rp.conts[i]->v[r]);
		free(rp.conts[i]);
	}
	if (!err && lost)
		fprintf(stderr, "kvgrow-sim: %s: the trace lost %llu events (tracefs's ring buffer was full: make buffer_size_kb bigger); the figures are not the run's\n",
			path, lost);
	if (!err)
		report(&rp, path, per_day, lost);
	kvg_map_destroy(&rp.ids);
	free(rp.conts);
	free(evs);
	return err || rp.mismatches || lost ? 1 : 0;
}
