// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvgrow vectors: contents, growth by policy, accounting
 * and groups, limits, capacity predictions and observers (failure
 * atomicity is in vec_fault_kunit.c).  The same file runs in the kernel
 * and, through the KUnit shim, in userspace.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kvgrow/fault.h>
#include <kvgrow/group.h>
#include <kvgrow/vec.h>
#include "kvg_kunit.h"

DECLARE_KVG_VEC(kvg_vec_u32, u32);
DECLARE_KVG_VEC(kvg_vec_u64, u64);

static void expect_iota(struct kunit *test, const union kvg_vec_u64 *v,
			size_t n)
{
	size_t i;

	KUNIT_ASSERT_EQ(test, v->len, n);
	for (i = 0; i < n; i++)
		if (v->data[i] != i) {
			KUNIT_FAIL(test, "data[%zu] = %llu", i, v->data[i]);
			return;
		}
}

static void vec_init_rejects_bad_arguments(struct kunit *test)
{
	struct kvg_vec raw = { .len = 7 };

	KUNIT_EXPECT_EQ(test, kvg_vec_init_raw(&raw, 0, KVG_POLICY(KVG),
					       GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_init_raw(&raw, KVG_MAX_BYTES + 1UL,
					       KVG_POLICY(KVG), GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_init_raw(&raw, 8, (struct kvg_policy){
		.kind = KVG_POLICY_NR }, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_make_raw(&raw, 8,
					       KVG_POLICY_FACTOR_OF(1, 2), 4,
					       GFP_KERNEL), -EINVAL);
	/* Nothing was written. */
	KUNIT_EXPECT_EQ(test, raw.len, 7);
	KUNIT_EXPECT_PTR_EQ(test, raw.data, NULL);
}

/* Pushes grow exactly as the policy says, and keep the contents. */
static void vec_push_follows_policy(struct kunit *test)
{
	union kvg_vec_u64 v;
	size_t i, cap = 0, want, grows = 0;

	KUNIT_ASSERT_EQ(test, kvg_vec_init_policy(&v, KVG_POLICY(GO119),
						  GFP_KERNEL), 0);
	for (i = 0; i < 5000; i++) {
		if (i == cap) {
			KUNIT_ASSERT_EQ(test, kvg_policy_grow(KVG_POLICY(GO119),
							      cap, i + 1, 8,
							      &want), 0);
			cap = want;
			grows++;
		}
		KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, i), 0);
		KUNIT_ASSERT_EQ(test, v.cap, cap);
	}
	expect_iota(test, &v, 5000);
	/* Go 1.19's sequence for 8-byte elements passes 5120 here. */
	KUNIT_EXPECT_EQ(test, v.cap, 5120);
	KUNIT_EXPECT_EQ(test, v.raw.acct.grows, grows);
	KUNIT_EXPECT_EQ(test, grows, 16);
	kvg_vec_free(&v);
}

static void vec_append_many_uses_go_rule(struct kunit *test)
{
	union kvg_vec_u64 v;
	u64 src[20];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(src); i++)
		src[i] = 8 + i;
	KUNIT_ASSERT_EQ(test, kvg_vec_make(&v, KVG_POLICY(GO119), 8,
					   GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 8);
	KUNIT_ASSERT_EQ(test, kvg_vec_append(&v, src, 8), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 8);
	for (i = 0; i < 8; i++)
		v.data[i] = i;
	/* 20 onto len 8 / cap 8: needed 28 > 16, so 28 (224 B, a class). */
	KUNIT_ASSERT_EQ(test, kvg_vec_append(&v, src, 20), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 28);
	expect_iota(test, &v, 28);
	KUNIT_EXPECT_EQ(test, kvg_vec_append(&v, src, 0), 0);
	KUNIT_EXPECT_EQ(test, v.len, 28);

	/* extend: 30 zeroes onto 28/28 grow like append, needed 58 > 56. */
	KUNIT_ASSERT_EQ(test, kvg_vec_extend(&v, 30), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 60);
	KUNIT_EXPECT_EQ(test, v.len, 58);
	KUNIT_EXPECT_EQ(test, v.data[27], 27);
	for (i = 28; i < 58; i++)
		KUNIT_EXPECT_EQ(test, v.data[i], 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_extend(&v, SIZE_MAX), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, v.len, 58);
	kvg_vec_free(&v);
}

static void vec_make_with_hint(struct kunit *test)
{
	union kvg_vec_u64 v;
	struct kvg_vec_stats st;

	KUNIT_ASSERT_EQ(test, kvg_vec_make(&v, KVG_POLICY(GO119), 1000,
					   GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 1000);
	KUNIT_EXPECT_EQ(test, v.len, 0);
	kvg_vec_snapshot(&v, &st);
	/* 8000 B come from kmalloc-8k; nothing is live, so all is slack. */
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 8192);
	KUNIT_EXPECT_EQ(test, st.slack_bytes, 8192);
	kvg_vec_free(&v);

	/* kvg turns the same slack into capacity. */
	KUNIT_ASSERT_EQ(test, kvg_vec_make(&v, KVG_POLICY(KVG), 1000,
					   GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 1024);
	kvg_vec_free(&v);

	KUNIT_ASSERT_EQ(test, kvg_vec_make(&v, KVG_POLICY(KVG), 0,
					   GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 0);
	KUNIT_EXPECT_PTR_EQ(test, v.data, NULL);
	kvg_vec_free(&v);
}

static void vec_insert_remove(struct kunit *test)
{
	static const u32 want[] = { 100, 0, 1, 200, 2, 3, 300 };
	union kvg_vec_u32 v;
	u32 x = 0, i;

	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, i), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_insert(&v, 0, 100), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_insert(&v, 3, 200), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_insert(&v, v.len, 300), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_insert(&v, v.len + 1, 400), -EINVAL);
	KUNIT_ASSERT_EQ(test, v.len, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, memcmp(v.data, want, sizeof(want)), 0);

	/* Ordered: 100 0 1 200 2 3 300 -> 0 1 200 2 3 300 -> 0 1 3 300. */
	KUNIT_EXPECT_EQ(test, kvg_vec_remove(&v, 0), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_remove_range(&v, 2, 2), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_remove_range(&v, 3, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_remove(&v, 4), -EINVAL);
	KUNIT_ASSERT_EQ(test, v.len, 4);
	KUNIT_EXPECT_EQ(test, v.data[0], 0);
	KUNIT_EXPECT_EQ(test, v.data[1], 1);
	KUNIT_EXPECT_EQ(test, v.data[2], 3);
	KUNIT_EXPECT_EQ(test, v.data[3], 300);

	/* Swap-remove: the last element moves into the hole. */
	KUNIT_EXPECT_EQ(test, kvg_vec_swap_remove(&v, 0), 0);
	KUNIT_EXPECT_EQ(test, v.data[0], 300);
	KUNIT_EXPECT_EQ(test, kvg_vec_swap_remove(&v, 2), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_swap_remove(&v, 2), -EINVAL);
	KUNIT_ASSERT_EQ(test, v.len, 2);
	KUNIT_EXPECT_EQ(test, v.data[1], 1);

	KUNIT_EXPECT_EQ(test, kvg_vec_pop(&v, &x), 0);
	KUNIT_EXPECT_EQ(test, x, 1);
	KUNIT_EXPECT_EQ(test, kvg_vec_pop(&v, &x), 0);
	KUNIT_EXPECT_EQ(test, x, 300);
	KUNIT_EXPECT_EQ(test, kvg_vec_pop(&v, &x), -ENOENT);
	KUNIT_EXPECT_EQ(test, x, 300);
	KUNIT_EXPECT_EQ(test, kvg_vec_pop_raw(&v.raw, NULL), -EINVAL);
	kvg_vec_free(&v);
}

#define SELF_N 12

/* @v = 0, 1, ..., SELF_N - 1, with room for @room more (0: a grow). */
static void self_fill(struct kunit *test, union kvg_vec_u32 *v, size_t room)
{
	u32 i;

	KUNIT_ASSERT_EQ(test, kvg_vec_make(v, KVG_POLICY(EXACT), SELF_N + room,
					   GFP_KERNEL), 0);
	for (i = 0; i < SELF_N; i++)
		KUNIT_ASSERT_EQ(test, kvg_vec_push(v, i), 0);
	KUNIT_ASSERT_EQ(test, v->cap, SELF_N + room);
}

/*
 * Go's append(s, s[a:b]...), and an insert of s[a:b] at every position of
 * s: the result is that of inserting a copy of the range as it was before
 * the call, whether or not the block moves.  @want is built by hand.
 */
static void vec_insert_from_itself(struct kunit *test)
{
	static const size_t rooms[] = { 0, SELF_N };
	u32 want[3 * SELF_N];
	union kvg_vec_u32 v;
	size_t r, idx, a, b, n, i;
	int err;

	for (r = 0; r < ARRAY_SIZE(rooms); r++) {
		for (a = 0; a <= SELF_N; a++) {
			for (b = a; b <= SELF_N; b++) {
				self_fill(test, &v, rooms[r]);
				err = kvg_vec_append(&v, &v.data[a], b - a);
				KUNIT_ASSERT_EQ(test, err, 0);
				for (i = 0; i < SELF_N; i++)
					want[i] = i;
				for (i = a; i < b; i++)
					want[SELF_N + i - a] = i;
				KUNIT_ASSERT_EQ(test, v.len, SELF_N + b - a);
				KUNIT_EXPECT_EQ_MSG(test, memcmp(v.data, want,
								 v.len * 4), 0,
						    "append [%zu, %zu), room %zu",
						    a, b, rooms[r]);
				kvg_vec_free(&v);
			}
		}
		for (idx = 0; idx <= SELF_N; idx++) {
			for (a = 0; a <= SELF_N; a++) {
				for (b = a; b <= SELF_N; b++) {
					self_fill(test, &v, rooms[r]);
					err = kvg_vec_insert_raw(&v.raw, idx,
								 &v.data[a],
								 b - a);
					KUNIT_ASSERT_EQ(test, err, 0);
					n = 0;
					for (i = 0; i < idx; i++)
						want[n++] = i;
					for (i = a; i < b; i++)
						want[n++] = i;
					for (i = idx; i < SELF_N; i++)
						want[n++] = i;
					KUNIT_ASSERT_EQ(test, v.len, n);
					KUNIT_EXPECT_EQ_MSG(test,
							    memcmp(v.data, want,
								   n * 4), 0,
							    "insert [%zu, %zu) at %zu, room %zu",
							    a, b, idx, rooms[r]);
					kvg_vec_free(&v);
				}
			}
		}
	}

	/* A source in the block but past len is refused, v unchanged. */
	self_fill(test, &v, SELF_N);
	KUNIT_EXPECT_EQ(test, kvg_vec_append(&v, &v.data[SELF_N], 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_append(&v, &v.data[SELF_N - 1], 2),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_insert_raw(&v.raw, 0, &v.data[2 * SELF_N - 1],
						 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, v.len, SELF_N);
	KUNIT_EXPECT_EQ(test, v.cap, 2 * SELF_N);
	kvg_vec_free(&v);

	/* A self-append that cannot grow leaves v as it was. */
	self_fill(test, &v, 0);
	kvg_fault_fail_nth(1);
	KUNIT_EXPECT_EQ(test, kvg_vec_append(&v, &v.data[1], 3), -ENOMEM);
	kvg_fault_fail_nth(0);
	KUNIT_EXPECT_EQ(test, v.cap, SELF_N);
	for (i = 0; i < SELF_N; i++)
		want[i] = i;
	KUNIT_ASSERT_EQ(test, v.len, SELF_N);
	KUNIT_EXPECT_EQ(test, memcmp(v.data, want, SELF_N * 4), 0);
	kvg_vec_free(&v);
}

static void vec_truncate_and_clip(struct kunit *test)
{
	union kvg_vec_u64 v;
	struct kvg_vec_stats st;
	size_t i;

	KUNIT_ASSERT_EQ(test, kvg_vec_init_policy(&v, KVG_POLICY(EXACT),
						  GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_reserve(&v, 3000), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 3000);
	for (i = 0; i < 3000; i++)
		v.data[v.len++] = i;
	KUNIT_EXPECT_EQ(test, kvg_vec_truncate(&v, 3001), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_truncate(&v, 10), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 3000);
	kvg_vec_snapshot(&v, &st);
	/* 24000 B is an order-3 block: 32 KiB reserved for 80 B of data. */
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 32768);
	KUNIT_EXPECT_EQ(test, st.slack_bytes, 32768 - 80);

	KUNIT_ASSERT_EQ(test, kvg_vec_clip(&v), 0);
	KUNIT_EXPECT_EQ(test, v.cap, 10);
	expect_iota(test, &v, 10);
	kvg_vec_snapshot(&v, &st);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 96);
	KUNIT_EXPECT_EQ(test, st.shrinks, 1);
	/* Old and new block coexist while clip copies. */
	KUNIT_EXPECT_EQ(test, st.peak_footprint_bytes, 32768 + 96);
	/* Clipping again changes nothing. */
	KUNIT_EXPECT_EQ(test, kvg_vec_clip(&v), 0);
	KUNIT_EXPECT_EQ(test, v.raw.acct.shrinks, 1);

	KUNIT_EXPECT_EQ(test, kvg_vec_truncate(&v, 0), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_clip(&v), 0);
	KUNIT_EXPECT_PTR_EQ(test, v.data, NULL);
	kvg_vec_snapshot(&v, &st);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 0);
	KUNIT_EXPECT_EQ(test, st.backend, KVG_BACKEND_NONE);
	/* An emptied vector grows again. */
	KUNIT_EXPECT_EQ(test, kvg_vec_push(&v, 0), 0);
	expect_iota(test, &v, 1);
	kvg_vec_free(&v);
}

static void vec_iterates_in_order(struct kunit *test)
{
	union kvg_vec_u64 v;
	u64 *it = NULL, sum = 0, n = 0;
	size_t i;

	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	kvg_vec_for_each(&v, it)
		n++;
	KUNIT_EXPECT_EQ(test, n, 0);
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, i), 0);
	kvg_vec_for_each(&v, it) {
		KUNIT_EXPECT_EQ(test, *it, n);
		sum += *it;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 100);
	KUNIT_EXPECT_EQ(test, sum, 4950);
	/* break leaves the loop with @it at the element it stopped on. */
	kvg_vec_for_each(&v, it)
		if (*it == 42)
			break;
	KUNIT_EXPECT_PTR_EQ(test, it, &v.data[42]);
	kvg_vec_free(&v);
}

