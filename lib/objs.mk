# SPDX-License-Identifier: GPL-2.0
#
# The library's objects, relative to lib/: the one list that Kbuild,
# kunit/Makefile, the top-level Makefile and the benchmarks build from.
# kvg-test-objs go only into the test builds (fault injection).
kvg-lib-objs := policy.o vec.o vec_pages.o map.o hmap.o hmap_iter.o \
		swiss_table.o swiss_dir.o \
		swiss_iter.o swiss_stats.o mem.o trace.o group.o stats.o name.o
kvg-test-objs := fault.o
