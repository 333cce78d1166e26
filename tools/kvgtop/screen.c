// SPDX-License-Identifier: GPL-2.0
/*
 * The interactive screen (ncurses): a title line, the totals, the first
 * error line if any, the table (entries or sites) and a line of keys; or
 * one entry's own file (vec/, map/, group/<name>) with a map's bucket
 * histogram; or the help.  The keys are main.c's usage text.  The tree is
 * read every delay seconds (or at once on space); keys redraw at once.
 */
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kvgtop.h"

enum mode { TABLE, DETAIL, HELP };

#define TABLE_KEYS "q quit  f s % g m n sort  r reverse  k kind  / filter  t sites  Enter open  h help"

struct screen {
	struct kt_opts o;
	struct kt_snapshot snap[2];
	struct kt_snapshot *cur, *prev;
	enum mode mode;
	size_t sel, top;		/* selected row, first row shown */
	char sel_kind[8], sel_name[KT_NAME_MAX];	/* kept across reads */
	char detail_kind[8], detail_name[KT_NAME_MAX];
	char msg[128];
};

static void read_tree(struct screen *sc)
{
	struct kt_snapshot *t = sc->prev;

	sc->prev = sc->cur;
	sc->cur = t;
	kt_snapshot_read(sc->cur, sc->o.root);
	kt_rates(sc->prev->ok ? sc->prev : NULL, sc->cur, sc->o.rate_dt);
}

/* A line at @y, cut at the screen's width. */
static void put(int y, const char *s, int attr)
{
	if (y >= LINES)
		return;
	attron(attr);
	mvaddnstr(y, 0, s, COLS);
	attroff(attr);
}

static void title(struct screen *sc)
{
	const struct kt_view *v = &sc->o.view;
	char line[512];

	snprintf(line, sizeof(line),
		 "kvgtop  %s  every %.1f s  sort %s%s  kind %s  filter '%s'  %s",
		 sc->o.root, sc->o.delay, kt_sort_names[v->sort],
		 v->reverse ? " (reversed)" : "", v->kind[0] ? v->kind : "all",
		 v->filter, v->sites ? "[sites]" : "[containers]");
	put(0, line, A_BOLD);
}

static void keys_line(struct screen *sc)
{
	const char *k = sc->mode == TABLE ? TABLE_KEYS :
		"q/Esc back  space refresh";

	put(LINES - 1, sc->msg[0] ? sc->msg : k, A_REVERSE);
}

static void draw_table(struct screen *sc)
{
	struct kt_snapshot *s = sc->cur;
	char line[1024];
	const void **rows;
	size_t n, i, avail;
	int y = 3;

	kt_fmt_header(line, sizeof(line), s, true);
	if (s->ok)
		put(1, line, 0);
	if (s->nerr) {
		snprintf(line, sizeof(line), "error: %s%s", s->err[0],
			 s->nerr > 1 ? "  (and more)" : "");
		put(2, line, A_BOLD);
	}
	if (!s->ok)
		return;
	rows = malloc((s->n > s->ns ? s->n : s->ns) * sizeof(*rows) + 1);
	if (!rows) {
		put(2, "error: out of memory", A_BOLD);
		return;
	}
	/* a column for the selection mark, then the row */
	line[0] = ' ';
	if (sc->o.view.sites) {
		kt_fmt_site_head(line + 1, sizeof(line) - 1, true);
		n = kt_view_sites(&sc->o.view, s, (const struct kt_site **)rows);
	} else {
		kt_fmt_entry_head(line + 1, sizeof(line) - 1, true);
		n = kt_view_rows(&sc->o.view, s, (const struct kt_entry **)rows);
		/* the selection follows its entry across reads and sorts */
		for (i = 0; i < n; i++) {
			const struct kt_entry *e = rows[i];

			if (!strcmp(e->kind, sc->sel_kind) &&
			    !strcmp(e->name, sc->sel_name)) {
				sc->sel = i;
				break;
			}
		}
	}
	put(y++, line, A_REVERSE);
	if (sc->sel >= n)
		sc->sel = n ? n - 1 : 0;
	avail = y + 1 < LINES ? LINES - y - 1 : 1;
	if (sc->sel < sc->top)
		sc->top = sc->sel;
	if (sc->sel >= sc->top + avail)
		sc->top = sc->sel - avail + 1;
	if (sc->top > n)
		sc->top = 0;
	for (i = sc->top; i < n && y < LINES - 1; i++, y++) {
		line[0] = i == sc->sel ? '>' : ' ';
		if (sc->o.view.sites)
			kt_fmt_site(line + 1, sizeof(line) - 1, rows[i], true);
		else
			kt_fmt_entry(line + 1, sizeof(line) - 1, rows[i], true);
		put(y, line, i == sc->sel ? A_BOLD : 0);
	}
	if (n && !sc->o.view.sites) {
		const struct kt_entry *e = rows[sc->sel];

		snprintf(sc->sel_kind, sizeof(sc->sel_kind), "%s", e->kind);
		snprintf(sc->sel_name, sizeof(sc->sel_name), "%s", e->name);
	}
	free(rows);
}

