# SPDX-License-Identifier: GPL-2.0
#
# Compiler flags for every kvgrow kbuild makefile; set kvg-root (the
# repository's root, absolute) before including this file.
#
# kvrealloc() lost its oldsize argument in 6.12: scripts/kvrealloc-probe.sh
# reads <linux/slab.h>.
kvg-kvrealloc := $(shell $(CONFIG_SHELL) $(kvg-root)/scripts/kvrealloc-probe.sh \
	$(srctree))
ifeq ($(kvg-kvrealloc),)
$(error kvgrow: scripts/kvrealloc-probe.sh found no $(srctree)/include/linux/slab.h)
endif

# lib/ for the trace header's TRACE_INCLUDE_PATH.
ccflags-y += -I$(kvg-root)/include -I$(kvg-root)/lib
ccflags-$(if $(filter oldsize,$(kvg-kvrealloc)),y) += -DKVG_KVREALLOC_OLDSIZE
