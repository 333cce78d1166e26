// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow-sim: what a growth policy costs for a workload, computed by the
 * library itself (built against the userspace shims, whose allocator model
 * rounds like the kernel's and moves blocks where 6.12's kvrealloc does).
 * All output is TSV.
 *
 *   kvgrow-sim vec --policy P --elem-size S --n N [--hint H] [--batch K]
 *                  [--no-pages] [--trace FILE]
 *   kvgrow-sim grow --policy P -
 *   kvgrow-sim slack --policy P --elem-size S --n N
 *   kvgrow-sim oom --n N --budget B
 *   kvgrow-sim measure-pages --n N
 *   kvgrow-sim map --n N [--hint H] [--engine E] [--trace FILE]
 *   kvgrow-sim map-churn --window W --steps S [--engine E] [--trace FILE]
 *   kvgrow-sim map-deleteall --n N [--engine E] [--trace FILE]
 *   kvgrow-sim map-constants [--n N]
 *   kvgrow-sim policies
 *   kvgrow-sim replay TRACE [--per-day N]      (replay.c)
 *
 * vec: --no-pages keeps the vector on kvmalloc blocks (no page backend,
 * lib/vec_pages.c).  slack: the largest slack over footprint at any length
 * from KVG_PAGES_MIN_BYTES to N elements, for a vector that may page,
 * walked through the policy without allocating.  oom: kvgrow_lab's
 * scenario-oom on the host, the same TSV.  measure-pages: timings on this
 * host (never used by tests): one growth step by copy against one by remap,
 * per size, and N u64 appended one at a time on each path.
 *
 * The map commands use u64 keys (a bijective mix of 0, 1, 2, ...) and u64
 * values, iteration ordered, on the engine --engine names as kvgrow_lab's
 * map-create does (kmod/lab/parse.c): kvg, the default (Swiss tables),
 * go119 (Go 1.19's engine with kvgrow's reclaim and shrinking) or go (Go
 * 1.19's behaviour: KVG_MAP_GO_COMPAT); --go is --engine go.
 * map-constants: the Swiss engine's measured constants (lib/swiss_table.c).
 */
#include <errno.h>
#include <time.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <kvgrow/map.h>
#include <kvgrow/mix.h>
#include <kvgrow/policy.h>
#include <kvgrow/vec.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include "../../lib/kvg_pages.h"
#include "../../lib/swiss.h"
#include "replay.h"
#include "../../kmod/lab/oom.h"
#include "../../kmod/lab/parse.h"

static const char usage[] =
	"usage: kvgrow-sim vec --policy P --elem-size S --n N [--hint H] [--batch K] [--no-pages]\n"
	"                      [--trace FILE]    (the run's trace events, as tracefs prints them)\n"
	"       kvgrow-sim grow --policy P -    (stdin: elem_size len cap add)\n"
	"       kvgrow-sim slack --policy P --elem-size S --n N\n"
	"       kvgrow-sim oom --n N --budget B\n"
	"       kvgrow-sim measure-pages --n N    (timings of this host)\n"
	"       kvgrow-sim map --n N [--hint H] [--engine E] [--trace FILE]\n"
	"       kvgrow-sim map-churn --window W --steps S [--engine E] [--trace FILE]\n"
	"       kvgrow-sim map-deleteall --n N [--engine E] [--trace FILE]\n"
	"       kvgrow-sim map-constants [--n N]    (the Swiss engine's measured constants)\n"
	"       kvgrow-sim policies    (each P's name and rule)\n"
	"       kvgrow-sim replay TRACE|- [--per-day N]    (a trace's vectors under every policy)\n"
	"--engine kvg|go119|go: the map engine, as map-create names it (default kvg:\n"
	"Swiss tables; go119: Go 1.19's map with kvgrow's reclaim; go: Go 1.19's map);\n"
	"--go: --engine go\n";

static int __printf(1, 2) die_usage(const char *fmt, ...)
{
	const char *name;
	unsigned int i;
	va_list ap;

	va_start(ap, fmt);
	fputs("kvgrow-sim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
	va_end(ap);
	fputs(usage, stderr);
	fputs("policies:", stderr);
	for (i = 0; (name = kvg_policy_describe(i, NULL)); i++)
		fprintf(stderr, " %s", name);
	fputs("\n", stderr);
	exit(2);
}

/* A whole decimal number, no sign, no trailing junk, no overflow. */
static int parse_size(const char *s, size_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > SIZE_MAX)
		return errno ? -errno : -EINVAL;
	*out = v;
	return 0;
}

struct opts {
	struct kvg_policy policy;
	bool have_policy;
	size_t elem_size, n, hint, batch;
	bool stdin_dash;
	const char *trace;
	bool no_pages;
	size_t budget;
};

static void parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	o->batch = 1;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		size_t *num = NULL;

		if (!strcmp(a, "-")) {
			o->stdin_dash = true;
			continue;
		}
		if (!strcmp(a, "--no-pages")) {
			o->no_pages = true;
			continue;
		}
		if (!strcmp(a, "--policy")) {
			if (!val || kvg_policy_parse(val, &o->policy))
				die_usage("bad --policy '%s'", val ? val : "");
			o->have_policy = true;
			i++;
			continue;
		}
		if (!strcmp(a, "--trace")) {
			if (!val)
				die_usage("--trace needs a file");
			o->trace = val;
			i++;
			continue;
		}
		if (!strcmp(a, "--elem-size"))
			num = &o->elem_size;
		else if (!strcmp(a, "--n"))
			num = &o->n;
		else if (!strcmp(a, "--hint"))
			num = &o->hint;
		else if (!strcmp(a, "--batch"))
			num = &o->batch;
		else if (!strcmp(a, "--budget"))
			num = &o->budget;
		else
			die_usage("unknown argument '%s'", a);
		if (parse_size(val, num))
			die_usage("%s needs a number, got '%s'", a, val ? val : "");
		i++;
	}
}

