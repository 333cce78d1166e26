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
	KVG_BACKEND_PAGES,	/* pages of its own, vmap()ed: lib/vec_pages.c */
};

struct kvg_vec_acct {
	u64 grows;
	u64 shrinks;
	u64 moved_bytes;	/* live bytes carried to a new address */
	u64 failed_allocs;
	size_t peak_footprint;	/* counts both blocks while relocating */
	u64 remapped_pages;	/* pages kept and mapped at a new address */
};

/*
 * 128 bytes on 64-bit (without lockdep), the largest value a kvgrow map
 * stores inline (KVG_MAP_MAX_INLINE): vectors live in maps' value slots
 * (the lab's nested scenario).  Grow it only into its holes.
 */
struct kvg_vec {
	void *data;
	size_t len;
	size_t cap;
	size_t elem_size;
	gfp_t gfp;
	struct kvg_policy policy;
	u8 backend;			/* enum kvg_backend of the current block */
	bool no_pages;			/* kvg_vec_set_pages_raw(v, false) */
	u32 id;				/* tracepoints' id=: 1, 2, ... */
	seqcount_t seq;			/* around changes of cap and acct */
	struct kvg_vec_acct acct;
	const struct kvg_site *site;	/* set by the init macros */
	struct kvg_group *group;	/* charged with every resize, or NULL */
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
	u64 remapped_pages;		/* pages kept and mapped anew */
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
int kvg_vec_make_pages_site(struct kvg_vec *v, size_t elem_size,
			    struct kvg_policy policy, size_t hint, gfp_t gfp,
			    bool pages, const struct kvg_site *site);
int kvg_vec_predict_cap(const struct kvg_vec *v, size_t n, size_t batch,
			size_t max_cap, size_t *cap);
int kvg_vec_set_observer(struct kvg_vec *v, struct kvg_observer *obs);
int kvg_vec_set_pages_raw(struct kvg_vec *v, bool allow);
size_t kvg_vec_resize_peak(const struct kvg_vec *v, size_t cap);
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
bool kvg_vec_stats_valid(const struct kvg_vec_stats *st, const char **why);
long kvg_mem_live_blocks(void);

/**
 * kvg_vec_make() - Initialise a typed vector with room for @hint elements.
 * @v: Pointer to the typed vector; overwritten, so it must not be live.
 * @policy: Growth policy (struct kvg_policy).
 * @hint: Elements to make room for: Go's make([]T, 0, hint).
 * @gfp: Allocation flags of every allocation the vector makes.
 *
 * Records the caller as the vector's site.
 *
 * Context: May sleep if @gfp permits.
 * Return: 0, or the errors of kvg_vec_make_raw() (@v not written).
 */
#define kvg_vec_make(v, policy, hint, gfp)				\
({									\
	typeof(v) __vm = (v);						\
	kvg_vec_make_site(&__vm->raw, sizeof(*__vm->data), policy,	\
			  hint, gfp, KVG_SITE());			\
})

/**
 * kvg_vec_init_policy() - Initialise an empty typed vector with a policy.
 * @v: Pointer to the typed vector; overwritten, so it must not be live.
 * @policy: Growth policy (struct kvg_policy).
 * @gfp: Allocation flags of every allocation the vector makes.
 *
 * Allocates nothing; records the caller as the vector's site.
 *
 * Context: Any context.
 * Return: 0, or the errors of kvg_vec_init_raw() (@v not written).
 */
#define kvg_vec_init_policy(v, policy, gfp)	kvg_vec_make(v, policy, 0, gfp)

/**
 * kvg_vec_init() - Initialise an empty typed vector, with the kvg policy.
 * @v: Pointer to the typed vector; overwritten, so it must not be live.
 * @gfp: Allocation flags of every allocation the vector makes.
 *
 * Allocates nothing; records the caller as the vector's site.
 *
 * Context: Any context.
 * Return: 0, or the errors of kvg_vec_init_raw() (@v not written).
 */
#define kvg_vec_init(v, gfp)	kvg_vec_make(v, KVG_POLICY(KVG), 0, gfp)

/**
 * kvg_vec_reserve() - Make room for @more elements past the length.
 * @v: Pointer to the typed vector.
 * @more: Elements to make room for, grown to by the vector's policy.
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0, or the errors of kvg_vec_reserve_raw().
 */
#define kvg_vec_reserve(v, more)	kvg_vec_reserve_raw(&(v)->raw, more)

/**
 * kvg_vec_push() - Append one element: Go's append(s, x).
 * @v: Pointer to the typed vector.
 * @x: The element; evaluated only once there is room for it, not on an
 *     error.
 *
 * The fast path, with room in the capacity, is inline and cannot fail.
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0, or the errors of kvg_vec_reserve_raw().
 */
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

/**
 * kvg_vec_append() - Append @n elements: Go's append(s, src[:n]...).
 * @v: Pointer to the typed vector.
 * @src: Array of the element type; it may be a range of @v's own
 *       elements, as in Go's append(s, s[a:b]...).
 * @n: How many.
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0, or the errors of kvg_vec_append_raw().
 */
#define kvg_vec_append(v, src, n)					\
({									\
	typeof(v) __va = (v);						\
	typeof(*__va->data) const *__src = (src);			\
	kvg_vec_append_raw(&__va->raw, __src, n);			\
})

/**
 * kvg_vec_extend() - Append @n zeroed elements.
 * @v: Pointer to the typed vector.
 * @n: How many: Go's append(s, make([]T, n)...).
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0, or the errors of kvg_vec_extend_raw().
 */
#define kvg_vec_extend(v, n)		kvg_vec_extend_raw(&(v)->raw, n)

/**
 * kvg_vec_insert() - Insert one element at @idx.
 * @v: Pointer to the typed vector.
 * @idx: Where it goes, 0 to len; the elements from @idx move up.
 * @x: The element.
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0, or the errors of kvg_vec_insert_raw().
 */
#define kvg_vec_insert(v, idx, x)					\
({									\
	typeof(v) __vi = (v);						\
	typeof(*__vi->data) __x = (x);					\
	kvg_vec_insert_raw(&__vi->raw, idx, &__x, 1);			\
})

/**
 * kvg_vec_remove() - Remove the element at @idx, in order.
 * @v: Pointer to the typed vector.
 * @idx: The element; the ones after it move down.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0, or the errors of kvg_vec_remove_raw().
 */
#define kvg_vec_remove(v, idx)		kvg_vec_remove_raw(&(v)->raw, idx, 1)

/**
 * kvg_vec_remove_range() - Remove the elements [@idx, @idx + @n), in order.
 * @v: Pointer to the typed vector.
 * @idx: The first to remove.
 * @n: How many; the elements after them move down.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0, or the errors of kvg_vec_remove_raw().
 */
#define kvg_vec_remove_range(v, idx, n)	kvg_vec_remove_raw(&(v)->raw, idx, n)

/**
 * kvg_vec_swap_remove() - Remove one element in O(1), out of order.
 * @v: Pointer to the typed vector.
 * @idx: The element to remove; the last one takes its place.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0, or the errors of kvg_vec_swap_remove_raw().
 */
#define kvg_vec_swap_remove(v, idx)	kvg_vec_swap_remove_raw(&(v)->raw, idx)

/**
 * kvg_vec_pop() - Remove the last element.
 * @v: Pointer to the typed vector.
 * @out: Pointer to the element type, where to copy it.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0, or the errors of kvg_vec_pop_raw(): -ENOENT if @v is empty.
 */
#define kvg_vec_pop(v, out)						\
({									\
	typeof(v) __vp = (v);						\
	typeof(*__vp->data) *__out = (out);				\
	kvg_vec_pop_raw(&__vp->raw, __out);				\
})

/**
 * kvg_vec_truncate() - Shorten a typed vector: Go's s = s[:len].
 * @v: Pointer to the typed vector.
 * @len: The new length, not above the current one.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0, or the errors of kvg_vec_truncate_raw().
 */
#define kvg_vec_truncate(v, len)	kvg_vec_truncate_raw(&(v)->raw, len)

/**
 * kvg_vec_clip() - Give back the capacity beyond the length.
 * @v: Pointer to the typed vector.
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0, or the errors of kvg_vec_clip_raw().
 */
#define kvg_vec_clip(v)			kvg_vec_clip_raw(&(v)->raw)

/**
 * kvg_vec_clone_range() - A right-sized copy of src[start:end].
 * @dst: Pointer to a typed vector of @src's type, initialised here;
 *       overwritten, so it must not be live.
 * @src: Pointer to the source typed vector, unchanged.
 * @start: The first element.
 * @end: One past the last element.
 * @gfp: Allocation flags of the new vector.
 *
 * Records the caller as @dst's site.
 *
 * Context: May sleep if @gfp permits.  The caller serialises this call with
 * the changes of @src.
 * Return: 0, or the errors of kvg_vec_clone_range_raw() (@dst not written).
 */
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

/**
 * kvg_vec_free() - Free a typed vector's block; see kvg_vec_free_raw().
 * @v: Pointer to the typed vector, dead afterwards until initialised again.
 *
 * Context: Process context.  May sleep.  The caller serialises all calls on @v.
 * Return: Nothing.
 */
#define kvg_vec_free(v)			kvg_vec_free_raw(&(v)->raw)

/**
 * kvg_vec_snapshot() - Copy a typed vector's figures, consistently.
 * @v: Pointer to the typed vector; it must not be freed meanwhile.
 * @st: Pointer to the struct kvg_vec_stats to write.
 *
 * Context: As kvg_vec_snapshot_raw(): any context that cannot interrupt a
 * resize of @v on the same CPU.  Takes no lock.
 * Return: Nothing.
 */
#define kvg_vec_snapshot(v, st)		kvg_vec_snapshot_raw(&(v)->raw, st)

/**
 * kvg_vec_join_group() - Account a typed vector in a group until it is freed.
 * @v: Pointer to a live typed vector, in no group and not registered.
 * @g: The group, which must outlive @v's membership; see group.h.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0, or the errors of kvg_vec_join_group_raw().
 */
#define kvg_vec_join_group(v, g)	kvg_vec_join_group_raw(&(v)->raw, g)

/**
 * kvg_vec_set_pages() - Allow or forbid a typed vector's page backend.
 * @v: Pointer to the typed vector.
 * @allow: false keeps @v on kvmalloc() blocks; see kvg_vec_set_pages_raw().
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0, or the errors of kvg_vec_set_pages_raw().
 */
#define kvg_vec_set_pages(v, allow)	kvg_vec_set_pages_raw(&(v)->raw, allow)

/**
 * kvg_vec_for_each() - Loop over the elements of a typed vector.
 * @v: Pointer to the typed vector, evaluated once.
 * @it: Pointer to the element type, set to each element in turn.
 *
 * A for statement: break and continue work.  The length and block are read
 * anew for each element, so the body may change @v, but a change that
 * moves the block leaves @it dangling until the next element.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 */
#define kvg_vec_for_each(v, it)						\
	for (struct { typeof(v) vec; size_t i; } __f = { (v), 0 };	\
	     __f.i < __f.vec->len && ((it) = &__f.vec->data[__f.i], true); \
	     __f.i++)

#endif /* _KVGROW_VEC_H */
