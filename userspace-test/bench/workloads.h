/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workloads, written once over a small adapter interface and compiled
 * into each impl family's binary, so every operation is a direct, inlinable
 * call.  Before including this file an adapter defines:
 *
 * VEC_NAME, vec_t and
 *	void vec_init(vec_t *v, uint64_t hint);		hint 0: none
 *	void vec_push(vec_t *v, uint64_t x);		aborts on failure
 *	uint64_t vec_len(vec_t *v), vec_at(vec_t *v, uint64_t i);
 *	void vec_stats(vec_t *v, uint64_t *grows, uint64_t *moved,
 *		       uint64_t *buf_bytes);		after the timed part
 *	void vec_free(vec_t *v);
 *
 * MAP_NAME, map_t and
 *	void map_init(map_t *m, uint64_t hint);	hint 0: none
 *	void map_set(map_t *m, uint64_t k, uint64_t v);	aborts on failure
 *	bool map_get(map_t *m, uint64_t k, uint64_t *v);
 *	bool map_del(map_t *m, uint64_t k);		whether @k was there
 *	uint64_t map_count(map_t *m);
 *	int64_t map_cap(map_t *m);	slots or buckets; -1 if not exposed
 *	int64_t map_grows(map_t *m);	-1: count map_cap changes instead
 *	void map_free(map_t *m);
 *
 * and MAP_NO_HINT if the map takes no size hint.  Either may be missing.
 * The file is plain C that also compiles as C++.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

#ifdef VEC_NAME
const char *const impl_vec_name = VEC_NAME;

/* V1 (hint 0) and V2: push n keys one at a time. */
static void wl_push(uint64_t n, uint64_t hint)
{
	uint64_t i, sum = 0, want = 0, grows, moved, buf, grows0, moved0;
	vec_t v;

	vec_init(&v, hint);
	vec_stats(&v, &grows0, &moved0, &buf);
	bench_start();
	for (i = 0; i < n; i++)
		vec_push(&v, bench_key(i));
	bench_stop();
	/* Grows and bytes moved in the timed part (a hint is not a grow). */
	vec_stats(&v, &grows, &moved, &buf);
	grows -= grows0;
	moved -= moved0;
	if (vec_len(&v) != n)
		bench_fail("len %llu, want %llu", (unsigned long long)vec_len(&v),
			   (unsigned long long)n);
	for (i = 0; i < n && i < vec_len(&v); i++) {
		sum += vec_at(&v, i) * (2 * i + 1);
		want += bench_key(i) * (2 * i + 1);
	}
	if (sum != want)
		bench_fail("checksum %llx, want %llx", (unsigned long long)sum,
			   (unsigned long long)want);
	bench_extra("grows=%llu moved=%llu buf_kb=%llu check=%016llx",
		    (unsigned long long)grows, (unsigned long long)moved,
		    (unsigned long long)buf / 1024, (unsigned long long)sum);
	vec_free(&v);
}
#else
const char *const impl_vec_name = NULL;
#endif

#ifdef MAP_NAME
const char *const impl_map_name = MAP_NAME;

/* Insert keys [from, to) with values i + 1. */
static void map_fill(map_t *m, uint64_t from, uint64_t to)
{
	uint64_t i;

	for (i = from; i < to; i++)
		map_set(m, bench_key(i), i + 1);
}

/* Keys [from, to) all present with their values (or, !present, absent). */
static void map_verify(map_t *m, uint64_t from, uint64_t to, bool present,
		       const char *what)
{
	uint64_t i, v, hits = 0, sum = 0, want = 0;

	for (i = from; i < to; i++) {
		if (map_get(m, bench_key(i), &v)) {
			hits++;
			sum += v;
		}
		want += i + 1;
	}
	if (hits != (present ? to - from : 0) || (present && sum != want))
		bench_fail("%s: %llu of %llu keys found, checksum %llu, want %llu",
			   what, (unsigned long long)hits,
			   (unsigned long long)(to - from),
			   (unsigned long long)sum, (unsigned long long)want);
}

static void map_check_count(map_t *m, uint64_t want, const char *what)
{
	if (map_count(m) != want)
		bench_fail("%s: count %llu, want %llu", what,
			   (unsigned long long)map_count(m),
			   (unsigned long long)want);
}