/* Send the library's trace events to @path, as tracefs prints them. */
static int trace_open(const char *path)
{
	if (!path)
		return 0;
	shim_trace_file = (struct _IO_FILE *)fopen(path, "w");
	if (shim_trace_file)
		return 0;
	fprintf(stderr, "kvgrow-sim: %s: %s\n", path, strerror(errno));
	return -errno;
}

static int trace_close(const char *path)
{
	int err = 0;

	if (shim_trace_file && fclose((FILE *)shim_trace_file)) {
		fprintf(stderr, "kvgrow-sim: %s: %s\n", path, strerror(errno));
		err = -EIO;
	}
	shim_trace_file = NULL;
	return err;
}

static int cmd_vec(int argc, char **argv)
{
	struct kvg_vec_stats st;
	struct opts o = { };
	struct kvg_vec v;
	size_t old_cap;
	void *chunk;
	int err;

	parse_opts(argc, argv, &o);
	if (!o.have_policy)
		die_usage("--policy is required");
	if (!o.elem_size || !o.batch || o.stdin_dash || o.budget)
		die_usage("vec needs --elem-size and --n, and --batch above 0");
	if (trace_open(o.trace))
		return 1;
	err = kvg_vec_make_pages_site(&v, o.elem_size, o.policy, o.hint,
				      GFP_KERNEL, !o.no_pages, NULL);
	if (err) {
		fprintf(stderr, "kvgrow-sim: make: %s\n", strerror(-err));
		return 1;
	}
	chunk = calloc(min(o.batch, o.n ?: 1), o.elem_size);
	if (!chunk) {
		fprintf(stderr, "kvgrow-sim: out of memory\n");
		return 1;
	}
	printf("len_before\told_cap\tnew_cap\tfootprint\n");
	if (v.cap) {
		kvg_vec_snapshot_raw(&v, &st);
		printf("0\t0\t%zu\t%zu\n", v.cap, st.footprint_bytes);
	}
	while (v.len < o.n) {
		size_t k = min(o.batch, o.n - v.len), len = v.len;

		old_cap = v.cap;
		err = kvg_vec_append_raw(&v, chunk, k);
		if (err) {
			fprintf(stderr, "kvgrow-sim: append at len %zu: %s\n",
				len, strerror(-err));
			break;
		}
		if (v.cap != old_cap) {
			kvg_vec_snapshot_raw(&v, &st);
			printf("%zu\t%zu\t%zu\t%zu\n", len, old_cap, v.cap,
			       st.footprint_bytes);
		}
	}
	kvg_vec_snapshot_raw(&v, &st);
	printf("# grows=%llu moved_bytes=%llu cap=%zu footprint=%zu slack=%zu peak_footprint=%zu backend=%d remapped_pages=%llu\n",
	       (unsigned long long)st.grows,
	       (unsigned long long)st.moved_bytes, st.cap,
	       st.footprint_bytes, st.slack_bytes, st.peak_footprint_bytes,
	       st.backend, (unsigned long long)st.remapped_pages);
	kvg_vec_free_raw(&v);
	free(chunk);
	if (trace_close(o.trace))
		err = -EIO;
	return err ? 1 : 0;
}

