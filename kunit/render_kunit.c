// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow.ko's debugfs views (kmod/render.c) and its
 * registry (kmod/registry.c): containers registered by name, their files
 * printed into a buffer and read back by column and key name.  Both are
 * compiled into this file, for their static show functions: the same file
 * runs in the kernel and, through the shims (a seq_file is a buffer,
 * debugfs creates nothing), in userspace.
 *
 * What the views print is checked here; that the files exist in debugfs,
 * with their modes, and show what a live module registered, is
 * scripts/e2e-vm.sh's.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/group.h>
#include <kvgrow/map.h>
#include <kvgrow/vec.h>
#include "kvg_kunit.h"
#include "../kmod/registry.c"
#include "../kmod/render.c"

#define TEXT_MAX	16384

/* The text @show prints for @priv (an entry, or NULL). */
static char *render(struct kunit *test, int (*show)(struct seq_file *m, void *v),
		    void *priv)
{
	char *buf = kunit_kzalloc(test, TEXT_MAX, GFP_KERNEL);
	struct seq_file m = { .buf = buf, .size = TEXT_MAX, .private = priv };

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, show(&m, NULL), 0);
	KUNIT_ASSERT_LT(test, m.count, TEXT_MAX);
	buf[m.count] = '\0';
	return buf;
}

static int lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* Field @i (from 0) of the TAB-separated line at @line, into @out. */
static bool field(const char *line, int i, char *out, size_t size)
{
	size_t n;

	for (; i > 0; i--) {
		line = strpbrk(line, "\t\n");
		if (!line || *line == '\n')
			return false;
		line++;
	}
	n = strcspn(line, "\t\n");
	if (n >= size)
		return false;
	memcpy(out, line, n);
	out[n] = '\0';
	return true;
}

/* The index of column @name in the header, the first line of @text; or -1. */
static int column(const char *text, const char *name)
{
	char f[32];
	int i;

	for (i = 0; field(text, i, f, sizeof(f)); i++)
		if (!strcmp(f, name))
			return i;
	return -1;
}

#define VALUE_MAX	160

/*
 * In the TSV @text, column @col of the first row whose column @key_col is
 * @key; "(none)" if there is none.
 */
static const char *tsv(struct kunit *test, const char *text, const char *key_col,
		       const char *key, const char *col)
{
	char *out = kunit_kzalloc(test, VALUE_MAX, GFP_KERNEL);
	int kc = column(text, key_col), c = column(text, col);
	const char *line;

	KUNIT_ASSERT_NOT_NULL(test, out);
	for (line = strchr(text, '\n'); kc >= 0 && c >= 0 && line && line[1];
	     line = strchr(line, '\n')) {
		line++;
		if (field(line, kc, out, VALUE_MAX) && !strcmp(out, key) &&
		    field(line, c, out, VALUE_MAX))
			return out;
	}
	return "(none)";
}

/* The value of "@key: value" in @text; "(none)" if there is none. */
static const char *kv(struct kunit *test, const char *text, const char *key)
{
	char *out = kunit_kzalloc(test, VALUE_MAX, GFP_KERNEL);
	size_t klen = strlen(key), n;
	const char *line;

	KUNIT_ASSERT_NOT_NULL(test, out);
	for (line = text; *line; line += strcspn(line, "\n") + 1) {
		if (strncmp(line, key, klen) || strncmp(line + klen, ": ", 2))
			continue;
		n = strcspn(line + klen + 2, "\n");
		KUNIT_ASSERT_LT(test, n, VALUE_MAX);
		memcpy(out, line + klen + 2, n);
		return out;
	}
	return "(none)";
}

static const char *num(struct kunit *test, unsigned long long v)
{
	char *out = kunit_kzalloc(test, VALUE_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, out);
	snprintf(out, VALUE_MAX, "%llu", v);
	return out;
}

static unsigned long long to_ull(struct kunit *test, const char *s)
{
	unsigned long long v = 0;

	KUNIT_EXPECT_EQ_MSG(test, kstrtoull(s, 10, &v), 0, "'%s'", s);
	return v;
}

static struct kvg_entry *entry_of(const char *name)
{
	struct kvg_entry *e;

	mutex_lock(&kvg_registry_lock);
	e = find_entry(name, NULL);
	mutex_unlock(&kvg_registry_lock);
	return e;
}