/* After n inserts: the count, every key's value, and n / 8 misses. */
static void map_check_inserted(map_t *m, uint64_t n)
{
	map_check_count(m, n, "insert");
	map_verify(m, 0, n, true, "hits");
	map_verify(m, n, n + n / 8 + 1, false, "misses");
}

/* M1 (hint 0) and M1H: creation and n inserts timed. */
static void wl_insert(uint64_t n, uint64_t hint)
{
	int64_t grows, cap, last;
	uint64_t i;
	map_t m;

	bench_start();
	map_init(&m, hint);
	map_fill(&m, 0, n);
	bench_stop();
	bench_extra("rss_end_kb=%ld", bench_rss_kb());
#ifdef MAP_NO_HINT
	if (hint)
		bench_extra("hint=unsupported");
#endif
	map_check_inserted(&m, n);
	grows = map_grows(&m);
	cap = map_cap(&m);
	map_free(&m);
	if (grows < 0 && cap >= 0) {
		/* Untimed replay, counting resizes of a non-empty table. */
		bench_freeze_peak();
		grows = 0;
		map_init(&m, hint);
		for (i = 0, last = map_cap(&m); i < n; i++) {
			map_set(&m, bench_key(i), i + 1);
			cap = map_cap(&m);
			grows += last > 0 && cap != last;
			last = cap;
		}
		map_free(&m);
	}
	if (grows >= 0)
		bench_extra("grows=%lld", (long long)grows);
	if (cap >= 0)
		bench_extra("cap=%lld", (long long)cap);
}

/* M2: n lookups that hit, in stride order (not insertion's). */
static void wl_hit(uint64_t n, uint64_t hint)
{
	uint64_t i, j, v, stride = bench_stride(n), hits = 0, sum = 0;
	map_t m;

	map_init(&m, hint);
	map_fill(&m, 0, n);
	bench_start();
	for (i = 0, j = 0; i < n; i++) {
		if (map_get(&m, bench_key(j), &v)) {
			hits++;
			sum += v;
		}
		j += stride;
		if (j >= n)
			j -= n;
	}
	bench_stop();
	if (hits != n || sum != n * (n + 1) / 2)
		bench_fail("%llu hits, checksum %llu, want %llu and %llu",
			   (unsigned long long)hits, (unsigned long long)sum,
			   (unsigned long long)n,
			   (unsigned long long)(n * (n + 1) / 2));
	bench_extra("hits=%llu", (unsigned long long)hits);
	map_free(&m);
}

/* M3: n lookups of absent keys. */
static void wl_miss(uint64_t n, uint64_t hint)
{
	uint64_t i, v, hits = 0;
	map_t m;

	map_init(&m, hint);
	map_fill(&m, 0, n);
	bench_start();
	for (i = n; i < 2 * n; i++)
		hits += map_get(&m, bench_key(i), &v);
	bench_stop();
	if (hits)
		bench_fail("%llu of %llu absent keys found",
			   (unsigned long long)hits, (unsigned long long)n);
	map_check_count(&m, n, "after misses");
	bench_extra("misses=%llu", (unsigned long long)(n - hits));
	map_free(&m);
}

/* M4: delete all n keys, in stride order; RSS along the way. */
static void wl_delete(uint64_t n, uint64_t hint)
{
	uint64_t i, j, stride = bench_stride(n), dels = 0;
	long rss_empty, rss_full, rss_del, heap_free;
	map_t m;

	map_init(&m, hint);
	rss_empty = bench_rss_kb();
	map_fill(&m, 0, n);
	rss_full = bench_rss_kb();
	bench_start();
	for (i = 0, j = 0; i < n; i++) {
		dels += map_del(&m, bench_key(j));
		j += stride;
		if (j >= n)
			j -= n;
	}
	bench_stop();
	rss_del = bench_rss_kb();
	heap_free = bench_heap_free_kb();
	if (dels != n)
		bench_fail("%llu of %llu deletes found their key",
			   (unsigned long long)dels, (unsigned long long)n);
	map_check_count(&m, 0, "after deletes");
	map_verify(&m, 0, n, false, "deleted");
	map_free(&m);
	bench_extra("deleted=%llu rss_empty_kb=%ld rss_full_kb=%ld rss_del_kb=%ld rss_destroy_kb=%ld malloc_free_kb=%ld",
		    (unsigned long long)dels, rss_empty, rss_full, rss_del,
		    bench_rss_kb(), heap_free);
}

