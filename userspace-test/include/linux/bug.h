/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: a WARN is loud; a BUG aborts. */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <stdio.h>
#include <stdlib.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>

extern unsigned long shim_warn_count;

#define WARN_ON(cond) ({						\
	int __c = !!(cond);						\
	if (unlikely(__c)) {						\
		shim_warn_count++;					\
		fprintf(stderr, "WARNING: %s:%d: %s\n",			\
			__FILE__, __LINE__, #cond);			\
	}								\
	__c;								\
})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN(cond, fmt, ...)	WARN_ON(cond)
#define BUG_ON(cond)		do { if (unlikely(cond)) abort(); } while (0)
#define BUG()			abort()

#endif