/* Sites whose file names carry a directory, as out-of-tree builds' do. */
static const struct kvg_site site_a = { "/src/dir/site_a.c", "make_a", 10 };
static const struct kvg_site site_b = { "site_b.c", "make_b", 20 };

/* A vector of @n elements of @es bytes appended one at a time, at @site. */
static void new_vec(struct kunit *test, struct kvg_vec *v, const char *name,
		    struct kvg_policy policy, size_t es, size_t n,
		    const struct kvg_site *site)
{
	size_t i;

	KUNIT_ASSERT_EQ(test, kvg_vec_make_site(v, es, policy, 0, GFP_KERNEL, site), 0);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, kvg_vec_extend_raw(v, 1), 0);
	KUNIT_ASSERT_EQ(test, kvg_register_vec(v, name), 0);
}

/* A u64 -> u64 map of the keys 0 .. @n - 1, made with @flags. */
static void new_map(struct kunit *test, struct kvg_map *m, const char *name,
		    size_t n, unsigned int flags, struct mutex *lock)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = sizeof(u64), .gfp = GFP_KERNEL,
		.flags = flags,
	};
	u64 key, i;

	KUNIT_ASSERT_EQ(test, kvg_map_init_site(m, &cfg, &site_b), 0);
	for (i = 0; i < n; i++) {
		key = key_of(i);
		KUNIT_ASSERT_EQ(test, kvg_map_set(m, &key, &i), 0);
	}
	KUNIT_ASSERT_EQ(test, kvg_register_map_locked(m, name, lock), 0);
}

/*
 * An entry's file and its line of the TSV view agree on every field of
 * the table, and the file holds kind, name, the fields, site, consistent.
 */
static void same_fields(struct kunit *test, const char *text, const char *file,
			const char *name, const struct field *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_STREQ_MSG(test, tsv(test, text, "name", name, fields[i].name),
				       kv(test, file, fields[i].name), "%s",
				       fields[i].name);
	KUNIT_EXPECT_EQ(test, lines(file), n + 4);
}

/* vectors and vec/<name>: the same figures, under the same names. */
static void render_vectors_and_vec_file(struct kunit *test)
{
	static const char header[] = "name\tpolicy\telem_size\tlen\tcap\tlive_bytes\t"
		"footprint\tslack\tpeak_footprint\tgrows\tshrinks\tmoved_bytes\t"
		"failed_allocs\tbackend\trequested_bytes";
	struct kvg_vec *v = kunit_kzalloc(test, 2 * sizeof(*v), GFP_KERNEL);
	const char *text, *file;

	KUNIT_ASSERT_NOT_NULL(test, v);
	text = render(test, vectors_show, NULL);
	KUNIT_EXPECT_EQ(test, lines(text), 1);
	/* Columns may be added at the end, never moved. */
	KUNIT_EXPECT_EQ(test, strncmp(text, header, strlen(header)), 0);
	KUNIT_EXPECT_EQ(test, column(text, "name"), 0);
	KUNIT_EXPECT_EQ(test, column(text, vec_fields[ARRAY_SIZE(vec_fields) - 1].name),
			ARRAY_SIZE(vec_fields));

	new_vec(test, &v[0], "e1", KVG_POLICY(GO119), 8, 1000, &site_a);
	new_vec(test, &v[1], "x.2", KVG_POLICY(KVG), 24, 33, &site_a);
	text = render(test, vectors_show, NULL);
	file = render(test, entry_show, entry_of("e1"));
	KUNIT_EXPECT_EQ(test, lines(text), 3);
	same_fields(test, text, file, "e1", vec_fields, ARRAY_SIZE(vec_fields));
	KUNIT_EXPECT_STREQ(test, kv(test, file, "kind"), "vec");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "name"), "e1");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "policy"), "go119");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "len"), "1000");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "cap"), "1280");	/* Go's */
	KUNIT_EXPECT_STREQ(test, kv(test, file, "live_bytes"), "8000");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "slack"),
			   num(test, to_ull(test, kv(test, file, "footprint")) - 8000));
	KUNIT_EXPECT_STREQ(test, kv(test, file, "backend"), "kmalloc");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "site"), "site_a.c:10 make_a");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "consistent"), "yes");
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "name", "x.2", "elem_size"), "24");
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "name", "x.2", "policy"), "kvg");

	/* Freed, a vector leaves the registry and its views. */
	kvg_vec_free_raw(&v[0]);
	kvg_vec_free_raw(&v[1]);
	KUNIT_EXPECT_EQ(test, lines(render(test, vectors_show, NULL)), 1);
	KUNIT_EXPECT_NULL(test, entry_of("e1"));
}

