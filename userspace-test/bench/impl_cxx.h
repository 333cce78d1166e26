/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The adapter of workloads.h for a C++ flat hash map with the standard
 * unordered-map interface (absl::flat_hash_map, boost::unordered_flat_map),
 * used as its library means: default hash, operator[] to insert, find,
 * erase, reserve() for a hint.  Before including it, define MAP_NAME and
 * typedef the map type as cxx_map_t.
 */
#include <cstdlib>
#include "bench.h"

typedef cxx_map_t *map_t;

static void map_init(map_t *m, uint64_t hint)
{
	*m = new cxx_map_t();
	if (hint)
		(*m)->reserve(hint);
}

static inline void map_set(map_t *m, uint64_t k, uint64_t v)
{
	(**m)[k] = v;
}

static inline bool map_get(map_t *m, uint64_t k, uint64_t *v)
{
	auto it = (*m)->find(k);

	if (it == (*m)->end())
		return false;
	*v = it->second;
	return true;
}

static inline bool map_del(map_t *m, uint64_t k)
{
	return (*m)->erase(k);
}

static uint64_t map_count(map_t *m)
{
	return (*m)->size();
}

/* Slots: both tables' bucket_count() is their capacity. */
static int64_t map_cap(map_t *m)
{
	return (*m)->bucket_count();
}

static int64_t map_grows(map_t *m)
{
	return -1;
}

static void map_free(map_t *m)
{
	delete *m;
}

#include "workloads.h"