/* The article's retention scenario: a 1 KiB view of a 10 MiB array. */
static void vec_clone_range_frees_the_big_array(struct kunit *test)
{
	const size_t n = (10 << 20) / 8;
	union kvg_vec_u64 big, small;
	struct kvg_vec_stats st;
	size_t i;

	KUNIT_ASSERT_EQ(test, kvg_vec_make(&big, KVG_POLICY(GO119), n,
					   GFP_KERNEL), 0);
	for (i = 0; i < n; i++)
		big.data[big.len++] = i;
	kvg_vec_snapshot(&big, &st);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 10 << 20);
	KUNIT_EXPECT_EQ(test, st.backend, KVG_BACKEND_PAGES);

	KUNIT_EXPECT_EQ(test, kvg_vec_clone_range(&small, &big, 0, n + 1,
						  GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_clone_range(&small, &big, 5, 4,
						  GFP_KERNEL), -EINVAL);
	KUNIT_ASSERT_EQ(test, kvg_vec_clone_range(&small, &big, 0, 128,
						  GFP_KERNEL), 0);
	kvg_vec_free(&big);
	expect_iota(test, &small, 128);
	KUNIT_EXPECT_EQ(test, small.cap, 128);
	kvg_vec_snapshot(&small, &st);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 1024);
	KUNIT_EXPECT_EQ(test, st.backend, KVG_BACKEND_KMALLOC);
	KUNIT_EXPECT_EQ(test, kvg_mem_live_blocks(), 1);
	kvg_vec_free(&small);
}

