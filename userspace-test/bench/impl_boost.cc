// SPDX-License-Identifier: GPL-2.0
/* boost::unordered_flat_map<uint64_t, uint64_t>, with its default hash. */
#include <cstdint>
#include <boost/unordered/unordered_flat_map.hpp>

#define MAP_NAME	"boost_unordered_flat_map"
typedef boost::unordered_flat_map<uint64_t, uint64_t> cxx_map_t;

#include "impl_cxx.h"
