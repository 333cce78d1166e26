// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of userspace KUnit: every check, each passing, with each operand
 * evaluated exactly once; fixtures, test-managed memory, logging, skipping
 * and parameterised cases.  check.sh knows how many results this gives.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <kunit/test.h>

#ifndef KERN_INFO
#define KERN_INFO	"\001" "6"
#endif

static void checks_int(struct kunit *test)
{
	int neg = -1, i = 0, j = 0;
	unsigned int u = 1;
	size_t sz = 5;
	uint64_t u64 = UINT64_MAX;
	int64_t s64 = INT64_MIN;
	unsigned char uc = 255;
	bool b = true;

	KUNIT_EXPECT_EQ(test, sz, 5);
	KUNIT_EXPECT_GE(test, sz, 0);
	KUNIT_EXPECT_GT(test, sizeof(int), 0);
	KUNIT_EXPECT_NE(test, neg, u);
	KUNIT_EXPECT_LT(test, s64, 0);
	KUNIT_EXPECT_LE(test, uc, 255);
	KUNIT_EXPECT_EQ(test, u64, ~0ULL);
	KUNIT_EXPECT_EQ(test, b, true);
	KUNIT_EXPECT_EQ_MSG(test, sz, 5, "sz %zu", sz);
	KUNIT_EXPECT_NE_MSG(test, neg, 0, "neg %d", neg);
	KUNIT_EXPECT_LT_MSG(test, 1, 2, "constant");
	KUNIT_EXPECT_LE_MSG(test, 2, 2, "%s", "constant");
	KUNIT_EXPECT_GT_MSG(test, u64, 0, "u64 %llu", (unsigned long long)u64);
	KUNIT_EXPECT_GE_MSG(test, s64, INT64_MIN, "s64");
	KUNIT_ASSERT_EQ(test, sz, 5);
	KUNIT_ASSERT_NE(test, neg, 0);
	KUNIT_ASSERT_LT(test, neg, 0);
	KUNIT_ASSERT_LE(test, u, 1);
	KUNIT_ASSERT_GT(test, u64, 1);
	KUNIT_ASSERT_GE(test, uc, 255);
	KUNIT_ASSERT_EQ_MSG(test, b, 1, "b");
	KUNIT_ASSERT_NE_MSG(test, b, 0, "b");
	KUNIT_ASSERT_LT_MSG(test, 0, u, "u %u", u);
	KUNIT_ASSERT_LE_MSG(test, 0, u, "u");
	KUNIT_ASSERT_GT_MSG(test, sizeof(long), 0, "long");
	KUNIT_ASSERT_GE_MSG(test, sizeof(long), 4, "long");

	/* Each operand is evaluated exactly once, left first. */
	KUNIT_EXPECT_EQ(test, i++, j++);
	KUNIT_EXPECT_NE(test, i++, ++j);
	KUNIT_EXPECT_LT(test, i++, ++j + 1);
	KUNIT_ASSERT_GE(test, ++i, j++);
	KUNIT_EXPECT_EQ(test, i, 4);
	KUNIT_EXPECT_EQ(test, j, 4);
}

