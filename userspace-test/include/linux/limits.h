/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: INT_MAX and SIZE_MAX. */
#ifndef _SHIM_LINUX_LIMITS_H
#define _SHIM_LINUX_LIMITS_H

#include_next <linux/limits.h>
#include <limits.h>
#include <stdint.h>

#endif
