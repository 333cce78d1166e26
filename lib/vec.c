// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow vectors: the generic slow paths behind the typed macros of
 * <kvgrow/vec.h>.
 *
 * Every function validates first, allocates second and commits last, so an
 * error leaves the vector exactly as it was.
 *
 * Storage: a kvmalloc() block, moved (copied, or remapped by the
 * allocator) on growth; or, for a capacity of KVG_PAGES_MIN_BYTES or more
 * in a vector that may sleep, pages of its own, remapped at a new address
 * on growth without copying (lib/vec_pages.c).  moved_bytes counts the
 * live bytes carried to a new address: the library's copies, and those of
 * kvrealloc(), which the library cannot tell from its remaps; a page
 * remap adds the pages it kept to remapped_pages instead.
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <kvgrow/vec.h>
#include "kvg_acct.h"
#include "kvg_mem.h"
#include "kvg_pages.h"
#include "kvg_trace.h"

/*
 * The last id given to a vector, its tracepoints' id=.  The id is a u32,
 * in a hole of struct kvg_vec (which must stay within a map's 128-byte
 * value slot): it wraps after 2^32 vectors.
 */
static atomic64_t vec_ids = ATOMIC64_INIT(0);

static size_t vec_footprint(const struct kvg_vec *v)
{
	return kvg_mem_footprint(v->cap * v->elem_size, v->backend);
}

/* May @v use the page backend at all (lib/vec_pages.c)? */
static bool vec_may_page(const struct kvg_vec *v)
{
	return !v->no_pages && kvg_pages_allowed(v->gfp);
}

/* Is a capacity of @cap page-backed? */
static bool vec_paged_at(const struct kvg_vec *v, size_t cap)
{
	return cap && vec_may_page(v) &&
	       cap * v->elem_size >= KVG_PAGES_MIN_BYTES;
}

/* The policy's capacity for @needed, and for exactly @n elements. */
static int vec_policy_grow(const struct kvg_vec *v, size_t old_cap,
			   size_t needed, size_t *cap)
{
	if (vec_may_page(v))
		return kvg_policy_grow_pages(v->policy, old_cap, needed,
					     v->elem_size, cap);
	return kvg_policy_grow(v->policy, old_cap, needed, v->elem_size, cap);
}

static int vec_policy_fit(const struct kvg_vec *v, size_t n, size_t *cap)
{
	if (vec_may_page(v))
		return kvg_policy_fit_pages(v->policy, n, v->elem_size, cap);
	return kvg_policy_fit(v->policy, n, v->elem_size, cap);
}

static void vec_failed(struct kvg_vec *v)
{
	kvg_stats_begin(&v->seq);
	v->acct.failed_allocs++;
	kvg_stats_end(&v->seq);
	kvg_group_failed(v->group);
}

static void *elem(const struct kvg_vec *v, size_t idx)
{
	return (char *)v->data + idx * v->elem_size;
}

/* The pages a page-backed capacity of @cap elements takes. */
static size_t vec_pages(const struct kvg_vec *v, size_t cap)
{
	return DIV_ROUND_UP(cap * v->elem_size, PAGE_SIZE);
}

/*
 * What exists at once while @v moves to @cap elements on @backend: the old
 * storage and the new, less the pages both map, and a remap's page list.
 */
static size_t resize_peak(const struct kvg_vec *v, size_t cap,
			  enum kvg_backend backend)
{
	size_t fp = kvg_mem_footprint(cap * v->elem_size, backend), shared = 0;

	if (backend == KVG_BACKEND_PAGES) {
		fp += kvg_pages_array_bytes(vec_pages(v, cap));
		if (v->backend == KVG_BACKEND_PAGES)
			shared = min(vec_pages(v, cap), vec_pages(v, v->cap)) *
				 PAGE_SIZE;
	}
	return vec_footprint(v) + fp - shared;
}

/*
 * vec_resize() where the old or the new capacity is page-backed.  Into
 * pages: map the pages @cap needs, old and new ones (nothing to do if the
 * page count stays), and copy only when coming from a kvmalloc block.  Out
 * of pages (a clip below KVG_PAGES_MIN_BYTES, or to nothing): a kvmalloc
 * block and a copy.  All allocation comes first, so a failure changes
 * nothing.
 */