/* maps, map/<name> and buckets/<name>. */
static void render_maps_and_map_files(struct kunit *test)
{
	static const char header[] = "name\tmode\tkey_size\tval_size\tcount\tB\t"
		"buckets\toverflow\tgrowing\told_buckets\tevacuated\tgrows\t"
		"same_size_grows\tshrinks\tload_x100\tfootprint\tpeak_footprint\t"
		"bytes_per_entry_x100\tfailed_allocs\tlive_bytes\tslack";
	struct kvg_map *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct mutex *lock = kunit_kzalloc(test, sizeof(*lock), GFP_KERNEL);
	const char *text, *file, *hist;
	u64 chains = 0, overflow = 0, c;
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, lock);
	mutex_init(lock);
	text = render(test, maps_show, NULL);
	KUNIT_EXPECT_EQ(test, lines(text), 1);
	KUNIT_EXPECT_EQ(test, strncmp(text, header, strlen(header)), 0);

	new_map(test, m, "e2", 5000, KVG_MAP_GO119, lock);
	text = render(test, maps_show, NULL);
	file = render(test, entry_show, entry_of("e2"));
	KUNIT_EXPECT_EQ(test, lines(text), 2);
	same_fields(test, text, file, "e2", map_fields, ARRAY_SIZE(map_fields));
	KUNIT_EXPECT_STREQ(test, kv(test, file, "kind"), "map");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "mode"), "go119");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "count"), "5000");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "live_bytes"), "80000");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "growing"), "0");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "site"), "site_b.c:20 make_b");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "consistent"), "yes");

	/* A chain per bucket; the overflow buckets add up (none of 8+ here). */
	hist = render(test, buckets_show, entry_of("e2"));
	KUNIT_EXPECT_EQ(test, lines(hist), KVG_MAP_HIST_LEN + 1);
	KUNIT_EXPECT_EQ(test, column(hist, "overflow_buckets"), 0);
	KUNIT_EXPECT_EQ(test, column(hist, "chains"), 1);
	KUNIT_EXPECT_STREQ(test, tsv(test, hist, "overflow_buckets", "8+", "chains"), "0");
	for (i = 0; i < KVG_MAP_HIST_LEN - 1; i++) {
		c = to_ull(test, tsv(test, hist, "overflow_buckets", num(test, i), "chains"));
		chains += c;
		overflow += c * i;
	}
	KUNIT_EXPECT_STREQ(test, num(test, chains), kv(test, file, "buckets"));
	KUNIT_EXPECT_STREQ(test, num(test, overflow), kv(test, file, "overflow"));
	kvg_map_destroy(m);
	KUNIT_EXPECT_EQ(test, lines(render(test, maps_show, NULL)), 1);

	/* Go 1.19's behaviour: the mode kvgrow_lab's map-create calls go. */
	new_map(test, m, "gc", 100, KVG_MAP_GO_COMPAT, lock);
	file = render(test, entry_show, entry_of("gc"));
	KUNIT_EXPECT_STREQ(test, kv(test, file, "mode"), "go");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "swiss"), "0");
	kvg_map_destroy(m);
}

/*
 * buckets/<name> of a Swiss map: the probe-length histogram adds up to the
 * count, the local-depth one to the tables, whose spans fill the
 * directory; a row per local depth up to the global depth.
 */
