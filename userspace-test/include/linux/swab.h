/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: byte swapping as <linux/swab.h> has it. */
#ifndef _SHIM_LINUX_SWAB_H
#define _SHIM_LINUX_SWAB_H

#include <linux/types.h>

#define swab64(x)	__builtin_bswap64(x)

#endif