static void checks_bool_ptr_str(struct kunit *test)
{
	static const char hello[] = "hello";
	const char *s = hello, *null_str = NULL;
	char buf[8] = "hello";
	int x = 0, *p = &x, *null_ptr = NULL, n = 0;

	KUNIT_EXPECT_TRUE(test, p);
	KUNIT_EXPECT_FALSE(test, null_ptr);
	KUNIT_EXPECT_TRUE_MSG(test, 1 < 2, "math");
	KUNIT_EXPECT_FALSE_MSG(test, 2 < 1, "math %d", 2);
	KUNIT_ASSERT_TRUE(test, s);
	KUNIT_ASSERT_FALSE(test, x);
	KUNIT_ASSERT_TRUE_MSG(test, true, "t");
	KUNIT_ASSERT_FALSE_MSG(test, false, "f");

	KUNIT_EXPECT_PTR_EQ(test, p, &x);
	KUNIT_EXPECT_PTR_NE(test, p, NULL);
	KUNIT_EXPECT_PTR_EQ(test, NULL, NULL);
	KUNIT_EXPECT_NULL(test, null_ptr);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, test);
	KUNIT_EXPECT_PTR_EQ_MSG(test, s, &hello[0], "s");
	KUNIT_EXPECT_PTR_NE_MSG(test, s, null_str, "s");
	KUNIT_EXPECT_NULL_MSG(test, null_str, "null");
	KUNIT_EXPECT_NOT_NULL_MSG(test, s, "s");
	KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, s, "%s", s);
	KUNIT_ASSERT_PTR_EQ(test, p, &x);
	KUNIT_ASSERT_PTR_NE(test, p, null_ptr);
	KUNIT_ASSERT_NULL(test, null_ptr);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	KUNIT_ASSERT_PTR_EQ_MSG(test, p, &x, "p");
	KUNIT_ASSERT_PTR_NE_MSG(test, p, NULL, "p");
	KUNIT_ASSERT_NULL_MSG(test, NULL, "NULL");
	KUNIT_ASSERT_NOT_NULL_MSG(test, p, "p");
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, "p");

	KUNIT_EXPECT_STREQ(test, s, "hello");
	KUNIT_EXPECT_STREQ(test, buf, s);
	KUNIT_EXPECT_STRNEQ(test, s, "world");
	KUNIT_EXPECT_STREQ_MSG(test, s, hello, "s");
	KUNIT_EXPECT_STRNEQ_MSG(test, s, "", "s");
	KUNIT_ASSERT_STREQ(test, s, "hello");
	KUNIT_ASSERT_STRNEQ(test, s, "hell");
	KUNIT_ASSERT_STREQ_MSG(test, s, buf, "s");
	KUNIT_ASSERT_STRNEQ_MSG(test, s, "hello!", "s");

	/* Each operand is evaluated exactly once. */
	KUNIT_EXPECT_TRUE(test, ++n);
	KUNIT_EXPECT_FALSE(test, n++ - 1);
	KUNIT_EXPECT_PTR_EQ(test, p + (n++ - 2), &x + (n++ - 3));
	KUNIT_EXPECT_NOT_NULL(test, p + (n++ - 4));
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, p + (n++ - 5));
	KUNIT_EXPECT_STREQ(test, s + (n++ - 6), hello + (n++ - 7));
	KUNIT_EXPECT_EQ(test, n, 8);
	KUNIT_SUCCEED(test);
}

static void checks_memory(struct kunit *test)
{
	unsigned char *m = kunit_kmalloc(test, 16, 0);
	unsigned char *z = kunit_kzalloc(test, 16, 0);
	int *c = kunit_kcalloc(test, 4, sizeof(int), 0);
	long *a = kunit_kmalloc_array(test, 4, sizeof(long), 0);
	size_t k;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, a);
	for (k = 0; k < 16; k++) {
		KUNIT_EXPECT_NE(test, m[k], 0);	/* poisoned, not zeroed */
		KUNIT_EXPECT_EQ(test, z[k], 0);
	}
	for (k = 0; k < 4; k++)
		KUNIT_EXPECT_EQ(test, c[k], 0);
	a[3] = 42;
	KUNIT_EXPECT_NULL(test, kunit_kmalloc_array(test, SIZE_MAX, 2, 0));
	KUNIT_EXPECT_NULL(test, kunit_kcalloc(test, 2, SIZE_MAX, 0));
	kunit_kfree(test, m);
	kunit_kfree(test, NULL);
	/* z, c and a are freed after the case, or LeakSanitizer complains. */
}

static void checks_logging(struct kunit *test)
{
	kunit_info(test, "info %d", 1);
	kunit_warn(test, "warn %s", "two");
	kunit_err(test, "err\n");
	kunit_printk(KERN_INFO, test, "printk %u", 4u);
	kunit_log(KERN_INFO, test, "    # raw log line");
	KUNIT_EXPECT_STREQ(test, test->name, "checks_logging");
}

static void skip_aborts(struct kunit *test)
{
	kunit_skip(test, "skipped with %s", "kunit_skip");
	KUNIT_FAIL(test, "kunit_skip() did not abort");
}

