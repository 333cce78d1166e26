/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: exports are plain redeclarations. */
#ifndef _SHIM_LINUX_EXPORT_H
#define _SHIM_LINUX_EXPORT_H

#define EXPORT_SYMBOL_GPL(sym)	extern typeof(sym) sym

#endif
