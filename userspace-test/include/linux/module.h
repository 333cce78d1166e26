/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: module metadata vanishes. */
#ifndef _SHIM_LINUX_MODULE_H
#define _SHIM_LINUX_MODULE_H

#include <linux/export.h>

#define MODULE_LICENSE(x)	struct __shim_module_license
#define MODULE_DESCRIPTION(x)	struct __shim_module_description

#endif
