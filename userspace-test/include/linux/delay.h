/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: short sleeps. */
#ifndef _SHIM_LINUX_DELAY_H
#define _SHIM_LINUX_DELAY_H

#include <unistd.h>

static inline void usleep_range(unsigned long min, unsigned long max)
{
	usleep(min);
}

#endif
