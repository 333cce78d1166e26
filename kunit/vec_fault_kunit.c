// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow vectors' failure atomicity: random operations run
 * with allocation 1, 2, ... failed in turn, and with random failures, under
 * every policy; after each the vector equals a model of what it holds.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/fault.h>
#include <kvgrow/vec.h>
#include "kvg_kunit.h"

DECLARE_KVG_VEC(kvg_vec_u32, u32);

#define MODEL_MAX 2048

struct model {
	u32 *data;
	size_t len;
};

enum vec_op {
	OP_PUSH, OP_APPEND, OP_INSERT, OP_REMOVE, OP_SWAP_REMOVE, OP_POP,
	OP_TRUNCATE, OP_CLIP, OP_RESERVE, OP_CLONE, OP_EXTEND, OP_NR,
};

static bool vec_equals_model(const union kvg_vec_u32 *v, const struct model *m)
{
	struct kvg_vec_stats st;

	kvg_vec_snapshot(v, &st);
	return v->len == m->len && kvg_vec_stats_valid(&st, NULL) &&
	       (!m->len || !memcmp(v->data, m->data, m->len * sizeof(u32)));
}

/*
 * Apply @op to the vector; on success also to the model.  Returns the
 * vector's result.
 */
static int apply_op(union kvg_vec_u32 *v, struct model *m, enum vec_op op,
		    u32 a, u32 b)
{
	union kvg_vec_u32 clone;
	u32 buf[16], x;
	size_t n, i;
	int err;

	switch (op) {
	case OP_PUSH:
		if (m->len >= MODEL_MAX)
			return 0;
		err = kvg_vec_push(v, a);
		if (!err)
			m->data[m->len++] = a;
		return err;
	case OP_APPEND:
		n = min_t(size_t, b % 16, MODEL_MAX - m->len);
		for (i = 0; i < n; i++)
			buf[i] = a + i;
		err = kvg_vec_append(v, buf, n);
		if (!err) {
			memcpy(m->data + m->len, buf, n * sizeof(u32));
			m->len += n;
		}
		return err;
	case OP_INSERT:
		if (m->len >= MODEL_MAX)
			return 0;
		i = b % (m->len + 1);
		err = kvg_vec_insert(v, i, a);
		if (!err) {
			memmove(m->data + i + 1, m->data + i,
				(m->len - i) * sizeof(u32));
			m->data[i] = a;
			m->len++;
		}
		return err;
	case OP_REMOVE:
		if (!m->len)
			return kvg_vec_remove(v, 0) == -EINVAL ? 0 : -EFAULT;
		i = b % m->len;
		n = min_t(size_t, a % 4, m->len - i);
		err = kvg_vec_remove_range(v, i, n);
		if (!err) {
			memmove(m->data + i, m->data + i + n,
				(m->len - i - n) * sizeof(u32));
			m->len -= n;
		}
		return err;
	case OP_SWAP_REMOVE:
		if (!m->len)
			return 0;
		i = b % m->len;
		err = kvg_vec_swap_remove(v, i);
		if (!err)
			m->data[i] = m->data[--m->len];
		return err;
	case OP_POP:
		err = kvg_vec_pop(v, &x);
		if (!m->len)
			return err == -ENOENT ? 0 : -EFAULT;
		if (!err && x != m->data[--m->len])
			return -EFAULT;
		return err;
	case OP_TRUNCATE:
		n = m->len ? m->len - b % (m->len + 1) / 4 : 0;
		err = kvg_vec_truncate(v, n);
		if (!err)
			m->len = n;
		return err;
	case OP_CLIP:
		return kvg_vec_clip(v);
	case OP_RESERVE:
		return kvg_vec_reserve(v, b % 64);
	case OP_EXTEND:
		n = min_t(size_t, b % 40, MODEL_MAX - m->len);
		err = kvg_vec_extend(v, n);
		if (!err) {
			memset(m->data + m->len, 0, n * sizeof(u32));
			m->len += n;
		}
		return err;
	case OP_CLONE:
		i = m->len ? b % m->len : 0;
		n = m->len ? a % (m->len - i + 1) : 0;
		err = kvg_vec_clone_range(&clone, v, i, i + n, GFP_KERNEL);
		if (err)
			return err;
		if (clone.len != n ||
		    (n && memcmp(clone.data, m->data + i, n * sizeof(u32))))
			err = -EFAULT;
		kvg_vec_free(&clone);
		return err;
	default:
		return -EINVAL;
	}
}

