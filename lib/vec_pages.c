// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow vectors' page backend (KVG_BACKEND_PAGES): a vector with a
 * capacity of KVG_PAGES_MIN_BYTES or more owns its pages, and its data is
 * a vmap()ed view of them.  Growing allocates only the missing pages and
 * maps old and new ones at a new address; the old view is unmapped.  No
 * data byte is copied: page table entries are written instead (one per
 * page, against 4 KiB copied).  Shrinking maps the pages kept and frees
 * the rest.  vmap(), vunmap(), vmalloc_to_page(), alloc_page() and
 * __free_page() are exported by both supported kernels (6.1 and 6.12).
 *
 * The vector keeps no page array: its pages are those of its view, found
 * with vmalloc_to_page() when a remap needs their list.  That list is a
 * kvmalloc() block that lives only during the remap, so the footprint is
 * the pages alone and the peak counts the list too.  (A kept array would
 * also need a pointer in struct kvg_vec, which must stay within 128 bytes
 * to fit a kvgrow map's inline values, as in Go's map[K][]V.)
 *
 * Where it is not used (kvg_pages_allowed()): a gfp that may not sleep,
 * as vmap() and vunmap() may; a gfp without __GFP_IO or __GFP_FS, since
 * vmap() allocates page tables with GFP_KERNEL whatever the caller's flags
 * (6.1's kvmalloc() refuses vmalloc for the same reason); and
 * __GFP_NOFAIL, which vmap() cannot honour.  Those vectors, and those
 * kvg_vec_set_pages_raw() opted out, stay on kvmalloc() blocks.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <kvgrow/policy.h>
#include "kvg_mem.h"
#include "kvg_pages.h"

bool kvg_pages_allowed(gfp_t gfp)
{
	return gfpflags_allow_blocking(gfp) &&
	       (gfp & GFP_KERNEL) == GFP_KERNEL && !(gfp & __GFP_NOFAIL);
}

/* What the page list of a remap to @nr pages takes while it lives. */
size_t kvg_pages_array_bytes(size_t nr)
{
	return kvg_kvmalloc_roundup(nr * sizeof(struct page *));
}

/*
 * Map @nr pages (not 0) at a new *@view: the first min(@old_nr, @nr) are
 * those of @old_view (@old_nr pages, or NULL and 0), the rest new.  The
 * old view stays as it was.  The allocation points, each failable by
 * kvgrow's fault injection: the page list, each new page, the vmap().
 *
 * Return: 0, or -ENOMEM with everything allocated here freed again.
 */
int kvg_pages_map(void *old_view, size_t old_nr, size_t nr, gfp_t gfp,
		  void **view)
{
	size_t keep = min(old_nr, nr), i;
	struct page **list;
	void *p = NULL;

	list = kvg_mem_alloc(nr * sizeof(*list), gfp);
	if (!list)
		return -ENOMEM;
	for (i = 0; i < keep; i++)
		list[i] = vmalloc_to_page((char *)old_view + i * PAGE_SIZE);
	for (; i < nr; i++) {
		list[i] = kvg_mem_page_alloc(gfp);
		if (!list[i])
			break;
	}
	if (i == nr)
		p = kvg_mem_vmap(list, nr);
	if (!p) {
		while (i-- > keep)
			kvg_mem_page_free(list[i]);
	}
	kvg_mem_free(list);
	if (!p)
		return -ENOMEM;
	*view = p;
	return 0;
}

/*
 * Free the pages of @view (@nr pages) past the first @keep, which another
 * view maps now, then unmap @view.  Cannot fail.
 */
void kvg_pages_release(void *view, size_t nr, size_t keep)
{
	size_t i;

	for (i = keep; i < nr; i++)
		kvg_mem_page_free(vmalloc_to_page((char *)view + i * PAGE_SIZE));
	kvg_mem_vunmap(view);
}
