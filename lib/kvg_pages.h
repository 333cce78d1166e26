/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page backend of vectors (lib/vec_pages.c), inside the library: a
 * two-step change, so that lib/vec.c can keep a vector unchanged on any
 * failure.  kvg_pages_map() allocates and maps without touching the old
 * view; kvg_pages_release() then frees the old view and the pages the new
 * one does not keep.
 */
#ifndef _KVGROW_PAGES_H
#define _KVGROW_PAGES_H

#include <linux/types.h>

bool kvg_pages_allowed(gfp_t gfp);
size_t kvg_pages_array_bytes(size_t nr);
int kvg_pages_map(void *old_view, size_t old_nr, size_t nr, gfp_t gfp,
		  void **view);
void kvg_pages_release(void *view, size_t nr, size_t keep);

#endif /* _KVGROW_PAGES_H */
