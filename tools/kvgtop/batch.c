// SPDX-License-Identifier: GPL-2.0
/*
 * Batch mode (-b): plain text frames, exact figures, for scripts and logs.
 * A frame:
 *   kvgtop frame I/N  ROOT  interval S s      ("interval -" on the first)
 *   containers ... footprint ... grows/s ... moved/s ...
 *   error: ...                                (one per error line, if any)
 *   <column header>
 *   <a row per entry, or per site with -t>
 *   <an empty line>
 * Between frames it waits -d seconds, or until SIGUSR1 (a frame now).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kvgtop.h"

/* Wait @secs, or less if SIGUSR1 comes (blocked, so none is lost). */
static void wait_frame(double secs)
{
	struct timespec ts;
	sigset_t set;
	double end = kt_now() + secs, left;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	while ((left = end - kt_now()) > 0) {
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		if (sigtimedwait(&set, NULL, &ts) == SIGUSR1)
			return;
		if (errno == EAGAIN)
			return;
	}
}

static void print_frame(const struct kt_opts *o, const struct kt_snapshot *s,
			const struct kt_snapshot *prev, long i)
{
	char line[1024];
	const void **rows;
	size_t j, n;

	printf("kvgtop frame %ld", i);
	if (o->frames)
		printf("/%ld", o->frames);
	printf("  %s  ", o->root);
	if (prev && prev->ok && s->ok)
		printf("interval %.2f s\n", o->rate_dt > 0 ? o->rate_dt : s->when - prev->when);
	else
		printf("interval -\n");
	if (s->ok) {
		kt_fmt_header(line, sizeof(line), s, false);
		printf("%s\n", line);
	}
	for (j = 0; j < s->nerr && j < KT_ERR_MAX; j++)
		printf("error: %s\n", s->err[j]);
	if (s->nerr > KT_ERR_MAX)
		printf("error: ... and %zu more\n", s->nerr - KT_ERR_MAX);
	if (!s->ok) {
		printf("\n");
		return;
	}
	rows = malloc((o->view.sites ? s->ns : s->n) * sizeof(*rows) + 1);
	if (!rows) {
		printf("error: out of memory\n\n");
		return;
	}
	if (o->view.sites) {
		kt_fmt_site_head(line, sizeof(line), false);
		printf("%s\n", line);
		n = kt_view_sites(&o->view, s, (const struct kt_site **)rows);
		for (j = 0; j < n; j++) {
			kt_fmt_site(line, sizeof(line), rows[j], false);
			printf("%s\n", line);
		}
	} else {
		kt_fmt_entry_head(line, sizeof(line), false);
		printf("%s\n", line);
		n = kt_view_rows(&o->view, s, (const struct kt_entry **)rows);
		for (j = 0; j < n; j++) {
			kt_fmt_entry(line, sizeof(line), rows[j], false);
			printf("%s\n", line);
		}
	}
	free(rows);
	printf("\n");
}

/*
 * Return: 0; 1 if a file was malformed; the KT_EXIT_* of the first frame
 * whose summary could not be read (the module unloaded meanwhile).
 */
int kt_batch(const struct kt_opts *o)
{
	struct kt_snapshot a = { 0 }, b = { 0 }, *cur = &a, *prev = &b, *t;
	int status = KT_EXIT_OK;
	sigset_t set;
	long i;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 1; !o->frames || i <= o->frames; i++) {
		if (i > 1)
			wait_frame(o->delay);
		kt_snapshot_read(cur, o->root);
		kt_rates(i > 1 ? prev : NULL, cur, o->rate_dt);
		print_frame(o, cur, i > 1 ? prev : NULL, i);
		fflush(stdout);
		if (!cur->ok && status <= KT_EXIT_DATA)
			status = cur->status;
		else if (cur->nerr && status == KT_EXIT_OK)
			status = KT_EXIT_DATA;
		t = prev;
		prev = cur;
		cur = t;
	}
	kt_snapshot_free(&a);
	kt_snapshot_free(&b);
	return status;
}
