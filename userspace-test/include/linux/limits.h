/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: INT_MAX and SIZE_MAX, and the kernel's U32_MAX and U64_MAX. */
#ifndef _SHIM_LINUX_LIMITS_H
#define _SHIM_LINUX_LIMITS_H

#include_next <linux/limits.h>
#include <limits.h>
#include <stdint.h>

#define U32_MAX	((uint32_t)~0U)
#define U64_MAX	((unsigned long long)~0ULL)

#endif
