// SPDX-License-Identifier: GPL-2.0
/*
 * The C impl families, one per binary, chosen with -DIMPL_KVGROW (plus
 * -DKVGROW_GO119 for Go 1.19's map engine), -DIMPL_KLIB, -DIMPL_GLIB or
 * -DIMPL_STB: each maps the adapter interface of workloads.h onto its
 * library, the way that library is meant to be used for 64-bit integer
 * keys and values.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdlib.h>
#include "bench.h"

#if defined(IMPL_KVGROW)
#include <linux/slab.h>
#include <kvgrow/vec.h>
#include <kvgrow/map.h>

/*
 * kvgrow as a kernel user would use it.  "moved" is what the shim
 * allocator memcpy'd; blocks above 4 MiB grow by realloc(), which remaps.
 *
 * The map engine, chosen here and nowhere else: bench-kvgrow runs the
 * default engine (the Swiss tables, no flag) and the vectors;
 * bench-kvgrow_go119 (-DKVGROW_GO119) runs Go 1.19's hmap engine
 * (KVG_MAP_GO119) and no vectors.
 */
#ifdef KVGROW_GO119
#define MAP_NAME	"kvgrow_go119"
#define MAP_FLAGS	KVG_MAP_GO119
#else
#define VEC_NAME	"kvgrow"
#define MAP_NAME	"kvgrow"
#define MAP_FLAGS	0
#endif

typedef struct kvg_map map_t;

#ifdef VEC_NAME
typedef KVG_VEC(u64) vec_t;

static void vec_init(vec_t *v, uint64_t hint)
{
	if (kvg_vec_make(v, KVG_POLICY(KVG), hint, GFP_KERNEL))
		abort();
}

static inline void vec_push(vec_t *v, uint64_t x)
{
	if (unlikely(kvg_vec_push(v, x)))
		abort();
}

static uint64_t vec_len(vec_t *v)
{
	return v->len;
}

static uint64_t vec_at(vec_t *v, uint64_t i)
{
	return v->data[i];
}

static void vec_stats(vec_t *v, uint64_t *grows, uint64_t *moved,
		      uint64_t *buf)
{
	struct shim_alloc_stats sa;
	struct kvg_vec_stats st;

	kvg_vec_snapshot(v, &st);
	shim_alloc_stats(&sa);
	*grows = st.grows;
	*moved = sa.copied_bytes + bench_realloc_copied();
	*buf = st.footprint_bytes;
}

static void vec_free(vec_t *v)
{
	struct shim_alloc_stats sa;
	struct kvg_vec_stats st;

	kvg_vec_snapshot(v, &st);
	shim_alloc_stats(&sa);
	bench_extra("remapped=%llu kvg_moved=%llu peak_footprint_kb=%zu",
		    sa.remapped, st.moved_bytes,
		    st.peak_footprint_bytes / 1024);
	kvg_vec_free(v);
}
#endif

static void map_init(map_t *m, uint64_t hint)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64),
		.val_size = sizeof(u64),
		.hint = hint,
		.gfp = GFP_KERNEL,
		.flags = MAP_FLAGS,
	};

	if (kvg_map_init(m, &cfg))
		abort();
}

static inline void map_set(map_t *m, uint64_t k, uint64_t v)
{
	u64 key = k, val = v;

	if (unlikely(kvg_map_set(m, &key, &val)))
		abort();
}

static inline bool map_get(map_t *m, uint64_t k, uint64_t *v)
{
	u64 key = k, *p = kvg_map_get(m, &key);

	if (!p)
		return false;
	*v = *p;
	return true;
}

static inline bool map_del(map_t *m, uint64_t k)
{
	u64 key = k;

	return kvg_map_delete(m, &key);
}

static uint64_t map_count(map_t *m)
{
	return kvg_map_count(m);
}

static int64_t map_cap(map_t *m)
{
	struct kvg_map_stats st;

	kvg_map_snapshot(m, &st);
	return st.swiss ? st.slots : st.buckets * KVG_MAP_SLOTS;
}

static int64_t map_grows(map_t *m)
{
	struct kvg_map_stats st;

	kvg_map_snapshot(m, &st);
	return st.grows + st.same_size_grows;
}

static void map_free(map_t *m)
{
	kvg_map_destroy(m);
}

#elif defined(IMPL_KLIB)
#include <bwa/kvec.h>
#include <htslib/khash.h>

#define VEC_NAME	"klib_kvec"
#define MAP_NAME	"klib_khash"

typedef kvec_t(uint64_t) vec_t;
KHASH_MAP_INIT_INT64(u64, uint64_t)
typedef khash_t(u64) *map_t;

static void vec_init(vec_t *v, uint64_t hint)
{
	kv_init(*v);
	if (hint)
		kv_resize(uint64_t, *v, hint);
}

static inline void vec_push(vec_t *v, uint64_t x)
{
	kv_push(uint64_t, *v, x);
}

static uint64_t vec_len(vec_t *v)
{
	return kv_size(*v);
}

static uint64_t vec_at(vec_t *v, uint64_t i)
{
	return kv_A(*v, i);
}

static void vec_stats(vec_t *v, uint64_t *grows, uint64_t *moved,
		      uint64_t *buf)
{
	*grows = bench_reallocs();
	*moved = bench_realloc_copied();
	*buf = malloc_usable_size(v->a);
}

static void vec_free(vec_t *v)
{
	kv_destroy(*v);
}

static void map_init(map_t *m, uint64_t hint)
{
	*m = kh_init(u64);
	/* khash resizes at 0.77 full: room for @hint keys. */
	if (!*m || (hint && kh_resize(u64, *m, hint / 0.77 + 1) < 0))
		abort();
}