static int cmd_grow(int argc, char **argv)
{
	char line[256], *tok[5], *save;
	struct opts o = { };
	size_t f[4], cap;
	unsigned long lineno = 0;
	int n, i, status = 0, err;

	parse_opts(argc, argv, &o);
	if (!o.have_policy)
		die_usage("--policy is required");
	if (!o.stdin_dash || o.elem_size || o.n || o.hint || o.budget ||
	    o.no_pages || o.trace)
		die_usage("grow takes only --policy P and - (stdin)");
	while (fgets(line, sizeof(line), stdin)) {
		lineno++;
		n = 0;
		for (tok[n] = strtok_r(line, " \t\n", &save); tok[n] && n < 4;
		     tok[n] = strtok_r(NULL, " \t\n", &save))
			n++;
		if (!n)
			continue;
		for (i = 0, err = n == 4 ? 0 : -EINVAL; !err && i < 4; i++)
			err = parse_size(tok[i], &f[i]);
		if (!err && f[1] > f[2])
			err = -EINVAL;
		if (!err && check_add_overflow(f[1], f[3], &f[3]))
			err = -EOVERFLOW;
		cap = f[2];
		if (!err && f[3] > cap)
			err = kvg_policy_grow(o.policy, f[2], f[3], f[0], &cap);
		if (err) {
			fprintf(stderr, "kvgrow-sim: line %lu: %s\n", lineno,
				strerror(-err));
			printf("error\n");
			status = 1;
			continue;
		}
		printf("%zu\n", cap);
	}
	return status;
}

/*
 * The slack of a vector that may page, appended one element at a time to
 * --n: a row per growth from KVG_PAGES_MIN_BYTES on (len, cap, footprint,
 * slack over footprint in hundredths of a percent, right after the
 * growth, where it is largest), then the largest.  Capacities come from
 * kvg_policy_grow_pages() and footprints from the backend a capacity
 * takes: whole pages from KVG_PAGES_MIN_BYTES, kvmalloc's below.
 */
static int cmd_slack(int argc, char **argv)
{
	size_t cap = 0, from, fp, worst = 0, worst_len = 0, len;
	struct opts o = { };
	int err;

	parse_opts(argc, argv, &o);
	if (!o.have_policy)
		die_usage("--policy is required");
	if (!o.elem_size || !o.n || o.hint || o.budget || o.no_pages || o.trace ||
	    o.stdin_dash || o.batch != 1)
		die_usage("slack takes --policy, --elem-size and --n");
	from = DIV_ROUND_UP(KVG_PAGES_MIN_BYTES, o.elem_size);
	printf("len\tcap\tfootprint\tslack_x10000\n");
	for (len = 1; len <= o.n; len = cap + 1) {
		size_t s;

		if (len > cap) {
			err = kvg_policy_grow_pages(o.policy, cap, len,
						    o.elem_size, &cap);
			if (err) {
				fprintf(stderr, "kvgrow-sim: grow at %zu: %s\n",
					len, strerror(-err));
				return 1;
			}
		}
		if (cap < from)
			continue;
		/* The first length counted: from, or just past a growth. */
		len = max(len, from);
		fp = cap * o.elem_size >= KVG_PAGES_MIN_BYTES ?
		     PAGE_ALIGN(cap * o.elem_size) :
		     kvg_kvmalloc_roundup(cap * o.elem_size);
		s = (fp - len * o.elem_size) * 10000 / fp;
		printf("%zu\t%zu\t%zu\t%zu\n", len, cap, fp, s);
		if (s > worst) {
			worst = s;
			worst_len = len;
		}
	}
	printf("# from=%zu max_slack_x10000=%zu at_len=%zu\n", from, worst,
	       worst_len);
	return 0;
}

/*
 * kvgrow_lab's scenario-oom on the host, the same runs and loop
 * (kmod/lab/oom.c), without the time column.
 */
