/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: compile-time assertions. */
#ifndef _SHIM_LINUX_BUILD_BUG_H
#define _SHIM_LINUX_BUILD_BUG_H

#define BUILD_BUG_ON(cond)	((void)sizeof(char[1 - 2 * !!(cond)]))
#define static_assert(e, ...)	_Static_assert(e, #e)

#endif
