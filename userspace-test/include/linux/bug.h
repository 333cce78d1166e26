/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: a WARN_ON is loud, and counted. */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <stdio.h>
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

#endif