static int cmd_oom(int argc, char **argv)
{
	struct kvg_vec_stats st;
	struct opts o = { };
	unsigned int i;
	bool fits;
	int err;

	parse_opts(argc, argv, &o);
	if (!o.n || !o.budget || o.have_policy || o.elem_size || o.hint ||
	    o.no_pages || o.trace || o.stdin_dash || o.batch != 1)
		die_usage("oom takes --n and --budget");
	printf(KVG_OOM_HEADER "\n");
	for (i = 0; i < ARRAY_SIZE(kvg_oom_runs); i++) {
		err = kvg_oom_append(&kvg_oom_runs[i], o.n, o.budget,
				     GFP_KERNEL, NULL, &st, &fits);
		if (err) {
			fprintf(stderr, "kvgrow-sim: oom %s: %s\n",
				kvg_oom_runs[i].name, strerror(-err));
			return 1;
		}
		printf("%s\t%zu\t%llu\t%llu\t%zu\t%zu\t%llu\t%zu\t%s\n",
		       kvg_oom_runs[i].name, st.len,
		       (unsigned long long)st.grows,
		       (unsigned long long)st.moved_bytes,
		       st.peak_footprint_bytes, st.live_bytes,
		       st.live_bytes ? st.peak_footprint_bytes * 100ULL /
				       st.live_bytes : 0,
		       o.budget, fits ? "yes" : "no");
	}
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * One growth step of a @bytes block, per KiB it adds: by copy (the
 * memcpy() alone, into memory already touched, as kmalloc()'s is: a lower
 * bound of the kvmalloc path, each step adding a quarter) and by remap
 * (the missing pages, vmap() of all, vunmap() of the old view: the page
 * backend through the shim's mmap() calls, each step adding
 * 1/KVG_PAGES_STEP_DIV, at least a page).  The best of @reps.
 */
static void measure_step(size_t bytes, unsigned int reps)
{
	size_t nr = bytes / PAGE_SIZE, add = max(nr / KVG_PAGES_STEP_DIV, (size_t)1);
	double copy = 1e30, remap = 1e30, t;
	unsigned int r;

	for (r = 0; r < reps; r++) {
		char *p = malloc(bytes), *q = malloc(bytes + bytes / 4);

		if (!p || !q)
			return;
		memset(p, 1, bytes);
		memset(q, 2, bytes + bytes / 4);
		t = now_ns();
		memcpy(q, p, bytes);
		t = now_ns() - t;
		copy = t < copy ? t : copy;
		free(p);
		free(q);
	}
	for (r = 0; r < reps; r++) {
		void *v, *w;

		if (kvg_pages_map(NULL, 0, nr, GFP_KERNEL, &v))
			return;
		memset(v, 1, bytes);
		t = now_ns();
		if (kvg_pages_map(v, nr, nr + add, GFP_KERNEL, &w))
			return;
		kvg_pages_release(v, nr, nr);
		t = now_ns() - t;
		remap = t < remap ? t : remap;
		kvg_pages_release(w, nr + add, 0);
	}
	printf("%zu\t%.0f\t%.0f\n", bytes, copy / (bytes / 4 / 1024.0),
	       remap / (add * PAGE_SIZE / 1024.0));
}

static int cmd_measure_pages(int argc, char **argv)
{
	static const struct {
		const char *name;
		bool pages;
		enum shim_kvrealloc_mode mode;
	} paths[] = {
		{ "pages", true, SHIM_KVREALLOC_COPY },
		{ "kvmalloc-copy", false, SHIM_KVREALLOC_COPY },
		{ "kvmalloc-glibc-remap", false, SHIM_KVREALLOC_REMAP },
	};
	struct shim_alloc_stats a0, a1;
	struct shim_page_stats p0, p1;
	struct opts o = { };
	size_t bytes, i, k;
	int err = 0;

	parse_opts(argc, argv, &o);
	if (!o.n || o.have_policy || o.elem_size || o.hint || o.budget ||
	    o.no_pages || o.trace || o.stdin_dash || o.batch != 1)
		die_usage("measure-pages takes --n");
	printf("# one growth step, ns per KiB it adds (best of 20): memcpy alone, remap\n");
	printf("bytes\tcopy_x1.25\tremap_1/%d\n", KVG_PAGES_STEP_DIV);
	shim_kvrealloc_mode = SHIM_KVREALLOC_COPY;
	for (bytes = 16 << 10; bytes <= 4 << 20; bytes *= 2)
		measure_step(bytes, 20);
	printf("# %zu u64 appended one at a time, kvg\n", o.n);
	printf("path\tms\tmoved_bytes\tkvrealloc_copied\tremapped_pages\tvmaps\t"
	       "footprint\tpeak_footprint\tpeak_x1000\n");
	for (i = 0; !err && i < ARRAY_SIZE(paths); i++) {
		struct kvg_vec_stats st;
		union { KVG_VEC_MEMBERS(u64); } v;
		double t;

		shim_kvrealloc_mode = paths[i].mode;
		shim_alloc_stats(&a0);
		shim_page_stats(&p0);
		err = kvg_vec_init(&v, GFP_KERNEL);
		if (!err)
			err = kvg_vec_set_pages(&v, paths[i].pages);
		t = now_ns();
		for (k = 0; !err && k < o.n; k++)
			err = kvg_vec_push(&v, k);
		t = now_ns() - t;
		for (k = 0; !err && k < o.n; k++)
			if (v.data[k] != k)
				err = -EFAULT;
		if (err)
			break;
		shim_alloc_stats(&a1);
		shim_page_stats(&p1);
		kvg_vec_snapshot(&v, &st);
		printf("%s\t%.1f\t%llu\t%llu\t%llu\t%llu\t%zu\t%zu\t%zu\n",
		       paths[i].name, t / 1e6,
		       (unsigned long long)st.moved_bytes,
		       a1.copied_bytes - a0.copied_bytes,
		       (unsigned long long)st.remapped_pages,
		       p1.vmaps - p0.vmaps, st.footprint_bytes,
		       st.peak_footprint_bytes,
		       st.peak_footprint_bytes * 1000 / st.footprint_bytes);
		kvg_vec_free(&v);
	}
	if (err)
		fprintf(stderr, "kvgrow-sim: measure-pages: %s\n", strerror(-err));
	return err ? 1 : 0;
}

/* The library's policies, as kvgrow.ko's debugfs file lists them. */
static int cmd_policies(int argc, char **argv)
{
	const char *name, *rule;
	unsigned int i;

	if (argc)
		die_usage("policies takes no arguments");
	printf("name\trule\n");
	for (i = 0; (name = kvg_policy_describe(i, &rule)); i++)
		printf("%s\t%s\n", name, rule);
	return 0;
}

/* ---- maps ---- */

#define MO_N		0x01
#define MO_HINT		0x02
#define MO_WINDOW	0x04
#define MO_STEPS	0x08
#define MO_ENGINE	0x10	/* --engine NAME, or --go */
#define MO_TRACE	0x20

struct map_opts {
	size_t n, hint, window, steps;
	int engine;		/* KVG_MAP_MODE_* */
	const char *trace;
	unsigned int seen;	/* MO_* given */
};

/* Only the options in @allowed; @required must all be there. */
static void parse_map_opts(const char *cmd, int argc, char **argv,
			   struct map_opts *o, unsigned int allowed,
			   unsigned int required)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} names[] = {
		{ "--n", MO_N }, { "--hint", MO_HINT },
		{ "--window", MO_WINDOW }, { "--steps", MO_STEPS },
		{ "--engine", MO_ENGINE }, { "--go", MO_ENGINE },
		{ "--trace", MO_TRACE },
	};
	size_t *num;
	unsigned int bit;
	int i, k;

	o->engine = KVG_MAP_MODE_KVG;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		bit = 0;
		for (k = 0; k < (int)ARRAY_SIZE(names); k++)
			if (!strcmp(a, names[k].name))
				bit = names[k].bit;
		if (!(bit & allowed))
			die_usage("%s: unknown argument '%s'", cmd, a);
		if (o->seen & bit)
			die_usage("%s: %s given twice", cmd, a);
		o->seen |= bit;
		if (!strcmp(a, "--go")) {
			o->engine = KVG_MAP_MODE_GO;
			continue;
		}
		if (bit == MO_ENGINE) {
			for (k = 0; k < KVG_MAP_MODE_NR; k++)
				if (val && !strcmp(val, kvg_map_mode_name[k]))
					o->engine = k;
			if (!val || strcmp(val, kvg_map_mode_name[o->engine]))
				die_usage("--engine: kvg, go119 or go, got '%s'",
					  val ? val : "");
			i++;
			continue;
		}
		if (bit == MO_TRACE) {
			if (!val)
				die_usage("--trace needs a file");
			o->trace = val;
			i++;
			continue;
		}
		num = bit == MO_N ? &o->n : bit == MO_HINT ? &o->hint :
		      bit == MO_WINDOW ? &o->window : &o->steps;
		if (parse_size(val, num))
			die_usage("%s needs a number, got '%s'", a, val ? val : "");
		i++;
	}
	if ((o->seen & required) != required)
		die_usage("%s: missing arguments", cmd);
}

