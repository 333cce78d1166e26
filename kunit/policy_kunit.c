// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow's growth policies.  The same file runs in the
 * kernel and, through the KUnit shim, in userspace.
 *
 * Expected capacities are Go 1.19's, measured with the real runtime, or
 * worked out by hand from the allocator's size classes (noted at each).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/policy.h>
#include "kvg_kunit.h"

#define SEQ_MAX 24

struct seq_case {
	const char *desc;
	struct kvg_policy policy;
	size_t elem_size;
	size_t start_cap;	/* a make() hint before the appends */
	size_t seq[SEQ_MAX];	/* capacities after each growth, 0-ended */
};

static const struct seq_case seq_cases[] = {
	/* Go 1.19, measured. */
	{ "go119 8-byte", KVG_POLICY(GO119), 8, 0,
	  { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 848, 1280, 1792, 2560,
	    3408, 5120, 7168, 9216, 12288 } },
	{ "go119 1-byte", KVG_POLICY(GO119), 1, 0,
	  { 8, 16, 32, 64, 128, 256, 512, 896, 1408, 2048, 3072 } },
	{ "go119 40-byte", KVG_POLICY(GO119), 40, 0,
	  { 1, 2, 4, 8, 16, 32, 67, 134, 272, 544, 1024, 1638 } },
	/* Go <= 1.17: 1024 * 8 is a class; 1600 * 8 -> 13568; 2120 -> 18432. */
	{ "go-legacy 8-byte", KVG_POLICY(GO_LEGACY), 8, 0,
	  { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1280, 1696, 2304,
	    3072 } },
	/*
	 * kvg: slab classes 8..8192, then power-of-two pages to 4 MiB (so it
	 * doubles there), then whole vmalloc pages at Go's 1.25x.
	 */
	{ "kvg 8-byte", KVG_POLICY(KVG), 8, 0,
	  { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192,
	    16384, 32768, 65536, 131072, 262144, 524288, 655872, 820224 } },
	/* 12-byte elements: 5 * 12 = 60 fits kmalloc-64, 341 * 12 in 4096. */
	{ "kvg 12-byte", KVG_POLICY(KVG), 12, 0,
	  { 1, 2, 5, 10, 21, 42, 85, 170, 341, 682 } },
	/* The article's OOM story: 16 elements, then x1.5. */
	{ "factor:3/2 from 16", KVG_POLICY_FACTOR_OF(3, 2), 8, 16,
	  { 24, 36, 54, 81, 121, 181, 271, 406, 609, 913 } },
	{ "exact", KVG_POLICY(EXACT), 8, 0, { 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ "pow2", KVG_POLICY(POW2), 24, 0, { 1, 2, 4, 8, 16, 32, 64, 128 } },
};

static void seq_case_desc(const struct seq_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(seq, seq_cases, seq_case_desc);

/* Append one element at a time and record every growth. */
static void policy_append_one_sequence(struct kunit *test)
{
	const struct seq_case *c = test->param_value;
	size_t cap = c->start_cap, len = cap, got;
	unsigned int i;

	for (i = 0; i < SEQ_MAX && c->seq[i]; i++) {
		/* Fill to capacity, then one more append must grow. */
		len = cap;
		KUNIT_ASSERT_EQ(test, kvg_policy_grow(c->policy, cap, len + 1,
						      c->elem_size, &got), 0);
		KUNIT_EXPECT_EQ_MSG(test, got, c->seq[i], "growth %u from %zu",
				    i, cap);
		cap = got;
	}
}

struct many_case {
	const char *desc;
	struct kvg_policy policy;
	size_t elem_size, len, cap, add, want;
};

static const struct many_case many_cases[] = {
	/* Go 1.19, measured: append(nil, 1025 x int64) and 20 onto 8/8. */
	{ "go119 1025 onto nil", KVG_POLICY(GO119), 8, 0, 0, 1025, 1184 },
	{ "go119 20 onto 8/8", KVG_POLICY(GO119), 8, 8, 8, 20, 28 },
	/* Go 1.19: needed 5 <= 2 * 4, so doubling: 8 * 40 = 320, a class. */
	{ "go119 1 onto 4/4 40-byte", KVG_POLICY(GO119), 40, 4, 4, 1, 8 },
	/* 300 <= 512, 256 + (256 + 768) / 4 = 512 -> 4096 B, a class. */
	{ "go119 44 onto 256/256", KVG_POLICY(GO119), 8, 256, 256, 44, 512 },
	/* kvg: 1025 * 8 = 8200 B -> order-2 kmalloc of 16 KiB. */
	{ "kvg 1025 onto nil", KVG_POLICY(KVG), 8, 0, 0, 1025, 2048 },
	/* Above 4 MiB only vmalloc serves: 5 MiB + 8 B -> whole pages. */
	{ "kvg 5MiB+8 onto nil", KVG_POLICY(KVG), 8, 0, 0, 655361, 655872 },
	{ "pow2 5 onto nil", KVG_POLICY(POW2), 8, 0, 0, 5, 8 },
	{ "exact 5 onto 3/4", KVG_POLICY(EXACT), 8, 3, 4, 5, 8 },
	/* factor: 10 * 3 / 2 = 15, but 40 are needed. */
	{ "factor 30 onto 10/10", KVG_POLICY_FACTOR_OF(3, 2), 8, 10, 10, 30, 40 },
	/*
	 * Bulk appends: max(needed, one step), also where more than twice
	 * the old capacity is needed (see kvg_policy_grow() for why).
	 */
	{ "factor:3/1 25 onto 10/10", KVG_POLICY_FACTOR_OF(3, 1), 8, 10, 10, 15, 30 },
	{ "factor:3/1 31 onto 10/10", KVG_POLICY_FACTOR_OF(3, 1), 8, 10, 10, 21, 31 },
	{ "factor:1000/1 9 onto 4/4", KVG_POLICY_FACTOR_OF(1000, 1), 8, 4, 4, 5, 4000 },
	{ "factor:3/2 17 onto 10/10", KVG_POLICY_FACTOR_OF(3, 2), 8, 10, 10, 7, 17 },
	{ "pow2 9 onto 4/4", KVG_POLICY(POW2), 8, 4, 4, 5, 16 },
	/* A factor so small that cap * num / den rounds back: still +1. */
	{ "factor 1000/999 of 1", KVG_POLICY_FACTOR_OF(1000, 999), 8, 1, 1, 1, 2 },
	{ "legacy 1 onto 1024", KVG_POLICY(GO_LEGACY), 8, 1024, 1024, 1, 1280 },
};

static void many_case_desc(const struct many_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(many, many_cases, many_case_desc);

static void policy_append_many(struct kunit *test)
{
	const struct many_case *c = test->param_value;
	size_t got = 0;

	KUNIT_ASSERT_EQ(test, kvg_policy_grow(c->policy, c->cap, c->len + c->add,
					      c->elem_size, &got), 0);
	KUNIT_EXPECT_EQ(test, got, c->want);
}

/*
 * factor, exact and pow2 never give a smaller capacity for a bigger need:
 * the reason factor:N/D keeps its step above Go's 2x threshold.  (Go's
 * own formula is not monotone above 256 elements, so go119 is not here.)
 */
static void policy_bigger_need_never_smaller_cap(struct kunit *test)
{
	static const struct kvg_policy policies[] = {
		KVG_POLICY_FACTOR_OF(3, 2), KVG_POLICY_FACTOR_OF(3, 1),
		KVG_POLICY_FACTOR_OF(1000, 1), KVG_POLICY_FACTOR_OF(1000, 999),
		KVG_POLICY_FACTOR_OF(7, 3), KVG_POLICY(EXACT), KVG_POLICY(POW2),
	};
	static const size_t olds[] = { 0, 1, 2, 3, 4, 7, 10, 100, 255, 1000 };
	size_t o, needed, got, prev;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		for (o = 0; o < ARRAY_SIZE(olds); o++) {
			prev = 0;
			for (needed = olds[o] + 1; needed <= 4 * olds[o] + 20;
			     needed++) {
				KUNIT_ASSERT_EQ(test,
						kvg_policy_grow(policies[i], olds[o],
								needed, 8, &got),
						0);
				KUNIT_EXPECT_GE(test, got, needed);
				KUNIT_EXPECT_GE_MSG(test, got, prev,
						    "policy %u from %zu, needed %zu",
						    i, olds[o], needed);
				prev = got;
			}
		}
	}
}

static void policy_fit(struct kunit *test)
{
	size_t cap = 0;

	/* make([]T, 0, n) is exact in Go and in every policy but kvg. */
	KUNIT_EXPECT_EQ(test, kvg_policy_fit(KVG_POLICY(GO119), 1000, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, 1000);
	KUNIT_EXPECT_EQ(test, kvg_policy_fit(KVG_POLICY(EXACT), 3, 40, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, 3);
	/* kvg: 8000 B is served from kmalloc-8k, so 1024 fit. */
	KUNIT_EXPECT_EQ(test, kvg_policy_fit(KVG_POLICY(KVG), 1000, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, 1024);
	/* 1.25 MiB takes an order-9 (2 MiB) block: all of it is capacity. */
	KUNIT_EXPECT_EQ(test, kvg_policy_fit(KVG_POLICY(KVG), 163840, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, 262144);
	KUNIT_EXPECT_EQ(test, kvg_policy_fit(KVG_POLICY(KVG), 0, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, 0);
}

static void policy_kvmalloc_roundup(struct kunit *test)
{
	static const size_t in[] = { 1, 8, 9, 33, 65, 97, 129, 193, 257, 4097,
				     8192, 8193, 5 << 18, 4 << 20,
				     (4 << 20) + 1 };
	static const size_t out[] = { 8, 8, 16, 64, 96, 128, 192, 256, 512,
				      8192, 8192, 16384, 2 << 20, 4 << 20,
				      (4 << 20) + 4096 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(in); i++)
		KUNIT_EXPECT_EQ_MSG(test, kvg_kvmalloc_roundup(in[i]), out[i],
				    "bytes %zu", in[i]);
}

static void policy_limits(struct kunit *test)
{
	const size_t max8 = KVG_MAX_BYTES / 8;
	size_t cap = 12345;

	/* needed * elem_size overflows size_t. */
	KUNIT_EXPECT_EQ(test, kvg_policy_grow(KVG_POLICY(KVG), 0, SIZE_MAX / 2,
					      4, &cap), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, kvg_policy_fit(KVG_POLICY(GO119), SIZE_MAX, 2,
					     &cap), -EOVERFLOW);
	/* More than kvmalloc() accepts. */
	KUNIT_EXPECT_EQ(test, kvg_policy_grow(KVG_POLICY(KVG), 0, max8 + 1, 8,
					      &cap), -E2BIG);
	KUNIT_EXPECT_EQ(test, kvg_policy_fit(KVG_POLICY(EXACT),
					     KVG_MAX_BYTES + 1UL, 1, &cap),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, cap, 12345);
	/* Bad arguments. */
	KUNIT_EXPECT_EQ(test, kvg_policy_grow(KVG_POLICY(KVG), 0, 1, 0, &cap),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_policy_grow(KVG_POLICY(KVG), 4, 4, 8, &cap),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_policy_grow((struct kvg_policy){ .kind = 99 },
					      0, 1, 8, &cap), -EINVAL);
	KUNIT_EXPECT_EQ(test, cap, 12345);
	/* Growth that would pass the limit is clamped to it. */
	KUNIT_EXPECT_EQ(test, kvg_policy_grow(KVG_POLICY(KVG), max8 - 10,
					      max8 - 9, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, max8);
	KUNIT_EXPECT_EQ(test, kvg_policy_grow(KVG_POLICY(POW2), max8 - 10,
					      max8 - 9, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, max8);
	KUNIT_EXPECT_EQ(test, kvg_policy_grow(KVG_POLICY_FACTOR_OF(3, 2),
					      max8 - 10, max8 - 9, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, max8);
}

/*
 * factor:N/D near KVG_MAX_BYTES: a step is old * N / D, clamped only when
 * that (not old * N) passes the limit.  8-byte elements: max 268435455.
 */
static void policy_factor_near_limit(struct kunit *test)
{
	static const struct {
		u16 num, den;
		size_t old, want;
	} exact[] = {
		/* old * 1000 passes the limit, old * 1000 / 999 does not. */
		{ 1000, 999, 268435, 268703 },
		{ 1000, 999, 268436, 268704 },
		/* max / 3 = 89478485: the next one must not jump either. */
		{ 3, 2, 89478485, 134217727 },
		{ 3, 2, 89478486, 134217729 },
		{ 3, 2, 178956970, 268435455 },		/* 268435455 exactly */
		{ 3, 2, 178956971, 268435455 },		/* clamped */
		{ 1000, 10, 2684354, 268435400 },
		{ 1000, 10, 2684355, 268435455 },	/* clamped */
		{ 1000, 999, 268435454, 268435455 },	/* +1, the limit */
	};
	static const u16 factors[][2] = {
		{ 3, 2 }, { 1000, 999 }, { 2, 1 }, { 1000, 1 }, { 5, 4 },
		{ 1000, 10 }, { 7, 3 }, { 999, 998 },
	};
	const size_t max8 = KVG_MAX_BYTES / 8;
	unsigned int i, j;
	size_t got;

	for (i = 0; i < ARRAY_SIZE(exact); i++) {
		struct kvg_policy p = KVG_POLICY_FACTOR_OF(exact[i].num,
							   exact[i].den);

		KUNIT_ASSERT_EQ(test, kvg_policy_grow(p, exact[i].old,
						      exact[i].old + 1, 8, &got),
				0);
		KUNIT_EXPECT_EQ_MSG(test, got, exact[i].want, "factor:%u/%u from %zu",
				    exact[i].num, exact[i].den, exact[i].old);
	}
	/*
	 * Around each factor's old * N = limit and old * N / D = limit, and
	 * near the limit itself: the step is floor(old * N / D) (at least
	 * old + 1) unless that passes the limit, and never more.
	 */
	for (i = 0; i < ARRAY_SIZE(factors); i++) {
		struct kvg_policy p = KVG_POLICY_FACTOR_OF(factors[i][0],
							   factors[i][1]);
		u64 num = factors[i][0], den = factors[i][1];
		size_t olds[] = { max8 / num - 1, max8 / num, max8 / num + 1,
				  max8 / num * den / 2, max8 / num * den - 1,
				  max8 / num * den, max8 / num * den + 1,
				  max8 / 2, max8 - 2, max8 - 1 };

		for (j = 0; j < ARRAY_SIZE(olds); j++) {
			u64 old = olds[j];

			if (old >= max8)
				continue;
			KUNIT_ASSERT_EQ(test, kvg_policy_grow(p, old, old + 1, 8,
							      &got), 0);
			KUNIT_EXPECT_GT(test, got, old);
			KUNIT_EXPECT_LE(test, got, max8);
			/* Never more than x(N/D), +1: got * D <= old * N + D. */
			KUNIT_EXPECT_LE_MSG(test, (u64)got * den, old * num + den,
					    "factor:%llu/%llu from %llu gives %zu",
					    num, den, old, got);
			/* Nor less, unless clamped: old * N < (got + 1) * D. */
			if (got < max8)
				KUNIT_EXPECT_LT_MSG(test, old * num,
						    ((u64)got + 1) * den,
						    "factor:%llu/%llu from %llu gives %zu",
						    num, den, old, got);
		}
	}
}

static void policy_parse_and_name(struct kunit *test)
{
	static const char * const good[] = {
		"kvg", "go119", "go-legacy", "exact", "pow2", "factor:3/2",
		"factor:1000/999",
	};
	static const struct { const char *s; int err; } bad[] = {
		{ "", -EINVAL }, { "go", -EINVAL }, { "KVG", -EINVAL },
		{ "kvg ", -EINVAL }, { "factor", -EINVAL },
		{ "factor:", -EINVAL }, { "factor:3", -EINVAL },
		{ "factor:3/", -EINVAL }, { "factor:/2", -EINVAL },
		{ "factor:1/1", -EINVAL }, { "factor:2/3", -EINVAL },
		{ "factor:3/0", -EINVAL }, { "factor:-3/2", -EINVAL },
		{ "factor:3/2x", -EINVAL }, { "factor:3/2/1", -EINVAL },
		{ "factor:1001/2", -ERANGE },
		{ "factor:99999999999999999999/1", -ERANGE },
	};
	struct kvg_policy p, untouched = KVG_POLICY(POW2);
	char name[KVG_POLICY_NAME_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		KUNIT_ASSERT_EQ_MSG(test, kvg_policy_parse(good[i], &p), 0,
				    "%s", good[i]);
		KUNIT_EXPECT_EQ(test, kvg_policy_name(p, name, sizeof(name)),
				(int)strlen(good[i]));
		KUNIT_EXPECT_STREQ(test, name, good[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		p = untouched;
		KUNIT_EXPECT_EQ_MSG(test, kvg_policy_parse(bad[i].s, &p),
				    bad[i].err, "\"%s\"", bad[i].s);
		KUNIT_EXPECT_EQ(test, p.kind, untouched.kind);
	}
	KUNIT_EXPECT_EQ(test, kvg_policy_name((struct kvg_policy){ .kind = 99 },
					      name, sizeof(name)), -EINVAL);
	KUNIT_EXPECT_FALSE(test, kvg_policy_valid(KVG_POLICY_FACTOR_OF(3, 3)));
	KUNIT_EXPECT_FALSE(test, kvg_policy_valid((struct kvg_policy){
		.kind = KVG_POLICY_KVG, .num = 3, .den = 2 }));
}

/* The library's list of its policies: every kind, in order, named as parsed. */
static void policy_describe(struct kunit *test)
{
	static const char * const names[] = {
		"kvg", "go119", "go-legacy", "factor:N/D", "exact", "pow2",
	};
	const char *name, *rule;
	struct kvg_policy p;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(names), (size_t)KVG_POLICY_NR);
	for (i = 0; i < KVG_POLICY_NR; i++) {
		rule = NULL;
		name = kvg_policy_describe(i, &rule);
		KUNIT_ASSERT_NOT_NULL(test, name);
		KUNIT_EXPECT_STREQ(test, name, names[i]);
		KUNIT_ASSERT_NOT_NULL(test, rule);
		KUNIT_EXPECT_GE(test, strlen(rule), (size_t)10);
		KUNIT_EXPECT_PTR_EQ(test, kvg_policy_describe(i, NULL), name);
		if (i == KVG_POLICY_FACTOR)
			continue;
		KUNIT_ASSERT_EQ(test, kvg_policy_parse(name, &p), 0);
		KUNIT_EXPECT_EQ(test, (unsigned int)p.kind, i);
	}
	kvg_policy_describe(KVG_POLICY_FACTOR, &rule);
	KUNIT_EXPECT_NOT_NULL(test, strstr(rule, "both <= 1000,"));
	rule = "untouched";
	KUNIT_EXPECT_NULL(test, kvg_policy_describe(KVG_POLICY_NR, &rule));
	KUNIT_EXPECT_STREQ(test, rule, "untouched");
	KUNIT_EXPECT_NULL(test, kvg_policy_describe(~0U, NULL));
}

static struct kunit_case policy_cases[] = {
	KUNIT_CASE_PARAM(policy_append_one_sequence, seq_gen_params),
	KUNIT_CASE_PARAM(policy_append_many, many_gen_params),
	KUNIT_CASE(policy_bigger_need_never_smaller_cap),
	KUNIT_CASE(policy_fit),
	KUNIT_CASE(policy_kvmalloc_roundup),
	KUNIT_CASE(policy_limits),
	KUNIT_CASE(policy_factor_near_limit),
	KUNIT_CASE(policy_parse_and_name),
	KUNIT_CASE(policy_describe),
	{}
};

static struct kunit_suite policy_suite = {
	.name = "kvgrow_policy",
	.init = kvgt_leak_init,
	.exit = kvgt_leak_exit,
	.test_cases = policy_cases,
};

kunit_test_suite(policy_suite);

/* For the whole of kvgrow_kunit.o: every suite kunit/Makefile links in. */
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kvgrow: growth policies, vectors and maps");