/* Lines of @text from @y; returns the next y. */
static int put_text(int y, const char *text)
{
	const char *p = text, *nl;
	char line[KT_LINE_MAX + 1];
	size_t n;

	for (; *p && y < LINES - 1; p = nl + 1, y++) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > KT_LINE_MAX)
			n = KT_LINE_MAX;
		memcpy(line, p, n);
		line[n] = '\0';
		put(y, line, 0);
		if (!nl)
			return y + 1;
	}
	return y;
}

/*
 * buckets/<name>, drawn as bars: "overflow_buckets chains" rows (Go 1.19's
 * engine), or "histogram bin count" rows (Swiss maps: keys by groups
 * probed, tables by local depth).
 */
static void put_buckets(int y, const char *root, const char *name)
{
	char *text, *p, *nl, *tab, *bin, line[256];
	uint64_t v[48], max = 1;
	char label[48][12];
	int n = 0, i, w, err;
	bool swiss;

	err = kt_read_entry_file(root, "buckets", name, &text);
	if (err) {
		snprintf(line, sizeof(line), "buckets/%s: %s", name,
			 err == -ENOENT ? "none (a map registered without its lock, or gone)" :
			 strerror(-err));
		put(y, line, 0);
		return;
	}
	swiss = !strncmp(text, "histogram\t", 10);
	snprintf(line, sizeof(line), "buckets/%s: %s", name,
		 swiss ? "keys by groups probed, tables by local depth" :
		 "chains by overflow buckets");
	put(y++, line, A_BOLD);
	p = strchr(text, '\n');		/* past the header */
	for (; p && *++p && n < 48; p = nl) {
		nl = strchr(p, '\n');
		tab = strchr(p, '\t');
		if (!nl || !tab || tab > nl)
			break;
		*nl = '\0';
		*tab = '\0';
		bin = p;
		if (swiss) {
			bin = tab + 1;
			tab = strchr(bin, '\t');
			if (!tab)
				break;
			*tab = '\0';
		}
		if (strlen(bin) > 3 || !kt_parse_u64(tab + 1, &v[n]))
			break;
		snprintf(label[n], sizeof(label[n]), "%s%s",
			 !swiss ? "" : !strcmp(p, "probe_groups") ? "probe " :
			 "depth ", bin);
		if (v[n] > max)
			max = v[n];
		n++;
	}
	free(text);
	for (i = 0; i < n && y < LINES - 1; i++, y++) {
		w = (int)(v[i] * (uint64_t)(COLS > 40 ? COLS - 34 : 10) / max);
		snprintf(line, sizeof(line), "%*.11s %12llu ", swiss ? 9 : 4,
			 label[i], (unsigned long long)v[i]);
		put(y, line, 0);
		while (w-- > 0)
			addch('#');
	}
}

static void draw_detail(struct screen *sc)
{
	char line[256], *text;
	int err, y = 2;

	snprintf(line, sizeof(line), "%s/%s", sc->detail_kind, sc->detail_name);
	put(1, line, A_BOLD);
	err = kt_read_entry_file(sc->o.root, sc->detail_kind, sc->detail_name,
				 &text);
	if (err) {
		snprintf(line, sizeof(line), "%s: %s", sc->detail_name,
			 err == -ENOENT ? "gone (the container was destroyed)" :
			 strerror(-err));
		put(y, line, 0);
		return;
	}
	y = put_text(y, text);
	free(text);
	if (!strcmp(sc->detail_kind, "map"))
		put_buckets(y + 1, sc->o.root, sc->detail_name);
}

static void draw(struct screen *sc)
{
	erase();
	title(sc);
	if (sc->mode == TABLE)
		draw_table(sc);
	else if (sc->mode == DETAIL)
		draw_detail(sc);
	else
		put_text(1, kt_keys_help);
	keys_line(sc);
	refresh();
}

/* A line typed at the bottom into @buf; false if empty. */
static bool prompt(const char *what, char *buf, int len)
{
	move(LINES - 1, 0);
	clrtoeol();
	attron(A_REVERSE);
	addstr(what);
	attroff(A_REVERSE);
	addch(' ');
	echo();
	curs_set(1);
	timeout(-1);
	if (getnstr(buf, len - 1) != OK)
		buf[0] = '\0';
	noecho();
	curs_set(0);
	return buf[0];
}

static void set_sort(struct screen *sc, enum kt_sort k)
{
	sc->o.view.sort = k;
	if (sc->o.view.sites && k == KT_SORT_MOVED)
		snprintf(sc->msg, sizeof(sc->msg), "sites have no moved/s: sorted by name");
}

