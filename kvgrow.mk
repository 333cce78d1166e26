# SPDX-License-Identifier: GPL-2.0
#
# Compiler flags for every kvgrow kbuild makefile; set kvg-root (the
# repository's root, absolute) before including this file.
#
# kvrealloc() lost its oldsize argument in 6.12: probe <linux/slab.h> for
# the old form (also covers 6.10/6.11 and distribution backports).
kvg-lparen := (
kvg-kvrealloc-oldsize := $(shell grep -Eqs \
	'kvrealloc(_noprof)?[$(kvg-lparen)]const void [*]p, size_t oldsize' \
	$(srctree)/include/linux/slab.h && echo y)

# lib/ for the trace header's TRACE_INCLUDE_PATH.
ccflags-y += -I$(kvg-root)/include -I$(kvg-root)/lib
ccflags-$(kvg-kvrealloc-oldsize) += -DKVG_KVREALLOC_OLDSIZE
