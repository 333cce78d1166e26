/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: printk goes to stderr. */
#ifndef _SHIM_LINUX_PRINTK_H
#define _SHIM_LINUX_PRINTK_H

#include <stdio.h>

#define pr_fmt_shim(lvl, fmt, ...) fprintf(stderr, lvl fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	pr_fmt_shim("error: ", fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	pr_fmt_shim("warning: ", fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	pr_fmt_shim("", fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { } while (0)
#define pr_err_ratelimited	pr_err
#define pr_warn_ratelimited	pr_warn

#endif
