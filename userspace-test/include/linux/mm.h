/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: pages, as on x86_64. */
#ifndef _SHIM_LINUX_MM_H
#define _SHIM_LINUX_MM_H

#include <linux/types.h>
#include <linux/kernel.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)

static inline int get_order(unsigned long size)
{
	int order = 0;

	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

bool is_vmalloc_addr(const void *p);
/* userspace-test/shim/pages.c: the page a vmap() view maps at @addr. */
struct page;
struct page *vmalloc_to_page(const void *addr);

#endif
