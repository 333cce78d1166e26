// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of userspace KUnit: a second translation unit, registering two
 * suites one by one, linked into the same runner as pass_kunit.c.
 */
#include <kunit/test.h>
#include <kunit/test.h>

static void second_tu(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, test->name, "second_tu");
	KUNIT_EXPECT_NULL(test, test->priv);
	KUNIT_EXPECT_NULL(test, test->param_value);
}

static struct kunit_case second_cases[] = {
	KUNIT_CASE(second_tu),
	{}
};

static struct kunit_suite second_suite = {
	.name = "selftest_second_tu",
	.test_cases = second_cases,
};
kunit_test_suite(second_suite);

static void third_suite_case(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, test->param_index, 0);
}

static struct kunit_case third_cases[] = {
	KUNIT_CASE(third_suite_case),
	{}
};

static struct kunit_suite third_suite = {
	.name = "selftest_third",
	.test_cases = third_cases,
};
kunit_test_suite(third_suite);
