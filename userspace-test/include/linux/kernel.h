/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the odds and ends of <linux/kernel.h>. */
#ifndef _SHIM_LINUX_KERNEL_H
#define _SHIM_LINUX_KERNEL_H

#include <stdio.h>
#include <linux/types.h>
#include <linux/limits.h>
#include <linux/compiler.h>
#include <linux/minmax.h>
#include <linux/bug.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define round_up(x, y)		((((x) - 1) | ((typeof(x))(y) - 1)) + 1)
#define _RET_IP_		((unsigned long)__builtin_return_address(0))
#define might_sleep()		do { } while (0)
#define pr_err(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)

#endif
