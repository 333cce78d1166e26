// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the page backend of kvgrow vectors (lib/vec_pages.c):
 * growth across KVG_PAGES_MIN_BYTES, growth that keeps its pages instead
 * of copying them, the slack bound of kvg above the threshold, clip giving
 * pages back, appends from the vector itself, the gfp rule, and each
 * allocation point of a remap failed in turn.  The same file runs in the
 * kernel and, through the KUnit shim, in userspace.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <kvgrow/fault.h>
#include <kvgrow/policy.h>
#include <kvgrow/vec.h>
#include "kvg_kunit.h"

DECLARE_KVG_VEC(kvg_pvec_u64, u64);

/* The first u64 past KVG_PAGES_MIN_BYTES: where a pushed vector pages. */
#define MIN_U64		(KVG_PAGES_MIN_BYTES / sizeof(u64))

static bool is_iota(const union kvg_pvec_u64 *v, size_t n)
{
	size_t i;

	if (v->len != n)
		return false;
	for (i = 0; i < n; i++)
		if (v->data[i] != i)
			return false;
	return true;
}

static size_t pages_of(const union kvg_pvec_u64 *v)
{
	return DIV_ROUND_UP(v->cap * sizeof(u64), PAGE_SIZE);
}

/*
 * Push 0, 1, ... up to @n: the vector pages where its capacity first
 * reaches KVG_PAGES_MIN_BYTES, copying its kmalloc block once; after that
 * nothing is copied, each remap keeps every page (the same struct page at
 * the same offset), and kvg's slack stays within 1/16 of the footprint.
 */
static void push_and_check(struct kunit *test, size_t n)
{
	union kvg_pvec_u64 v;
	struct kvg_vec_stats st, before;
	u64 moved_at_switch = 0, remapped = 0;
	size_t i, remaps = 0;
	bool paged = false;

	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	for (i = 0; i < n; i++) {
		if (i == v.cap) {
			struct page *first = NULL, *last = NULL;
			size_t old_nr = pages_of(&v);

			kvg_vec_snapshot(&v, &before);
			if (paged) {
				first = vmalloc_to_page(v.data);
				last = vmalloc_to_page((char *)v.data +
						       (old_nr - 1) * PAGE_SIZE);
			}
			KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, i), 0);
			kvg_vec_snapshot(&v, &st);
			if (!paged && st.backend == KVG_BACKEND_PAGES) {
				/* The one copy: the kmalloc block's bytes. */
				paged = true;
				KUNIT_EXPECT_EQ(test, st.moved_bytes,
						before.moved_bytes + i * 8);
				KUNIT_EXPECT_EQ(test, st.requested_bytes,
						KVG_PAGES_MIN_BYTES);
				moved_at_switch = st.moved_bytes;
			} else if (paged) {
				KUNIT_ASSERT_EQ(test, st.backend,
						KVG_BACKEND_PAGES);
				KUNIT_EXPECT_EQ(test, st.moved_bytes,
						moved_at_switch);
				/* The old pages, now mapped at the new view. */
				KUNIT_EXPECT_PTR_EQ(test, first,
						    vmalloc_to_page(v.data));
				KUNIT_EXPECT_PTR_EQ(test, last,
						    vmalloc_to_page((char *)v.data +
								    (old_nr - 1) * PAGE_SIZE));
				remapped += old_nr;
				remaps++;
			}
			continue;
		}
		KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, i), 0);
		if (i + 1 >= MIN_U64 && (i & 255) == 0) {
			kvg_vec_snapshot(&v, &st);
			KUNIT_ASSERT_LE_MSG(test, st.slack_bytes * 16,
					    st.footprint_bytes, "len %zu", i + 1);
		}
	}
	KUNIT_ASSERT_TRUE(test, is_iota(&v, n));
	kvg_vec_snapshot(&v, &st);
	KUNIT_EXPECT_TRUE(test, kvg_vec_stats_valid(&st, NULL));
	KUNIT_EXPECT_EQ(test, st.backend, KVG_BACKEND_PAGES);
	KUNIT_EXPECT_EQ(test, st.remapped_pages, remapped);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, pages_of(&v) * PAGE_SIZE);
	/* Not one byte copied after the switch, and under 1 MiB in all. */
	KUNIT_EXPECT_EQ(test, st.moved_bytes, moved_at_switch);
	KUNIT_EXPECT_LT(test, st.moved_bytes, 1 << 20);
	/* Peak: the final pages and one remap's page list, within 10%. */
	KUNIT_EXPECT_LE(test, st.peak_footprint_bytes * 10,
			st.footprint_bytes * 11);
	/* Each page and the view are blocks: one view, pages_of() pages. */
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), pages_of(&v) + 1);
	KUNIT_EXPECT_GT(test, remaps, 10);
	kvg_vec_free(&v);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
}