/* kvg in each of the allocator's three ranges, without the page backend. */
static void vec_accounting(struct kunit *test)
{
	union kvg_vec_u64 v;
	struct kvg_vec_stats st;
	u64 moved = 0;
	size_t i, cap = 0;

	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_set_pages(&v, false), 0);
	for (i = 0; i < 700000; i++) {
		if (i == v.cap) {
			/* The shim and kvrealloc move every kmalloc block. */
			if (v.cap && v.cap * 8 <= KMALLOC_MAX_SIZE)
				moved += i * 8;
			cap = v.cap;
		}
		KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, i), 0);
	}
	kvg_vec_snapshot(&v, &st);
	KUNIT_EXPECT_EQ(test, st.len, 700000);
	/* ... 524288 (4 MiB, kmalloc), 655872, 820224 (whole pages). */
	KUNIT_EXPECT_EQ(test, st.cap, 820224);
	KUNIT_EXPECT_EQ(test, cap, 655872);
	KUNIT_EXPECT_EQ(test, st.grows, 22);
	KUNIT_EXPECT_EQ(test, st.backend, KVG_BACKEND_VMALLOC);
	KUNIT_EXPECT_EQ(test, st.live_bytes, 5600000);
	KUNIT_EXPECT_EQ(test, st.requested_bytes, 820224 * 8);
	KUNIT_EXPECT_EQ(test, st.footprint_bytes, 820224 * 8);
	KUNIT_EXPECT_EQ(test, st.slack_bytes, (820224 - 700000) * 8);
	KUNIT_EXPECT_GE(test, st.moved_bytes, moved);
	KUNIT_EXPECT_LE(test, st.moved_bytes, moved + 2 * 655872 * 8);
	/* Peak: 4 MiB and 5 MiB + 4 KiB both live while the first moved. */
	KUNIT_EXPECT_GE(test, st.peak_footprint_bytes, st.footprint_bytes);
	KUNIT_EXPECT_GE(test, st.peak_footprint_bytes,
			(4 << 20) + 655872 * 8);
	KUNIT_EXPECT_EQ(test, st.failed_allocs, 0);
	expect_iota(test, &v, 700000);
	kvg_vec_free(&v);
}

