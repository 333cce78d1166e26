/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: <linux/prefetch.h>, a read prefetch hint. */
#ifndef _SHIM_LINUX_PREFETCH_H
#define _SHIM_LINUX_PREFETCH_H

#define prefetch(x)	__builtin_prefetch(x)

#endif