static bool map_swiss(const struct map_opts *o)
{
	return o->engine == KVG_MAP_MODE_KVG;
}

/* The map of @o's engine and hint, and its trace file opened. */
static int map_open(struct kvg_map *m, const struct map_opts *o)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64),
		.val_size = sizeof(u64),
		.hint = o->hint,
		.gfp = GFP_KERNEL,
		.flags = KVG_MAP_ITER_ORDERED | kvg_map_mode_flags[o->engine],
	};
	int err = trace_open(o->trace);

	if (err)
		return err;
	err = kvg_map_init(m, &cfg);
	if (err) {
		fprintf(stderr, "kvgrow-sim: map init: %s\n", strerror(-err));
		trace_close(o->trace);
	}
	return err;
}

/* Destroy @m and close the trace: 1 on @err or a failed close, else 0. */
static int map_close(struct kvg_map *m, const struct map_opts *o, int err)
{
	kvg_map_destroy(m);
	if (trace_close(o->trace))
		err = -EIO;
	return err ? 1 : 0;
}

static int map_insert(struct kvg_map *m, u64 i)
{
	u64 key = kvg_mix64(i);
	int err = kvg_map_set(m, &key, &i);

	if (err)
		fprintf(stderr, "kvgrow-sim: insert %llu: %s\n",
			(unsigned long long)i, strerror(-err));
	return err;
}

