// SPDX-License-Identifier: GPL-2.0
/* absl::flat_hash_map<uint64_t, uint64_t>, with its default hash. */
#include <cstdlib>
#include <absl/container/flat_hash_map.h>
#include "bench.h"

#define MAP_NAME	"absl_flat_hash_map"

typedef absl::flat_hash_map<uint64_t, uint64_t> *map_t;

static void map_init(map_t *m, uint64_t hint)
{
	*m = new absl::flat_hash_map<uint64_t, uint64_t>();
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