static void cycle_kind(struct screen *sc)
{
	static const char *const kinds[] = { "", "vec", "map", "group" };
	char *k = sc->o.view.kind;
	size_t i;

	for (i = 0; i < 4 && strcmp(k, kinds[i]); i++)
		;
	snprintf(k, sizeof(sc->o.view.kind), "%s", kinds[(i + 1) % 4]);
}

/* One key; false to quit. */
static bool key(struct screen *sc, int ch, double *next)
{
	char buf[KT_NAME_MAX];
	double d;
	char *end;

	if (sc->mode != TABLE) {
		if (ch == 'q' || ch == 27 || ch == '\n' || ch == KEY_ENTER ||
		    ch == 'h' || ch == '?')
			sc->mode = TABLE;
		else if (ch == ' ')
			*next = 0;
		return true;
	}
	switch (ch) {
	case 'q':
		return false;
	case 'f':
		set_sort(sc, KT_SORT_FOOTPRINT);
		break;
	case 's':
		set_sort(sc, KT_SORT_SLACK);
		break;
	case '%':
		set_sort(sc, KT_SORT_SLACK_PCT);
		break;
	case 'g':
		set_sort(sc, KT_SORT_GROWS);
		break;
	case 'm':
		set_sort(sc, KT_SORT_MOVED);
		break;
	case 'n':
		set_sort(sc, KT_SORT_NAME);
		break;
	case 'r':
		sc->o.view.reverse = !sc->o.view.reverse;
		break;
	case 'k':
		cycle_kind(sc);
		break;
	case '/':
		prompt("filter name (empty: none):", buf, sizeof(buf));
		snprintf(sc->o.view.filter, sizeof(sc->o.view.filter), "%s", buf);
		break;
	case 't':
		sc->o.view.sites = !sc->o.view.sites;
		sc->sel = 0;
		sc->top = 0;
		break;
	case 'd':
		if (prompt("delay (seconds):", buf, sizeof(buf))) {
			errno = 0;
			d = strtod(buf, &end);
			if (errno || *end || !(d >= 0.1 && d <= 3600))
				snprintf(sc->msg, sizeof(sc->msg),
					 "delay: 0.1 to 3600 s, not '%s'", buf);
			else
				sc->o.delay = d;
		}
		break;
	case ' ':
		*next = 0;
		break;
	case KEY_UP:
		if (sc->sel)
			sc->sel--;
		sc->sel_name[0] = '\0';
		break;
	case KEY_DOWN:
		sc->sel++;
		sc->sel_name[0] = '\0';
		break;
	case KEY_PPAGE:
		sc->sel = sc->sel > 10 ? sc->sel - 10 : 0;
		sc->sel_name[0] = '\0';
		break;
	case KEY_NPAGE:
		sc->sel += 10;
		sc->sel_name[0] = '\0';
		break;
	case KEY_HOME:
		sc->sel = 0;
		sc->sel_name[0] = '\0';
		break;
	case '\n':
	case KEY_ENTER:
	case 'o':
		if (sc->o.view.sites || !sc->sel_name[0])
			break;
		snprintf(sc->detail_kind, sizeof(sc->detail_kind), "%s", sc->sel_kind);
		snprintf(sc->detail_name, sizeof(sc->detail_name), "%s", sc->sel_name);
		sc->mode = DETAIL;
		break;
	case 'h':
	case '?':
		sc->mode = HELP;
		break;
	}
	return true;
}

int kt_screen(const struct kt_opts *o)
{
	struct screen sc = { .o = *o };
	double next = 0, now;
	long reads = 0;
	int ch, ms;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "kvgtop: not a terminal: use -b for plain text\n");
		return KT_EXIT_USAGE;
	}
	sc.cur = &sc.snap[0];
	sc.prev = &sc.snap[1];
	if (!initscr()) {
		fprintf(stderr, "kvgtop: cannot start the screen (TERM?)\n");
		return KT_EXIT_USAGE;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(50);	/* Esc alone: back at once */
	curs_set(0);
	for (;;) {
		now = kt_now();
		if (now >= next) {
			if (o->frames && reads++ == o->frames)
				break;	/* -n N: the Nth frame was shown */
			read_tree(&sc);
			next = now + sc.o.delay;
		}
		draw(&sc);
		ms = (int)((next - kt_now()) * 1000);
		timeout(ms > 0 ? ms : 0);
		ch = getch();
		if (ch == ERR)
			continue;
		sc.msg[0] = '\0';
		if (!key(&sc, ch, &next))
			break;
	}
	endwin();
	kt_snapshot_free(&sc.snap[0]);
	kt_snapshot_free(&sc.snap[1]);
	return KT_EXIT_OK;
}