static void render_swiss_buckets(struct kunit *test)
{
	struct kvg_map *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct mutex *lock = kunit_kzalloc(test, sizeof(*lock), GFP_KERNEL);
	u64 keys = 0, first = 0, tables = 0, span = 0, top = 0, probes[8] = { };
	unsigned long long depth, c, rows = 0;
	char h[VALUE_MAX], bin[VALUE_MAX], cnt[VALUE_MAX];
	const char *hist, *file, *line;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, lock);
	mutex_init(lock);
	new_map(test, m, "sw", 20000, 0, lock);
	file = render(test, entry_show, entry_of("sw"));
	hist = render(test, buckets_show, entry_of("sw"));
	KUNIT_EXPECT_STREQ(test, kv(test, file, "swiss"), "1");
	KUNIT_EXPECT_STREQ(test, kv(test, file, "mode"), "kvg");
	depth = to_ull(test, kv(test, file, "global_depth"));
	/* 20000 keys: 16 tables or more, each of 1680 at most. */
	KUNIT_EXPECT_GE(test, depth, 4);
	KUNIT_EXPECT_EQ(test, column(hist, "histogram"), 0);
	KUNIT_EXPECT_EQ(test, column(hist, "bin"), 1);
	KUNIT_EXPECT_EQ(test, column(hist, "count"), 2);
	KUNIT_EXPECT_EQ(test, lines(hist), 1 + KVG_MAP_PROBE_HIST_LEN + depth + 1);
	for (line = strchr(hist, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		KUNIT_ASSERT_TRUE(test, field(line, 0, h, sizeof(h)) &&
				  field(line, 1, bin, sizeof(bin)) &&
				  field(line, 2, cnt, sizeof(cnt)));
		c = to_ull(test, cnt);
		if (!strcmp(h, "probe_groups")) {
			KUNIT_EXPECT_STREQ(test, bin, rows < 7 ? num(test, rows + 1) : "8+");
			probes[min(rows, 7ULL)] = c;
			keys += c;
		} else {
			KUNIT_EXPECT_STREQ(test, h, "local_depth");
			KUNIT_EXPECT_STREQ(test, bin, num(test, rows - 8));
			tables += c;
			span += c << (depth - (rows - 8));
			top = c;	/* the last row is the global depth's */
		}
		rows++;
	}
	first = probes[0];
	KUNIT_EXPECT_STREQ(test, num(test, keys), kv(test, file, "count"));
	KUNIT_EXPECT_STREQ(test, num(test, tables), kv(test, file, "tables"));
	KUNIT_EXPECT_EQ(test, span, 1ULL << depth);
	/* Some table has the global depth, or the directory would halve. */
	KUNIT_EXPECT_GT(test, top, 0);
	/* At a load of 7/8 at most, most keys sit in their first group. */
	KUNIT_EXPECT_GT(test, first, keys / 2);
	KUNIT_EXPECT_GT(test, keys - first, 0);
	kvg_map_destroy(m);
}

/* The three rows of summary the tests below make, largest first. */
struct three {
	struct kvg_vec v[2];
	struct kvg_map m;
	struct kvg_group g;
	struct kvg_vec member;
};

/*
 * s1: 5000 u64 under go119 (cap 5120, 64 KiB), s2: 100 under kvg, both at
 * site_a; s3: a Swiss map of 5000 keys (over 64 KiB) at site_b; and,
 * with @group, g: a group (at this file's line) of a vector of 3 u64.
 */
