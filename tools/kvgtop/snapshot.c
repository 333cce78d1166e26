// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a kvgrow debugfs tree (or a saved copy of one) into a snapshot.
 * No curses, no output: the caller prints the error lines it collects.
 *
 * Files read (kmod/render.c writes them):
 *   summary        the list of entries; required
 *   vectors        moved_bytes (and policy) of each vector
 *   group/<name>   moved_bytes of each group in summary
 *   sites          the per-site table
 * TSV files are read by header name; extra columns are ignored; a missing
 * required column, a short or long row, a bad number, an overlong or
 * unterminated line is an error line and the row is skipped.  A file that
 * is gone (ENOENT: its container was destroyed, or the module unloaded,
 * between two reads; or a read failed and the path is gone since) is
 * skipped without an error, except summary.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include "kvgtop.h"

#define DEBUGFS_MAGIC	0x64626720
#define TSV_COLS_MAX	64

double kt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void kt_snapshot_error(struct kt_snapshot *s, const char *fmt, ...)
{
	va_list ap;

	if (s->nerr < KT_ERR_MAX) {
		va_start(ap, fmt);
		vsnprintf(s->err[s->nerr], KT_ERR_LEN, fmt, ap);
		va_end(ap);
	}
	s->nerr++;
}

/* Digits only (no sign, no blanks), and no overflow. */
bool kt_parse_u64(const char *str, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (*str < '0' || *str > '9')
		return false;
	errno = 0;
	x = strtoull(str, &end, 10);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

/*
 * The whole of @path into a NUL-terminated *@buf (the caller frees it).
 * Return: 0, -errno, or -EFBIG past KT_FILE_MAX.
 */
int kt_read_file(const char *path, char **buf, size_t *len)
{
	size_t size = 4096, n = 0;
	char *b, *nb;
	ssize_t r;
	int fd, err = 0;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	b = malloc(size);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (n + 1 >= size) {
			if (size >= KT_FILE_MAX) {
				err = -EFBIG;
				break;
			}
			nb = realloc(b, size * 2);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			b = nb;
			size *= 2;
		}
		r = read(fd, b + n, size - 1 - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	/*
	 * debugfs fails the reads of a file removed while open with EIO (its
	 * dentry is dead): if the path is gone now, so is the container.
	 */
	if (err && err != -ENOENT && access(path, F_OK) && errno == ENOENT)
		err = -ENOENT;
	if (err) {
		free(b);
		return err;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int kt_read_entry_file(const char *root, const char *dir, const char *name,
		       char **text)
{
	char path[4096];
	size_t len;

	if (snprintf(path, sizeof(path), "%s/%s/%s", root, dir, name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	return kt_read_file(path, text, &len);
}

/* Exit status and message for a tree that cannot be read at all. */
int kt_check_root(const char *root, bool is_default, char *msg, size_t len)
{
	struct statfs fs;
	struct stat st;
	char path[4096];
	int fd;

	if (is_default && (statfs(KT_DEBUGFS, &fs) || fs.f_type != DEBUGFS_MAGIC)) {
		snprintf(msg, len, "debugfs is not mounted on " KT_DEBUGFS
			 " (mount -t debugfs none " KT_DEBUGFS ")");
		return KT_EXIT_NO_DEBUGFS;
	}
	if (stat(root, &st)) {
		if (errno == EACCES) {
			snprintf(msg, len,
				 "cannot read %s: %s (debugfs is root's: run kvgtop as root)",
				 root, strerror(errno));
			return KT_EXIT_PERM;
		}
		if (errno == ENOENT && is_default) {
			snprintf(msg, len, "kvgrow.ko is not loaded (no %s): insmod kvgrow.ko",
				 root);
			return KT_EXIT_NO_MODULE;
		}
		snprintf(msg, len, "%s: %s", root, strerror(errno));
		return errno == ENOENT ? KT_EXIT_NO_MODULE : KT_EXIT_IO;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(msg, len, "%s: not a directory", root);
		return KT_EXIT_NO_MODULE;
	}
	snprintf(path, sizeof(path), "%s/summary", root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES) {
			snprintf(msg, len,
				 "cannot read %s: %s (kvgrow's files are root's, mode 0400: run kvgtop as root)",
				 path, strerror(errno));
			return KT_EXIT_PERM;
		}
		snprintf(msg, len, "cannot read %s: %s%s", path, strerror(errno),
			 errno == ENOENT ? " (not a kvgrow tree)" : "");
		return errno == ENOENT ? KT_EXIT_NO_MODULE : KT_EXIT_IO;
	}
	close(fd);
	return KT_EXIT_OK;
}

/* ---- TSV ---------------------------------------------------------------- */

struct tsv_col {
	const char *name;
	bool required;
	int idx;		/* -1: absent */
};

/* What the row callbacks share while one snapshot is read. */
struct read_ctx {
	struct kt_snapshot *s;
	const char *root;
	struct kt_entry **sorted;	/* entries by kind and name, for joins */
	size_t nsorted;
	struct {			/* summary's total line */
		bool seen;
		struct kt_num n, live, fp, slack, grows;
	} total;
};

typedef void (*tsv_row_fn)(struct read_ctx *x, const char *file,
			   size_t lineno, char **f, const struct tsv_col *c);

/* Split @line at TABs into @f; the number of fields, or -1 past @max. */
static int split(char *line, char **f, int max)
{
	int n = 0;

	for (;;) {
		if (n == max)
			return -1;
		f[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			return n;
		*line++ = '\0';
	}
}

static void parse_tsv(struct read_ctx *x, const char *file, char *buf,
		      size_t len, struct tsv_col *cols, size_t ncols,
		      tsv_row_fn row)
{
	struct kt_snapshot *s = x->s;
	char *f[TSV_COLS_MAX], *line = buf, *nl;
	size_t lineno = 0, i;
	int nf, hf = 0, j;

	for (; line < buf + len; line = nl + 1) {
		lineno++;
		nl = memchr(line, '\n', buf + len - line);
		if (!nl) {
			kt_snapshot_error(s, "%s:%zu: truncated line (no newline at the end)",
					  file, lineno);
			return;
		}
		*nl = '\0';
		if ((size_t)(nl - line) > KT_LINE_MAX) {
			kt_snapshot_error(s, "%s:%zu: line longer than %d bytes",
					  file, lineno, KT_LINE_MAX);
			if (lineno == 1)
				return;
			continue;
		}
		if (memchr(line, '\0', nl - line)) {
			kt_snapshot_error(s, "%s:%zu: NUL byte in line", file, lineno);
			if (lineno == 1)
				return;
			continue;
		}
		nf = split(line, f, TSV_COLS_MAX);
		if (lineno == 1) {
			if (nf < 0) {
				kt_snapshot_error(s, "%s: more than %d columns",
						  file, TSV_COLS_MAX);
				return;
			}
			hf = nf;
			for (i = 0; i < ncols; i++) {
				cols[i].idx = -1;
				for (j = 0; j < nf; j++)
					if (!strcmp(f[j], cols[i].name))
						cols[i].idx = j;
				if (cols[i].idx < 0 && cols[i].required) {
					kt_snapshot_error(s, "%s: no column '%s'",
							  file, cols[i].name);
					return;
				}
			}
			continue;
		}
		if (nf != hf) {
			kt_snapshot_error(s, "%s:%zu: %s%d fields, the header has %d",
					  file, lineno, nf < 0 ? "more than " : "",
					  nf < 0 ? TSV_COLS_MAX : nf, hf);
			continue;
		}
		row(x, file, lineno, f, cols);
	}
	if (!lineno)
		kt_snapshot_error(s, "%s: empty (no header line)", file);
}

/* Column @c of the row as a number; "-" is unknown when @dash is allowed. */
static bool get_num(struct kt_snapshot *s, const char *file, size_t lineno,
		    char **f, const struct tsv_col *c, bool dash,
		    struct kt_num *out)
{
	const char *v;

	out->known = false;
	out->v = 0;
	if (c->idx < 0)
		return true;
	v = f[c->idx];
	if (dash && !strcmp(v, "-"))
		return true;
	if (!kt_parse_u64(v, &out->v)) {
		kt_snapshot_error(s, "%s:%zu: '%.40s' in column '%s' is not a number",
				  file, lineno, v, c->name);
		return false;
	}
	out->known = true;
	return true;
}

/* kvgrow's names are [A-Za-z0-9_.-]; anything else would be a path. */
static bool name_ok(const char *n)
{
	const char *p;

	if (!*n || strlen(n) >= KT_NAME_MAX || !strcmp(n, ".") || !strcmp(n, ".."))
		return false;
	for (p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return false;
	return true;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* ---- summary ------------------------------------------------------------ */

enum { SC_KIND, SC_NAME, SC_LEN, SC_CAP, SC_LIVE, SC_FP, SC_SLACK, SC_GROWS,
	SC_SITE, SC_NR };

static void summary_row(struct read_ctx *x, const char *file, size_t ln,
			char **f, const struct tsv_col *c)
{
	struct kt_snapshot *s = x->s;
	struct kt_entry e = { 0 }, *ne;
	typeof(x->total) *t = &x->total;

	if (!strcmp(f[c[SC_KIND].idx], "total")) {
		t->seen = get_num(s, file, ln, f, &c[SC_NAME], false, &t->n) &&
			  get_num(s, file, ln, f, &c[SC_LIVE], true, &t->live) &&
			  get_num(s, file, ln, f, &c[SC_FP], false, &t->fp) &&
			  get_num(s, file, ln, f, &c[SC_SLACK], true, &t->slack) &&
			  get_num(s, file, ln, f, &c[SC_GROWS], false, &t->grows);
		return;
	}
	if (strlen(f[c[SC_KIND].idx]) >= sizeof(e.kind) || !*f[c[SC_KIND].idx]) {
		kt_snapshot_error(s, "%s:%zu: bad kind '%.20s'", file, ln,
				  f[c[SC_KIND].idx]);
		return;
	}
	if (!name_ok(f[c[SC_NAME].idx])) {
		kt_snapshot_error(s, "%s:%zu: bad name '%.40s'", file, ln,
				  f[c[SC_NAME].idx]);
		return;
	}
	copy_str(e.kind, sizeof(e.kind), f[c[SC_KIND].idx]);
	copy_str(e.name, sizeof(e.name), f[c[SC_NAME].idx]);
	copy_str(e.site, sizeof(e.site), c[SC_SITE].idx < 0 ? "" : f[c[SC_SITE].idx]);
	if (!get_num(s, file, ln, f, &c[SC_LEN], true, &e.len) ||
	    !get_num(s, file, ln, f, &c[SC_CAP], true, &e.cap) ||
	    !get_num(s, file, ln, f, &c[SC_LIVE], true, &e.live) ||
	    !get_num(s, file, ln, f, &c[SC_FP], false, &e.footprint) ||
	    !get_num(s, file, ln, f, &c[SC_SLACK], true, &e.slack) ||
	    !get_num(s, file, ln, f, &c[SC_GROWS], false, &e.grows))
		return;
	if (s->n == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 64;

		ne = realloc(s->e, na * sizeof(*ne));
		if (!ne) {
			kt_snapshot_error(s, "%s:%zu: out of memory", file, ln);
			return;
		}
		s->e = ne;
		s->alloc = na;
	}
	s->e[s->n++] = e;
}

/* ---- vectors and groups: moved bytes ------------------------------------ */

enum { VC_NAME, VC_MOVED, VC_POLICY, VC_NR };

static int by_kind_name(const void *a, const void *b)
{
	const struct kt_entry *x = *(const struct kt_entry * const *)a;
	const struct kt_entry *y = *(const struct kt_entry * const *)b;
	int r = strcmp(x->kind, y->kind);

	return r ? r : strcmp(x->name, y->name);
}

static struct kt_entry *find(struct read_ctx *x, const char *kind,
			     const char *name)
{
	struct kt_entry key, *k = &key, **hit;

	copy_str(key.kind, sizeof(key.kind), kind);
	copy_str(key.name, sizeof(key.name), name);
	if (!x->sorted)
		return NULL;
	hit = bsearch(&k, x->sorted, x->nsorted, sizeof(*x->sorted),
		      by_kind_name);
	return hit ? *hit : NULL;
}

static void vectors_row(struct read_ctx *x, const char *file, size_t ln,
			char **f, const struct tsv_col *c)
{
	struct kt_entry *e = find(x, "vec", f[c[VC_NAME].idx]);
	struct kt_num moved;

	if (!get_num(x->s, file, ln, f, &c[VC_MOVED], false, &moved) || !e)
		return;		/* created after summary was read: next time */
	e->moved = moved;
	if (c[VC_POLICY].idx >= 0)
		copy_str(e->policy, sizeof(e->policy), f[c[VC_POLICY].idx]);
}

/* "key: value" lines: the value of @key, or NULL. */
static const char *kv_find(char *text, const char *key, char *val, size_t size)
{
	size_t kl = strlen(key);
	char *p = text, *nl;

	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			return NULL;	/* truncated last line: not trusted */
		if (!strncmp(p, key, kl) && p[kl] == ':' && p[kl + 1] == ' ' &&
		    (size_t)(nl - p) - kl - 2 < size) {
			memcpy(val, p + kl + 2, nl - p - kl - 2);
			val[nl - p - kl - 2] = '\0';
			return val;
		}
	}
	return NULL;
}

static void group_moved(struct kt_snapshot *s, const char *root,
			struct kt_entry *e)
{
	char *text, val[32];
	int err = kt_read_entry_file(root, "group", e->name, &text);

	if (err == -ENOENT)
		return;		/* destroyed since summary was read */
	if (err) {
		kt_snapshot_error(s, "group/%s: %s", e->name, strerror(-err));
		return;
	}
	if (!kv_find(text, "moved_bytes", val, sizeof(val)))
		kt_snapshot_error(s, "group/%s: no line 'moved_bytes: N'", e->name);
	else if (!kt_parse_u64(val, &e->moved.v))
		kt_snapshot_error(s, "group/%s: moved_bytes '%s' is not a number",
				  e->name, val);
	else
		e->moved.known = true;
	free(text);
}

/* ---- sites -------------------------------------------------------------- */

enum { TC_CONT, TC_FP, TC_SLACK, TC_GROWS, TC_SITE, TC_NR };

static void sites_row(struct read_ctx *x, const char *file, size_t ln,
		      char **f, const struct tsv_col *c)
{
	struct kt_snapshot *s = x->s;
	struct kt_site t = { 0 }, *ns;
	struct kt_num cont, fp, grows;

	if (!get_num(s, file, ln, f, &c[TC_CONT], false, &cont) ||
	    !get_num(s, file, ln, f, &c[TC_FP], false, &fp) ||
	    !get_num(s, file, ln, f, &c[TC_SLACK], true, &t.slack) ||
	    !get_num(s, file, ln, f, &c[TC_GROWS], false, &grows))
		return;
	t.containers = cont.v;
	t.footprint = fp.v;
	t.grows = grows.v;
	copy_str(t.site, sizeof(t.site), f[c[TC_SITE].idx]);
	if (s->ns == s->salloc) {
		size_t na = s->salloc ? s->salloc * 2 : 32;

		ns = realloc(s->s, na * sizeof(*ns));
		if (!ns) {
			kt_snapshot_error(s, "%s:%zu: out of memory", file, ln);
			return;
		}
		s->s = ns;
		s->salloc = na;
	}
	s->s[s->ns++] = t;
}

/* ---- the snapshot ------------------------------------------------------- */

/* Read @root/@file and parse it; false if it could not be read. */
static bool read_tsv(struct read_ctx *x, const char *file,
		     struct tsv_col *cols, size_t ncols, tsv_row_fn row,
		     int *errp)
{
	struct kt_snapshot *s = x->s;
	char path[4096], *buf;
	size_t len;
	int err;

	snprintf(path, sizeof(path), "%s/%s", x->root, file);
	err = kt_read_file(path, &buf, &len);
	if (errp)
		*errp = err;
	if (err) {
		if (err != -ENOENT)
			kt_snapshot_error(s, "%s: %s", file,
					  err == -EFBIG ? "larger than 16 MiB" :
					  strerror(-err));
		return false;
	}
	parse_tsv(x, file, buf, len, cols, ncols, row);
	free(buf);
	return true;
}

static void totals(struct read_ctx *x)
{
	struct kt_snapshot *s = x->s;
	struct kt_totals *t = &s->tot;
	typeof(x->total) *l = &x->total;
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < s->n; i++) {
		const struct kt_entry *e = &s->e[i];

		t->entries++;
		if (!strcmp(e->kind, "vec"))
			t->vecs++;
		else if (!strcmp(e->kind, "map"))
			t->maps++;
		else if (!strcmp(e->kind, "group"))
			t->groups++;
		t->footprint += e->footprint.v;
		t->live += e->live.v;
		t->slack += e->slack.v;
		t->grows += e->grows.v;
		t->moved += e->moved.v;
	}
	/* The module's own total line, when the file was read whole. */
	if (!l->seen || s->nerr)
		return;
	if (l->n.v != t->entries || l->fp.v != t->footprint ||
	    l->grows.v != t->grows || (l->live.known && l->live.v != t->live) ||
	    (l->slack.known && l->slack.v != t->slack))
		kt_snapshot_error(s,
				  "summary: the total line (%llu entries, footprint %llu) disagrees with the rows (%zu, %llu)",
				  (unsigned long long)l->n.v,
				  (unsigned long long)l->fp.v, t->entries,
				  (unsigned long long)t->footprint);
}

void kt_snapshot_read(struct kt_snapshot *s, const char *root)
{
	struct tsv_col sc[SC_NR] = {
		{ "kind", true, -1 }, { "name", true, -1 }, { "len", true, -1 },
		{ "cap", true, -1 }, { "live_bytes", true, -1 }, { "footprint", true, -1 },
		{ "slack", true, -1 }, { "grows", true, -1 }, { "site", false, -1 },
	};
	struct tsv_col vc[VC_NR] = {
		{ "name", true, -1 }, { "moved_bytes", true, -1 }, { "policy", false, -1 },
	};
	struct tsv_col tc[TC_NR] = {
		{ "containers", true, -1 }, { "footprint", true, -1 }, { "slack", true, -1 },
		{ "grows", true, -1 }, { "site", true, -1 },
	};
	struct read_ctx x = { .s = s, .root = root };
	size_t i;
	int err;

	kt_snapshot_free(s);
	s->when = kt_now();
	if (!read_tsv(&x, "summary", sc, SC_NR, summary_row, &err)) {
		s->status = err == -ENOENT ? KT_EXIT_NO_MODULE :
			    err == -EACCES ? KT_EXIT_PERM : KT_EXIT_IO;
		if (err == -ENOENT)
			kt_snapshot_error(s, "summary: gone (kvgrow.ko unloaded?)");
		return;
	}
	s->ok = true;
	x.sorted = s->n ? malloc(s->n * sizeof(*x.sorted)) : NULL;
	if (x.sorted) {
		for (i = 0; i < s->n; i++)
			x.sorted[i] = &s->e[i];
		x.nsorted = s->n;
		qsort(x.sorted, x.nsorted, sizeof(*x.sorted), by_kind_name);
	}
	read_tsv(&x, "vectors", vc, VC_NR, vectors_row, NULL);
	free(x.sorted);
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->e[i].kind, "group"))
			group_moved(s, root, &s->e[i]);
	read_tsv(&x, "sites", tc, TC_NR, sites_row, NULL);
	totals(&x);
}

void kt_snapshot_free(struct kt_snapshot *s)
{
	free(s->e);
	free(s->s);
	memset(s, 0, sizeof(*s));
}