/* A group's totals are its members' figures, at every step. */
static void vec_group_totals_are_exact(struct kunit *test)
{
	struct kvg_vec_stats sa, sb;
	struct kvg_group_stats gs;
	union kvg_vec_u64 a, b;
	struct kvg_group g;
	size_t i, peak = 0;

	kvg_group_init(&g);
	KUNIT_EXPECT_PTR_NE(test, g.site, NULL);
	KUNIT_ASSERT_EQ(test, kvg_vec_make(&a, KVG_POLICY(GO119), 100,
					   GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_init(&b, GFP_KERNEL), 0);
	/* a joins with its hint's block: charged, not counted as a grow. */
	KUNIT_ASSERT_EQ(test, kvg_vec_join_group(&a, &g), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_join_group(&b, &g), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_join_group(&b, &g), -EBUSY);
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.members, 2);
	/* Go's 896-byte size class for 100 u64, in kmalloc-1024. */
	KUNIT_EXPECT_EQ(test, gs.footprint_bytes, 1024);
	KUNIT_EXPECT_EQ(test, gs.grows, 0);
	for (i = 0; i < 300000; i++) {
		KUNIT_ASSERT_EQ(test, kvg_vec_push(&a, i), 0);
		if (!(i % 3))
			KUNIT_ASSERT_EQ(test, kvg_vec_push(&b, i), 0);
		kvg_vec_snapshot(&a, &sa);
		kvg_vec_snapshot(&b, &sb);
		/* A move holds both blocks of one vector and the other's. */
		peak = max(peak, sa.peak_footprint_bytes + sb.footprint_bytes);
		peak = max(peak, sb.peak_footprint_bytes + sa.footprint_bytes);
	}
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.footprint_bytes,
			sa.footprint_bytes + sb.footprint_bytes);
	KUNIT_EXPECT_EQ(test, gs.grows, sa.grows - 1 + sb.grows);
	KUNIT_EXPECT_EQ(test, gs.moved_bytes, sa.moved_bytes + sb.moved_bytes);
	KUNIT_EXPECT_GE(test, gs.peak_footprint_bytes, gs.footprint_bytes);
	KUNIT_EXPECT_LE(test, gs.peak_footprint_bytes, peak);
	/* Shrinking charges too. */
	kvg_vec_truncate(&a, 10);
	KUNIT_ASSERT_EQ(test, kvg_vec_clip(&a), 0);
	kvg_vec_snapshot(&a, &sa);
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.shrinks, 1);
	KUNIT_EXPECT_EQ(test, gs.footprint_bytes,
			sa.footprint_bytes + sb.footprint_bytes);
	kvg_vec_free(&b);
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.members, 1);
	KUNIT_EXPECT_EQ(test, gs.footprint_bytes, sa.footprint_bytes);
	kvg_vec_free(&a);
	kvg_group_snapshot(&g, &gs);
	KUNIT_EXPECT_EQ(test, gs.members, 0);
	KUNIT_EXPECT_EQ(test, gs.footprint_bytes, 0);
	kvg_group_destroy(&g);
}

