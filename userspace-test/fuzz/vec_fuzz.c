// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for kvgrow vectors (lib/vec.c): every operation of
 * <kvgrow/vec.h>, typed and raw, on two vectors under every policy, run
 * against a plain array model, with allocation failures injected at random
 * (lib/fault.c).
 *
 * The input is a small program: a header (fault rate and seed), then one
 * operation per byte with its arguments read from the following bytes.
 * After each operation:
 *  - a success matches the model (length, capacity >= length, contents);
 *    a capacity that changed is the policy's (kvg_policy_grow_pages(), and
 *    kvg_policy_fit() with whole pages for kvg from KVG_PAGES_MIN_BYTES)
 *    and the accounting moved as it must (grows, shrinks, moved bytes,
 *    remapped pages, peak footprint); an append that fits moves nothing;
 *    a capacity of KVG_PAGES_MIN_BYTES or more is page-backed (whole pages,
 *    a remap copies nothing, the move to or from pages copies the length);
 *  - an error is the expected one, and leaves the vector exactly as it was:
 *    fields, block, contents and snapshot, only failed_allocs counting an
 *    -ENOMEM; a failed make or clone leaves its target unwritten;
 *  - an -ENOMEM happens exactly when a failure was injected.
 * Every CHECK_EVERY operations and at the end, the full snapshot is checked
 * (footprint, backend, slack, peak), along with the group and the count of
 * live blocks; at the end everything is freed and nothing may be left.
 */
#include <string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <kvgrow/fault.h>
#include <kvgrow/group.h>
#include <kvgrow/policy.h>
#include <kvgrow/vec.h>
#include "fuzz.h"

#define NSLOT		2
/*
 * The model holds this much; only OP_BIG, once per input, reserves room
 * for BIG_BYTES, past KMALLOC_MAX_SIZE: the vmalloc backend.  The bigger,
 * the slower.
 */
#define MODEL_BYTES	(256UL << 10)
#define BIG_BYTES	(5UL << 20)
/* No block is asked bigger: keeps clear of libFuzzer's RSS and malloc limits. */
#define ALLOC_LIMIT	(16UL << 20)
/* Full snapshot checks this often. */
#define CHECK_EVERY	32
#define MAX_ES		2405

struct e3 { u8 b[3]; };
struct e12 { u8 b[12]; };
struct e24 { u8 b[24]; };
struct e40 { u8 b[40]; };

struct vtype {
	size_t size;		/* 0: the raw API, any element size */
	int (*make)(struct kvg_vec *v, size_t es, struct kvg_policy p,
		    size_t hint);
	int (*push)(struct kvg_vec *v, const void *x);
	int (*insert1)(struct kvg_vec *v, size_t idx, const void *x);
	int (*pop)(struct kvg_vec *v, void *out);
	int (*append)(struct kvg_vec *v, const void *src, size_t n);
	int (*clone)(struct kvg_vec *dst, const struct kvg_vec *src,
		     size_t start, size_t end);
};