static int map_remove(struct kvg_map *m, u64 i)
{
	u64 key = kvg_mix64(i);

	if (kvg_map_delete(m, &key))
		return 0;
	fprintf(stderr, "kvgrow-sim: delete %llu: not found\n",
		(unsigned long long)i);
	return -ENOENT;
}

/* A Swiss map's structure: a row of cmd_map each time it changes. */
static bool swiss_changed(const struct kvg_map_stats *a,
			  const struct kvg_map_stats *b)
{
	return a->tables != b->tables || a->global_depth != b->global_depth ||
	       a->slots != b->slots || a->footprint_bytes != b->footprint_bytes;
}

static void swiss_row(const struct kvg_map_stats *st)
{
	printf("%zu\t%zu\t%u\t%zu\t%zu\t%zu\n", st->count, st->tables,
	       st->global_depth, st->slots, st->footprint_bytes,
	       st->largest_block);
}

/*
 * Insert N keys; a row each time B changes (Go 1.19's engine), or each
 * time the tables, global depth, slots or footprint change (Swiss).
 */
static int cmd_map(int argc, char **argv)
{
	struct kvg_map_stats st, prev;
	struct map_opts o = { };
	struct kvg_map m;
	size_t i;
	int err = 0;

	parse_map_opts("map", argc, argv, &o,
		       MO_N | MO_HINT | MO_ENGINE | MO_TRACE, MO_N);
	if (map_open(&m, &o))
		return 1;
	if (map_swiss(&o))
		printf("count\ttables\tglobal_depth\tslots\tfootprint\tlargest_block\n");
	else
		printf("count\tB_old\tB_new\n");
	kvg_map_snapshot(&m, &prev);
	for (i = 0; i < o.n; i++) {
		err = map_insert(&m, i);
		if (err)
			break;
		kvg_map_snapshot(&m, &st);
		if (map_swiss(&o) && swiss_changed(&st, &prev))
			swiss_row(&st);
		else if (!map_swiss(&o) && st.B != prev.B)
			printf("%zu\t%u\t%u\n", st.count, prev.B, st.B);
		prev = st;
	}
	kvg_map_snapshot(&m, &st);
	if (map_swiss(&o)) {
		printf("# count=%zu tables=%zu global_depth=%u slots=%zu",
		       st.count, st.tables, st.global_depth, st.slots);
		printf(" footprint=%zu largest_block=%zu rehashes=%llu splits=%llu\n",
		       st.footprint_bytes, st.largest_block,
		       (unsigned long long)st.rehashes,
		       (unsigned long long)st.splits);
	} else {
		printf("# count=%zu B=%u buckets=%zu overflow=%zu footprint=%zu\n",
		       st.count, st.B, st.buckets, st.overflow,
		       st.footprint_bytes);
	}
	return map_close(&m, &o, err);
}

/*
 * A sliding window: each step inserts a fresh key, deletes one W old.
 * Swiss maps report their footprint's range once the window is full.
 */