static struct three *three(struct kunit *test, bool group)
{
	struct three *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	new_vec(test, &t->v[0], "s1", KVG_POLICY(GO119), 8, 5000, &site_a);
	new_vec(test, &t->v[1], "s2", KVG_POLICY(KVG), 8, 100, &site_a);
	new_map(test, &t->m, "s3", 5000, 0, NULL);
	if (!group)
		return t;
	kvg_group_init(&t->g);
	KUNIT_ASSERT_EQ(test, kvg_vec_init_raw(&t->member, 8, KVG_POLICY(EXACT),
					       GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_join_group_raw(&t->member, &t->g), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_extend_raw(&t->member, 3), 0);
	KUNIT_ASSERT_EQ(test, kvg_register_group(&t->g, "g"), 0);
	return t;
}

static void three_free(struct three *t, bool group)
{
	kvg_vec_free_raw(&t->v[0]);
	kvg_vec_free_raw(&t->v[1]);
	kvg_map_destroy(&t->m);
	if (group) {
		kvg_vec_free_raw(&t->member);
		kvg_group_destroy(&t->g);
	}
}

/* The sum of column @col over the rows of @text whose @kcol is not @skip. */
static unsigned long long col_sum(struct kunit *test, const char *text,
				  const char *col, const char *kcol, const char *skip)
{
	int c = column(text, col), k = column(text, kcol);
	unsigned long long sum = 0;
	char f[VALUE_MAX];
	const char *line;

	KUNIT_ASSERT_GE(test, c, 0);
	for (line = strchr(text, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		KUNIT_ASSERT_TRUE(test, field(line, k, f, sizeof(f)));
		if (strcmp(f, skip) && field(line, c, f, sizeof(f)) && strcmp(f, "-"))
			sum += to_ull(test, f);
	}
	return sum;
}

/* Row @name of summary: its kind, len, cap, live_bytes, ..., site. */
static const char *summary_row(struct kunit *test, const char *text, const char *name)
{
	static const char * const cols[] = {
		"kind", "len", "cap", "live_bytes", "footprint", "slack", "grows", "site",
	};
	char *out = kunit_kzalloc(test, 4 * VALUE_MAX, GFP_KERNEL);
	size_t i, n;

	KUNIT_ASSERT_NOT_NULL(test, out);
	for (i = 0; i < ARRAY_SIZE(cols); i++) {
		n = strlen(out);
		snprintf(out + n, 4 * VALUE_MAX - n, "%s%s", i ? " " : "",
			 tsv(test, text, "name", name, cols[i]));
	}
	return out;
}

static void render_summary(struct kunit *test)
{
	static const char * const order[] = { "s3", "s1", "s2", "g", "4" };
	struct three *t = three(test, true);
	const char *text = render(test, summary_show, NULL), *s1, *g, *file;
	unsigned long long fp, live, known_fp;
	char name[VALUE_MAX];
	size_t i;

	KUNIT_EXPECT_EQ(test, strncmp(text, "kind\tname\tlen\tcap\tlive_bytes\t"
				      "footprint\tslack\tgrows\tsite\n", 48), 0);
	/* Largest footprint first: the map, s1, s2; the group (32 B); total. */
	KUNIT_ASSERT_EQ(test, lines(text), 6);
	for (i = 0, s1 = text; i < ARRAY_SIZE(order); i++) {
		s1 = strchr(s1, '\n') + 1;
		KUNIT_ASSERT_TRUE(test, field(s1, 1, name, sizeof(name)));
		KUNIT_EXPECT_STREQ(test, name, order[i]);
	}
	KUNIT_EXPECT_STREQ(test, summary_row(test, text, "s1"),
			   "vec 5000 5120 40000 65536 25536 16 site_a.c:10 make_a");
	g = tsv(test, text, "name", "g", "footprint");
	file = render(test, entry_show, entry_of("g"));
	KUNIT_EXPECT_STREQ(test, g, kv(test, file, "footprint"));
	KUNIT_EXPECT_STREQ(test, kv(test, file, "members"), "1");
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "name", "g", "kind"), "group");
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "name", "g", "len"), "-");
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "name", "g", "live_bytes"), "-");
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "name", "g", "slack"), "-");
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "name", "s3", "site"), "site_b.c:20 make_b");
	KUNIT_EXPECT_EQ(test, strncmp(kv(test, file, "site"), "render_kunit.c:", 15), 0);
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "name", "g", "site"), kv(test, file, "site"));

	/* The total: entries, then sums; live and slack of containers alone. */
	fp = col_sum(test, text, "footprint", "kind", "total");
	live = col_sum(test, text, "live_bytes", "kind", "total");
	known_fp = fp - to_ull(test, g);
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "kind", "total", "name"), "4");
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "kind", "total", "footprint"), num(test, fp));
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "kind", "total", "live_bytes"), num(test, live));
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "kind", "total", "slack"),
			   num(test, known_fp - live));
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "kind", "total", "grows"),
			   num(test, col_sum(test, text, "grows", "kind", "total")));
	KUNIT_EXPECT_EQ(test, live, 40000 + 800 + 5000 * 16);
	three_free(t, true);
	text = render(test, summary_show, NULL);
	KUNIT_EXPECT_STREQ(test, strchr(text, '\n') + 1, "total\t0\t-\t-\t0\t0\t0\t0\t-\n");
}

