/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place kvgrow talks to the allocator: kvmalloc/kvrealloc/kvfree,
 * alloc_page/__free_page/vmap/vunmap for page-backed vectors, the
 * kvrealloc signature change of 6.12, and the test build's fault
 * injection hook.
 *
 * kvrealloc(p, oldsize, newsize, gfp) lost oldsize in 6.12.  The build
 * probes <linux/slab.h> for the old form and then defines
 * KVG_KVREALLOC_OLDSIZE (see Kbuild): a feature test rather than a version
 * test, so distribution backports are handled too.
 */
#ifndef _KVGROW_MEM_H
#define _KVGROW_MEM_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <kvgrow/vec.h>

#ifdef CONFIG_KVGROW_FAULT_INJECTION
bool kvg_fault_should_fail(void);
#else
static inline bool kvg_fault_should_fail(void) { return false; }
#endif

/* Blocks allocated through these wrappers and not yet freed: lib/mem.c. */
extern atomic_long_t kvg_mem_blocks;

/* @p, just allocated (or NULL), counted in kvg_mem_blocks. */
static inline void *kvg_mem_counted(void *p)
{
	if (p)
		atomic_long_inc(&kvg_mem_blocks);
	return p;
}

static inline void *kvg_mem_alloc(size_t bytes, gfp_t gfp)
{
	if (kvg_fault_should_fail())
		return NULL;
	return kvg_mem_counted(kvmalloc(bytes, gfp | __GFP_NOWARN));
}

/*
 * A block of at most 32 KiB that must come from the slab, never vmalloc (a
 * Swiss table): kvmalloc() would fall back to a vmalloc area whenever
 * kmalloc() fails, and a map of thousands of tables would then hold
 * thousands of them (and UML's lazy vunmap purge at the next module unload
 * walks the whole span between them).  Freed by kvg_mem_free().
 */
static inline void *kvg_mem_alloc_slab(size_t bytes, gfp_t gfp)
{
	if (kvg_fault_should_fail())
		return NULL;
	return kvg_mem_counted(kmalloc(bytes, gfp | __GFP_NOWARN));
}

/*
 * Grow @p (non-NULL) to @bytes, keeping its first @live bytes.  On failure
 * @p is untouched.  6.1 copies exactly @live bytes; 6.12 may grow in place.
 */
static inline void *kvg_mem_grow(void *p, size_t live, size_t bytes,
				 gfp_t gfp)
{
	if (kvg_fault_should_fail())
		return NULL;
#ifdef KVG_KVREALLOC_OLDSIZE
	return kvrealloc(p, live, bytes, gfp | __GFP_NOWARN);
#else
	return kvrealloc(p, bytes, gfp | __GFP_NOWARN);
#endif
}

static inline void kvg_mem_free(void *p)
{
	if (p)
		atomic_long_dec(&kvg_mem_blocks);
	kvfree(p);
}

/*
 * The page backend's allocation points: a page, and a view of pages (the
 * third, the page list of a remap, is a kvg_mem_alloc() block).  Each page
 * and each view counts as a live block, so a leaked one shows.
 */
static inline struct page *kvg_mem_page_alloc(gfp_t gfp)
{
	struct page *pg;

	if (kvg_fault_should_fail())
		return NULL;
	pg = alloc_page(gfp | __GFP_NOWARN);
	if (pg)
		atomic_long_inc(&kvg_mem_blocks);
	return pg;
}

static inline void kvg_mem_page_free(struct page *pg)
{
	atomic_long_dec(&kvg_mem_blocks);
	__free_page(pg);
}

static inline void *kvg_mem_vmap(struct page **pages, size_t nr)
{
	if (kvg_fault_should_fail())
		return NULL;
	return kvg_mem_counted(vmap(pages, nr, VM_MAP, PAGE_KERNEL));
}

static inline void kvg_mem_vunmap(void *p)
{
	atomic_long_dec(&kvg_mem_blocks);
	vunmap(p);
}

/* What the allocator reserved for a block of @bytes from @backend. */
static inline size_t kvg_mem_footprint(size_t bytes, enum kvg_backend backend)
{
	switch (backend) {
	case KVG_BACKEND_KMALLOC:
		return kmalloc_size_roundup(bytes);
	case KVG_BACKEND_VMALLOC:
	case KVG_BACKEND_PAGES:
		return PAGE_ALIGN(bytes);
	default:
		return 0;
	}
}

/* The backend kvmalloc() takes a block of @bytes from (not 0). */
static inline enum kvg_backend kvg_mem_backend_of(size_t bytes)
{
	return bytes > KMALLOC_MAX_SIZE ? KVG_BACKEND_VMALLOC :
					  KVG_BACKEND_KMALLOC;
}

static inline enum kvg_backend kvg_mem_backend(const void *p)
{
	if (!p)
		return KVG_BACKEND_NONE;
	return is_vmalloc_addr(p) ? KVG_BACKEND_VMALLOC : KVG_BACKEND_KMALLOC;
}

#endif /* _KVGROW_MEM_H */
