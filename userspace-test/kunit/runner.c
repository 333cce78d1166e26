// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace KUnit runner: the out-of-line half of include/kunit/test.h and a
 * main() that runs every suite linked in, printing KTAP like Linux 6.1.
 *
 *   runner [-l] [SUITE_GLOB[.CASE_GLOB]]...
 *
 * Globs are fnmatch(3) patterns; a case runs if any of them selects it.
 * -l lists the selected cases as suite.case instead of running them.  The
 * last line is "N passed, M failed[, K skipped]"; the exit status is 1 if
 * anything failed (or the globs selected nothing), else 0.
 */
#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kunit/test.h>

#define INDENT		KUNIT_SUBTEST_INDENT
#define POISON_INUSE	0x5a	/* as SLUB fills fresh kmalloc() memory */

/* Weak: a runner with no tests linked in still links, and runs nothing. */
extern struct kunit_suite **__start_kunit_test_suites[] __attribute__((weak));
extern struct kunit_suite **__stop_kunit_test_suites[] __attribute__((weak));

struct stats {
	unsigned long passed, failed, skipped, total;
};

struct filter {
	char *suite_glob;
	const char *case_glob;		/* NULL: every case */
};

static struct filter *filters;
static int nr_filters;
static struct stats grand;		/* every test and parameter run */
static struct kunit *current_test;
static jmp_buf *abort_env;		/* where __kunit_abort() lands */

static void stats_add(struct stats *s, enum kunit_status status)
{
	switch (status) {
	case KUNIT_SUCCESS:
		s->passed++;
		break;
	case KUNIT_FAILURE:
		s->failed++;
		break;
	case KUNIT_SKIPPED:
		s->skipped++;
		break;
	}
	s->total++;
}

static void stats_merge(struct stats *to, const struct stats *from)
{
	to->passed += from->passed;
	to->failed += from->failed;
	to->skipped += from->skipped;
	to->total += from->total;
}

static enum kunit_status stats_status(const struct stats *s)
{
	if (s->failed)
		return KUNIT_FAILURE;
	return s->passed ? KUNIT_SUCCESS : KUNIT_SKIPPED;
}

static void print_stats(const char *indent, const char *name,
			const struct stats *s)
{
	/* Like the kernel's default kunit.stats_enabled=1. */
	if (s->total > 1)
		printf("%s# %s: pass:%lu fail:%lu skip:%lu total:%lu\n", indent,
		       name, s->passed, s->failed, s->skipped, s->total);
}

static void print_result(const char *indent, enum kunit_status status,
			 size_t number, const char *name, const char *comment)
{
	printf("%s%s %zu %s", indent, kunit_status_to_ok_not_ok(status),
	       number, name);
	if (status == KUNIT_SKIPPED)
		printf(" # SKIP%s%s", *comment ? " " : "", comment);
	putchar('\n');
}

static __attribute__((__format__(__printf__, 1, 0)))
char *vformat(const char *fmt, va_list ap)
{
	va_list aq;
	char *s;
	int len;

	va_copy(aq, ap);
	len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (len < 0 || !(s = malloc((size_t)len + 1)))
		return NULL;
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	return s;
}

void __kunit_log(const char *fmt, ...)
{
	va_list ap;
	size_t len;
	char *s;

	if (fmt[0] == '\001' && fmt[1])		/* KERN_SOH and a level */
		fmt += 2;
	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (!s)
		return;
	len = strlen(s);
	printf("%s%s", s, len && s[len - 1] == '\n' ? "" : "\n");
	free(s);
}

void __kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	if (test->status != KUNIT_FAILURE)
		test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
}

void __kunit_abort(struct kunit *test)
{
	if (!abort_env || test != current_test) {
		fprintf(stderr, "kunit: %s aborted outside of its test case\n",
			test->name);
		abort();
	}
	longjmp(*abort_env, 1);
}

/* Prints "        text == value" unless text is that very literal. */
static void print_int(const char *text, unsigned long long v, bool is_signed)
{
	char buf[24];

	if (is_signed)
		snprintf(buf, sizeof(buf), "%lld", (long long)v);
	else
		snprintf(buf, sizeof(buf), "%llu", v);
	if (strcmp(text, buf))
		printf(KUNIT_SUBSUBTEST_INDENT "%s == %s\n", text, buf);
}

static void print_str(const char *text, const char *s)
{
	size_t len = strlen(text);

	if (!s)
		printf(KUNIT_SUBSUBTEST_INDENT "%s == NULL\n", text);
	else if (len < 2 || text[0] != '"' || text[len - 1] != '"' ||
		 strlen(s) != len - 2 || strncmp(text + 1, s, len - 2))
		printf(KUNIT_SUBSUBTEST_INDENT "%s == \"%s\"\n", text, s);
}

static void print_ptr(const char *text, unsigned long long v)
{
	if (v || strcmp(text, "NULL"))
		printf(KUNIT_SUBSUBTEST_INDENT "%s == %p\n", text,
		       (void *)(uintptr_t)v);
}

