/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the kernel's kstrtoull() and kstrtou64(), with its rules
 * (lib/kstrtox.c): an optional leading '+', digits of @base (0: a 0x or 0
 * prefix picks 16 or 8; 16 takes an optional 0x), an optional trailing
 * '\n', nothing else; -ERANGE on overflow, -EINVAL otherwise.
 */
#ifndef _SHIM_LINUX_KSTRTOX_H
#define _SHIM_LINUX_KSTRTOX_H

#include <linux/errno.h>
#include <linux/types.h>

static inline int kstrtoull(const char *s, unsigned int base,
			    unsigned long long *res)
{
	unsigned long long v = 0;
	bool overflow = false;
	const char *start;
	unsigned int d;

	if (*s == '+')
		s++;
	if (!base)
		base = s[0] != '0' ? 10 : (s[1] | 0x20) == 'x' ? 16 : 8;
	if (base == 16 && s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2;
	for (start = s;; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (*s | 0x20) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (v > (~0ULL - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (overflow)
		return -ERANGE;
	if (s == start)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

static inline int kstrtou64(const char *s, unsigned int base, u64 *res)
{
	return kstrtoull(s, base, res);
}

#endif
