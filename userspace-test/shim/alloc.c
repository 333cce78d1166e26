// SPDX-License-Identifier: GPL-2.0
/* Userspace shim: the kernel allocator model behind <linux/slab.h>. */
#include <malloc.h>
#include <stdio.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(p, n)		((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n)	((void)(p), (void)(n))
#endif
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>

#define HDR_MAGIC	0x6b76676eu	/* "kvgn" */
#define HDR_FREED	0x64656164u	/* "dead" */

enum { BK_KMALLOC = 1, BK_VMALLOC };

/*
 * 16 bytes in front of every block, so the block keeps malloc alignment.
 * A block is as big as the kernel's would be (its footprint); the part
 * past @size is poisoned for ASan, as KASAN poisons a slab object's tail.
 */
struct hdr {
	u32 size;
	u32 footprint;
	u32 magic;
	u32 backend;
};

unsigned long shim_warn_count;
enum shim_kvrealloc_mode shim_kvrealloc_mode = SHIM_KVREALLOC_REMAP;
static struct shim_alloc_stats stats;

static const unsigned int slab_class[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

#define MMAP_THRESHOLD	(128 * 1024)

__attribute__((constructor)) static void shim_alloc_init(void)
{
	/* A fixed threshold: every vmalloc-sized block is mmap()ed. */
	mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
}

/*
 * SLUB gives a slab's pages back once all its objects are freed (beyond a
 * few partial slabs per cache); glibc keeps freed heap chunks.  To model
 * the kernel, every time the heap-allocated blocks have halved since the
 * last look, free heap pages go back (malloc_trim): log2 times over any
 * run of frees, the last when they reach zero.
 */
static size_t heap_live, heap_trim_ref;

static void heap_account(size_t fp, bool alloc)
{
	if (fp + sizeof(struct hdr) >= MMAP_THRESHOLD)
		return;
	if (alloc) {
		heap_live += fp;
		if (heap_live > heap_trim_ref)
			heap_trim_ref = heap_live;
		return;
	}
	heap_live -= fp;
	if (heap_live <= heap_trim_ref / 2) {
		malloc_trim(0);
		heap_trim_ref = heap_live;
	}
}

static struct hdr *hdr_of(const void *p)
{
	struct hdr *h = (struct hdr *)p - 1;

	if (h->magic != HDR_MAGIC) {
		fprintf(stderr, "shim: bad or freed block %p (%s)\n", p,
			h->magic == HDR_FREED ? "double free" : "not ours");
		abort();
	}
	return h;
}

size_t kmalloc_size_roundup(size_t size)
{
	unsigned int i;

	if (!size || size == SIZE_MAX)
		return size;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return PAGE_SIZE << get_order(size);
	for (i = 0; slab_class[i] < size; i++)
		;
	return slab_class[i];
}

static size_t footprint(size_t size, u32 backend)
{
	return backend == BK_KMALLOC ? kmalloc_size_roundup(size) :
				       PAGE_ALIGN(size);
}

/* Set a block's requested size within its footprint. */
static void *block_resize(struct hdr *h, size_t size)
{
	stats.live_bytes += (long)size - (long)h->size;
	h->size = size;
	ASAN_UNPOISON_MEMORY_REGION(h + 1, size);
	ASAN_POISON_MEMORY_REGION((char *)(h + 1) + size, h->footprint - size);
	return h + 1;
}

static void *block_alloc(size_t size, gfp_t gfp, u32 backend)
{
	size_t fp = footprint(size, backend);
	struct hdr *h;

	/* calloc() knows fresh mmap()ed pages are zero and leaves them alone. */
	if (gfp & __GFP_ZERO)
		h = calloc(1, sizeof(*h) + fp);
	else
		h = malloc(sizeof(*h) + fp);
	if (!h)
		return NULL;
	*h = (struct hdr){ .footprint = fp, .magic = HDR_MAGIC, .backend = backend };
	stats.live_blocks++;
	heap_account(fp, true);
	return block_resize(h, size);
}

static void block_free(const void *p)
{
	struct hdr *h;

	if (!p || p == ZERO_SIZE_PTR)
		return;
	h = hdr_of(p);
	stats.live_blocks--;
	stats.live_bytes -= h->size;
	h->magic = HDR_FREED;
	ASAN_UNPOISON_MEMORY_REGION(h + 1, h->footprint);
	heap_account(h->footprint, false);
	free(h);
}

void kvfree(const void *p)
{
	block_free(p);
}

bool is_vmalloc_addr(const void *p)
{
	return hdr_of(p)->backend == BK_VMALLOC;
}

/*
 * kvmalloc: above INT_MAX refused (with a WARN unless __GFP_NOWARN); up to
 * KMALLOC_MAX_SIZE kmalloc; above, vmalloc, which needs GFP_KERNEL
 * semantics.
 */
void *kvmalloc(size_t size, gfp_t gfp)
{
	if (size > INT_MAX) {
		if (!(gfp & __GFP_NOWARN))
			WARN_ON(size > INT_MAX);
		return NULL;
	}
	if (size <= KMALLOC_MAX_SIZE)
		return block_alloc(size, gfp, BK_KMALLOC);
	if ((gfp & GFP_KERNEL) != GFP_KERNEL)
		return NULL;
	return block_alloc(size, gfp, BK_VMALLOC);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_SIZE)
		return NULL;
	return block_alloc(size, gfp, BK_KMALLOC);
}