static void pages_push_1e5(struct kunit *test)
{
	push_and_check(test, 100000);
}

static void pages_push_1e6(struct kunit *test)
{
	push_and_check(test, 1000000);
}

/* Truncate keeps the capacity; clip gives pages back, then the block. */
static void pages_clip_gives_pages_back(struct kunit *test)
{
	union kvg_pvec_u64 v;
	struct kvg_vec_stats st, before;
	struct page *first;
	size_t i;

	KUNIT_ASSERT_EQ(test, kvg_vec_make(&v, KVG_POLICY(KVG), 200000,
					   GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 200192);	/* 391 pages */
	for (i = 0; i < 200000; i++)
		v.data[v.len++] = i;
	KUNIT_ASSERT_EQ(test, kvg_vec_truncate(&v, 50000), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 200192);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 391 + 1);
	kvg_vec_snapshot(&v, &before);
	first = vmalloc_to_page(v.data);
	KUNIT_ASSERT_EQ(test, kvg_vec_clip(&v), 0);
	kvg_vec_snapshot(&v, &st);
	/* 50000 u64 in 98 whole pages, the first still the same page. */
	KUNIT_EXPECT_EQ(test, v.cap, 50176);
	KUNIT_EXPECT_EQ(test, st.backend, KVG_BACKEND_PAGES);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 98 * PAGE_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, first, vmalloc_to_page(v.data));
	KUNIT_EXPECT_EQ(test, st.moved_bytes, before.moved_bytes);
	KUNIT_EXPECT_EQ(test, st.remapped_pages, before.remapped_pages + 98);
	KUNIT_EXPECT_EQ(test, st.shrinks, before.shrinks + 1);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 98 + 1);
	KUNIT_EXPECT_TRUE(test, is_iota(&v, 50000));
	KUNIT_EXPECT_TRUE(test, kvg_vec_stats_valid(&st, NULL));

	/* Below the threshold: back to a kmalloc block, by one copy. */
	KUNIT_ASSERT_EQ(test, kvg_vec_truncate(&v, 1000), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_clip(&v), 0);
	kvg_vec_snapshot(&v, &st);
	KUNIT_EXPECT_EQ(test, st.backend, KVG_BACKEND_KMALLOC);
	KUNIT_EXPECT_EQ(test, v.cap, 1024);
	KUNIT_EXPECT_EQ(test, st.moved_bytes, before.moved_bytes + 8000);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 1);
	KUNIT_EXPECT_TRUE(test, is_iota(&v, 1000));
	KUNIT_EXPECT_TRUE(test, kvg_vec_stats_valid(&st, NULL));
	KUNIT_ASSERT_EQ(test, kvg_vec_truncate(&v, 0), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_clip(&v), 0);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 0);
	kvg_vec_free(&v);
}

/* append(s, s...) and append(s, s[a:b]...) while the view moves. */
static void pages_append_from_itself(struct kunit *test)
{
	const size_t n = MIN_U64 + 1000;
	union kvg_pvec_u64 v;
	size_t i, len;

	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, i), 0);
	KUNIT_ASSERT_EQ(test, v.raw.backend, KVG_BACKEND_PAGES);
	for (len = n; len < 8 * n; len *= 2) {
		void *old = v.data;

		KUNIT_ASSERT_EQ(test, kvg_vec_append(&v, v.data, v.len), 0);
		KUNIT_EXPECT_PTR_NE(test, old, (void *)v.data);
		KUNIT_ASSERT_EQ(test, v.len, 2 * len);
	}
	for (i = 0; i < v.len; i++)
		if (v.data[i] != i % n) {
			KUNIT_FAIL(test, "data[%zu] = %llu", i, v.data[i]);
			break;
		}
	/* A range that straddles pages, as the view moves again. */
	len = v.len;
	KUNIT_ASSERT_EQ(test, kvg_vec_reserve(&v, 0), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_append(&v, v.data + 500, v.cap - len + 7),
			0);
	for (i = 0; i < v.len - len; i++)
		if (v.data[len + i] != (500 + i) % n) {
			KUNIT_FAIL(test, "data[%zu] = %llu", len + i,
				   v.data[len + i]);
			break;
		}
	kvg_vec_free(&v);
}

