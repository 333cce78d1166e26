/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: no signals reach a test. */
#ifndef _SHIM_LINUX_SCHED_SIGNAL_H
#define _SHIM_LINUX_SCHED_SIGNAL_H

#include <linux/types.h>

#define current			NULL
#define fatal_signal_pending(p)	false

#endif