/* A failed growth changes nothing in the group but its failure count. */
static void vec_group_survives_failures(struct kunit *test)
{
	struct kvg_group_stats before, after;
	union kvg_vec_u64 v, dead = { };
	struct kvg_group g;
	size_t i;

	kvg_group_init(&g);
	KUNIT_EXPECT_EQ(test, kvg_vec_join_group(&dead, &g), -EINVAL);
	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_join_group(&v, &g), 0);
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, i), 0);
	kvg_group_snapshot(&g, &before);
	for (i = v.len; i < v.cap; i++)
		KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, i), 0);
	kvg_fault_fail_nth(1);
	KUNIT_EXPECT_EQ(test, kvg_vec_push(&v, 0), -ENOMEM);
	kvg_fault_reset();
	kvg_group_snapshot(&g, &after);
	KUNIT_EXPECT_EQ(test, after.footprint_bytes, before.footprint_bytes);
	KUNIT_EXPECT_EQ(test, after.peak_footprint_bytes,
			before.peak_footprint_bytes);
	KUNIT_EXPECT_EQ(test, after.grows, before.grows);
	KUNIT_EXPECT_EQ(test, after.failed_allocs, 1);
	/* Every write section of the seqcount was closed. */
	KUNIT_EXPECT_EQ(test, v.raw.seq.sequence & 1, 0);
	KUNIT_EXPECT_GE(test, v.raw.seq.sequence, 2 * (before.grows + 1));
	kvg_vec_free(&v);
	kvg_group_destroy(&g);
}