/* M5: n steps, each inserting key s and deleting key s - BENCH_WINDOW. */
static void wl_churn(uint64_t n, uint64_t hint)
{
	uint64_t s, dels = 0, w = BENCH_WINDOW, live = n < w ? n : w;
	long rss_20 = 0;
	map_t m;

	bench_start();
	map_init(&m, hint);
	for (s = 0; s < n; s++) {
		map_set(&m, bench_key(s), s + 1);
		if (s >= w)
			dels += map_del(&m, bench_key(s - w));
		if (s == n / 5)
			rss_20 = bench_rss_kb();
	}
	bench_stop();
	if (dels != n - live)
		bench_fail("%llu of %llu deletes found their key",
			   (unsigned long long)dels,
			   (unsigned long long)(n - live));
	map_check_count(&m, live, "window");
	map_verify(&m, n - live, n, true, "window");
	map_verify(&m, n - live - (n - live < w ? n - live : w), n - live,
		   false, "expired");
	bench_extra("deleted=%llu rss_20pct_kb=%ld rss_end_kb=%ld",
		    (unsigned long long)dels, rss_20, bench_rss_kb());
	map_free(&m);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * M6: n inserts into a fresh map with no hint, each timed alone between two
 * bench_now_ns() reads (ns_per_op, the loop's wall time per insert, counts
 * both reads).  Reports the slowest insert, where it was, the 99.99th
 * percentile (nearest rank) and clock_ns, the median of 1001 back-to-back
 * reads' differences: the overhead in every sample.  The samples' array is
 * allocated and touched before the loop.
 */
static void wl_insert_each(uint64_t n, uint64_t hint)
{
	uint32_t *lat = (uint32_t *)malloc(n * sizeof(*lat));
	uint32_t clk[1001];
	uint64_t i, t, worst_at = 0;
	map_t m;

	if (!lat)
		abort();
	memset(lat, 0, n * sizeof(*lat));
	for (i = 0; i < 1001; i++) {
		t = bench_now_ns();
		clk[i] = bench_now_ns() - t;
	}
	qsort(clk, 1001, sizeof(clk[0]), cmp_u32);
	map_init(&m, hint);
	bench_start();
	for (i = 0; i < n; i++) {
		t = bench_now_ns();
		map_set(&m, bench_key(i), i + 1);
		t = bench_now_ns() - t;
		lat[i] = t > UINT32_MAX ? UINT32_MAX : t;
	}
	bench_stop();
	map_check_inserted(&m, n);
	map_free(&m);
	for (i = 1; i < n; i++)
		if (lat[i] > lat[worst_at])
			worst_at = i;
	bench_extra("worst_ns=%u worst_at=%llu", lat[worst_at],
		    (unsigned long long)worst_at);
	qsort(lat, n, sizeof(*lat), cmp_u32);
	/* Nearest rank: the smallest sample no less than 99.99 % of them. */
	bench_extra("p9999_ns=%u clock_ns=%u",
		    lat[(n * 9999 + 9999) / 10000 - 1], clk[500]);
	free(lat);
}
#else
const char *const impl_map_name = NULL;
#endif

struct workload {
	const char *name;
	void (*run)(uint64_t n, uint64_t hint);
	bool hint;			/* run with hint n, else 0 */
};

static const struct workload workloads[] = {
#ifdef VEC_NAME
	{ "V1", wl_push, false },
	{ "V2", wl_push, true },
#endif
#ifdef MAP_NAME
	{ "M1", wl_insert, false },
	{ "M1H", wl_insert, true },
	{ "M2", wl_hit, false },
	{ "M3", wl_miss, false },
	{ "M4", wl_delete, false },
	{ "M5", wl_churn, false },
	{ "M6", wl_insert_each, false },
#endif
};

const char *impl_workloads(void)
{
	static char names[64];
	size_t i;

	if (names[0])
		return names;
	for (i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s", i ? "|" : "", workloads[i].name);
	return names;
}

int impl_run(const char *wl, uint64_t n)
{
	size_t i;

	for (i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		if (!strcmp(wl, workloads[i].name)) {
			workloads[i].run(n, workloads[i].hint ? n : 0);
			return 0;
		}
	}
	return 2;
}