/*
 * Both kernels' kvrealloc in one.  In place where 6.12's krealloc() or
 * vrealloc() stay in place: the block's footprint already holds @size.
 * Otherwise, by shim_kvrealloc_mode: realloc() between vmalloc-sized
 * blocks (glibc remaps the pages), or a new block and a copy of @keep bytes
 * (or, for a simulation that never reads them, no copy).  In COPY mode,
 * 6.1's kvrealloc(): always a new block and a copy, even with room.
 */
static void *shim_kvrealloc(const void *p, size_t keep, size_t size, gfp_t gfp)
{
	bool vmalloc_size = size > KMALLOC_MAX_SIZE;
	struct hdr *h, *nh;
	void *np;

	if (!p)
		return kvmalloc(size, gfp);
	h = hdr_of(p);
	if (size <= h->footprint && vmalloc_size == (h->backend == BK_VMALLOC) &&
	    shim_kvrealloc_mode != SHIM_KVREALLOC_COPY)
		return block_resize(h, size);
	if (shim_kvrealloc_mode == SHIM_KVREALLOC_REMAP &&
	    h->backend == BK_VMALLOC && vmalloc_size && size <= INT_MAX) {
		ASAN_UNPOISON_MEMORY_REGION(h + 1, h->footprint);
		nh = realloc(h, sizeof(*h) + PAGE_ALIGN(size));
		if (!nh) {
			block_resize(h, h->size);
			return NULL;
		}
		stats.remapped++;
		nh->footprint = PAGE_ALIGN(size);
		return block_resize(nh, size);
	}
	np = kvmalloc(size, gfp);
	if (!np)
		return NULL;
	keep = min(keep, min(size, (size_t)h->size));
	if (shim_kvrealloc_mode != SHIM_KVREALLOC_NOCOPY) {
		memcpy(np, p, keep);
		stats.copied_bytes += keep;
	}
	kvfree(p);
	return np;
}

#ifdef KVG_KVREALLOC_OLDSIZE
void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t gfp)
{
	if (p && oldsize >= newsize)
		return (void *)p;
	return shim_kvrealloc(p, oldsize, newsize, gfp);
}
#else
void *kvrealloc(const void *p, size_t size, gfp_t gfp)
{
	return shim_kvrealloc(p, SIZE_MAX, size, gfp);
}
#endif

void shim_alloc_stats(struct shim_alloc_stats *st)
{
	*st = stats;
}