static void vec_limits_leave_vector_unchanged(struct kunit *test)
{
	union kvg_vec_u64 v;
	void *data;

	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, 0), 0);
	data = v.data;
	KUNIT_EXPECT_EQ(test, kvg_vec_reserve(&v, SIZE_MAX), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, kvg_vec_reserve(&v, SIZE_MAX / 8), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, kvg_vec_reserve(&v, KVG_MAX_BYTES / 8), -E2BIG);
	KUNIT_EXPECT_EQ(test, kvg_vec_append_raw(&v.raw, v.data, SIZE_MAX),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, kvg_vec_insert_raw(&v.raw, 0, NULL, 1), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, (void *)v.data, data);
	expect_iota(test, &v, 1);
	KUNIT_EXPECT_EQ(test, v.raw.acct.grows, 1);
	kvg_vec_free(&v);
}

/*
 * Zero-count operations on a vector that never had a block succeed and
 * touch nothing: no NULL + 0, no NULL to memset() or memmove() (the
 * sanitized build stops at either).
 */
static void vec_zero_counts_without_a_block(struct kunit *test)
{
	union kvg_vec_u64 v, w;
	u64 x = 5;

	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_extend(&v, 0), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_remove_range(&v, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_remove_range(&v, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_append(&v, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_append(&v, &x, 0), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_insert_raw(&v.raw, 0, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_reserve(&v, 0), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_truncate(&v, 0), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_clip(&v), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_pop(&v, &x), -ENOENT);
	KUNIT_EXPECT_EQ(test, kvg_vec_swap_remove(&v, 0), -EINVAL);
	KUNIT_ASSERT_EQ(test, kvg_vec_clone_range(&w, &v, 0, 0, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, w.len, 0);
	KUNIT_EXPECT_PTR_EQ(test, w.data, NULL);
	kvg_vec_free(&w);
	KUNIT_EXPECT_EQ(test, v.len, 0);
	KUNIT_EXPECT_EQ(test, v.cap, 0);
	KUNIT_EXPECT_PTR_EQ(test, v.data, NULL);
	KUNIT_EXPECT_EQ(test, v.raw.acct.grows, 0);
	KUNIT_EXPECT_EQ(test, x, 5);
	kvg_vec_free(&v);
}

/* A zeroed or freed vector refuses every operation; free is idempotent. */
static void vec_use_after_free_is_refused(struct kunit *test)
{
	union kvg_vec_u64 v = { };
	union kvg_vec_u64 w;
	u64 x;

	KUNIT_EXPECT_EQ(test, kvg_vec_push(&v, 1), -EINVAL);
	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_push(&v, 1), 0);
	kvg_vec_free(&v);
	kvg_vec_free(&v);
	KUNIT_EXPECT_EQ(test, kvg_vec_push(&v, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_reserve(&v, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_insert(&v, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_remove(&v, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_swap_remove(&v, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_pop(&v, &x), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_truncate(&v, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_clip(&v), -EINVAL);
	KUNIT_EXPECT_EQ(test, kvg_vec_clone_range(&w, &v, 0, 0, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, v.len, 0);
	KUNIT_EXPECT_PTR_EQ(test, v.data, NULL);
}

/*
 * kvg_vec_predict_cap() gives the capacity that the appends then reach,
 * for every policy and batch, without allocating.
 */
static void vec_predict_cap_matches_appends(struct kunit *test)
{
	static const struct kvg_policy policies[] = {
		KVG_POLICY(KVG), KVG_POLICY(GO119), KVG_POLICY(GO_LEGACY),
		KVG_POLICY_FACTOR_OF(3, 2), KVG_POLICY_FACTOR_OF(1000, 999),
		KVG_POLICY_FACTOR_OF(1000, 1), KVG_POLICY(EXACT),
		KVG_POLICY(POW2),
	};
	static const size_t runs[][3] = {	/* start len, n, batch */
		{ 0, 1, 1 }, { 0, 5000, 1 }, { 0, 5000, 7 }, { 3, 999, 1000 },
		{ 100, 20000, 3 }, { 0, 0, 1 },
	};
	size_t i, j, cap, done, n, batch, k;
	struct kvg_vec v;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		for (j = 0; j < ARRAY_SIZE(runs); j++) {
			n = runs[j][1];
			batch = runs[j][2];
			KUNIT_ASSERT_EQ(test, kvg_vec_init_raw(&v, 8, policies[i],
							       GFP_KERNEL), 0);
			KUNIT_ASSERT_EQ(test, kvg_vec_extend_raw(&v, runs[j][0]), 0);
			KUNIT_ASSERT_EQ(test, kvg_vec_predict_cap(&v, n, batch,
								  SIZE_MAX, &cap), 0);
			for (done = 0; done < n; done += batch) {
				k = min(batch, n - done);
				KUNIT_ASSERT_EQ(test, kvg_vec_extend_raw(&v, k), 0);
			}
			KUNIT_EXPECT_EQ_MSG(test, cap, v.cap,
					    "policy %zu, run %zu", i, j);
			kvg_vec_free_raw(&v);
		}
	}
}

/*
 * The limits: a step past max_cap is -E2BIG; exact with 2^26 appends of one
 * element is one step, not 2^26 (a soft lockup through the control file).
 */
static void vec_predict_cap_is_bounded(struct kunit *test)
{
	struct kvg_vec v;
	size_t cap = 1;

	KUNIT_ASSERT_EQ(test, kvg_vec_init_raw(&v, 8, KVG_POLICY(EXACT),
					       GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_predict_cap(&v, 1UL << 26, 1, SIZE_MAX,
						  &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, 1UL << 26);
	KUNIT_EXPECT_EQ(test, kvg_vec_predict_cap(&v, 1UL << 26, 1,
						  (1UL << 26) - 1, &cap), -E2BIG);
	/* Past what kvmalloc accepts: the policy's own limit. */
	KUNIT_EXPECT_EQ(test, kvg_vec_predict_cap(&v, 1UL << 28, 1, SIZE_MAX,
						  &cap), -E2BIG);
	KUNIT_EXPECT_EQ(test, kvg_vec_predict_cap(&v, SIZE_MAX, 1, SIZE_MAX,
						  &cap), -E2BIG);
	KUNIT_EXPECT_EQ(test, kvg_vec_predict_cap(&v, 1, 0, SIZE_MAX, &cap),
			-EINVAL);
	/* pow2 from 0: 1, 2, 4, ... 1024 passes a limit of 1000. */
	v.policy = KVG_POLICY(POW2);
	KUNIT_EXPECT_EQ(test, kvg_vec_predict_cap(&v, 1000, 1, 1000, &cap),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, kvg_vec_predict_cap(&v, 1000, 1, 1024, &cap), 0);
	KUNIT_EXPECT_EQ(test, cap, 1024);
	kvg_vec_free_raw(&v);
	KUNIT_EXPECT_EQ(test, kvg_vec_predict_cap(&v, 1, 1, SIZE_MAX, &cap),
			-EINVAL);
}

struct test_observer {
	struct kvg_observer obs;
	void *released;
	int calls;
};

static void test_release(struct kvg_observer *obs, void *obj)
{
	struct test_observer *t = container_of(obs, struct test_observer, obs);
	struct kvg_vec *v = obj;

	/* Told with the vector still intact. */
	t->released = v->elem_size == 8 && v->len == 3 ? obj : NULL;
	t->calls++;
}

/* The observer is told once, before the free; it excludes groups. */
static void vec_observer_is_told_of_the_free(struct kunit *test)
{
	struct test_observer a = { .obs.release = test_release }, b = a;
	union kvg_vec_u64 v, w;
	struct kvg_group g;

	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_extend(&v, 3), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_set_observer(&v.raw, &a.obs), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_set_observer(&v.raw, &b.obs), -EBUSY);
	kvg_group_init(&g);
	KUNIT_EXPECT_EQ(test, kvg_vec_join_group(&v, &g), -EBUSY);
	kvg_vec_free(&v);
	KUNIT_EXPECT_EQ(test, a.calls, 1);
	KUNIT_EXPECT_PTR_EQ(test, a.released, (void *)&v.raw);
	KUNIT_EXPECT_EQ(test, b.calls, 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_set_observer(&v.raw, &b.obs), -EINVAL);

	/* Cleared: not told.  A group member cannot be observed. */
	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_set_observer(&v.raw, &b.obs), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_set_observer(&v.raw, NULL), 0);
	kvg_vec_free(&v);
	KUNIT_EXPECT_EQ(test, b.calls, 0);
	KUNIT_ASSERT_EQ(test, kvg_vec_init(&w, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_join_group(&w, &g), 0);
	KUNIT_EXPECT_EQ(test, kvg_vec_set_observer(&w.raw, &b.obs), -EBUSY);
	kvg_vec_free(&w);
	kvg_group_destroy(&g);
}

/* kvg_vec_stats_valid() holds for real figures and names each broken rule. */
static void vec_stats_valid_names_each_rule(struct kunit *test)
{
	static const char * const rules[] = {
		"live", "requested", "len>cap", "footprint<requested", "slack",
		"peak", "backend", "empty",
	};
	struct kvg_vec_stats good, bad;
	union kvg_vec_u64 v;
	const char *why;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, kvg_vec_init(&v, GFP_KERNEL), 0);
	kvg_vec_snapshot(&v, &good);
	KUNIT_EXPECT_TRUE(test, kvg_vec_stats_valid(&good, NULL));
	KUNIT_ASSERT_EQ(test, kvg_vec_extend(&v, 1000), 0);
	kvg_vec_snapshot(&v, &good);
	KUNIT_EXPECT_TRUE(test, kvg_vec_stats_valid(&good, NULL));
	kvg_vec_free(&v);
	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		bad = good;
		switch (i) {
		case 0:
			bad.live_bytes--;
			break;
		case 1:
			bad.requested_bytes += 8;
			break;
		case 2:
			bad.len = bad.cap + 1;
			bad.live_bytes = bad.len * 8;
			break;
		case 3:
			bad.footprint_bytes = bad.requested_bytes - 1;
			bad.slack_bytes = bad.footprint_bytes - bad.live_bytes;
			break;
		case 4:
			bad.slack_bytes++;
			break;
		case 5:
			bad.peak_footprint_bytes = bad.footprint_bytes - 1;
			break;
		case 6:
			bad.backend = KVG_BACKEND_NONE;
			break;
		case 7:
			bad = (struct kvg_vec_stats){ .elem_size = 8,
				.footprint_bytes = 8, .slack_bytes = 8,
				.peak_footprint_bytes = 8 };
			break;
		}
		why = NULL;
		KUNIT_EXPECT_FALSE(test, kvg_vec_stats_valid(&bad, &why));
		KUNIT_EXPECT_STREQ(test, why ?: "(none)", rules[i]);
	}
}

static struct kunit_case vec_cases[] = {
	KUNIT_CASE(vec_init_rejects_bad_arguments),
	KUNIT_CASE(vec_push_follows_policy),
	KUNIT_CASE(vec_append_many_uses_go_rule),
	KUNIT_CASE(vec_make_with_hint),
	KUNIT_CASE(vec_insert_remove),
	KUNIT_CASE(vec_insert_from_itself),
	KUNIT_CASE(vec_truncate_and_clip),
	KUNIT_CASE(vec_iterates_in_order),
	KUNIT_CASE(vec_clone_range_frees_the_big_array),
	KUNIT_CASE(vec_accounting),
	KUNIT_CASE(vec_group_totals_are_exact),
	KUNIT_CASE(vec_group_survives_failures),
	KUNIT_CASE(vec_limits_leave_vector_unchanged),
	KUNIT_CASE(vec_zero_counts_without_a_block),
	KUNIT_CASE(vec_use_after_free_is_refused),
	KUNIT_CASE(vec_predict_cap_matches_appends),
	KUNIT_CASE(vec_predict_cap_is_bounded),
	KUNIT_CASE(vec_observer_is_told_of_the_free),
	KUNIT_CASE(vec_stats_valid_names_each_rule),
	{}
};

static struct kunit_suite vec_suite = {
	.name = "kvgrow_vec",
	.init = kvgt_leak_init,
	.exit = kvgt_leak_exit,
	.test_cases = vec_cases,
};

kunit_test_suite(vec_suite);