void __kunit_failed(struct kunit *test, const struct __kunit_site *site,
		    unsigned long long left, unsigned long long right,
		    const char *fmt, ...)
{
	const char *l = site->left, *r = site->right;
	va_list ap;
	char *msg;

	kunit_set_failure(test);
	kunit_err(test, "%s FAILED at %s:%d",
		  site->type == KUNIT_ASSERTION ? "ASSERTION" : "EXPECTATION",
		  site->file, site->line);

	switch (site->check) {
	case __KUNIT_FAIL:
		break;
	case __KUNIT_TRUE:
	case __KUNIT_FALSE:
		printf(INDENT "Expected %s to be %s, but is %s\n", l,
		       site->check == __KUNIT_TRUE ? "true" : "false",
		       site->check == __KUNIT_TRUE ? "false" : "true");
		break;
	case __KUNIT_NOT_ERR_OR_NULL:
		if (!left)
			printf(INDENT "Expected %s is not null, but is\n", l);
		else
			printf(INDENT "Expected %s is not error, but is: %ld\n",
			       l, (long)left);
		break;
	case __KUNIT_INT:
	case __KUNIT_PTR:
	case __KUNIT_STR:
		printf(INDENT "Expected %s %s %s, but\n", l, site->op, r);
		if (site->check == __KUNIT_INT) {
			print_int(l, left, site->left_signed);
			print_int(r, right, site->right_signed);
		} else if (site->check == __KUNIT_PTR) {
			print_ptr(l, left);
			print_ptr(r, right);
		} else {
			print_str(l, (const char *)(uintptr_t)left);
			print_str(r, (const char *)(uintptr_t)right);
		}
		break;
	}

	if (!fmt)
		return;
	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	if (msg)
		printf(INDENT "%s\n", msg);
	free(msg);
}

struct __kunit_alloc {
	struct __kunit_alloc *next;
	void *ptr;
};

void *__kunit_alloc(struct kunit *test, size_t n, size_t size, int zero)
{
	struct __kunit_alloc *a;

	if (size && n > SIZE_MAX / size)
		return NULL;
	a = malloc(sizeof(*a));
	if (!a)
		return NULL;
	a->ptr = zero ? calloc(n, size) : malloc(n * size);
	if (!a->ptr) {
		free(a);
		return NULL;
	}
	if (!zero)
		memset(a->ptr, POISON_INUSE, n * size);
	a->next = test->allocs;
	test->allocs = a;
	return a->ptr;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct __kunit_alloc **pp, *a;

	if (!ptr)
		return;
	for (pp = &test->allocs; (a = *pp); pp = &a->next) {
		if (a->ptr == ptr) {
			*pp = a->next;
			free(a->ptr);
			free(a);
			return;
		}
	}
	KUNIT_FAIL(test, "kunit_kfree: %p already freed or not allocated by kunit", ptr);
}

static void free_allocs(struct kunit *test)
{
	while (test->allocs)
		kunit_kfree(test, test->allocs->ptr);
}

/*
 * One run of a case (or of one parameter): init, the case, exit.  An abort
 * (failed assertion, kunit_skip()) in init or the case still runs exit; one
 * in exit ends the run.  Test-managed memory goes last.
 */
static void run_once(struct kunit_suite *suite, struct kunit_case *tc,
		     struct kunit *test)
{
	enum { RUN, EXIT, DONE };
	volatile int stage = RUN;
	jmp_buf env;

	test->name = tc->name;
	test->status = KUNIT_SUCCESS;
	test->status_comment[0] = '\0';
	current_test = test;
	abort_env = &env;

	if (setjmp(env))
		stage = stage == RUN ? EXIT : DONE;
	if (stage == RUN) {
		int err = suite->init ? suite->init(test) : 0;

		if (err) {
			kunit_err(test, "failed to initialize: %d", err);
			kunit_set_failure(test);
		} else {
			tc->run_case(test);
		}
		stage = EXIT;
	}
	if (stage == EXIT && suite->exit)
		suite->exit(test);

	abort_env = NULL;
	current_test = NULL;
	free_allocs(test);
}

/* Runs a case, once per parameter if it has some, and prints its result. */
static enum kunit_status run_case(struct kunit_suite *suite,
				  struct kunit_case *tc, size_t number,
				  struct stats *totals)
{
	struct kunit test = { .priv = NULL };
	struct stats params = { 0 };
	char desc[KUNIT_PARAM_DESC_SIZE] = "";