static int vec_resize_pages(struct kvg_vec *v, size_t cap)
{
	size_t es = v->elem_size, live = v->len * es, old_fp = vec_footprint(v);
	bool was_paged = v->backend == KVG_BACKEND_PAGES;
	bool paged = vec_paged_at(v, cap), grow = cap > v->cap;
	size_t old_nr = was_paged ? vec_pages(v, v->cap) : 0;
	size_t nr = paged ? vec_pages(v, cap) : 0, new_fp, peak;
	void *old = v->data, *p = NULL;
	u64 moved = 0, remapped = 0;

	if (paged && was_paged && nr == old_nr) {
		p = old;
	} else if (paged) {
		if (kvg_pages_map(was_paged ? old : NULL, old_nr, nr, v->gfp,
				  &p)) {
			vec_failed(v);
			return -ENOMEM;
		}
		remapped = min(nr, old_nr);
	} else if (cap) {
		p = kvg_mem_alloc(cap * es, v->gfp);
		if (!p) {
			vec_failed(v);
			return -ENOMEM;
		}
	}
	if (old && live && was_paged != paged) {
		memcpy(p, old, live);
		moved = live;
	}
	/* What exists at once, before the old storage goes. */
	peak = p == old ? old_fp :
	       resize_peak(v, cap, paged ? KVG_BACKEND_PAGES : kvg_mem_backend(p));
	if (p != old && was_paged)
		kvg_pages_release(old, old_nr, nr);
	else if (p != old && old)
		kvg_mem_free(old);

	kvg_stats_begin(&v->seq);
	v->acct.moved_bytes += moved;
	v->acct.remapped_pages += remapped;
	v->data = p;
	v->cap = cap;
	v->backend = paged ? KVG_BACKEND_PAGES : kvg_mem_backend(p);
	new_fp = vec_footprint(v);
	if (grow)
		v->acct.grows++;
	else
		v->acct.shrinks++;
	v->acct.peak_footprint = max(v->acct.peak_footprint, peak);
	kvg_stats_end(&v->seq);
	if (v->group)
		kvg_group_charge(v->group, old_fp, peak, false);
	kvg_group_resized(v->group, peak, new_fp, false, grow, moved);
	return 0;
}

/**
 * kvg_vec_resize_peak() - The footprint while @v moves to a capacity @cap
 * @v: a live vector
 * @cap: a capacity it could move to, not 0 and not its current one
 *
 * What exists at once while @v's storage changes to @cap elements, if it
 * moves: the old storage and the new, less the pages a page-backed vector
 * keeps (lib/vec_pages.c), plus a remap's page list.  A kvmalloc block
 * counts whole, as 6.1's kvrealloc() moves it (6.12's may grow it in
 * place).  So a page-backed vector's growth peaks at its new size and one
 * page list, not at old plus new.  kvgrow_lab's oom scenario and
 * kvgrow-sim check budgets with it.
 *
 * Context: Any context.  The caller serialises it with the changes of @v.
 * Return: the bytes; 0 for a dead vector.
 */
size_t kvg_vec_resize_peak(const struct kvg_vec *v, size_t cap)
{
	if (unlikely(!v->elem_size))
		return 0;
	return resize_peak(v, cap, vec_paged_at(v, cap) ? KVG_BACKEND_PAGES :
			   kvg_mem_backend_of(cap * v->elem_size));
}
EXPORT_SYMBOL_GPL(kvg_vec_resize_peak);

/*
 * Move the vector to a block of @cap elements (>= len): in place or by
 * kvrealloc when growing an existing block, by a fresh block and a copy
 * otherwise (kvrealloc never gives memory back).  @cap 0 frees the block.
 */