/* Where the page backend is not used, and the policies' capacities. */
static void pages_rules(struct kunit *test)
{
	union kvg_pvec_u64 v;
	struct kvg_vec_stats st;
	size_t cap, go;

	/* No I/O or FS reclaim: vmap() would allocate with GFP_KERNEL. */
	KUNIT_ASSERT_EQ(test, kvg_vec_make(&v, KVG_POLICY(KVG), 100000,
					   GFP_KERNEL & ~__GFP_FS), 0);
	KUNIT_EXPECT_EQ(test, v.raw.backend, KVG_BACKEND_KMALLOC);
	KUNIT_EXPECT_EQ(test, v.cap, 131072);	/* kmalloc's 1 MiB */
	kvg_vec_free(&v);
	/* Opted out, and the opt-out refused while page-backed. */
	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_set_pages(&v, false), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_extend(&v, 100000), 0);
	KUNIT_EXPECT_EQ(test, v.raw.backend, KVG_BACKEND_KMALLOC);
	KUNIT_EXPECT_EQ(test, kvg_vec_set_pages(&v, true), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_extend(&v, 100000), 0);
	KUNIT_EXPECT_EQ(test, v.raw.backend, KVG_BACKEND_PAGES);
	KUNIT_EXPECT_EQ(test, kvg_vec_set_pages(&v, false), -EBUSY);
	kvg_vec_snapshot(&v, &st);
	KUNIT_EXPECT_TRUE(test, kvg_vec_stats_valid(&st, NULL));
	kvg_vec_free(&v);
	KUNIT_EXPECT_EQ(test, kvg_vec_set_pages(&v, true), -EINVAL);

	/* kvg above the threshold: +1/32, whole pages. */
	KUNIT_EXPECT_EQ(test, kvg_policy_grow_pages(KVG_POLICY(KVG), MIN_U64,
						    MIN_U64 + 1, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, MIN_U64 + MIN_U64 / 32);
	/* Below it, kvg_policy_grow(); reaching it, at least the threshold. */
	KUNIT_EXPECT_EQ(test, kvg_policy_grow_pages(KVG_POLICY(KVG), 1000,
						    1001, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, 2048);
	KUNIT_EXPECT_EQ(test, kvg_policy_grow_pages(KVG_POLICY(KVG), 8192,
						    8193, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, MIN_U64);
	/* Other policies keep their rule. */
	KUNIT_EXPECT_EQ(test, kvg_policy_grow_pages(KVG_POLICY(GO119), 100000,
						    100001, 8, &cap), 0);
	KUNIT_EXPECT_EQ(test, kvg_policy_grow(KVG_POLICY(GO119), 100000,
					      100001, 8, &go), 0);
	KUNIT_EXPECT_EQ(test, cap, go);
	KUNIT_EXPECT_EQ(test, kvg_policy_fit_pages(KVG_POLICY(KVG), 100000, 8,
						   &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, 100352);
	KUNIT_EXPECT_EQ(test, kvg_policy_fit_pages(KVG_POLICY(EXACT), 100000,
						   8, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, 100000);
}

/* The two rules of kvg_vec_stats_valid() for page-backed vectors. */
static void pages_stats_rules(struct kunit *test)
{
	union kvg_pvec_u64 v;
	struct kvg_vec_stats good, bad;
	const char *why = NULL;

	KUNIT_ASSERT_EQ(test, kvg_vec_make(&v, KVG_POLICY(EXACT), 100001,
					   GFP_KERNEL), 0);
	kvg_vec_snapshot(&v, &good);
	kvg_vec_free(&v);
	KUNIT_EXPECT_EQ(test, good.backend, KVG_BACKEND_PAGES);
	KUNIT_EXPECT_EQ(test, good.footprint_bytes, 196 * PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, kvg_vec_stats_valid(&good, NULL));
	bad = good;
	bad.footprint_bytes += PAGE_SIZE;
	bad.slack_bytes += PAGE_SIZE;
	bad.peak_footprint_bytes += PAGE_SIZE;
	KUNIT_EXPECT_FALSE(test, kvg_vec_stats_valid(&bad, &why));
	KUNIT_EXPECT_STREQ(test, why ?: "(none)", "pages");
	bad = good;
	bad.backend = KVG_BACKEND_VMALLOC;
	bad.remapped_pages = 5;
	why = NULL;
	KUNIT_EXPECT_FALSE(test, kvg_vec_stats_valid(&bad, &why));
	KUNIT_EXPECT_STREQ(test, why ?: "(none)", "remapped");
}

/*
 * @op on a copy of a vector's state, with allocation 1, 2, ... failed in
 * turn: each failure leaves the vector as it was (data pointer, len, cap,
 * contents, figures but failed_allocs) and the live-block count where it
 * was.  Returns how many allocation points @op has.
 */
static unsigned int fail_each(struct kunit *test, union kvg_pvec_u64 *v,
			      int (*op)(union kvg_pvec_u64 *v))
{
	struct kvg_vec_stats before, st;
	long blocks = kvg_mem_live_blocks();
	unsigned int nth;
	size_t n = v->len;
	int err;

	for (nth = 1; ; nth++) {
		void *data = v->data;
		size_t cap = v->cap;

		kvg_vec_snapshot(v, &before);
		kvg_fault_fail_nth(nth);
		err = op(v);
		kvg_fault_fail_nth(0);
		if (!err)
			break;
		KUNIT_ASSERT_EQ(test, err, -ENOMEM);
		kvg_vec_snapshot(v, &st);
		KUNIT_EXPECT_PTR_EQ(test, data, (void *)v->data);
		KUNIT_EXPECT_EQ(test, cap, v->cap);
		KUNIT_EXPECT_EQ(test, st.failed_allocs, before.failed_allocs + 1);
		KUNIT_EXPECT_EQ(test, st.backend, before.backend);
		KUNIT_EXPECT_EQ(test, st.footprint_bytes, before.footprint_bytes);
		KUNIT_EXPECT_EQ(test, st.peak_footprint_bytes,
				before.peak_footprint_bytes);
		KUNIT_EXPECT_EQ(test, st.grows, before.grows);
		KUNIT_EXPECT_EQ(test, st.shrinks, before.shrinks);
		KUNIT_EXPECT_EQ(test, st.moved_bytes, before.moved_bytes);
		KUNIT_EXPECT_EQ(test, st.remapped_pages, before.remapped_pages);
		KUNIT_ASSERT_EQ(test, kvg_mem_live_blocks(), blocks);
		KUNIT_ASSERT_TRUE_MSG(test, is_iota(v, n), "nth %u", nth);
	}
	return nth - 1;
}

static int op_grow_3_pages(union kvg_pvec_u64 *v)
{
	/* 3 pages past a full page-backed capacity, 512 u64 per page. */
	return kvg_vec_reserve(v, v->cap - v->len + 3 * 512 - 511);
}

static int op_clip(union kvg_pvec_u64 *v)
{
	return kvg_vec_clip(v);
}

static int op_push_across(union kvg_pvec_u64 *v)
{
	return kvg_vec_reserve(v, v->cap - v->len + 1);
}

/* Each allocation point of a remap failed in turn, in each direction. */
static void pages_every_failure_point_is_atomic(struct kunit *test)
{
	union kvg_pvec_u64 v;
	size_t i;

	/* kmalloc block to pages: the page list, 32 pages, the vmap. */
	KUNIT_ASSERT_EQ(test, kvg_vec_make(&v, KVG_POLICY(EXACT), MIN_U64 - 1,
					   GFP_KERNEL), 0);
	for (i = 0; i < MIN_U64 - 1; i++)
		v.data[v.len++] = i;
	KUNIT_EXPECT_EQ(test, fail_each(test, &v, op_push_across),
			1 + KVG_PAGES_MIN_BYTES / PAGE_SIZE + 1);
	KUNIT_ASSERT_EQ(test, v.raw.backend, KVG_BACKEND_PAGES);
	for (; v.len < v.cap; i++)
		v.data[v.len++] = i;
	/* Pages to more pages: the page list, 3 new pages, the vmap. */
	KUNIT_EXPECT_EQ(test, fail_each(test, &v, op_grow_3_pages), 1 + 3 + 1);
	for (; v.len < v.cap; i++)
		v.data[v.len++] = i;
	/* Pages to fewer pages: the page list and the vmap. */
	KUNIT_ASSERT_EQ(test, kvg_vec_truncate(&v, MIN_U64 + 10), 0);
	KUNIT_EXPECT_EQ(test, fail_each(test, &v, op_clip), 2);
	KUNIT_EXPECT_EQ(test, v.cap, MIN_U64 + 10);
	/* Pages to a kmalloc block: the block. */
	KUNIT_ASSERT_EQ(test, kvg_vec_truncate(&v, 100), 0);
	KUNIT_EXPECT_EQ(test, fail_each(test, &v, op_clip), 1);
	KUNIT_EXPECT_EQ(test, v.raw.backend, KVG_BACKEND_KMALLOC);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 1);
	KUNIT_EXPECT_EQ(test, v.raw.acct.failed_allocs,
			1 + 32 + 1 + 1 + 3 + 1 + 2 + 1);
	kvg_vec_free(&v);
}

static struct kunit_case vec_pages_cases[] = {
	KUNIT_CASE(pages_push_1e5),
	KUNIT_CASE(pages_push_1e6),
	KUNIT_CASE(pages_clip_gives_pages_back),
	KUNIT_CASE(pages_append_from_itself),
	KUNIT_CASE(pages_rules),
	KUNIT_CASE(pages_stats_rules),
	KUNIT_CASE(pages_every_failure_point_is_atomic),
	{}
};

static struct kunit_suite vec_pages_suite = {
	.name = "kvgrow_vec_pages",
	.init = kvgt_leak_init,
	.exit = kvgt_leak_exit,
	.test_cases = vec_pages_cases,
};

kunit_test_suite(vec_pages_suite);