	if (!tc->generate_params) {
		run_once(suite, tc, &test);
		stats_add(&params, test.status);
	} else {
		test.param_value = tc->generate_params(NULL, desc);
		printf(INDENT INDENT "KTAP version 1\n");
		printf(INDENT INDENT "# Subtest: %s\n", tc->name);
		while (test.param_value) {
			run_once(suite, tc, &test);
			if (!desc[0])
				snprintf(desc, sizeof(desc), "param-%d",
					 test.param_index);
			print_result(INDENT INDENT, test.status,
				     (size_t)test.param_index + 1, desc,
				     test.status_comment);
			stats_add(&params, test.status);
			desc[0] = '\0';
			test.param_value = tc->generate_params(test.param_value,
							       desc);
			test.param_index++;
		}
		print_stats(INDENT, tc->name, &params);
		if (!params.total)		/* no parameters at all */
			grand.skipped++;
	}

	tc->status = stats_status(&params);
	print_result(INDENT, tc->status, number, tc->name, test.status_comment);
	stats_merge(totals, &params);
	return tc->status;
}

static bool case_selected(const struct kunit_suite *suite,
			  const struct kunit_case *tc)
{
	int i;

	if (!nr_filters)
		return true;
	for (i = 0; i < nr_filters; i++) {
		if (fnmatch(filters[i].suite_glob, suite->name, 0))
			continue;
		if (!filters[i].case_glob ||
		    !fnmatch(filters[i].case_glob, tc->name, 0))
			return true;
	}
	return false;
}

static size_t nr_selected(const struct kunit_suite *suite)
{
	struct kunit_case *tc;
	size_t n = 0;

	kunit_suite_for_each_test_case(suite, tc)
		n += case_selected(suite, tc);
	return n;
}

static void run_suite(struct kunit_suite *suite, size_t number)
{
	struct stats cases = { 0 }, totals = { 0 };
	struct kunit_case *tc;
	size_t n = 0;

	suite->status_comment[0] = '\0';
	suite->suite_init_err = suite->suite_init ? suite->suite_init(suite) : 0;
	if (suite->suite_init_err) {
		printf(INDENT "# %s: failed to initialize (%d)\n", suite->name,
		       suite->suite_init_err);
		print_result("", KUNIT_FAILURE, number, suite->name, "");
		grand.failed++;
		return;
	}

	printf(INDENT "KTAP version 1\n");
	printf(INDENT "# Subtest: %s\n", suite->name);
	printf(INDENT "1..%zu\n", nr_selected(suite));
	kunit_suite_for_each_test_case(suite, tc) {
		if (case_selected(suite, tc))
			stats_add(&cases, run_case(suite, tc, ++n, &totals));
	}
	if (suite->suite_exit)
		suite->suite_exit(suite);

	print_stats("", suite->name, &cases);
	if (totals.total > 1)
		print_stats("", "Totals", &totals);
	print_result("", stats_status(&cases), number, suite->name,
		     suite->status_comment);
	stats_merge(&grand, &totals);
}

/* The suites with a selected case, in link order. */
static struct kunit_suite **selected_suites(size_t *count)
{
	struct kunit_suite ***entry, **s, **list = NULL;
	size_t n = 0;

	for (entry = __start_kunit_test_suites;
	     entry < __stop_kunit_test_suites; entry++) {
		for (s = *entry; *s; s++) {
			if (nr_filters && !nr_selected(*s))
				continue;
			list = realloc(list, (n + 1) * sizeof(*list));
			if (!list) {
				perror("kunit");
				exit(2);
			}
			list[n++] = *s;
		}
	}
	*count = n;
	return list;
}

static void usage(const char *prog, int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [-l] [SUITE_GLOB[.CASE_GLOB]]...\n"
		"  -l  list the selected test cases instead of running them\n",
		prog);
	exit(status);
}

int main(int argc, char **argv)
{
	struct kunit_suite **suites;
	bool list = false;
	size_t i, n;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "hl")) != -1) {
		if (opt == 'l')
			list = true;
		else
			usage(argv[0], opt == 'h' ? 0 : 2);
	}

	filters = calloc((size_t)(argc - optind) + 1, sizeof(*filters));
	if (!filters) {
		perror("kunit");
		return 2;
	}
	for (; optind < argc; optind++, nr_filters++) {
		struct filter *f = &filters[nr_filters];
		char *dot = strchr(argv[optind], '.');

		f->suite_glob = argv[optind];
		if (dot) {
			*dot = '\0';
			f->case_glob = dot + 1;
		}
	}

	suites = selected_suites(&n);
	if (list) {
		struct kunit_case *tc;

		for (i = 0; i < n; i++) {
			kunit_suite_for_each_test_case(suites[i], tc) {
				if (case_selected(suites[i], tc))
					printf("%s.%s\n", suites[i]->name,
					       tc->name);
			}
		}
	} else {
		printf("KTAP version 1\n1..%zu\n", n);
		for (i = 0; i < n; i++)
			run_suite(suites[i], i + 1);
		printf("%lu passed, %lu failed", grand.passed, grand.failed);
		if (grand.skipped)
			printf(", %lu skipped", grand.skipped);
		putchar('\n');
	}
	free(suites);
	free(filters);

	if (nr_filters && !n) {
		fprintf(stderr, "kunit: no test case matches the given globs\n");
		return 1;
	}
	return grand.failed ? 1 : 0;
}