static void skip_marked(struct kunit *test)
{
	kunit_mark_skipped(test, "marked skipped");
	KUNIT_EXPECT_EQ(test, test->status, KUNIT_SKIPPED);
}

static struct kunit_case checks_cases[] = {
	KUNIT_CASE(checks_int),
	KUNIT_CASE(checks_bool_ptr_str),
	KUNIT_CASE(checks_memory),
	KUNIT_CASE(checks_logging),
	KUNIT_CASE(skip_aborts),
	KUNIT_CASE(skip_marked),
	{}
};

static struct kunit_suite checks_suite = {
	.name = "selftest_checks",
	.test_cases = checks_cases,
};

/* Fixtures: suite_init/exit once, init/exit around every run. */
struct fixture {
	int magic;
};

static int suite_inits, inits, exits;

static int fixture_suite_init(struct kunit_suite *suite)
{
	suite_inits++;
	kunit_info(suite, "suite_init ran");
	return 0;
}

static void fixture_suite_exit(struct kunit_suite *suite)
{
	kunit_info(suite, "suite_exit ran after %d inits, %d exits", inits,
		   exits);
}

static int fixture_init(struct kunit *test)
{
	struct fixture *f = kunit_kzalloc(test, sizeof(*f), 0);

	if (!f)
		return -12;
	f->magic = 0x600d;
	test->priv = f;
	inits++;
	return 0;
}

static void fixture_exit(struct kunit *test)
{
	struct fixture *f = test->priv;

	exits++;
	f->magic = 0;
}

static void fixture_hooks(struct kunit *test)
{
	struct fixture *f = test->priv;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->magic, 0x600d);
	KUNIT_EXPECT_EQ(test, suite_inits, 1);
	KUNIT_EXPECT_EQ(test, exits, inits - 1);
}

struct sum_case {
	int a, b, sum;
	const char *name;
};

static const struct sum_case sum_cases[] = {
	{ 1, 2, 3, "one_plus_two" },
	{ -1, 1, 0, "minus_one_plus_one" },
	{ 0, 0, 0, "zeros" },
};

static void sum_case_desc(const struct sum_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(sum, sum_cases, sum_case_desc);

static const int small_primes[] = { 2, 3, 5, 7 };
KUNIT_ARRAY_PARAM(prime, small_primes, NULL);

static void param_sum(struct kunit *test)
{
	const struct sum_case *c = test->param_value;

	KUNIT_EXPECT_PTR_EQ(test, c, &sum_cases[test->param_index]);
	KUNIT_EXPECT_EQ(test, c->a + c->b, c->sum);
	KUNIT_EXPECT_EQ(test, ((struct fixture *)test->priv)->magic, 0x600d);
}

static void param_prime(struct kunit *test)
{
	const int *p = test->param_value;

	KUNIT_EXPECT_EQ(test, *p, small_primes[test->param_index]);
	if (*p == 7)
		kunit_skip(test, "seven is skipped");
	KUNIT_EXPECT_NE(test, *p % 2 == 0, *p != 2);
}

/* A hand-written generator: 1, 2, 4, then done. */
static const void *pow2_gen_params(const void *prev, char *desc)
{
	static const int vals[] = { 1, 2, 4 };
	const int *v = prev ? (const int *)prev + 1 : vals;

	if (v == vals + 3)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "pow2 %d", *v);
	return v;
}

static void param_pow2(struct kunit *test)
{
	const int *v = test->param_value;

	KUNIT_EXPECT_EQ(test, *v, 1 << test->param_index);
}

static struct kunit_case fixture_cases[] = {
	KUNIT_CASE(fixture_hooks),
	KUNIT_CASE_PARAM(param_sum, sum_gen_params),
	KUNIT_CASE_PARAM(param_prime, prime_gen_params),
	KUNIT_CASE_PARAM(param_pow2, pow2_gen_params),
	KUNIT_CASE(fixture_hooks),
	{}
};

static struct kunit_suite fixture_suite = {
	.name = "selftest_fixture",
	.suite_init = fixture_suite_init,
	.suite_exit = fixture_suite_exit,
	.init = fixture_init,
	.exit = fixture_exit,
	.test_cases = fixture_cases,
};

kunit_test_suites(&checks_suite, &fixture_suite);