static int cmd_map_churn(int argc, char **argv)
{
	size_t i, max_overflow = 0, min_fp = SIZE_MAX, max_fp = 0;
	unsigned long long sum = 0, mean_x100;
	struct map_opts o = { };
	struct kvg_map_stats st;
	struct kvg_map m;
	int err = 0;

	parse_map_opts("map-churn", argc, argv, &o,
		       MO_WINDOW | MO_STEPS | MO_ENGINE | MO_TRACE,
		       MO_WINDOW | MO_STEPS);
	if (!o.window || !o.steps)
		die_usage("map-churn needs --window and --steps above 0");
	if (map_open(&m, &o))
		return 1;
	for (i = 0; i < o.steps; i++) {
		err = map_insert(&m, i);
		if (!err && i >= o.window)
			err = map_remove(&m, i - o.window);
		if (err)
			break;
		kvg_map_snapshot(&m, &st);
		sum += st.overflow;
		max_overflow = max(max_overflow, st.overflow);
		if (i >= o.window) {
			min_fp = min(min_fp, st.footprint_bytes);
			max_fp = max(max_fp, st.footprint_bytes);
		}
	}
	kvg_map_snapshot(&m, &st);
	if (map_swiss(&o)) {
		printf("# tables=%zu slots=%zu rehashes=%llu splits=%llu merges=%llu",
		       st.tables, st.slots, (unsigned long long)st.rehashes,
		       (unsigned long long)st.splits,
		       (unsigned long long)st.merges);
		printf(" min_footprint=%zu max_footprint=%zu", max_fp ? min_fp : 0,
		       max_fp);
		printf(" peak_footprint=%zu final_footprint=%zu\n",
		       st.peak_footprint_bytes, st.footprint_bytes);
		return map_close(&m, &o, err);
	}
	/* The mean over the steps, rounded to hundredths. */
	mean_x100 = (sum * 100 + o.steps / 2) / o.steps;
	printf("# buckets=%zu mean_overflow=%llu.%02llu max_overflow=%zu",
	       st.buckets, mean_x100 / 100, mean_x100 % 100, max_overflow);
	printf(" same_size_grows=%llu shrinks=%llu peak_footprint=%zu final_footprint=%zu\n",
	       (unsigned long long)st.same_size_grows,
	       (unsigned long long)st.shrinks, st.peak_footprint_bytes,
	       st.footprint_bytes);
	return map_close(&m, &o, err);
}

/* Fill with N keys, delete them all: what is given back. */
static int cmd_map_deleteall(int argc, char **argv)
{
	struct kvg_map_stats empty, full, st;
	struct map_opts o = { };
	struct kvg_map m;
	size_t i;
	int err = 0;

	parse_map_opts("map-deleteall", argc, argv, &o,
		       MO_N | MO_ENGINE | MO_TRACE, MO_N);
	if (map_open(&m, &o))
		return 1;
	kvg_map_snapshot(&m, &empty);
	for (i = 0; !err && i < o.n; i++)
		err = map_insert(&m, i);
	kvg_map_snapshot(&m, &full);
	for (i = 0; !err && i < o.n; i++)
		err = map_remove(&m, i);
	/* Let a halving under way finish; Go's map never shrinks. */
	if (!err && o.engine != KVG_MAP_MODE_GO)
		err = kvg_map_shrink(&m);
	if (err) {
		fprintf(stderr, "kvgrow-sim: map-deleteall: %s\n",
			strerror(-err));
		return map_close(&m, &o, err);
	}
	kvg_map_snapshot(&m, &st);
	printf("# empty_footprint=%zu full_footprint=%zu after_footprint=%zu\n",
	       empty.footprint_bytes, full.footprint_bytes, st.footprint_bytes);
	return map_close(&m, &o, 0);
}

/*
 * (footprint - requested) / footprint of @m, in thousandths of a percent,
 * rounded to the nearest.
 */
static size_t slack_x100000(const struct kvg_map *m,
			    const struct kvg_map_stats *st)
{
	size_t req = kvg_swiss_requested_bytes(m), fp = st->footprint_bytes;

	return fp ? ((fp - req) * 100000 + fp / 2) / fp : 0;
}

/*
 * The Swiss engine's constants for u64 -> u64 maps, measured: each level
 * (groups, the bytes its block asks for and the size class it gets, slots,
 * the most full and deleted slots, 7/8), the worst rounding slack over
 * the footprint after every insert from 10^3 to N (10^6) keys, and the
 * footprint at a constant count under delete-the-oldest, insert-a-new
 * churn (golang/go#70886's pattern), for a few counts.
 */
