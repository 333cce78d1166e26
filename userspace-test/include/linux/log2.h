/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: powers of two. */
#ifndef _SHIM_LINUX_LOG2_H
#define _SHIM_LINUX_LOG2_H

#include <linux/types.h>

static inline int fls_long(unsigned long x)
{
	return x ? 64 - __builtin_clzl(x) : 0;
}

#define roundup_pow_of_two(n)	(1UL << fls_long((unsigned long)(n) - 1))

#endif
