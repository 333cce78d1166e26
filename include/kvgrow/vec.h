/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgrow vectors: Go slice semantics on kvmalloc memory, with a pluggable
 * growth policy and exact accounting.
 *
 * A typed vector is a union of the generic struct kvg_vec and a typed view
 * of its first three members, so the fast paths index a T * and the slow
 * paths take one generic struct:
 *
 *	KVG_VEC(u64) v;
 *
 *	kvg_vec_init(&v, GFP_KERNEL);
 *	err = kvg_vec_push(&v, 42);
 *	...
 *	kvg_vec_free(&v);
 *
 * Every operation that can fail returns 0 or a negative errno and, on
 * failure, leaves the vector exactly as it was.  A vector that was never
 * initialised (all zero) or was freed has elem_size 0: every operation on
 * it fails with -EINVAL, and kvg_vec_free() on it is a no-op.
 *
 * Locking: none inside.  The owner serialises all calls on one vector.
 */
#ifndef _KVGROW_VEC_H
#define _KVGROW_VEC_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/seqlock.h>
#include <kvgrow/group.h>
#include <kvgrow/observer.h>
#include <kvgrow/policy.h>
#include <kvgrow/site.h>

enum kvg_backend {
	KVG_BACKEND_NONE,
	KVG_BACKEND_KMALLOC,
	KVG_BACKEND_VMALLOC,
};

struct kvg_vec_acct {
	u64 grows;
	u64 shrinks;
	u64 moved_bytes;	/* live bytes carried to a new address */
	u64 failed_allocs;
	size_t peak_footprint;	/* counts both blocks while relocating */
	u8 backend;		/* enum kvg_backend of the current block */
};

struct kvg_vec {
	void *data;
	size_t len;
	size_t cap;
	size_t elem_size;
	gfp_t gfp;
	struct kvg_policy policy;
	struct kvg_vec_acct acct;
	const struct kvg_site *site;	/* set by the init macros */
	struct kvg_group *group;	/* charged with every resize, or NULL */
	seqcount_t seq;			/* around changes of cap and acct */
	struct kvg_observer *observer;	/* told before the vector is freed */
};

/* A consistent copy of a vector's figures; see kvg_vec_snapshot(). */
struct kvg_vec_stats {
	size_t len;
	size_t cap;
	size_t elem_size;
	struct kvg_policy policy;
	enum kvg_backend backend;
	size_t live_bytes;		/* len * elem_size */
	size_t requested_bytes;		/* cap * elem_size */
	size_t footprint_bytes;		/* what the allocator reserved */
	size_t slack_bytes;		/* footprint - live */
	size_t peak_footprint_bytes;
	u64 grows;
	u64 shrinks;
	u64 moved_bytes;
	u64 failed_allocs;
	const struct kvg_site *site;	/* where it was made, or NULL */
};

#define KVG_VEC_MEMBERS(type)						\
	struct kvg_vec raw;						\
	struct {							\
		type *data;						\
		size_t len;						\
		size_t cap;						\
	}

/* An anonymous typed vector, and a named one: union NAME. */
#define KVG_VEC(type)							\
	union { KVG_VEC_MEMBERS(type); }
#define DECLARE_KVG_VEC(name, type)					\
	union name { KVG_VEC_MEMBERS(type); }

int kvg_vec_init_raw(struct kvg_vec *v, size_t elem_size,
		     struct kvg_policy policy, gfp_t gfp);
int kvg_vec_make_raw(struct kvg_vec *v, size_t elem_size,
		     struct kvg_policy policy, size_t hint, gfp_t gfp);
int kvg_vec_make_site(struct kvg_vec *v, size_t elem_size,
		      struct kvg_policy policy, size_t hint, gfp_t gfp,
		      const struct kvg_site *site);
int kvg_vec_predict_cap(const struct kvg_vec *v, size_t n, size_t batch,
			size_t max_cap, size_t *cap);
int kvg_vec_set_observer(struct kvg_vec *v, struct kvg_observer *obs);
int kvg_vec_reserve_raw(struct kvg_vec *v, size_t more);
int kvg_vec_append_raw(struct kvg_vec *v, const void *src, size_t n);
int kvg_vec_extend_raw(struct kvg_vec *v, size_t n);
int kvg_vec_insert_raw(struct kvg_vec *v, size_t idx, const void *src,
		       size_t n);
int kvg_vec_remove_raw(struct kvg_vec *v, size_t idx, size_t n);
int kvg_vec_swap_remove_raw(struct kvg_vec *v, size_t idx);
int kvg_vec_pop_raw(struct kvg_vec *v, void *out);
int kvg_vec_truncate_raw(struct kvg_vec *v, size_t len);
int kvg_vec_clip_raw(struct kvg_vec *v);
int kvg_vec_clone_range_raw(struct kvg_vec *dst, const struct kvg_vec *src,
			    size_t start, size_t end, gfp_t gfp);