static int cmd_map_constants(int argc, char **argv)
{
	static const size_t churn_n[] = { 100, 1000, 15000 };
	struct map_opts o = { };
	struct kvg_map_stats st, prev;
	size_t i, k, s, worst = 0, worst_at = 0, fp0, min_fp, max_fp;
	unsigned int l;
	struct kvg_map m;
	int err = 0;

	parse_map_opts("map-constants", argc, argv, &o, MO_N, 0);
	if (!(o.seen & MO_N))
		o.n = 1000000;
	if (o.n < 1000)
		die_usage("map-constants: --n is at least 1000");
	if (map_open(&m, &o))
		return 1;
	printf("# Swiss tables of u64 -> u64 maps: a level per kmalloc size class up to %d bytes\n",
	       SWISS_MAX_BLOCK);
	printf("level\tgroups\tbytes\tblock\tslots\tmax_load\n");
	for (l = 0; l < m.sw.nlevels; l++)
		printf("%u\t%u\t%zu\t%zu\t%zu\t%zu\n", l, m.sw.level_groups[l],
		       kvg_swiss_table_bytes(&m, l),
		       kvg_kvmalloc_roundup(kvg_swiss_table_bytes(&m, l)),
		       level_slots(&m, l), level_load(&m, l));
	kvg_map_snapshot(&m, &prev);
	for (i = 0; !err && i < o.n; i++) {
		err = map_insert(&m, i);
		if (err || i + 1 < 1000)
			continue;
		kvg_map_snapshot(&m, &st);
		/* The slack moves only with the blocks. */
		if (i + 1 == 1000 || swiss_changed(&st, &prev)) {
			s = slack_x100000(&m, &st);
			if (s > worst) {
				worst = s;
				worst_at = st.count;
			}
		}
		prev = st;
	}
	if (!err) {
		printf("# slack over footprint, after every insert from 1000 to %zu keys: ",
		       o.n);
		printf("at most %zu.%03zu%% (at count=%zu)\n", worst / 1000,
		       worst % 1000, worst_at);
	}
	kvg_map_destroy(&m);
	printf("churn_count\tsteps\tfootprint\tmin_footprint\tmax_footprint\trehashes\n");
	for (k = 0; !err && k < ARRAY_SIZE(churn_n); k++) {
		struct kvg_map_cfg cfg = {
			.key_size = sizeof(u64), .val_size = sizeof(u64),
			.gfp = GFP_KERNEL, .flags = KVG_MAP_ITER_ORDERED,
		};
		size_t n = churn_n[k];

		err = kvg_map_init(&m, &cfg);
		for (i = 0; !err && i < n; i++)
			err = map_insert(&m, i);
		kvg_map_snapshot(&m, &prev);
		fp0 = prev.footprint_bytes;
		min_fp = fp0;
		max_fp = fp0;
		for (i = 0; !err && i < 8 * n; i++) {
			err = map_remove(&m, i);
			if (!err)
				err = map_insert(&m, n + i);
			kvg_map_snapshot(&m, &st);
			min_fp = min(min_fp, st.footprint_bytes);
			max_fp = max(max_fp, st.footprint_bytes);
		}
		if (!err)
			printf("%zu\t%zu\t%zu\t%zu\t%zu\t%llu\n", n, 8 * n, fp0,
			       min_fp, max_fp, (unsigned long long)
			       (st.rehashes - prev.rehashes));
		kvg_map_destroy(&m);
	}
	if (trace_close(o.trace))
		err = -EIO;
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	/*
	 * Report the kernel's figures: a growing block moves to a new address
	 * as in the kernel, but the simulation never reads old elements, so
	 * they are not copied.
	 */
	shim_kvrealloc_mode = SHIM_KVREALLOC_NOCOPY;
	if (argc >= 2 && !strcmp(argv[1], "vec"))
		return cmd_vec(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "grow"))
		return cmd_grow(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "slack"))
		return cmd_slack(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "oom"))
		return cmd_oom(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "measure-pages"))
		return cmd_measure_pages(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "map"))
		return cmd_map(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "map-churn"))
		return cmd_map_churn(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "map-deleteall"))
		return cmd_map_deleteall(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "map-constants"))
		return cmd_map_constants(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "replay"))
		return cmd_replay(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "policies"))
		return cmd_policies(argc - 2, argv + 2);
	die_usage(argc >= 2 ? "unknown command '%s'" : "no command%s",
		  argc >= 2 ? argv[1] : "");
	return 2;
}
