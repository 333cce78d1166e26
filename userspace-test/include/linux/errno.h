/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: glibc includes <linux/errno.h> itself, so chain to it. */
#include_next <linux/errno.h>