void kvg_vec_free_raw(struct kvg_vec *v);
int kvg_vec_join_group_raw(struct kvg_vec *v, struct kvg_group *g);
void kvg_vec_snapshot_raw(const struct kvg_vec *v, struct kvg_vec_stats *st);
/* Blocks all kvgrow containers hold: 0 once every container is freed. */
long kvg_mem_live_blocks(void);

/* Go's make([]T, 0, hint): initialise with room for @hint elements. */
#define kvg_vec_make(v, policy, hint, gfp)				\
	kvg_vec_make_site(&(v)->raw, sizeof(*(v)->data), policy, hint,	\
			  gfp, KVG_SITE())

/* Initialise empty, with a chosen policy or the default (kvg) one. */
#define kvg_vec_init_policy(v, policy, gfp)	kvg_vec_make(v, policy, 0, gfp)
#define kvg_vec_init(v, gfp)	kvg_vec_make(v, KVG_POLICY(KVG), 0, gfp)

/* Room for @more elements past len, grown by the vector's policy. */
#define kvg_vec_reserve(v, more)	kvg_vec_reserve_raw(&(v)->raw, more)

/* Append one element; the fast path is inline. */
#define kvg_vec_push(v, x)						\
({									\
	typeof(v) __v = (v);						\
	int __err = 0;							\
									\
	if (unlikely(__v->len >= __v->cap))				\
		__err = kvg_vec_reserve_raw(&__v->raw, 1);		\
	if (likely(!__err))						\
		__v->data[__v->len++] = (x);				\
	__err;								\
})

/*
 * Append @n elements from the array @src (Go's append(s, src[:n]...)).
 * @src may be a range of @v's own elements, as in append(s, s[a:b]...).
 */
#define kvg_vec_append(v, src, n)					\
({									\
	typeof(v) __va = (v);						\
	typeof(*__va->data) const *__src = (src);			\
	kvg_vec_append_raw(&__va->raw, __src, n);			\
})

/* Append @n zeroed elements: Go's append(s, make([]T, n)...). */
#define kvg_vec_extend(v, n)		kvg_vec_extend_raw(&(v)->raw, n)

#define kvg_vec_insert(v, idx, x)					\
({									\
	typeof(v) __vi = (v);						\
	typeof(*__vi->data) __x = (x);					\
	kvg_vec_insert_raw(&__vi->raw, idx, &__x, 1);			\
})

/* Ordered removal of one element, or of [idx, idx + n). */
#define kvg_vec_remove(v, idx)		kvg_vec_remove_raw(&(v)->raw, idx, 1)
#define kvg_vec_remove_range(v, idx, n)	kvg_vec_remove_raw(&(v)->raw, idx, n)
/* O(1) removal: the last element takes @idx's place. */
#define kvg_vec_swap_remove(v, idx)	kvg_vec_swap_remove_raw(&(v)->raw, idx)

/* Remove the last element into *@out; -ENOENT if empty. */
#define kvg_vec_pop(v, out)						\
({									\
	typeof(v) __vp = (v);						\
	typeof(*__vp->data) *__out = (out);				\
	kvg_vec_pop_raw(&__vp->raw, __out);				\
})

#define kvg_vec_truncate(v, len)	kvg_vec_truncate_raw(&(v)->raw, len)
#define kvg_vec_clip(v)			kvg_vec_clip_raw(&(v)->raw)

/* A new, right-sized vector holding a copy of src[start:end]. */
#define kvg_vec_clone_range(dst, src, start, end, gfp)			\
({									\
	typeof(src) __vs = (src);					\
	typeof(*__vs) *__vd = (dst);					\
	int __err = kvg_vec_clone_range_raw(&__vd->raw, &__vs->raw,	\
					    start, end, gfp);		\
									\
	if (!__err)							\
		__vd->raw.site = KVG_SITE();				\
	__err;								\
})

#define kvg_vec_free(v)			kvg_vec_free_raw(&(v)->raw)
#define kvg_vec_snapshot(v, st)		kvg_vec_snapshot_raw(&(v)->raw, st)
/* Account @v in group @g from now until it is freed; see group.h. */
#define kvg_vec_join_group(v, g)	kvg_vec_join_group_raw(&(v)->raw, g)

/* @it points at each element in turn; break and continue work. */
#define kvg_vec_for_each(v, it)						\
	for (struct { typeof(v) vec; size_t i; } __f = { (v), 0 };	\
	     __f.i < __f.vec->len && ((it) = &__f.vec->data[__f.i], true); \
	     __f.i++)

#endif /* _KVGROW_VEC_H */