static int vec_resize(struct kvg_vec *v, size_t cap)
{
	size_t live = v->len * v->elem_size;
	size_t old_fp = vec_footprint(v), new_fp;
	void *old = v->data, *p = NULL;
	bool grow = cap > v->cap;

	if (vec_paged_at(v, cap) || v->backend == KVG_BACKEND_PAGES)
		return vec_resize_pages(v, cap);
	if (cap) {
		if (grow && old)
			p = kvg_mem_grow(old, live, cap * v->elem_size, v->gfp);
		else
			p = kvg_mem_alloc(cap * v->elem_size, v->gfp);
		if (!p) {
			vec_failed(v);
			return -ENOMEM;
		}
		if (p != old && old && live && !grow)
			memcpy(p, old, live);
	}
	if (p != old && (!grow || !p))
		kvg_mem_free(old);

	kvg_stats_begin(&v->seq);
	if (p != old && old && p)
		v->acct.moved_bytes += live;
	v->data = p;
	v->cap = cap;
	v->backend = kvg_mem_backend(p);
	new_fp = vec_footprint(v);
	if (grow)
		v->acct.grows++;
	else
		v->acct.shrinks++;
	/* While a block moves, the old and the new one both exist. */
	v->acct.peak_footprint = max(v->acct.peak_footprint,
				     p != old && old ? old_fp + new_fp : new_fp);
	kvg_stats_end(&v->seq);
	kvg_group_resized(v->group, old_fp, new_fp, p != old && old && p, grow,
			  p != old && old && p ? live : 0);
	return 0;
}

/*
 * Report a committed resize from @old_cap, made for @need elements (a
 * make's hint, len + more for a grow, len for a clip); @ip is the
 * library's caller.
 */
static void trace_resize(const struct kvg_vec *v, size_t old_cap,
			 size_t need, bool make, u64 moved_before,
			 unsigned long ip)
{
	struct kvg_vec_event ev = {
		.vec = v,
		.id = v->id,
		.pages = vec_may_page(v),
		.policy = v->policy,
		.need = need,
		.elem_size = v->elem_size,
		.len = v->len,
		.old_cap = old_cap,
		.new_cap = v->cap,
		.footprint = vec_footprint(v),
		.moved = v->acct.moved_bytes - moved_before,
		.caller = ip,
	};

	if (make)
		trace_kvg_vec_make(&ev);
	else if (v->cap > old_cap)
		trace_kvg_vec_grow(&ev);
	else
		trace_kvg_vec_shrink(&ev);
}

/* vec_resize() for @need elements, and its trace event. */
static int resize(struct kvg_vec *v, size_t cap, size_t need,
		  unsigned long ip)
{
	size_t old_cap = v->cap;
	u64 moved = v->acct.moved_bytes;
	int err = vec_resize(v, cap);

	if (!err)
		trace_resize(v, old_cap, need, false, moved, ip);
	return err;
}

/**
 * kvg_vec_init_raw() - Initialise an empty vector.
 * @v: The vector; overwritten, so it must not be live.
 * @elem_size: Element size in bytes, 1 to KVG_MAX_BYTES.
 * @policy: Growth policy.
 * @gfp: Allocation flags of every allocation the vector makes.
 *
 * Nothing is allocated until the first element is added.  The vector gets
 * a new id, which its tracepoints report.  Used through
 * kvg_vec_init(), kvg_vec_init_policy() and kvg_vec_make().
 *
 * Context: Any context.
 * Return: 0; -EINVAL for a zero or too big @elem_size or an invalid
 * @policy (@v not written).
 */
int kvg_vec_init_raw(struct kvg_vec *v, size_t elem_size,
		     struct kvg_policy policy, gfp_t gfp)
{
	if (!elem_size || elem_size > KVG_MAX_BYTES || !kvg_policy_valid(policy))
		return -EINVAL;
	*v = (struct kvg_vec){
		.elem_size = elem_size,
		.gfp = gfp,
		.policy = policy,
		.id = (u32)atomic64_inc_return(&vec_ids),
	};
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_init_raw);

/* kvg_vec_make_raw() for the library's caller @ip, which its trace reports. */
static int make(struct kvg_vec *v, size_t elem_size, struct kvg_policy policy,
		size_t hint, gfp_t gfp, bool pages, unsigned long ip)
{
	struct kvg_vec tmp;
	size_t cap;
	int err;

	err = kvg_vec_init_raw(&tmp, elem_size, policy, gfp);
	tmp.no_pages = !pages;
	if (!err)
		err = vec_policy_fit(&tmp, hint, &cap);
	if (!err && cap)
		err = vec_resize(&tmp, cap);
	if (err)
		return err;
	*v = tmp;
	if (cap)
		trace_resize(v, 0, hint, true, 0, ip);
	return 0;
}

