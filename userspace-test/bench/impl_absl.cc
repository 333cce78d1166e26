// SPDX-License-Identifier: GPL-2.0
/* absl::flat_hash_map<uint64_t, uint64_t>, with its default hash. */
#include <cstdint>
#include <absl/container/flat_hash_map.h>

#define MAP_NAME	"absl_flat_hash_map"
typedef absl::flat_hash_map<uint64_t, uint64_t> cxx_map_t;

#include "impl_cxx.h"