static inline void map_set(map_t *m, uint64_t k, uint64_t v)
{
	int ret;
	khint_t i = kh_put(u64, *m, k, &ret);

	if (ret < 0)
		abort();
	kh_val(*m, i) = v;
}

static inline bool map_get(map_t *m, uint64_t k, uint64_t *v)
{
	khint_t i = kh_get(u64, *m, k);

	if (i == kh_end(*m))
		return false;
	*v = kh_val(*m, i);
	return true;
}

static inline bool map_del(map_t *m, uint64_t k)
{
	khint_t i = kh_get(u64, *m, k);

	if (i == kh_end(*m))
		return false;
	kh_del(u64, *m, i);
	return true;
}

static uint64_t map_count(map_t *m)
{
	return kh_size(*m);
}

static int64_t map_cap(map_t *m)
{
	return kh_n_buckets(*m);
}

static int64_t map_grows(map_t *m)
{
	return -1;
}

static void map_free(map_t *m)
{
	kh_destroy(u64, *m);
}

#elif defined(IMPL_GLIB)
#include <glib.h>

/*
 * GHashTable keeps 64-bit keys and values in its pointers (never NULL
 * here), hashed by g_direct_hash and compared directly: no allocation per
 * entry.  It has no size hint.
 */
#define VEC_NAME	"glib_GArray"
#define MAP_NAME	"glib_GHashTable"
#define MAP_NO_HINT

typedef GArray *vec_t;
typedef GHashTable *map_t;

static void vec_init(vec_t *v, uint64_t hint)
{
	*v = g_array_sized_new(FALSE, FALSE, sizeof(guint64), hint);
}

static inline void vec_push(vec_t *v, uint64_t x)
{
	guint64 e = x;

	g_array_append_val(*v, e);
}

static uint64_t vec_len(vec_t *v)
{
	return (*v)->len;
}

static uint64_t vec_at(vec_t *v, uint64_t i)
{
	return g_array_index(*v, guint64, i);
}

static void vec_stats(vec_t *v, uint64_t *grows, uint64_t *moved,
		      uint64_t *buf)
{
	*grows = bench_reallocs();
	*moved = bench_realloc_copied();
	*buf = malloc_usable_size((*v)->data);
}

static void vec_free(vec_t *v)
{
	g_array_free(*v, TRUE);
}

static void map_init(map_t *m, uint64_t hint)
{
	*m = g_hash_table_new(g_direct_hash, NULL);
}

static inline void map_set(map_t *m, uint64_t k, uint64_t v)
{
	g_hash_table_insert(*m, GSIZE_TO_POINTER(k), GSIZE_TO_POINTER(v));
}

static inline bool map_get(map_t *m, uint64_t k, uint64_t *v)
{
	gpointer p = g_hash_table_lookup(*m, GSIZE_TO_POINTER(k));

	*v = GPOINTER_TO_SIZE(p);
	return p;
}

static inline bool map_del(map_t *m, uint64_t k)
{
	return g_hash_table_remove(*m, GSIZE_TO_POINTER(k));
}

static uint64_t map_count(map_t *m)
{
	return g_hash_table_size(*m);
}

static int64_t map_cap(map_t *m)
{
	return -1;
}

static int64_t map_grows(map_t *m)
{
	return -1;
}

static void map_free(map_t *m)
{
	g_hash_table_destroy(*m);
}

#elif defined(IMPL_STB)
#define STB_DS_IMPLEMENTATION
#include <stb/stb_ds.h>

/* stb_ds's hash map has no size hint. */
#define VEC_NAME	"stb_ds_arr"
#define MAP_NAME	"stb_ds_hm"
#define MAP_NO_HINT

typedef struct {
	uint64_t *a;
} vec_t;

struct stb_kv {
	uint64_t key;
	uint64_t value;
};

typedef struct {
	struct stb_kv *h;
} map_t;

static void vec_init(vec_t *v, uint64_t hint)
{
	v->a = NULL;
	if (hint)
		arrsetcap(v->a, hint);
}

static inline void vec_push(vec_t *v, uint64_t x)
{
	arrput(v->a, x);
}

static uint64_t vec_len(vec_t *v)
{
	return arrlenu(v->a);
}

static uint64_t vec_at(vec_t *v, uint64_t i)
{
	return v->a[i];
}

static void vec_stats(vec_t *v, uint64_t *grows, uint64_t *moved,
		      uint64_t *buf)
{
	*grows = bench_reallocs();
	*moved = bench_realloc_copied();
	*buf = v->a ? malloc_usable_size(stbds_header(v->a)) : 0;
}

static void vec_free(vec_t *v)
{
	arrfree(v->a);
}

static void map_init(map_t *m, uint64_t hint)
{
	m->h = NULL;
}

static inline void map_set(map_t *m, uint64_t k, uint64_t v)
{
	hmput(m->h, k, v);
}

static inline bool map_get(map_t *m, uint64_t k, uint64_t *v)
{
	ptrdiff_t i = hmgeti(m->h, k);

	if (i < 0)
		return false;
	*v = m->h[i].value;
	return true;
}

static inline bool map_del(map_t *m, uint64_t k)
{
	return hmdel(m->h, k);
}

static uint64_t map_count(map_t *m)
{
	return hmlenu(m->h);
}

/* A hash map's array starts one element early, with the default value. */
static int64_t map_cap(map_t *m)
{
	stbds_hash_index *index;

	if (!m->h)
		return 0;
	index = stbds_header(m->h - 1)->hash_table;
	return index ? (int64_t)index->slot_count : 0;
}

static int64_t map_grows(map_t *m)
{
	return -1;
}

static void map_free(map_t *m)
{
	hmfree(m->h);
}

#else
#error "define one of IMPL_KVGROW, IMPL_KLIB, IMPL_GLIB, IMPL_STB"
#endif

#include "workloads.h"
