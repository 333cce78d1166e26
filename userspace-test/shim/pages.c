// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: alloc_page(), __free_page(), vmap() and vunmap(), the
 * page backend of kvgrow vectors (lib/vec_pages.c) as the kernel runs it.
 *
 * The design: every page is a page-sized offset in one sparse memfd, the
 * "physical memory".  vmap() reserves an address range with
 * mmap(PROT_NONE) and maps each run of consecutive offsets into it with
 * mmap(MAP_SHARED | MAP_FIXED | MAP_POPULATE): the same bytes now appear
 * at a new address without being copied, and the page tables are filled
 * at map time, as vmap() fills the kernel's.  vunmap() is munmap(); the
 * pages, and their contents, live on in the memfd.  __free_page() punches
 * the page out of the memfd, so its memory really goes back, as the
 * kernel's does.  A plain mremap() could not model this: it moves one
 * mapping, while vmap() maps an arbitrary list of pages, old and new.
 *
 * vmalloc_to_page() finds a view's pages in the list vmap() keeps of them.
 *
 * Counters (shim_page_stats()) let tests assert that a growth mapped pages
 * instead of copying them.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#define PAGE_MAGIC	0x6b766770u	/* "kvgp" */
/* The memfd's size: sparse, only allocated pages take memory. */
#define SPAN		(1ULL << 40)

struct page {
	u64 off;	/* in the memfd */
	u32 magic;
};

struct view {
	char *addr;
	size_t pages;
	struct page **list;	/* what vmalloc_to_page() reads */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int memfd = -1;
static u64 next_off;
static u64 *free_offs;		/* a stack of freed offsets, reused first */
static size_t nr_free, max_free;
static struct view *views;
static size_t nr_views, max_views;
static struct shim_page_stats stats;

static bool grow_array(void **arr, size_t *max, size_t need, size_t size)
{
	size_t n = *max ? 2 * *max : 64;
	void *p;

	if (need <= *max)
		return true;
	p = realloc(*arr, max(n, need) * size);
	if (!p)
		return false;
	*arr = p;
	*max = max(n, need);
	return true;
}

static bool memfd_ready(void)
{
	if (memfd >= 0)
		return true;
	memfd = memfd_create("kvgrow-pages", MFD_CLOEXEC);
	if (memfd < 0)
		return false;
	if (ftruncate(memfd, SPAN)) {
		close(memfd);
		memfd = -1;
		return false;
	}
	return true;
}

struct page *alloc_page(gfp_t gfp)
{
	struct page *pg = malloc(sizeof(*pg));

	if (!pg)
		return NULL;
	pthread_mutex_lock(&lock);
	if (!memfd_ready() || (!nr_free && next_off >= SPAN)) {
		pthread_mutex_unlock(&lock);
		free(pg);
		return NULL;
	}
	if (nr_free) {
		pg->off = free_offs[--nr_free];
	} else {
		pg->off = next_off;
		next_off += PAGE_SIZE;
	}
	pg->magic = PAGE_MAGIC;
	stats.live_pages++;
	pthread_mutex_unlock(&lock);
	/* Fresh and punched-out memfd pages read as zero: __GFP_ZERO holds. */
	return pg;
}

static struct page *check_page(struct page *pg)
{
	if (!pg || pg->magic != PAGE_MAGIC) {
		fprintf(stderr, "shim: bad or freed page %p\n", (void *)pg);
		abort();
	}
	return pg;
}

void __free_page(struct page *pg)
{
	check_page(pg)->magic = 0;
	pthread_mutex_lock(&lock);
	fallocate(memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, pg->off,
		  PAGE_SIZE);
	if (grow_array((void **)&free_offs, &max_free, nr_free + 1,
		       sizeof(*free_offs)))
		free_offs[nr_free++] = pg->off;
	stats.live_pages--;
	pthread_mutex_unlock(&lock);
	free(pg);
}

void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   pgprot_t prot)
{
	size_t i, run, calls = 0;
	struct page **list;
	char *addr;

	if (!count)
		return NULL;
	list = malloc(count * sizeof(*list));
	if (!list)
		return NULL;
	memcpy(list, pages, count * sizeof(*list));
	addr = mmap(NULL, (size_t)count * PAGE_SIZE, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (addr == MAP_FAILED) {
		free(list);
		return NULL;
	}
	for (i = 0; i < count; i += run) {
		u64 off = check_page(pages[i])->off;

		for (run = 1; i + run < count &&
		     check_page(pages[i + run])->off == off + run * PAGE_SIZE;
		     run++)
			;
		calls++;
		if (mmap(addr + i * PAGE_SIZE, run * PAGE_SIZE,
			 PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED | MAP_POPULATE, memfd,
			 off) == MAP_FAILED) {
			munmap(addr, (size_t)count * PAGE_SIZE);
			free(list);
			return NULL;
		}
	}
	pthread_mutex_lock(&lock);
	if (!grow_array((void **)&views, &max_views, nr_views + 1,
			sizeof(*views))) {
		pthread_mutex_unlock(&lock);
		munmap(addr, (size_t)count * PAGE_SIZE);
		free(list);
		return NULL;
	}
	views[nr_views++] = (struct view){ addr, count, list };
	stats.live_views++;
	stats.vmaps++;
	stats.vmapped_pages += count;
	stats.map_calls += calls;
	pthread_mutex_unlock(&lock);
	return addr;
}

/* The view @addr lies in, under the lock; aborts if none. */
static size_t find_view(const void *addr, bool start, const char *what)
{
	const char *a = addr;
	size_t i;

	for (i = nr_views; i-- > 0; )
		if (start ? a == views[i].addr :
		    a >= views[i].addr &&
		    a < views[i].addr + views[i].pages * PAGE_SIZE)
			return i;
	fprintf(stderr, "shim: %s of %p, not in a view\n", what, addr);
	abort();
}

struct page *vmalloc_to_page(const void *addr)
{
	struct page *pg;
	size_t i;

	pthread_mutex_lock(&lock);
	i = find_view(addr, false, "vmalloc_to_page");
	pg = views[i].list[((const char *)addr - views[i].addr) / PAGE_SIZE];
	pthread_mutex_unlock(&lock);
	return pg;
}

void vunmap(const void *addr)
{
	size_t i;

	if (!addr)
		return;
	pthread_mutex_lock(&lock);
	i = find_view(addr, true, "vunmap");
	munmap(views[i].addr, views[i].pages * PAGE_SIZE);
	free(views[i].list);
	views[i] = views[--nr_views];
	stats.live_views--;
	pthread_mutex_unlock(&lock);
}

void shim_page_stats(struct shim_page_stats *st)
{
	pthread_mutex_lock(&lock);
	*st = stats;
	pthread_mutex_unlock(&lock);
}