/**
 * kvg_vec_make_raw() - Initialise a vector with room for @hint elements.
 * @v: The vector; overwritten, so it must not be live.
 * @elem_size: Element size in bytes, 1 to KVG_MAX_BYTES.
 * @policy: Growth policy.
 * @hint: Elements to make room for: Go's make([]T, 0, hint).  The capacity
 *        is kvg_policy_fit() of it (kvg_policy_fit_pages() where @v may use
 *        the page backend); 0 allocates nothing.
 * @gfp: Allocation flags of every allocation the vector makes.
 *
 * Context: May sleep if @gfp permits.
 * Return: 0; -EINVAL as kvg_vec_init_raw(); -EOVERFLOW or -E2BIG if @hint
 * elements overflow size_t or need more than KVG_MAX_BYTES; -ENOMEM.  On
 * an error @v is not written.
 */
int kvg_vec_make_raw(struct kvg_vec *v, size_t elem_size,
		     struct kvg_policy policy, size_t hint, gfp_t gfp)
{
	return make(v, elem_size, policy, hint, gfp, true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kvg_vec_make_raw);

/**
 * kvg_vec_make_site() - Kvg_vec_make_raw(), recording where the vector is made
 * @v: the vector to initialise
 * @elem_size: bytes per element
 * @policy: the growth policy
 * @hint: room for this many elements (Go's make([]T, 0, hint))
 * @gfp: allocation flags for every block of @v
 * @site: the creating call site, shown by kvgrow.ko (KVG_SITE()), or NULL
 *
 * The typed kvg_vec_make() and kvg_vec_init() pass their caller's site.
 *
 * Context: as the allocation @gfp allows.
 * Return: as kvg_vec_make_raw().
 */
int kvg_vec_make_site(struct kvg_vec *v, size_t elem_size,
		      struct kvg_policy policy, size_t hint, gfp_t gfp,
		      const struct kvg_site *site)
{
	int err = make(v, elem_size, policy, hint, gfp, true, _RET_IP_);

	if (!err)
		v->site = site;
	return err;
}
EXPORT_SYMBOL_GPL(kvg_vec_make_site);

/**
 * kvg_vec_make_pages_site() - Kvg_vec_make_site(), choosing the page backend
 * @v: the vector to initialise
 * @elem_size: bytes per element
 * @policy: the growth policy
 * @hint: room for this many elements (Go's make([]T, 0, hint))
 * @gfp: allocation flags for every block of @v
 * @pages: whether @v may use the page backend (kvg_vec_set_pages_raw()),
 *         decided before the hint's block is allocated
 * @site: the creating call site, shown by kvgrow.ko (KVG_SITE()), or NULL
 *
 * kvgrow_lab's control file makes its vectors with @pages false, on
 * kvmalloc() blocks, as kvgrow-sim vec --no-pages does.
 *
 * Context: as the allocation @gfp allows.
 * Return: as kvg_vec_make_raw().
 */
int kvg_vec_make_pages_site(struct kvg_vec *v, size_t elem_size,
			    struct kvg_policy policy, size_t hint, gfp_t gfp,
			    bool pages, const struct kvg_site *site)
{
	int err = make(v, elem_size, policy, hint, gfp, pages, _RET_IP_);

	if (!err)
		v->site = site;
	return err;
}
EXPORT_SYMBOL_GPL(kvg_vec_make_pages_site);

static int reserve(struct kvg_vec *v, size_t more, unsigned long ip)
{
	size_t needed, cap;
	int err;

	if (unlikely(!v->elem_size))
		return -EINVAL;
	if (check_add_overflow(v->len, more, &needed))
		return -EOVERFLOW;
	if (needed <= v->cap)
		return 0;
	err = vec_policy_grow(v, v->cap, needed, &cap);
	if (err)
		return err;
	return resize(v, cap, needed, ip);
}

/**
 * kvg_vec_reserve_raw() - Make room for @more elements past the length.
 * @v: The vector.
 * @more: Elements to make room for.
 *
 * If the capacity is short, the vector grows to what its policy gives for
 * len + @more (kvg_policy_grow()); the block may move.
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0; -EINVAL on a dead vector; -EOVERFLOW if len + @more, or the
 * bytes of that many elements, overflow size_t; -E2BIG if they need more
 * than KVG_MAX_BYTES; -ENOMEM.  On an error @v is unchanged.
 */
int kvg_vec_reserve_raw(struct kvg_vec *v, size_t more)
{
	return reserve(v, more, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kvg_vec_reserve_raw);

/*
 * Insert @n elements from @src at @idx.  @src may lie inside the vector's
 * own elements, as in Go's append(s, s[a:b]...): the result is that of a
 * copy of the source as it was before the call.  Such a source is kept as
 * a byte offset, since the reserve may move the block; after the shift,
 * the part of it before the insertion point is where it was, the rest @n
 * elements further up.  A source elsewhere in the block, past len, is
 * refused.  No copy is made either way.
 */
static int insert(struct kvg_vec *v, size_t idx, const void *src, size_t n,
		  unsigned long ip)
{
	size_t es = v->elem_size, live = v->len * es, off, at, nb, before;
	bool self;
	char *d;
	int err;

	if (unlikely(!es) || idx > v->len || (n && !src))
		return -EINVAL;
	if (n > SIZE_MAX - v->len)
		return -EOVERFLOW;
	/* One unsigned compare: below the block wraps around to huge. */
	off = (unsigned long)src - (unsigned long)v->data;
	self = n && v->data && off < v->cap * es;
	if (self && (off >= live || n > (live - off) / es))
		return -EINVAL;
	err = reserve(v, n, ip);
	if (err)
		return err;
	if (!n)
		return 0;
	d = v->data;
	at = idx * es;
	nb = n * es;
	memmove(d + at + nb, d + at, live - at);
	if (!self) {
		memcpy(d + at, src, nb);
	} else {
		before = off < at ? min(nb, at - off) : 0;
		memcpy(d + at, d + off, before);
		memcpy(d + at + before, d + off + before + nb, nb - before);
	}
	v->len += n;
	return 0;
}

/**
 * kvg_vec_insert_raw() - Insert @n elements at @idx.
 * @v: The vector.
 * @idx: Where the first goes, 0 to len; the elements from @idx move up.
 * @src: The @n elements: outside @v's block, or a range of @v's own live
 *       elements (the result is that of inserting a copy of them, as Go's
 *       append(s, s[a:b]...) gives); may be NULL if @n is 0.
 * @n: How many.
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0; -EINVAL on a dead vector, an @idx past len, a NULL @src with
 * @n above 0, or a @src inside @v's block that is not a range of its live
 * elements; -EOVERFLOW when len + @n overflows; the errors of
 * kvg_vec_reserve_raw() for @n.  On an error @v is unchanged.
 */
int kvg_vec_insert_raw(struct kvg_vec *v, size_t idx, const void *src,
		       size_t n)
{
	return insert(v, idx, src, n, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kvg_vec_insert_raw);

/**
 * kvg_vec_append_raw() - Append @n elements: Go's append(s, src[:n]...).
 * @v: The vector.
 * @src: The @n elements, as for kvg_vec_insert_raw(): a range of @v's
 *       own live elements is allowed; may be NULL if @n is 0.
 * @n: How many.
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0, or the errors of kvg_vec_insert_raw() at len.  On an error
 * @v is unchanged.
 */
int kvg_vec_append_raw(struct kvg_vec *v, const void *src, size_t n)
{
	return insert(v, v->len, src, n, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kvg_vec_append_raw);

/**
 * kvg_vec_extend_raw() - Append @n zeroed elements.
 * @v: The vector.
 * @n: How many: Go's append(s, make([]T, n)...).
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0, or the errors of kvg_vec_reserve_raw().  On an error @v is
 * unchanged.
 */
int kvg_vec_extend_raw(struct kvg_vec *v, size_t n)
{
	int err = reserve(v, n, _RET_IP_);

	/* Nothing to zero: a vector without a block has no element 0. */
	if (err || !n)
		return err;
	memset(elem(v, v->len), 0, n * v->elem_size);
	v->len += n;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_extend_raw);

/**
 * kvg_vec_remove_raw() - Remove the elements [@idx, @idx + @n), in order.
 * @v: The vector.
 * @idx: The first to remove.
 * @n: How many; the elements after them move down.
 *
 * The capacity is kept: kvg_vec_clip() gives memory back.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0; -EINVAL on a dead vector or a range not within len (@v
 * unchanged).
 */
int kvg_vec_remove_raw(struct kvg_vec *v, size_t idx, size_t n)
{
	if (unlikely(!v->elem_size) || idx > v->len || n > v->len - idx)
		return -EINVAL;
	if (!n)		/* data may be NULL: no pointer arithmetic on it */
		return 0;
	memmove(elem(v, idx), elem(v, idx + n),
		(v->len - idx - n) * v->elem_size);
	v->len -= n;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_remove_raw);

/**
 * kvg_vec_swap_remove_raw() - Remove one element in O(1), out of order.
 * @v: The vector.
 * @idx: The element to remove; the last one takes its place.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0; -EINVAL on a dead vector or an @idx not below len (@v
 * unchanged).
 */
int kvg_vec_swap_remove_raw(struct kvg_vec *v, size_t idx)
{
	if (unlikely(!v->elem_size) || idx >= v->len)
		return -EINVAL;
	v->len--;
	if (idx != v->len)
		memcpy(elem(v, idx), elem(v, v->len), v->elem_size);
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_swap_remove_raw);

/**
 * kvg_vec_pop_raw() - Remove the last element.
 * @v: The vector.
 * @out: Where to copy it, elem_size bytes.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0; -EINVAL on a dead vector or a NULL @out; -ENOENT if @v is
 * empty.  On an error @v and *@out are unchanged.
 */
int kvg_vec_pop_raw(struct kvg_vec *v, void *out)
{
	if (unlikely(!v->elem_size) || !out)
		return -EINVAL;
	if (!v->len)
		return -ENOENT;
	v->len--;
	memcpy(out, elem(v, v->len), v->elem_size);
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_pop_raw);

/**
 * kvg_vec_truncate_raw() - Shorten a vector: Go's s = s[:len].
 * @v: The vector.
 * @len: The new length, not above the current one.
 *
 * The capacity is kept: kvg_vec_clip() gives memory back.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0; -EINVAL on a dead vector or a @len above the length (@v
 * unchanged).
 */
int kvg_vec_truncate_raw(struct kvg_vec *v, size_t len)
{
	if (unlikely(!v->elem_size) || len > v->len)
		return -EINVAL;
	v->len = len;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_truncate_raw);

/**
 * kvg_vec_clip_raw() - Give back the capacity beyond the length.
 * @v: The vector.
 *
 * The capacity becomes what kvg_policy_fit() gives for len: len itself, or
 * for kvg the allocator's rounding of it.  An empty vector frees its block.
 *
 * Context: May sleep if @v's gfp flags permit.  The caller serialises all
 * calls on @v.
 * Return: 0; -EINVAL on a dead vector; -ENOMEM (@v unchanged).
 */
int kvg_vec_clip_raw(struct kvg_vec *v)
{
	size_t cap;
	int err;

	if (unlikely(!v->elem_size))
		return -EINVAL;
	err = vec_policy_fit(v, v->len, &cap);
	if (err || cap >= v->cap)
		return err;
	return resize(v, cap, v->len, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kvg_vec_clip_raw);

/**
 * kvg_vec_clone_range_raw() - Copy src[start:end] into a new vector.
 * @dst: Initialised here; overwritten, so it must not be live.
 * @src: The source, unchanged.
 * @start: The first element.
 * @end: One past the last element.
 * @gfp: Allocation flags of the new vector.
 *
 * The new vector has @src's policy and page-backend choice, and a capacity
 * that fits the range, so a small piece of a big vector no longer pins the
 * big block: Go's
 * append([]T(nil), s[start:end]...).
 *
 * Context: May sleep if @gfp permits.  The caller serialises this call with
 * the changes of @src.
 * Return: 0; -EINVAL for a dead @src or a range not within its length;
 * -ENOMEM.  On an error @dst is not written.
 */
int kvg_vec_clone_range_raw(struct kvg_vec *dst, const struct kvg_vec *src,
			    size_t start, size_t end, gfp_t gfp)
{
	struct kvg_vec tmp;
	int err;

	if (unlikely(!src->elem_size) || start > end || end > src->len)
		return -EINVAL;
	err = make(&tmp, src->elem_size, src->policy, end - start, gfp,
		   !src->no_pages, _RET_IP_);
	if (err)
		return err;
	if (end > start)
		memcpy(tmp.data, elem(src, start), (end - start) * src->elem_size);
	tmp.len = end - start;
	*dst = tmp;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_clone_range_raw);

/**
 * kvg_vec_free_raw() - Free a vector's block.
 * @v: The vector, dead afterwards until initialised again; a no-op on a
 *     dead vector.  A vector registered with kvgrow.ko leaves the registry
 *     first, and one in a group leaves the group.
 *
 * Context: Process context.  May sleep: kvfree() of a vmalloc block, and
 * leaving the registry, which takes its mutex and waits for the debugfs
 * readers of @v to finish.  The caller serialises all calls on @v.
 */
void kvg_vec_free_raw(struct kvg_vec *v)
{
	struct kvg_vec_free_event ev = {
		.vec = v,
		.id = v->id,
		.pages = vec_may_page(v),
		.policy = v->policy,
		.elem_size = v->elem_size,
		.len = v->len,
		.cap = v->cap,
		.footprint = vec_footprint(v),
		.peak = v->acct.peak_footprint,
		.grows = v->acct.grows,
		.shrinks = v->acct.shrinks,
		.moved = v->acct.moved_bytes,
		.caller = _RET_IP_,
	};

	might_sleep();
	if (v->elem_size)
		trace_kvg_vec_free(&ev);
	kvg_observer_release(v->observer, v);
	kvg_group_leave(v->group, vec_footprint(v));
	if (v->backend == KVG_BACKEND_PAGES)
		kvg_pages_release(v->data, vec_pages(v, v->cap), 0);
	else
		kvg_mem_free(v->data);
	*v = (struct kvg_vec){ };
}
EXPORT_SYMBOL_GPL(kvg_vec_free_raw);

/**
 * kvg_vec_join_group_raw() - Account a vector in a group until it is freed.
 * @v: A live vector, in no group and not registered by name.
 * @g: The group, which must outlive @v's membership.
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0, -EINVAL for a dead vector, -EBUSY if @v is in a group already
 * or has an observer, as a vector registered with kvgrow.ko under a name
 * has (it would be counted twice).
 */
int kvg_vec_join_group_raw(struct kvg_vec *v, struct kvg_group *g)
{
	if (unlikely(!v->elem_size))
		return -EINVAL;
	if (v->group || v->observer)
		return -EBUSY;
	v->group = g;
	kvg_group_join(g, vec_footprint(v));
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_join_group_raw);

/**
 * kvg_vec_snapshot_raw() - Copy a vector's figures, consistently.
 * @v: The vector; it must not be freed meanwhile.
 * @st: Where to write them.
 *
 * Safe against the owner changing @v meanwhile: resizes commit inside the
 * seqcount's write section, and len, which appends change without entering
 * it, is read once and clamped to the cap it is shown with.
 *
 * Context: Any context that cannot interrupt a resize of @v on the same
 * CPU, such as process context: the read retries while a resize commits.
 * Takes no lock; needs no serialisation with the owner of @v.
 */
void kvg_vec_snapshot_raw(const struct kvg_vec *v, struct kvg_vec_stats *st)
{
	seqcount_t *seq = (seqcount_t *)&v->seq;
	unsigned int start;
	size_t len, fp;

	do {
		start = raw_read_seqcount_begin(seq);
		/* len changes outside the section: one word, read once. */
		len = min(READ_ONCE(v->len), v->cap);
		fp = vec_footprint(v);
		*st = (struct kvg_vec_stats){
			.len = len,
			.cap = v->cap,
			.elem_size = v->elem_size,
			.policy = v->policy,
			.backend = v->backend,
			.live_bytes = len * v->elem_size,
			.requested_bytes = v->cap * v->elem_size,
			.footprint_bytes = fp,
			.slack_bytes = fp - len * v->elem_size,
			.peak_footprint_bytes = v->acct.peak_footprint,
			.grows = v->acct.grows,
			.shrinks = v->acct.shrinks,
			.moved_bytes = v->acct.moved_bytes,
			.failed_allocs = v->acct.failed_allocs,
			.site = v->site,
			.remapped_pages = v->acct.remapped_pages,
		};
	} while (read_seqcount_retry(seq, start));
}
EXPORT_SYMBOL_GPL(kvg_vec_snapshot_raw);

/**
 * kvg_vec_predict_cap() - The capacity appends would reach, without allocating
 * @v: a live vector
 * @n: elements to append
 * @batch: appended this many at a time (the last batch may be shorter)
 * @max_cap: the most capacity the caller allows
 * @cap: where the capacity after the appends is stored
 *
 * Follows the growth steps of appending @n elements to @v, @batch per
 * kvg_vec_extend_raw() call, so that a caller can refuse a workload before
 * it starts.  It stops as soon as a step passes @max_cap, and its work is
 * bounded whatever the policy: the exact policy, whose every batch may
 * grow, is computed in one step; every other policy at least doubles while
 * small or multiplies by at least 1001/1000 (factor:1000/999, the slowest),
 * so a few tens of thousands of steps reach any capacity kvmalloc allows.
 *
 * Context: any; @v is only read.
 * Return: 0 with *@cap set; -EINVAL for a dead vector or a zero @batch;
 * -E2BIG when the capacity would pass @max_cap, or the policy cannot grow
 * that far (its own limits: KVG_MAX_BYTES).
 */
int kvg_vec_predict_cap(const struct kvg_vec *v, size_t n, size_t batch,
			size_t max_cap, size_t *cap)
{
	size_t len = v->len, c = v->cap, end, k;

	if (unlikely(!v->elem_size) || !batch)
		return -EINVAL;
	if (check_add_overflow(len, n, &end) || end > max_cap)
		return -E2BIG;
	/* Exact grows to what each batch needs: the last one decides. */
	if (v->policy.kind == KVG_POLICY_EXACT && end > c)
		len = end - 1;
	while (len < end) {
		k = min(batch, end - len);
		if (len + k > c &&
		    (vec_policy_grow(v, c, len + k, &c) ||
		     c > max_cap))
			return -E2BIG;
		len += k;
		/* Skip the batches that fit in this capacity. */
		if (len < end && c > len)
			len += min((c - len) / batch, (end - len) / batch) * batch;
	}
	*cap = c;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_predict_cap);

/**
 * kvg_vec_set_observer() - Have @obs told before @v is freed, or stop it
 * @v: a live vector
 * @obs: the observer (see <kvgrow/observer.h>), or NULL to clear it
 *
 * kvgrow.ko's registry uses it to take a vector out of debugfs before its
 * owner frees it.
 *
 * Context: any; serialised with @v's other calls by its owner.
 * Return: 0; -EINVAL for a dead vector; -EBUSY when @obs is not NULL and
 * @v has an observer already or is in a group (a member's figures are its
 * group's).
 */
int kvg_vec_set_observer(struct kvg_vec *v, struct kvg_observer *obs)
{
	if (unlikely(!v->elem_size))
		return -EINVAL;
	if (obs && (v->observer || v->group))
		return -EBUSY;
	v->observer = obs;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_set_observer);

/**
 * kvg_vec_set_pages_raw() - Allow or forbid the page backend for a vector
 * @v: a live vector
 * @allow: true (the default) to let @v keep a capacity of
 *         KVG_PAGES_MIN_BYTES or more in pages of its own, remapped on
 *         growth; false to keep it on kvmalloc() blocks, copied on growth
 *
 * A vector whose gfp flags do not allow the page backend (see
 * lib/vec_pages.c: no sleeping, no I/O or FS reclaim, or __GFP_NOFAIL)
 * never uses it, whatever @allow says.  With it, the kvg policy grows by
 * smaller steps above KVG_PAGES_MIN_BYTES (kvg_policy_grow_pages()).
 *
 * Context: Any context.  The caller serialises all calls on @v.
 * Return: 0; -EINVAL for a dead vector; -EBUSY when forbidding it while
 * @v is page-backed (clip or free it first).
 */
int kvg_vec_set_pages_raw(struct kvg_vec *v, bool allow)
{
	if (unlikely(!v->elem_size))
		return -EINVAL;
	if (!allow && v->backend == KVG_BACKEND_PAGES)
		return -EBUSY;
	v->no_pages = !allow;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_vec_set_pages_raw);