struct atomicity_case {
	const char *desc;
	struct kvg_policy policy;
	u64 seed;
};

static const struct atomicity_case atomicity_cases[] = {
	{ "kvg", KVG_POLICY(KVG), 1 },
	{ "go119", KVG_POLICY(GO119), 2 },
	{ "go-legacy", KVG_POLICY(GO_LEGACY), 3 },
	{ "factor:3/2", KVG_POLICY_FACTOR_OF(3, 2), 4 },
	{ "exact", KVG_POLICY(EXACT), 5 },
	{ "pow2", KVG_POLICY(POW2), 6 },
};

static void atomicity_desc(const struct atomicity_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(atomicity, atomicity_cases, atomicity_desc);

/* Each op runs with allocation 1, 2, ... failed until one needs none. */
static void vec_every_failure_point_is_atomic(struct kunit *test)
{
	const struct atomicity_case *c = test->param_value;
	unsigned long injected_total = 0, injected_on_v = 0;
	union kvg_vec_u32 v;
	struct model m = { };
	u64 s = c->seed;
	unsigned int step, nth;
	int err;

	m.data = kunit_kmalloc_array(test, MODEL_MAX, sizeof(u32), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.data);
	KUNIT_ASSERT_EQ(test, kvg_vec_init_policy(&v, c->policy, GFP_KERNEL), 0);

	for (step = 0; step < 3000; step++) {
		enum vec_op op = rnd(&s) % OP_NR;
		u32 a = rnd(&s), b = rnd(&s);

		for (nth = 1; ; nth++) {
			unsigned long before = kvg_fault_injected();

			kvg_fault_fail_nth(nth);
			err = apply_op(&v, &m, op, a, b);
			kvg_fault_fail_nth(0);
			KUNIT_ASSERT_TRUE_MSG(test, vec_equals_model(&v, &m),
					      "step %u op %d nth %u", step, op,
					      nth);
			if (kvg_fault_injected() == before)
				break;
			injected_total++;
			/* A clone's failure is the clone's, not v's. */
			injected_on_v += op != OP_CLONE;
			KUNIT_ASSERT_EQ_MSG(test, err, -ENOMEM,
					    "step %u op %d nth %u", step, op,
					    nth);
		}
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "step %u op %d", step, op);
		KUNIT_ASSERT_EQ(test, kvg_mem_live_blocks(), v.data ? 1 : 0);
	}
	/* The sequence did exercise failures, and failures were counted. */
	KUNIT_EXPECT_GT(test, injected_total, 100);
	KUNIT_EXPECT_EQ(test, v.raw.acct.failed_allocs, injected_on_v);
	kvg_vec_free(&v);
}

/* Random failures at 30%, from a seed: same guarantee. */
static void vec_random_failures_are_atomic(struct kunit *test)
{
	union kvg_vec_u32 v;
	struct model m = { };
	u64 s = 42;
	unsigned int step, failures = 0;
	int err;

	m.data = kunit_kmalloc_array(test, MODEL_MAX, sizeof(u32), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.data);
	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	kvg_fault_fail_random(300, 7);
	for (step = 0; step < 5000; step++) {
		err = apply_op(&v, &m, rnd(&s) % OP_NR, rnd(&s), rnd(&s));
		if (err) {
			KUNIT_ASSERT_EQ(test, err, -ENOMEM);
			failures++;
		}
		KUNIT_ASSERT_TRUE_MSG(test, vec_equals_model(&v, &m), "step %u",
				      step);
	}
	kvg_fault_reset();
	KUNIT_EXPECT_GT(test, failures, 100);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), v.data ? 1 : 0);
	kvg_vec_free(&v);
}

static struct kunit_case vec_fault_cases[] = {
	KUNIT_CASE_PARAM(vec_every_failure_point_is_atomic, atomicity_gen_params),
	KUNIT_CASE(vec_random_failures_are_atomic),
	{}
};

static struct kunit_suite vec_fault_suite = {
	.name = "kvgrow_vec_fault",
	.init = kvgt_leak_init,
	.exit = kvgt_leak_exit,
	.test_cases = vec_fault_cases,
};

kunit_test_suite(vec_fault_suite);