/* sites: entries, footprint, slack and grows per call site, largest first. */
static void render_sites(struct kunit *test)
{
	struct three *t = three(test, true);
	const char *sum = render(test, summary_show, NULL);
	const char *text = render(test, sites_show, NULL);
	const char *a = "site_a.c:10 make_a";
	unsigned long long fp, live;

	KUNIT_EXPECT_EQ(test, strncmp(text, "containers\tfootprint\tslack\tgrows\tsite\n", 37),
			0);
	KUNIT_EXPECT_EQ(test, lines(text), 4);
	fp = to_ull(test, tsv(test, sum, "name", "s1", "footprint")) +
	     to_ull(test, tsv(test, sum, "name", "s2", "footprint"));
	live = to_ull(test, tsv(test, sum, "name", "s1", "live_bytes")) +
	       to_ull(test, tsv(test, sum, "name", "s2", "live_bytes"));
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "site", a, "containers"), "2");
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "site", a, "footprint"), num(test, fp));
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "site", a, "slack"), num(test, fp - live));
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "site", a, "grows"),
			   num(test, to_ull(test, tsv(test, sum, "name", "s1", "grows")) +
				     to_ull(test, tsv(test, sum, "name", "s2", "grows"))));
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "site", "site_b.c:20 make_b", "containers"), "1");
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "containers", "1", "footprint"),
			   tsv(test, sum, "name", "s3", "footprint"));
	/* A group's site: its footprint, slack unknown. */
	KUNIT_EXPECT_STREQ(test, tsv(test, text, "footprint",
				     tsv(test, sum, "name", "g", "footprint"), "slack"), "-");
	three_free(t, true);
	KUNIT_EXPECT_EQ(test, lines(render(test, sites_show, NULL)), 1);
}

static void render_policies(struct kunit *test)
{
	const char *text = render(test, policies_show, NULL), *rule;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, column(text, "name"), 0);
	KUNIT_EXPECT_EQ(test, column(text, "rule"), 1);
	KUNIT_EXPECT_EQ(test, lines(text), KVG_POLICY_NR + 1);
	for (i = 0; i < KVG_POLICY_NR; i++)
		KUNIT_EXPECT_STREQ(test, tsv(test, text, "name", kvg_policy_describe(i, &rule),
					     "rule"), rule);
	KUNIT_EXPECT_STRNEQ(test, tsv(test, text, "name", "go119", "rule"), "(none)");
}

/* "consistent: no (RULE)" names the first rule the figures break. */
static void render_consistent_names_the_rule(struct kunit *test)
{
	struct three *t = three(test, true);
	char *buf = kunit_kzalloc(test, TEXT_MAX, GFP_KERNEL);
	struct seq_file m = { .buf = buf, .size = TEXT_MAX };
	union entry_stats st;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	kvg_vec_snapshot_raw(&t->v[0], &st.vec);
	show_consistent(&m, KVG_KIND_VEC, &st);
	st.vec.slack_bytes++;
	show_consistent(&m, KVG_KIND_VEC, &st);
	kvg_map_snapshot(&t->m, &st.map);
	show_consistent(&m, KVG_KIND_MAP, &st);
	st.map.load_x100++;
	show_consistent(&m, KVG_KIND_MAP, &st);
	kvg_group_snapshot(&t->g, &st.group);
	show_consistent(&m, KVG_KIND_GROUP, &st);
	buf[m.count] = '\0';
	KUNIT_EXPECT_STREQ(test, buf, "consistent: yes\nconsistent: no (slack)\n"
			   "consistent: yes\nconsistent: no (load)\n");
	three_free(t, true);
}

static struct dentry *test_dir;

/* The registry's directories, in a debugfs directory of the suite's own. */
static int render_suite_init(struct kunit_suite *suite)
{
	test_dir = debugfs_create_dir("kvgrow_render_test", NULL);
	kvg_registry_init(test_dir);
	return 0;
}

static void render_suite_exit(struct kunit_suite *suite)
{
	kvg_registry_exit();
	debugfs_remove(test_dir);
}

static struct kunit_case render_cases[] = {
	KUNIT_CASE(render_vectors_and_vec_file),
	KUNIT_CASE(render_maps_and_map_files),
	KUNIT_CASE(render_swiss_buckets),
	KUNIT_CASE(render_summary),
	KUNIT_CASE(render_sites),
	KUNIT_CASE(render_policies),
	KUNIT_CASE(render_consistent_names_the_rule),
	{}
};

static struct kunit_suite render_suite = {
	.name = "kvgrow_render",
	.suite_init = render_suite_init,
	.suite_exit = render_suite_exit,
	.init = kvgt_leak_init,
	.exit = kvgt_leak_exit,
	.test_cases = render_cases,
};

kunit_test_suite(render_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kvgrow.ko's debugfs views");
