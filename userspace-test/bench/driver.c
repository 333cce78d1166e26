// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark driver, linked into every C/C++ impl binary:
 *
 *	bench-FAMILY WORKLOAD N
 *
 * runs one workload once and prints one line of key=value fields:
 * wl, impl, n, ns_per_op, peak_rss_kb (getrusage), minflt (minor faults
 * in the timed part), ok (the result verified), sys_ms (system time in the
 * timed part: page faults, mremap), then the workload's own.
 *
 * realloc() is interposed here (the executable's definition wins over
 * libc's for every library), so grows and copies done through realloc are
 * counted for every impl: glibc copies a block it cannot extend, unless
 * the block is mmap()ed, which it moves with mremap() (no copy).
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include "bench.h"

/* Under valgrind --collect-atstart=no, callgrind sees only the timed part. */
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_TOGGLE_COLLECT
#endif

void *__libc_realloc(void *p, size_t size);

static struct {
	struct timespec t0, t1;
	long flt0, flt1;
	double sys0, sys1;
	uint64_t reallocs0, reallocs1, copied0, copied1;
	long frozen_peak;
	bool ok;
	char extra[1024];
} b = { .ok = true };

static uint64_t reallocs, realloc_copied;

/* glibc's chunk header: the size word before the block, IS_MMAPPED 0x2. */
static bool chunk_mmapped(const void *p)
{
	return ((const size_t *)p)[-1] & 2;
}

void *realloc(void *p, size_t size)
{
	size_t old = p ? malloc_usable_size(p) : 0;
	bool mapped = p && chunk_mmapped(p);
	void *np = __libc_realloc(p, size);

	reallocs++;
	if (p && np && np != p && !mapped)
		realloc_copied += old < size ? old : size;
	return np;
}

/* Minor faults so far, and system time in ms. */
static long minflt(double *sys_ms)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*sys_ms = ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
	return ru.ru_minflt;
}

void bench_start(void)
{
	b.reallocs0 = reallocs;
	b.copied0 = realloc_copied;
	b.flt0 = minflt(&b.sys0);
	CALLGRIND_TOGGLE_COLLECT;
	clock_gettime(CLOCK_MONOTONIC, &b.t0);
}

void bench_stop(void)
{
	clock_gettime(CLOCK_MONOTONIC, &b.t1);
	CALLGRIND_TOGGLE_COLLECT;
	b.flt1 = minflt(&b.sys1);
	b.reallocs1 = reallocs;
	b.copied1 = realloc_copied;
}

uint64_t bench_reallocs(void)
{
	return b.reallocs1 - b.reallocs0;
}

uint64_t bench_realloc_copied(void)
{
	return b.copied1 - b.copied0;
}

void bench_extra(const char *fmt, ...)
{
	size_t len = strlen(b.extra);
	va_list ap;

	if (len + 1 >= sizeof(b.extra))
		return;
	b.extra[len++] = ' ';
	va_start(ap, fmt);
	vsnprintf(b.extra + len, sizeof(b.extra) - len, fmt, ap);
	va_end(ap);
}

void bench_fail(const char *fmt, ...)
{
	va_list ap;

	b.ok = false;
	fputs("bench: verification failed: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

long bench_rss_kb(void)
{
	long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

long bench_heap_free_kb(void)
{
	return mallinfo2().fordblks / 1024;
}

long bench_peak_rss_kb(void)
{
	struct rusage ru;

	if (b.frozen_peak)
		return b.frozen_peak;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

void bench_freeze_peak(void)
{
	b.frozen_peak = bench_peak_rss_kb();
}

int main(int argc, char **argv)
{
	const char *impl;
	uint64_t n;
	double ns;
	char *end;

	if (argc != 3 || !*argv[2] ||
	    (n = strtoull(argv[2], &end, 10), *end) || !n ||
	    !(impl = argv[1][0] == 'V' ? impl_vec_name : impl_map_name))
		goto usage;
	if (impl_run(argv[1], n))
		goto usage;
	ns = (b.t1.tv_sec - b.t0.tv_sec) * 1e9 + (b.t1.tv_nsec - b.t0.tv_nsec);
	printf("wl=%s impl=%s n=%llu ns_per_op=%.3f peak_rss_kb=%ld minflt=%ld ok=%d sys_ms=%.0f%s\n",
	       argv[1], impl, (unsigned long long)n, ns / n,
	       bench_peak_rss_kb(), b.flt1 - b.flt0, b.ok, b.sys1 - b.sys0,
	       b.extra);
	return b.ok ? 0 : 1;
usage:
	fprintf(stderr, "usage: %s {%s} N\n", argv[0], impl_workloads());
	return 2;
}