/* The typed macros of <kvgrow/vec.h> for one element type. */
#define TYPED(name, type)						\
DECLARE_KVG_VEC(fv_##name, type);					\
static int make_##name(struct kvg_vec *v, size_t es,			\
		       struct kvg_policy p, size_t hint)		\
{									\
	return kvg_vec_make((union fv_##name *)v, p, hint, GFP_KERNEL);	\
}									\
static int push_##name(struct kvg_vec *v, const void *x)		\
{									\
	int err, evals = 0;						\
	type t;								\
									\
	memcpy(&t, x, sizeof(t));					\
	err = kvg_vec_push((union fv_##name *)v, (evals++, t));	\
	FUZZ_CHECK(evals == !err, "push evaluated x %d times", evals);	\
	return err;							\
}									\
static int insert1_##name(struct kvg_vec *v, size_t idx, const void *x)\
{									\
	type t;								\
									\
	memcpy(&t, x, sizeof(t));					\
	return kvg_vec_insert((union fv_##name *)v, idx, t);		\
}									\
static int pop_##name(struct kvg_vec *v, void *out)			\
{									\
	type t;								\
	int err;							\
									\
	memcpy(&t, out, sizeof(t));					\
	err = kvg_vec_pop((union fv_##name *)v, &t);			\
	memcpy(out, &t, sizeof(t));					\
	return err;							\
}									\
static int append_##name(struct kvg_vec *v, const void *src, size_t n)	\
{									\
	return kvg_vec_append((union fv_##name *)v, (const type *)src, n);\
}									\
static int clone_##name(struct kvg_vec *dst, const struct kvg_vec *src,\
			size_t start, size_t end)			\
{									\
	return kvg_vec_clone_range((union fv_##name *)dst,		\
				   (union fv_##name *)src, start, end,	\
				   GFP_KERNEL);				\
}

TYPED(u8, u8)
TYPED(u16, u16)
TYPED(e3, struct e3)
TYPED(u32, u32)
TYPED(u64, u64)
TYPED(e12, struct e12)
TYPED(e24, struct e24)
TYPED(e40, struct e40)

static int make_raw(struct kvg_vec *v, size_t es, struct kvg_policy p,
		    size_t hint)
{
	return kvg_vec_make_raw(v, es, p, hint, GFP_KERNEL);
}

static int push_raw(struct kvg_vec *v, const void *x)
{
	return kvg_vec_append_raw(v, x, 1);
}

static int insert1_raw(struct kvg_vec *v, size_t idx, const void *x)
{
	return kvg_vec_insert_raw(v, idx, x, 1);
}

static int clone_raw(struct kvg_vec *dst, const struct kvg_vec *src,
		     size_t start, size_t end)
{
	return kvg_vec_clone_range_raw(dst, src, start, end, GFP_KERNEL);
}

#define VTYPE(name, type) {						\
	sizeof(type), make_##name, push_##name, insert1_##name,		\
	pop_##name, append_##name, clone_##name }

static const struct vtype vtypes[] = {
	VTYPE(u8, u8), VTYPE(u16, u16), VTYPE(e3, struct e3),
	VTYPE(u32, u32), VTYPE(u64, u64), VTYPE(e12, struct e12),
	VTYPE(e24, struct e24), VTYPE(e40, struct e40),
	{ 0, make_raw, push_raw, insert1_raw, kvg_vec_pop_raw,
	  kvg_vec_append_raw, clone_raw },
};

#define RAW_TYPE	(&vtypes[ARRAY_SIZE(vtypes) - 1])

struct slot {
	struct kvg_vec v;
	const struct vtype *t;
	size_t es;
	bool live;
	bool grouped;
	u8 *model;		/* the elements, MODEL_BYTES */
	size_t len;
	/* the accounting the snapshot must show */
	u64 grows, shrinks, moved, failed, remapped;
	size_t peak;
};

/* What an operation changes, checked against its result. */
struct pre {
	struct kvg_vec v;
	struct kvg_vec_stats st;
	unsigned long injected;
};

static u8 model_buf[NSLOT][MODEL_BYTES];
static u8 scratch[MODEL_BYTES];
static struct slot slots[NSLOT];
static struct kvg_group group;
static u32 fill_state;
static unsigned long nops;
static size_t model_limit;	/* MODEL_BYTES, or BIG_BYTES in OP_BIG */
static bool big_done;

static void fill(u8 *p, size_t n)
{
	while (n--) {
		fill_state = fill_state * 1103515245 + 12345;
		*p++ = fill_state >> 16;
	}
}

static size_t bytes(const struct slot *s, size_t n)
{
	return n * s->es;
}

/* Is a capacity of @cap elements page-backed (lib/vec_pages.c)? */
static bool paged_at(const struct slot *s, size_t cap)
{
	return cap && bytes(s, cap) >= KVG_PAGES_MIN_BYTES;
}

static size_t pages_at(const struct slot *s, size_t cap)
{
	return paged_at(s, cap) ? DIV_ROUND_UP(bytes(s, cap), PAGE_SIZE) : 0;
}

/* The live blocks @s holds: a block, or its pages and their view. */
static long slot_blocks(const struct slot *s)
{
	if (!s->v.data)
		return 0;
	return paged_at(s, s->v.cap) ? pages_at(s, s->v.cap) + 1 : 1;
}

/* A remap's transient page list, for @nr pages. */
static size_t list_bytes(size_t nr)
{
	return kvg_kvmalloc_roundup(nr * sizeof(void *));
}

static bool policy_eq(struct kvg_policy a, struct kvg_policy b)
{
	return a.kind == b.kind && a.num == b.num && a.den == b.den;
}

static void check_contents(const struct slot *s)
{
	size_t n = bytes(s, s->len);

	FUZZ_CHECK(!n || !memcmp(s->v.data, s->model, n), "contents differ");
}

/* The cheap invariants, after every operation. */
static void check_cheap(const struct slot *s)
{
	if (!s->live)
		return;
	FUZZ_CHECK(s->v.len == s->len, "len %zu model %zu", s->v.len, s->len);
	FUZZ_CHECK(s->v.len <= s->v.cap, "len %zu cap %zu", s->v.len, s->v.cap);
	FUZZ_CHECK(!s->v.data == !s->v.cap, "data %p cap %zu", s->v.data,
		   s->v.cap);
	FUZZ_CHECK(s->v.elem_size == s->es, "elem_size %zu", s->v.elem_size);
	check_contents(s);
}

/* The full snapshot, every CHECK_EVERY operations and at the end. */
static void check_full(void)
{
	struct kvg_group_stats gs;
	size_t gbytes = 0, req;
	long blocks = 0, members = 0;
	struct kvg_vec_stats st;
	struct slot *s;
	int i;

	for (i = 0; i < NSLOT; i++) {
		s = &slots[i];
		if (!s->live)
			continue;
		check_cheap(s);
		check_contents(s);
		kvg_vec_snapshot_raw(&s->v, &st);
		req = bytes(s, s->v.cap);
		FUZZ_CHECK(st.len == s->len && st.cap == s->v.cap &&
			   st.elem_size == s->es, "snapshot sizes");
		FUZZ_CHECK(policy_eq(st.policy, s->v.policy), "policy");
		FUZZ_CHECK(st.live_bytes == bytes(s, s->len), "live %zu",
			   st.live_bytes);
		FUZZ_CHECK(st.requested_bytes == req, "requested %zu",
			   st.requested_bytes);
		if (!s->v.cap) {
			FUZZ_CHECK(!st.footprint_bytes &&
				   st.backend == KVG_BACKEND_NONE,
				   "empty block: footprint %zu",
				   st.footprint_bytes);
		} else if (paged_at(s, s->v.cap)) {
			FUZZ_CHECK(st.footprint_bytes == PAGE_ALIGN(req) &&
				   st.backend == KVG_BACKEND_PAGES,
				   "pages: footprint %zu backend %d for %zu",
				   st.footprint_bytes, st.backend, req);
		} else {
			FUZZ_CHECK(st.footprint_bytes == kvg_kvmalloc_roundup(req),
				   "footprint %zu for %zu", st.footprint_bytes,
				   req);
			FUZZ_CHECK(st.backend == (req > KMALLOC_MAX_SIZE ?
						  KVG_BACKEND_VMALLOC :
						  KVG_BACKEND_KMALLOC),
				   "backend %d for %zu", st.backend, req);
		}
		FUZZ_CHECK(st.footprint_bytes >= st.requested_bytes, "footprint");
		FUZZ_CHECK(st.slack_bytes == st.footprint_bytes - st.live_bytes,
			   "slack");
		FUZZ_CHECK(st.peak_footprint_bytes >= st.footprint_bytes &&
			   st.peak_footprint_bytes == s->peak,
			   "peak %zu model %zu", st.peak_footprint_bytes,
			   s->peak);
		FUZZ_CHECK(st.grows == s->grows && st.shrinks == s->shrinks &&
			   st.moved_bytes == s->moved &&
			   st.failed_allocs == s->failed,
			   "acct %llu %llu %llu %llu, model %llu %llu %llu %llu",
			   st.grows, st.shrinks, st.moved_bytes,
			   st.failed_allocs, s->grows, s->shrinks, s->moved,
			   s->failed);
		blocks += slot_blocks(s);
		if (s->grouped) {
			members++;
			gbytes += st.footprint_bytes;
		}
	}
	FUZZ_CHECK(kvg_mem_live_blocks() == blocks, "live blocks %ld, %ld held",
		   kvg_mem_live_blocks(), blocks);
	kvg_group_snapshot(&group, &gs);
	FUZZ_CHECK(gs.members == members && gs.footprint_bytes == gbytes &&
		   gs.peak_footprint_bytes >= gbytes,
		   "group %ld members %zu bytes, expected %ld %zu", gs.members,
		   gs.footprint_bytes, members, gbytes);
	FUZZ_CHECK(!shim_warn_count, "WARN_ON fired");
}

static bool stats_eq(const struct kvg_vec_stats *a,
		     const struct kvg_vec_stats *b)
{
	return a->len == b->len && a->cap == b->cap &&
	       a->elem_size == b->elem_size &&
	       policy_eq(a->policy, b->policy) && a->backend == b->backend &&
	       a->live_bytes == b->live_bytes &&
	       a->requested_bytes == b->requested_bytes &&
	       a->footprint_bytes == b->footprint_bytes &&
	       a->slack_bytes == b->slack_bytes &&
	       a->peak_footprint_bytes == b->peak_footprint_bytes &&
	       a->grows == b->grows && a->shrinks == b->shrinks &&
	       a->moved_bytes == b->moved_bytes &&
	       a->remapped_pages == b->remapped_pages &&
	       a->failed_allocs == b->failed_allocs && a->site == b->site;
}

static void pre_take(const struct slot *s, struct pre *p)
{
	p->v = s->v;
	kvg_vec_snapshot_raw(&s->v, &p->st);
	p->injected = kvg_fault_injected();
}

/* An error: the expected one, and the vector exactly as it was. */
static void after_error(struct slot *s, const struct pre *p, int err,
			int expect)
{
	const struct kvg_vec *a = &p->v, *b = &s->v;
	struct kvg_vec_stats st;
	bool nomem = err == -ENOMEM;

	FUZZ_CHECK(err == expect || (nomem && expect == -ENOMEM),
		   "op %lu: got %d, expected %d", nops, err, expect);
	FUZZ_CHECK(nomem == (kvg_fault_injected() != p->injected),
		   "op %lu: %d with %lu failures injected", nops, err,
		   kvg_fault_injected() - p->injected);
	s->failed += nomem;
	FUZZ_CHECK(a->data == b->data && a->len == b->len &&
		   a->cap == b->cap && a->elem_size == b->elem_size &&
		   a->gfp == b->gfp && policy_eq(a->policy, b->policy) &&
		   a->site == b->site && a->group == b->group &&
		   a->observer == b->observer, "op %lu: vector changed", nops);
	FUZZ_CHECK(a->acct.grows == b->acct.grows &&
		   a->acct.shrinks == b->acct.shrinks &&
		   a->acct.moved_bytes == b->acct.moved_bytes &&
		   a->acct.remapped_pages == b->acct.remapped_pages &&
		   a->acct.peak_footprint == b->acct.peak_footprint &&
		   a->backend == b->backend &&
		   a->acct.failed_allocs + nomem == b->acct.failed_allocs,
		   "op %lu: accounting changed", nops);
	kvg_vec_snapshot_raw(&s->v, &st);
	st.failed_allocs -= nomem;
	FUZZ_CHECK(stats_eq(&st, &p->st), "op %lu: snapshot changed", nops);
	check_contents(s);
}

/*
 * A success: no failure injected, the model's length, and a capacity of
 * @cap; a block that changed accounted for.
 */
static void after_success(struct slot *s, const struct pre *p, size_t cap)
{
	struct kvg_vec_stats st;
	bool moved;

	FUZZ_CHECK(kvg_fault_injected() == p->injected,
		   "op %lu: succeeded past an injected failure", nops);
	FUZZ_CHECK(s->v.cap == cap, "op %lu: cap %zu, expected %zu", nops,
		   s->v.cap, cap);
	if (s->v.cap == p->v.cap) {
		FUZZ_CHECK(s->v.data == p->v.data, "op %lu: moved, same cap",
			   nops);
		FUZZ_CHECK(s->v.acct.grows == p->v.acct.grows &&
			   s->v.acct.shrinks == p->v.acct.shrinks,
			   "op %lu: resize counted", nops);
	} else {
		size_t old_nr = pages_at(s, p->v.cap), nr = pages_at(s, s->v.cap);
		bool was = old_nr, now = nr;

		moved = s->v.data != p->v.data && s->v.data && p->v.data;
		kvg_vec_snapshot_raw(&s->v, &st);
		if (s->v.cap > p->v.cap)
			s->grows++;
		else
			s->shrinks++;
		if (was || now) {
			/*
			 * Pages: a copy only between backends; at the peak
			 * both, less the pages they share, and a remap's
			 * page list; the pages kept by a remap counted.
			 */
			if (was != now && p->v.data && p->v.len)
				s->moved += bytes(s, p->v.len);
			if (was && now && nr != old_nr)
				s->remapped += min(nr, old_nr);
			FUZZ_CHECK((s->v.data == p->v.data) ==
				   (was && now && nr == old_nr),
				   "op %lu: pages %zu -> %zu, view %s", nops,
				   old_nr, nr, s->v.data == p->v.data ?
				   "kept" : "moved");
			s->peak = max(s->peak, p->st.footprint_bytes +
				      st.footprint_bytes -
				      min(nr, old_nr) * PAGE_SIZE +
				      (now && (!was || nr != old_nr) ?
				       list_bytes(nr) : 0));
		} else {
			if (moved)
				s->moved += bytes(s, p->v.len);
			s->peak = max(s->peak, moved ? p->st.footprint_bytes +
				      st.footprint_bytes : st.footprint_bytes);
		}
		FUZZ_CHECK(st.grows == s->grows && st.shrinks == s->shrinks &&
			   st.moved_bytes == s->moved &&
			   st.remapped_pages == s->remapped &&
			   st.peak_footprint_bytes == s->peak,
			   "op %lu: resize accounting", nops);
	}
	check_cheap(s);
}

/*
 * The capacity an operation adding @more elements must end with (the
 * current one if they fit), or the error it must return.  Returns 1 for an
 * operation too big to try here.
 */
static int plan(const struct slot *s, size_t more, size_t *cap)
{
	size_t needed, b;
	int err;

	if (check_add_overflow(s->v.len, more, &needed))
		return -EOVERFLOW;
	if (needed <= s->v.cap) {
		*cap = s->v.cap;
		return check_mul_overflow(needed, s->es, &b) ||
		       b > model_limit;
	}
	err = kvg_policy_grow_pages(s->v.policy, s->v.cap, needed, s->es, cap);
	if (err)
		return err;
	FUZZ_CHECK(*cap >= needed, "policy gave %zu for %zu", *cap, needed);
	if (s->v.policy.kind == KVG_POLICY_EXACT)
		FUZZ_CHECK(*cap == needed, "exact gave %zu for %zu", *cap,
			   needed);
	return bytes(s, *cap) > ALLOC_LIMIT || bytes(s, needed) > model_limit;
}

/*
 * The capacity kvg_policy_fit_pages() must give @n elements (fit-checked):
 * kvg rounds to what kvmalloc() hands out, or from KVG_PAGES_MIN_BYTES,
 * where the vector is page-backed, to whole pages, at least that much.
 */
static size_t fit_cap(struct kvg_policy p, size_t n, size_t es)
{
	size_t b;

	if (p.kind != KVG_POLICY_KVG)
		return n;
	b = kvg_kvmalloc_roundup(n * es);
	if (b >= KVG_PAGES_MIN_BYTES)
		b = PAGE_ALIGN(max_t(size_t, n * es, KVG_PAGES_MIN_BYTES));
	return b / es;
}

static size_t pick_idx(struct fuzz_in *in, size_t len, size_t slack)
{
	return fuzz_u16(in) % (len + 1 + slack);
}

static void model_insert(struct slot *s, size_t idx, const u8 *src,
			 size_t n)
{
	u8 *at = s->model + bytes(s, idx);

	memmove(at + bytes(s, n), at, bytes(s, s->len - idx));
	memcpy(at, src, bytes(s, n));
	s->len += n;
}

static void model_remove(struct slot *s, size_t idx, size_t n)
{
	u8 *at = s->model + bytes(s, idx);

	memmove(at, at + bytes(s, n), bytes(s, s->len - idx - n));
	s->len -= n;
}

/*
 * Insert @n elements at @idx from @src, or (@self_off >= 0) from the
 * vector's own bytes at that offset: Go's append(s, s[a:b]...) and its
 * insert counterpart.  @how: 0 typed/raw insert, 1 append, 2 push/insert1.
 */
static void do_insert(struct slot *s, size_t idx, const u8 *src, size_t n,
		      long self_off, int how)
{
	struct pre p;
	size_t cap = 0;
	int expect, err;
	const void *from = src;

	if (self_off >= 0) {
		from = s->v.data ? (u8 *)s->v.data + self_off : NULL;
		if (n)
			memcpy(scratch, s->model + self_off, bytes(s, n));
		src = scratch;
	}
	expect = idx > s->len || (n && !from) ? -EINVAL : plan(s, n, &cap);
	if (expect > 0)
		return;
	if (!expect && cap > s->v.cap)
		expect = -ENOMEM;	/* or 0 */
	pre_take(s, &p);
	if (how == 1)
		err = s->t->append(&s->v, from, n);
	else if (how == 2 && idx == s->len)
		err = s->t->push(&s->v, from);
	else if (how == 2)
		err = s->t->insert1(&s->v, idx, from);
	else
		err = kvg_vec_insert_raw(&s->v, idx, from, n);
	if (err) {
		after_error(s, &p, err, expect);
		return;
	}
	FUZZ_CHECK(expect == 0 || expect == -ENOMEM, "op %lu: 0, expected %d",
		   nops, expect);
	if (n)
		model_insert(s, idx, src, n);
	after_success(s, &p, cap);
}

static void op_extend(struct slot *s, size_t n)
{
	struct pre p;
	size_t cap = 0;
	int expect, err;

	expect = plan(s, n, &cap);
	if (expect > 0)
		return;
	if (!expect && cap > s->v.cap)
		expect = -ENOMEM;
	pre_take(s, &p);
	err = kvg_vec_extend_raw(&s->v, n);
	if (err) {
		after_error(s, &p, err, expect);
		return;
	}
	memset(s->model + bytes(s, s->len), 0, bytes(s, n));
	s->len += n;
	after_success(s, &p, cap);
}

static void op_reserve(struct slot *s, size_t more)
{
	size_t cap = 0;
	struct pre p;
	int expect, err;

	expect = plan(s, more, &cap);
	if (expect > 0)
		return;
	if (!expect && cap > s->v.cap)
		expect = -ENOMEM;
	pre_take(s, &p);
	err = kvg_vec_reserve_raw(&s->v, more);
	if (err) {
		after_error(s, &p, err, expect);
		return;
	}
	FUZZ_CHECK(s->v.cap - s->v.len >= more, "reserve: room %zu < %zu",
		   s->v.cap - s->v.len, more);
	after_success(s, &p, cap);
}

static void op_remove(struct slot *s, struct fuzz_in *in, bool swap)
{
	u8 sel = fuzz_u8(in);
	size_t idx = pick_idx(in, s->len, 1), n;
	struct pre p;
	int expect, err;

	n = swap ? 1 : sel < 128 ? 1 : sel < 250 ? sel % 9 : SIZE_MAX - sel;
	if (swap)
		expect = idx >= s->len ? -EINVAL : 0;
	else
		expect = idx > s->len || n > s->len - idx ? -EINVAL : 0;
	pre_take(s, &p);
	if (swap)
		err = kvg_vec_swap_remove_raw(&s->v, idx);
	else if (n == 1 && sel & 1)
		err = kvg_vec_remove_raw(&s->v, idx, 1);
	else
		err = kvg_vec_remove_raw(&s->v, idx, n);
	if (err) {
		after_error(s, &p, err, expect);
		return;
	}
	FUZZ_CHECK(!expect, "remove: 0, expected %d", expect);
	if (swap && idx != s->len - 1)
		memcpy(s->model + bytes(s, idx),
		       s->model + bytes(s, s->len - 1), s->es);
	if (swap)
		s->len--;
	else
		model_remove(s, idx, n);
	after_success(s, &p, s->v.cap);
}

static void op_pop(struct slot *s, struct fuzz_in *in)
{
	u8 out[MAX_ES];
	bool null = fuzz_u8(in) == 0xff;
	struct pre p;
	int expect, err;

	memset(out, 0xee, s->es);
	expect = null ? -EINVAL : s->len ? 0 : -ENOENT;
	pre_take(s, &p);
	if (null)
		err = kvg_vec_pop_raw(&s->v, NULL);
	else
		err = s->t->pop(&s->v, out);
	if (err) {
		after_error(s, &p, err, expect);
		for (size_t i = 0; !null && i < s->es; i++)
			FUZZ_CHECK(out[i] == 0xee, "pop wrote on error");
		return;
	}
	FUZZ_CHECK(!expect, "pop: 0, expected %d", expect);
	s->len--;
	FUZZ_CHECK(!memcmp(out, s->model + bytes(s, s->len), s->es),
		   "popped a wrong element");
	after_success(s, &p, s->v.cap);
}

static void op_truncate(struct slot *s, struct fuzz_in *in)
{
	size_t len = pick_idx(in, s->len, 2);
	struct pre p;
	int err;

	pre_take(s, &p);
	err = kvg_vec_truncate_raw(&s->v, len);
	if (err) {
		after_error(s, &p, err, len > s->len ? -EINVAL : 0);
		return;
	}
	FUZZ_CHECK(len <= s->len, "truncate past len");
	s->len = len;
	after_success(s, &p, s->v.cap);
}

static void op_clip(struct slot *s)
{
	size_t cap = fit_cap(s->v.policy, s->len, s->es);
	struct pre p;
	int err;

	if (cap >= s->v.cap)
		cap = s->v.cap;
	pre_take(s, &p);
	err = kvg_vec_clip_raw(&s->v);
	if (err) {
		after_error(s, &p, err, cap && cap < p.v.cap ? -ENOMEM : 0);
		return;
	}
	after_success(s, &p, cap);
}

static void slot_free(struct slot *s)
{
	static const struct kvg_vec zero;
	long blocks = kvg_mem_live_blocks();
	long had = slot_blocks(s);

	kvg_vec_free_raw(&s->v);
	FUZZ_CHECK(!memcmp(&s->v, &zero, sizeof(zero)), "freed vector not zero");
	FUZZ_CHECK(kvg_mem_live_blocks() == blocks - had, "free: blocks %ld->%ld",
		   blocks, kvg_mem_live_blocks());
	*s = (struct slot){ .model = s->model };
}

/* A vector that was never made, or was freed, refuses everything. */
static void op_dead(struct slot *s)
{
	struct kvg_vec tmp, copy = s->v;
	size_t cap;
	u8 out[8] = { 0 };

	if (s->live)
		return;
	FUZZ_CHECK(kvg_vec_reserve_raw(&s->v, 1) == -EINVAL &&
		   kvg_vec_append_raw(&s->v, out, 1) == -EINVAL &&
		   kvg_vec_extend_raw(&s->v, 1) == -EINVAL &&
		   kvg_vec_insert_raw(&s->v, 0, out, 1) == -EINVAL &&
		   kvg_vec_remove_raw(&s->v, 0, 0) == -EINVAL &&
		   kvg_vec_swap_remove_raw(&s->v, 0) == -EINVAL &&
		   kvg_vec_pop_raw(&s->v, out) == -EINVAL &&
		   kvg_vec_truncate_raw(&s->v, 0) == -EINVAL &&
		   kvg_vec_clip_raw(&s->v) == -EINVAL &&
		   kvg_vec_clone_range_raw(&tmp, &s->v, 0, 0, GFP_KERNEL) ==
		   -EINVAL &&
		   kvg_vec_predict_cap(&s->v, 1, 1, 8, &cap) == -EINVAL &&
		   kvg_vec_join_group_raw(&s->v, &group) == -EINVAL,
		   "a dead vector took an operation");
	kvg_vec_free_raw(&s->v);
	FUZZ_CHECK(!memcmp(&copy, &s->v, sizeof(copy)), "dead vector written");
}

static struct kvg_policy pick_policy(struct fuzz_in *in)
{
	u8 sel = fuzz_u8(in);
	struct kvg_policy p = { .kind = sel % 8 };
	u16 den;

	if (p.kind == KVG_POLICY_FACTOR) {
		if (sel & 0x80) {
			p.num = fuzz_u16(in) % (KVG_FACTOR_MAX + 2);
			p.den = fuzz_u16(in) % (KVG_FACTOR_MAX + 2);
		} else {
			den = 1 + fuzz_u8(in) % 100;
			p.den = den;
			p.num = den + 1 + fuzz_u16(in) % (KVG_FACTOR_MAX - den);
		}
	} else if (p.kind >= KVG_POLICY_NR) {
		/* A valid kind mostly; now and then garbage. */
		p.kind = sel & 0x80 ? sel : sel % KVG_POLICY_NR;
	} else if (sel >= 0xf8) {
		p.num = 1;
	}
	return p;
}

static bool policy_ok(struct kvg_policy p)
{
	if (p.kind == KVG_POLICY_FACTOR)
		return p.den >= 1 && p.num > p.den && p.num <= KVG_FACTOR_MAX;
	return p.kind < KVG_POLICY_NR && !p.num && !p.den;
}

/* Free slot @s if live, and make it anew: init, or make with a hint. */
static void op_make(struct slot *s, struct fuzz_in *in)
{
	static const size_t huge[] = { SIZE_MAX, SIZE_MAX / 3, INT_MAX,
				       (size_t)INT_MAX + 1 };
	u8 tsel = fuzz_u8(in), hsel = fuzz_u8(in);
	struct kvg_policy pol = pick_policy(in);
	const struct vtype *t = &vtypes[tsel % ARRAY_SIZE(vtypes)];
	size_t es = t->size, hint, b, cap;
	struct kvg_vec_stats st;
	long blocks;
	int expect, err;

	if (s->live)
		slot_free(s);
	if (!es)
		es = tsel >= 0xf0 ? (tsel - 0xef) * 150 : 1 + fuzz_u8(in) % 64;
	if (hsel < 96)
		hint = 0;
	else if (hsel < 192)
		hint = fuzz_u8(in);
	else if (hsel < 240)
		hint = fuzz_u16(in);
	else
		hint = huge[hsel % ARRAY_SIZE(huge)];
	if (!policy_ok(pol))
		expect = -EINVAL;
	else if (check_mul_overflow(hint, es, &b))
		expect = -EOVERFLOW;
	else if (b > KVG_MAX_BYTES)
		expect = -E2BIG;
	else
		expect = 0;
	cap = expect ? 0 : fit_cap(pol, hint, es);
	if (cap * es > ALLOC_LIMIT)
		return;
	memset(&s->v, 0x5a, sizeof(s->v));
	blocks = kvg_mem_live_blocks();
	s->es = es;
	s->t = t;
	err = t->make(&s->v, es, pol, hint);
	if (err) {
		FUZZ_CHECK(err == expect || (err == -ENOMEM && !expect && cap),
			   "make: %d, expected %d", err, expect);
		for (b = 0; b < sizeof(s->v); b++)
			FUZZ_CHECK(((u8 *)&s->v)[b] == 0x5a, "failed make wrote");
		memset(&s->v, 0, sizeof(s->v));
		FUZZ_CHECK(kvg_mem_live_blocks() == blocks, "failed make leaked");
		return;
	}
	FUZZ_CHECK(!expect, "make: 0, expected %d", expect);
	FUZZ_CHECK(s->v.cap == cap && !s->v.len && policy_eq(s->v.policy, pol) &&
		   s->v.gfp == GFP_KERNEL && !s->v.group && !s->v.observer &&
		   !s->v.site == !t->size,
		   "made cap %zu (expected %zu) len %zu", s->v.cap, cap,
		   s->v.len);
	s->live = true;
	s->len = 0;
	kvg_vec_snapshot_raw(&s->v, &st);
	s->grows = !!cap;
	s->peak = st.footprint_bytes +
		  (paged_at(s, cap) ? list_bytes(pages_at(s, cap)) : 0);
	check_cheap(s);
}

static void op_clone(struct slot *s, struct slot *d, struct fuzz_in *in)
{
	size_t start = pick_idx(in, s->len, 1), end = pick_idx(in, s->len, 1);
	size_t cap, i;
	struct kvg_vec_stats st;
	int expect, err;
	long blocks;

	if (d->live)
		slot_free(d);
	if (fuzz_u8(in) & 1 && start > end) {
		i = start;
		start = end;
		end = i;
	}
	expect = start > end || end > s->len ? -EINVAL : 0;
	cap = expect ? 0 : fit_cap(s->v.policy, end - start, s->es);
	memset(&d->v, 0xa5, sizeof(d->v));
	blocks = kvg_mem_live_blocks();
	err = s->t->clone(&d->v, &s->v, start, end);
	if (err) {
		FUZZ_CHECK(err == expect || (err == -ENOMEM && !expect && cap),
			   "clone: %d, expected %d", err, expect);
		for (i = 0; i < sizeof(d->v); i++)
			FUZZ_CHECK(((u8 *)&d->v)[i] == 0xa5, "failed clone wrote");
		memset(&d->v, 0, sizeof(d->v));
		FUZZ_CHECK(kvg_mem_live_blocks() == blocks, "failed clone leaked");
		return;
	}
	FUZZ_CHECK(!expect, "clone: 0, expected %d", expect);
	FUZZ_CHECK(d->v.cap == cap && d->v.len == end - start &&
		   d->v.elem_size == s->es && d->v.gfp == GFP_KERNEL &&
		   policy_eq(d->v.policy, s->v.policy) && !d->v.group &&
		   !d->v.observer && !d->v.site == !s->t->size,
		   "clone: cap %zu (expected %zu)", d->v.cap, cap);
	d->live = true;
	d->t = s->t;
	d->es = s->es;
	d->len = end - start;
	memcpy(d->model, s->model + bytes(s, start), bytes(s, d->len));
	kvg_vec_snapshot_raw(&d->v, &st);
	d->grows = !!cap;
	d->peak = st.footprint_bytes +
		  (paged_at(d, cap) ? list_bytes(pages_at(d, cap)) : 0);
	check_cheap(d);
	check_cheap(s);
}

/*
 * kvg_vec_predict_cap() against the real thing: extend by @batch at a time
 * and compare the capacity reached (unless an injected failure intervened).
 */
static void op_predict(struct slot *s, struct fuzz_in *in)
{
	size_t n = fuzz_u16(in) % 2048, batch = 1 + fuzz_u8(in) % 64;
	size_t pc, pc2, k, done = 0;
	unsigned long failed = s->failed;
	int err;

	err = kvg_vec_predict_cap(&s->v, n, batch, SIZE_MAX, &pc);
	if (err) {
		FUZZ_CHECK(err == -E2BIG, "predict: %d", err);
		return;
	}
	FUZZ_CHECK(pc >= s->len + n && pc >= s->v.cap, "predicted %zu", pc);
	err = kvg_vec_predict_cap(&s->v, n, batch, pc, &pc2);
	FUZZ_CHECK(!err && pc2 == pc, "predict at its own max: %d", err);
	if (pc > s->len + n && pc > s->v.cap) {
		err = kvg_vec_predict_cap(&s->v, n, batch, pc - 1, &pc2);
		FUZZ_CHECK(err == -E2BIG, "predict under its max: %d", err);
	}
	if (bytes(s, pc) > ALLOC_LIMIT || bytes(s, s->len + n) > model_limit)
		return;
	while (done < n) {
		k = min(batch, n - done);
		op_extend(s, k);
		if (s->failed != failed)
			return;
		done += k;
	}
	FUZZ_CHECK(s->v.cap == pc, "predicted cap %zu, reached %zu", pc,
		   s->v.cap);
}

static void op_group(struct slot *s)
{
	int err = kvg_vec_join_group_raw(&s->v, &group);

	FUZZ_CHECK(err == (s->grouped ? -EBUSY : 0), "join group: %d", err);
	s->grouped = true;
}

enum {
	OP_PUSH, OP_APPEND, OP_APPEND_SELF, OP_EXTEND, OP_RESERVE, OP_INSERT,
	OP_INSERT_SELF, OP_INSERT1, OP_BAD_SELF, OP_REMOVE, OP_SWAP_REMOVE,
	OP_POP, OP_TRUNCATE, OP_CLIP, OP_CLONE, OP_MAKE, OP_FREE, OP_FAIL_NTH,
	OP_FAIL_RANDOM, OP_GROUP, OP_CHECK, OP_PREDICT, OP_BIG, OP_NR
};

static void step(struct fuzz_in *in)
{
	static const size_t huge[] = { SIZE_MAX, SIZE_MAX / 2, INT_MAX,
				       (size_t)INT_MAX + 1, 1UL << 40 };
	u8 code = fuzz_u8(in), op = (code & 0x7f) % OP_NR, sel;
	struct slot *s = &slots[code >> 7], *o = &slots[!(code >> 7)];
	size_t idx, a, n, off;

	nops++;
	if (!s->live && op != OP_MAKE && op != OP_FAIL_NTH &&
	    op != OP_FAIL_RANDOM) {
		op_dead(s);
		op_make(s, in);
		return;
	}
	switch (op) {
	case OP_PUSH:
		fill(scratch, s->es);
		do_insert(s, s->len, scratch, 1, -1, 2);
		break;
	case OP_INSERT1:
		idx = pick_idx(in, s->len, 1);
		fill(scratch, s->es);
		do_insert(s, idx, scratch, 1, -1, 2);
		break;
	case OP_APPEND:
	case OP_INSERT:
		sel = fuzz_u8(in);
		n = sel < 240 ? sel % 40 : fuzz_u16(in) % 2048;
		idx = op == OP_APPEND ? s->len : pick_idx(in, s->len, 1);
		if (bytes(s, n) > model_limit)
			break;
		fill(scratch, bytes(s, n));
		/* NULL with nothing to add is allowed, with something not. */
		do_insert(s, idx, sel == 239 ? NULL : scratch, n, -1,
			  op == OP_APPEND);
		break;
	case OP_APPEND_SELF:
	case OP_INSERT_SELF:
		a = pick_idx(in, s->len, 0);
		n = pick_idx(in, s->len - a, 0);
		idx = op == OP_APPEND_SELF ? s->len : pick_idx(in, s->len, 0);
		sel = fuzz_u8(in);
		off = bytes(s, a);
		/* Now and then a source off the element grid. */
		if (sel >= 0xc0 && s->len && a < s->len) {
			off += sel % s->es;
			n = min(n, (bytes(s, s->len) - off) / s->es);
		}
		do_insert(s, idx, NULL, n, off, op == OP_APPEND_SELF);
		break;
	case OP_BAD_SELF:
		/* A source in the block but past len, or running past it. */
		if (!s->v.data)
			break;
		sel = fuzz_u8(in);
		if (sel & 1 && s->v.cap > s->len)
			off = bytes(s, s->len + sel / 2 % (s->v.cap - s->len));
		else if (s->len)
			off = bytes(s, s->len - 1) + sel / 2 % s->es;
		else
			break;
		idx = pick_idx(in, s->len, 0);
		{
			struct pre p;
			int err;

			n = 1 + (off < bytes(s, s->len));
			pre_take(s, &p);
			err = kvg_vec_insert_raw(&s->v, idx,
						 (u8 *)s->v.data + off, n);
			after_error(s, &p, err, -EINVAL);
		}
		break;
	case OP_EXTEND:
		op_extend(s, fuzz_u8(in));
		break;
	case OP_RESERVE:
		sel = fuzz_u8(in);
		if (sel < 200)
			n = sel & 1 ? fuzz_u8(in) : fuzz_u16(in);
		else
			n = huge[sel % ARRAY_SIZE(huge)] -
			    (sel & 8 ? s->v.len : 0);
		op_reserve(s, n);
		break;
	case OP_REMOVE:
	case OP_SWAP_REMOVE:
		op_remove(s, in, op == OP_SWAP_REMOVE);
		break;
	case OP_POP:
		op_pop(s, in);
		break;
	case OP_TRUNCATE:
		op_truncate(s, in);
		break;
	case OP_CLIP:
		op_clip(s);
		break;
	case OP_CLONE:
		op_clone(s, o, in);
		break;
	case OP_MAKE:
		op_make(s, in);
		break;
	case OP_FREE:
		slot_free(s);
		break;
	case OP_FAIL_NTH:
		kvg_fault_fail_nth(1 + fuzz_u8(in) % 3);
		break;
	case OP_FAIL_RANDOM:
		fuzz_fail_random(in);
		break;
	case OP_GROUP:
		op_group(s);
		break;
	case OP_CHECK:
		check_full();
		break;
	case OP_PREDICT:
		op_predict(s, in);
		break;
	case OP_BIG:
		/*
		 * Room past KMALLOC_MAX_SIZE: the vmalloc backend.  Once per
		 * input, and by a reserve, which touches none of it: a block
		 * that size costs milliseconds to fill.
		 */
		n = (KMALLOC_MAX_SIZE + fuzz_u16(in) * 16) / s->es + 1;
		if (big_done || n <= s->len)
			break;
		big_done = true;
		model_limit = BIG_BYTES;
		op_reserve(s, n - s->len);
		model_limit = MODEL_BYTES;
		break;
	}
	if (!(nops % CHECK_EVERY))
		check_full();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	u8 rate = fuzz_u8(&in);
	int i;

	FUZZ_CHECK(!kvg_mem_live_blocks(), "blocks live before the input");
	kvg_fault_reset();
	shim_random_seed(0);
	fill_state = 1;
	nops = 0;
	model_limit = MODEL_BYTES;
	big_done = false;
	kvg_group_init(&group);
	for (i = 0; i < NSLOT; i++)
		slots[i] = (struct slot){ .model = model_buf[i] };
	/* Half the inputs fail allocations at random from the start. */
	if (rate >= 128)
		kvg_fault_fail_random((rate - 127) * 3, fuzz_u16(&in));
	while (fuzz_left(&in))
		step(&in);
	check_full();
	for (i = 0; i < NSLOT; i++)
		slot_free(&slots[i]);
	kvg_fault_reset();
	FUZZ_CHECK(!kvg_mem_live_blocks(), "%ld blocks leaked",
		   kvg_mem_live_blocks());
	check_full();
	kvg_group_destroy(&group);
	return 0;
}
