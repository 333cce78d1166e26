/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: vmap() and vunmap() of pages from <linux/gfp.h>'s
 * alloc_page(), modelled with a memfd (userspace-test/shim/pages.c).
 */
#ifndef _SHIM_LINUX_VMALLOC_H
#define _SHIM_LINUX_VMALLOC_H

#include <linux/types.h>
#include <linux/gfp.h>

typedef struct { unsigned long pgprot; } pgprot_t;

#define VM_MAP		0x00000004
#define PAGE_KERNEL	((pgprot_t){ 0 })

void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   pgprot_t prot);
void vunmap(const void *addr);

/* Shim-only: what the page model has seen. */
struct shim_page_stats {
	long live_pages;		/* alloc_page() not yet freed */
	long live_views;		/* vmap() not yet vunmap()ed */
	unsigned long long vmaps;	/* vmap() calls that succeeded */
	unsigned long long vmapped_pages;	/* pages they mapped */
	unsigned long long map_calls;	/* mmap() calls they needed */
};
void shim_page_stats(struct shim_page_stats *st);

#endif
