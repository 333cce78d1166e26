// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow-sim: what a growth policy costs for a workload, computed by the
 * library itself (built against the userspace shims, whose allocator model
 * rounds like the kernel's and moves blocks where 6.12's kvrealloc does).
 * All output is TSV.
 *
 *   kvgrow-sim vec --policy P --elem-size S --n N [--hint H] [--batch K]
 *   kvgrow-sim grow --policy P -
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <kvgrow/policy.h>
#include <kvgrow/vec.h>

static const char usage[] =
	"usage: kvgrow-sim vec --policy P --elem-size S --n N [--hint H] [--batch K]\n"
	"       kvgrow-sim grow --policy P -    (stdin: elem_size len cap add)\n"
	"policies: kvg go119 go-legacy factor:N/D exact pow2\n";

static int __printf(1, 2) die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("kvgrow-sim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
	va_end(ap);
	fputs(usage, stderr);
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
		if (!strcmp(a, "--policy")) {
			if (!val || kvg_policy_parse(val, &o->policy))
				die_usage("bad --policy '%s'", val ? val : "");
			o->have_policy = true;
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
		else
			die_usage("unknown argument '%s'", a);
		if (parse_size(val, num))
			die_usage("%s needs a number, got '%s'", a, val ? val : "");
		i++;
	}
	if (!o->have_policy)
		die_usage("--policy is required");
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
	if (!o.elem_size || !o.batch || o.stdin_dash)
		die_usage("vec needs --elem-size and --n, and --batch above 0");
	err = kvg_vec_make_raw(&v, o.elem_size, o.policy, o.hint, GFP_KERNEL);
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
	printf("# grows=%llu moved_bytes=%llu cap=%zu footprint=%zu slack=%zu peak_footprint=%zu\n",
	       (unsigned long long)st.grows,
	       (unsigned long long)st.moved_bytes, st.cap,
	       st.footprint_bytes, st.slack_bytes, st.peak_footprint_bytes);
	kvg_vec_free_raw(&v);
	free(chunk);
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
	if (!o.stdin_dash || o.elem_size || o.n || o.hint)
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
	die_usage(argc >= 2 ? "unknown command '%s'" : "no command%s",
		  argc >= 2 ? argv[1] : "");
	return 2;
}
