/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgrow benchmark harness: what the per-impl workloads (workloads.h) and
 * the driver (driver.c) share.  C and C++ (impl_cxx.h) both include it.
 *
 * Keys are a bijective mix of the index (kvg_mix64() of i + 1, never 0),
 * so they are distinct without checks; the value of key i is
 * i + 1, never 0.  Every run prints one line of key=value fields, and
 * ok=1 only if it verified its result.
 */
#ifndef _KVG_BENCH_H
#define _KVG_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <kvgrow/mix.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Entries a churn (M5) step keeps live: each step deletes key s - WINDOW. */
#define BENCH_WINDOW	1000

static inline uint64_t bench_key(uint64_t i)
{
	return kvg_mix64(i + 1);
}

/* A step coprime with @n: i -> (i * stride) mod n visits every index once. */
static inline uint64_t bench_stride(uint64_t n)
{
	uint64_t s = n < 3 ? 1 : (uint64_t)(n * 0.6180339887) | 1;
	uint64_t a, b, t;

	for (;; s++) {
		for (a = n, b = s; b; t = a % b, a = b, b = t)
			;
		if (a == 1)
			return s;
	}
}

/*
 * CLOCK_MONOTONIC in ns, for timing one operation alone (M6): a vDSO read,
 * no system call; its cost is measured and reported as clock_ns.
 */
static inline uint64_t bench_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The timed section: wall time, minor faults and realloc()s in between. */
void bench_start(void);
void bench_stop(void);
/* Append " key=value" to the result line. */
void bench_extra(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Verification failed: ok=0 and the reason on stderr. */
void bench_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Resident set now, and the peak so far (getrusage), in KiB. */
long bench_rss_kb(void);
long bench_peak_rss_kb(void);
/* Free memory glibc malloc holds (mallinfo2 fordblks), in KiB. */
long bench_heap_free_kb(void);
/* Freeze peak_rss_kb at its current value (before an untimed replay). */
void bench_freeze_peak(void);
/* realloc() calls and bytes glibc memcpy'd for them, in the timed section. */
uint64_t bench_reallocs(void);
uint64_t bench_realloc_copied(void);

/* Per impl family (workloads.h): run @wl over @n; 0, or 2 for bad usage. */
int impl_run(const char *wl, uint64_t n);
/* The workloads this binary runs, as "V1|V2|M1|...". */
const char *impl_workloads(void);
extern const char *const impl_vec_name;	/* NULL if the family has none */
extern const char *const impl_map_name;

#ifdef __cplusplus
}
#endif

#endif
