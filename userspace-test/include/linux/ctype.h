/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: <linux/ctype.h>'s isdigit(), as the kernel defines it
 * (ASCII '0' to '9', whatever the locale, and any int argument).  The
 * kernel's other classes take Latin-1 letters for letters: not shimmed,
 * so that code meant for both sides does not come to depend on them.
 */
#ifndef _SHIM_LINUX_CTYPE_H
#define _SHIM_LINUX_CTYPE_H

#include <ctype.h>

#undef isdigit
#define isdigit(c)	__shim_isdigit(c)

static inline int __shim_isdigit(int c)
{
	return '0' <= c && c <= '9';
}

#endif
