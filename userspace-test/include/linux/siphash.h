/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: SipHash-2-4 with the kernel's interface. */
#ifndef _SHIM_LINUX_SIPHASH_H
#define _SHIM_LINUX_SIPHASH_H

#include <linux/types.h>

typedef struct {
	u64 key[2];
} siphash_key_t;

u64 siphash(const void *data, size_t len, const siphash_key_t *key);

static inline u64 siphash_1u64(u64 first, const siphash_key_t *key)
{
	return siphash(&first, sizeof(first), key);
}

static inline u64 siphash_1u32(u32 first, const siphash_key_t *key)
{
	return siphash(&first, sizeof(first), key);
}

#endif
