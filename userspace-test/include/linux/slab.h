/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the kernel allocator as kvgrow sees it.  Sizes round the
 * way SLUB on x86_64 rounds them (slab classes up to 8 KiB, power-of-two
 * page orders up to KMALLOC_MAX_SIZE, whole pages from vmalloc), so
 * capacities and footprints are the kernel's numbers.  kvmalloc blocks
 * above KMALLOC_MAX_SIZE live in realloc()-able memory, so glibc moves
 * them by remapping pages.  Every block is counted, so tests find leaks.
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>

#define KMALLOC_MAX_CACHE_SIZE	8192UL
#define KMALLOC_MAX_SIZE	(4UL << 20)
#define ZERO_SIZE_PTR		((void *)16)

size_t kmalloc_size_roundup(size_t size);

void *kvmalloc(size_t size, gfp_t gfp);
void kvfree(const void *p);
/* A slab block in the model (up to KMALLOC_MAX_SIZE); kvfree() frees it. */
void *kmalloc(size_t size, gfp_t gfp);

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	return size && n > (size_t)-1 / size ? NULL : kvmalloc(n * size, gfp);
}

/* Small objects outside kvgrow's own accounting (kmod/registry.c's). */
void *calloc(size_t n, size_t size);
void free(void *p);
#define kzalloc(size, gfp)	calloc(1, size)
#define kfree(p)		free(p)
/* 6.12's form by default; the 6.1 one with -DKVG_KVREALLOC_OLDSIZE. */
#ifdef KVG_KVREALLOC_OLDSIZE
void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t gfp);
#else
void *kvrealloc(const void *p, size_t size, gfp_t gfp);
#endif

/* Shim-only: what the model has seen. */
struct shim_alloc_stats {
	long live_blocks;
	long live_bytes;
	unsigned long long copied_bytes;	/* memcpy'd by kvrealloc */
	unsigned long long remapped;		/* moves done by realloc() */
};
void shim_alloc_stats(struct shim_alloc_stats *st);
/* How kvrealloc moves a block it cannot grow in place. */
enum shim_kvrealloc_mode {
	SHIM_KVREALLOC_REMAP,	/* vmalloc-sized: realloc(), glibc remaps */
	SHIM_KVREALLOC_NOCOPY,	/* a new block, the bytes not copied */
	SHIM_KVREALLOC_COPY,	/* always a new block and a copy, as 6.1 */
};
extern enum shim_kvrealloc_mode shim_kvrealloc_mode;

#endif
