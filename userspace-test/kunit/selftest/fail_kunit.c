// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of userspace KUnit: deliberate failures, built into a runner of
 * their own.  check.sh knows how many results this gives and greps the
 * report of each.
 */
#include <stdint.h>
#include <kunit/test.h>

#define ERR_PTR_(err)	((void *)(long)(err))

static void fail_int(struct kunit *test)
{
	uint64_t big = UINT64_MAX;
	int neg = -5;

	KUNIT_EXPECT_EQ(test, 1 + 1, 3);
	KUNIT_EXPECT_EQ(test, big, 0);
	KUNIT_EXPECT_GT(test, neg, 0);
	kunit_info(test, "expectations do not abort");
}

static void fail_assert_aborts(struct kunit *test)
{
	int *missing = NULL;

	KUNIT_ASSERT_NOT_NULL(test, kunit_kzalloc(test, 64, 0));
	KUNIT_ASSERT_NOT_NULL(test, missing);
	KUNIT_FAIL(test, "not reached");
}

static void fail_bool_msg(struct kunit *test)
{
	KUNIT_EXPECT_TRUE_MSG(test, 2 < 1, "custom message %d", 42);
	KUNIT_EXPECT_FALSE(test, 1 < 2);
}

static void fail_ptr(struct kunit *test)
{
	int x, y;

	KUNIT_EXPECT_PTR_EQ(test, &x, &y);
	KUNIT_EXPECT_NULL(test, &x);
}

static void fail_str(struct kunit *test)
{
	const char *s = "hello", *null_str = NULL;

	KUNIT_EXPECT_STREQ(test, s, "world");
	KUNIT_EXPECT_STRNEQ(test, null_str, "x");
}

static void fail_err_or_null(struct kunit *test)
{
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, ERR_PTR_(-12));
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, NULL, "null %s", "pointer");
}

static void fail_explicit(struct kunit *test)
{
	KUNIT_FAIL(test, "explicit failure %s", "here");
}

static void fail_kfree(struct kunit *test)
{
	int local = 0;

	kunit_kfree(test, &local);
}

static void fail_then_skip(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1, 2);
	kunit_skip(test, "a failed test stays failed");
}

static const int params[] = { 1, 2, 3 };
KUNIT_ARRAY_PARAM(fail_param, params, NULL);

static void fail_param(struct kunit *test)
{
	const int *p = test->param_value;

	KUNIT_EXPECT_NE(test, *p, 2);
}

static void pass_case(struct kunit *test)
{
	KUNIT_SUCCEED(test);
}

static void exit_hook(struct kunit *test)
{
	kunit_info(test, "exit hook ran");
}

static struct kunit_case failure_cases[] = {
	KUNIT_CASE(fail_int),
	KUNIT_CASE(fail_assert_aborts),
	KUNIT_CASE(fail_bool_msg),
	KUNIT_CASE(fail_ptr),
	KUNIT_CASE(fail_str),
	KUNIT_CASE(fail_err_or_null),
	KUNIT_CASE(fail_explicit),
	KUNIT_CASE(fail_kfree),
	KUNIT_CASE(fail_then_skip),
	KUNIT_CASE_PARAM(fail_param, fail_param_gen_params),
	KUNIT_CASE(pass_case),
	{}
};

static struct kunit_suite failure_suite = {
	.name = "selftest_failures",
	.exit = exit_hook,
	.test_cases = failure_cases,
};

static int bad_init(struct kunit *test)
{
	(void)test;
	return -22;
}

static struct kunit_case bad_init_cases[] = {
	KUNIT_CASE(pass_case),
	{}
};

static struct kunit_suite bad_init_suite = {
	.name = "selftest_bad_init",
	.init = bad_init,
	.exit = exit_hook,
	.test_cases = bad_init_cases,
};

static int bad_suite_init(struct kunit_suite *suite)
{
	(void)suite;
	return -5;
}

static struct kunit_suite bad_suite_init_suite = {
	.name = "selftest_bad_suite_init",
	.suite_init = bad_suite_init,
	.test_cases = bad_init_cases,
};

kunit_test_suites(&failure_suite, &bad_init_suite, &bad_suite_init_suite);
